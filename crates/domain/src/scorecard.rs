//! A partner's escalation quality over a period (product.md "Escalation quality"): the counts,
//! the rates made from them, and whether the partner crossed the remediation threshold.

use jiff::SignedDuration;

/// When a partner is proposed a remediation plan: at least `improper_percent` % of at least
/// `min_escalations` escalations improper (product.md's default: 20 % of 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    pub improper_percent: i64,
    pub min_escalations: i64,
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold {
            improper_percent: 20,
            min_escalations: 10,
        }
    }
}

/// What was counted for one partner in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub escalations: i64,
    pub deflections: i64,
    pub improper: i64,
    pub disputes: i64,
    pub disputes_won: i64,
    pub sla_met: i64,
    pub sla_breached: i64,
}

/// The counts and what they mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub counts: Counts,
    /// Of the problems the partner met, the share it stopped before escalating (percent).
    pub deflection_rate: Option<f64>,
    pub improper_rate: Option<f64>,
    pub median_first_contact: Option<SignedDuration>,
    pub p90_first_contact: Option<SignedDuration>,
    /// First responses within target, of those decided (percent).
    pub sla_attainment: Option<f64>,
    pub over_threshold: bool,
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The value below which `p` percent of the values lie (nearest rank), from a histogram of
/// (value, how many) sorted by value.
fn percentile(sorted: &[(SignedDuration, i64)], p: i64) -> Option<SignedDuration> {
    let total: i64 = sorted.iter().map(|(_, n)| n).sum();
    if total <= 0 {
        return None;
    }
    let rank = ((p * total + 99) / 100).max(1);
    let mut seen = 0;
    sorted.iter().find_map(|(value, n)| {
        seen += n;
        (seen >= rank).then_some(*value)
    })
}

impl Scorecard {
    /// From the counts and the times from escalation to first contact, as a histogram of
    /// (time, how many requests waited it).
    pub fn new(
        counts: Counts,
        mut first_contact: Vec<(SignedDuration, i64)>,
        threshold: Threshold,
    ) -> Self {
        first_contact.sort();
        let improper_rate = percent(counts.improper, counts.escalations);
        Scorecard {
            deflection_rate: percent(counts.deflections, counts.deflections + counts.escalations),
            improper_rate,
            median_first_contact: percentile(&first_contact, 50),
            p90_first_contact: percentile(&first_contact, 90),
            sla_attainment: percent(counts.sla_met, counts.sla_met + counts.sla_breached),
            over_threshold: counts.escalations >= threshold.min_escalations
                && counts.improper * 100 >= threshold.improper_percent * counts.escalations,
            counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mins(m: &[i64]) -> Vec<(SignedDuration, i64)> {
        m.iter()
            .map(|m| (SignedDuration::from_mins(*m), 1))
            .collect()
    }

    #[test]
    fn rates_percentiles_and_the_threshold() {
        let counts = Counts {
            escalations: 10,
            deflections: 30,
            improper: 2,
            sla_met: 3,
            sla_breached: 1,
            ..Counts::default()
        };
        let card = Scorecard::new(counts, mins(&[50, 10, 40, 20, 30]), Threshold::default());
        assert_eq!(card.deflection_rate, Some(75.0));
        assert_eq!(card.improper_rate, Some(20.0));
        assert_eq!(card.sla_attainment, Some(75.0));
        assert_eq!(
            card.median_first_contact,
            Some(SignedDuration::from_mins(30))
        );
        assert_eq!(card.p90_first_contact, Some(SignedDuration::from_mins(50)));
        assert!(card.over_threshold, "20 % of 10 is at the threshold");
        // A histogram counts each value as often as it says.
        let skewed = vec![
            (SignedDuration::from_mins(60), 1),
            (SignedDuration::from_mins(5), 9),
        ];
        let card = Scorecard::new(counts, skewed, Threshold::default());
        assert_eq!(
            card.median_first_contact,
            Some(SignedDuration::from_mins(5))
        );
        assert_eq!(card.p90_first_contact, Some(SignedDuration::from_mins(5)));
        let fewer = Counts {
            escalations: 9,
            improper: 9,
            ..counts
        };
        assert!(!Scorecard::new(fewer, vec![], Threshold::default()).over_threshold);
        let better = Counts {
            improper: 1,
            ..counts
        };
        assert!(!Scorecard::new(better, vec![], Threshold::default()).over_threshold);
    }

    #[test]
    fn nothing_counted_means_no_rates() {
        let card = Scorecard::new(Counts::default(), vec![], Threshold::default());
        assert_eq!(
            (
                card.deflection_rate,
                card.improper_rate,
                card.sla_attainment,
                card.median_first_contact
            ),
            (None, None, None, None)
        );
        assert!(!card.over_threshold);
    }
}
