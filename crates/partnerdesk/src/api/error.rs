//! The one error body of api.md, `{code, description, data, source}`, with the right status and
//! the description in the caller's language. Internals are logged, never shown.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use partnerdesk_app::{
    AppError,
    domain::{FieldError, FieldErrorKind},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Locale;

#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    BadBody(String),
    TooLarge,
    UnsupportedMediaType,
    /// The error, to be described in this language.
    Localized(Box<ApiError>, Locale),
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::App(AppError::field(e))
    }
}

impl ApiError {
    pub fn in_locale(self, locale: Locale) -> Self {
        match self {
            ApiError::Localized(inner, _) => ApiError::Localized(inner, locale),
            other => ApiError::Localized(Box::new(other), locale),
        }
    }
}

fn status(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::BAD_REQUEST,
        AppError::IllegalTransition(_) | AppError::Duplicate(_) => StatusCode::CONFLICT,
        AppError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The error body of api.md.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code, e.g. `invalid_input`, `not_found`, `illegal_transition`.
    code: &'static str,
    /// What went wrong, in the caller's language.
    description: String,
    /// One entry per bad field.
    data: Vec<FieldProblem>,
    source: &'static str,
}

/// One bad field: which, why, and in words.
#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    field: &'static str,
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed: Option<Vec<&'static str>>,
}

fn field_entry(error: &FieldError, locale: Locale) -> FieldProblem {
    let mut entry = FieldProblem {
        field: error.field,
        code: error.kind.code(),
        message: locale.field_message(error),
        max: None,
        min: None,
        allowed: None,
    };
    match &error.kind {
        FieldErrorKind::TooLong { max } => entry.max = Some(*max),
        FieldErrorKind::TooLarge { max, .. } => entry.max = Some(*max),
        FieldErrorKind::TooShort { min } => entry.min = Some(*min),
        FieldErrorKind::NotOneOf { allowed } => entry.allowed = Some(allowed.clone()),
        _ => {}
    }
    entry
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (error, locale) = match self {
            ApiError::Localized(inner, locale) => (*inner, locale),
            other => (other, Locale::En),
        };
        let (status, code, description, data) = match &error {
            ApiError::App(app) => {
                if let AppError::Internal(detail) | AppError::Unavailable(detail) = app {
                    tracing::error!(code = app.code(), %detail, "request failed");
                }
                let data = match app {
                    AppError::Invalid(fields) => {
                        fields.iter().map(|f| field_entry(f, locale)).collect()
                    }
                    _ => vec![],
                };
                let description = match app {
                    AppError::IllegalTransition(t) => {
                        format!("{} ({t})", locale.describe(app.code()))
                    }
                    AppError::Invalid(fields) => format!(
                        "{} {}",
                        locale.describe(app.code()),
                        fields
                            .iter()
                            .map(|f| locale.field_message(f))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    _ => locale.describe(app.code()),
                };
                (status(app), app.code(), description, data)
            }
            ApiError::BadBody(detail) => (
                StatusCode::BAD_REQUEST,
                "bad_body",
                format!("{} {detail}", locale.describe("bad_body")),
                vec![],
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                locale.describe("too_large"),
                vec![],
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                locale.describe("unsupported_media_type"),
                vec![],
            ),
            ApiError::Localized(..) => unreachable!("flattened above"),
        };
        let body = ErrorBody {
            code,
            description,
            data,
            source: "partnerdesk",
        };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::App(AppError::RateLimited { retry_after_secs }) = &error
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
