//! The OpenAPI document is locked: a change to any handler's contract shows up as a diff of
//! `openapi.json` in review. Regenerate with `UPDATE_SNAPSHOTS=1 cargo test -p partnerdesk --test openapi_snapshot`.

mod common;

use std::path::Path;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

#[test]
fn the_document_matches_its_snapshot() {
    let generated = partnerdesk::api::openapi_document();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(SNAPSHOT, &generated).expect("write the snapshot");
    }
    let locked = std::fs::read_to_string(Path::new(SNAPSHOT)).unwrap_or_default();
    assert!(
        generated == locked,
        "the OpenAPI document changed; review the diff after regenerating with \
         UPDATE_SNAPSHOTS=1 cargo test -p partnerdesk --test openapi_snapshot"
    );
    let document: serde_json::Value = serde_json::from_str(&generated).expect("JSON");
    assert_eq!(document["openapi"], "3.1.0");
}

#[tokio::test]
async fn the_server_serves_the_document_and_a_page_for_every_operation() {
    common::on_every_engine(|server| async move {
        let get = |path: &str| server.http.get(format!("{}{path}", server.base)).send();
        let response = get("/openapi.json").await.unwrap();
        assert_eq!(response.status(), 200);
        let served: serde_json::Value = response.json().await.unwrap();
        let generated: serde_json::Value =
            serde_json::from_str(&partnerdesk::api::openapi_document()).unwrap();
        assert_eq!(served, generated);

        let page = get("/docs").await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(
            page.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = page.text().await.unwrap();
        let paths = served["paths"].as_object().unwrap();
        assert!(paths.len() >= 20, "{} paths", paths.len());
        for (path, item) in paths {
            for method in item.as_object().unwrap().keys() {
                let anchor: String = format!("{method}-{path}")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                assert!(
                    html.contains(&format!("id=\"{anchor}\"")),
                    "{method} {path} missing from /docs"
                );
            }
        }
        server
    })
    .await;
}
