//! JSON bodies as api.md wants them read: a UTF-8 BOM tolerated, field names matched in any
//! letter case (PascalCase clients work), and every failure a 400 naming the field.
//!
//! Bodies are camelCase structs. Incoming keys are matched to the camelCase names the OpenAPI
//! document declares, so the document is also the one list of field names.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
};
use partnerdesk_app::{AppError, domain::FieldError};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::{collections::HashMap, sync::LazyLock};
use utoipa::ToSchema;

use super::error::ApiError;

/// The most a JSON body may hold.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// A JSON body whose object keys are matched in any letter case to the field names of `T`.
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
    let value = canonical_keys(value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        // The path names the field (`primarycontact.email`); field names are static, so the
        // path goes in the reason.
        ApiError::App(AppError::field(FieldError::invalid(
            "body",
            format!("{}: {}", e.path(), e.inner()),
        )))
    })
}

/// Every property name of the OpenAPI document, by its lower-case form.
static FIELD_NAMES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    fn collect(value: &Value, names: &mut HashMap<String, String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    for name in properties.keys() {
                        names.insert(name.to_lowercase(), name.clone());
                    }
                }
                map.values().for_each(|v| collect(v, names));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
            _ => {}
        }
    }
    let mut names = HashMap::new();
    collect(&super::openapi::document_json(), &mut names);
    names
});

/// Keys renamed to the declared field of the same letters (`SupportTopicID` → `supportTopicId`);
/// a key no schema declares is lower-cased (the one-word fields of query filters).
fn canonical_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let lower = k.to_lowercase();
                    let key = FIELD_NAMES.get(&lower).cloned().unwrap_or(lower);
                    (key, canonical_keys(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(canonical_keys).collect()),
        other => other,
    }
}

/// An enum as JSON may carry it: a string (any case) or a legacy integer.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
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
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
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
