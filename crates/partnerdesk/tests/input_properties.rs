//! Property tests for input handling: no body, however odd, crashes a handler or yields a 5xx;
//! over-long fields are refused with a 400 naming the field.

mod common;

use common::{TestServer, customer1};
use partnerdesk_app::store::Engine;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const FIELDS: &[&str] = &[
    "title",
    "Title",
    "DESCRIPTION",
    "description",
    "severity",
    "Severity",
    "supportTopicId",
    "SupportTopicID",
    "status",
    "newNote",
    "escalationCriterion",
    "troubleshooting",
    "primaryContact",
    "countryCode",
    "partnerId",
];

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        prop_oneof![
            Just("critical"),
            Just("OPEN"),
            Just("office365-mail-flow"),
            Just("unknown"),
            Just("<script>")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_body() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => proptest::collection::vec((proptest::sample::select(FIELDS), any_value()), 0..8)
            .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())),
        1 => any_value(),
    ]
}

fn acceptable(status: u16) -> bool {
    matches!(status, 200 | 201 | 400 | 403 | 404 | 409 | 412 | 413 | 415)
}

#[test]
fn no_input_crashes_a_handler() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, token, request_path) = runtime.block_on(async {
        let server = TestServer::start(Engine::Sqlite).await;
        let token = server.token("agent@contoso.example").await;
        let (_, created) = server
            .post(
                &token,
                &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                common::minimal_request("target"),
            )
            .await;
        let path = format!("/v1/servicerequests/{}", created["id"].as_str().unwrap());
        (server, token, path)
    });
    let create_path = format!("/v1/customers/{}/servicerequests/en-US", customer1());
    let config = ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(body in any_body(), raw in proptest::collection::vec(any::<u8>(), 0..64))| {
        runtime.block_on(async {
            for (method, path) in [(reqwest::Method::POST, create_path.as_str()), (reqwest::Method::PATCH, request_path.as_str())] {
                let (status, response) = server.call(&token, method.clone(), path, Some(body.clone())).await;
                assert!(acceptable(status.as_u16()), "{method} {path} {body} → {status} {response}");
                assert_eq!(response["source"].as_str().unwrap_or("partnerdesk"), "partnerdesk");
                // Raw bytes, not JSON at all.
                let r = server.http.request(method.clone(), format!("{}{path}", server.base)).bearer_auth(&token)
                    .header("content-type", "application/json").body(raw.clone()).send().await.unwrap();
                let status = r.status().as_u16();
                let text = r.text().await.unwrap();
                assert!(acceptable(status), "{method} {path} raw {raw:?} → {status} {text}");
            }
        });
    });
    runtime.block_on(server.stop());
}

#[test]
fn over_long_fields_are_refused_naming_the_field() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = TestServer::start(Engine::Sqlite).await;
        let token = server.token("agent@contoso.example").await;
        let path = format!("/v1/customers/{}/servicerequests/en-US", customer1());
        for (field, limit) in [
            ("title", 250),
            ("description", 20_000),
            ("troubleshooting", 10_000),
        ] {
            let mut body = common::minimal_request("ok");
            body[field] = json!("字".repeat(limit + 1));
            let (status, err) = server.post(&token, &path, body.clone()).await;
            assert_eq!(status.as_u16(), 400, "{field}");
            assert_eq!(err["data"][0]["field"], field);
            assert_eq!(err["data"][0]["code"], "too_long");
            body[field] = json!("字".repeat(limit));
            assert_eq!(
                server.post(&token, &path, body).await.0.as_u16(),
                201,
                "{field} at its limit"
            );
        }
        server.stop().await;
    });
}
