//! The one error type that reaches the edges. Each variant has a stable machine-readable code;
//! the edges map it to an HTTP status (or an exit code) and translate the message.

use partnerdesk_domain::{FieldError, IllegalTransition};
use partnerdesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    IllegalTransition(#[from] IllegalTransition),
    #[error("{0} already exists")]
    Duplicate(&'static str),
    #[error("the object changed since it was read")]
    PreconditionFailed,
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::BadCredentials => "bad_credentials",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Invalid(_) => "invalid_input",
            AppError::IllegalTransition(_) => "illegal_transition",
            AppError::Duplicate(_) => "duplicate",
            AppError::PreconditionFailed => "precondition_failed",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn field(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::field(error)
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Duplicate(_) => AppError::Duplicate("object"),
            StoreError::Concurrent => AppError::PreconditionFailed,
            StoreError::Unavailable(message) => AppError::Unavailable(message),
            StoreError::Files(message) => AppError::Unavailable(message),
            other => AppError::Internal(other.to_string()),
        }
    }
}
