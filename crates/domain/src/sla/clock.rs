//! The first-response clock of one request: it starts when the request reaches the operator,
//! pauses while the operator awaits the partner, and stops at the first contact with the
//! partner. It keeps only what it has consumed so far, so that the target may change (a
//! severity change re-plans it) and the calendar is asked only about the current run.

use jiff::{SignedDuration, Timestamp};

use super::Target;

/// Past this share of the target a running clock is near breach.
pub const NEAR_BREACH_PERCENT: i64 = 75;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaClock {
    /// Open time consumed in finished runs (before a pause or the stop).
    pub consumed: SignedDuration,
    /// Since when it runs; `None` while paused or stopped.
    pub running_since: Option<Timestamp>,
    /// The first contact, which stopped it.
    pub stopped_at: Option<Timestamp>,
}

/// Where a clock stands at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaState {
    /// Counting down: `left` of open time until `due`.
    Running {
        due: Timestamp,
        left: SignedDuration,
        near_breach: bool,
    },
    /// Awaiting the partner with `left` to go when it resumes.
    Paused { left: SignedDuration },
    /// At or past the target without a contact (`by` open time late).
    Breached { by: SignedDuration },
    /// Contacted within the target.
    Met,
    /// Contacted, but late.
    MetLate { by: SignedDuration },
}

impl SlaClock {
    pub fn start(at: Timestamp) -> SlaClock {
        SlaClock {
            consumed: SignedDuration::ZERO,
            running_since: Some(at),
            stopped_at: None,
        }
    }

    fn settle(self, at: Timestamp, target: &Target<'_>) -> SlaClock {
        match self.running_since {
            Some(since) => SlaClock {
                consumed: self.consumed + target.hours.open_between(since, at),
                running_since: None,
                ..self
            },
            None => self,
        }
    }

    /// Stops counting (the request awaits the partner).
    pub fn pause(self, at: Timestamp, target: &Target<'_>) -> SlaClock {
        self.settle(at, target)
    }

    /// Counts again (the partner answered); a stopped clock stays stopped.
    pub fn resume(self, at: Timestamp) -> SlaClock {
        if self.stopped_at.is_some() || self.running_since.is_some() {
            return self;
        }
        SlaClock {
            running_since: Some(at),
            ..self
        }
    }

    /// The first contact: the clock stops for good (a later contact changes nothing).
    pub fn stop(self, at: Timestamp, target: &Target<'_>) -> SlaClock {
        if self.stopped_at.is_some() {
            return self;
        }
        SlaClock {
            stopped_at: Some(at),
            ..self.settle(at, target)
        }
    }

    /// Open time counted until `now`.
    pub fn elapsed(&self, now: Timestamp, target: &Target<'_>) -> SignedDuration {
        self.settle(now, target).consumed
    }

    /// When the target runs out if the clock keeps running (`None` unless running).
    pub fn due(&self, target: &Target<'_>) -> Option<Timestamp> {
        let since = self.running_since?;
        let left = target.first_response - self.consumed;
        if left <= SignedDuration::ZERO {
            return Some(since);
        }
        target.hours.add(since, left)
    }

    pub fn state(&self, now: Timestamp, target: &Target<'_>) -> SlaState {
        let elapsed = self.elapsed(now, target);
        let left = target.first_response - elapsed;
        if self.stopped_at.is_some() {
            return if left >= SignedDuration::ZERO {
                SlaState::Met
            } else {
                SlaState::MetLate { by: -left }
            };
        }
        if left <= SignedDuration::ZERO {
            return SlaState::Breached { by: -left };
        }
        match self.due(target) {
            Some(due) => SlaState::Running {
                due,
                left,
                near_breach: elapsed.as_secs() * 100
                    >= target.first_response.as_secs() * NEAR_BREACH_PERCENT,
            },
            None => SlaState::Paused { left },
        }
    }
}
