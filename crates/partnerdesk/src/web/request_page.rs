//! One request: everything about it, its notes and timeline, and the actions this user may
//! take now (add a note, provide information, confirm or reopen, close, escalate).

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use partnerdesk_app::{
    AppError, attachments,
    domain::{
        Action, ContactChannel, EnumText, NoteVisibility, PublicStatus, Severity,
        State as RequestState, Tier, review::ImproperReason,
    },
    policy,
    requests::RequestPatch,
    store::{IncidentFilter, ServiceRequest},
};
use serde::Deserialize;

use super::{
    page::{Frame, OnPage, PageError, Section, shown_size, shown_time},
    request_list::sla_cell,
    visitor::Visitor,
};
use crate::api::AppState;

#[derive(Template)]
#[template(path = "web/request.html")]
struct RequestPage {
    frame: Frame,
    r: ServiceRequest,
    severity: Severity,
    severity_label: String,
    status: PublicStatus,
    state_label: String,
    holder: String,
    criterion: Option<String>,
    contact: Vec<(String, String)>,
    incident: Option<String>,
    created: String,
    modified: String,
    notes: Vec<NoteView>,
    files: Vec<FileView>,
    /// May attach files now (may add notes, and the request is not closed).
    may_attach: bool,
    history: Vec<HistoryView>,
    actions: Vec<(&'static str, String)>,
    may_note: bool,
    internal_notes: bool,
    /// The first response: where it stands, how urgent it looks.
    sla: Option<(String, &'static str)>,
    contacts: Vec<ContactView>,
    may_contact: bool,
    channels: Vec<(&'static str, String)>,
    review: Option<ReviewView>,
    may_review: bool,
    may_dispute: bool,
    may_decide: bool,
    reasons: Vec<(&'static str, String)>,
    /// May merge it, as a duplicate, into another request.
    may_merge: bool,
    /// The requests merged into this one.
    duplicates: Vec<String>,
    /// The incidents it may be linked to, as (id, title), for those who may change it.
    linkable: Option<Vec<(String, String)>>,
    /// The linked incident's id, or empty.
    linked_incident: String,
    /// Who works it at the operator, by name.
    assigned: Option<String>,
    /// Whom a lead may give it to: (user id, name).
    assignees: Vec<(String, String)>,
    draft: String,
    error: Option<String>,
}

struct NoteView {
    author: String,
    at: String,
    internal: bool,
    body: String,
}

struct FileView {
    link: String,
    name: String,
    size: String,
    by: String,
    at: String,
}

struct ContactView {
    at: String,
    by: String,
    channel: String,
    outcome: String,
}

struct ReviewView {
    improper: bool,
    verdict: String,
    reason: Option<String>,
    comment: Option<String>,
    by: String,
    at: String,
    dispute: Option<String>,
    decision: Option<String>,
    decision_comment: Option<String>,
}

struct HistoryView {
    at: String,
    who: String,
    what: String,
}

/// The page, with a note being written and what went wrong with the last submit, if anything.
pub(super) async fn render(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    draft: String,
    error: Option<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let app = &state.app;
    let view = app.request(actor, id).await.on_page(visitor)?;
    let history = app.request_history(actor, id).await.on_page(visitor)?;
    let contacts = if view.request.escalated_at.is_some() {
        app.request_contacts(actor, id).await.on_page(visitor)?
    } else {
        vec![]
    };
    let duplicates = app
        .merged_duplicates(actor, id)
        .await
        .on_page(visitor)?
        .iter()
        .map(ToString::to_string)
        .collect();
    let locale = visitor.locale;
    let r = view.request;
    let assignees = app.assignees(actor, &r).await.on_page(visitor)?;
    let assigned = match r.assigned_to {
        Some(user) if actor.is_operator() => match assignees.iter().find(|u| u.id == user) {
            Some(found) => Some(found.name.clone()),
            None => app.user_name(actor, user).await.ok(),
        },
        _ => None,
    };
    // The open notices reaching its customer, to link it to (those who may change it).
    let linkable = match r.customer_id {
        Some(customer)
            if policy::check_edit(actor, &r).is_ok() && r.state != RequestState::Closed =>
        {
            let open = IncidentFilter {
                open: Some(true),
                ..Default::default()
            };
            let found = app
                .customer_incidents(actor, customer, &open, 0, 50)
                .await
                .map(|page| page.items)
                .unwrap_or_default();
            Some(
                found
                    .iter()
                    .map(|i| {
                        let title = locale
                            .pick(&i.texts, |t| t.locale)
                            .map(|t| t.title.clone())
                            .unwrap_or_default();
                        (i.id.to_string(), title)
                    })
                    .collect(),
            )
        }
        _ => None,
    };
    let incident = match r.incident_id {
        Some(incident_id) => app
            .incident(actor, &incident_id.to_string())
            .await
            .ok()
            .and_then(|i| locale.pick(&i.texts, |t| t.locale).map(|t| t.title.clone())),
        None => None,
    };
    let contact = [
        (
            "customer-name",
            [r.contact.first_name.clone(), r.contact.last_name.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("field-email", r.contact.email.clone().unwrap_or_default()),
        ("field-phone", r.contact.phone.clone().unwrap_or_default()),
        (
            "field-channel",
            r.contact
                .channel
                .map(|c| locale.text(&format!("channel-{c}")))
                .unwrap_or_default(),
        ),
        (
            "field-time-zone",
            r.contact.time_zone.clone().unwrap_or_default(),
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (locale.text(k), v))
    .collect();
    let actions = app
        .available_actions(actor, &r)
        .into_iter()
        .map(|a| (a.as_str(), locale.text(&format!("action-{a}"))))
        .collect();
    let page = RequestPage {
        frame: visitor.frame("request-title", Section::CustomerRequests),
        severity: r.severity,
        severity_label: locale.text(&format!("severity-{}", r.severity)),
        status: r.state.public_status(),
        state_label: locale.text(&format!("state-{}", r.state)),
        holder: locale.text(match r.tier {
            Tier::Partner => "holder-partner",
            Tier::Operator => "holder-operator",
        }),
        criterion: r
            .escalation_criterion
            .map(|c| locale.text(&format!("criterion-{c}"))),
        contact,
        incident,
        created: shown_time(r.created_at),
        modified: shown_time(r.modified_at),
        notes: view
            .notes
            .iter()
            .map(|n| NoteView {
                author: n.author_name.clone(),
                at: shown_time(n.created_at),
                internal: n.visibility == NoteVisibility::Internal,
                body: n.body.clone(),
            })
            .collect(),
        files: view
            .files
            .iter()
            .map(|f| FileView {
                link: format!("/requests/{}/files/{}", r.id, f.file.id),
                name: f.file.file_name.clone(),
                size: shown_size(f.file.size_bytes),
                by: locale.text_with(
                    "request-file-by",
                    &[("name", f.uploader_name.clone().into())],
                ),
                at: shown_time(f.file.at),
            })
            .collect(),
        may_attach: attachments::may_attach(actor, &r),
        history: history
            .iter()
            .map(|e| HistoryView {
                at: shown_time(e.at),
                who: e.actor_name.clone(),
                what: {
                    let key = format!("history-{}", e.action);
                    if locale.has(&key) {
                        locale.text(&key)
                    } else {
                        e.action.replace('_', " ")
                    }
                },
            })
            .collect(),
        actions,
        may_note: policy::check_note(actor, &r).is_ok(),
        internal_notes: policy::sees_internal_notes(actor),
        sla: view.sla.map(|s| sla_cell(locale, &r, Some(s))),
        contacts: contacts
            .iter()
            .map(|c| ContactView {
                at: shown_time(c.contact.contacted_at),
                by: c.contact.by_name.clone(),
                channel: locale.text(&format!("channel-{}", c.contact.channel)),
                outcome: c.contact.outcome.clone(),
            })
            .collect(),
        may_contact: policy::check_contact(actor, &r).is_ok(),
        channels: ContactChannel::ALL
            .iter()
            .map(|c| (c.as_str(), locale.text(&format!("channel-{c}"))))
            .collect(),
        may_review: r.escalated_at.is_some()
            && policy::check_review(actor, &r).is_ok()
            && view.review.as_ref().is_none_or(|v| v.dispute.is_none()),
        may_dispute: policy::check_dispute(actor, &r).is_ok()
            && view
                .review
                .as_ref()
                .is_some_and(|v| v.check_dispute().is_ok()),
        may_decide: policy::check_decide_dispute(actor, &r).is_ok()
            && view
                .review
                .as_ref()
                .is_some_and(|v| v.check_decide().is_ok()),
        reasons: ImproperReason::ALL
            .iter()
            .map(|c| (c.as_str(), locale.text(&format!("reason-{c}"))))
            .collect(),
        review: view.review.as_ref().map(|v| ReviewView {
            improper: v.improper(),
            verdict: locale.text(&format!("verdict-{}", v.verdict)),
            reason: v.reason.map(|c| locale.text(&format!("reason-{c}"))),
            comment: v.reviewed.comment.clone(),
            by: v.reviewed.by_name.clone(),
            at: shown_time(v.reviewed.at),
            dispute: v
                .dispute
                .as_ref()
                .map(|d| d.comment.clone().unwrap_or_default()),
            decision: v.outcome().map(|o| locale.text(&format!("decided-{o}"))),
            decision_comment: v.decision.as_ref().and_then(|(_, d)| d.comment.clone()),
        }),
        may_merge: policy::check_merge(actor, &r).is_ok() && r.state != RequestState::Closed,
        duplicates,
        linkable,
        linked_incident: r.incident_id.map(|i| i.to_string()).unwrap_or_default(),
        assigned,
        assignees: assignees
            .into_iter()
            .map(|u| (u.id.to_string(), u.name))
            .collect(),
        draft,
        error,
        r,
    };
    Ok(visitor.render_after(page.error.is_some(), &page))
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render(&state, &visitor, &id, String::new(), None).await
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// What a failed change says on the page; other failures are the error page's.
pub(super) fn explain(visitor: &Visitor, error: AppError) -> Result<String, PageError> {
    let locale = visitor.locale;
    match error {
        AppError::Invalid(fields) => Ok(fields
            .iter()
            .map(|f| locale.field_message(f))
            .collect::<Vec<_>>()
            .join(" ")),
        e @ (AppError::IllegalTransition(_) | AppError::PreconditionFailed) => {
            Ok(locale.describe(e.code()))
        }
        other => Err(visitor.fail(other)),
    }
}

/// Adds a note, or takes an action (with the note as its comment). A refused change shows the
/// page again with the note as typed.
pub async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Result<Response, PageError> {
    if !visitor.sent_form_token(&form.csrf) {
        return render(
            &state,
            &visitor,
            &id,
            form.note,
            Some(visitor.locale.text("error-bad_form")),
        )
        .await;
    }
    let actor = visitor.actor()?;
    let note = Some(form.note.clone()).filter(|n| !n.trim().is_empty());
    let result = match form.action.as_deref().filter(|a| !a.is_empty()) {
        Some(action) => {
            let action =
                Action::parse_text(action).map_err(|_| visitor.fail(AppError::NotFound))?;
            state.app.act(actor, &id, action, note, form.version).await
        }
        None => {
            let patch = RequestPatch {
                new_note: Some(form.note.clone()),
                note_visibility: form.visibility.clone(),
                ..RequestPatch::default()
            };
            state
                .app
                .update_request(actor, &id, &patch, form.version)
                .await
        }
    };
    match result {
        Ok(view) => Ok(visitor.redirect(
            &format!("/requests/{}", view.request.id),
            Some(if form.action.is_some() {
                "flash-action-done"
            } else {
                "flash-note-added"
            }),
        )),
        Err(e) => {
            let message = explain(&visitor, e)?;
            render(&state, &visitor, &id, form.note, Some(message)).await
        }
    }
}
