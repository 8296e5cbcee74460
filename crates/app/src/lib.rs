//! partnerdesk's use cases. The API, the pages, the CLI and the jobs all call these functions:
//! business rules and permission checks live here and nowhere else.

pub mod accounts;
mod actor;
mod clock;
pub mod customers;
pub mod demo;
mod error;
pub mod policy;
pub mod requests;
mod secrets;

pub use actor::Actor;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{AppError, Result};
pub use partnerdesk_domain as domain;
pub use partnerdesk_store as store;

use std::sync::Arc;

use partnerdesk_store::Store;

/// The application: the store and the clock every rule reads time from.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
}

impl App {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        App { store, clock }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }
}
