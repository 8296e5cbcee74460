//! Customer records: a partner's admins (or the operator's admin, for any partner) add a
//! customer with its reseller relationship, correct its record, and give it services; the
//! operator's admin links a customer to another partner. Each change is checked field by field
//! and audited.

use partnerdesk_domain::{FieldError, Guid, OrgKind, fields};
use partnerdesk_store::{AuditEntry, Organization};

use crate::{Actor, App, AppError, Result, policy, validation::Errors};

/// A customer's record as typed.
#[derive(Debug, Clone, Default)]
pub struct CustomerInput {
    pub name: Option<String>,
    /// The primary domain, e.g. `contoso.partner.onmschina.cn`.
    pub domain: Option<String>,
    pub country: Option<String>,
    /// An existing tenant's id; a new one is made if none is given (creation only).
    pub tenant_id: Option<String>,
    /// The partner it buys through (the operator's admin only; a partner adds its own).
    pub partner_id: Option<String>,
}

/// A DNS name: labels of letters, digits and `-`, at least one dot.
fn domain(value: Option<&str>) -> std::result::Result<String, FieldError> {
    let name = fields::required_text("domain", value, 253)?.to_lowercase();
    let labels_ok = name.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if !labels_ok || !name.contains('.') {
        return Err(FieldError::invalid("domain", "not a domain name"));
    }
    Ok(name)
}

fn guid_field(field: &'static str, value: &str) -> std::result::Result<Guid, FieldError> {
    value
        .trim()
        .parse()
        .map_err(|_| FieldError::invalid(field, "not a GUID"))
}

impl App {
    /// Adds a customer with its reseller relationship (delegated admin rights on).
    pub async fn create_customer(
        &self,
        actor: &Actor,
        input: &CustomerInput,
    ) -> Result<Organization> {
        if !policy::may_edit_customers(actor) {
            return Err(AppError::Forbidden);
        }
        let mut errors = Errors::default();
        let name = errors.take(fields::required_text(
            "name",
            input.name.as_deref(),
            fields::limits::NAME,
        ));
        let domain = errors.take(domain(input.domain.as_deref()));
        let country = errors.take(
            fields::country_code("country", input.country.as_deref())
                .and_then(|c| c.ok_or_else(|| FieldError::required("country"))),
        );
        let id = match input.tenant_id.as_deref().map(str::trim) {
            None | Some("") => Some(Guid::new_random()),
            Some(text) => errors.take(guid_field("tenantId", text)),
        };
        let partner = match (actor.org_kind(), input.partner_id.as_deref()) {
            (OrgKind::Partner, _) => Some(actor.org_id()),
            (_, None | Some("")) => errors.take(Err(FieldError::required("partnerId"))),
            (_, Some(text)) => errors.take(guid_field("partnerId", text)),
        };
        if let Some(p) = partner
            && actor.is_operator()
            && !self
                .store
                .organization(p)
                .await
                .is_ok_and(|o| o.kind == OrgKind::Partner)
        {
            errors.take::<()>(Err(FieldError::invalid("partnerId", "no such partner")));
        }
        if let Some(id) = id
            && self.store.organization(id).await.is_ok()
        {
            errors.take::<()>(Err(FieldError::invalid(
                "tenantId",
                "a customer with this tenant id exists",
            )));
        }
        errors.finish()?;
        let (Some(name), Some(domain), Some(country), Some(id), Some(partner)) =
            (name, domain, country, id, partner)
        else {
            return Err(AppError::Internal("checked fields missing".into()));
        };
        let customer = Organization {
            id,
            kind: OrgKind::Customer,
            name,
            domain: Some(domain),
            country: Some(country),
            phone: None,
            time_zone: None,
            created_at: self.now(),
            suspended_at: None,
        };
        let events = [
            self.audit_entry(
                actor,
                "organization",
                id,
                "created",
                serde_json::json!({ "name": customer.name, "domain": customer.domain }),
            ),
            self.audit_entry(
                actor,
                "relationship",
                id,
                "created",
                serde_json::json!({ "partnerId": partner.to_string() }),
            ),
        ];
        self.store
            .insert_customer(&customer, partner, true, &events)
            .await?;
        Ok(customer)
    }

