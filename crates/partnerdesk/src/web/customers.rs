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
    may_add: bool,
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
        may_add: policy::may_edit_customers(actor),
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
    /// The record's forms, for those who may change it.
    editor: Option<RecordEditor>,
    /// The partners it buys through (the operator's readers), and whether one may be linked.
    partners: Option<Vec<Organization>>,
    link: Option<LinkEditor>,
}

/// The forms that change a customer: its record and a service to add, as typed.
pub struct RecordEditor {
    pub record: CustomerForm,
    pub record_errors: Vec<String>,
    pub service: ServiceForm,
    pub service_errors: Vec<String>,
    /// Every service and region, as (id, name).
    pub all_services: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
}

/// Linking another partner (the operator's admin).
pub struct LinkEditor {
    pub partner_id: String,
    pub errors: Vec<String>,
    /// Every partner, as (id, name).
    pub partners: Vec<(String, String)>,
}

/// A customer's record as typed (also the new-customer form).
#[derive(serde::Deserialize, Default, Clone)]
pub struct CustomerForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub tenant_id: String,
    #[serde(default)]
    pub partner_id: String,
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
}

/// A service to add, as typed.
#[derive(serde::Deserialize, Default, Clone)]
pub struct ServiceForm {
    #[serde(default)]
    pub service_id: String,
    #[serde(default)]
    pub region: String,
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
}

/// What a refused form leaves on the customer's page.
#[derive(Default)]
pub struct CustomerDraft {
    pub record: Option<(CustomerForm, Vec<String>)>,
    pub service: Option<(ServiceForm, Vec<String>)>,
    pub link: Option<(String, Vec<String>)>,
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

/// Every partner as (id, name), for the operator's admin to choose from.
pub async fn partner_choices(
    state: &AppState,
    visitor: &Visitor,
) -> Result<Vec<(String, String)>, PageError> {
    Ok(state
        .app
        .partners(visitor.actor()?, None, 0, 500)
        .await
        .on_page(visitor)?
        .items
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect())
}

pub fn parse_customer_id(visitor: &Visitor, raw: &str) -> Result<Guid, PageError> {
    raw.parse().map_err(|_| visitor.fail(AppError::NotFound))
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(customer_id): Path<String>,
) -> Result<Response, PageError> {
    let customer_id = parse_customer_id(&visitor, &customer_id)?;
    render_customer(&state, &visitor, customer_id, CustomerDraft::default()).await
}

/// The customer's page, with what a refused form left in it (a 400 then).
pub async fn render_customer(
    state: &AppState,
    visitor: &Visitor,
    customer_id: Guid,
    draft: CustomerDraft,
) -> Result<Response, PageError> {
    let visitor = visitor.clone();
    let actor = visitor.actor()?;
    let app = &state.app;
    let refused = draft.record.is_some() || draft.service.is_some() || draft.link.is_some();
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
    let editor = if policy::may_edit_customers(actor) {
        let (record, record_errors) = draft.record.unwrap_or_else(|| {
            let record = CustomerForm {
                name: customer.name.clone(),
                domain: customer.domain.clone().unwrap_or_default(),
                country: customer.country.clone().unwrap_or_default(),
                ..CustomerForm::default()
            };
            (record, vec![])
        });
        let (service, service_errors) = draft.service.unwrap_or_default();
        Some(RecordEditor {
            record,
            record_errors,
            service,
            service_errors,
            all_services: app
                .services()
                .await
                .on_page(&visitor)?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect(),
            regions: app.regions().await.on_page(&visitor)?,
        })
    } else {
        None
    };
    let partners = if actor.is_operator() {
        Some(
            app.customer_partners(actor, customer_id)
                .await
                .on_page(&visitor)?,
        )
    } else {
        None
    };
    let link = if policy::may_manage_partners(actor) {
        let (partner_id, errors) = draft.link.unwrap_or_default();
        Some(LinkEditor {
            partner_id,
            errors,
            partners: partner_choices(state, &visitor).await?,
        })
    } else {
        None
    };
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
        editor,
        partners,
        link,
        customer,
    };
    Ok(visitor.render_form(refused, &page))
}
