//! Service incidents, advisories and planned maintenance: what they say (in each language),
//! what they reach (services, regions, customers), their timeline, and who may see them.

use std::collections::HashMap;

use jiff::Timestamp;
use partnerdesk_domain::{ContentLocale, Guid, IncidentKind, IncidentStatus, PublicSeverity};
use sqlx::{AnyConnection, AssertSqlSafe, any::AnyRow};

use crate::{
    AuditEntry, Page, Store, StoreError, audit,
    rows::{flag, guid, int, micros, opt_time, text, time, word},
};

/// Title and impact statement in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentText {
    pub locale: ContentLocale,
    pub title: String,
    pub impact: String,
}

/// What a notice is about and whom it affects.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reach {
    pub services: Vec<String>,
    /// Empty: every region.
    pub regions: Vec<String>,
    /// `None`: every customer of the services (in the regions); else just these.
    pub customers: Option<Vec<Guid>>,
}

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentUpdate {
    pub id: i64,
    pub at: Timestamp,
    /// The status announced with it.
    pub status: IncidentStatus,
    pub author_name: String,
    /// Its text, per language.
    pub texts: Vec<(ContentLocale, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub id: i64,
    pub kind: IncidentKind,
    pub status: IncidentStatus,
    pub severity: PublicSeverity,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    pub texts: Vec<IncidentText>,
    pub reach: Reach,
    /// Oldest first.
    pub updates: Vec<IncidentUpdate>,
    pub created_by: Guid,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
    pub version: i64,
}

/// The fields of a notice that its publisher sets (on creation and on every edit).
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFields {
    pub kind: IncidentKind,
    pub status: IncidentStatus,
    pub severity: PublicSeverity,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    pub texts: Vec<IncidentText>,
    pub reach: Reach,
}

/// A timeline entry to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncidentUpdate {
    pub at: Timestamp,
    pub status: IncidentStatus,
    pub author_id: Option<Guid>,
    pub author_name: String,
    pub texts: Vec<(ContentLocale, String)>,
}

/// Whose view of service health a listing is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IncidentScope {
    /// The operator: every notice.
    Everything,
    /// Notices that affect at least one of the partner's customers.
    Partner(Guid),
    /// Notices that affect this customer.
    Customer(Guid),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentFilter {
    pub service_id: Option<String>,
    /// `Some(true)`: not resolved; `Some(false)`: resolved.
    pub open: Option<bool>,
    /// Started, or changed, at or after this time.
    pub since: Option<Timestamp>,
}

/// Whether notice `i` affects a customer `ms.customer_id` through its managed service `ms`:
/// the service is one of the notice's, in one of its regions (or it names none), and the
/// customer is listed (or the notice is for every customer).
const AFFECTS_MANAGED_SERVICE: &str = "ms.service_id IN (SELECT service_id FROM incident_services WHERE incident_id = i.id)
    AND (NOT EXISTS (SELECT 1 FROM incident_regions WHERE incident_id = i.id)
         OR ms.region_id IN (SELECT region_id FROM incident_regions WHERE incident_id = i.id))
    AND (i.all_customers = 1
         OR ms.customer_id IN (SELECT customer_id FROM incident_customers WHERE incident_id = i.id))";

