//! A submitted form that may carry files: `multipart/form-data` when the browser sends files,
//! the usual URL-encoded body otherwise. Text fields fill `T` either way.

use axum::{
    Form,
    extract::{FromRequest, Multipart, Request},
    http::header,
    response::{IntoResponse, Response},
};
use partnerdesk_app::{AppError, attachments::Upload};
use serde::de::{DeserializeOwned, value::MapDeserializer};

use crate::{api::AppState, uploads};

pub struct FormWithFiles<T> {
    pub form: T,
    pub files: Vec<Upload>,
    /// Why the files could not be read (too large…); the text fields are still in `form`.
    pub problem: Option<AppError>,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for FormWithFiles<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Form(form) = Form::<T>::from_request(request, state)
                .await
                .map_err(IntoResponse::into_response)?;
            return Ok(FormWithFiles {
                form,
                files: vec![],
                problem: None,
            });
        }
        let body = Multipart::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let received = uploads::read(body).await;
        let fields =
            MapDeserializer::<_, serde::de::value::Error>::new(received.fields.into_iter());
        let form = T::deserialize(fields).map_err(|e| {
            (axum::http::StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response()
        })?;
        Ok(FormWithFiles {
            form,
            files: received.files,
            problem: received.problem,
        })
    }
}
