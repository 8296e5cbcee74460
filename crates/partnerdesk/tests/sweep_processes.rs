//! Two `partnerdesk` processes sweeping one database at the same time mark each breach exactly
//! once (issue #5): the requests are made an hour in the past, so that by the processes' own
//! clock every first response is overdue, and both processes run one round of upkeep at once.

use std::process::Stdio;

use jiff::{SignedDuration, Timestamp};
use partnerdesk_app::{
    App, FixedClock, demo,
    domain::Guid,
    requests::{RawEnum, RequestInput},
    store::{AuditFilter, ConnectOptions, Store, testing},
};

fn count(output: &str, key: &str) -> u64 {
    output
        .split_whitespace()
        .find_map(|part| part.strip_prefix(&format!("{key}=")))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {key} in {output:?}"))
}

#[tokio::test]
async fn two_processes_mark_each_breach_once() {
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.expect("database");
        let store = Store::connect(&ConnectOptions::new(url.clone()))
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        // Three hours ago: a critical request's two hours have run out by now.
        let then = Timestamp::now() - SignedDuration::from_hours(3);
        let app = App::new(
            store,
            std::sync::Arc::new(FixedClock::new(then)),
            testing::fresh_files(),
        );
        demo::seed(&app).await.expect("seed");
        let session = app
            .sign_in("agent@contoso.example", demo::DEMO_PASSWORD, "198.51.100.9")
            .await
            .unwrap();
        let agent = app.session_actor(&session.secret).await.unwrap().0;
        let customer = Guid::from_name("demo:北京云海科技有限公司");
        for n in 0..10 {
            let input = RequestInput {
                title: Some(format!("Outage {n}")),
                description: Some("All users".into()),
                severity: Some(RawEnum::Text("critical".into())),
                support_topic_id: Some("office365-mail-flow".into()),
                ..Default::default()
            };
            app.create_customer_request(&agent, customer, "en-US", &input)
                .await
                .unwrap();
        }

        let sweep = || {
            tokio::process::Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
                .args(["admin", "upkeep", "--database-url", &url])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn partnerdesk")
                .wait_with_output()
        };
        let (a, b) = tokio::join!(sweep(), sweep());
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
        let (a, b) = (
            String::from_utf8_lossy(&a.stdout).to_string(),
            String::from_utf8_lossy(&b.stdout).to_string(),
        );
        let reported = count(&a, "breaches") + count(&b, "breaches");
        assert!(reported >= 10, "{engine:?}: {a} | {b}");

        let events = app
            .store()
            .audit_log(
                &AuditFilter {
                    from: then - SignedDuration::from_hours(24),
                    until: Timestamp::now() + SignedDuration::from_hours(1),
                    entity: None,
                    entity_id: None,
                    action: Some("sla_breached".into()),
                    actor_name: None,
                },
                0,
                10_000,
            )
            .await
            .unwrap()
            .items;
        let mut marked: Vec<&str> = events.iter().map(|e| e.entity_id.as_str()).collect();
        assert_eq!(
            marked.len() as u64,
            reported,
            "{engine:?}: one event per mark"
        );
        marked.sort();
        let before = marked.len();
        marked.dedup();
        assert_eq!(marked.len(), before, "{engine:?}: a request marked twice");
    }
}
