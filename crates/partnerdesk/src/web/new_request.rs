//! Report a problem on behalf of a customer, step by step (product.md, "The main flow"): pick
//! the service → "before you submit" (open incidents, matching articles, the admin center; stop
//! here and record a deflection) → the form → confirmation.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use partnerdesk_app::{
    Actor, AppError,
    deflections::DeflectionInput,
    domain::{ContactChannel, EnumText, EscalationCriterion, Guid, OrgKind, Severity},
    policy,
    requests::{ContactInput, RawEnum, RequestInput},
    store::{Organization, SupportTopic},
};
use serde::Deserialize;

use super::{
    customers::{IncidentRow, incident_row, parse_customer_id},
    page::{Frame, PageError, Section},
    visitor::Visitor,
};
use crate::{api::AppState, i18n::Locale};

/// A customer's admin asks its partner; everyone else here files on a customer's behalf.
fn is_customer(actor: &Actor) -> bool {
    actor.org_kind() == OrgKind::Customer
}

/// The customer and one of its services, checked for this actor.
struct Target {
    customer: Organization,
    service_id: String,
    service_name: String,
    admin_url: String,
}

async fn target(
    state: &AppState,
    visitor: &Visitor,
    customer_id: &str,
    service_id: &str,
) -> Result<Target, PageError> {
    let actor = visitor.actor().map_err(|e| visitor.fail(e))?;
    if !policy::may_start_customer_requests(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let customer_id = parse_customer_id(visitor, customer_id)?;
    let customer = state
        .app
        .customer(actor, customer_id)
        .await
        .map_err(|e| visitor.fail(e))?;
    let managed = state
        .app
        .managed_services(actor, customer_id)
        .await
        .map_err(|e| visitor.fail(e))?;
    let service = managed
        .into_iter()
        .find(|m| m.service.id == service_id)
        .ok_or_else(|| visitor.fail(AppError::NotFound))?;
    Ok(Target {
        customer,
        service_id: service.service.id,
        service_name: service.service.name,
        admin_url: service.admin_url,
    })
}

#[derive(Template)]
#[template(path = "web/new_request_service.html")]
struct ServicePage {
    frame: Frame,
    customer: Organization,
    services: Vec<(String, String)>,
    /// A customer goes straight to the form; a partner first sees what may answer the problem.
    next_step: &'static str,
}

/// Step 1: which of the customer's services is the problem with?
pub async fn pick_service(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(customer_id): Path<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor().map_err(|e| visitor.fail(e))?;
    if !policy::may_start_customer_requests(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let customer_id: Guid = parse_customer_id(&visitor, &customer_id)?;
    let customer = state
        .app
        .customer(actor, customer_id)
        .await
        .map_err(|e| visitor.fail(e))?;
    let services = state
        .app
        .managed_services(actor, customer_id)
        .await
        .map_err(|e| visitor.fail(e))?
        .into_iter()
        .map(|m| (m.service.id, m.service.name))
        .collect();
    let page = ServicePage {
        frame: visitor.frame("new-request-title", Section::Customers),
        customer,
        services,
        next_step: if is_customer(actor) { "/form" } else { "" },
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "web/before_you_submit.html")]
struct BeforePage {
    frame: Frame,
    customer: Organization,
    service_id: String,
    service_name: String,
    admin_url: String,
    q: String,
    incidents: Vec<IncidentRow>,
    articles: Vec<ArticleMatch>,
    form_link: String,
}

struct ArticleMatch {
    id: i64,
    title: String,
    body_html: String,
    language: &'static str,
}

/// Step 2: before any form, what may already answer the problem.
pub async fn before_you_submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((customer_id, service_id)): Path<(String, String)>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let target = target(&state, &visitor, &customer_id, &service_id).await?;
    let actor = visitor.actor().map_err(|e| visitor.fail(e))?;
    // Checking health and self-help before escalating is the partner's step (product.md).
    if is_customer(actor) {
        return Ok(visitor.redirect(
            &format!(
                "/customers/{}/new/{}/form",
                target.customer.id, target.service_id
            ),
            None,
        ));
    }
    let q = raw
        .get("q")
        .map(|q| q.trim().to_string())
        .unwrap_or_default();
    let found = state
        .app
        .self_help(
            actor,
            target.customer.id,
            Some(&target.service_id),
            Some(&q),
            visitor.locale.content(),
        )
        .await
        .map_err(|e| visitor.fail(e))?;
    let names = HashMap::from([(target.service_id.clone(), target.service_name.clone())]);
    let mut form_link = format!(
        "/customers/{}/new/{}/form",
        target.customer.id, target.service_id
    );
    if !q.is_empty() {
        let title: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("title", &q)
            .finish();
        form_link = format!("{form_link}?{title}");
    }
    let page = BeforePage {
        frame: visitor.frame("before-title", Section::Customers),
        incidents: found
            .incidents
            .iter()
            .map(|i| incident_row(&visitor, i, &names))
            .collect(),
        articles: found
            .articles
            .iter()
            .map(|(a, _)| ArticleMatch {
                id: a.id,
                title: a.fields.title.clone(),
                body_html: a.fields.body_html.clone(),
                language: match a.fields.locale.as_str() {
                    "zh" => "zh-CN",
                    "ru" => "ru-RU",
                    _ => "en-US",
                },
            })
            .collect(),
        customer: target.customer,
        service_id: target.service_id,
        service_name: target.service_name,
        admin_url: target.admin_url,
        q,
        form_link,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct DeflectForm {
    #[serde(default)]
    reason: String,
    #[serde(default, rename = "articleId")]
    article_id: Option<String>,
    #[serde(default, rename = "incidentId")]
    incident_id: Option<String>,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// The partner stops here: record why (a deflection), back to the customer.
pub async fn deflect(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((customer_id, service_id)): Path<(String, String)>,
    Form(form): Form<DeflectForm>,
) -> Result<Response, PageError> {
    if !visitor.sent_form_token(&form.csrf) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let target = target(&state, &visitor, &customer_id, &service_id).await?;
    let actor = visitor.actor().map_err(|e| visitor.fail(e))?;
    state
        .app
        .record_deflection(
            actor,
            target.customer.id,
            &DeflectionInput {
                service_id: Some(target.service_id),
                reason: Some(form.reason),
                article_id: form.article_id,
                incident_id: form.incident_id,
            },
        )
        .await
        .map_err(|e| visitor.fail(e))?;
    Ok(visitor.redirect(
        &format!("/customers/{}", target.customer.id),
        Some("flash-deflection-recorded"),
    ))
}

/// What the form holds: as typed, so that a failed submit shows it all again.
#[derive(Deserialize, Default, Clone)]
pub struct RequestForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    severity: String,
    #[serde(default, rename = "supportTopicId")]
    topic_id: String,
    #[serde(default, rename = "escalationCriterion")]
    criterion: String,
    #[serde(default)]
    troubleshooting: String,
    #[serde(default, rename = "primaryContact.firstName")]
    first_name: String,
    #[serde(default, rename = "primaryContact.lastName")]
    last_name: String,
    #[serde(default, rename = "primaryContact.email")]
    email: String,
    #[serde(default, rename = "primaryContact.phoneNumber")]
    phone: String,
    #[serde(default, rename = "primaryContact.preferredChannel")]
    channel: String,
    #[serde(default, rename = "primaryContact.locale")]
    language: String,
    #[serde(default, rename = "primaryContact.timeZone")]
    time_zone: String,
    /// One per rendered form: a second submit of the same form makes no second request.
    #[serde(default)]
    submission: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Template)]
#[template(path = "web/request_form.html")]
struct FormPage {
    frame: Frame,
    /// A customer asking its partner: no escalation details, the contact is the customer.
    customer_filing: bool,
    customer: Organization,
    service_name: String,
    action: String,
    back: String,
    form: RequestForm,
    /// Field name → what is wrong with it.
    errors: HashMap<String, String>,
    severities: Vec<SeverityChoice>,
    topics: Vec<Choice>,
    criteria: Vec<Choice>,
    channels: Vec<Choice>,
    languages: Vec<Choice>,
}

struct SeverityChoice {
    value: &'static str,
    label: String,
    meaning: String,
    selected: bool,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

impl FormPage {
    /// The message for a field, if it is wrong.
    fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

fn choices(items: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == current,
            value,
            label,
        })
        .collect()
}

fn form_page(
    visitor: &Visitor,
    target: &Target,
    topics: &[SupportTopic],
    form: RequestForm,
    errors: HashMap<String, String>,
) -> FormPage {
    let locale: Locale = visitor.locale;
    let action = format!(
        "/customers/{}/new/{}/form",
        target.customer.id, target.service_id
    );
    let customer_filing = visitor.actor.as_ref().is_some_and(is_customer);
    FormPage {
        frame: visitor.frame(
            if customer_filing {
                "request-form-title-customer"
            } else {
                "request-form-title"
            },
            Section::Customers,
        ),
        customer_filing,
        customer: target.customer.clone(),
        service_name: target.service_name.clone(),
        back: format!(
            "/customers/{}/new/{}",
            target.customer.id, target.service_id
        ),
        severities: Severity::ALL
            .iter()
            .map(|s| SeverityChoice {
                value: s.as_str(),
                label: locale.text(&format!("severity-{s}")),
                meaning: locale.text_with(
                    &format!("severity-{s}-meaning"),
                    &[("hours", s.default_first_response_hours().into())],
                ),
                selected: form.severity == s.as_str(),
            })
            .collect(),
        // Only topics this user may file under (a billing admin: billing ones).
        topics: choices(
            topics
                .iter()
                .filter(|t| {
                    visitor.actor.as_ref().is_some_and(|a| {
                        is_customer(a) || policy::may_file_for_customer(a, t.category)
                    })
                })
                .map(|t| {
                    (
                        t.id.clone(),
                        format!(
                            "{} ({})",
                            t.name,
                            locale.text(&format!("category-{}", t.category))
                        ),
                    )
                }),
            &form.topic_id,
        ),
        criteria: choices(
            EscalationCriterion::ALL.iter().map(|c| {
                (
                    c.as_str().to_string(),
                    locale.text(&format!("criterion-{c}")),
                )
            }),
            &form.criterion,
        ),
        channels: choices(
            ContactChannel::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), locale.text(&format!("channel-{c}")))),
            &form.channel,
        ),
        languages: choices(
            Locale::ALL
                .iter()
                .map(|l| (l.tag().to_string(), l.native_name().to_string())),
            &form.language,
        ),
        action,
        form,
        errors,
    }
}

