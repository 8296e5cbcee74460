//! `GET /v1/customers/{id}/selfhelp`: what to try before submitting a request.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Path, Query, State},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    AppState,
    articles::{ArticleShape, article_shape},
    auth::Caller,
    error::{ApiError, ErrorBody},
    incidents::{IncidentShape, incident_shape},
    requests::{ListQuery, parse_guid},
};

/// An article that matched, with how many of the words' terms it shares.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchedArticle<'a> {
    #[serde(flatten)]
    article: ArticleShape<'a>,
    matched_terms: i64,
}

#[derive(Serialize, ToSchema)]
#[schema(as = SelfHelp)]
pub struct SelfHelpShape<'a> {
    /// Open notices that reach this customer and service.
    incidents: Vec<IncidentShape<'a>>,
    /// The best-matching published articles, the most matching first.
    articles: Vec<MatchedArticle<'a>>,
}

#[utoipa::path(get, path = "/customers/{customer_id}/selfhelp", tag = "self-help",
    summary = "Before you submit: open incidents for this customer and service, and matching articles",
    description = "`q` is the partner's words so far (title and description). Words match across inflections (Russian, English) and Chinese without spaces.",
    params(("customer_id" = String, Path), ("serviceId" = String, Query), ("q" = Option<String>, Query)),
    responses((status = 200, body = SelfHelpShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn self_help(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer_id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let customer_id = parse_guid(&customer_id)?;
    let q = ListQuery::new(raw);
    let found = state
        .app
        .self_help(
            &caller.actor,
            customer_id,
            q.get("serviceid"),
            q.get("q"),
            caller.locale.content(),
        )
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    let shape = SelfHelpShape {
        incidents: found
            .incidents
            .iter()
            .map(|i| incident_shape(i, &caller))
            .collect(),
        articles: found
            .articles
            .iter()
            .map(|(a, score)| MatchedArticle {
                article: article_shape(a),
                matched_terms: *score,
            })
            .collect(),
    };
    Ok(Json(shape).into_response())
}
