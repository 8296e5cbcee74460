//! Escalation reviews: the operator's verdict, the partner's dispute, a lead's decision.

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use partnerdesk_app::domain::review::{DisputeOutcome, ImproperReason, Verdict};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    shapes::{self, ServiceRequestShape},
};

/// The operator's verdict on an escalation.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = EscalationReview)]
pub struct ReviewBody {
    #[schema(schema_with = shapes::optional_words::<Verdict>)]
    verdict: Option<String>,
    /// Required for an improper verdict.
    #[schema(schema_with = shapes::optional_words::<ImproperReason>)]
    reason: Option<String>,
    comment: Option<String>,
}

/// Why the partner disagrees.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = Dispute)]
pub struct DisputeBody {
    comment: Option<String>,
}

/// A lead's decision on a dispute.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = DisputeDecision)]
pub struct DecisionBody {
    #[schema(schema_with = shapes::optional_words::<DisputeOutcome>)]
    outcome: Option<String>,
    comment: Option<String>,
}

fn reply(
    caller: &Caller,
    result: partnerdesk_app::Result<partnerdesk_app::requests::RequestView>,
) -> Result<Response, ApiError> {
    let view = result.map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::request_view(&view)).into_response())
}

#[utoipa::path(post, path = "/operator/servicerequests/{id}/review", tag = "operator",
    summary = "Judge whether a request was properly escalated",
    description = "Those who work the request at the operator; it may be changed until the partner disputes it.",
    params(("id" = String, Path, description = "The request id")),
    request_body = ReviewBody,
    responses((status = 200, body = ServiceRequestShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Response, ApiError> {
    let result = state
        .app
        .review_escalation(
            &caller.actor,
            &id,
            body.verdict.as_deref(),
            body.reason.as_deref(),
            body.comment.as_deref(),
        )
        .await;
    reply(&caller, result)
}

#[utoipa::path(post, path = "/servicerequests/{id}/dispute", tag = "service requests",
    summary = "Dispute an improper-escalation verdict (the partner, once)",
    params(("id" = String, Path, description = "The request id")),
    request_body = DisputeBody,
    responses((status = 200, body = ServiceRequestShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn dispute(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DisputeBody>,
) -> Result<Response, ApiError> {
    let result = state
        .app
        .dispute_review(&caller.actor, &id, body.comment.as_deref())
        .await;
    reply(&caller, result)
}

#[utoipa::path(post, path = "/operator/servicerequests/{id}/dispute-decision", tag = "operator",
    summary = "Uphold or overturn a disputed verdict (leads)",
    params(("id" = String, Path, description = "The request id")),
    request_body = DecisionBody,
    responses((status = 200, body = ServiceRequestShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Response, ApiError> {
    let result = state
        .app
        .decide_dispute(
            &caller.actor,
            &id,
            body.outcome.as_deref(),
            body.comment.as_deref(),
        )
        .await;
    reply(&caller, result)
}
