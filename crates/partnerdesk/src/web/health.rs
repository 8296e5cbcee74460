//! Service health: the notices that reach the user's customers (or the customer itself), open
//! or resolved, and each notice's page with its timeline in the reader's language.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use partnerdesk_app::{
    domain::EnumText,
    store::{Incident, IncidentFilter},
};

use super::{
    customers::{IncidentRow, incident_row},
    page::{Frame, OnPage, PageError, Section, shown_time},
    visitor::Visitor,
};
use crate::api::AppState;

#[derive(Template)]
#[template(path = "web/health.html")]
struct HealthPage {
    frame: Frame,
    open: bool,
    may_publish: bool,
    incidents: Vec<(IncidentRow, String)>,
}

fn when(incident: &Incident) -> String {
    let start = shown_time(incident.starts_at);
    match incident.ends_at {
        Some(end) => format!("{start} – {}", shown_time(end)),
        None => start,
    }
}

/// `/health`: open notices (or `?resolved=1`), newest first.
pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let open = !raw.contains_key("resolved");
    let filter = IncidentFilter {
        open: Some(open),
        ..Default::default()
    };
    let found = state
        .app
        .incidents(actor, &filter, 0, 100)
        .await
        .on_page(&visitor)?;
    let names = state.app.service_names().await.on_page(&visitor)?;
    let page = HealthPage {
        frame: visitor.frame("health-title", Section::Health),
        open,
        may_publish: partnerdesk_app::policy::may_publish_health(actor),
        incidents: found
            .items
            .iter()
            .map(|i| (incident_row(&visitor, i, &names), when(i)))
            .collect(),
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "web/incident.html")]
struct IncidentPage {
    frame: Frame,
    row: IncidentRow,
    kind_label: String,
    when: String,
    regions: String,
    updates: Vec<UpdateView>,
    linked: Vec<String>,
    /// The next timeline entry's form, for those who publish: (statuses, languages).
    update_form: Option<UpdateForm>,
}

struct UpdateForm {
    statuses: super::page::Choices,
    languages: super::page::Choices,
    current: String,
    /// What a refused entry had typed, by field name, and why it was refused.
    typed: Vec<(String, String)>,
    errors: Vec<String>,
}

impl UpdateForm {
    fn typed(&self, name: &str) -> &str {
        self.typed
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    fn selected(&self, status: &str) -> bool {
        match self.typed.iter().find(|(k, _)| k == "status") {
            Some((_, v)) => v == status,
            None => self.current == status,
        }
    }
}

struct UpdateView {
    at: String,
    status_label: String,
    text: String,
}

/// `/health/{id}`: one notice and its timeline, newest first.
pub async fn incident(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render_incident(&state, &visitor, &id, None).await
}

/// A refused timeline entry: what was typed (by field name) and why it was refused.
pub type RefusedUpdate = (Vec<(String, String)>, Vec<String>);

/// A notice's page; with a refused timeline entry, a 400.
pub async fn render_incident(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    refused: Option<RefusedUpdate>,
) -> Result<Response, PageError> {
    let visitor = visitor.clone();
    let id = id.to_string();
    let actor = visitor.actor()?;
    let incident = state.app.incident(actor, &id).await.on_page(&visitor)?;
    let linked = state
        .app
        .requests_linked_to(actor, &incident)
        .await
        .on_page(&visitor)?;
    let names = state.app.service_names().await.on_page(&visitor)?;
    let locale = visitor.locale;
    let page = IncidentPage {
        frame: visitor.frame("incident-title", Section::Health),
        row: incident_row(&visitor, &incident, &names),
        kind_label: locale.text(&format!("incident-kind-{}", incident.kind.as_str())),
        when: when(&incident),
        regions: if incident.reach.regions.is_empty() {
            locale.text("incident-all-regions")
        } else {
            incident.reach.regions.join(", ")
        },
        updates: incident
            .updates
            .iter()
            .rev()
            .map(|u| UpdateView {
                at: shown_time(u.at),
                status_label: locale.text(&format!("incident-status-{}", u.status.as_str())),
                text: locale
                    .pick(&u.texts, |t| t.0)
                    .map(|t| t.1.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        linked,
        update_form: None,
    };
    let was_refused = refused.is_some();
    let page = IncidentPage {
        update_form: partnerdesk_app::policy::may_publish_health(actor).then(|| {
            let (statuses, languages) = super::incident_publishing::update_choices(&visitor);
            let (typed, errors) = refused.unwrap_or_default();
            UpdateForm {
                statuses,
                languages,
                current: incident.status.as_str().to_string(),
                typed,
                errors,
            }
        }),
        ..page
    };
    Ok(visitor.render_form(was_refused, &page))
}
