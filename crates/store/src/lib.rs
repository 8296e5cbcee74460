//! partnerdesk's persistence layer.
//!
//! One `Store` over either SQLite or PostgreSQL, chosen by the URL. Queries go through sqlx's
//! `Any` driver and use `$N` placeholders, which both engines accept, so SQL that is the same on
//! both is written once; what differs (full-text search, upserts) is kept in `engine.rs`.

mod accounts;
mod articles;
mod audit;
mod blobs;
mod catalogue;
mod connect;
mod contacts;
mod deflections;
mod engine;
mod error;
mod files;
mod idempotency;
mod incidents;
mod names;
mod native;
mod organizations;
mod rate_limits;
mod records;
mod remediation;
mod request_cache;
mod request_query;
mod requests;
mod reviews;
mod rows;
mod scorecards;
mod sla_policies;
pub mod testing;

pub use accounts::NewUser;
pub use articles::{Article, ArticleFields, ArticleFilter};
pub use audit::{AuditEntry, AuditFilter};
pub use blobs::{BlobStore, ObjectBlobs};
pub use connect::{ConnectOptions, SqliteSync};
pub use contacts::{ContactRecord, NewContact, SlaMark};
pub use deflections::{Deflection, DeflectionCount, NewDeflection};
pub use engine::Engine;
pub use error::StoreError;
pub use files::{FileRecord, NewFile, blob_key};
pub use idempotency::{Created, IdempotencyKey};
pub use incidents::{
    Incident, IncidentFields, IncidentFilter, IncidentScope, IncidentText, IncidentUpdate,
    NewIncidentUpdate, Reach,
};
pub use records::*;
pub use remediation::{PlanAction, RemediationPlan};
pub use request_query::{Cursor, RequestFilter, RequestScope, RequestSort};
pub use requests::{NewNote, NewRequest, RequestChange, RequestRead};
pub use scorecards::{ScoreRow, ScoreWindow};

use sqlx::AnyPool;

/// The database. Cheap to clone: it holds connection pools.
#[derive(Clone)]
pub struct Store {
    /// Every write goes here. On SQLite this is one connection: SQLite has one writer at a time,
    /// and queueing in the pool is cheaper than contending on the file lock.
    write: AnyPool,
    /// Reads. On SQLite, read-only connections that run beside the writer under WAL.
    read: AnyPool,
    engine: Engine,
    /// The hottest reads, through the engine's own driver (`native.rs`).
    native: native::NativeReads,
    /// Shared by the clones, so that a rename through one is seen by all.
    names: std::sync::Arc<names::NameCache>,
    /// Requests as last read, shared by the clones (`request_cache.rs`).
    request_cache: std::sync::Arc<request_cache::RequestCache>,
}

impl Store {
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Runs an upkeep `DELETE` whose `$1` is an instant (rows expired by it); returns how many
    /// rows went.
    async fn delete_up_to(
        &self,
        delete: &'static str,
        at: jiff::Timestamp,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(delete)
            .bind(rows::micros(at))
            .execute(&self.write)
            .await?;
        Ok(done.rows_affected())
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
        self.native.close().await;
    }
}
