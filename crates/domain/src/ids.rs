//! Identifiers: GUIDs for organizations and users, numeric strings for requests.

use std::{fmt, str::FromStr};

/// A GUID, as Partner Center writes tenant, partner and user ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(uuid::Uuid);

impl Guid {
    pub fn new_random() -> Self {
        Guid(uuid::Uuid::new_v4())
    }
    /// A stable GUID derived from a name: the demo world gets the same ids on every machine.
    pub fn from_name(name: &str) -> Self {
        Guid(uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_OID,
            name.as_bytes(),
        ))
    }
}

impl FromStr for Guid {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s.trim()).map(Guid)
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// A service request id: a positive integer, written as a numeric string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(i64);

impl RequestId {
    pub fn new(value: i64) -> Option<Self> {
        (value > 0).then_some(RequestId(value))
    }
    pub fn get(self) -> i64 {
        self.0
    }
}

impl FromStr for RequestId {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        s.parse::<i64>().ok().and_then(RequestId::new).ok_or(())
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_positive_numeric_strings() {
        assert_eq!(
            "615112491169010".parse::<RequestId>().map(RequestId::get),
            Ok(615112491169010)
        );
        for bad in ["", "0", "-1", "1e3", " 1", "9999999999999999999", "١٢"] {
            assert!(bad.parse::<RequestId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn named_guids_are_stable() {
        assert_eq!(Guid::from_name("contoso"), Guid::from_name("contoso"));
        assert_ne!(Guid::from_name("contoso"), Guid::from_name("tailspin"));
        let text = Guid::from_name("contoso").to_string();
        assert_eq!(text.parse::<Guid>().unwrap().to_string(), text);
    }
}
