//! The forms about an escalation on the request page: the operator's contacts with the partner,
//! its review of the escalation, the partner's dispute and a lead's decision. Each goes through
//! its use case; a refusal shows the page again with what was wrong.

use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use partnerdesk_app::{
    Result as AppResult,
    requests::{RequestPatch, RequestView},
    sla::ContactInput,
};
use serde::Deserialize;

use super::{
    page::PageError,
    request_page::{explain, render},
    visitor::Visitor,
};
use crate::{api::AppState, query::time_param};

/// Every field any of these forms sends (each sends its own few).
#[derive(Deserialize, Default)]
pub struct EscalationForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    channel: Option<String>,
    outcome: Option<String>,
    /// `datetime-local`, read as UTC (the page shows UTC times).
    at: Option<String>,
    verdict: Option<String>,
    reason: Option<String>,
    comment: Option<String>,
    /// The request a duplicate goes into.
    into: Option<String>,
    /// The incident to link (empty: unlink).
    incident_id: Option<String>,
    /// The operator user to give the request to.
    assignee: Option<String>,
}

/// Runs `change` if the form carries the page's token; back to the request with `flash`, or
/// the page again with the refusal.
async fn submit(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    csrf: &str,
    flash: &'static str,
    change: impl AsyncFnOnce() -> AppResult<RequestView>,
) -> Result<Response, PageError> {
    if !visitor.sent_form_token(csrf) {
        return render(
            state,
            visitor,
            id,
            String::new(),
            Some(visitor.locale.text("error-bad_form")),
        )
        .await;
    }
    match change().await {
        Ok(view) => Ok(visitor.redirect(&format!("/requests/{}", view.request.id), Some(flash))),
        Err(e) => {
            let message = explain(visitor, e)?;
            render(state, visitor, id, String::new(), Some(message)).await
        }
    }
}

fn blank_is_none(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One of the forms, by the last part of its address: `contacts`, `review`, `dispute`,
/// `decision`, `merge`, `incident` or `assign`.
pub async fn submit_step(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, step)): Path<(String, String)>,
    Form(form): Form<EscalationForm>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let app = &state.app;
    let flash = match step.as_str() {
        "contacts" => "flash-contact-logged",
        "review" => "flash-reviewed",
        "dispute" => "flash-disputed",
        "decision" => "flash-decided",
        "merge" => "flash-merged",
        "incident" => "flash-incident-linked",
        "assign" => "flash-assigned",
        _ => return Err(visitor.fail(partnerdesk_app::AppError::NotFound)),
    };
    submit(
        &state,
        &visitor,
        &id,
        &form.csrf,
        flash,
        async || match step.as_str() {
            "contacts" => {
                // A browser's `datetime-local` has no zone or seconds; the page's times are UTC.
                let at = blank_is_none(&form.at).map(|at| {
                    if at.len() == 16 {
                        format!("{at}:00Z")
                    } else {
                        at.to_string()
                    }
                });
                let input = ContactInput {
                    channel: form.channel.clone(),
                    outcome: form.outcome.clone(),
                    at: time_param("at", at.as_deref())?,
                };
                app.log_contact(actor, &id, &input).await
            }
            "review" => {
                let (verdict, reason) = (blank_is_none(&form.verdict), blank_is_none(&form.reason));
                app.review_escalation(actor, &id, verdict, reason, blank_is_none(&form.comment))
                    .await
            }
            "dispute" => {
                app.dispute_review(actor, &id, blank_is_none(&form.comment))
                    .await
            }
            "merge" => {
                let into = blank_is_none(&form.into).unwrap_or_default();
                app.merge_request(actor, &id, into, blank_is_none(&form.comment))
                    .await
            }
            "assign" => {
                let assignee = blank_is_none(&form.assignee).unwrap_or_default();
                app.assign(actor, &id, assignee).await
            }
            "incident" => {
                let patch = RequestPatch {
                    incident_id: Some(form.incident_id.clone().unwrap_or_default()),
                    ..RequestPatch::default()
                };
                app.update_request(actor, &id, &patch, None).await
            }
            _ => {
                let outcome = blank_is_none(&form.outcome);
                app.decide_dispute(actor, &id, outcome, blank_is_none(&form.comment))
                    .await
            }
        },
    )
    .await
}
