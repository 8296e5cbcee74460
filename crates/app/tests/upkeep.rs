//! Upkeep forgets what has expired — sessions after their lifetime, idempotency keys after a
//! day, rate-limit counts after their window — and nothing that is still live.

mod common;

use jiff::SignedDuration;
use partnerdesk_app::{
    AppError,
    attachments::Upload,
    demo,
    domain::Guid,
    requests::{RawEnum, RequestInput},
    store::testing,
};

#[tokio::test]
async fn upkeep_purges_expired_sessions_idempotency_keys_and_rate_limit_counts_only() {
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.expect("database");
        let clock = common::start_clock();
        let app = common::node(&url, clock.clone()).await;
        demo::seed(&app).await.unwrap();

        let session = app
            .sign_in("agent@contoso.example", demo::DEMO_PASSWORD, "198.51.100.7")
            .await
            .unwrap();
        let agent = app.session_actor(&session.secret).await.unwrap().0;
        let input = RequestInput {
            title: Some("Mail stuck".into()),
            description: Some("Since 08:00".into()),
            severity: Some(RawEnum::Text("moderate".into())),
            support_topic_id: Some("office365-mail-flow".into()),
            idempotency_key: Some("k-1".into()),
            ..Default::default()
        };
        let customer = Guid::from_name("demo:北京云海科技有限公司");
        let first = app
            .create_customer_request(&agent, customer, "en-US", &input)
            .await
            .unwrap();

        // Nothing has expired yet.
        let now = app.maintain().await.unwrap();
        assert_eq!(
            (
                now.sessions_purged,
                now.idempotency_keys_purged,
                now.rate_limits_purged
            ),
            (0, 0, 0)
        );

        // Past the session's lifetime (12 h), within the key's day.
        clock.advance(SignedDuration::from_hours(13));
        let later = app.maintain().await.unwrap();
        assert_eq!(
            (later.sessions_purged, later.idempotency_keys_purged),
            (1, 0)
        );
        // The sign-in's counts (by e-mail and by address) were for a window long over.
        assert_eq!(later.rate_limits_purged, 2);
        assert!(matches!(
            app.session_actor(&session.secret).await,
            Err(AppError::Unauthenticated)
        ));
        let replayed = app
            .create_customer_request(&agent, customer, "en-US", &input)
            .await
            .unwrap();
        assert_eq!(replayed.request.id, first.request.id);

        // A day after the create the key is forgotten, and the same key makes a new request.
        clock.advance(SignedDuration::from_hours(12));
        let day = app.maintain().await.unwrap();
        assert_eq!(day.idempotency_keys_purged, 1);
        let again = app
            .create_customer_request(&agent, customer, "en-US", &input)
            .await
            .unwrap();
        assert_ne!(again.request.id, first.request.id);
    }
}

#[tokio::test]
async fn upkeep_forgets_files_staged_a_day_ago_and_keeps_attached_and_recent_ones() {
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.expect("database");
        let clock = common::start_clock();
        let app = common::node(&url, clock.clone()).await;
        demo::seed(&app).await.unwrap();
        let agent = common::signed_in(&app, "agent@contoso.example").await;
        let upload = |name: &str| Upload {
            file_name: name.into(),
            content_type: "text/plain".into(),
            bytes: bytes::Bytes::from_static(b"trace"),
        };

        // One file is staged and then taken by a request; another is left staged.
        let taken = app
            .stage_files(&agent, &[upload("taken.txt")], 0)
            .await
            .unwrap();
        let left = app
            .stage_files(&agent, &[upload("left.txt")], 0)
            .await
            .unwrap();
        let input = RequestInput {
            title: Some("Mail stuck".into()),
            description: Some("Since 08:00".into()),
            severity: Some(RawEnum::Text("moderate".into())),
            support_topic_id: Some("office365-mail-flow".into()),
            attachments: vec![taken[0].file.id.to_string()],
            ..Default::default()
        };
        let customer = Guid::from_name("demo:北京云海科技有限公司");
        let view = app
            .create_customer_request(&agent, customer, "en-US", &input)
            .await
            .unwrap();
        assert_eq!(view.files.len(), 1);
        let rid = view.request.id.to_string();

        // A staged file cannot be attached twice.
        let refused = app
            .create_customer_request(&agent, customer, "en-US", &input)
            .await;
        assert!(
            matches!(refused, Err(AppError::Invalid(ref f)) if f[0].field == "attachments"),
            "{refused:?}"
        );

        clock.advance(SignedDuration::from_hours(23));
        assert_eq!(app.maintain().await.unwrap().staged_files_purged, 0);
        clock.advance(SignedDuration::from_hours(2));
        assert_eq!(app.maintain().await.unwrap().staged_files_purged, 1);
        let left_id = left[0].file.id.to_string();
        assert!(
            app.staged_files(&agent, &[left_id])
                .await
                .unwrap()
                .is_empty()
        );
        let (record, bytes) = app
            .download_file(&agent, &rid, &taken[0].file.id.to_string())
            .await
            .unwrap();
        assert_eq!(
            (record.file.file_name.as_str(), bytes.as_ref()),
            ("taken.txt", &b"trace"[..])
        );
    }
}
