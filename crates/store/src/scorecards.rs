//! What the scorecards count, per partner and period: escalations (by when they reached the
//! operator), their reviews and first responses, deflections, and weekly series for the charts.

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::{Guid, scorecard::Counts};
use sqlx::AssertSqlSafe;

use crate::{
    Store, StoreError,
    rows::{guid, int, micros},
};

/// The period and the first-response targets (critical, moderate, minimal) to judge against.
#[derive(Debug, Clone, Copy)]
pub struct ScoreWindow {
    pub from: Timestamp,
    pub until: Timestamp,
    /// Requests still running past their due time by then count as breached.
    pub now: Timestamp,
    pub targets: [SignedDuration; 3],
}

/// One week's escalations of one partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WeekCounts {
    /// Weeks since the window's start.
    pub week: i64,
    /// By severity: critical, moderate, minimal.
    pub by_severity: [i64; 3],
    pub improper: i64,
    pub sla_met: i64,
    pub sla_breached: i64,
}

const WEEK_US: i64 = 7 * 24 * 3600 * 1_000_000;

/// `CASE`s over `service_requests r` joined to `escalation_reviews v`; `$1`..`$3` are the
/// targets in microseconds, `$4` now.
const TALLIES: &str = "
    SUM(CASE WHEN v.verdict = 'improper' AND (v.outcome IS NULL OR v.outcome <> 'overturned')
        THEN 1 ELSE 0 END) AS improper,
    SUM(CASE WHEN v.disputed_at IS NOT NULL THEN 1 ELSE 0 END) AS disputes,
    SUM(CASE WHEN v.outcome = 'overturned' THEN 1 ELSE 0 END) AS disputes_won,
    SUM(CASE WHEN r.sla_stopped_at IS NOT NULL
        AND r.sla_consumed_us <= (CASE r.severity WHEN 1 THEN $1 WHEN 2 THEN $2 ELSE $3 END)
        THEN 1 ELSE 0 END) AS sla_met,
    SUM(CASE WHEN r.sla_consumed_us > (CASE r.severity WHEN 1 THEN $1 WHEN 2 THEN $2 ELSE $3 END)
        OR (r.sla_stopped_at IS NULL AND r.sla_due_key <= $4)
        THEN 1 ELSE 0 END) AS sla_breached";

impl Store {
    fn window_query<'q>(
        sql: String,
        window: &ScoreWindow,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        let [c, m, n] = window.targets.map(|t| t.as_micros() as i64);
        sqlx::query(AssertSqlSafe(sql))
            .bind(c)
            .bind(m)
            .bind(n)
            .bind(micros(window.now))
            .bind(micros(window.from))
            .bind(micros(window.until))
    }

    /// The counts of every partner with escalations or deflections in the window (of one if
    /// given).
    pub async fn score_counts(
        &self,
        partner: Option<Guid>,
        window: &ScoreWindow,
    ) -> Result<Vec<(Guid, Counts)>, StoreError> {
        let one = if partner.is_some() {
            "AND r.partner_id = $7"
        } else {
            "AND $7 = $7"
        };
        let rows = Self::window_query(
            format!(
                "SELECT r.partner_id, COUNT(*) AS escalations, {TALLIES}
                 FROM service_requests r LEFT JOIN escalation_reviews v ON v.request_id = r.id
                 WHERE r.escalated_at >= $5 AND r.escalated_at < $6 {one}
                 GROUP BY r.partner_id"
            ),
            window,
        )
        .bind(partner.map(|p| p.to_string()).unwrap_or_default())
        .fetch_all(&self.read)
        .await?;
        let mut cards: Vec<(Guid, Counts)> = rows
            .iter()
            .map(|row| {
                Ok((
                    guid(row, "partner_id")?,
                    Counts {
                        escalations: int(row, "escalations")?,
                        deflections: 0,
                        improper: int(row, "improper")?,
                        disputes: int(row, "disputes")?,
                        disputes_won: int(row, "disputes_won")?,
                        sla_met: int(row, "sla_met")?,
                        sla_breached: int(row, "sla_breached")?,
                    },
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        let one = if partner.is_some() {
            "AND partner_id = $3"
        } else {
            "AND $3 = $3"
        };
        let deflections = sqlx::query(AssertSqlSafe(format!(
            "SELECT partner_id, COUNT(*) AS n FROM deflections
             WHERE created_at >= $1 AND created_at < $2 {one} GROUP BY partner_id"
        )))
        .bind(micros(window.from))
        .bind(micros(window.until))
        .bind(partner.map(|p| p.to_string()).unwrap_or_default())
        .fetch_all(&self.read)
        .await?;
        for row in &deflections {
            let (id, n) = (guid(row, "partner_id")?, int(row, "n")?);
            match cards.iter_mut().find(|(p, _)| *p == id) {
                Some((_, counts)) => counts.deflections = n,
                None => cards.push((
                    id,
                    Counts {
                        deflections: n,
                        ..Counts::default()
                    },
                )),
            }
        }
        Ok(cards)
    }

    /// For each partner (or one), the times from reaching the operator to the first contact.
    pub async fn first_contact_times(
        &self,
        partner: Option<Guid>,
        window: &ScoreWindow,
    ) -> Result<Vec<(Guid, SignedDuration)>, StoreError> {
        let one = if partner.is_some() {
            "AND partner_id = $3"
        } else {
            "AND $3 = $3"
        };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT partner_id, first_contact_at - escalated_at AS waited FROM service_requests
             WHERE escalated_at >= $1 AND escalated_at < $2 AND first_contact_at IS NOT NULL {one}"
        )))
        .bind(micros(window.from))
        .bind(micros(window.until))
        .bind(partner.map(|p| p.to_string()).unwrap_or_default())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    guid(row, "partner_id")?,
                    SignedDuration::from_micros(int(row, "waited")?),
                ))
            })
            .collect()
    }

    /// One partner's escalations week by week from the window's start.
    pub async fn weekly_counts(
        &self,
        partner: Guid,
        window: &ScoreWindow,
    ) -> Result<Vec<WeekCounts>, StoreError> {
        let rows = Self::window_query(
            format!(
                "SELECT (r.escalated_at - $5) / {WEEK_US} AS week, r.severity, COUNT(*) AS n,
                   {TALLIES}
                 FROM service_requests r LEFT JOIN escalation_reviews v ON v.request_id = r.id
                 WHERE r.partner_id = $7 AND r.escalated_at >= $5 AND r.escalated_at < $6
                 GROUP BY (r.escalated_at - $5) / {WEEK_US}, r.severity"
            ),
            window,
        )
        .bind(partner.to_string())
        .fetch_all(&self.read)
        .await?;
        let span = (window.until.duration_since(window.from).as_micros() as i64).max(0);
        let weeks = (span + WEEK_US - 1) / WEEK_US;
        let mut series: Vec<WeekCounts> = (0..weeks)
            .map(|week| WeekCounts {
                week,
                ..WeekCounts::default()
            })
            .collect();
        for row in &rows {
            let week = int(row, "week")?;
            let Some(slot) = usize::try_from(week).ok().and_then(|w| series.get_mut(w)) else {
                continue;
            };
            let severity = (int(row, "severity")?.clamp(1, 3) - 1) as usize;
            slot.by_severity[severity] += int(row, "n")?;
            slot.improper += int(row, "improper")?;
            slot.sla_met += int(row, "sla_met")?;
            slot.sla_breached += int(row, "sla_breached")?;
        }
        Ok(series)
    }
}
