//! The catalogue: `GET /v1/services`, and for the operator's admin `PUT /v1/services/{id}` and
//! `PUT /v1/services/{id}/supporttopics/{topic-id}` (create or change; idempotent).

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use partnerdesk_app::catalogue::{ServiceInput, TopicInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    shapes::{self, Collection, TopicShape},
};

type ApiResult<T> = Result<T, ApiError>;

/// A service of the cloud, with the link its customers' admin center opens at (`{tenantId}`
/// and `{domain}` filled per customer).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Service)]
pub struct ServiceShape<'a> {
    id: &'a str,
    name: &'a str,
    admin_url_template: &'a str,
}

fn service(s: &partnerdesk_app::store::Service) -> ServiceShape<'_> {
    ServiceShape {
        id: &s.id,
        name: &s.name,
        admin_url_template: &s.admin_url_template,
    }
}

#[utoipa::path(get, path = "/services", tag = "catalogue", summary = "The services of the cloud",
    responses((status = 200, body = Collection<ServiceShape>)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let services = state
        .app
        .services()
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::whole(services.iter().map(service).collect())).into_response())
}

/// A service's name and admin-center link.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ServiceInput)]
pub struct ServiceBody {
    name: Option<String>,
    admin_url_template: Option<String>,
}

#[utoipa::path(put, path = "/services/{service_id}", tag = "catalogue",
    summary = "Add or change a service (the operator's admin)",
    params(("service_id" = String, Path, description = "2–40 of a–z, 0–9 and -")),
    request_body = ServiceBody,
    responses((status = 200, body = ServiceShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_service(
    State(state): State<AppState>,
    caller: Caller,
    Path(service_id): Path<String>,
    ApiJson(body): ApiJson<ServiceBody>,
) -> ApiResult<Response> {
    let input = ServiceInput {
        id: Some(service_id),
        name: body.name,
        admin_url_template: body.admin_url_template,
    };
    let saved = state
        .app
        .save_service(&caller.actor, &input)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(service(&saved)).into_response())
}

/// A support topic's name, description and category.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SupportTopicInput)]
pub struct TopicBody {
    name: Option<String>,
    description: Option<String>,
    /// `technical`, `billing` or `account`.
    category: Option<String>,
}

#[utoipa::path(put, path = "/services/{service_id}/supporttopics/{topic_id}", tag = "catalogue",
    summary = "Add or change a support topic of a service (the operator's admin)",
    params(("service_id" = String, Path), ("topic_id" = String, Path, description = "2–40 of a–z, 0–9 and -")),
    request_body = TopicBody,
    responses((status = 200, body = TopicShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_topic(
    State(state): State<AppState>,
    caller: Caller,
    Path((service_id, topic_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<TopicBody>,
) -> ApiResult<Response> {
    let input = TopicInput {
        id: Some(topic_id),
        service_id: Some(service_id),
        name: body.name,
        description: body.description,
        category: body.category,
    };
    let saved = state
        .app
        .save_topic(&caller.actor, &input)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::topic(&saved)).into_response())
}
