//! partnerdesk's use cases. The API, the pages, the CLI and the jobs all call these functions:
//! business rules and permission checks live here and nowhere else.

pub mod accounts;
mod actor;
pub mod articles;
pub mod attachments;
pub mod audit_log;
pub mod catalogue;
mod clock;
pub mod credential_cache;
pub mod customer_records;
pub mod customers;
pub mod deflections;
pub mod demo;
mod error;
pub mod health;
pub mod maintenance;
pub mod merges;
pub mod policy;
pub mod remediation;
pub mod requests;
pub mod reviews;
pub mod scorecards;
mod secrets;
pub mod self_help;
pub mod sla;
mod validation;
pub mod write_limit;

pub use actor::Actor;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{AppError, Result};
pub use partnerdesk_domain as domain;
pub use partnerdesk_store as store;

use std::sync::Arc;

use partnerdesk_store::{BlobStore, Store};

use credential_cache::CredentialCache;
use write_limit::{DEFAULT_WRITES_PER_MINUTE, WriteLimit};

/// The application: the store, the clock every rule reads time from, and what this node
/// remembers between calls.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    /// The bytes of attached files.
    pub(crate) files: Arc<dyn BlobStore>,
    /// The first-response targets and hours.
    /// Replaced when an admin edits it (here at once; on other nodes at their next upkeep).
    pub(crate) sla_policy: Arc<std::sync::RwLock<Arc<domain::sla::SlaPolicy>>>,
    pub(crate) credentials: Arc<CredentialCache>,
    pub(crate) write_limit: Arc<WriteLimit>,
    /// The operator organization's id: set up once per deployment, never changed.
    pub(crate) operator_id: Arc<tokio::sync::OnceCell<domain::Guid>>,
}

impl App {
    pub fn new(store: Store, clock: Arc<dyn Clock>, files: Arc<dyn BlobStore>) -> Self {
        App {
            store,
            clock,
            files,
            sla_policy: Arc::new(std::sync::RwLock::new(Arc::new(
                domain::sla::SlaPolicy::default_in(operator_zone()),
            ))),
            credentials: Arc::default(),
            write_limit: Arc::new(WriteLimit::new(DEFAULT_WRITES_PER_MINUTE)),
            operator_id: Arc::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }
}

/// The operator's time zone of product.md (its SLA hours are in it).
fn operator_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC)
}
