//! An SLA policy as the operator's admin writes it (and the API carries it): minutes per
//! severity, and for each kind of hours either around the clock or the same window on chosen
//! weekdays in the policy's time zone, with holidays. `to_policy` checks it field by field.

use std::collections::BTreeSet;

use jiff::{SignedDuration, civil::Date, tz::TimeZone};
use serde::{Deserialize, Serialize};

use super::{Calendar, SlaPolicy, Window};
use crate::FieldError;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct HoursSpec {
    #[serde(default)]
    pub around_the_clock: bool,
    /// `mon` … `sun`.
    #[serde(default)]
    pub days: Vec<String>,
    /// `HH:MM`.
    #[serde(default)]
    pub from: String,
    /// `HH:MM`, up to `24:00`.
    #[serde(default)]
    pub until: String,
    /// `YYYY-MM-DD`: closed all day.
    #[serde(default)]
    pub holidays: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct MinutesSpec {
    pub critical: i64,
    pub moderate: i64,
    pub minimal: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PolicySpec {
    /// An IANA time zone (`Asia/Shanghai`).
    pub time_zone: String,
    pub first_response_minutes: MinutesSpec,
    pub critical_hours: HoursSpec,
    pub standard_hours: HoursSpec,
    pub billing_hours: HoursSpec,
}

fn minute_of_day(field: &'static str, text: &str) -> Result<u16, FieldError> {
    let bad = || FieldError::invalid(field, "a time of day, HH:MM (up to 24:00)");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

impl HoursSpec {
    fn calendar(&self, zone: &TimeZone, field: &'static str) -> Result<Calendar, FieldError> {
        if self.around_the_clock {
            return Ok(Calendar::around_the_clock());
        }
        let weekdays = self
            .days
            .iter()
            .map(|d| {
                DAYS.iter()
                    .position(|known| known.eq_ignore_ascii_case(d.trim()))
                    .ok_or_else(|| {
                        FieldError::invalid(field, "days are mon, tue, wed, thu, fri, sat, sun")
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let window = Window {
            start: minute_of_day(field, &self.from)?,
            end: minute_of_day(field, &self.until)?,
        };
        let holidays = self
            .holidays
            .iter()
            .map(|d| {
                d.trim()
                    .parse::<Date>()
                    .map_err(|_| FieldError::invalid(field, "holidays are dates, YYYY-MM-DD"))
            })
            .collect::<Result<BTreeSet<_>, _>>()?;
        Calendar::daily(zone.clone(), window, &weekdays, holidays)
            .map_err(|e| FieldError::invalid(field, e.to_string()))
    }

    fn of(calendar: &Calendar) -> HoursSpec {
        let week = calendar.week();
        if week.iter().all(|day| day == &[Window::WHOLE_DAY]) && calendar.holidays().is_empty() {
            return HoursSpec {
                around_the_clock: true,
                ..HoursSpec::default()
            };
        }
        let window = week
            .iter()
            .flatten()
            .next()
            .copied()
            .unwrap_or(Window::WHOLE_DAY);
        HoursSpec {
            around_the_clock: false,
            days: DAYS
                .iter()
                .zip(week.iter())
                .filter(|(_, windows)| !windows.is_empty())
                .map(|(d, _)| d.to_string())
                .collect(),
            from: hhmm(window.start),
            until: hhmm(window.end),
            holidays: calendar
                .holidays()
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

impl PolicySpec {
    /// The engine's policy, or the first field that is wrong.
    pub fn to_policy(&self) -> Result<SlaPolicy, FieldError> {
        let zone = TimeZone::get(self.time_zone.trim()).map_err(|_| {
            FieldError::invalid("timeZone", "an IANA time zone, e.g. Asia/Shanghai")
        })?;
        let m = &self.first_response_minutes;
        let mut first_response = [SignedDuration::ZERO; 3];
        for (slot, minutes) in first_response
            .iter_mut()
            .zip([m.critical, m.moderate, m.minimal])
        {
            if !(1..=30 * 24 * 60).contains(&minutes) {
                return Err(FieldError::invalid(
                    "firstResponseMinutes",
                    "from 1 minute to 30 days each",
                ));
            }
            *slot = SignedDuration::from_mins(minutes);
        }
        Ok(SlaPolicy {
            first_response,
            critical_hours: self.critical_hours.calendar(&zone, "criticalHours")?,
            standard_hours: self.standard_hours.calendar(&zone, "standardHours")?,
            billing_hours: self.billing_hours.calendar(&zone, "billingHours")?,
        })
    }

    /// The spec of a policy whose calendars are each one daily window (as specs make them).
    pub fn of(policy: &SlaPolicy) -> PolicySpec {
        let zone = [
            &policy.standard_hours,
            &policy.billing_hours,
            &policy.critical_hours,
        ]
        .iter()
        .filter_map(|c| c.zone().iana_name())
        .find(|name| *name != "UTC")
        .unwrap_or("UTC")
        .to_string();
        let [c, m, n] = policy.first_response.map(|d| d.as_secs() / 60);
        PolicySpec {
            time_zone: zone,
            first_response_minutes: MinutesSpec {
                critical: c,
                moderate: m,
                minimal: n,
            },
            critical_hours: HoursSpec::of(&policy.critical_hours),
            standard_hours: HoursSpec::of(&policy.standard_hours),
            billing_hours: HoursSpec::of(&policy.billing_hours),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_round_trips_through_its_spec() {
        let policy = SlaPolicy::default_in(TimeZone::get("Asia/Shanghai").unwrap());
        let spec = PolicySpec::of(&policy);
        assert_eq!(spec.time_zone, "Asia/Shanghai");
        assert!(spec.critical_hours.around_the_clock);
        assert_eq!(
            (
                spec.standard_hours.from.as_str(),
                spec.standard_hours.until.as_str()
            ),
            ("09:00", "24:00")
        );
        assert_eq!(spec.billing_hours.days, ["mon", "tue", "wed", "thu", "fri"]);
        assert_eq!(spec.to_policy().unwrap(), policy);
    }

    #[test]
    fn a_wrong_spec_names_its_field() {
        let good = PolicySpec::of(&SlaPolicy::default_in(TimeZone::UTC));
        let field = |change: &dyn Fn(&mut PolicySpec)| {
            let mut spec = good.clone();
            change(&mut spec);
            spec.to_policy().unwrap_err().field
        };
        assert_eq!(field(&|s| s.time_zone = "Mars/Olympus".into()), "timeZone");
        assert_eq!(
            field(&|s| s.first_response_minutes.moderate = 0),
            "firstResponseMinutes"
        );
        assert_eq!(
            field(&|s| s.standard_hours.until = "25:00".into()),
            "standardHours"
        );
        assert_eq!(
            field(&|s| s.billing_hours.from = "19:00".into()),
            "billingHours"
        );
        assert_eq!(
            field(&|s| s.billing_hours.days = vec!["fun".into()]),
            "billingHours"
        );
        assert_eq!(
            field(&|s| s.billing_hours.holidays = vec!["soon".into()]),
            "billingHours"
        );
    }
}
