//! First-response targets: how long the operator has to contact the partner, per severity, and
//! in which hours that time is counted — per category (billing keeps office hours).

use std::collections::BTreeSet;

use jiff::{SignedDuration, tz::TimeZone};

use super::{Calendar, Window};
use crate::{Category, Severity};

/// A target: this much open time of this calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Target<'a> {
    pub first_response: SignedDuration,
    pub hours: &'a Calendar,
}

/// An SLA policy (product.md's defaults in `SlaPolicy::default_in`).
#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicy {
    /// First-response time per severity: critical, moderate, minimal.
    pub first_response: [SignedDuration; 3],
    /// When critical requests' clocks run.
    pub critical_hours: Calendar,
    /// When moderate and minimal requests' clocks run.
    pub standard_hours: Calendar,
    /// When billing requests' clocks run (whatever their severity; they are at most moderate).
    pub billing_hours: Calendar,
}

impl SlaPolicy {
    /// product.md: 2 h around the clock for critical; 4 h / 8 h within 09:00–24:00 every day;
    /// billing 09:00–18:00 Monday to Friday; all in the operator's `zone`.
    pub fn default_in(zone: TimeZone) -> SlaPolicy {
        let every_day: Vec<usize> = (0..7).collect();
        let weekdays: Vec<usize> = (0..5).collect();
        SlaPolicy {
            first_response: [Severity::Critical, Severity::Moderate, Severity::Minimal]
                .map(|s| SignedDuration::from_hours(s.default_first_response_hours())),
            critical_hours: Calendar::around_the_clock(),
            standard_hours: Calendar::daily(
                zone.clone(),
                Window::hours(9, 24),
                &every_day,
                BTreeSet::new(),
            )
            .expect("a valid default calendar"),
            billing_hours: Calendar::daily(zone, Window::hours(9, 18), &weekdays, BTreeSet::new())
                .expect("a valid default calendar"),
        }
    }

    /// The target of a request of this severity and category.
    pub fn target(&self, severity: Severity, category: Category) -> Target<'_> {
        let index = (severity.rank() - 1) as usize;
        let hours = match (category, severity) {
            (Category::Billing, _) => &self.billing_hours,
            (_, Severity::Critical) => &self.critical_hours,
            _ => &self.standard_hours,
        };
        Target {
            first_response: self.first_response[index],
            hours,
        }
    }
}
