//! Severity of a service request (Partner Center's A/B/C).

use crate::{EnumText, UnknownValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Critical,
    Moderate,
    Minimal,
}

crate::enum_text!(Severity { Critical => "critical", Moderate => "moderate", Minimal => "minimal" });

impl Severity {
    /// Rank for sorting: most severe first.
    /// The operator's first-response target of product.md's default SLA policy, in (clock)
    /// hours.
    pub fn default_first_response_hours(self) -> i64 {
        match self {
            Severity::Critical => 2,
            Severity::Moderate => 4,
            Severity::Minimal => 8,
        }
    }

    pub fn rank(self) -> i64 {
        match self {
            Severity::Critical => 1,
            Severity::Moderate => 2,
            Severity::Minimal => 3,
        }
    }

    /// Parses API input: a word (any case) or Partner Center's legacy integer.
    /// `Ok(None)` is `unknown` / `0`, which means "no change" in a PATCH.
    pub fn parse_input(
        text: Option<&str>,
        number: Option<i64>,
    ) -> Result<Option<Severity>, UnknownValue> {
        let unknown = |value: String| UnknownValue {
            value,
            allowed: vec![
                "unknown", "critical", "moderate", "minimal", "0", "1", "2", "3",
            ],
        };
        // Query strings carry the legacy integers as text.
        let (text, number) = match text.map(|t| t.trim().parse::<i64>()) {
            Some(Ok(n)) => (None, Some(n)),
            _ => (text, number),
        };
        match (text, number) {
            (Some(t), _) if t.trim().eq_ignore_ascii_case("unknown") => Ok(None),
            (Some(t), _) => Severity::parse_text(t)
                .map(Some)
                .map_err(|_| unknown(t.to_string())),
            (None, Some(0)) => Ok(None),
            (None, Some(1)) => Ok(Some(Severity::Critical)),
            (None, Some(2)) => Ok(Some(Severity::Moderate)),
            (None, Some(3)) => Ok(Some(Severity::Minimal)),
            (None, Some(n)) => Err(unknown(n.to_string())),
            (None, None) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_legacy_integers() {
        assert_eq!(
            Severity::parse_input(Some("Critical"), None),
            Ok(Some(Severity::Critical))
        );
        assert_eq!(
            Severity::parse_input(Some("MODERATE"), None),
            Ok(Some(Severity::Moderate))
        );
        assert_eq!(
            Severity::parse_input(None, Some(3)),
            Ok(Some(Severity::Minimal))
        );
        assert_eq!(Severity::parse_input(Some("unknown"), None), Ok(None));
        assert_eq!(Severity::parse_input(None, Some(0)), Ok(None));
        assert!(Severity::parse_input(None, Some(4)).is_err());
        assert!(Severity::parse_input(Some("high"), None).is_err());
    }
}
