//! Remediation plans: `/v1/remediationplans` (list, open, read, change, actions, acknowledge).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use partnerdesk_app::{
    domain::remediation::PlanStatus,
    remediation::{ActionInput, PlanPatch},
    store::RemediationPlan,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    json::{ApiJson, ApiJsonOrEmpty},
    requests::time_param,
    shapes::{self, Collection, Date, words},
};

/// A remediation plan with a partner.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = RemediationPlan)]
pub struct PlanShape<'a> {
    id: String,
    partner_id: String,
    partner_name: &'a str,
    #[schema(schema_with = words::<PlanStatus>)]
    status: PlanStatus,
    /// Why it was proposed: the numbers at the time.
    basis: &'a str,
    /// The improperly escalated requests it is about.
    evidence: Vec<String>,
    meeting_at: Option<Date>,
    attendees: Option<&'a str>,
    summary: Option<&'a str>,
    acknowledged: bool,
    acknowledged_by: Option<&'a str>,
    acknowledged_date: Option<Date>,
    created_date: Date,
    last_modified_date: Date,
    actions: Vec<ActionShape<'a>>,
}

/// An agreed action.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = RemediationAction)]
pub struct ActionShape<'a> {
    id: String,
    text: &'a str,
    owner: &'a str,
    /// `YYYY-MM-DD`.
    due: Option<String>,
    done: bool,
    done_date: Option<Date>,
}

fn plan_shape(p: &RemediationPlan) -> PlanShape<'_> {
    PlanShape {
        id: p.id.to_string(),
        partner_id: p.partner_id.to_string(),
        partner_name: &p.partner_name,
        status: p.status,
        basis: &p.basis,
        evidence: p.evidence.iter().map(ToString::to_string).collect(),
        meeting_at: p.meeting_at.map(Date::from),
        attendees: p.attendees.as_deref(),
        summary: p.summary.as_deref(),
        acknowledged: p.acknowledged.is_some(),
        acknowledged_by: p.acknowledged.as_ref().map(|(_, name, _)| name.as_str()),
        acknowledged_date: p.acknowledged.as_ref().map(|(_, _, at)| Date::from(*at)),
        created_date: Date::from(p.created_at),
        last_modified_date: Date::from(p.updated_at),
        actions: p
            .actions
            .iter()
            .map(|a| ActionShape {
                id: a.id.to_string(),
                text: &a.text,
                owner: &a.owner,
                due: a.due.map(|d| d.to_string()),
                done: a.done_at.is_some(),
                done_date: a.done_at.map(Date::from),
            })
            .collect(),
    }
}

fn reply(
    caller: &Caller,
    status: StatusCode,
    plan: partnerdesk_app::Result<RemediationPlan>,
) -> Result<Response, ApiError> {
    let plan = plan.map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok((status, Json(plan_shape(&plan))).into_response())
}

#[utoipa::path(get, path = "/remediationplans", tag = "remediation plans",
    summary = "The plans the caller may read, newest first",
    description = "The operator's support people read every plan; a partner's global admin its own.",
    responses((status = 200, body = Collection<PlanShape>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let plans = state
        .app
        .remediation_plans(&caller.actor)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::whole(plans.iter().map(plan_shape).collect())).into_response())
}

/// Which partner a plan is opened with.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = NewRemediationPlan)]
pub struct OpenBody {
    partner_id: Option<String>,
}

#[utoipa::path(post, path = "/remediationplans", tag = "remediation plans",
    summary = "Open a plan with a partner (leads)",
    description = "Its evidence is the partner's improperly escalated requests of the trailing 90 days. A partner has at most one open plan (409).",
    request_body = OpenBody,
    responses((status = 201, body = PlanShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<OpenBody>,
) -> Result<Response, ApiError> {
    let partner = body.partner_id.unwrap_or_default();
    let plan = state.app.open_plan(&caller.actor, &partner).await;
    reply(&caller, StatusCode::CREATED, plan)
}

#[utoipa::path(get, path = "/remediationplans/{id}", tag = "remediation plans",
    summary = "One plan with its actions",
    params(("id" = String, Path)),
    responses((status = 200, body = PlanShape), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let plan = state.app.remediation_plan(&caller.actor, &id).await;
    reply(&caller, StatusCode::OK, plan)
}

/// A change to a plan.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = RemediationPlanPatch)]
pub struct PatchBody {
    /// `proposed → meeting_scheduled` (needs `meetingAt` and `attendees`) `→ agreed →
    /// in_progress` (needs the partner's acknowledgement) `→ completed`; `cancelled` from any
    /// open status.
    #[schema(schema_with = shapes::optional_words::<PlanStatus>)]
    status: Option<String>,
    meeting_at: Option<String>,
    attendees: Option<String>,
    summary: Option<String>,
}

#[utoipa::path(patch, path = "/remediationplans/{id}", tag = "remediation plans",
    summary = "Set the meeting or summary, or move the plan on (leads)",
    params(("id" = String, Path)),
    request_body = PatchBody,
    responses((status = 200, body = PlanShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PatchBody>,
) -> Result<Response, ApiError> {
    let meeting_at = time_param("meetingAt", body.meeting_at.as_deref())
        .map_err(|e| ApiError::from(partnerdesk_app::AppError::from(e)).in_locale(caller.locale))?;
    let patch = PlanPatch {
        status: body.status,
        meeting_at,
        attendees: body.attendees,
        summary: body.summary,
    };
    let plan = state.app.change_plan(&caller.actor, &id, &patch).await;
    reply(&caller, StatusCode::OK, plan)
}

/// An agreed action.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = NewRemediationAction)]
pub struct ActionBody {
    text: Option<String>,
    /// Who does it (a name).
    owner: Option<String>,
    /// `YYYY-MM-DD`.
    due: Option<String>,
}

#[utoipa::path(post, path = "/remediationplans/{id}/actions", tag = "remediation plans",
    summary = "Record an agreed action (leads)",
    params(("id" = String, Path)),
    request_body = ActionBody,
    responses((status = 201, body = PlanShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_action(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActionBody>,
) -> Result<Response, ApiError> {
    let input = ActionInput {
        text: body.text,
        owner: body.owner,
        due: body.due,
    };
    let plan = state.app.add_plan_action(&caller.actor, &id, &input).await;
    reply(&caller, StatusCode::CREATED, plan)
}

/// Whether the action is done.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = RemediationActionPatch)]
pub struct DoneBody {
    done: Option<bool>,
}

#[utoipa::path(patch, path = "/remediationplans/{id}/actions/{action_id}", tag = "remediation plans",
    summary = "Mark an action done or not (leads, or the partner's global admin)",
    params(("id" = String, Path), ("action_id" = String, Path)),
    request_body = DoneBody,
    responses((status = 200, body = PlanShape), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_done(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, action_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<DoneBody>,
) -> Result<Response, ApiError> {
    let done = body.done.unwrap_or(true);
    let plan = state
        .app
        .set_plan_action_done(&caller.actor, &id, &action_id, done)
        .await;
    reply(&caller, StatusCode::OK, plan)
}

#[utoipa::path(post, path = "/remediationplans/{id}/acknowledge", tag = "remediation plans",
    summary = "The partner's global admin acknowledges the plan",
    params(("id" = String, Path)),
    responses((status = 200, body = PlanShape), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJsonOrEmpty(_body): ApiJsonOrEmpty<serde_json::Value>,
) -> Result<Response, ApiError> {
    let plan = state.app.acknowledge_plan(&caller.actor, &id).await;
    reply(&caller, StatusCode::OK, plan)
}
