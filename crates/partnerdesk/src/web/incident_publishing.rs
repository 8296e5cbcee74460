//! Publishing service health (the operator's health managers and admin): the form for a new
//! notice (kind, severity, status, services, regions, whom it reaches, when, and its title and
//! impact in English, Chinese and Russian) and a notice's next timeline entry. A refused form
//! comes back as typed, each bad field named.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use partnerdesk_app::{
    AppError,
    domain::{ContentLocale, EnumText, IncidentKind, IncidentStatus, PublicSeverity},
    health::{CustomersInput, IncidentInput, TextInput, UpdateInput},
    policy,
};

use super::{
    page::{
        Choices, Frame, OnPage, PageError, Section, check_form_token, choices, content_languages,
        field_messages,
    },
    visitor::Visitor,
};
use crate::{api::AppState, query::time_param};

/// The form's fields, as typed (repeated names for services and regions).
#[derive(Default)]
struct Typed(Vec<(String, String)>);

impl Typed {
    fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
    fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }
    fn token(&self) -> String {
        self.one("_csrf")
    }
}

/// A `datetime-local` value (no zone, no seconds) as the UTC instant the pages show.
fn utc(field: &'static str, value: &str) -> Result<Option<jiff::Timestamp>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let full = if value.len() == 16 {
        format!("{value}:00Z")
    } else {
        value.to_string()
    };
    Ok(time_param(field, Some(&full))?)
}

#[derive(Template)]
#[template(path = "web/incident_new.html")]
struct NewNoticePage {
    frame: Frame,
    typed: Typed,
    errors: Vec<String>,
    kinds: Choices,
    statuses: Choices,
    severities: Choices,
    services: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    languages: Choices,
}

async fn render_new(
    state: &AppState,
    visitor: &Visitor,
    typed: Typed,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    if !policy::may_publish_health(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let page = NewNoticePage {
        frame: visitor.frame("incident-publish", Section::Health),
        kinds: choices::<IncidentKind>(visitor, "incident-kind-"),
        statuses: choices::<IncidentStatus>(visitor, "incident-status-"),
        severities: choices::<PublicSeverity>(visitor, "incident-severity-"),
        services: state
            .app
            .services()
            .await
            .on_page(visitor)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        regions: state.app.regions().await.on_page(visitor)?,
        languages: content_languages(visitor),
        typed,
        errors,
    };
    Ok(visitor.render_form(!page.errors.is_empty(), &page))
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let defaults = Typed(vec![
        ("kind".into(), "incident".into()),
        ("status".into(), "investigating".into()),
        ("severity".into(), "warning".into()),
    ]);
    render_new(&state, &visitor, defaults, vec![]).await
}

/// The notice the form describes.
fn notice_of(typed: &Typed) -> Result<IncidentInput, AppError> {
    let given = |name: &str| Some(typed.one(name)).filter(|v| !v.is_empty());
    let texts = ContentLocale::ALL
        .iter()
        .map(|l| l.as_str())
        .filter(|l| {
            !typed.one(&format!("title_{l}")).is_empty()
                || !typed.one(&format!("impact_{l}")).is_empty()
        })
        .map(|l| TextInput {
            locale: Some(l.to_string()),
            title: given(&format!("title_{l}")),
            impact: given(&format!("impact_{l}")),
        })
        .collect();
    let listed = typed
        .one("customer_ids")
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect::<Vec<_>>();
    Ok(IncidentInput {
        kind: given("kind"),
        status: given("status"),
        severity: given("severity"),
        starts_at: utc("startTime", &typed.one("starts_at"))?,
        ends_at: utc("endTime", &typed.one("ends_at"))?,
        texts: Some(texts),
        service_ids: Some(typed.all("service_ids")),
        regions: Some(typed.all("regions")),
        customers: Some(if listed.is_empty() {
            CustomersInput::All
        } else {
            CustomersInput::Listed(listed)
        }),
    })
}

pub async fn publish(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let typed = Typed(pairs);
    check_form_token(&visitor, &typed.token())?;
    let actor = visitor.actor()?;
    let published = match notice_of(&typed) {
        Ok(input) => state.app.publish_incident(actor, &input).await,
        Err(e) => Err(e),
    };
    match published {
        Ok(incident) => Ok(visitor.redirect(
            &format!("/health/{}", incident.id),
            Some("flash-incident-published"),
        )),
        Err(e) => {
            let errors = field_messages(&visitor, e)?;
            render_new(&state, &visitor, typed, errors).await
        }
    }
}

/// A timeline entry: a new status (or the same) and its text in any of the languages.
pub async fn post_update(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let typed = Typed(pairs);
    check_form_token(&visitor, &typed.token())?;
    let actor = visitor.actor()?;
    let input = UpdateInput {
        status: Some(typed.one("status")).filter(|s| !s.is_empty()),
        texts: ContentLocale::ALL
            .iter()
            .map(|l| l.as_str())
            .filter(|l| !typed.one(&format!("text_{l}")).is_empty())
            .map(|l| (Some(l.to_string()), Some(typed.one(&format!("text_{l}")))))
            .collect(),
    };
    match state.app.add_incident_update(actor, &id, &input).await {
        Ok(incident) => Ok(visitor.redirect(
            &format!("/health/{}", incident.id),
            Some("flash-incident-updated"),
        )),
        Err(e) => {
            let errors = field_messages(&visitor, e)?;
            super::health::render_incident(&state, &visitor, &id, Some((typed.0, errors))).await
        }
    }
}

/// The update form's choices, for the incident page: statuses and languages.
pub fn update_choices(visitor: &Visitor) -> (Choices, Choices) {
    (
        choices::<IncidentStatus>(visitor, "incident-status-"),
        content_languages(visitor),
    )
}
