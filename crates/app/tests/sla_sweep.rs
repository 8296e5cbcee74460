//! Two nodes sweeping one database at the same moment mark each near-breach and breach exactly
//! once, as one history event each.

mod common;

use jiff::SignedDuration;
use partnerdesk_app::{
    demo,
    domain::Guid,
    requests::{RawEnum, RequestInput},
    store::testing,
};

#[tokio::test]
async fn two_nodes_sweeping_at_once_mark_each_breach_once() {
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.expect("database");
        let clock = common::start_clock();
        let (a, b) = (
            common::node(&url, clock.clone()).await,
            common::node(&url, clock.clone()).await,
        );
        demo::seed(&a).await.unwrap();
        // Everything the demo world left running runs out and is marked first, so that what
        // follows counts only the new requests.
        clock.advance(SignedDuration::from_hours(3));
        a.sweep_sla().await.unwrap();

        let agent = common::signed_in(&a, "agent@contoso.example").await;
        let customer = Guid::from_name("demo:北京云海科技有限公司");
        let mut ids = vec![];
        for n in 0..12 {
            let input = RequestInput {
                title: Some(format!("Outage {n}")),
                description: Some("All users".into()),
                severity: Some(RawEnum::Text("critical".into())),
                support_topic_id: Some("office365-mail-flow".into()),
                ..Default::default()
            };
            let view = a
                .create_customer_request(&agent, customer, "en-US", &input)
                .await
                .unwrap();
            ids.push(view.request.id);
        }

        // 90 minutes into a 2-hour target: near breach; then past it: breached.
        for (advance, action) in [(90, "sla_near_breach"), (40, "sla_breached")] {
            clock.advance(SignedDuration::from_mins(advance));
            let mut marked = 0;
            for _round in 0..3 {
                let (x, y) = tokio::join!(a.sweep_sla(), b.sweep_sla());
                let (x, y) = (x.unwrap(), y.unwrap());
                marked += match action {
                    "sla_near_breach" => x.near_breaches + y.near_breaches,
                    _ => x.breaches + y.breaches,
                };
            }
            assert_eq!(marked, ids.len() as u64, "{engine:?} {action}");
            for id in &ids {
                let events = a
                    .store()
                    .audit_events("service_request", &id.to_string())
                    .await
                    .unwrap();
                let count = events.iter().filter(|e| e.action == action).count();
                assert_eq!(
                    count, 1,
                    "{engine:?} request {id}: {action} recorded {count} times"
                );
            }
        }
    }
}
