//! Escalation reviews: the operator's verdict, the partner's one dispute, a lead's decision —
//! each audited on the request's history.

use partnerdesk_domain::{
    EnumText, FieldError, IllegalTransition,
    fields::{self, limits},
    review::{DisputeOutcome, ImproperReason, Review, Signed, Verdict},
};
use partnerdesk_store::{ServiceRequest, StoreError};

use crate::{Actor, App, AppError, Result, policy, requests::RequestView};

fn word<T: EnumText>(field: &'static str, value: Option<&str>) -> Result<T, FieldError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Err(FieldError::required(field)),
        Some(v) => T::parse_text(v).map_err(|e| FieldError::not_one_of(field, e)),
    }
}

impl App {
    fn signed(&self, actor: &Actor, comment: Option<&str>) -> Result<Signed> {
        Ok(Signed {
            by: actor.id(),
            by_name: actor.name().to_string(),
            at: self.now(),
            comment: fields::optional_text("comment", comment, limits::NOTE)?,
        })
    }

    /// Loads the request (the actor must see it) and its review, lets `step` check and change
    /// the review, and saves it with a history event named `action`.
    async fn change_review(
        &self,
        actor: &Actor,
        id: &str,
        action: &str,
        step: impl Fn(&ServiceRequest, Option<Review>) -> Result<Review>,
    ) -> Result<RequestView> {
        let request = &self.visible_request(actor, id).await?;
        let existing = self.store.review(request.id).await?;
        let (old, version) = match existing {
            Some((review, version)) => (Some(review), Some(version)),
            None => (None, None),
        };
        let review = step(request, old)?;
        let detail = serde_json::json!({
            "verdict": review.verdict,
            "reason": review.reason,
            "outcome": review.outcome(),
        });
        let history = self.history(actor, request, action, detail);
        match self
            .store
            .save_review(request.id, request.partner_id, &review, version, &history)
            .await
        {
            Ok(()) => self.request(actor, id).await,
            Err(StoreError::Concurrent) => Err(AppError::PreconditionFailed),
            Err(e) => Err(e.into()),
        }
    }

    /// The operator's verdict: proper, or improper with a reason (and a comment). It may be
    /// changed until the partner disputes it.
    pub async fn review_escalation(
        &self,
        actor: &Actor,
        id: &str,
        verdict: Option<&str>,
        reason: Option<&str>,
        comment: Option<&str>,
    ) -> Result<RequestView> {
        let verdict = word::<Verdict>("verdict", verdict);
        let reason = match (&verdict, reason.map(str::trim).filter(|r| !r.is_empty())) {
            (Ok(Verdict::Improper), r) => word::<ImproperReason>("reason", r).map(Some),
            (_, None) => Ok(None),
            (_, Some(_)) => Err(FieldError::invalid(
                "reason",
                "only an improper verdict has a reason",
            )),
        };
        let (verdict, reason) = match (verdict, reason) {
            (Ok(v), Ok(r)) => (v, r),
            (v, r) => {
                return Err(AppError::Invalid(
                    [v.err(), r.err()].into_iter().flatten().collect(),
                ));
            }
        };
        let signed = self.signed(actor, comment)?;
        self.change_review(actor, id, "escalation_reviewed", |request, old| {
            policy::check_review(actor, request)?;
            if request.escalated_at.is_none() {
                return Err(IllegalTransition::NotEscalated.into());
            }
            Review::check_replace(old.as_ref())?;
            Ok(Review {
                verdict,
                reason,
                reviewed: signed.clone(),
                dispute: None,
                decision: None,
            })
        })
        .await
    }

    /// The partner disputes an improper verdict, once, saying why.
    pub async fn dispute_review(
        &self,
        actor: &Actor,
        id: &str,
        comment: Option<&str>,
    ) -> Result<RequestView> {
        let signed = self.signed(actor, comment)?;
        if signed.comment.is_none() {
            return Err(FieldError::required("comment").into());
        }
        self.change_review(actor, id, "review_disputed", |request, old| {
            policy::check_dispute(actor, request)?;
            let mut review = old.ok_or(IllegalTransition::NothingToDispute)?;
            review.check_dispute()?;
            review.dispute = Some(signed.clone());
            Ok(review)
        })
        .await
    }

    /// A lead upholds or overturns a disputed verdict.
    pub async fn decide_dispute(
        &self,
        actor: &Actor,
        id: &str,
        outcome: Option<&str>,
        comment: Option<&str>,
    ) -> Result<RequestView> {
        let outcome = word::<DisputeOutcome>("outcome", outcome)?;
        let signed = self.signed(actor, comment)?;
        self.change_review(actor, id, "dispute_decided", |request, old| {
            policy::check_decide_dispute(actor, request)?;
            let mut review = old.ok_or(IllegalTransition::NotDisputed)?;
            review.check_decide()?;
            review.decision = Some((outcome, signed.clone()));
            Ok(review)
        })
        .await
    }
}
