//! The operator's contacts with the partner about a request (channel, when, outcome), and the
//! SLA sweep's marks: near breach and breach, each recorded once however many nodes sweep.

use jiff::Timestamp;
use partnerdesk_domain::{ContactChannel, Guid, RequestId};
use sqlx::any::AnyRow;

use crate::{
    AuditEntry, Store, StoreError, audit,
    rows::{guid, int, micros, text, time, word},
};

#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub channel: ContactChannel,
    pub outcome: String,
    pub contacted_at: Timestamp,
    pub by_user: Guid,
    pub by_name: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContactRecord {
    pub id: i64,
    pub request_id: RequestId,
    pub contact: NewContact,
}

/// Which mark the sweep makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaMark {
    NearBreach,
    Breached,
}

impl SlaMark {
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            SlaMark::NearBreach => ("sla_warn_key", "sla_warned_at"),
            SlaMark::Breached => ("sla_due_key", "sla_breached_at"),
        }
    }

    pub fn action(self) -> &'static str {
        match self {
            SlaMark::NearBreach => "sla_near_breach",
            SlaMark::Breached => "sla_breached",
        }
    }
}

pub(crate) async fn insert_contact(
    conn: &mut sqlx::AnyConnection,
    request_id: RequestId,
    contact: &NewContact,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO request_contacts (request_id, channel, outcome, contacted_at, by_user,
           by_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id.get())
    .bind(contact.channel.to_string())
    .bind(&contact.outcome)
    .bind(micros(contact.contacted_at))
    .bind(contact.by_user.to_string())
    .bind(&contact.by_name)
    .bind(micros(contact.at))
    .execute(conn)
    .await?;
    Ok(())
}

fn contact(row: &AnyRow) -> Result<ContactRecord, StoreError> {
    let request_id = int(row, "request_id")?;
    Ok(ContactRecord {
        id: int(row, "id")?,
        request_id: RequestId::new(request_id)
            .ok_or_else(|| StoreError::Corrupt(format!("request id {request_id}")))?,
        contact: NewContact {
            channel: word(row, "channel")?,
            outcome: text(row, "outcome")?,
            contacted_at: time(row, "contacted_at")?,
            by_user: guid(row, "by_user")?,
            by_name: text(row, "by_name")?,
            at: time(row, "created_at")?,
        },
    })
}

/// How many requests one transaction of the SLA sweep marks at most.
const MARK_BATCH: i64 = 500;

impl Store {
    /// A request's contacts, in the order they happened.
    pub async fn request_contacts(
        &self,
        request_id: RequestId,
    ) -> Result<Vec<ContactRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, request_id, channel, outcome, contacted_at, by_user, by_name, created_at
             FROM request_contacts WHERE request_id = $1 ORDER BY contacted_at, id",
        )
        .bind(request_id.get())
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(contact).collect()
    }

    /// Marks the operator's requests whose instant for `mark` has passed by `now` and that are
    /// not marked yet, with one history event each (made by `event` for the id), `MARK_BATCH`
    /// at a time: after an outage thousands may be due at once, and one transaction over them
    /// all held their rows (and SQLite's writer) for seconds. The condition is the UPDATE's own,
    /// so of several nodes sweeping at once each row is marked by exactly one (PostgreSQL
    /// re-checks it on a row another transaction just changed; SQLite has one writer); each
    /// sweeps until it finds nothing left. The version moves on, so that a change read before
    /// the mark cannot undo it.
    pub async fn mark_sla(
        &self,
        mark: SlaMark,
        now: Timestamp,
        event: impl Fn(RequestId) -> AuditEntry,
    ) -> Result<Vec<RequestId>, StoreError> {
        let (key, marked) = mark.columns();
        let sql = format!(
            "UPDATE service_requests SET {marked} = $1, version = version + 1
             WHERE id IN (SELECT id FROM service_requests
                          WHERE tier = 'operator' AND {key} <= $1 AND {marked} IS NULL LIMIT $2)
               AND {marked} IS NULL
             RETURNING id"
        );
        let mut all = vec![];
        loop {
            let mut tx = self.write.begin().await?;
            let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(micros(now))
                .bind(MARK_BATCH)
                .fetch_all(&mut *tx)
                .await?;
            if ids.is_empty() {
                return Ok(all);
            }
            let ids: Vec<RequestId> = ids.into_iter().filter_map(RequestId::new).collect();
            for id in &ids {
                audit::record(&mut tx, &event(*id)).await?;
            }
            tx.commit().await?;
            all.extend(ids);
        }
    }
}
