//! What the scorecards count, per partner and period: escalations by when they reached the
//! operator (per week and severity, with their first responses and reviews), deflections, and
//! the minutes to first contact as a histogram — summed from daily rollups that triggers keep
//! (migration `score_days`), so that a card over a busy partner's 90 days reads a few hundred
//! rows, not every escalation.

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::Guid;
use sqlx::AssertSqlSafe;

use crate::{
    Store, StoreError,
    rows::{guid, int, micros},
};

/// The period: whole UTC days, `from` and `until` each a midnight (the rollups count by day).
#[derive(Debug, Clone, Copy)]
pub struct ScoreWindow {
    pub from: Timestamp,
    pub until: Timestamp,
}

impl ScoreWindow {
    /// The whole UTC days that hold `from` up to `until`.
    pub fn whole_days(from: Timestamp, until: Timestamp) -> ScoreWindow {
        let day = |t: Timestamp, up: bool| {
            let us = micros(t);
            let floor = us.div_euclid(DAY_US);
            let day = if up && us.rem_euclid(DAY_US) != 0 {
                floor + 1
            } else {
                floor
            };
            Timestamp::from_microsecond(day * DAY_US).unwrap_or(t)
        };
        ScoreWindow {
            from: day(from, false),
            until: day(until, true),
        }
    }

    fn days(&self) -> (i64, i64) {
        (
            micros(self.from).div_euclid(DAY_US),
            micros(self.until).div_euclid(DAY_US),
        )
    }
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

const DAY_US: i64 = 24 * 3600 * 1_000_000;

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

impl Store {
    /// Per partner (or one), week and severity: escalations, first-response outcomes and the
    /// reviews' verdicts, summed from the daily rollups.
    pub async fn score_rows(
        &self,
        partner: Option<Guid>,
        window: &ScoreWindow,
    ) -> Result<Vec<ScoreRow>, StoreError> {
        let (first, end) = window.days();
        let one = one_partner(partner, "partner_id", "$3");
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT partner_id, (day - $1) / 7 AS week, severity,
               CAST(SUM(escalations) AS BIGINT) AS n, CAST(SUM(sla_met) AS BIGINT) AS met,
               CAST(SUM(sla_breached) AS BIGINT) AS breached,
               CAST(SUM(improper) AS BIGINT) AS improper,
               CAST(SUM(disputes) AS BIGINT) AS disputes,
               CAST(SUM(disputes_won) AS BIGINT) AS won
             FROM score_days WHERE day >= $1 AND day < $2 {one}
             GROUP BY partner_id, (day - $1) / 7, severity HAVING SUM(escalations) > 0"
        )))
        .bind(first)
        .bind(end)
        .bind(partner_param(partner))
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ScoreRow {
                    partner_id: Some(guid(row, "partner_id")?),
                    week: int(row, "week")?,
                    severity: (int(row, "severity")?.clamp(1, 3) - 1) as usize,
                    escalations: int(row, "n")?,
                    sla_met: int(row, "met")?,
                    sla_breached: int(row, "breached")?,
                    improper: int(row, "improper")?,
                    disputes: int(row, "disputes")?,
                    disputes_won: int(row, "won")?,
                })
            })
            .collect()
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

    /// Per partner (or of one): how many requests waited how long (bucketed minutes, see the
    /// rollups' migration) from reaching the operator to the first contact.
    pub async fn first_contact_histogram(
        &self,
        partner: Option<Guid>,
        window: &ScoreWindow,
    ) -> Result<Vec<(Guid, SignedDuration, i64)>, StoreError> {
        let (first, end) = window.days();
        let one = one_partner(partner, "partner_id", "$3");
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT partner_id, waited, CAST(SUM(n) AS BIGINT) AS n FROM first_contact_days
             WHERE day >= $1 AND day < $2 {one}
             GROUP BY partner_id, waited HAVING SUM(n) > 0"
        )))
        .bind(first)
        .bind(end)
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
