//! Service health: the operator's health managers publish incidents, advisories and planned
//! maintenance; partners see what reaches their customers, customers what reaches them.

use jiff::Timestamp;
use partnerdesk_domain::{
    ContentLocale, FieldError, Guid, IncidentKind, IncidentStatus, OrgKind, PublicSeverity,
    StatusChange, fields, fields::limits,
};
use partnerdesk_store::{
    Incident, IncidentFields, IncidentFilter, IncidentScope, IncidentText, NewIncidentUpdate, Page,
    Reach, StoreError,
};

use crate::{
    Actor, App, AppError, Result, policy,
    validation::{Errors, parse_word},
};

/// The longest impact statement or timeline text.
const MAX_TEXT: usize = limits::NOTE;

/// Title and impact in one language, as submitted.
#[derive(Debug, Clone, Default)]
pub struct TextInput {
    pub locale: Option<String>,
    pub title: Option<String>,
    pub impact: Option<String>,
}

/// Whom a notice reaches, as submitted.
#[derive(Debug, Clone)]
pub enum CustomersInput {
    /// Every customer of the services (in the regions).
    All,
    /// Only these tenant ids.
    Listed(Vec<String>),
}

/// A notice as submitted: on creation unset fields take their defaults (an incident,
/// investigating, warning, starting now); on a change unset fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct IncidentInput {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub severity: Option<String>,
    pub starts_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
    pub texts: Option<Vec<TextInput>>,
    pub service_ids: Option<Vec<String>>,
    pub regions: Option<Vec<String>>,
    pub customers: Option<CustomersInput>,
}

/// A timeline entry as submitted: its text per language, and optionally a new status.
#[derive(Debug, Clone, Default)]
pub struct UpdateInput {
    pub status: Option<String>,
    pub texts: Vec<(Option<String>, Option<String>)>,
}

