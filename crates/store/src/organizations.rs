//! Organizations of the support chain, partner–customer relationships, managed services and
//! partners' support profiles.

use jiff::Timestamp;
use partnerdesk_domain::{Guid, OrgKind};

use crate::{
    AuditEntry, Organization, Page, Service, Store, StoreError, SupportProfile, audit,
    request_query::Bind,
    rows::{Columns, guid, micros, opt_text, opt_time, text, time, word},
};
use sqlx::AssertSqlSafe;

const ORG_COLUMNS: &str =
    "id, kind, name, domain, country, phone, time_zone, created_at, suspended_at";

fn organization(row: &(impl Columns + ?Sized)) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: guid(row, "id")?,
        kind: word(row, "kind")?,
        name: text(row, "name")?,
        domain: opt_text(row, "domain")?,
        country: opt_text(row, "country")?,
        phone: opt_text(row, "phone")?,
        time_zone: opt_text(row, "time_zone")?,
        created_at: time(row, "created_at")?,
        suspended_at: opt_time(row, "suspended_at")?,
    })
}

/// What customer search matches: name, domain and tenant id, lower-cased (Unicode, not just
/// ASCII, so that Cyrillic names match in any case on both engines).
fn search_text(org: &Organization) -> String {
    format!(
        "{} {} {}",
        org.name,
        org.domain.as_deref().unwrap_or(""),
        org.id
    )
    .to_lowercase()
}

