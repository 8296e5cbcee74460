//! The service-request lifecycle: internal states, which organization tier holds the request,
//! the actions that move it, and the public status Partner Center clients see.
//!
//! The machine is over (state, tier): `new` and `awaiting_customer` exist only while the partner
//! holds a request, `escalated` and `awaiting_partner` only while the operator does.

use jiff::{SignedDuration, Timestamp};

use crate::{EnumText, UnknownValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    New,
    InProgress,
    AwaitingCustomer,
    Escalated,
    AwaitingPartner,
    Resolved,
    Closed,
}

crate::enum_text!(State {
    New => "new",
    InProgress => "in_progress",
    AwaitingCustomer => "awaiting_customer",
    Escalated => "escalated",
    AwaitingPartner => "awaiting_partner",
    Resolved => "resolved",
    Closed => "closed",
});

/// Which organization in the support chain holds the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    Partner,
    Operator,
}

crate::enum_text!(Tier { Partner => "partner", Operator => "operator" });

/// Partner Center's public status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicStatus {
    Open,
    Closed,
    AttentionNeeded,
}

crate::enum_text!(PublicStatus { Open => "open", Closed => "closed", AttentionNeeded => "attention_needed" });

impl PublicStatus {
    /// Parses API input: a word (any case) or the legacy integer. `Ok(None)` is `none` / `0`.
    pub fn parse_input(
        text: Option<&str>,
        number: Option<i64>,
    ) -> Result<Option<Self>, UnknownValue> {
        let unknown = |value: String| UnknownValue {
            value,
            allowed: vec![
                "none",
                "open",
                "closed",
                "attention_needed",
                "0",
                "1",
                "2",
                "3",
            ],
        };
        // Query strings carry the legacy integers as text.
        let (text, number) = match text.map(|t| t.trim().parse::<i64>()) {
            Some(Ok(n)) => (None, Some(n)),
            _ => (text, number),
        };
        match (text, number) {
            (Some(t), _) if t.trim().eq_ignore_ascii_case("none") => Ok(None),
            (Some(t), _) => Self::parse_text(t)
                .map(Some)
                .map_err(|_| unknown(t.to_string())),
            (None, Some(0)) | (None, None) => Ok(None),
            (None, Some(1)) => Ok(Some(Self::Open)),
            (None, Some(2)) => Ok(Some(Self::Closed)),
            (None, Some(3)) => Ok(Some(Self::AttentionNeeded)),
            (None, Some(n)) => Err(unknown(n.to_string())),
        }
    }

    /// The internal states behind a public status (for filtering).
    pub fn states(self) -> &'static [State] {
        match self {
            PublicStatus::Open => &[State::New, State::InProgress, State::Escalated],
            PublicStatus::AttentionNeeded => &[State::AwaitingCustomer, State::AwaitingPartner],
            PublicStatus::Closed => &[State::Resolved, State::Closed],
        }
    }
}

impl State {
    pub fn public_status(self) -> PublicStatus {
        match self {
            State::New | State::InProgress | State::Escalated => PublicStatus::Open,
            State::AwaitingCustomer | State::AwaitingPartner => PublicStatus::AttentionNeeded,
            State::Resolved | State::Closed => PublicStatus::Closed,
        }
    }

    /// Whether a request may be in this state while `tier` holds it.
    pub fn allowed_at(self, tier: Tier) -> bool {
        match self {
            State::New | State::AwaitingCustomer => tier == Tier::Partner,
            State::Escalated | State::AwaitingPartner => tier == Tier::Operator,
            State::InProgress | State::Resolved | State::Closed => true,
        }
    }
}

/// What someone does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The holder starts working it.
    Start,
    /// The partner needs something from the customer.
    AwaitCustomer,
    /// The operator needs something from the partner.
    AwaitPartner,
    /// The awaited party answered.
    ProvideInfo,
    /// The partner hands it to the operator.
    Escalate,
    Resolve,
    /// The filer is not satisfied with a resolution (within `REOPEN_WINDOW`).
    Reopen,
    /// Confirm a resolution, or withdraw the request.
    Close,
}

crate::enum_text!(Action {
    Start => "start",
    AwaitCustomer => "await_customer",
    AwaitPartner => "await_partner",
    ProvideInfo => "provide_info",
    Escalate => "escalate",
    Resolve => "resolve",
    Reopen => "reopen",
    Close => "close",
});

/// How long after a resolution the filer may reopen it.
pub const REOPEN_WINDOW: SignedDuration = SignedDuration::from_hours(14 * 24);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IllegalTransition {
    #[error("cannot {action} a request that is {state} at the {tier} tier")]
    NotFromHere {
        state: State,
        tier: Tier,
        action: Action,
    },
    #[error("the 14-day window to reopen this request has passed")]
    ReopenWindowPassed,
    #[error("only a request that reached the operator is reviewed")]
    NotEscalated,
    #[error("the partner has disputed this verdict: a lead decides it")]
    ReviewDisputed,
    #[error("only an improper verdict can be disputed")]
    NothingToDispute,
    #[error("this verdict has already been disputed")]
    AlreadyDisputed,
    #[error("there is no dispute to decide")]
    NotDisputed,
    #[error("this dispute has already been decided")]
    AlreadyDecided,
    #[error("a plan cannot go from {from} to {to}")]
    PlanStatus {
        from: &'static str,
        to: &'static str,
    },
    #[error("the partner's global admin must acknowledge the plan before its work starts")]
    PlanNotAcknowledged,
    #[error("schedule the meeting (time and attendees) first")]
    PlanWithoutMeeting,
}

