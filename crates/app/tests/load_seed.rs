//! `admin seed`'s load: requests spread over the customers, each resolved one answered with a
//! public note, as worked requests are.

mod common;

use partnerdesk_app::{demo, store::testing};
use partnerdesk_domain::State;

#[tokio::test]
async fn the_load_gives_every_resolved_request_its_answer() {
    for engine in testing::engines() {
        let url = testing::fresh_database_url(engine).await.expect("database");
        let app = common::node(&url, common::start_clock()).await;
        let ids = demo::seed_load(&app, 30, 4).await.expect("load");
        assert_eq!(ids.len(), 30);
        let admin = app
            .create_token_for_email("admin@contoso.example", "test")
            .await
            .unwrap();
        let admin = app.token_actor(&admin.secret).await.unwrap();
        let (mut resolved, mut open) = (0, 0);
        for id in &ids {
            let view = app.request(&admin, &id.to_string()).await.unwrap();
            let bodies: Vec<_> = view.notes.iter().map(|n| n.body.as_str()).collect();
            if view.request.state == State::Resolved {
                resolved += 1;
                assert_eq!(
                    bodies,
                    ["Fixed on our side; please confirm with the customer."]
                );
                assert_eq!(
                    Some(view.notes[0].created_at),
                    view.request.sla.first_contact_at
                );
            } else {
                open += 1;
                assert!(bodies.is_empty(), "{bodies:?}");
            }
        }
        // Four in five resolved.
        assert_eq!((resolved, open), (24, 6));
    }
}
