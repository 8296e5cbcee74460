//! What the use-case tests share: a node over a database, the start of their clock, and a
//! signed-in demo user.

#![allow(dead_code)]

use std::sync::Arc;

use jiff::Timestamp;
use partnerdesk_app::{
    Actor, App, FixedClock, demo,
    store::{ConnectOptions, Store, testing},
};

/// The clock every test starts at: Monday 2026-11-02 08:00 UTC.
pub fn start_clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(
        "2026-11-02T08:00:00Z".parse::<Timestamp>().unwrap(),
    ))
}

/// A node (its own connections and file store) over the database at `url`, migrated.
pub async fn node(url: &str, clock: Arc<FixedClock>) -> App {
    let store = Store::connect(&ConnectOptions::new(url.to_string()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    App::new(store, clock, testing::fresh_files())
}

/// A demo user signed in on `app`.
pub async fn signed_in(app: &App, email: &str) -> Actor {
    let session = app
        .sign_in(email, demo::DEMO_PASSWORD, "198.51.100.7")
        .await
        .expect("sign in");
    app.session_actor(&session.secret).await.expect("session").0
}
