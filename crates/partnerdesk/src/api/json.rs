//! JSON bodies as api.md wants them read: a UTF-8 BOM tolerated, field names matched in any
//! letter case (PascalCase clients work), and every failure a 400 naming the field.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
};
use partnerdesk_app::{AppError, domain::FieldError};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;

/// The most a JSON body may hold.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// A JSON body whose object keys are lower-cased before deserializing into `T` (whose fields
/// are therefore named in lower case).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.to_ascii_lowercase().starts_with("application/json")
                    || v.to_ascii_lowercase().contains("+json")
            });
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadBody(e.body_text())
            }
        })?;
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse(&bytes).map(ApiJson)
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::BadBody(format!("not valid JSON: {e}")))?;
    let value = lowercase_keys(value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        // The path names the field (`primarycontact.email`); field names are static, so the
        // path goes in the reason.
        ApiError::App(AppError::field(FieldError::invalid(
            "body",
            format!("{}: {}", e.path(), e.inner()),
        )))
    })
}

fn lowercase_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k.to_lowercase(), lowercase_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(lowercase_keys).collect()),
        other => other,
    }
}

/// An enum as JSON may carry it: a string or a legacy integer.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum EnumValue {
    Text(String),
    Number(i64),
}

impl From<EnumValue> for partnerdesk_app::requests::RawEnum {
    fn from(v: EnumValue) -> Self {
        match v {
            EnumValue::Text(t) => partnerdesk_app::requests::RawEnum::Text(t),
            EnumValue::Number(n) => partnerdesk_app::requests::RawEnum::Number(n),
        }
    }
}

/// A note as PATCH may carry it: Partner Center's object, or just the text.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum NoteValue {
    Text(String),
    Object {
        text: Option<String>,
        visibility: Option<String>,
    },
}

/// Like `ApiJson`, but an empty body is `T::default()` (for actions whose body is optional).
pub struct ApiJsonOrEmpty<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for ApiJsonOrEmpty<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let empty = req
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .is_some_and(|v| v.to_str().ok() == Some("0"))
            || (req
                .headers()
                .get(axum::http::header::CONTENT_TYPE)
                .is_none()
                && req
                    .headers()
                    .get(axum::http::header::TRANSFER_ENCODING)
                    .is_none()
                && req
                    .headers()
                    .get(axum::http::header::CONTENT_LENGTH)
                    .is_none());
        if empty {
            return Ok(ApiJsonOrEmpty(T::default()));
        }
        ApiJson::<T>::from_request(req, state)
            .await
            .map(|ApiJson(v)| ApiJsonOrEmpty(v))
    }
}