impl Store {
    /// Publishes a notice with its first history event (whose `entity_id` is set to the id).
    pub async fn insert_incident(
        &self,
        fields: &IncidentFields,
        created_by: Guid,
        at: Timestamp,
        created: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO service_incidents (kind, status, severity, starts_at, ends_at, all_customers,
               created_by, created_at, modified_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1) RETURNING id",
        )
        .bind(fields.kind.to_string())
        .bind(fields.status.to_string())
        .bind(fields.severity.to_string())
        .bind(micros(fields.starts_at))
        .bind(fields.ends_at.map(micros))
        .bind(i64::from(fields.reach.customers.is_none()))
        .bind(created_by.to_string())
        .bind(micros(at))
        .fetch_one(&mut *tx)
        .await?;
        write_texts_and_reach(&mut tx, id, fields).await?;
        audit::record_created(&mut tx, created, id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces a notice's fields if nobody changed it since `version` (`Concurrent` otherwise);
    /// returns the new version.
    pub async fn save_incident(
        &self,
        id: i64,
        version: i64,
        fields: &IncidentFields,
        at: Timestamp,
        history: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write.begin().await?;
        update_incident_row(&mut tx, id, version, fields, at).await?;
        for table in [
            "incident_texts",
            "incident_services",
            "incident_regions",
            "incident_customers",
        ] {
            sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE incident_id = $1"
            )))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        write_texts_and_reach(&mut tx, id, fields).await?;
        audit::record(&mut tx, history).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Adds a timeline entry and sets the notice's status and end time with it, if nobody
    /// changed the notice since `version`; returns the new version.
    pub async fn add_incident_update(
        &self,
        id: i64,
        version: i64,
        fields: &IncidentFields,
        update: &NewIncidentUpdate,
        history: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write.begin().await?;
        update_incident_row(&mut tx, id, version, fields, update.at).await?;
        let update_id: i64 = sqlx::query_scalar(
            "INSERT INTO incident_updates (incident_id, at, status, author_id, author_name)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(micros(update.at))
        .bind(update.status.to_string())
        .bind(update.author_id.map(|a| a.to_string()))
        .bind(&update.author_name)
        .fetch_one(&mut *tx)
        .await?;
        for (locale, body) in &update.texts {
            sqlx::query(
                "INSERT INTO incident_update_texts (update_id, locale, text) VALUES ($1, $2, $3)",
            )
            .bind(update_id)
            .bind(locale.to_string())
            .bind(body)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(&mut tx, history).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    pub async fn incident(&self, id: i64) -> Result<Incident, StoreError> {
        let row = sqlx::query(
            "SELECT id, kind, status, severity, starts_at, ends_at, all_customers, created_by,
               created_at, modified_at, version
             FROM service_incidents WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut one = self.complete_all(std::slice::from_ref(&row)).await?;
        one.pop().ok_or(StoreError::NotFound)
    }

    /// Whether the notice is in `scope` (for a customer: affects it).
    pub async fn incident_in_scope(
        &self,
        id: i64,
        scope: IncidentScope,
    ) -> Result<bool, StoreError> {
        let mut binds = vec![];
        let condition = scope_condition(scope, &mut |v| {
            binds.push(v);
            format!("${}", binds.len() + 1)
        });
        let sql = format!(
            "SELECT 1 FROM service_incidents i WHERE i.id = $1{}",
            condition.map(|c| format!(" AND {c}")).unwrap_or_default()
        );
        let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)).bind(id);
        for value in binds {
            query = query.bind(value);
        }
        Ok(query.fetch_optional(&self.read).await?.is_some())
    }

    /// Notices in `scope` matching `filter`, the most recently started first.
    pub async fn list_incidents(
        &self,
        scope: IncidentScope,
        filter: &IncidentFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Incident>, StoreError> {
        let mut conditions: Vec<String> = vec![];
        let mut binds: Vec<String> = vec![];
        let mut param = |value: String| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(condition) = scope_condition(scope, &mut param) {
            conditions.push(condition);
        }
        if let Some(service) = &filter.service_id {
            let s = param(service.clone());
            conditions.push(format!(
                "i.id IN (SELECT incident_id FROM incident_services WHERE service_id = {s})"
            ));
        }
        match filter.open {
            Some(true) => conditions.push("i.status <> 'resolved'".into()),
            Some(false) => conditions.push("i.status = 'resolved'".into()),
            None => {}
        }
        let since = filter.since.map(micros);
        let where_clause = |conditions: &[String], since_param: Option<&str>| {
            let mut all = conditions.to_vec();
            if let Some(p) = since_param {
                all.push(format!("(i.starts_at >= {p} OR i.modified_at >= {p})"));
            }
            if all.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", all.join(" AND "))
            }
        };
        let since_param = since.map(|_| format!("${}", binds.len() + 1));
        let clause = where_clause(&conditions, since_param.as_deref());
        let n = binds.len() + usize::from(since.is_some());
        let bind_all = |sql: String| {
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for value in &binds {
                query = query.bind(value.clone());
            }
            if let Some(since) = since {
                query = query.bind(since);
            }
            query
        };
        let rows = bind_all(format!(
            "SELECT i.id, i.kind, i.status, i.severity, i.starts_at, i.ends_at, i.all_customers,
               i.created_by, i.created_at, i.modified_at, i.version
             FROM service_incidents i {clause} ORDER BY i.starts_at DESC, i.id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        // A first page that is not full holds every match: no need to count them.
        let total = if offset == 0 && (rows.len() as i64) < limit {
            rows.len() as i64
        } else {
            sqlx::Row::try_get(
                &bind_all(format!("SELECT COUNT(*) FROM service_incidents i {clause}"))
                    .fetch_one(&self.read)
                    .await?,
                0,
            )?
        };
        Ok(Page {
            total,
            items: self.complete_all(&rows).await?,
        })
    }

    /// Incidents from their rows, with their texts, reach and timelines: three queries
    /// however many rows.
    async fn complete_all(&self, rows: &[AnyRow]) -> Result<Vec<Incident>, StoreError> {
        if rows.is_empty() {
            return Ok(vec![]);
        }
        let ids = rows
            .iter()
            .map(|row| int(row, "id"))
            .collect::<Result<Vec<i64>, _>>()?;
        // Ids are integers read back from the database: safe to write into the statement.
        let id_list = ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let mut texts: HashMap<i64, Vec<IncidentText>> = HashMap::new();
        for r in sqlx::query(AssertSqlSafe(format!(
            "SELECT incident_id, locale, title, impact FROM incident_texts
             WHERE incident_id IN ({id_list}) ORDER BY incident_id, locale"
        )))
        .fetch_all(&self.read)
        .await?
        {
            texts
                .entry(int(&r, "incident_id")?)
                .or_default()
                .push(IncidentText {
                    locale: word(&r, "locale")?,
                    title: text(&r, "title")?,
                    impact: text(&r, "impact")?,
                });
        }
        let mut reaches: HashMap<i64, Reach> = HashMap::new();
        for r in sqlx::query(AssertSqlSafe(format!(
            "SELECT incident_id, 's' AS part, service_id AS value FROM incident_services
               WHERE incident_id IN ({id_list})
             UNION ALL SELECT incident_id, 'r', region_id FROM incident_regions
               WHERE incident_id IN ({id_list})
             UNION ALL SELECT incident_id, 'c', customer_id FROM incident_customers
               WHERE incident_id IN ({id_list})
             ORDER BY 1, 2, 3"
        )))
        .fetch_all(&self.read)
        .await?
        {
            let reach = reaches.entry(int(&r, "incident_id")?).or_default();
            let value = text(&r, "value")?;
            match text(&r, "part")?.as_str() {
                "s" => reach.services.push(value),
                "r" => reach.regions.push(value),
                _ => reach.customers.get_or_insert_with(Vec::new).push(
                    value
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("customer {value}")))?,
                ),
            }
        }
        let mut timelines: HashMap<i64, Vec<IncidentUpdate>> = HashMap::new();
        for r in sqlx::query(AssertSqlSafe(format!(
            "SELECT u.incident_id, u.id, u.at, u.status, u.author_name, t.locale, t.text
             FROM incident_updates u LEFT JOIN incident_update_texts t ON t.update_id = u.id
             WHERE u.incident_id IN ({id_list}) ORDER BY u.incident_id, u.at, u.id, t.locale"
        )))
        .fetch_all(&self.read)
        .await?
        {
            let updates = timelines.entry(int(&r, "incident_id")?).or_default();
            let update_id = int(&r, "id")?;
            if updates.last().is_none_or(|u| u.id != update_id) {
                updates.push(IncidentUpdate {
                    id: update_id,
                    at: time(&r, "at")?,
                    status: word(&r, "status")?,
                    author_name: text(&r, "author_name")?,
                    texts: vec![],
                });
            }
            if let Some(locale) = crate::rows::opt_word::<ContentLocale>(&r, "locale")?
                && let Some(last) = updates.last_mut()
            {
                last.texts.push((locale, text(&r, "text")?));
            }
        }
        rows.iter()
            .zip(ids)
            .map(|(row, id)| {
                let mut reach = reaches.remove(&id).unwrap_or_default();
                // A notice for every customer lists none; one for a list always has one.
                if flag(row, "all_customers")? {
                    reach.customers = None;
                } else if reach.customers.is_none() {
                    reach.customers = Some(vec![]);
                }
                Ok(Incident {
                    id,
                    kind: word(row, "kind")?,
                    status: word(row, "status")?,
                    severity: word(row, "severity")?,
                    starts_at: time(row, "starts_at")?,
                    ends_at: opt_time(row, "ends_at")?,
                    texts: texts.remove(&id).unwrap_or_default(),
                    reach,
                    updates: timelines.remove(&id).unwrap_or_default(),
                    created_by: guid(row, "created_by")?,
                    created_at: time(row, "created_at")?,
                    modified_at: time(row, "modified_at")?,
                    version: int(row, "version")?,
                })
            })
            .collect()
    }
}

/// The WHERE condition on `service_incidents i` for `scope` (none for everything); `param`
/// binds a value and names its placeholder.
fn scope_condition(
    scope: IncidentScope,
    param: &mut impl FnMut(String) -> String,
) -> Option<String> {
    match scope {
        IncidentScope::Everything => None,
        IncidentScope::Partner(partner) => {
            let p = param(partner.to_string());
            Some(format!(
                "EXISTS (SELECT 1 FROM managed_services ms
                   JOIN relationships rel ON rel.customer_id = ms.customer_id AND rel.partner_id = {p}
                   WHERE {AFFECTS_MANAGED_SERVICE})"
            ))
        }
        IncidentScope::Customer(customer) => {
            let c = param(customer.to_string());
            Some(format!(
                "EXISTS (SELECT 1 FROM managed_services ms WHERE ms.customer_id = {c} AND {AFFECTS_MANAGED_SERVICE})"
            ))
        }
    }
}

async fn update_incident_row(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    fields: &IncidentFields,
    at: Timestamp,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE service_incidents SET kind = $3, status = $4, severity = $5, starts_at = $6,
           ends_at = $7, all_customers = $8, modified_at = $9, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(fields.kind.to_string())
    .bind(fields.status.to_string())
    .bind(fields.severity.to_string())
    .bind(micros(fields.starts_at))
    .bind(fields.ends_at.map(micros))
    .bind(i64::from(fields.reach.customers.is_none()))
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM service_incidents WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        return Err(match exists {
            Some(_) => StoreError::Concurrent,
            None => StoreError::NotFound,
        });
    }
    Ok(())
}

async fn write_texts_and_reach(
    conn: &mut AnyConnection,
    id: i64,
    fields: &IncidentFields,
) -> Result<(), StoreError> {
    for t in &fields.texts {
        sqlx::query(
            "INSERT INTO incident_texts (incident_id, locale, title, impact) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(t.locale.to_string())
        .bind(&t.title)
        .bind(&t.impact)
        .execute(&mut *conn)
        .await?;
    }
    let lists: [(&str, Vec<String>); 3] = [
        (
            "incident_services (incident_id, service_id)",
            fields.reach.services.clone(),
        ),
        (
            "incident_regions (incident_id, region_id)",
            fields.reach.regions.clone(),
        ),
        (
            "incident_customers (incident_id, customer_id)",
            fields
                .reach
                .customers
                .iter()
                .flatten()
                .map(Guid::to_string)
                .collect(),
        ),
    ];
    for (table, values) in lists {
        for value in values {
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO {table} VALUES ($1, $2)"
            )))
            .bind(id)
            .bind(value)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}
