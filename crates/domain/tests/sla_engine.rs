//! The SLA engine: product.md's default targets as tables, and properties over calendars in
//! zones with and without daylight-saving time.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp, civil::date, tz::TimeZone};
use partnerdesk_domain::{
    Category, Severity,
    sla::{Calendar, SlaClock, SlaPolicy, SlaState, Window},
};
use proptest::prelude::*;

fn shanghai() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap()
}

/// A local time in Shanghai as an instant.
fn sh(text: &str) -> Timestamp {
    text.parse::<jiff::civil::DateTime>()
        .unwrap()
        .to_zoned(shanghai())
        .unwrap()
        .timestamp()
}

fn due(policy: &SlaPolicy, severity: Severity, category: Category, at: &str) -> Timestamp {
    let target = policy.target(severity, category);
    SlaClock::start(sh(at)).due(&target).unwrap()
}

#[test]
fn default_targets_fall_where_product_md_says() {
    let policy = SlaPolicy::default_in(shanghai());
    use Category::{Billing, Technical};
    use Severity::{Critical, Minimal, Moderate};
    // 2026-11-27 is a Friday.
    let table = [
        // Critical: two hours, around the clock.
        (Critical, Technical, "2026-11-27T23:00", "2026-11-28T01:00"),
        (Critical, Technical, "2026-11-28T03:30", "2026-11-28T05:30"),
        // Moderate: four hours of 09:00–24:00, every day.
        (Moderate, Technical, "2026-11-27T10:00", "2026-11-27T14:00"),
        (Moderate, Technical, "2026-11-27T23:00", "2026-11-28T12:00"),
        (Moderate, Technical, "2026-11-28T02:00", "2026-11-28T13:00"),
        // Minimal: eight hours of the same.
        (Minimal, Technical, "2026-11-27T08:00", "2026-11-27T17:00"),
        (Minimal, Technical, "2026-11-27T20:00", "2026-11-28T13:00"),
        // Billing: office hours on business days, whatever the severity.
        (Moderate, Billing, "2026-11-27T17:00", "2026-11-30T12:00"),
        (Minimal, Billing, "2026-11-28T10:00", "2026-11-30T17:00"),
        (Moderate, Billing, "2026-11-27T19:00", "2026-11-30T13:00"),
    ];
    for (severity, category, at, expected) in table {
        assert_eq!(
            due(&policy, severity, category, at),
            sh(expected),
            "{severity} {category} escalated {at}"
        );
    }
}

#[test]
fn holidays_close_a_whole_day() {
    let holidays = BTreeSet::from([date(2026, 11, 30)]);
    let hours =
        Calendar::daily(shanghai(), Window::hours(9, 18), &[0, 1, 2, 3, 4], holidays).unwrap();
    assert_eq!(
        hours.add(sh("2026-11-27T17:00"), SignedDuration::from_hours(4)),
        Some(sh("2026-12-01T12:00"))
    );
    assert!(!hours.is_open(sh("2026-11-30T10:00")));
    assert!(hours.is_open(sh("2026-12-01T09:00")));
}

#[test]
fn the_clock_pauses_stops_and_is_replanned() {
    let policy = SlaPolicy::default_in(shanghai());
    let moderate = policy.target(Severity::Moderate, Category::Technical);
    let clock = SlaClock::start(sh("2026-11-27T10:00"));
    // One hour in, the operator awaits the partner for two hours: the due time moves by two.
    let paused = clock.pause(sh("2026-11-27T11:00"), &moderate);
    assert_eq!(
        paused.state(sh("2026-11-27T12:00"), &moderate),
        SlaState::Paused {
            left: SignedDuration::from_hours(3)
        }
    );
    let resumed = paused.resume(sh("2026-11-27T13:00"));
    assert_eq!(resumed.due(&moderate), Some(sh("2026-11-27T16:00")));
    // Near breach past 75 % (three of four hours).
    match resumed.state(sh("2026-11-27T15:00"), &moderate) {
        SlaState::Running { near_breach, .. } => assert!(near_breach),
        other => panic!("{other:?}"),
    }
    // The severity goes to critical: the same consumed time against two hours around the clock.
    let critical = policy.target(Severity::Critical, Category::Technical);
    assert_eq!(resumed.due(&critical), Some(sh("2026-11-27T14:00")));
    assert_eq!(
        resumed.state(sh("2026-11-27T14:30"), &critical),
        SlaState::Breached {
            by: SignedDuration::from_mins(30)
        }
    );
    // The first contact stops it: met, and staying met.
    let contacted = resumed.stop(sh("2026-11-27T15:30"), &moderate);
    assert_eq!(
        contacted.state(sh("2026-11-30T00:00"), &moderate),
        SlaState::Met
    );
    assert_eq!(contacted.resume(sh("2026-11-28T10:00")), contacted);
    // Contacted after the due time: met late, by the open time past it.
    let late = resumed.stop(sh("2026-11-27T16:45"), &moderate);
    assert_eq!(
        late.state(sh("2026-11-28T00:00"), &moderate),
        SlaState::MetLate {
            by: SignedDuration::from_mins(45)
        }
    );
}

