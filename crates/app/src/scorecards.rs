//! Partner scorecards: escalation quality over a period (trailing 90 days unless asked), for the
//! operator (every partner, or one) and for the partner itself (its own card only). A period is
//! counted in whole UTC days: from the midnight before its start to the midnight after its end.

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::scorecard::Counts;
use partnerdesk_domain::{
    FieldError, Guid,
    scorecard::{Scorecard, Threshold},
};
use partnerdesk_store::{Organization, ScoreRow, ScoreWindow};

use crate::{Actor, App, AppError, Result, policy};

/// The default period of a scorecard.
pub const TRAILING: SignedDuration = SignedDuration::from_hours(90 * 24);
/// The longest period one scorecard covers.
const LONGEST: SignedDuration = SignedDuration::from_hours(3 * 366 * 24);

/// One week of a partner's escalations (since the card's start), for the charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WeekCounts {
    pub week: i64,
    /// By severity: critical, moderate, minimal.
    pub by_severity: [i64; 3],
    pub improper: i64,
    pub sla_met: i64,
    pub sla_breached: i64,
}

/// The counts of `rows` (one partner's), and deflections.
pub(crate) fn counts_of<'a>(rows: impl Iterator<Item = &'a ScoreRow>, deflections: i64) -> Counts {
    rows.fold(
        Counts {
            deflections,
            ..Counts::default()
        },
        |mut c, r| {
            c.escalations += r.escalations;
            c.improper += r.improper;
            c.disputes += r.disputes;
            c.disputes_won += r.disputes_won;
            c.sla_met += r.sla_met;
            c.sla_breached += r.sla_breached;
            c
        },
    )
}

/// The weeks of a window, each with what `rows` counted in it.
fn weeks_of(rows: &[ScoreRow], window: &ScoreWindow) -> Vec<WeekCounts> {
    let span = window.until.duration_since(window.from).as_secs().max(0);
    let weeks = (span + 7 * 86_400 - 1) / (7 * 86_400);
    let mut series: Vec<WeekCounts> = (0..weeks)
        .map(|week| WeekCounts {
            week,
            ..WeekCounts::default()
        })
        .collect();
    for r in rows {
        if let Some(w) = usize::try_from(r.week).ok().and_then(|w| series.get_mut(w)) {
            w.by_severity[r.severity] += r.escalations;
            w.improper += r.improper;
            w.sla_met += r.sla_met;
            w.sla_breached += r.sla_breached;
        }
    }
    series
}

/// One partner's card, with its weeks (for the charts).
#[derive(Debug, Clone)]
pub struct PartnerScorecard {
    pub partner: Organization,
    pub from: Timestamp,
    pub until: Timestamp,
    pub card: Scorecard,
    pub threshold: Threshold,
    pub weeks: Vec<WeekCounts>,
}

impl App {
    fn score_window(
        &self,
        from: Option<Timestamp>,
        until: Option<Timestamp>,
    ) -> Result<ScoreWindow> {
        let now = self.now();
        let until = until.unwrap_or(now);
        let from = from.unwrap_or(until - TRAILING);
        if from >= until {
            return Err(FieldError::invalid("from", "must be before until").into());
        }
        if until.duration_since(from) > LONGEST {
            return Err(
                FieldError::invalid("from", "a scorecard covers at most three years").into(),
            );
        }
        Ok(ScoreWindow::whole_days(from, until))
    }

    pub fn remediation_threshold(&self) -> Threshold {
        Threshold::default()
    }

    /// One partner's scorecard.
    pub async fn scorecard(
        &self,
        actor: &Actor,
        partner_id: Guid,
        from: Option<Timestamp>,
        until: Option<Timestamp>,
    ) -> Result<PartnerScorecard> {
        policy::check_scorecard(actor, partner_id)?;
        let window = self.score_window(from, until)?;
        let partner = self.store.organization(partner_id).await?;
        if partner.kind != partnerdesk_domain::OrgKind::Partner {
            return Err(AppError::NotFound);
        }
        let (rows, deflections, waits) = tokio::try_join!(
            self.store.score_rows(Some(partner_id), &window),
            self.store.deflection_totals(Some(partner_id), &window),
            self.store
                .first_contact_histogram(Some(partner_id), &window),
        )?;
        let deflections = deflections.iter().map(|(_, n)| n).sum();
        let counts = counts_of(rows.iter(), deflections);
        let waits = waits
            .into_iter()
            .map(|(_, waited, n)| (waited, n))
            .collect();
        let threshold = self.remediation_threshold();
        let weeks = weeks_of(&rows, &window);
        Ok(PartnerScorecard {
            partner,
            from: window.from,
            until: window.until,
            card: Scorecard::new(counts, waits, threshold),
            threshold,
            weeks,
        })
    }

    /// Every partner's scorecard (the operator's comparison), in name order.
    pub async fn scorecards(
        &self,
        actor: &Actor,
        from: Option<Timestamp>,
        until: Option<Timestamp>,
    ) -> Result<Vec<(Organization, Scorecard)>> {
        if !actor.is_operator() {
            return Err(AppError::Forbidden);
        }
        policy::check_scorecard(actor, actor.org_id())?;
        let window = self.score_window(from, until)?;
        let (partners, rows, deflections, waits) = tokio::try_join!(
            self.store
                .organizations(partnerdesk_domain::OrgKind::Partner, None, 0, 10_000),
            self.store.score_rows(None, &window),
            self.store.deflection_totals(None, &window),
            self.store.first_contact_histogram(None, &window),
        )?;
        let threshold = self.remediation_threshold();
        Ok(partners
            .items
            .into_iter()
            .map(|partner| {
                let own = |p: &Option<Guid>| *p == Some(partner.id);
                let deflected = deflections
                    .iter()
                    .filter(|(p, _)| *p == partner.id)
                    .map(|(_, n)| n)
                    .sum();
                let counts = counts_of(rows.iter().filter(|r| own(&r.partner_id)), deflected);
                let waited = waits
                    .iter()
                    .filter(|(p, _, _)| *p == partner.id)
                    .map(|(_, w, n)| (*w, *n))
                    .collect();
                (partner.clone(), Scorecard::new(counts, waited, threshold))
            })
            .collect())
    }
}