impl App {
    fn require_publisher(&self, actor: &Actor) -> Result<()> {
        if policy::may_publish_health(actor) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Publishes a notice.
    pub async fn publish_incident(&self, actor: &Actor, input: &IncidentInput) -> Result<Incident> {
        self.require_publisher(actor)?;
        let now = self.now();
        let defaults = IncidentFields {
            kind: IncidentKind::Incident,
            status: IncidentStatus::Investigating,
            severity: PublicSeverity::Warning,
            starts_at: now,
            ends_at: None,
            texts: vec![],
            reach: Reach::default(),
        };
        let mut fields = self.apply_incident_input(defaults, input, true).await?;
        if !fields.status.is_open() && fields.ends_at.is_none() {
            fields.ends_at = Some(now);
        }
        let entry = self.audit_entry(
            actor,
            "service_incident",
            "",
            "published",
            serde_json::json!({ "status": fields.status, "severity": fields.severity }),
        );
        let id = self
            .store
            .insert_incident(&fields, actor.id(), now, &entry)
            .await?;
        Ok(self.store.incident(id).await?)
    }

    /// Changes a notice; a status change resolves (sets the end time) or reopens (clears it).
    pub async fn change_incident(
        &self,
        actor: &Actor,
        id: &str,
        input: &IncidentInput,
        expected_version: Option<i64>,
    ) -> Result<Incident> {
        self.require_publisher(actor)?;
        let current = self.incident(actor, id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(AppError::PreconditionFailed);
        }
        let fields = self
            .apply_incident_input(fields_of(&current), input, false)
            .await?;
        let fields = self.with_status_consequences(&current, fields);
        let entry = self.audit_entry(
            actor,
            "service_incident",
            current.id,
            "changed",
            changed_fields(&fields_of(&current), &fields),
        );
        self.store
            .save_incident(current.id, current.version, &fields, self.now(), &entry)
            .await?;
        Ok(self.store.incident(current.id).await?)
    }

    /// Adds an entry to a notice's timeline, moving it to the entry's status if one is given.
    pub async fn add_incident_update(
        &self,
        actor: &Actor,
        id: &str,
        input: &UpdateInput,
    ) -> Result<Incident> {
        self.require_publisher(actor)?;
        let current = self.incident(actor, id).await?;
        let mut errors = Errors::default();
        let status = errors
            .take(parse_word::<IncidentStatus>(
                "status",
                input.status.as_deref(),
            ))
            .flatten()
            .unwrap_or(current.status);
        let texts = errors.take(update_texts(&input.texts)).unwrap_or_default();
        errors.finish()?;
        let fields = self.with_status_consequences(
            &current,
            IncidentFields {
                status,
                ..fields_of(&current)
            },
        );
        let update = NewIncidentUpdate {
            at: self.now(),
            status,
            author_id: Some(actor.id()),
            author_name: actor.name().to_string(),
            texts,
        };
        let entry = self.audit_entry(
            actor,
            "service_incident",
            current.id,
            "update_posted",
            serde_json::json!({ "status": status }),
        );
        self.store
            .add_incident_update(current.id, current.version, &fields, &update, &entry)
            .await?;
        Ok(self.store.incident(current.id).await?)
    }

    /// One notice, if the actor may see it.
    pub async fn incident(&self, actor: &Actor, id: &str) -> Result<Incident> {
        let scope = policy::incident_scope(actor)?;
        let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        if !self.store.incident_in_scope(id, scope).await? {
            return Err(AppError::NotFound);
        }
        Ok(self.store.incident(id).await?)
    }

    /// The ids of the requests linked to a notice that the actor may see (none for roles
    /// without requests), newest first, at most 100.
    pub async fn requests_linked_to(
        &self,
        actor: &Actor,
        incident: &Incident,
    ) -> Result<Vec<String>> {
        let Ok(scope) = policy::request_scope(actor) else {
            return Ok(vec![]);
        };
        let filter = partnerdesk_store::RequestFilter {
            incident_id: Some(incident.id),
            ..Default::default()
        };
        let page = self
            .store
            .list_requests(&scope, &filter, Default::default(), None, 0, 100)
            .await?;
        Ok(page.items.iter().map(|r| r.id.to_string()).collect())
    }

    /// The notices the actor may see, newest first.
    pub async fn incidents(
        &self,
        actor: &Actor,
        filter: &IncidentFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Incident>> {
        let scope = policy::incident_scope(actor)?;
        Ok(self
            .store
            .list_incidents(scope, filter, offset, limit)
            .await?)
    }

    /// The notices that reach one customer the actor may see.
    pub async fn customer_incidents(
        &self,
        actor: &Actor,
        customer_id: Guid,
        filter: &IncidentFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Incident>> {
        policy::incident_scope(actor)?;
        self.customer(actor, customer_id).await?;
        Ok(self
            .store
            .list_incidents(IncidentScope::Customer(customer_id), filter, offset, limit)
            .await?)
    }

    /// Resolving sets the end time (if none was given); reopening clears it.
    fn with_status_consequences(
        &self,
        current: &Incident,
        mut fields: IncidentFields,
    ) -> IncidentFields {
        match current.status.change_to(fields.status) {
            StatusChange::Resolved => fields.ends_at = fields.ends_at.or(Some(self.now())),
            StatusChange::Reopened => fields.ends_at = None,
            StatusChange::Unchanged | StatusChange::Progressed => {}
        }
        fields
    }

    /// `base` with what `input` sets, every bad field named.
    async fn apply_incident_input(
        &self,
        base: IncidentFields,
        input: &IncidentInput,
        creating: bool,
    ) -> Result<IncidentFields> {
        let mut errors = Errors::default();
        let mut fields = base;
        if let Some(kind) = errors
            .take(parse_word("kind", input.kind.as_deref()))
            .flatten()
        {
            fields.kind = kind;
        }
        if let Some(status) = errors
            .take(parse_word("status", input.status.as_deref()))
            .flatten()
        {
            fields.status = status;
        }
        if let Some(severity) = errors
            .take(parse_word("severity", input.severity.as_deref()))
            .flatten()
        {
            fields.severity = severity;
        }
        if let Some(at) = input.starts_at {
            fields.starts_at = at;
        }
        if input.ends_at.is_some() {
            fields.ends_at = input.ends_at;
        }
        if fields.ends_at.is_some_and(|end| end < fields.starts_at) {
            errors.take::<()>(Err(FieldError::invalid("endTime", "before the start time")));
        }
        match &input.texts {
            Some(texts) => {
                if let Some(texts) = errors.take(incident_texts(texts)) {
                    fields.texts = texts;
                }
            }
            None if creating => {
                errors.take::<()>(Err(FieldError::required("texts")));
            }
            None => {}
        }
        match &input.service_ids {
            Some(ids) => {
                if let Some(ids) = errors.take(self.known_services(ids).await?) {
                    fields.reach.services = ids;
                }
            }
            None if creating => {
                errors.take::<()>(Err(FieldError::required("serviceIds")));
            }
            None => {}
        }
        if let Some(regions) = &input.regions
            && let Some(regions) = errors.take(self.known_regions(regions).await?)
        {
            fields.reach.regions = regions;
        }
        match &input.customers {
            Some(CustomersInput::All) => fields.reach.customers = None,
            Some(CustomersInput::Listed(ids)) => {
                if let Some(ids) = errors.take(self.known_customers(ids).await?) {
                    fields.reach.customers = Some(ids);
                }
            }
            None => {}
        }
        errors.finish()?;
        Ok(fields)
    }

    async fn known_services(&self, ids: &[String]) -> Result<Result<Vec<String>, FieldError>> {
        let mut known = vec![];
        for id in ids {
            match self.store.service(id.trim()).await {
                Ok(service) => known.push(service.id),
                Err(StoreError::NotFound) => {
                    return Ok(Err(FieldError::invalid(
                        "serviceIds",
                        format!("no service `{id}`"),
                    )));
                }
                Err(e) => return Err(e.into()),
            }
        }
        known.sort();
        known.dedup();
        Ok(if known.is_empty() {
            Err(FieldError::required("serviceIds"))
        } else {
            Ok(known)
        })
    }

    async fn known_regions(&self, ids: &[String]) -> Result<Result<Vec<String>, FieldError>> {
        let regions = self.store.regions().await?;
        let mut known = vec![];
        for id in ids {
            match regions.iter().find(|(r, _)| r == id.trim()) {
                Some((r, _)) => known.push(r.clone()),
                None => {
                    return Ok(Err(FieldError::invalid(
                        "regions",
                        format!("no region `{id}`"),
                    )));
                }
            }
        }
        known.sort();
        known.dedup();
        Ok(Ok(known))
    }

    async fn known_customers(&self, ids: &[String]) -> Result<Result<Vec<Guid>, FieldError>> {
        let mut known = vec![];
        for id in ids {
            let customer = match id.trim().parse::<Guid>() {
                Ok(guid) => self.store.organization(guid).await,
                Err(_) => Err(StoreError::NotFound),
            };
            match customer {
                Ok(org) if org.kind == OrgKind::Customer => known.push(org.id),
                Ok(_) | Err(StoreError::NotFound) => {
                    return Ok(Err(FieldError::invalid(
                        "affectedCustomers",
                        format!("no customer `{id}`"),
                    )));
                }
                Err(e) => return Err(e.into()),
            }
        }
        known.sort();
        known.dedup();
        Ok(if known.is_empty() {
            Err(FieldError::invalid(
                "affectedCustomers",
                "`all`, or at least one customer",
            ))
        } else {
            Ok(known)
        })
    }
}

fn fields_of(incident: &Incident) -> IncidentFields {
    IncidentFields {
        kind: incident.kind,
        status: incident.status,
        severity: incident.severity,
        starts_at: incident.starts_at,
        ends_at: incident.ends_at,
        texts: incident.texts.clone(),
        reach: incident.reach.clone(),
    }
}

/// Which fields an edit changed, for the history.
fn changed_fields(before: &IncidentFields, after: &IncidentFields) -> serde_json::Value {
    let mut changed = vec![];
    for (name, differs) in [
        ("kind", before.kind != after.kind),
        ("status", before.status != after.status),
        ("severity", before.severity != after.severity),
        ("startTime", before.starts_at != after.starts_at),
        ("endTime", before.ends_at != after.ends_at),
        ("texts", before.texts != after.texts),
        ("serviceIds", before.reach.services != after.reach.services),
        ("regions", before.reach.regions != after.reach.regions),
        (
            "affectedCustomers",
            before.reach.customers != after.reach.customers,
        ),
    ] {
        if differs {
            changed.push(name);
        }
    }
    serde_json::json!({ "changed": changed, "status": after.status })
}

fn locale_of(field: &'static str, tag: Option<&str>) -> Result<ContentLocale, FieldError> {
    let tag = tag
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(FieldError::required(field))?;
    ContentLocale::from_tag(tag).ok_or_else(|| FieldError::invalid(field, "en, zh or ru"))
}

fn incident_texts(texts: &[TextInput]) -> Result<Vec<IncidentText>, FieldError> {
    let mut out: Vec<IncidentText> = vec![];
    for t in texts {
        let locale = locale_of("texts.locale", t.locale.as_deref())?;
        if out.iter().any(|o| o.locale == locale) {
            return Err(FieldError::invalid("texts.locale", "one text per language"));
        }
        out.push(IncidentText {
            locale,
            title: fields::required_text("texts.title", t.title.as_deref(), limits::TITLE)?,
            impact: fields::optional_text("texts.impact", t.impact.as_deref(), MAX_TEXT)?
                .unwrap_or_default(),
        });
    }
    if out.is_empty() {
        return Err(FieldError::required("texts"));
    }
    out.sort_by_key(|t| t.locale);
    Ok(out)
}

fn update_texts(
    texts: &[(Option<String>, Option<String>)],
) -> Result<Vec<(ContentLocale, String)>, FieldError> {
    let mut out: Vec<(ContentLocale, String)> = vec![];
    for (locale, text) in texts {
        let locale = locale_of("texts.locale", locale.as_deref())?;
        if out.iter().any(|(l, _)| *l == locale) {
            return Err(FieldError::invalid("texts.locale", "one text per language"));
        }
        out.push((
            locale,
            fields::required_text("texts.text", text.as_deref(), MAX_TEXT)?,
        ));
    }
    if out.is_empty() {
        return Err(FieldError::required("texts"));
    }
    out.sort_by_key(|(l, _)| *l);
    Ok(out)
}
