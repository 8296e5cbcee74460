//! Validation of user-supplied fields: every failure names its field.

use crate::UnknownValue;

/// What is wrong with a field. `code()` is stable: clients and translations key on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldErrorKind {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    Invalid {
        reason: String,
    },
    NotOneOf {
        allowed: Vec<&'static str>,
    },
    /// An uploaded file over the size limit (or a list over its count limit, `unit` says).
    TooLarge {
        max: usize,
        unit: SizeUnit,
    },
}

/// What a `TooLarge` limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeUnit {
    Megabytes,
    Files,
}

impl FieldErrorKind {
    pub fn code(&self) -> &'static str {
        match self {
            FieldErrorKind::Required => "required",
            FieldErrorKind::TooLong { .. } => "too_long",
            FieldErrorKind::TooShort { .. } => "too_short",
            FieldErrorKind::Invalid { .. } => "invalid",
            FieldErrorKind::NotOneOf { .. } => "not_one_of",
            FieldErrorKind::TooLarge { .. } => "too_large",
        }
    }
}

/// A field that failed validation, named as the API spells it (camelCase).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {kind}")]
pub struct FieldError {
    pub field: &'static str,
    pub kind: FieldErrorKind,
}

impl FieldError {
    pub fn required(field: &'static str) -> Self {
        FieldError {
            field,
            kind: FieldErrorKind::Required,
        }
    }
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        FieldError {
            field,
            kind: FieldErrorKind::Invalid {
                reason: reason.into(),
            },
        }
    }
    pub fn not_one_of(field: &'static str, err: UnknownValue) -> Self {
        FieldError {
            field,
            kind: FieldErrorKind::NotOneOf {
                allowed: err.allowed,
            },
        }
    }
}

/// Trims `value` and checks its length in characters; `None` or blank is `Required`.
pub fn required_text(
    field: &'static str,
    value: Option<&str>,
    max_chars: usize,
) -> Result<String, FieldError> {
    match optional_text(field, value, max_chars)? {
        Some(text) => Ok(text),
        None => Err(FieldError::required(field)),
    }
}

/// Like `required_text`, but blank is `None`.
pub fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, FieldError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max_chars {
        return Err(FieldError {
            field,
            kind: FieldErrorKind::TooLong { max: max_chars },
        });
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::invalid(
            field,
            "control characters are not allowed",
        ));
    }
    Ok(Some(text.to_string()))
}

/// Limits on free text, in characters.
pub mod limits {
    pub const TITLE: usize = 250;
    pub const DESCRIPTION: usize = 20_000;
    pub const NOTE: usize = 10_000;
    pub const TROUBLESHOOTING: usize = 10_000;
    pub const NAME: usize = 200;
    pub const EMAIL: usize = 254;
    pub const PHONE: usize = 40;
    pub const SHORT: usize = 100;
    pub const SEARCH: usize = 200;
    pub const IDEMPOTENCY_KEY: usize = 200;
}

/// A plausible e-mail address: one `@`, something on both sides, a dot in the domain.
pub fn email(field: &'static str, value: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(text) = optional_text(field, value, limits::EMAIL)? else {
        return Ok(None);
    };
    let valid = match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(Some(text.to_lowercase()))
    } else {
        Err(FieldError::invalid(field, "not an e-mail address"))
    }
}

/// A language tag such as `en-US`, `zh-CN`, `ru`: letters, digits and hyphens, 2–35 chars.
pub fn locale(field: &'static str, value: &str) -> Result<String, FieldError> {
    let text = value.trim();
    let valid = (2..=35).contains(&text.len())
        && text
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
        && text.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if valid {
        Ok(text.to_string())
    } else {
        Err(FieldError::invalid(
            field,
            "not a language tag such as en-US",
        ))
    }
}

/// An ISO 3166-1 alpha-2 country code, upper-cased.
pub fn country_code(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<String>, FieldError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.len() == 2 && text.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(Some(text.to_ascii_uppercase()))
    } else {
        Err(FieldError::invalid(field, "not a two-letter country code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_measures_characters_not_bytes() {
        assert_eq!(
            required_text("title", Some("  邮件  "), 2),
            Ok("邮件".to_string())
        );
        let err = required_text("title", Some("邮件无法"), 3).unwrap_err();
        assert_eq!(err.kind, FieldErrorKind::TooLong { max: 3 });
        assert_eq!(err.field, "title");
    }

    #[test]
    fn blank_is_missing() {
        assert_eq!(
            required_text("title", Some("   "), 10),
            Err(FieldError::required("title"))
        );
        assert_eq!(optional_text("x", Some(" "), 10), Ok(None));
    }

    #[test]
    fn control_characters_are_refused_but_newlines_kept() {
        assert!(required_text("description", Some("a\u{0}b"), 10).is_err());
        assert_eq!(
            required_text("description", Some("a\nb"), 10),
            Ok("a\nb".into())
        );
    }

    #[test]
    fn emails_and_locales_and_countries() {
        assert_eq!(
            email("email", Some("Agent@Contoso.Example")),
            Ok(Some("agent@contoso.example".into()))
        );
        for bad in ["agent", "@x.y", "a@b", "a@.b", "a b@c.d", "a@b.c@d.e"] {
            assert!(email("email", Some(bad)).is_err(), "{bad}");
        }
        assert!(locale("agentLocale", "zh-CN").is_ok());
        assert!(locale("agentLocale", "../etc").is_err());
        assert_eq!(
            country_code("countryCode", Some("cn")),
            Ok(Some("CN".into()))
        );
        assert!(country_code("countryCode", Some("CHN")).is_err());
    }
}