/// `%term%` for LIKE, with LIKE's wildcards escaped.
pub(crate) fn like_pattern(term: &str) -> String {
    let escaped = term
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

async fn insert_org(conn: &mut sqlx::AnyConnection, org: &Organization) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO organizations (id, kind, name, domain, country, phone, time_zone, search_text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(org.id.to_string())
    .bind(org.kind.to_string())
    .bind(&org.name)
    .bind(&org.domain)
    .bind(&org.country)
    .bind(&org.phone)
    .bind(&org.time_zone)
    .bind(search_text(org))
    .bind(micros(org.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Creates an organization; fails with `Duplicate` if the id exists.
    pub async fn insert_organization(
        &self,
        org: &Organization,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        insert_org(&mut tx, org).await?;
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces an organization's editable fields (name, domain, country, phone, time zone,
    /// suspension).
    pub async fn update_organization(
        &self,
        org: &Organization,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE organizations SET name = $2, domain = $3, country = $4, phone = $5, time_zone = $6,
               search_text = $7, suspended_at = $8 WHERE id = $1",
        )
        .bind(org.id.to_string())
        .bind(&org.name)
        .bind(&org.domain)
        .bind(&org.country)
        .bind(&org.phone)
        .bind(&org.time_zone)
        .bind(search_text(org))
        .bind(org.suspended_at.map(micros))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        self.names.forget_all();
        Ok(())
    }

    pub async fn organization(&self, id: Guid) -> Result<Organization, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ORG_COLUMNS} FROM organizations WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        organization(&row)
    }

    /// A customer that `partner_id` serves, if it does.
    pub async fn customer_of_partner(
        &self,
        partner_id: Guid,
        customer_id: Guid,
    ) -> Result<Organization, StoreError> {
        // On the hot reads' pool: every call a partner makes about a customer starts here.
        self.read_row(
            format!(
                "SELECT {ORG_COLUMNS} FROM organizations
                 WHERE id = $1 AND kind = 'customer'
                   AND EXISTS (SELECT 1 FROM relationships WHERE customer_id = $1 AND partner_id = $2)"
            ),
            &[
                Bind::Text(customer_id.to_string()),
                Bind::Text(partner_id.to_string()),
            ],
            |row| organization(row),
        )
        .await
    }

    /// The operator organization (one per deployment), if set up.
    pub async fn operator(&self) -> Result<Option<Organization>, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ORG_COLUMNS} FROM organizations WHERE kind = 'operator' ORDER BY created_at LIMIT 1"
        )))
        .fetch_optional(&self.read)
        .await?;
        row.as_ref().map(organization).transpose()
    }

    /// Organizations of one kind, by name, optionally matching `q` (name, domain or id).
    pub async fn organizations(
        &self,
        kind: OrgKind,
        q: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Organization>, StoreError> {
        let pattern = q.map(like_pattern).unwrap_or_else(|| "%".into());
        let filter = "FROM organizations WHERE kind = $1 AND search_text LIKE $2 ESCAPE '\\'";
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) {filter}")))
            .bind(kind.to_string())
            .bind(&pattern)
            .fetch_one(&self.read)
            .await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ORG_COLUMNS} {filter} ORDER BY name, id LIMIT $3 OFFSET $4"
        )))
        .bind(kind.to_string())
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(Page {
            total,
            items: rows.iter().map(organization).collect::<Result<_, _>>()?,
        })
    }

    /// A partner's customers, by name, optionally matching `q` (name, domain or tenant id).
    pub async fn customers_of_partner(
        &self,
        partner_id: Guid,
        q: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Organization>, StoreError> {
        let pattern = q.map(like_pattern).unwrap_or_else(|| "%".into());
        let filter = "FROM organizations o JOIN relationships rel ON rel.customer_id = o.id
             WHERE rel.partner_id = $1 AND o.search_text LIKE $2 ESCAPE '\\'";
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) {filter}")))
            .bind(partner_id.to_string())
            .bind(&pattern)
            .fetch_one(&self.read)
            .await?;
        let columns = ORG_COLUMNS
            .split(", ")
            .map(|c| format!("o.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {columns} {filter} ORDER BY o.name, o.id LIMIT $3 OFFSET $4"
        )))
        .bind(partner_id.to_string())
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(Page {
            total,
            items: rows.iter().map(organization).collect::<Result<_, _>>()?,
        })
    }

    /// Links a partner and a customer (idempotent).
    pub async fn insert_relationship(
        &self,
        partner_id: Guid,
        customer_id: Guid,
        delegated_admin: bool,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        let linked = sqlx::query(
            "INSERT INTO relationships (partner_id, customer_id, delegated_admin, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (partner_id, customer_id) DO NOTHING",
        )
        .bind(partner_id.to_string())
        .bind(customer_id.to_string())
        .bind(i64::from(delegated_admin))
        .bind(micros(audit.at))
        .execute(&mut *tx)
        .await?;
        // A link that was there already is no change to record.
        if linked.rows_affected() > 0 {
            audit::record(&mut tx, audit).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The partners a customer buys through, oldest relationship first.
    pub async fn partners_of_customer(&self, customer_id: Guid) -> Result<Vec<Guid>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT partner_id FROM relationships WHERE customer_id = $1 ORDER BY created_at, partner_id",
        )
        .bind(customer_id.to_string())
        .fetch_all(&self.read)
        .await?;
        ids.iter()
            .map(|id| {
                id.parse()
                    .map_err(|_| StoreError::Corrupt(format!("bad GUID {id:?}")))
            })
            .collect()
    }

    /// Gives a customer a service, running in `region` (if known); again: moves it there. With
    /// its audit event.
    pub async fn add_managed_service(
        &self,
        customer_id: Guid,
        service_id: &str,
        region: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO managed_services (customer_id, service_id, region_id) VALUES ($1, $2, $3)
             ON CONFLICT (customer_id, service_id) DO UPDATE SET region_id = excluded.region_id",
        )
        .bind(customer_id.to_string())
        .bind(service_id)
        .bind(region)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a customer with its first partner relationship, in one transaction (the audit
    /// events of both with it).
    pub async fn insert_customer(
        &self,
        customer: &Organization,
        partner_id: Guid,
        delegated_admin: bool,
        audit: &[AuditEntry],
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        insert_org(&mut tx, customer).await?;
        sqlx::query(
            "INSERT INTO relationships (partner_id, customer_id, delegated_admin, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(partner_id.to_string())
        .bind(customer.id.to_string())
        .bind(i64::from(delegated_admin))
        .bind(micros(customer.created_at))
        .execute(&mut *tx)
        .await?;
        for entry in audit {
            audit::record(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The services a customer has, by name.
    pub async fn managed_services(&self, customer_id: Guid) -> Result<Vec<Service>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.name, s.admin_url_template FROM managed_services m
             JOIN services s ON s.id = m.service_id WHERE m.customer_id = $1 ORDER BY s.name",
        )
        .bind(customer_id.to_string())
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(crate::catalogue::service).collect()
    }

    pub async fn support_profile(&self, partner_id: Guid) -> Result<SupportProfile, StoreError> {
        let row = sqlx::query(
            "SELECT email, phone, website, hours FROM support_profiles WHERE partner_id = $1",
        )
        .bind(partner_id.to_string())
        .fetch_optional(&self.read)
        .await?;
        match row {
            Some(row) => Ok(SupportProfile {
                email: opt_text(&row, "email")?,
                phone: opt_text(&row, "phone")?,
                website: opt_text(&row, "website")?,
                hours: opt_text(&row, "hours")?,
            }),
            None => Ok(SupportProfile::default()),
        }
    }

    pub async fn put_support_profile(
        &self,
        partner_id: Guid,
        profile: &SupportProfile,
        at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        sqlx::query(
            "INSERT INTO support_profiles (partner_id, email, phone, website, hours, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (partner_id) DO UPDATE SET email = excluded.email, phone = excluded.phone,
               website = excluded.website, hours = excluded.hours, updated_at = excluded.updated_at",
        )
        .bind(partner_id.to_string())
        .bind(&profile.email)
        .bind(&profile.phone)
        .bind(&profile.website)
        .bind(&profile.hours)
        .bind(micros(at))
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}
