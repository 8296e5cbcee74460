//! Upkeep a node does between requests: merging the search index, and forgetting expired
//! sessions, idempotency keys, rate-limit counts and files staged by forms never submitted, so
//! that nothing grows without end.

use crate::{App, Result};

/// The most merge steps one round of upkeep takes (each a short write of its own).
const SEARCH_INDEX_STEPS: u32 = 20;

impl App {
    /// One round of upkeep; returns what it did.
    pub async fn maintain(&self) -> Result<Upkeep> {
        let now = self.now();
        self.load_sla_policy().await?;
        Ok(Upkeep {
            search_index_steps: self.store.tidy_search_index(SEARCH_INDEX_STEPS).await?,
            sessions_purged: self.store.purge_sessions(now).await?,
            idempotency_keys_purged: self
                .store
                .purge_idempotency_keys(now - Self::IDEMPOTENCY_WINDOW)
                .await?,
            staged_files_purged: self.purge_staged_files().await?,
            rate_limits_purged: self.store.purge_rate_limits(now).await?,
            sla: self.sweep_sla().await?,
            plans_proposed: self.propose_plans().await?,
        })
    }
}

/// What one round of upkeep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upkeep {
    pub search_index_steps: u32,
    pub sessions_purged: u64,
    pub idempotency_keys_purged: u64,
    pub staged_files_purged: u64,
    pub rate_limits_purged: u64,
    pub sla: crate::sla::SlaSweep,
    pub plans_proposed: u64,
}
