//! Customers, partners, services and topics, as each actor may see them.

use partnerdesk_domain::{FieldError, Guid, OrgKind, fields};
use partnerdesk_store::{AuditEntry, Organization, Page, Service, SupportProfile, SupportTopic};

use crate::{Actor, App, AppError, Result, policy};

/// A customer's service with the three links of Partner Center's managed services.
pub struct ManagedService {
    pub service: Service,
    /// The customer's admin center, deep-linked with its tenant id and domain.
    pub admin_url: String,
}

/// Editable fields of a partner organization.
#[derive(Default)]
pub struct PartnerInput<'a> {
    pub name: Option<&'a str>,
    pub country: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// Suspend (true) or reinstate (false); a change only.
    pub suspended: Option<bool>,
}

impl App {
    /// Customers the actor may see, matching `q` (name, domain or tenant id).
    pub async fn customers(
        &self,
        actor: &Actor,
        q: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Organization>> {
        if !policy::may_see_customers(actor) {
            return Err(AppError::Forbidden);
        }
        let q = fields::optional_text("q", q, fields::limits::SEARCH)?;
        Ok(match actor.org_kind() {
            OrgKind::Operator => {
                self.store
                    .organizations(OrgKind::Customer, q.as_deref(), offset, limit)
                    .await?
            }
            OrgKind::Partner => {
                self.store
                    .customers_of_partner(actor.org_id(), q.as_deref(), offset, limit)
                    .await?
            }
            OrgKind::Customer => {
                let own = self.store.organization(actor.org_id()).await?;
                let matches = q.is_none_or(|q| own.name.to_lowercase().contains(&q.to_lowercase()));
                let items = if matches && offset == 0 {
                    vec![own]
                } else {
                    vec![]
                };
                Page {
                    total: i64::from(matches),
                    items,
                }
            }
        })
    }

    /// One customer, if the actor may see it (another partner's customer is `NotFound`).
    pub async fn customer(&self, actor: &Actor, customer_id: Guid) -> Result<Organization> {
        if !policy::may_see_customers(actor) {
            return Err(AppError::Forbidden);
        }
        let customer = match actor.org_kind() {
            OrgKind::Partner => {
                self.store
                    .customer_of_partner(actor.org_id(), customer_id)
                    .await?
            }
            OrgKind::Customer if actor.org_id() != customer_id => {
                return Err(AppError::NotFound);
            }
            OrgKind::Operator | OrgKind::Customer => self.store.organization(customer_id).await?,
        };
        if customer.kind != OrgKind::Customer {
            return Err(AppError::NotFound);
        }
        Ok(customer)
    }

    pub async fn managed_services(
        &self,
        actor: &Actor,
        customer_id: Guid,
    ) -> Result<Vec<ManagedService>> {
        let customer = self.customer(actor, customer_id).await?;
        let services = self.store.managed_services(customer_id).await?;
        Ok(services
            .into_iter()
            .map(|service| {
                let admin_url = service
                    .admin_url_template
                    .replace("{tenantId}", &customer.id.to_string())
                    .replace("{domain}", customer.domain.as_deref().unwrap_or(""));
                ManagedService { service, admin_url }
            })
            .collect())
    }

    /// The services of the catalogue, by name.
    pub async fn services(&self) -> Result<Vec<partnerdesk_store::Service>> {
        Ok(self.store.services().await?)
    }

    /// Each service's name by its id.
    pub async fn service_names(&self) -> Result<std::collections::HashMap<String, String>> {
        Ok(self
            .services()
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect())
    }

    /// Support topics, of one service or all. Anyone signed in may read the catalogue.
    /// The regions of the cloud, as (id, name).
    pub async fn regions(&self) -> Result<Vec<(String, String)>> {
        Ok(self.store.regions().await?)
    }

    pub async fn topics(&self, service_id: Option<&str>) -> Result<Vec<SupportTopic>> {
        Ok(self.store.topics(service_id).await?)
    }

    pub async fn organization_of(&self, actor: &Actor) -> Result<Organization> {
        Ok(self.store.organization(actor.org_id()).await?)
    }

    pub async fn partners(
        &self,
        actor: &Actor,
        q: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Organization>> {
        if !policy::may_read_partners(actor) {
            return Err(AppError::Forbidden);
        }
        let q = fields::optional_text("q", q, fields::limits::SEARCH)?;
        Ok(self
            .store
            .organizations(OrgKind::Partner, q.as_deref(), offset, limit)
            .await?)
    }

    pub async fn partner(&self, actor: &Actor, partner_id: Guid) -> Result<Organization> {
        let visible = policy::may_read_partners(actor) || actor.org_id() == partner_id;
        let partner = self.store.organization(partner_id).await?;
        if !visible || partner.kind != OrgKind::Partner {
            return Err(AppError::NotFound);
        }
        Ok(partner)
    }

    pub async fn create_partner(
        &self,
        actor: &Actor,
        input: &PartnerInput<'_>,
    ) -> Result<Organization> {
        if !policy::may_manage_partners(actor) {
            return Err(AppError::Forbidden);
        }
        let partner = Organization {
            id: Guid::new_random(),
            kind: OrgKind::Partner,
            name: fields::required_text("name", input.name, fields::limits::NAME)?,
            domain: None,
            country: fields::country_code("country", input.country)?,
            phone: fields::optional_text("phone", input.phone, fields::limits::PHONE)?,
            time_zone: None,
            created_at: self.now(),
            suspended_at: None,
        };
        let entry = self.audit_entry(
            actor,
            "organization",
            partner.id,
            "created",
            serde_json::json!({ "name": partner.name }),
        );
        self.store.insert_organization(&partner, &entry).await?;
        Ok(partner)
    }

    pub async fn update_partner(
        &self,
        actor: &Actor,
        partner_id: Guid,
        input: &PartnerInput<'_>,
    ) -> Result<Organization> {
        let mut partner = self.partner(actor, partner_id).await?;
        if !policy::may_manage_partners(actor) {
            return Err(AppError::Forbidden);
        }
        if input.name.is_some() {
            partner.name = fields::required_text("name", input.name, fields::limits::NAME)?;
        }
        if input.country.is_some() {
            partner.country = fields::country_code("country", input.country)?;
        }
        if input.phone.is_some() {
            partner.phone = fields::optional_text("phone", input.phone, fields::limits::PHONE)?;
        }
        let action = match input.suspended {
            Some(true) if partner.suspended_at.is_none() => {
                partner.suspended_at = Some(self.now());
                "suspended"
            }
            Some(false) if partner.suspended_at.is_some() => {
                partner.suspended_at = None;
                "reinstated"
            }
            _ => "updated",
        };
        let entry = self.audit_entry(
            actor,
            "organization",
            partner.id,
            action,
            serde_json::json!({ "name": partner.name }),
        );
        self.store.update_organization(&partner, &entry).await?;
        if action == "suspended" {
            // Its tokens stop here at once; other nodes' caches let them go within seconds.
            self.credentials.forget_all();
        }
        Ok(partner)
    }

    /// The support profile a partner shows its customers: the partner's own, or for a customer
    /// its (first) partner's.
    pub async fn support_profile(&self, actor: &Actor) -> Result<SupportProfile> {
        let partner_id = match actor.org_kind() {
            OrgKind::Partner => actor.org_id(),
            OrgKind::Customer => *self
                .store
                .partners_of_customer(actor.org_id())
                .await?
                .first()
                .ok_or(AppError::NotFound)?,
            OrgKind::Operator => return Err(AppError::NotFound),
        };
        Ok(self.store.support_profile(partner_id).await?)
    }

    pub async fn put_support_profile(
        &self,
        actor: &Actor,
        profile: &SupportProfile,
    ) -> Result<SupportProfile> {
        if !policy::may_edit_support_profile(actor) {
            return Err(AppError::Forbidden);
        }
        let clean = SupportProfile {
            email: fields::email("email", profile.email.as_deref())?,
            phone: fields::optional_text("phone", profile.phone.as_deref(), fields::limits::PHONE)?,
            website: website(profile.website.as_deref())?,
            hours: fields::optional_text("hours", profile.hours.as_deref(), fields::limits::SHORT)?,
        };
        let entry = self.audit_entry(
            actor,
            "support_profile",
            actor.org_id(),
            "updated",
            serde_json::json!({}),
        );
        self.store
            .put_support_profile(actor.org_id(), &clean, self.now(), &entry)
            .await?;
        Ok(clean)
    }

    pub(crate) fn audit_entry(
        &self,
        actor: &Actor,
        entity: &'static str,
        id: impl ToString,
        action: &str,
        detail: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            at: self.now(),
            actor_id: Some(actor.id()),
            actor_name: actor.name().to_string(),
            org_id: Some(actor.org_id()),
            entity,
            entity_id: id.to_string(),
            action: action.into(),
            detail,
        }
    }
}

/// Only http(s) links: a `javascript:` URL shown to customers would run in their browser.
fn website(value: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(url) = fields::optional_text("website", value, fields::limits::NAME)? else {
        return Ok(None);
    };
    let lower = url.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.contains(char::is_whitespace)
    {
        Ok(Some(url))
    } else {
        Err(FieldError::invalid(
            "website",
            "must start with https:// or http://",
        ))
    }
}
