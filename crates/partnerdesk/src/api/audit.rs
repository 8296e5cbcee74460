//! The audit log: `GET /v1/auditevents` (filtered, paged) and `GET /v1/auditevents/export` (CSV).

use std::collections::HashMap;

use axum::{
    extract::{OriginalUri, Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use partnerdesk_app::audit_log::AuditQuery;
use utoipa::IntoParams;

use super::{
    AppState,
    auth::Caller,
    collection,
    error::{ApiError, ErrorBody},
    requests::{ListQuery, time_param},
    shapes::{self, AuditEventShape, Collection},
};

/// Which events: a period (the last 30 days unless given) and any of the exact fields.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AuditParams {
    /// Start (RFC 3339 or a date).
    from: Option<String>,
    /// End, exclusive.
    until: Option<String>,
    /// `service_request`, `organization`, `user`, `remediation_plan`, `sla_policy`, …
    entity: Option<String>,
    entity_id: Option<String>,
    /// e.g. `created`, `escalate`, `escalation_reviewed`, `sla_breached`.
    action: Option<String>,
    /// The actor's name as recorded.
    actor: Option<String>,
}

pub fn audit_query(q: &ListQuery) -> Result<AuditQuery, partnerdesk_app::domain::FieldError> {
    let text = |k: &str| q.get(k).map(str::to_string);
    Ok(AuditQuery {
        from: time_param("from", q.get("from"))?,
        until: time_param("until", q.get("until"))?,
        entity: text("entity"),
        entity_id: text("entityid"),
        action: text("action"),
        actor: text("actor"),
    })
}

#[utoipa::path(get, path = "/auditevents", tag = "operator",
    summary = "The audit log, newest first (the operator's admins and leads)",
    params(AuditParams, ("offset" = Option<i64>, Query), ("size" = Option<i64>, Query)),
    responses((status = 200, body = Collection<AuditEventShape>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let run = async {
        let q = ListQuery::new(raw);
        let paging = collection::offset_paging(&q)?;
        let query = audit_query(&q)?;
        let page = state
            .app
            .audit_log(&caller.actor, &query, paging.offset, paging.size)
            .await?;
        Ok(collection::offset_page(
            &uri,
            &paging,
            &page,
            shapes::audit_event,
        ))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(get, path = "/auditevents/export", tag = "operator",
    summary = "The audit log as CSV (same filters; at most 100,000 events)",
    params(AuditParams),
    responses((status = 200, description = "text/csv", content_type = "text/csv"), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let run = async {
        let query = audit_query(&ListQuery::new(raw))?;
        let events = state.app.audit_export(&caller.actor, &query).await?;
        let mut response = crate::audit_csv::csv(&events).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"partnerdesk-audit.csv\""),
        );
        Ok(response)
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}
