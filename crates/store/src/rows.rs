//! Reading typed values out of `AnyRow`s, and the time encoding (unix microseconds).

use std::str::FromStr;

use jiff::Timestamp;
use partnerdesk_domain::{EnumText, Guid};
use sqlx::{Row, any::AnyRow};

use crate::StoreError;

pub(crate) fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

pub(crate) fn timestamp(micros: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn text(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    Ok(row.try_get::<String, _>(column)?)
}

pub(crate) fn opt_text(row: &AnyRow, column: &str) -> Result<Option<String>, StoreError> {
    Ok(row.try_get::<Option<String>, _>(column)?)
}

pub(crate) fn int(row: &AnyRow, column: &str) -> Result<i64, StoreError> {
    Ok(row.try_get::<i64, _>(column)?)
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool, StoreError> {
    Ok(int(row, column)? != 0)
}

pub(crate) fn time(row: &AnyRow, column: &str) -> Result<Timestamp, StoreError> {
    timestamp(int(row, column)?)
}

pub(crate) fn opt_time(row: &AnyRow, column: &str) -> Result<Option<Timestamp>, StoreError> {
    row.try_get::<Option<i64>, _>(column)?
        .map(timestamp)
        .transpose()
}

pub(crate) fn guid(row: &AnyRow, column: &str) -> Result<Guid, StoreError> {
    parse_guid(&text(row, column)?)
}

pub(crate) fn opt_guid(row: &AnyRow, column: &str) -> Result<Option<Guid>, StoreError> {
    opt_text(row, column)?
        .as_deref()
        .map(parse_guid)
        .transpose()
}

fn parse_guid(text: &str) -> Result<Guid, StoreError> {
    Guid::from_str(text).map_err(|_| StoreError::Corrupt(format!("bad GUID {text:?}")))
}

pub(crate) fn word<E: EnumText>(row: &AnyRow, column: &str) -> Result<E, StoreError> {
    let value = text(row, column)?;
    E::parse_text(&value).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

pub(crate) fn opt_word<E: EnumText>(row: &AnyRow, column: &str) -> Result<Option<E>, StoreError> {
    match opt_text(row, column)? {
        Some(value) => E::parse_text(&value)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("{column}: {e}"))),
        None => Ok(None),
    }
}
