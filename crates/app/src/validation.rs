//! Reading a submission: every field error collected, each naming its field.

use partnerdesk_domain::{EnumText, FieldError};

use crate::{AppError, Result};

pub(crate) fn parse_word<E: EnumText>(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<E>, FieldError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => E::parse_text(v)
            .map(Some)
            .map_err(|e| FieldError::not_one_of(field, e)),
        None => Ok(None),
    }
}

/// Collects every field error of a submission, so that the user can fix them all at once.
#[derive(Default)]
pub(crate) struct Errors(Vec<FieldError>);

impl Errors {
    pub(crate) fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }
    pub(crate) fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}
