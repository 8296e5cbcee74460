//! `MS-RequestId` idempotency: the first response to a key is kept and replayed.

use jiff::Timestamp;
use partnerdesk_domain::Guid;

use crate::{Store, StoreError, rows::micros};

impl Store {
    /// The stored response (status, body) for this actor's key, if created after `since`.
    pub async fn idempotent_response(
        &self,
        actor_id: Guid,
        key: &str,
        since: Timestamp,
    ) -> Result<Option<(u16, String)>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT status, body FROM idempotency_keys WHERE actor_id = $1 AND key = $2 AND created_at > $3",
        )
        .bind(actor_id.to_string())
        .bind(key)
        .bind(micros(since))
        .fetch_optional(&self.write)
        .await?;
        Ok(row.map(|(status, body)| (u16::try_from(status).unwrap_or(500), body)))
    }

    /// Keeps a response for replay, replacing an expired one under the same key.
    pub async fn remember_response(
        &self,
        actor_id: Guid,
        key: &str,
        at: Timestamp,
        status: u16,
        body: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO idempotency_keys (actor_id, key, created_at, status, body) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (actor_id, key) DO UPDATE SET created_at = excluded.created_at,
               status = excluded.status, body = excluded.body",
        )
        .bind(actor_id.to_string())
        .bind(key)
        .bind(micros(at))
        .bind(i64::from(status))
        .bind(body)
        .execute(&self.write)
        .await?;
        Ok(())
    }
}