/// Where `action` takes a request in `state` held by `tier`.
pub fn transition(
    state: State,
    tier: Tier,
    action: Action,
) -> Result<(State, Tier), IllegalTransition> {
    use {Action as A, State as S, Tier as T};
    let next = match (action, state, tier) {
        (A::Start, S::New, T::Partner) => (S::InProgress, T::Partner),
        (A::Start, S::Escalated, T::Operator) => (S::InProgress, T::Operator),
        (A::AwaitCustomer, S::New | S::InProgress, T::Partner) => (S::AwaitingCustomer, T::Partner),
        (A::AwaitPartner, S::Escalated | S::InProgress, T::Operator) => {
            (S::AwaitingPartner, T::Operator)
        }
        (A::ProvideInfo, S::AwaitingCustomer, T::Partner) => (S::InProgress, T::Partner),
        (A::ProvideInfo, S::AwaitingPartner, T::Operator) => (S::InProgress, T::Operator),
        (A::Escalate, S::New | S::InProgress | S::AwaitingCustomer, T::Partner) => {
            (S::Escalated, T::Operator)
        }
        (A::Resolve, s, t) if !matches!(s, S::Resolved | S::Closed) => (S::Resolved, t),
        (A::Reopen, S::Resolved, t) => (S::InProgress, t),
        (A::Close, s, t) if s != S::Closed => (S::Closed, t),
        _ => {
            return Err(IllegalTransition::NotFromHere {
                state,
                tier,
                action,
            });
        }
    };
    Ok(next)
}

/// `transition`, plus the rules that need the clock.
pub fn transition_at(
    state: State,
    tier: Tier,
    action: Action,
    resolved_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<(State, Tier), IllegalTransition> {
    let next = transition(state, tier, action)?;
    if action == Action::Reopen {
        let resolved_at = resolved_at.unwrap_or(now);
        if now.duration_since(resolved_at) > REOPEN_WINDOW {
            return Err(IllegalTransition::ReopenWindowPassed);
        }
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_action() -> impl Strategy<Value = Action> {
        proptest::sample::select(Action::ALL.to_vec())
    }

    #[test]
    fn on_behalf_flow_reaches_closed() {
        let mut at = (State::Escalated, Tier::Operator);
        for action in [
            Action::Start,
            Action::AwaitPartner,
            Action::ProvideInfo,
            Action::Resolve,
            Action::Close,
        ] {
            at = transition(at.0, at.1, action).unwrap();
        }
        assert_eq!(at, (State::Closed, Tier::Operator));
    }

    #[test]
    fn customer_filed_request_escalates_to_operator() {
        let at = transition(State::New, Tier::Partner, Action::Escalate).unwrap();
        assert_eq!(at, (State::Escalated, Tier::Operator));
        assert!(transition(State::Escalated, Tier::Operator, Action::Escalate).is_err());
    }

    #[test]
    fn closed_is_final() {
        for action in Action::ALL {
            assert!(
                transition(State::Closed, Tier::Operator, *action).is_err(),
                "{action}"
            );
        }
    }

    #[test]
    fn reopen_only_within_fourteen_days() {
        let resolved = Timestamp::from_second(1_700_000_000).unwrap();
        let day = SignedDuration::from_hours(24);
        let ok = transition_at(
            State::Resolved,
            Tier::Operator,
            Action::Reopen,
            Some(resolved),
            resolved + day * 14,
        );
        assert_eq!(ok, Ok((State::InProgress, Tier::Operator)));
        let late = transition_at(
            State::Resolved,
            Tier::Operator,
            Action::Reopen,
            Some(resolved),
            resolved + day * 15,
        );
        assert_eq!(late, Err(IllegalTransition::ReopenWindowPassed));
    }

    #[test]
    fn public_status_mapping_covers_every_state() {
        for public in PublicStatus::ALL {
            for state in public.states() {
                assert_eq!(state.public_status(), *public);
            }
        }
        let mapped: usize = PublicStatus::ALL.iter().map(|p| p.states().len()).sum();
        assert_eq!(mapped, State::ALL.len());
    }

    proptest! {
        /// No sequence of actions, legal or not, reaches a state its tier may not hold, and
        /// a refused action leaves the request where it was.
        #[test]
        fn no_sequence_reaches_an_illegal_state(
            start_escalated in any::<bool>(),
            actions in proptest::collection::vec(any_action(), 0..40),
        ) {
            let mut at = if start_escalated { (State::Escalated, Tier::Operator) } else { (State::New, Tier::Partner) };
            for action in actions {
                match transition(at.0, at.1, action) {
                    Ok(next) => {
                        prop_assert!(next.0.allowed_at(next.1), "{:?} via {action}", next);
                        // The operator never hands a request back down the chain.
                        prop_assert!(!(at.1 == Tier::Operator && next.1 == Tier::Partner));
                        prop_assert!(at.0 != State::Closed);
                        at = next;
                    }
                    Err(_) => prop_assert!(at.0.allowed_at(at.1)),
                }
            }
        }
    }
}