/// Step 3: the form, the partner's contact prefilled from the signed-in user.
pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((customer_id, service_id)): Path<(String, String)>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let target = target(&state, &visitor, &customer_id, &service_id).await?;
    let actor = visitor.actor().map_err(|e| visitor.fail(e))?;
    let topics = state
        .app
        .topics(Some(&target.service_id))
        .await
        .map_err(|e| visitor.fail(e))?;
    let (first, last) = actor
        .name()
        .split_once(' ')
        .map(|(f, l)| (f.to_string(), l.to_string()))
        .unwrap_or_else(|| (actor.name().to_string(), String::new()));
    let form = RequestForm {
        title: raw.get("title").cloned().unwrap_or_default(),
        first_name: first,
        last_name: last,
        email: actor.user.email.clone(),
        phone: actor.user.phone.clone().unwrap_or_default(),
        channel: ContactChannel::Phone.as_str().to_string(),
        language: visitor.locale.tag().to_string(),
        time_zone: "Asia/Shanghai".into(),
        submission: super::visitor::new_form_token(),
        ..RequestForm::default()
    };
    let page = form_page(&visitor, &target, &topics, form, HashMap::new());
    Ok(visitor.render(StatusCode::OK, &page))
}

/// Submit: straight to the operator; a failed submit shows the form again, as typed, with
/// each bad field named.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((customer_id, service_id)): Path<(String, String)>,
    Form(form): Form<RequestForm>,
) -> Result<Response, PageError> {
    let target = target(&state, &visitor, &customer_id, &service_id).await?;
    let actor = visitor.actor().map_err(|e| visitor.fail(e))?;
    let topics = state
        .app
        .topics(Some(&target.service_id))
        .await
        .map_err(|e| visitor.fail(e))?;
    if !visitor.sent_form_token(&form.csrf) {
        let errors = HashMap::from([("form".to_string(), visitor.locale.text("error-bad_form"))]);
        let page = form_page(&visitor, &target, &topics, form, errors);
        return Ok(visitor.render(StatusCode::FORBIDDEN, &page));
    }
    let text = |v: &str| Some(v.to_string()).filter(|v| !v.trim().is_empty());
    let customer_filing = is_customer(actor);
    let input = RequestInput {
        title: text(&form.title),
        description: text(&form.description),
        severity: text(&form.severity).map(RawEnum::Text),
        support_topic_id: text(&form.topic_id),
        escalation_criterion: text(&form.criterion),
        troubleshooting: text(&form.troubleshooting),
        // A customer's request names the customer's admin: the use case's default.
        contact: (!customer_filing).then(|| ContactInput {
            first_name: text(&form.first_name),
            last_name: text(&form.last_name),
            email: text(&form.email),
            phone: text(&form.phone),
            preferred_channel: text(&form.channel),
            locale: text(&form.language),
            time_zone: text(&form.time_zone),
        }),
        idempotency_key: text(&form.submission).map(|s| format!("form:{s}")),
        require_escalation_details: !customer_filing,
        ..RequestInput::default()
    };
    match state
        .app
        .create_customer_request(actor, target.customer.id, visitor.locale.tag(), &input)
        .await
    {
        Ok(view) => Ok(visitor.redirect(&format!("/requests/{}/submitted", view.request.id), None)),
        Err(AppError::Invalid(fields)) => {
            let errors = fields
                .iter()
                .map(|f| (f.field.to_string(), visitor.locale.field_message(f)))
                .collect();
            let page = form_page(&visitor, &target, &topics, form, errors);
            Ok(visitor.render(StatusCode::BAD_REQUEST, &page))
        }
        Err(e) => Err(visitor.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "web/request_submitted.html")]
struct SubmittedPage {
    frame: Frame,
    /// Held by the partner (a customer's request), not yet the operator.
    at_partner: bool,
    id: String,
    title: String,
    customer: String,
    contact: String,
    severity_label: String,
    target: String,
}

/// Step 4: the request id and what happens next.
pub async fn submitted(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor().map_err(|e| visitor.fail(e))?;
    let view = state
        .app
        .request(actor, &id)
        .await
        .map_err(|e| visitor.fail(e))?;
    let r = &view.request;
    let locale = visitor.locale;
    let page = SubmittedPage {
        frame: visitor.frame("submitted-title", Section::Customers),
        at_partner: r.tier == partnerdesk_app::domain::Tier::Partner,
        id: r.id.to_string(),
        title: r.title.clone(),
        customer: r.organization_name.clone(),
        contact: [
            r.contact.first_name.clone().unwrap_or_default(),
            r.contact.last_name.clone().unwrap_or_default(),
        ]
        .join(" ")
        .trim()
        .to_string(),
        severity_label: locale.text(&format!("severity-{}", r.severity)),
        target: locale.text_with(
            "sla-target",
            &[("hours", r.severity.default_first_response_hours().into())],
        ),
    };
    Ok(visitor.render(StatusCode::OK, &page))
}
