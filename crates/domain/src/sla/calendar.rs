//! When an SLA clock runs: daily windows of local time in one time zone, except on holidays, or
//! around the clock. Time is counted only inside the windows.

use std::collections::BTreeSet;

use jiff::{
    SignedDuration, Timestamp,
    civil::{Date, DateTime},
    tz::TimeZone,
};

/// One daily window, in minutes after local midnight: `start` < `end` ≤ 1440 (24:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    pub start: u16,
    pub end: u16,
}

impl Window {
    pub const WHOLE_DAY: Window = Window {
        start: 0,
        end: MINUTES_PER_DAY,
    };

    /// `from`..`until` in whole hours (`until` up to 24).
    pub fn hours(from: u16, until: u16) -> Window {
        Window {
            start: from * 60,
            end: until * 60,
        }
    }
}

const MINUTES_PER_DAY: u16 = 24 * 60;
/// How far ahead the calendar looks for open time before it gives up (a calendar whose holidays
/// close ten years in a row is a configuration error, refused by `new`).
const HORIZON_DAYS: usize = 3660;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("a window must start before it ends, within 00:00–24:00")]
    BadWindow,
    #[error("windows of one day must not overlap")]
    Overlap,
    #[error("the calendar has no open hours")]
    NeverOpen,
}

/// The hours a clock runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    zone: TimeZone,
    /// Windows of each weekday, Monday first, sorted.
    week: [Vec<Window>; 7],
    holidays: BTreeSet<Date>,
}

impl Calendar {
    /// A calendar of `week` (Monday first) in `zone`, closed on `holidays`.
    pub fn new(
        zone: TimeZone,
        week: [Vec<Window>; 7],
        holidays: BTreeSet<Date>,
    ) -> Result<Calendar, CalendarError> {
        let mut week = week;
        for day in &mut week {
            day.sort();
            if day
                .iter()
                .any(|w| w.start >= w.end || w.end > MINUTES_PER_DAY)
            {
                return Err(CalendarError::BadWindow);
            }
            if day.windows(2).any(|pair| pair[0].end > pair[1].start) {
                return Err(CalendarError::Overlap);
            }
        }
        if week.iter().all(Vec::is_empty) {
            return Err(CalendarError::NeverOpen);
        }
        Ok(Calendar {
            zone,
            week,
            holidays,
        })
    }

    /// Every minute of every day.
    pub fn around_the_clock() -> Calendar {
        Calendar {
            zone: TimeZone::UTC,
            week: std::array::from_fn(|_| vec![Window::WHOLE_DAY]),
            holidays: BTreeSet::new(),
        }
    }

    /// The same `window` on the given weekdays (Monday = 0).
    pub fn daily(
        zone: TimeZone,
        window: Window,
        weekdays: &[usize],
        holidays: BTreeSet<Date>,
    ) -> Result<Calendar, CalendarError> {
        let week = std::array::from_fn(|day| {
            if weekdays.contains(&day) {
                vec![window]
            } else {
                vec![]
            }
        });
        Calendar::new(zone, week, holidays)
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    pub fn week(&self) -> &[Vec<Window>; 7] {
        &self.week
    }

    pub fn holidays(&self) -> &BTreeSet<Date> {
        &self.holidays
    }

    fn local_instant(&self, date: Date, minute: u16) -> Option<Timestamp> {
        let (date, minute) = if minute == MINUTES_PER_DAY {
            (date.tomorrow().ok()?, 0)
        } else {
            (date, minute)
        };
        let time = jiff::civil::Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok()?;
        // In a DST gap the wall-clock time does not exist: jiff moves it forward, so a window
        // starting in the gap opens when the clocks do.
        DateTime::from_parts(date, time)
            .to_zoned(self.zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }

    /// The open intervals from `from` on, in order, clipped to start no earlier than `from`.
    fn open_from(&self, from: Timestamp) -> impl Iterator<Item = (Timestamp, Timestamp)> + '_ {
        let first_day = from.to_zoned(self.zone.clone()).date();
        // The day before too: a window ending after midnight of a DST change is still its day's.
        let start_day = first_day.yesterday().unwrap_or(first_day);
        std::iter::successors(Some(start_day), |d| d.tomorrow().ok())
            .take(HORIZON_DAYS)
            .filter(|d| !self.holidays.contains(d))
            .flat_map(move |date| {
                let weekday = date.weekday().to_monday_zero_offset() as usize;
                self.week[weekday].iter().filter_map(move |w| {
                    let start = self.local_instant(date, w.start)?;
                    let end = self.local_instant(date, w.end)?;
                    (end > from && end > start).then_some((start.max(from), end))
                })
            })
    }

    /// Whether the clock runs at `at` (a window's start is open, its end is not).
    pub fn is_open(&self, at: Timestamp) -> bool {
        self.open_from(at)
            .next()
            .is_some_and(|(start, end)| start <= at && at < end)
    }

    /// The instant when `duration` of open time has passed since `from`. Counting stops exactly
    /// at the end of that time, so the answer is never inside closed hours (at most at the end
    /// of a window). `None` if the calendar has no open time within its horizon.
    pub fn add(&self, from: Timestamp, duration: SignedDuration) -> Option<Timestamp> {
        let mut left = duration.max(SignedDuration::ZERO);
        if left.is_zero() {
            return Some(from);
        }
        for (start, end) in self.open_from(from) {
            let open = end.duration_since(start);
            if open >= left {
                return Some(start + left);
            }
            left -= open;
        }
        None
    }

    /// The open time between `from` and `until` (zero if `until` is not later).
    pub fn open_between(&self, from: Timestamp, until: Timestamp) -> SignedDuration {
        let mut total = SignedDuration::ZERO;
        if until <= from {
            return total;
        }
        for (start, end) in self.open_from(from) {
            if start >= until {
                break;
            }
            total += end.min(until).duration_since(start);
        }
        total
    }
}
