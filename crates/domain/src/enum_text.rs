//! One text encoding for every enum: snake_case words, parsed case-insensitively.

use std::fmt;

/// A value that is not one of an enum's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not one of: {}", .allowed.join(", "))]
pub struct UnknownValue {
    pub value: String,
    pub allowed: Vec<&'static str>,
}

/// An enum written as fixed snake_case words.
pub trait EnumText: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    /// Parses any letter case, with `-` or `_` or nothing between words
    /// (`AttentionNeeded`, `attention-needed`, `attention_needed`).
    fn parse_text(text: &str) -> Result<Self, UnknownValue> {
        // The word itself, as stored and as most clients send it, is found without normalizing.
        let exact = Self::ALL.iter().copied().find(|v| v.as_str() == text);
        exact
            .or_else(|| {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| normalized(v.as_str()).eq(normalized(text)))
            })
            .ok_or_else(|| UnknownValue {
                value: text.to_string(),
                allowed: Self::ALL.iter().map(|v| v.as_str()).collect(),
            })
    }
}

/// The text's letters in lower case, without the separators between words.
fn normalized(text: &str) -> impl Iterator<Item = char> + '_ {
    text.trim()
        .chars()
        .filter(|c| *c != '_' && *c != '-' && *c != ' ')
        .flat_map(char::to_lowercase)
}

/// Implements `EnumText`, `Display` and serde (as the word) for a fieldless enum.
#[macro_export]
macro_rules! enum_text {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $crate::EnumText for $ty {
            const ALL: &'static [Self] = &[$(<$ty>::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::EnumText::as_str(*self))
            }
        }
        impl std::str::FromStr for $ty {
            type Err = $crate::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty as $crate::EnumText>::parse_text(s)
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::EnumText::as_str(*self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$ty as $crate::EnumText>::parse_text(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

impl fmt::Display for crate::fields::FieldErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PublicStatus;

    #[test]
    fn parses_any_case_and_separator() {
        for text in [
            "attention_needed",
            "AttentionNeeded",
            "ATTENTION-NEEDED",
            " attentionneeded ",
        ] {
            assert_eq!(
                PublicStatus::parse_text(text),
                Ok(PublicStatus::AttentionNeeded),
                "{text}"
            );
        }
    }

    #[test]
    fn unknown_word_lists_the_allowed_ones() {
        let err = PublicStatus::parse_text("pending").unwrap_err();
        assert_eq!(err.value, "pending");
        assert!(err.allowed.contains(&"open"));
        assert!(err.to_string().contains("attention_needed"));
    }
}
