//! Service health over HTTP on both engines: publishing, the timeline in three languages,
//! resolving and reopening, who sees which notice, and bad input named by field.

mod common;

use common::{TestServer, customer1, on_every_engine, tailspin_customer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn notice_for_customer1() -> Value {
    json!({
        "Kind": "incident",
        "Severity": "critical",
        "Texts": [
            { "Locale": "en-US", "Title": "Mailbox access fails", "Impact": "Outlook cannot connect." },
            { "Locale": "zh-CN", "Title": "邮箱无法访问", "Impact": "Outlook 无法连接。" },
            { "Locale": "ru", "Title": "Нет доступа к почтовому ящику", "Impact": "Outlook не подключается." }
        ],
        "ServiceIds": ["office365"],
        "AffectedCustomers": [customer1()],
    })
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_notice_is_published_updated_resolved_and_seen_only_where_it_reaches() {
    on_every_engine(|s: TestServer| async move {
        let health = s.token("health@operator.example").await;
        let (status, made) = s
            .post(&health, "/v1/serviceincidents", notice_for_customer1())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let id = made["id"].as_str().unwrap().to_string();
        assert_eq!(made["affectedCustomers"], json!([customer1()]));
        assert_eq!(
            (made["status"].as_str(), made["severity"].as_str()),
            (Some("investigating"), Some("critical"))
        );
        assert!(made.get("endTime").is_none());

        // Who sees it: the operator, Contoso (customer1's partner) and customer1 itself.
        for (email, sees) in [
            ("engineer@operator.example", true),
            ("agent@contoso.example", true),
            ("admin@customer1.example", true),
            ("agent@tailspin.example", false),
        ] {
            let token = s.token(email).await;
            let (status, one) = s.get(&token, &format!("/v1/serviceincidents/{id}")).await;
            assert_eq!(
                status,
                if sees {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                },
                "{email}: {one}"
            );
            let (_, list) = s.get(&token, "/v1/serviceincidents?status=active").await;
            assert_eq!(ids(&list).contains(&id), sees, "{email} lists it");
            if sees {
                assert!(
                    one.get("affectedCustomers").is_none(),
                    "{email} is not shown the customer list"
                );
            }
        }
        let sales = s.token("sales@contoso.example").await;
        assert_eq!(
            s.get(&sales, "/v1/serviceincidents").await.0,
            StatusCode::FORBIDDEN
        );
        let agent = s.token("agent@contoso.example").await;
        let (_, per_customer) = s
            .get(
                &agent,
                &format!("/v1/customers/{}/serviceincidents", customer1()),
            )
            .await;
        assert!(ids(&per_customer).contains(&id));
        let (status, _) = s
            .get(
                &agent,
                &format!("/v1/customers/{}/serviceincidents", tailspin_customer()),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // The timeline, in the reader's language.
        let (status, updated) = s
            .post(
                &health,
                &format!("/v1/serviceincidents/{id}/updates"),
                json!({ "status": "identified", "texts": [
                    { "locale": "en", "text": "A certificate expired." },
                    { "locale": "zh", "text": "证书已过期。" },
                    { "locale": "ru", "text": "Истёк срок действия сертификата." }
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{updated}");
        assert_eq!(updated["status"], "identified");
        let in_chinese = s
            .http
            .get(format!("{}/v1/serviceincidents/{id}", s.base))
            .bearer_auth(&agent)
            .header("X-Locale", "zh")
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        assert_eq!(in_chinese["title"], "邮箱无法访问");
        assert_eq!(in_chinese["messages"][0]["messageText"], "证书已过期。");
        assert_eq!(
            in_chinese["messages"][0]["texts"].as_array().unwrap().len(),
            3
        );

        // Resolving ends it; a stale ETag loses; reopening clears the end.
        let etag = s
            .http
            .get(format!("{}/v1/serviceincidents/{id}", s.base))
            .bearer_auth(&health)
            .send()
            .await
            .unwrap()
            .headers()["etag"]
            .to_str()
            .unwrap()
            .to_string();
        let (status, resolved) = s
            .patch(
                &health,
                &format!("/v1/serviceincidents/{id}"),
                json!({ "status": "resolved" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{resolved}");
        assert!(resolved["endTime"].is_string());
        let stale = s
            .http
            .request(
                Method::PATCH,
                format!("{}/v1/serviceincidents/{id}", s.base),
            )
            .bearer_auth(&health)
            .header("If-Match", etag)
            .json(&json!({ "severity": "warning" }))
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
        let (_, active) = s.get(&agent, "/v1/serviceincidents?status=active").await;
        assert!(!ids(&active).contains(&id));
        let (status, reopened) = s
            .patch(
                &health,
                &format!("/v1/serviceincidents/{id}"),
                json!({ "status": "investigating" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(reopened.get("endTime").is_none());

        // Only publishers publish; bad input names its fields.
        assert_eq!(
            s.post(&agent, "/v1/serviceincidents", notice_for_customer1())
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let engineer = s.token("engineer@operator.example").await;
        assert_eq!(
            s.post(&engineer, "/v1/serviceincidents", notice_for_customer1())
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let (status, bad) = s
            .post(
                &health,
                "/v1/serviceincidents",
                json!({
                    "severity": "apocalyptic",
                    "serviceIds": ["no-such-service"],
                    "startTime": "2026-11-02T10:00:00Z",
                    "endTime": "2026-11-02T09:00:00Z",
                    "affectedCustomers": "some",
                }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let mut fields: Vec<&str> = common::refused_fields(&bad);
        fields.sort_unstable();
        assert_eq!(
            fields,
            ["affectedCustomers"],
            "the list is checked first: {bad}"
        );
        let (status, bad) = s
            .post(
                &health,
                "/v1/serviceincidents",
                json!({
                    "severity": "apocalyptic",
                    "serviceIds": ["no-such-service"],
                    "startTime": "2026-11-02T10:00:00Z",
                    "endTime": "2026-11-02T09:00:00Z",
                }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let mut fields: Vec<&str> = common::refused_fields(&bad);
        fields.sort_unstable();
        assert_eq!(
            fields,
            ["endTime", "serviceIds", "severity", "texts"],
            "{bad}"
        );

        // The demo world's active incident reaches customer1 (office365 in cn-north).
        let customer = s.token("admin@customer1.example").await;
        let (_, mine) = s.get(&customer, "/v1/serviceincidents?status=active").await;
        assert!(
            mine["items"].as_array().unwrap().iter().any(|i| i["texts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["title"] == "发往外部域的邮件延迟")),
            "{mine}"
        );
        s
    })
    .await;
}

/// The entries' titles of a feed fetched with `uri` (a relative address with its token).
async fn feed(s: &TestServer, uri: &str) -> (StatusCode, Vec<String>) {
    let response = s.http.get(format!("{}{uri}", s.base)).send().await.unwrap();
    let status = response.status();
    if status != StatusCode::OK {
        return (status, vec![]);
    }
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let xml = response.text().await.unwrap();
    let parsed: atom_syndication::Feed = xml.parse().expect("a valid Atom document");
    (
        status,
        parsed
            .entries()
            .iter()
            .map(|e| e.title().value.clone())
            .collect(),
    )
}

#[tokio::test]
async fn the_atom_feed_shows_each_audience_its_own_notices_until_revoked() {
    on_every_engine(|s: TestServer| async move {
        let health = s.token("health@operator.example").await;
        let (status, _) = s
            .post(&health, "/v1/serviceincidents", notice_for_customer1())
            .await;
        assert_eq!(status, StatusCode::CREATED);

        let mut uris = std::collections::HashMap::new();
        for email in [
            "agent@contoso.example",
            "agent@tailspin.example",
            "admin@customer1.example",
            "engineer@operator.example",
        ] {
            let token = s.token(email).await;
            let (status, made) = s.post(&token, "/v1/feeds/incidents", json!({})).await;
            assert_eq!(status, StatusCode::CREATED, "{email}: {made}");
            uris.insert(
                email,
                (
                    token,
                    made["id"].as_str().unwrap().to_string(),
                    made["uri"].as_str().unwrap().to_string(),
                ),
            );
        }
        let has = |titles: &[String], text: &str| titles.iter().any(|t| t.contains(text));
        for (email, sees_listed) in [
            ("agent@contoso.example", true),
            ("admin@customer1.example", true),
            ("engineer@operator.example", true),
            ("agent@tailspin.example", false),
        ] {
            let (status, titles) = feed(&s, &uris[email].2).await;
            assert_eq!(status, StatusCode::OK, "{email}");
            assert_eq!(
                has(&titles, "Mailbox access fails"),
                sees_listed,
                "{email}: {titles:?}"
            );
            // The demo world's notices for every customer of their services reach everyone here.
            assert!(
                has(&titles, "Planned maintenance of virtual machine hosts")
                    || email.contains("customer1"),
                "{email}: {titles:?}"
            );
        }
        // A feed token opens the feed and nothing else.
        let (_, _, uri) = &uris["agent@contoso.example"];
        let secret = uri.split("token=").nth(1).unwrap();
        assert_eq!(s.get(secret, "/v1/me").await.0, StatusCode::UNAUTHORIZED);
        // Revoked: the feed stops at once.
        let (token, id, uri) = &uris["agent@contoso.example"];
        let (status, _) = s
            .call(
                token,
                Method::DELETE,
                &format!("/v1/feeds/incidents/{id}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(feed(&s, uri).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(
            feed(&s, "/feeds/incidents.atom?token=pdf_forged").await.0,
            StatusCode::UNAUTHORIZED
        );
        // Sales agents have no service health, so no feed.
        let sales = s.token("sales@contoso.example").await;
        assert_eq!(
            s.post(&sales, "/v1/feeds/incidents", json!({})).await.0,
            StatusCode::FORBIDDEN
        );
        s
    })
    .await;
}

#[tokio::test]
async fn a_request_linked_to_an_incident_shows_on_both_sides() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let c1 = customer1();
        let (_, active) = s
            .get(
                &agent,
                &format!("/v1/customers/{c1}/serviceincidents?status=active&serviceId=office365"),
            )
            .await;
        let incident = active["items"][0]["id"].as_str().unwrap().to_string();
        let (status, made) = s
            .post(
                &agent,
                &format!("/v1/customers/{c1}/servicerequests/zh-CN"),
                common::minimal_request("邮件延迟"),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let rid = made["id"].as_str().unwrap().to_string();
        assert!(made["incidentId"].is_null());

        let (status, linked) = s
            .patch(
                &agent,
                &format!("/v1/servicerequests/{rid}"),
                json!({ "IncidentId": incident.parse::<i64>().unwrap() }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{linked}");
        assert_eq!(linked["incidentId"], incident.as_str());
        for email in ["agent@contoso.example", "engineer@operator.example"] {
            let token = s.token(email).await;
            let (_, seen) = s
                .get(&token, &format!("/v1/serviceincidents/{incident}"))
                .await;
            assert!(
                seen["linkedRequestIds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r == rid.as_str()),
                "{email}: {seen}"
            );
        }
        let (_, filtered) = s
            .get(
                &agent,
                &format!("/v1/servicerequests?incidentId={incident}"),
            )
            .await;
        assert_eq!(ids(&filtered), std::slice::from_ref(&rid));
        let (_, history) = s
            .get(&agent, &format!("/v1/servicerequests/{rid}/history"))
            .await;
        assert!(common::has_action(&history, "incident_linked"));

        // Only an incident that reaches the request's customer; empty unlinks.
        let health = s.token("health@operator.example").await;
        let (_, elsewhere) = s
            .post(
                &health,
                "/v1/serviceincidents",
                json!({
                    "texts": [{ "locale": "en", "title": "Elsewhere" }],
                    "serviceIds": ["office365"], "affectedCustomers": [tailspin_customer()],
                }),
            )
            .await;
        let (status, bad) = s
            .patch(
                &agent,
                &format!("/v1/servicerequests/{rid}"),
                json!({ "incidentId": elsewhere["id"] }),
            )
            .await;
        assert_eq!(
            (status, bad["data"][0]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("incidentId")),
            "{bad}"
        );
        let (status, unlinked) = s
            .patch(
                &agent,
                &format!("/v1/servicerequests/{rid}"),
                json!({ "incidentId": "" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(unlinked["incidentId"].is_null());
        s
    })
    .await;
}
