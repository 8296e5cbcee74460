//! How many changes one user may make per minute, counted per node in memory: a runaway script
//! or a stolen token is slowed down without a database write per call. With N nodes behind a
//! load balancer a user can make up to N times the limit; sign-in, where every attempt matters,
//! is limited in the database instead (`accounts`).

use std::{collections::HashMap, sync::Mutex};

use partnerdesk_domain::Guid;

use crate::{Actor, App, AppError, Result};

/// Writes per user per minute unless configured otherwise.
pub const DEFAULT_WRITES_PER_MINUTE: u32 = 600;

/// Beyond this many users in one minute, counts of earlier minutes are dropped.
const CAPACITY: usize = 100_000;

pub(crate) struct WriteLimit {
    per_minute: u32,
    /// Per user: the minute counted and the writes in it.
    counts: Mutex<HashMap<Guid, (i64, u32)>>,
}

impl WriteLimit {
    pub(crate) fn new(per_minute: u32) -> Self {
        WriteLimit {
            per_minute: per_minute.max(1),
            counts: Mutex::default(),
        }
    }
}

impl App {
    /// Sets how many writes a user may make per minute on this node.
    pub fn with_writes_per_minute(mut self, per_minute: u32) -> Self {
        self.write_limit = std::sync::Arc::new(WriteLimit::new(per_minute));
        self
    }

    /// Counts one write by `actor`: `RateLimited` (with the seconds until the next minute) past
    /// the limit. Every edge calls this before a change (the API for each unsafe method).
    pub fn count_write(&self, actor: &Actor) -> Result<()> {
        let now = self.now().as_second();
        let minute = now.div_euclid(60);
        let limit = &self.write_limit;
        let mut counts = limit.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() >= CAPACITY {
            counts.retain(|_, (counted, _)| *counted == minute);
        }
        let entry = counts.entry(actor.id()).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        if entry.1 >= limit.per_minute {
            let retry_after_secs = u64::try_from((minute + 1) * 60 - now).unwrap_or(1).max(1);
            return Err(AppError::RateLimited { retry_after_secs });
        }
        entry.1 += 1;
        Ok(())
    }
}
