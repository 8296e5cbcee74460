//! Fixed-window rate limits, counted in the database so that every node sees the same counts.

use crate::{Store, StoreError};

impl Store {
    /// Counts one hit on `key` in the window starting at `window_start` (any number that changes
    /// each window) and returns the hits so far in that window, this one included.
    pub async fn hit_rate_limit(&self, key: &str, window_start: i64) -> Result<i64, StoreError> {
        let hits: i64 = sqlx::query_scalar(
            "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
             ON CONFLICT (key) DO UPDATE SET
               hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
               window_start = excluded.window_start
             RETURNING hits",
        )
        .bind(key)
        .bind(window_start)
        .fetch_one(&self.write)
        .await?;
        Ok(hits)
    }
}