#[test]
fn calendars_refuse_windows_that_cannot_be() {
    let zone = shanghai;
    let bad = |week: [Vec<Window>; 7]| Calendar::new(zone(), week, BTreeSet::new()).is_err();
    assert!(bad(std::array::from_fn(|_| vec![])));
    assert!(bad(std::array::from_fn(|_| vec![Window {
        start: 600,
        end: 540
    }])));
    assert!(bad(std::array::from_fn(|_| vec![Window {
        start: 0,
        end: 1441
    }])));
    assert!(bad(std::array::from_fn(|_| vec![
        Window::hours(9, 12),
        Window::hours(11, 13)
    ])));
}

/// Zones with daylight-saving time and without.
const ZONES: &[&str] = &[
    "Asia/Shanghai",
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
];

fn calendar_strategy() -> impl Strategy<Value = Calendar> {
    let window = (0u16..24, 1u16..=24).prop_filter_map("start before end", |(a, b)| {
        (a < b).then(|| Window::hours(a, b))
    });
    let day = prop::collection::vec(window, 0..3).prop_map(|mut ws| {
        // Keep the windows of a day apart.
        ws.sort();
        ws.dedup_by(|b, a| b.start < a.end);
        ws
    });
    (
        prop::sample::select(ZONES),
        prop::array::uniform7(day),
        prop::collection::btree_set(0i64..60, 0..5),
    )
        .prop_filter_map("open sometime", |(zone, week, holidays)| {
            let holidays = holidays
                .into_iter()
                .map(|d| date(2027, 3, 1) + jiff::Span::new().days(d))
                .collect();
            Calendar::new(TimeZone::get(zone).unwrap(), week, holidays).ok()
        })
}

fn instant() -> impl Strategy<Value = Timestamp> {
    // 2027-01-01 .. 2027-12-31: both DST changes of the northern and southern zones.
    (1_798_761_600i64..1_830_297_600).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn duration() -> impl Strategy<Value = SignedDuration> {
    (1i64..(72 * 3600)).prop_map(SignedDuration::from_secs)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The due time is never inside closed hours: exactly `duration` of open time has passed,
    /// and the clock was running right up to it.
    #[test]
    fn due_time_is_never_inside_closed_hours(cal in calendar_strategy(), from in instant(), d in duration()) {
        let due = cal.add(from, d).expect("open within the horizon");
        prop_assert_eq!(cal.open_between(from, due), d);
        let just_before = due - SignedDuration::from_secs(1);
        prop_assert!(just_before < from || cal.is_open(just_before), "closed just before {}", due);
    }

    /// A pause never shortens the time left, nor brings the due time forward.
    #[test]
    fn pausing_never_shortens_time_left(
        cal in calendar_strategy(),
        start in instant(),
        offsets in (0i64..100_000, 0i64..100_000, 0i64..100_000),
        target_secs in 60i64..(40 * 3600),
    ) {
        let target = partnerdesk_domain::sla::Target {
            first_response: SignedDuration::from_secs(target_secs),
            hours: &cal,
        };
        let pause_at = start + SignedDuration::from_secs(offsets.0);
        let resume_at = pause_at + SignedDuration::from_secs(offsets.1);
        let now = resume_at + SignedDuration::from_secs(offsets.2);
        let straight = SlaClock::start(start);
        let paused = straight.pause(pause_at, &target).resume(resume_at);
        prop_assert!(paused.elapsed(now, &target) <= straight.elapsed(now, &target));
        match (paused.due(&target), straight.due(&target)) {
            (Some(a), Some(b)) => prop_assert!(a >= b, "due {} before {}", a, b),
            other => prop_assert!(false, "no due time: {:?}", other),
        }
    }
}
