//! Partner scorecards: escalation quality over a period (trailing 90 days unless asked), for the
//! operator (every partner, or one) and for the partner itself (its own card only).

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::{
    FieldError, Guid,
    scorecard::{Scorecard, Threshold},
};
use partnerdesk_store::{Organization, ScoreWindow, WeekCounts};

use crate::{Actor, App, AppError, Result, policy};

/// The default period of a scorecard.
pub const TRAILING: SignedDuration = SignedDuration::from_hours(90 * 24);
/// The longest period one scorecard covers.
const LONGEST: SignedDuration = SignedDuration::from_hours(3 * 366 * 24);

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
        Ok(ScoreWindow {
            from,
            until,
            now,
            targets: self.sla_policy.first_response,
        })
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
        let (counts, times, weeks) = tokio::try_join!(
            self.store.score_counts(Some(partner_id), &window),
            self.store.first_contact_times(Some(partner_id), &window),
            self.store.weekly_counts(partner_id, &window),
        )?;
        let counts = counts
            .into_iter()
            .map(|(_, c)| c)
            .next()
            .unwrap_or_default();
        let threshold = self.remediation_threshold();
        Ok(PartnerScorecard {
            partner,
            from: window.from,
            until: window.until,
            card: Scorecard::new(
                counts,
                times.into_iter().map(|(_, t)| t).collect(),
                threshold,
            ),
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
        let (partners, counts, times) = tokio::try_join!(
            self.store
                .organizations(partnerdesk_domain::OrgKind::Partner, None, 0, 10_000),
            self.store.score_counts(None, &window),
            self.store.first_contact_times(None, &window),
        )?;
        let threshold = self.remediation_threshold();
        Ok(partners
            .items
            .into_iter()
            .map(|partner| {
                let own = counts
                    .iter()
                    .find(|(p, _)| *p == partner.id)
                    .map(|(_, c)| *c)
                    .unwrap_or_default();
                let waited = times
                    .iter()
                    .filter(|(p, _)| *p == partner.id)
                    .map(|(_, t)| *t)
                    .collect();
                let card = Scorecard::new(own, waited, threshold);
                (partner, card)
            })
            .collect())
    }
}
