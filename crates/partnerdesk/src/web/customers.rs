//! Find a customer (name, domain or tenant id) and the customer's page: its managed services
//! with their three links, what is open for it now, and **New request**.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use partnerdesk_app::{
    AppError,
    domain::{Guid, PublicSeverity},
    policy,
    store::{IncidentFilter, Organization},
};

use super::{
    page::{Frame, OnPage, PageError, Section},
    visitor::Visitor,
};
use crate::api::AppState;

const RESULTS: i64 = 50;

#[derive(Template)]
#[template(path = "web/customer_search.html")]
struct SearchPage {
    frame: Frame,
    q: String,
    error: Option<String>,
    results: Vec<Organization>,
    summary: String,
}

pub async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let locale = visitor.locale;
    let q = raw
        .get("q")
        .map(|q| q.trim().to_string())
        .unwrap_or_default();
    let (results, total, error) = match state
        .app
        .customers(
            actor,
            Some(&q).filter(|q| !q.is_empty()).map(String::as_str),
            0,
            RESULTS,
        )
        .await
    {
        Ok(page) => (page.items, page.total, None),
        Err(AppError::Invalid(fields)) => (
            vec![],
            0,
            Some(
                fields
                    .iter()
                    .map(|f| locale.field_message(f))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ),
        Err(e) => return Err(visitor.fail(e)),
    };
    let summary = if results.is_empty() {
        locale.text("customers-none")
    } else {
        locale.text_with(
            "customers-found",
            &[
                ("shown", (results.len() as i64).into()),
                ("total", total.into()),
            ],
        )
    };
    let page = SearchPage {
        frame: visitor.frame("customers-title", Section::Customers),
        q,
        error,
        results,
        summary,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "web/customer.html")]
struct CustomerPage {
    frame: Frame,
    customer: Organization,
    services: Vec<ServiceRow>,
    incidents: Vec<IncidentRow>,
    may_file: bool,
}

struct ServiceRow {
    id: String,
    name: String,
    admin_url: String,
    open_incidents: usize,
}

pub struct IncidentRow {
    pub id: i64,
    pub title: String,
    pub impact: String,
    pub status_label: String,
    pub severity: PublicSeverity,
    pub services: String,
}

/// An incident as the pages list it, in the reader's language.
pub fn incident_row(
    visitor: &Visitor,
    incident: &partnerdesk_app::store::Incident,
    service_names: &HashMap<String, String>,
) -> IncidentRow {
    let text = visitor.locale.pick(&incident.texts, |t| t.locale);
    IncidentRow {
        id: incident.id,
        title: text.map(|t| t.title.clone()).unwrap_or_default(),
        impact: text.map(|t| t.impact.clone()).unwrap_or_default(),
        status_label: visitor
            .locale
            .text(&format!("incident-status-{}", incident.status)),
        severity: incident.severity,
        services: incident
            .reach
            .services
            .iter()
            .map(|s| service_names.get(s).cloned().unwrap_or_else(|| s.clone()))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

pub fn parse_customer_id(visitor: &Visitor, raw: &str) -> Result<Guid, PageError> {
    raw.parse().map_err(|_| visitor.fail(AppError::NotFound))
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(customer_id): Path<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let customer_id = parse_customer_id(&visitor, &customer_id)?;
    let app = &state.app;
    let customer = app.customer(actor, customer_id).await.on_page(&visitor)?;
    let managed = app
        .managed_services(actor, customer_id)
        .await
        .on_page(&visitor)?;
    // Sales agents see customers but not service health.
    let incidents = if policy::incident_scope(actor).is_ok() {
        let open = IncidentFilter {
            open: Some(true),
            ..Default::default()
        };
        app.customer_incidents(actor, customer_id, &open, 0, 50)
            .await
            .on_page(&visitor)?
            .items
    } else {
        vec![]
    };
    let names: HashMap<String, String> = managed
        .iter()
        .map(|m| (m.service.id.clone(), m.service.name.clone()))
        .collect();
    let page = CustomerPage {
        frame: visitor.frame("customer-title", Section::Customers),
        services: managed
            .iter()
            .map(|m| ServiceRow {
                id: m.service.id.clone(),
                name: m.service.name.clone(),
                admin_url: m.admin_url.clone(),
                open_incidents: incidents
                    .iter()
                    .filter(|i| i.reach.services.contains(&m.service.id))
                    .count(),
            })
            .collect(),
        incidents: incidents
            .iter()
            .map(|i| incident_row(&visitor, i, &names))
            .collect(),
        may_file: policy::may_start_customer_requests(actor),
        customer,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}