    /// Corrects a customer's name, domain or country (only what is given).
    pub async fn update_customer(
        &self,
        actor: &Actor,
        customer_id: Guid,
        input: &CustomerInput,
    ) -> Result<Organization> {
        let mut customer = self.customer(actor, customer_id).await?;
        if !policy::may_edit_customers(actor) {
            return Err(AppError::Forbidden);
        }
        let mut errors = Errors::default();
        if input.name.is_some() {
            customer.name = errors
                .take(fields::required_text(
                    "name",
                    input.name.as_deref(),
                    fields::limits::NAME,
                ))
                .unwrap_or_default();
        }
        if input.domain.is_some() {
            customer.domain = errors.take(domain(input.domain.as_deref()));
        }
        if input.country.is_some() {
            customer.country = errors
                .take(fields::country_code("country", input.country.as_deref()))
                .flatten()
                .or(customer.country);
        }
        errors.finish()?;
        let entry = self.audit_entry(
            actor,
            "organization",
            customer.id,
            "updated",
            serde_json::json!({ "name": customer.name, "domain": customer.domain, "country": customer.country }),
        );
        self.store.update_organization(&customer, &entry).await?;
        Ok(customer)
    }

    /// Links a customer to another partner (the operator's admin).
    pub async fn link_customer(
        &self,
        actor: &Actor,
        customer_id: Guid,
        partner_id: &str,
        delegated_admin: bool,
    ) -> Result<Vec<Organization>> {
        // A customer the actor cannot see is not found, whatever it may do.
        let customer = self.customer(actor, customer_id).await?;
        if !policy::may_manage_partners(actor) {
            return Err(AppError::Forbidden);
        }
        let partner = guid_field("partnerId", partner_id)?;
        if !self
            .store
            .organization(partner)
            .await
            .is_ok_and(|o| o.kind == OrgKind::Partner)
        {
            return Err(FieldError::invalid("partnerId", "no such partner").into());
        }
        let entry = self.audit_entry(
            actor,
            "relationship",
            customer.id,
            "created",
            serde_json::json!({ "partnerId": partner.to_string(), "delegatedAdmin": delegated_admin }),
        );
        self.store
            .insert_relationship(partner, customer.id, delegated_admin, &entry)
            .await?;
        self.customer_partners(actor, customer.id).await
    }

    /// The partners a customer buys through (the operator sees all; a partner only itself).
    pub async fn customer_partners(
        &self,
        actor: &Actor,
        customer_id: Guid,
    ) -> Result<Vec<Organization>> {
        self.customer(actor, customer_id).await?;
        let mut partners = vec![];
        for id in self.store.partners_of_customer(customer_id).await? {
            if actor.is_operator() || actor.org_id() == id {
                partners.push(self.store.organization(id).await?);
            }
        }
        Ok(partners)
    }

    /// Gives a customer a service (in a region, if given); again: moves it there.
    pub async fn add_customer_service(
        &self,
        actor: &Actor,
        customer_id: Guid,
        service_id: &str,
        region: Option<&str>,
    ) -> Result<()> {
        let customer = self.customer(actor, customer_id).await?;
        if !policy::may_edit_customers(actor) {
            return Err(AppError::Forbidden);
        }
        let mut errors = Errors::default();
        if !self
            .store
            .services()
            .await?
            .iter()
            .any(|s| s.id == service_id)
        {
            errors.take::<()>(Err(FieldError::invalid("serviceId", "no such service")));
        }
        let region = region.map(str::trim).filter(|r| !r.is_empty());
        if let Some(region) = region
            && !self
                .store
                .regions()
                .await?
                .iter()
                .any(|(id, _)| id == region)
        {
            errors.take::<()>(Err(FieldError::invalid("region", "no such region")));
        }
        errors.finish()?;
        let entry: AuditEntry = self.audit_entry(
            actor,
            "organization",
            customer.id,
            "service_added",
            serde_json::json!({ "serviceId": service_id, "region": region }),
        );
        self.store
            .add_managed_service(customer.id, service_id, region, &entry)
            .await?;
        Ok(())
    }
}
