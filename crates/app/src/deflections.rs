//! Deflections: a partner records that it stopped before submitting a request — solved in the
//! customer's admin center, a known incident, or an article helped. The scorecards count them.

use jiff::Timestamp;
use partnerdesk_domain::{ArticleStatus, DeflectionReason, FieldError, Guid};
use partnerdesk_store::{Deflection, DeflectionCount, IncidentScope, NewDeflection, Page};

use crate::{
    Actor, App, AppError, Result, policy,
    validation::{Errors, parse_word},
};

/// A deflection as submitted.
#[derive(Debug, Clone, Default)]
pub struct DeflectionInput {
    pub service_id: Option<String>,
    pub reason: Option<String>,
    /// Required when an article helped.
    pub article_id: Option<String>,
    /// Required for a known incident.
    pub incident_id: Option<String>,
}

impl App {
    pub async fn record_deflection(
        &self,
        actor: &Actor,
        customer_id: Guid,
        input: &DeflectionInput,
    ) -> Result<Deflection> {
        if !policy::may_record_deflections(actor) {
            return Err(AppError::Forbidden);
        }
        self.customer(actor, customer_id).await?;
        let mut errors = Errors::default();
        let services = self.store.managed_services(customer_id).await?;
        let service_id = match input.service_id.as_deref().map(str::trim) {
            None | Some("") => errors.take::<String>(Err(FieldError::required("serviceId"))),
            Some(id) if services.iter().any(|s| s.id == id) => Some(id.to_string()),
            Some(_) => errors.take::<String>(Err(FieldError::invalid(
                "serviceId",
                "not one of the customer's services",
            ))),
        };
        let reason = match errors.take(parse_word::<DeflectionReason>(
            "reason",
            input.reason.as_deref(),
        )) {
            Some(None) => errors.take::<DeflectionReason>(Err(FieldError::required("reason"))),
            other => other.flatten(),
        };
        let article_id = match reason {
            Some(DeflectionReason::ArticleHelped) => errors.take(
                self.helpful_article(actor, input, service_id.as_deref())
                    .await?,
            ),
            _ => None,
        };
        let incident_id = match reason {
            Some(DeflectionReason::KnownIncident) => {
                errors.take(self.known_incident(customer_id, input).await?)
            }
            _ => None,
        };
        errors.finish()?;
        let (Some(service_id), Some(reason)) = (service_id, reason) else {
            return Err(AppError::Internal("validation left a field unset".into()));
        };
        let deflection = NewDeflection {
            partner_id: actor.org_id(),
            customer_id,
            service_id,
            reason,
            article_id,
            incident_id,
            created_by: actor.id(),
            at: self.now(),
        };
        let entry = self.audit_entry(
            actor,
            "deflection",
            "",
            "recorded",
            serde_json::json!({ "reason": reason, "customer": customer_id.to_string() }),
        );
        let id = self.store.insert_deflection(&deflection, &entry).await?;
        Ok(Deflection {
            id,
            recorded: deflection,
        })
    }

    /// The article that helped: published, and about the deflected service.
    async fn helpful_article(
        &self,
        actor: &Actor,
        input: &DeflectionInput,
        service_id: Option<&str>,
    ) -> Result<Result<i64, FieldError>> {
        let Some(id) = input.article_id.as_deref().filter(|i| !i.trim().is_empty()) else {
            return Ok(Err(FieldError::required("articleId")));
        };
        Ok(match self.article(actor, id).await {
            Ok(a)
                if a.fields.status == ArticleStatus::Published
                    && service_id.is_none_or(|s| s == a.fields.service_id) =>
            {
                Ok(a.id)
            }
            Ok(_) | Err(AppError::NotFound) => Err(FieldError::invalid(
                "articleId",
                "no published article about this service",
            )),
            Err(e) => return Err(e),
        })
    }

    /// The incident that covered it: one that reaches this customer.
    async fn known_incident(
        &self,
        customer_id: Guid,
        input: &DeflectionInput,
    ) -> Result<Result<i64, FieldError>> {
        let Some(id) = input
            .incident_id
            .as_deref()
            .and_then(|i| i.trim().parse::<i64>().ok())
        else {
            return Ok(Err(FieldError::required("incidentId")));
        };
        Ok(
            if self
                .store
                .incident_in_scope(id, IncidentScope::Customer(customer_id))
                .await?
            {
                Ok(id)
            } else {
                Err(FieldError::invalid(
                    "incidentId",
                    "no incident reaches this customer",
                ))
            },
        )
    }

    /// Deflections since `since` the actor may read, newest first.
    pub async fn deflections(
        &self,
        actor: &Actor,
        since: Timestamp,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Deflection>> {
        let partner = policy::deflection_scope(actor)?;
        Ok(self
            .store
            .list_deflections(partner, since, offset, limit)
            .await?)
    }

    /// Deflections since `since` per partner and service, as the actor may read them.
    pub async fn deflection_counts(
        &self,
        actor: &Actor,
        since: Timestamp,
    ) -> Result<Vec<DeflectionCount>> {
        let partner = policy::deflection_scope(actor)?;
        Ok(self.store.deflection_counts(partner, since).await?)
    }
}
