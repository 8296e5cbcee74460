//! The scorecards' daily rollups, kept by triggers, equal a fresh count of every request and
//! review after each kind of change that moves a request's contribution: escalation, severity
//! changes (before and after a breach), a late first contact, a pause, a review, a dispute and
//! its decision, and the sweep's bulk marks.

mod common;

use jiff::SignedDuration;
use partnerdesk_app::{
    App, demo,
    domain::Guid,
    requests::{RawEnum, RequestInput, RequestPatch},
    sla::ContactInput,
    store::testing,
};

async fn assert_rollups_exact(app: &App, after: &str) {
    let [kept, counted, kept_waits, counted_waits] =
        testing::score_rollups(app.store()).await.expect("rollups");
    assert!(!counted.is_empty(), "{after}: nothing escalated");
    assert_eq!(kept, counted, "score days after {after}");
    assert_eq!(
        kept_waits, counted_waits,
        "first contact days after {after}"
    );
}

#[tokio::test]
async fn rollups_follow_every_change_to_a_requests_contribution() {
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.expect("database");
        let clock = common::start_clock();
        let app = common::node(&url, clock.clone()).await;
        demo::seed(&app).await.unwrap();
        assert_rollups_exact(&app, "the demo world").await;

        let agent = common::signed_in(&app, "agent@contoso.example").await;
        let engineer = common::signed_in(&app, "engineer@operator.example").await;
        let lead = common::signed_in(&app, "lead@operator.example").await;
        let customer = Guid::from_name("demo:北京云海科技有限公司");
        let mut ids = vec![];
        for severity in ["critical", "moderate", "minimal", "critical"] {
            let input = RequestInput {
                title: Some(format!("Rollup {severity}")),
                description: Some("Mail stopped".into()),
                severity: Some(RawEnum::Text(severity.into())),
                support_topic_id: Some("office365-mail-flow".into()),
                ..Default::default()
            };
            let view = app
                .create_customer_request(&agent, customer, "en-US", &input)
                .await
                .unwrap();
            ids.push(view.request.id.to_string());
        }
        assert_rollups_exact(&app, "escalations").await;

        // Past the critical target: the sweep marks both critical ones at once.
        clock.advance(SignedDuration::from_hours(3));
        app.sweep_sla().await.unwrap();
        assert_rollups_exact(&app, "the sweep").await;

        // A breached request made minimal is re-planned (its mark cleared), another moved up.
        for (id, severity) in [(&ids[0], "minimal"), (&ids[2], "critical")] {
            let patch = RequestPatch {
                severity: Some(RawEnum::Text(severity.into())),
                severity_reason: Some("Re-triaged".into()),
                ..Default::default()
            };
            app.update_request(&engineer, id, &patch, None)
                .await
                .unwrap();
        }
        assert_rollups_exact(&app, "severity changes").await;

        // A late first contact, a contact on time, and a pause.
        for id in [&ids[1], &ids[3]] {
            let contact = ContactInput {
                channel: Some("phone".into()),
                outcome: Some("Called the partner.".into()),
                at: None,
            };
            app.log_contact(&engineer, id, &contact).await.unwrap();
        }
        let ask = RequestPatch {
            status: Some(RawEnum::Text("attention_needed".into())),
            new_note: Some("Which mailbox?".into()),
            ..Default::default()
        };
        app.update_request(&engineer, &ids[2], &ask, None)
            .await
            .unwrap();
        assert_rollups_exact(&app, "contacts and a pause").await;

        // Reviews, a dispute and a lead's decision.
        for id in &ids[..3] {
            app.review_escalation(&engineer, id, Some("improper"), Some("duplicate"), None)
                .await
                .unwrap();
        }
        assert_rollups_exact(&app, "reviews").await;
        app.dispute_review(&agent, &ids[1], Some("Not a duplicate."))
            .await
            .unwrap();
        app.decide_dispute(&lead, &ids[1], Some("overturned"), None)
            .await
            .unwrap();
        assert_rollups_exact(&app, "a dispute overturned").await;
    }
}
