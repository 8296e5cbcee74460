//! Background work that runs beside the HTTP server on every node.

use std::time::Duration;

use partnerdesk_app::App;
use tokio::{task::JoinHandle, time::MissedTickBehavior};

/// How often upkeep runs.
const UPKEEP_EVERY: Duration = Duration::from_secs(60);

/// Starts the upkeep loop; abort the handle to stop it.
pub fn spawn(app: App) -> JoinHandle<()> {
    tokio::spawn(async move {
        let start = tokio::time::Instant::now() + UPKEEP_EVERY;
        let mut every = tokio::time::interval_at(start, UPKEEP_EVERY);
        every.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match app.maintain().await {
                Ok(done) => tracing::debug!(?done, "upkeep"),
                Err(e) => tracing::warn!(error = %e, "upkeep failed; retrying next round"),
            }
        }
    })
}
