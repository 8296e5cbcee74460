//! The SLA engine of product.md: business-hours calendars, first-response targets per severity
//! and category, and the first-response clock of one request. Pure: every function is given the
//! time it works at.

mod calendar;
mod clock;
mod policy;
mod spec;

pub use calendar::{Calendar, CalendarError, Window};
pub use clock::{NEAR_BREACH_PERCENT, SlaClock, SlaState};
pub use policy::{SlaPolicy, Target};
pub use spec::{HoursSpec, MinutesSpec, PolicySpec};
