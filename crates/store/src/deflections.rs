//! Deflections: requests a partner did not submit, and why.

use jiff::Timestamp;
use partnerdesk_domain::{DeflectionReason, Guid};
use sqlx::AssertSqlSafe;

use crate::{
    AuditEntry, Page, Store, StoreError, audit,
    rows::{guid, int, micros, text, time, word},
};

#[derive(Debug, Clone, PartialEq)]
pub struct NewDeflection {
    pub partner_id: Guid,
    pub customer_id: Guid,
    pub service_id: String,
    pub reason: DeflectionReason,
    pub article_id: Option<i64>,
    pub incident_id: Option<i64>,
    pub created_by: Guid,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deflection {
    pub id: i64,
    pub recorded: NewDeflection,
}

/// How many deflections one partner recorded for one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeflectionCount {
    pub partner_id: Guid,
    pub service_id: String,
    pub count: i64,
}

impl Store {
    /// Records a deflection with its history event (whose `entity_id` is set to the id).
    pub async fn insert_deflection(
        &self,
        deflection: &NewDeflection,
        recorded: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO deflections (partner_id, customer_id, service_id, reason, article_id,
               incident_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(deflection.partner_id.to_string())
        .bind(deflection.customer_id.to_string())
        .bind(&deflection.service_id)
        .bind(deflection.reason.to_string())
        .bind(deflection.article_id)
        .bind(deflection.incident_id)
        .bind(deflection.created_by.to_string())
        .bind(micros(deflection.at))
        .fetch_one(&mut *tx)
        .await?;
        audit::record_created(&mut tx, recorded, id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Deflections since `since` (of one partner if given), newest first.
    pub async fn list_deflections(
        &self,
        partner_id: Option<Guid>,
        since: Timestamp,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Deflection>, StoreError> {
        let scope = if partner_id.is_some() {
            "AND partner_id = $2"
        } else {
            "AND $2 = $2"
        };
        let partner = partner_id.map(|p| p.to_string()).unwrap_or_default();
        let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM deflections WHERE created_at >= $1 {scope}"
        )))
        .bind(micros(since))
        .bind(&partner)
        .fetch_one(&self.read)
        .await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, partner_id, customer_id, service_id, reason, article_id, incident_id,
               created_by, created_at
             FROM deflections WHERE created_at >= $1 {scope}
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(micros(since))
        .bind(&partner)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(Deflection {
                    id: int(row, "id")?,
                    recorded: NewDeflection {
                        partner_id: guid(row, "partner_id")?,
                        customer_id: guid(row, "customer_id")?,
                        service_id: text(row, "service_id")?,
                        reason: word(row, "reason")?,
                        article_id: sqlx::Row::try_get(row, "article_id")?,
                        incident_id: sqlx::Row::try_get(row, "incident_id")?,
                        created_by: guid(row, "created_by")?,
                        at: time(row, "created_at")?,
                    },
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Page { total, items })
    }

    /// Deflections since `since` per partner and service (of one partner if given).
    pub async fn deflection_counts(
        &self,
        partner_id: Option<Guid>,
        since: Timestamp,
    ) -> Result<Vec<DeflectionCount>, StoreError> {
        let scope = if partner_id.is_some() {
            "AND partner_id = $2"
        } else {
            "AND $2 = $2"
        };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT partner_id, service_id, COUNT(*) AS n FROM deflections
             WHERE created_at >= $1 {scope}
             GROUP BY partner_id, service_id ORDER BY partner_id, service_id"
        )))
        .bind(micros(since))
        .bind(partner_id.map(|p| p.to_string()).unwrap_or_default())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeflectionCount {
                    partner_id: guid(row, "partner_id")?,
                    service_id: text(row, "service_id")?,
                    count: int(row, "n")?,
                })
            })
            .collect()
    }
}
