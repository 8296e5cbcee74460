//! The operator's work on a request: assign, log contacts with the partner, resolve (the queue
//! listing shares the request listing).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use partnerdesk_app::{domain::ContactChannel, sla::ContactInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    json::{ApiJson, ApiJsonOrEmpty},
    requests::time_param,
    shapes::{self, Collection, Date, ServiceRequestShape},
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

/// The request a duplicate goes into.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = Merge)]
pub struct MergeBody {
    /// The id of the request to keep.
    into: Option<String>,
    /// Added as a public note to the duplicate.
    note: Option<String>,
}

#[utoipa::path(post, path = "/operator/servicerequests/{id}/merge", tag = "operator",
    summary = "Merge a duplicate into another request of the same partner (the duplicate is closed)",
    params(("id" = String, Path, description = "The duplicate's id")),
    request_body = MergeBody,
    responses((status = 200, body = ServiceRequestShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MergeBody>,
) -> Result<Response, ApiError> {
    let view = state
        .app
        .merge_request(
            &caller.actor,
            &id,
            body.into.as_deref().unwrap_or_default(),
            body.note.as_deref(),
        )
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::request_view(&view)).into_response())
}

/// A contact with the partner.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ContactLog)]
pub struct ContactBody {
    #[schema(schema_with = shapes::optional_words::<ContactChannel>)]
    channel: Option<String>,
    /// What was said or agreed.
    outcome: Option<String>,
    /// When it happened (RFC 3339), if not now.
    at: Option<String>,
}

#[utoipa::path(post, path = "/operator/servicerequests/{id}/contacts", tag = "operator",
    summary = "Log a contact with the partner",
    description = "The first contact stops the first-response clock (at `at`, or now).",
    params(("id" = String, Path, description = "The request id")),
    request_body = ContactBody,
    responses((status = 201, body = ServiceRequestShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn log_contact(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ContactBody>,
) -> Result<Response, ApiError> {
    let run = async {
        let input = ContactInput {
            at: time_param("at", body.at.as_deref())?,
            channel: body.channel,
            outcome: body.outcome,
        };
        let view = state.app.log_contact(&caller.actor, &id, &input).await?;
        Ok((StatusCode::CREATED, Json(shapes::request_view(&view))).into_response())
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

/// One logged contact.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Contact)]
pub struct ContactShape<'a> {
    id: String,
    #[schema(schema_with = shapes::words::<ContactChannel>)]
    channel: ContactChannel,
    outcome: &'a str,
    contacted_date: Date,
    contacted_by: &'a str,
}

#[utoipa::path(get, path = "/servicerequests/{id}/contacts", tag = "service requests",
    summary = "The operator's contacts with the partner about a request, in order",
    params(("id" = String, Path, description = "The request id")),
    responses((status = 200, body = Collection<ContactShape>), (status = 404, body = ErrorBody)))]
pub async fn contacts(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let contacts = state
        .app
        .request_contacts(&caller.actor, &id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    let items = contacts
        .iter()
        .map(|c| ContactShape {
            id: c.id.to_string(),
            channel: c.contact.channel,
            outcome: &c.contact.outcome,
            contacted_date: Date::from(c.contact.contacted_at),
            contacted_by: &c.contact.by_name,
        })
        .collect();
    Ok(Json(shapes::whole(items)).into_response())
}
