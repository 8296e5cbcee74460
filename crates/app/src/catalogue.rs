//! The catalogue the operator's admin keeps: services (with the admin-center link each
//! customer's page opens) and their support topics. Every change is checked field by field and
//! audited.

use partnerdesk_domain::{Category, FieldError, fields};
use partnerdesk_store::{Service, SupportTopic};

use crate::{
    Actor, App, AppError, Result, policy,
    validation::{Errors, parse_word},
};

/// The placeholders an admin-center link may hold, filled per customer.
pub const URL_PLACEHOLDERS: [&str; 2] = ["{tenantId}", "{domain}"];

/// A service as typed.
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    pub id: Option<String>,
    pub name: Option<String>,
    pub admin_url_template: Option<String>,
}

/// A support topic as typed.
#[derive(Debug, Clone, Default)]
pub struct TopicInput {
    pub id: Option<String>,
    pub service_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
}

/// An identifier people type and URLs carry: 2–40 of a–z, 0–9 and `-`.
fn slug(field: &'static str, value: Option<&str>) -> std::result::Result<String, FieldError> {
    let id = value.map(str::trim).unwrap_or_default();
    if id.is_empty() {
        return Err(FieldError::required(field));
    }
    let shaped = (2..=40).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !shaped {
        return Err(FieldError::invalid(field, "2 to 40 of a–z, 0–9 and -"));
    }
    Ok(id.to_string())
}

/// An https link whose only `{…}` are the known placeholders.
fn url_template(value: Option<&str>) -> std::result::Result<String, FieldError> {
    const FIELD: &str = "adminUrlTemplate";
    let url = fields::required_text(FIELD, value, 500)?;
    if !url.to_ascii_lowercase().starts_with("https://") {
        return Err(FieldError::invalid(FIELD, "must start with https://"));
    }
    let mut rest = URL_PLACEHOLDERS
        .iter()
        .fold(url.clone(), |rest, p| rest.replace(p, ""));
    rest.retain(|c| c == '{' || c == '}');
    if !rest.is_empty() {
        return Err(FieldError::invalid(
            FIELD,
            format!("placeholders are {}", URL_PLACEHOLDERS.join(" and ")),
        ));
    }
    Ok(url)
}

impl App {
    /// Adds a service, or changes the one with this id.
    pub async fn save_service(&self, actor: &Actor, input: &ServiceInput) -> Result<Service> {
        if !policy::may_manage_catalogue(actor) {
            return Err(AppError::Forbidden);
        }
        let mut errors = Errors::default();
        let id = errors.take(slug("id", input.id.as_deref()));
        let name = errors.take(fields::required_text(
            "name",
            input.name.as_deref(),
            fields::limits::NAME,
        ));
        let template = errors.take(url_template(input.admin_url_template.as_deref()));
        errors.finish()?;
        let (Some(id), Some(name), Some(admin_url_template)) = (id, name, template) else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let service = Service {
            id,
            name,
            admin_url_template,
        };
        let entry = self.audit_entry(
            actor,
            "service",
            &service.id,
            "saved",
            serde_json::json!({ "name": service.name, "adminUrlTemplate": service.admin_url_template }),
        );
        self.store.put_service(&service, &entry).await?;
        Ok(service)
    }

    /// Adds a support topic to a service, or changes the one with this id.
    pub async fn save_topic(&self, actor: &Actor, input: &TopicInput) -> Result<SupportTopic> {
        if !policy::may_manage_catalogue(actor) {
            return Err(AppError::Forbidden);
        }
        let mut errors = Errors::default();
        let id = errors.take(slug("id", input.id.as_deref()));
        let service_id = errors.take(slug("serviceId", input.service_id.as_deref()));
        let name = errors.take(fields::required_text(
            "name",
            input.name.as_deref(),
            fields::limits::NAME,
        ));
        let description = errors.take(fields::optional_text(
            "description",
            input.description.as_deref(),
            fields::limits::NOTE,
        ));
        let category = errors
            .take(parse_word::<Category>(
                "category",
                input.category.as_deref(),
            ))
            .flatten();
        if input
            .category
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
        {
            errors.take::<()>(Err(FieldError::required("category")));
        }
        if let Some(service_id) = &service_id
            && !self
                .store
                .services()
                .await?
                .iter()
                .any(|s| &s.id == service_id)
        {
            errors.take::<()>(Err(FieldError::invalid("serviceId", "no such service")));
        }
        errors.finish()?;
        let (Some(id), Some(service_id), Some(name), Some(description), Some(category)) =
            (id, service_id, name, description, category)
        else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let topic = SupportTopic {
            id,
            service_id,
            name,
            description: description.unwrap_or_default(),
            category,
        };
        let entry = self.audit_entry(
            actor,
            "support_topic",
            &topic.id,
            "saved",
            serde_json::json!({ "serviceId": topic.service_id, "name": topic.name, "category": topic.category }),
        );
        self.store.put_topic(&topic, &entry).await?;
        Ok(topic)
    }
}
