//! The append-only audit log: written in the same transaction as the change it records.

use jiff::Timestamp;
use partnerdesk_domain::Guid;
use sqlx::{AnyConnection, AssertSqlSafe, any::AnyRow};

use crate::{
    AuditEvent, Page, Store, StoreError,
    rows::{int, micros, opt_guid, text, time},
};

/// One change to record: who, when, what object, what happened, and the details.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor_id: Option<Guid>,
    pub actor_name: String,
    /// The organization the object belongs to, so that exports can be scoped.
    pub org_id: Option<Guid>,
    pub entity: &'static str,
    pub entity_id: String,
    pub action: String,
    pub detail: serde_json::Value,
}

/// Records the creation of an object whose id the insert just returned (the entry was made
/// before the id was known).
pub(crate) async fn record_created(
    conn: &mut AnyConnection,
    entry: &AuditEntry,
    id: impl ToString,
) -> Result<(), StoreError> {
    let entry = AuditEntry {
        entity_id: id.to_string(),
        ..entry.clone()
    };
    record(conn, &entry).await
}

pub(crate) async fn record(conn: &mut AnyConnection, entry: &AuditEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_events (at, actor_id, actor_name, org_id, entity, entity_id, action, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(micros(entry.at))
    .bind(entry.actor_id.map(|id| id.to_string()))
    .bind(&entry.actor_name)
    .bind(entry.org_id.map(|id| id.to_string()))
    .bind(entry.entity)
    .bind(&entry.entity_id)
    .bind(&entry.action)
    .bind(entry.detail.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

fn event(row: &AnyRow) -> Result<AuditEvent, StoreError> {
    Ok(AuditEvent {
        id: int(row, "id")?,
        at: time(row, "at")?,
        actor_id: opt_guid(row, "actor_id")?,
        actor_name: text(row, "actor_name")?,
        entity: text(row, "entity")?,
        entity_id: text(row, "entity_id")?,
        action: text(row, "action")?,
        detail: serde_json::from_str(&text(row, "detail")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}

impl Store {
    /// The history of one object, oldest first.
    pub async fn audit_events(
        &self,
        entity: &str,
        entity_id: &str,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, actor_id, actor_name, entity, entity_id, action, detail
             FROM audit_events WHERE entity = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(event).collect()
    }

    /// Events matching `filter`, newest first, one page, with how many match in all.
    pub async fn audit_log(
        &self,
        filter: &AuditFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<AuditEvent>, StoreError> {
        let mut conditions = vec!["at >= $1".to_string(), "at < $2".to_string()];
        let mut texts = vec![];
        for (column, value) in [
            ("entity", &filter.entity),
            ("entity_id", &filter.entity_id),
            ("action", &filter.action),
            ("actor_name", &filter.actor_name),
        ] {
            if let Some(value) = value {
                texts.push(value.clone());
                conditions.push(format!("{column} = ${}", texts.len() + 2));
            }
        }
        let where_clause = conditions.join(" AND ");
        let bind_all = |sql: String| {
            let mut query = sqlx::query(AssertSqlSafe(sql))
                .bind(micros(filter.from))
                .bind(micros(filter.until));
            for t in &texts {
                query = query.bind(t.clone());
            }
            query
        };
        let total: i64 = {
            let row = bind_all(format!(
                "SELECT COUNT(*) AS n FROM audit_events WHERE {where_clause}"
            ))
            .fetch_one(&self.read)
            .await?;
            int(&row, "n")?
        };
        let n = texts.len() + 3;
        let rows = bind_all(format!(
            "SELECT id, at, actor_id, actor_name, entity, entity_id, action, detail
             FROM audit_events WHERE {where_clause} ORDER BY at DESC, id DESC LIMIT ${n} OFFSET ${}",
            n + 1
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(Page {
            total,
            items: rows.iter().map(event).collect::<Result<_, _>>()?,
        })
    }
}

/// Which audit events to list: a period, and any of the exact fields.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFilter {
    pub from: Timestamp,
    pub until: Timestamp,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub actor_name: Option<String>,
}
