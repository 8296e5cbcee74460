//! What the scorecards count, per partner and period: escalations by when they reached the
//! operator (per week and severity, with their first responses and reviews), deflections, and
//! the minutes to first contact as a histogram — aggregates the database answers from indexes,
//! so that a card over a busy partner's 90 days stays a few index scans.

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::Guid;
use sqlx::{AssertSqlSafe, any::AnyRow};

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

/// One partner's escalations of one week (since the window's start) and severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScoreRow {
    pub partner_id: Option<Guid>,
    pub week: i64,
    /// 0 critical, 1 moderate, 2 minimal.
    pub severity: usize,
    pub escalations: i64,
    pub sla_met: i64,
    pub sla_breached: i64,
    pub improper: i64,
    pub disputes: i64,
    pub disputes_won: i64,
}

const WEEK_US: i64 = 7 * 24 * 3600 * 1_000_000;
const MINUTE_US: i64 = 60 * 1_000_000;

fn one_partner(partner: Option<Guid>, column: &str, param: &str) -> String {
    if partner.is_some() {
        format!("AND {column} = {param}")
    } else {
        format!("AND {param} = {param}")
    }
}

fn partner_param(partner: Option<Guid>) -> String {
    partner.map(|p| p.to_string()).unwrap_or_default()
}

fn score_row(row: &AnyRow) -> Result<ScoreRow, StoreError> {
    Ok(ScoreRow {
        partner_id: Some(guid(row, "partner_id")?),
        week: int(row, "week")?,
        severity: (int(row, "severity")?.clamp(1, 3) - 1) as usize,
        ..ScoreRow::default()
    })
}

impl Store {
    /// Per partner (or one), week and severity: escalations and first-response outcomes, with
    /// the reviews' verdicts added.
    pub async fn score_rows(
        &self,
        partner: Option<Guid>,
        window: &ScoreWindow,
    ) -> Result<Vec<ScoreRow>, StoreError> {
        let [c, m, n] = window.targets.map(|t| t.as_micros() as i64);
        let one = one_partner(partner, "r.partner_id", "$7");
        let week = format!("(r.escalated_at - $5) / {WEEK_US}");
        let target = "(CASE r.severity WHEN 1 THEN $1 WHEN 2 THEN $2 ELSE $3 END)";
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT r.partner_id, {week} AS week, r.severity, COUNT(*) AS n,
               SUM(CASE WHEN r.sla_stopped_at IS NOT NULL AND r.sla_consumed_us <= {target}
                   THEN 1 ELSE 0 END) AS met,
               SUM(CASE WHEN r.sla_consumed_us > {target}
                   OR (r.sla_stopped_at IS NULL AND r.sla_due_key <= $4) THEN 1 ELSE 0 END) AS breached
             FROM service_requests r
             WHERE r.escalated_at >= $5 AND r.escalated_at < $6 {one}
             GROUP BY r.partner_id, {week}, r.severity"
        )))
        .bind(c)
        .bind(m)
        .bind(n)
        .bind(micros(window.now))
        .bind(micros(window.from))
        .bind(micros(window.until))
        .bind(partner_param(partner))
        .fetch_all(&self.read)
        .await?;
        let mut found: Vec<ScoreRow> = rows
            .iter()
            .map(|row| {
                Ok(ScoreRow {
                    escalations: int(row, "n")?,
                    sla_met: int(row, "met")?,
                    sla_breached: int(row, "breached")?,
                    ..score_row(row)?
                })
            })
            .collect::<Result<_, StoreError>>()?;
        // Reviews are few beside escalations: counted from their own table.
        let one = one_partner(partner, "v.partner_id", "$3");
        let week = format!("(r.escalated_at - $1) / {WEEK_US}");
        let reviews = sqlx::query(AssertSqlSafe(format!(
            "SELECT v.partner_id, {week} AS week, r.severity,
               SUM(CASE WHEN v.verdict = 'improper'
                   AND (v.outcome IS NULL OR v.outcome <> 'overturned') THEN 1 ELSE 0 END) AS improper,
               SUM(CASE WHEN v.disputed_at IS NOT NULL THEN 1 ELSE 0 END) AS disputes,
               SUM(CASE WHEN v.outcome = 'overturned' THEN 1 ELSE 0 END) AS won
             FROM escalation_reviews v JOIN service_requests r ON r.id = v.request_id
             WHERE r.escalated_at >= $1 AND r.escalated_at < $2 {one}
             GROUP BY v.partner_id, {week}, r.severity"
        )))
        .bind(micros(window.from))
        .bind(micros(window.until))
        .bind(partner_param(partner))
        .fetch_all(&self.read)
        .await?;
        for row in &reviews {
            let key = score_row(row)?;
            let (improper, disputes, won) = (
                int(row, "improper")?,
                int(row, "disputes")?,
                int(row, "won")?,
            );
            match found.iter_mut().find(|r| {
                (r.partner_id, r.week, r.severity) == (key.partner_id, key.week, key.severity)
            }) {
                Some(r) => {
                    r.improper += improper;
                    r.disputes += disputes;
                    r.disputes_won += won;
                }
                None => found.push(ScoreRow {
                    improper,
                    disputes,
                    disputes_won: won,
                    ..key
                }),
            }
        }
        Ok(found)
    }

    /// Deflections per partner (or of one) in the period.
    pub async fn deflection_totals(
        &self,
        partner: Option<Guid>,
        window: &ScoreWindow,
    ) -> Result<Vec<(Guid, i64)>, StoreError> {
        let one = one_partner(partner, "partner_id", "$3");
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT partner_id, COUNT(*) AS n FROM deflections
             WHERE created_at >= $1 AND created_at < $2 {one} GROUP BY partner_id"
        )))
        .bind(micros(window.from))
        .bind(micros(window.until))
        .bind(partner_param(partner))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| Ok((guid(row, "partner_id")?, int(row, "n")?)))
            .collect()
    }

    /// Per partner (or of one): how many requests waited how many whole minutes from reaching
    /// the operator to the first contact.
    pub async fn first_contact_histogram(
        &self,
        partner: Option<Guid>,
        window: &ScoreWindow,
    ) -> Result<Vec<(Guid, SignedDuration, i64)>, StoreError> {
        let one = one_partner(partner, "partner_id", "$3");
        let minute = format!("(first_contact_at - escalated_at) / {MINUTE_US}");
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT partner_id, {minute} AS waited, COUNT(*) AS n FROM service_requests
             WHERE escalated_at >= $1 AND escalated_at < $2 AND first_contact_at IS NOT NULL {one}
             GROUP BY partner_id, {minute}"
        )))
        .bind(micros(window.from))
        .bind(micros(window.until))
        .bind(partner_param(partner))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    guid(row, "partner_id")?,
                    SignedDuration::from_mins(int(row, "waited")?),
                    int(row, "n")?,
                ))
            })
            .collect()
    }
}
