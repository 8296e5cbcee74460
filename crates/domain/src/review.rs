//! Escalation reviews (product.md "Escalation quality"): the operator judges whether a request
//! was properly escalated; the partner may dispute an *improper* verdict once; a lead upholds or
//! overturns it. Who may do each is the policy's; what may happen next is decided here.

use jiff::Timestamp;

use crate::{Guid, IllegalTransition};

/// The operator's judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Proper,
    Improper,
}
crate::enum_text!(Verdict { Proper => "proper", Improper => "improper" });

/// Why an escalation was improper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImproperReason {
    /// Configuration or how-to: the partner's own job.
    WithinPartnerBoundary,
    PublishedIncident,
    SelfHelpArticle,
    InsufficientTroubleshooting,
    Duplicate,
    WrongChannel,
}
crate::enum_text!(ImproperReason {
    WithinPartnerBoundary => "within_partner_boundary",
    PublishedIncident => "published_incident",
    SelfHelpArticle => "self_help_article",
    InsufficientTroubleshooting => "insufficient_troubleshooting",
    Duplicate => "duplicate",
    WrongChannel => "wrong_channel",
});

/// A lead's decision on a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisputeOutcome {
    /// The verdict stands.
    Upheld,
    /// The partner was right: the escalation counts as proper.
    Overturned,
}
crate::enum_text!(DisputeOutcome { Upheld => "upheld", Overturned => "overturned" });

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub by: Guid,
    pub by_name: String,
    pub at: Timestamp,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub verdict: Verdict,
    /// Set exactly when the verdict is improper.
    pub reason: Option<ImproperReason>,
    pub reviewed: Signed,
    pub dispute: Option<Signed>,
    pub decision: Option<(DisputeOutcome, Signed)>,
}

impl Review {
    /// Whether the request counts as improperly escalated now (an overturned verdict does not).
    pub fn improper(&self) -> bool {
        self.verdict == Verdict::Improper && self.outcome() != Some(DisputeOutcome::Overturned)
    }

    pub fn outcome(&self) -> Option<DisputeOutcome> {
        self.decision.as_ref().map(|(o, _)| *o)
    }

    /// A new verdict replaces this one, unless the partner has disputed it (then only the
    /// lead's decision settles it).
    pub fn check_replace(existing: Option<&Review>) -> Result<(), IllegalTransition> {
        match existing {
            Some(r) if r.dispute.is_some() => Err(IllegalTransition::ReviewDisputed),
            _ => Ok(()),
        }
    }

    /// The partner disputes: only an improper verdict, and only once.
    pub fn check_dispute(&self) -> Result<(), IllegalTransition> {
        if self.verdict != Verdict::Improper {
            return Err(IllegalTransition::NothingToDispute);
        }
        if self.dispute.is_some() {
            return Err(IllegalTransition::AlreadyDisputed);
        }
        Ok(())
    }

    /// A lead decides a dispute, once.
    pub fn check_decide(&self) -> Result<(), IllegalTransition> {
        if self.dispute.is_none() {
            return Err(IllegalTransition::NotDisputed);
        }
        if self.decision.is_some() {
            return Err(IllegalTransition::AlreadyDecided);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed() -> Signed {
        Signed {
            by: Guid::from_name("lead"),
            by_name: "Lead".into(),
            at: Timestamp::UNIX_EPOCH,
            comment: None,
        }
    }

    fn review(verdict: Verdict) -> Review {
        Review {
            verdict,
            reason: (verdict == Verdict::Improper).then_some(ImproperReason::Duplicate),
            reviewed: signed(),
            dispute: None,
            decision: None,
        }
    }

    #[test]
    fn an_improper_verdict_is_disputed_once_and_decided_once() {
        let mut r = review(Verdict::Improper);
        assert!(r.improper());
        assert_eq!(r.check_decide(), Err(IllegalTransition::NotDisputed));
        assert_eq!(Review::check_replace(Some(&r)), Ok(()));
        r.check_dispute().unwrap();
        r.dispute = Some(signed());
        assert_eq!(r.check_dispute(), Err(IllegalTransition::AlreadyDisputed));
        assert_eq!(
            Review::check_replace(Some(&r)),
            Err(IllegalTransition::ReviewDisputed)
        );
        r.check_decide().unwrap();
        r.decision = Some((DisputeOutcome::Overturned, signed()));
        assert!(!r.improper(), "overturned: counts as proper");
        assert_eq!(r.check_decide(), Err(IllegalTransition::AlreadyDecided));
    }

    #[test]
    fn a_proper_verdict_cannot_be_disputed() {
        assert_eq!(
            review(Verdict::Proper).check_dispute(),
            Err(IllegalTransition::NothingToDispute)
        );
        assert!(!review(Verdict::Proper).improper());
    }
}
