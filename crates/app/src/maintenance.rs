//! Upkeep a node does between requests.

use crate::{App, Result};

/// The most merge steps one round of upkeep takes (each a short write of its own).
const SEARCH_INDEX_STEPS: u32 = 20;

impl App {
    /// Keeps the full-text index merged as requests are created; returns the steps that did work.
    pub async fn maintain(&self) -> Result<u32> {
        Ok(self.store.tidy_search_index(SEARCH_INDEX_STEPS).await?)
    }
}
