//! Remediation plans (product.md): proposed when a partner crosses the improper-escalation
//! threshold, then `proposed → meeting_scheduled → agreed → in_progress → completed`, or
//! `cancelled` from any open status. The partner's global admin acknowledges the plan before
//! its work starts.

use crate::{EnumText, IllegalTransition};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanStatus {
    Proposed,
    MeetingScheduled,
    Agreed,
    InProgress,
    Completed,
    Cancelled,
}
crate::enum_text!(PlanStatus {
    Proposed => "proposed",
    MeetingScheduled => "meeting_scheduled",
    Agreed => "agreed",
    InProgress => "in_progress",
    Completed => "completed",
    Cancelled => "cancelled",
});

impl PlanStatus {
    pub const ALL: [PlanStatus; 6] = [
        PlanStatus::Proposed,
        PlanStatus::MeetingScheduled,
        PlanStatus::Agreed,
        PlanStatus::InProgress,
        PlanStatus::Completed,
        PlanStatus::Cancelled,
    ];

    /// Completed and cancelled plans are closed; a partner has at most one open plan.
    pub fn is_open(self) -> bool {
        !matches!(self, PlanStatus::Completed | PlanStatus::Cancelled)
    }

    /// Whether a plan may move from `self` to `next`, given whether the partner acknowledged
    /// it and whether a meeting is set.
    pub fn check_move(
        self,
        next: PlanStatus,
        acknowledged: bool,
        has_meeting: bool,
    ) -> Result<(), IllegalTransition> {
        use PlanStatus as P;
        let legal = match (self, next) {
            (from, P::Cancelled) => from.is_open(),
            (P::Proposed, P::MeetingScheduled) => has_meeting,
            (P::MeetingScheduled, P::Agreed) => true,
            (P::Agreed, P::InProgress) => acknowledged,
            (P::InProgress, P::Completed) => true,
            _ => false,
        };
        if legal {
            Ok(())
        } else if self.is_open() && next == P::InProgress && !acknowledged {
            Err(IllegalTransition::PlanNotAcknowledged)
        } else if next == P::MeetingScheduled && !has_meeting {
            Err(IllegalTransition::PlanWithoutMeeting)
        } else {
            Err(IllegalTransition::PlanStatus {
                from: self.as_str(),
                to: next.as_str(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PlanStatus as P;
    use crate::IllegalTransition;

    #[test]
    fn a_plan_moves_forward_only_and_works_once_acknowledged() {
        assert_eq!(
            P::Proposed.check_move(P::MeetingScheduled, false, true),
            Ok(())
        );
        assert_eq!(
            P::Proposed.check_move(P::MeetingScheduled, false, false),
            Err(IllegalTransition::PlanWithoutMeeting)
        );
        assert_eq!(
            P::MeetingScheduled.check_move(P::Agreed, false, true),
            Ok(())
        );
        assert_eq!(
            P::Agreed.check_move(P::InProgress, false, true),
            Err(IllegalTransition::PlanNotAcknowledged)
        );
        assert_eq!(P::Agreed.check_move(P::InProgress, true, true), Ok(()));
        assert_eq!(P::InProgress.check_move(P::Completed, true, true), Ok(()));
        assert!(P::Proposed.check_move(P::Completed, true, true).is_err());
        assert!(P::Agreed.check_move(P::Proposed, true, true).is_err());
        for open in [P::Proposed, P::MeetingScheduled, P::Agreed, P::InProgress] {
            assert_eq!(open.check_move(P::Cancelled, false, false), Ok(()));
        }
        assert!(P::Completed.check_move(P::Cancelled, true, true).is_err());
        assert!(P::Cancelled.check_move(P::Proposed, true, true).is_err());
    }
}
