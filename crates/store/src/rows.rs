//! Reading typed values out of rows of any engine's driver, and the time encoding (unix
//! microseconds).

use std::str::FromStr;

use jiff::Timestamp;
use partnerdesk_domain::{EnumText, Guid};
use sqlx::{ColumnIndex, Decode, Row, Type};

use crate::StoreError;

/// A row's columns by name, whichever driver read it: sqlx's `Any` for most reads, an engine's
/// own for the hottest (`native.rs`). Every column partnerdesk reads is text or a 64-bit
/// integer, on both engines.
pub(crate) trait Columns {
    fn opt_str(&self, column: &str) -> Result<Option<&str>, StoreError>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError>;
}

impl<R: Row> Columns for R
where
    for<'r> &'r str: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'c> &'c str: ColumnIndex<R>,
{
    fn opt_str(&self, column: &str) -> Result<Option<&str>, StoreError> {
        Ok(self.try_get::<Option<&str>, _>(column)?)
    }

    fn opt_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get::<Option<i64>, _>(column)?)
    }
}

fn present<T>(value: Option<T>, column: &str) -> Result<T, StoreError> {
    value.ok_or_else(|| StoreError::Corrupt(format!("{column} is NULL")))
}

pub(crate) fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

pub(crate) fn timestamp(micros: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(micros).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn text(row: &(impl Columns + ?Sized), column: &str) -> Result<String, StoreError> {
    present(row.opt_str(column)?, column).map(str::to_string)
}

pub(crate) fn opt_text(
    row: &(impl Columns + ?Sized),
    column: &str,
) -> Result<Option<String>, StoreError> {
    Ok(row.opt_str(column)?.map(str::to_string))
}

pub(crate) fn int(row: &(impl Columns + ?Sized), column: &str) -> Result<i64, StoreError> {
    present(row.opt_int(column)?, column)
}

pub(crate) fn flag(row: &(impl Columns + ?Sized), column: &str) -> Result<bool, StoreError> {
    Ok(int(row, column)? != 0)
}

pub(crate) fn time(row: &(impl Columns + ?Sized), column: &str) -> Result<Timestamp, StoreError> {
    timestamp(int(row, column)?)
}

pub(crate) fn opt_time(
    row: &(impl Columns + ?Sized),
    column: &str,
) -> Result<Option<Timestamp>, StoreError> {
    row.opt_int(column)?.map(timestamp).transpose()
}

pub(crate) fn guid(row: &(impl Columns + ?Sized), column: &str) -> Result<Guid, StoreError> {
    parse_guid(present(row.opt_str(column)?, column)?)
}

pub(crate) fn opt_guid(
    row: &(impl Columns + ?Sized),
    column: &str,
) -> Result<Option<Guid>, StoreError> {
    row.opt_str(column)?.map(parse_guid).transpose()
}

fn parse_guid(text: &str) -> Result<Guid, StoreError> {
    Guid::from_str(text).map_err(|_| StoreError::Corrupt(format!("bad GUID {text:?}")))
}

pub(crate) fn word<E: EnumText>(
    row: &(impl Columns + ?Sized),
    column: &str,
) -> Result<E, StoreError> {
    let value = present(row.opt_str(column)?, column)?;
    E::parse_text(value).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

pub(crate) fn opt_word<E: EnumText>(
    row: &(impl Columns + ?Sized),
    column: &str,
) -> Result<Option<E>, StoreError> {
    match row.opt_str(column)? {
        Some(value) => E::parse_text(value)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("{column}: {e}"))),
        None => Ok(None),
    }
}
