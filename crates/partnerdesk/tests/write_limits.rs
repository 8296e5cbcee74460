//! Changes are limited per user and minute: past the limit a write is a 429 with Retry-After,
//! reads go on, other users are not affected, and the next minute starts afresh.

mod common;

use common::{TestServer, customer1, minimal_request};
use jiff::SignedDuration;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn writes_past_the_limit_are_refused_until_the_next_minute() {
    for engine in partnerdesk_app::store::testing::engines() {
        let server = TestServer::start_with(engine, |app| app.with_writes_per_minute(3)).await;
        let agent = server.token("agent@contoso.example").await;
        let create = format!("/v1/customers/{}/servicerequests/en-US", customer1());
        let (status, made) = server.post(&agent, &create, minimal_request("one")).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let id = made["id"].as_str().unwrap().to_string();
        for title in ["two", "three"] {
            let (status, body) = server
                .patch(
                    &agent,
                    &format!("/v1/servicerequests/{id}"),
                    serde_json::json!({ "title": title }),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }

        let refused = server
            .http
            .request(
                Method::PATCH,
                format!("{}/v1/servicerequests/{id}", server.base),
            )
            .bearer_auth(&agent)
            .json(&serde_json::json!({ "title": "four" }))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry_after: i64 = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&retry_after), "{retry_after}");
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "rate_limited");

        // Reads are not writes; another user has a budget of its own.
        let (status, read) = server
            .get(&agent, &format!("/v1/servicerequests/{id}"))
            .await;
        assert_eq!(
            (status, read["title"].as_str()),
            (StatusCode::OK, Some("three"))
        );
        let admin = server.token("admin@contoso.example").await;
        let (status, _) = server
            .patch(
                &admin,
                &format!("/v1/servicerequests/{id}"),
                serde_json::json!({ "title": "by the admin" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        server.clock.advance(SignedDuration::from_secs(retry_after));
        let (status, _) = server
            .patch(
                &agent,
                &format!("/v1/servicerequests/{id}"),
                serde_json::json!({ "title": "a minute later" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        server.stop().await;
    }
}

#[tokio::test]
async fn the_consoles_forms_count_against_the_same_limit() {
    for engine in partnerdesk_app::store::testing::engines() {
        let server = TestServer::start_with(engine, |app| app.with_writes_per_minute(2)).await;
        let mut agent = server.console(Some("agent@contoso.example")).await;
        let token = server.token("agent@contoso.example").await;
        let (_, made) = server
            .post(
                &token,
                &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                minimal_request("limits"),
            )
            .await;
        let page = format!("/requests/{}", made["id"].as_str().unwrap());
        agent.get(&page).await;
        // The API's create used one write of two this minute.
        let first = agent.post(&page, &[("note", "first")]).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        agent.get(&page).await;
        let refused = agent.post(&page, &[("note", "second")]).await;
        assert_eq!(
            refused.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            refused.body
        );
        // Reading goes on.
        assert_eq!(agent.get(&page).await.status, StatusCode::OK);
        server.clock.advance(SignedDuration::from_secs(60));
        agent.get(&page).await;
        let again = agent.post(&page, &[("note", "second")]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        server.stop().await;
    }
}
