//! Fixed-window rate limits, counted in the database so that every node sees the same counts.

use jiff::Timestamp;

use crate::{Store, StoreError, rows::micros};

impl Store {
    /// Counts one hit on `key` in the window starting at `window_start` (any number that changes
    /// each window) and ending at `window_end`, and returns the hits so far in that window, this
    /// one included.
    pub async fn hit_rate_limit(
        &self,
        key: &str,
        window_start: i64,
        window_end: Timestamp,
    ) -> Result<i64, StoreError> {
        let hits: i64 = sqlx::query_scalar(
            "INSERT INTO rate_limits (key, window_start, hits, window_end) VALUES ($1, $2, 1, $3)
             ON CONFLICT (key) DO UPDATE SET
               hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
               window_start = excluded.window_start,
               window_end = excluded.window_end
             RETURNING hits",
        )
        .bind(key)
        .bind(window_start)
        .bind(micros(window_end))
        .fetch_one(&self.write)
        .await?;
        Ok(hits)
    }

    /// Forgets the counts of windows that ended by `now`: the next hit starts a new count anyway.
    pub async fn purge_rate_limits(&self, now: Timestamp) -> Result<u64, StoreError> {
        self.delete_up_to("DELETE FROM rate_limits WHERE window_end <= $1", now)
            .await
    }
}
