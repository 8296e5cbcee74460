//! Remediation plans in the console: the list (the operator's, or the partner's own) and a
//! plan's page — meeting, status, agreed actions, the partner's acknowledgement — with the forms
//! each reader may use.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use partnerdesk_app::{
    AppError,
    domain::{EnumText, remediation::PlanStatus},
    policy,
    remediation::{ActionInput, PlanPatch},
    store::RemediationPlan,
};

use super::{
    page::{Frame, OnPage, PageError, Section, shown_time},
    request_page::explain,
    visitor::Visitor,
};
use crate::{api::AppState, query::time_param};

#[derive(Template)]
#[template(path = "web/plans.html")]
struct ListPage {
    frame: Frame,
    plans: Vec<(RemediationPlan, String)>,
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let plans = state.app.remediation_plans(actor).await.on_page(&visitor)?;
    let locale = visitor.locale;
    let page = ListPage {
        frame: visitor.frame("plans-title", Section::Plans),
        plans: plans
            .into_iter()
            .map(|p| {
                let status = locale.text(&format!("plan-{}", p.status));
                (p, status)
            })
            .collect(),
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "web/plan.html")]
struct PlanPage {
    frame: Frame,
    plan: RemediationPlan,
    status: String,
    created: String,
    meeting: Option<String>,
    acknowledged: Option<String>,
    /// (id, text, owner, due, done)
    actions: Vec<(i64, String, String, String, bool)>,
    /// The statuses a lead may move it to now, as (value, label).
    moves: Vec<(&'static str, String)>,
    runs: bool,
    may_tick: bool,
    may_acknowledge: bool,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    error: Option<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let locale = visitor.locale;
    let plan = state
        .app
        .remediation_plan(actor, id)
        .await
        .on_page(visitor)?;
    let runs = policy::may_manage_plans(actor);
    let partner_admin = policy::is_plans_partner_admin(actor, plan.partner_id);
    let page = PlanPage {
        frame: visitor.frame("plan-title", Section::Plans),
        status: locale.text(&format!("plan-{}", plan.status)),
        created: shown_time(plan.created_at),
        meeting: plan.meeting_at.map(shown_time),
        acknowledged: plan
            .acknowledged
            .as_ref()
            .map(|(_, name, at)| format!("{name} · {}", shown_time(*at))),
        actions: plan
            .actions
            .iter()
            .map(|a| {
                let due = a.due.map(|d| d.to_string()).unwrap_or_default();
                (
                    a.id,
                    a.text.clone(),
                    a.owner.clone(),
                    due,
                    a.done_at.is_some(),
                )
            })
            .collect(),
        moves: PlanStatus::ALL
            .iter()
            .filter(|next| {
                **next != plan.status
                    && plan
                        .status
                        // The meeting comes with the same submit; the use case checks it.
                        .check_move(**next, plan.acknowledged.is_some(), true)
                        .is_ok()
            })
            .map(|s| (s.as_str(), locale.text(&format!("plan-move-{s}"))))
            .collect(),
        runs,
        may_tick: (runs || partner_admin) && plan.status.is_open(),
        may_acknowledge: partner_admin && plan.acknowledged.is_none() && plan.status.is_open(),
        error,
        plan,
    };
    Ok(visitor.render_after(page.error.is_some(), &page))
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render(&state, &visitor, &id, None).await
}

/// Any of the plan's forms, by the last part of its address: `change` (meeting, summary,
/// status), `actions` (a new one), `acknowledge`, or `done-{action id}` / `undone-{action id}`.
pub async fn submit_step(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, step)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let app = &state.app;
    if !visitor.sent_form_token(form.get("_csrf").map(String::as_str).unwrap_or_default()) {
        return render(
            &state,
            &visitor,
            &id,
            Some(visitor.locale.text("error-bad_form")),
        )
        .await;
    }
    let field = |name: &str| {
        form.get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let done = match step.as_str() {
        "change" => {
            // A browser's `datetime-local` has no zone or seconds; the page's times are UTC.
            let meeting = field("meetingAt").map(|at| {
                if at.len() == 16 {
                    format!("{at}:00Z")
                } else {
                    at
                }
            });
            match time_param("meetingAt", meeting.as_deref()) {
                Ok(meeting_at) => {
                    let patch = PlanPatch {
                        status: field("status"),
                        meeting_at,
                        attendees: field("attendees"),
                        summary: field("summary"),
                    };
                    app.change_plan(actor, &id, &patch).await
                }
                Err(e) => Err(e.into()),
            }
        }
        "actions" => {
            let input = ActionInput {
                text: field("text"),
                owner: field("owner"),
                due: field("due"),
            };
            app.add_plan_action(actor, &id, &input).await
        }
        "acknowledge" => app.acknowledge_plan(actor, &id).await,
        other => match other.split_once('-') {
            Some(("done", action)) => app.set_plan_action_done(actor, &id, action, true).await,
            Some(("undone", action)) => app.set_plan_action_done(actor, &id, action, false).await,
            _ => Err(AppError::NotFound),
        },
    };
    match done {
        Ok(plan) => Ok(visitor.redirect(&format!("/plans/{}", plan.id), Some("flash-plan-saved"))),
        Err(e) => {
            let message = explain(&visitor, e)?;
            render(&state, &visitor, &id, Some(message)).await
        }
    }
}
