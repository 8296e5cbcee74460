//! Deflections (`/v1/customers/{id}/deflections`, `/v1/deflections`).

use std::collections::HashMap;

use axum::{
    Json,
    extract::{OriginalUri, Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use jiff::SignedDuration;
use partnerdesk_app::{
    deflections::DeflectionInput,
    domain::DeflectionReason,
    store::{Deflection, DeflectionCount},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::{
    AppState,
    auth::Caller,
    collection,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    requests::{ListQuery, parse_guid, time_param},
    shapes::{self, Collection, Date, words},
};

/// How far back listings and counts go unless `since` says otherwise (the scorecards' window).
const DEFAULT_WINDOW: SignedDuration = SignedDuration::from_hours(90 * 24);

/// Why the partner stopped before submitting, and what helped.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
#[schema(as = DeflectionInput)]
pub struct DeflectionBody {
    service_id: Option<String>,
    #[schema(schema_with = shapes::optional_words::<DeflectionReason>)]
    reason: Option<String>,
    /// Required when `reason` is `article_helped`.
    #[schema(value_type = Option<String>)]
    article_id: Option<Value>,
    /// Required when `reason` is `known_incident`.
    #[schema(value_type = Option<String>)]
    incident_id: Option<Value>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Deflection)]
pub struct DeflectionShape<'a> {
    id: String,
    partner_id: String,
    customer_id: String,
    service_id: &'a str,
    #[schema(schema_with = words::<DeflectionReason>)]
    reason: DeflectionReason,
    article_id: Option<String>,
    incident_id: Option<String>,
    created_date: Date,
}

fn deflection_shape(d: &Deflection) -> DeflectionShape<'_> {
    let r = &d.recorded;
    DeflectionShape {
        id: d.id.to_string(),
        partner_id: r.partner_id.to_string(),
        customer_id: r.customer_id.to_string(),
        service_id: &r.service_id,
        reason: r.reason,
        article_id: r.article_id.map(|a| a.to_string()),
        incident_id: r.incident_id.map(|i| i.to_string()),
        created_date: Date::from(r.at),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DeflectionCount)]
pub struct CountShape<'a> {
    partner_id: String,
    service_id: &'a str,
    count: i64,
}

fn count_shape(c: &DeflectionCount) -> CountShape<'_> {
    CountShape {
        partner_id: c.partner_id.to_string(),
        service_id: &c.service_id,
        count: c.count,
    }
}

/// An id given as a string or a number.
fn id_text(value: Option<Value>) -> Option<String> {
    value.map(|v| match v {
        Value::String(s) => s,
        other => other.to_string(),
    })
}

#[utoipa::path(post, path = "/customers/{customer_id}/deflections", tag = "self-help",
    summary = "Record that the partner stopped before submitting a request",
    params(("customer_id" = String, Path)),
    request_body = DeflectionBody,
    responses((status = 201, body = DeflectionShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer_id): Path<String>,
    ApiJson(body): ApiJson<DeflectionBody>,
) -> Result<Response, ApiError> {
    let customer_id = parse_guid(&customer_id)?;
    let input = DeflectionInput {
        service_id: body.service_id,
        reason: body.reason,
        article_id: id_text(body.article_id),
        incident_id: id_text(body.incident_id),
    };
    let deflection = state
        .app
        .record_deflection(&caller.actor, customer_id, &input)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok((StatusCode::CREATED, Json(deflection_shape(&deflection))).into_response())
}

/// The window and paging of deflection listings.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DeflectionParams {
    /// RFC 3339 date-time or date; 90 days ago if not given.
    since: Option<String>,
    offset: Option<i64>,
    size: Option<i64>,
}

#[utoipa::path(get, path = "/deflections", tag = "self-help",
    summary = "Deflections: the partner's own, or every partner's for the operator",
    params(DeflectionParams),
    responses((status = 200, body = Collection<DeflectionShape>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let run = async {
        let q = ListQuery::new(raw);
        let since = time_param("since", q.get("since"))?
            .unwrap_or_else(|| state.app.now() - DEFAULT_WINDOW);
        let paging = collection::offset_paging(&q)?;
        let page = state
            .app
            .deflections(&caller.actor, since, paging.offset, paging.size)
            .await?;
        Ok(collection::offset_page(
            &uri,
            &paging,
            &page,
            deflection_shape,
        ))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(get, path = "/deflections/counts", tag = "self-help",
    summary = "Deflections per partner and service since a time (90 days by default)",
    params(("since" = Option<String>, Query)),
    responses((status = 200, body = Collection<CountShape>), (status = 403, body = ErrorBody)))]
pub async fn counts(
    State(state): State<AppState>,
    caller: Caller,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let run = async {
        let q = ListQuery::new(raw);
        let since = time_param("since", q.get("since"))?
            .unwrap_or_else(|| state.app.now() - DEFAULT_WINDOW);
        let counts = state.app.deflection_counts(&caller.actor, since).await?;
        Ok(Json(shapes::whole(counts.iter().map(count_shape).collect())).into_response())
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}
