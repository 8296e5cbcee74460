//! `MS-RequestId` idempotency: a key names the request its first create made. The key is
//! claimed in the create's own transaction, so two racing creates with one key make one request,
//! and a crash cannot leave a key without its request or a request without its key.

use jiff::Timestamp;
use partnerdesk_domain::{Guid, RequestId};

use crate::{ServiceRequest, Store, StoreError, rows::micros};

/// A caller's idempotency key, live for creates after `live_after`.
#[derive(Debug, Clone, Copy)]
pub struct IdempotencyKey<'a> {
    pub actor_id: Guid,
    pub key: &'a str,
    pub live_after: Timestamp,
}

/// What a create did: made a request (as read back after the write), or found the one its key
/// already made.
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    New(Box<ServiceRequest>),
    Existing(RequestId),
}

impl Created {
    /// The request made or found.
    pub fn id(&self) -> RequestId {
        match self {
            Created::New(request) => request.id,
            Created::Existing(id) => *id,
        }
    }
}

impl Store {
    /// Forgets keys created at or before `expired_at` (they name nothing any more); returns how
    /// many.
    pub async fn purge_idempotency_keys(&self, expired_at: Timestamp) -> Result<u64, StoreError> {
        self.delete_up_to(
            "DELETE FROM idempotency_keys WHERE created_at <= $1",
            expired_at,
        )
        .await
    }

    /// The request this key made, if it is still live.
    pub async fn idempotent_request(
        &self,
        key: &IdempotencyKey<'_>,
    ) -> Result<Option<RequestId>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT request_id FROM idempotency_keys WHERE actor_id = $1 AND key = $2 AND created_at > $3",
        )
        .bind(key.actor_id.to_string())
        .bind(key.key)
        .bind(micros(key.live_after))
        .fetch_optional(&self.write)
        .await?;
        Ok(id.and_then(RequestId::new))
    }
}

/// Claims `key` for `request` within the create's transaction; `false` if a live claim exists
/// (an expired one is taken over). A racing claim waits for the other transaction to finish.
pub(crate) async fn claim(
    conn: &mut sqlx::AnyConnection,
    key: &IdempotencyKey<'_>,
    request: RequestId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO idempotency_keys (actor_id, key, created_at, request_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (actor_id, key) DO UPDATE SET created_at = excluded.created_at,
           request_id = excluded.request_id
         WHERE idempotency_keys.created_at <= $5",
    )
    .bind(key.actor_id.to_string())
    .bind(key.key)
    .bind(micros(at))
    .bind(request.get())
    .bind(micros(key.live_after))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
