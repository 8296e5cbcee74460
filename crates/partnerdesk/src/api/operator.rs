//! The operator's basics: assign and resolve (the queue listing shares the request listing).

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    json::{ApiJson, ApiJsonOrEmpty},
    shapes::{self, ServiceRequestShape},
};

/// Who takes the request.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = Assignment)]
pub struct AssignBody {
    /// An operator user's id or e-mail.
    assignee: Option<String>,
}

#[utoipa::path(post, path = "/operator/servicerequests/{id}/assign", tag = "operator",
    summary = "Give an escalated request to an operator engineer",
    params(("id" = String, Path, description = "The request id")),
    request_body = AssignBody,
    responses((status = 200, body = ServiceRequestShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssignBody>,
) -> Result<Response, ApiError> {
    let run = async {
        let assignee = body
            .assignee
            .ok_or(partnerdesk_app::domain::FieldError::required("assignee"))?;
        let view = state.app.assign(&caller.actor, &id, &assignee).await?;
        Ok(Json(shapes::request_view(&view)).into_response())
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

/// How the problem was solved, for the partner.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = Resolution)]
pub struct ResolveBody {
    /// Added as a public note.
    note: Option<String>,
}

#[utoipa::path(post, path = "/operator/servicerequests/{id}/resolve", tag = "operator",
    summary = "Resolve an escalated request",
    params(("id" = String, Path, description = "The request id")),
    request_body(content = Option<ResolveBody>),
    responses((status = 200, body = ServiceRequestShape), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJsonOrEmpty(body): ApiJsonOrEmpty<ResolveBody>,
) -> Result<Response, ApiError> {
    let note = body.note;
    let view = state
        .app
        .resolve(&caller.actor, &id, note.as_deref())
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::request_view(&view)).into_response())
}
