//! Attachments over real HTTP, on every engine: upload, list, download (byte for byte, always
//! as a download, under a name that cannot break the header), the limits, and the history.

mod common;

use common::{TestServer, minimal_request, on_every_engine};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn new_request(s: &TestServer, token: &str) -> String {
    let c = common::customer1();
    let (status, created) = s
        .post(
            token,
            &format!("/v1/customers/{c}/servicerequests/en-US"),
            minimal_request("Mail bounces"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_str().unwrap().to_string()
}

fn field_code(body: &Value) -> (String, String) {
    let field = &body["data"][0];
    (
        field["field"].as_str().unwrap_or_default().to_string(),
        field["code"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn files_round_trip_as_downloads_with_their_names() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let rid = new_request(&s, &agent).await;
        let path = format!("/v1/servicerequests/{rid}/files");
        let trace: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
        let page = b"<html><script>alert(1)</script></html>";
        let (status, body) = s
            .upload(
                &agent,
                &path,
                &[
                    (
                        "C:\\fakepath\\trace \"550\".bin",
                        "application/x-trace",
                        &trace,
                    ),
                    ("邮件 日志.html", "text/html", page),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            (
                &items[0]["fileNameWithoutExtension"],
                &items[0]["fileExtension"]
            ),
            (&json!("trace \"550\""), &json!(".bin")),
            "only the last path part is kept"
        );
        assert_eq!(items[0]["fileSize"], 300_000);
        assert_eq!(items[0]["comment"], json!(null));
        assert_eq!(items[1]["fileNameWithoutExtension"], "邮件 日志");
        assert_eq!(items[1]["contentType"], "text/html");
        assert_eq!(items[1]["uploadedBy"], "Contoso Agent");
        let (status, commented) = s
            .upload_with(
                &agent,
                &path,
                &[("Comment", "The customer's NDR")],
                &[("ndr.eml", "message/rfc822", b"550")],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{commented}");
        assert_eq!(commented["items"][0]["comment"], "The customer's NDR");

        // The operator's engineer sees both on the request and downloads them as sent.
        let (_, request) = s
            .get(&engineer, &format!("/v1/servicerequests/{rid}"))
            .await;
        let links: Vec<&str> = request["fileLinks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["uri"].as_str().unwrap())
            .collect();
        assert_eq!(links.len(), 3, "{request}");
        let download = |uri: &str| {
            s.http
                .get(format!("{}{uri}", s.base))
                .bearer_auth(&engineer)
                .send()
        };
        let response = download(links[0]).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/octet-stream");
        assert_eq!(
            headers["content-disposition"],
            "attachment; filename=\"trace _550_.bin\"; filename*=UTF-8''trace%20%22550%22%2Ebin"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(response.bytes().await.unwrap().as_ref(), trace.as_slice());

        // HTML is never served as HTML from the product's origin.
        let response = download(links[1]).await.unwrap();
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/octet-stream");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("sandbox")
        );
        assert!(
            headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert_eq!(response.bytes().await.unwrap().as_ref(), page);

        // The listing says the same; the history records each attachment.
        let (status, listed) = s.get(&agent, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed["totalCount"], 3);
        let (_, history) = s
            .get(&agent, &format!("/v1/servicerequests/{rid}/history"))
            .await;
        let attached = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "file_attached")
            .count();
        assert_eq!(attached, 3, "{history}");

        // A file id from another request is not found through this one.
        let other = new_request(&s, &agent).await;
        let file = items[0]["id"].as_str().unwrap();
        let (status, _) = s
            .get(&agent, &format!("/v1/servicerequests/{other}/files/{file}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        s
    })
    .await;
}

#[tokio::test]
async fn uploads_over_the_limits_or_to_closed_requests_are_refused_by_field() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let rid = new_request(&s, &agent).await;
        let path = format!("/v1/servicerequests/{rid}/files");

        let big = vec![b'x'; partnerdesk_app::attachments::MAX_FILE_BYTES + 1];
        let (status, body) = s
            .upload(&agent, &path, &[("big.log", "text/plain", &big)])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(field_code(&body), ("file".into(), "too_large".into()));

        let (status, body) = s
            .upload(&agent, &path, &[("empty.txt", "text/plain", b"")])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(field_code(&body), ("file".into(), "invalid".into()));

        // What a browser sends for a file input left empty.
        let (status, body) = s
            .upload(&agent, &path, &[("", "application/octet-stream", b"")])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(field_code(&body), ("file".into(), "required".into()));

        let (_, listed) = s.get(&agent, &path).await;
        assert_eq!(listed["totalCount"], 0, "nothing refused was kept");

        // The operator resolves, the partner closes: no more files.
        let engineer = s.token("engineer@operator.example").await;
        let me: Value = s.get(&engineer, "/v1/me").await.1;
        let operator = |action: &str| format!("/v1/operator/servicerequests/{rid}/{action}");
        let (status, body) = s
            .post(
                &engineer,
                &operator("assign"),
                serde_json::json!({ "assignee": me["user"]["id"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = s
            .post(
                &engineer,
                &operator("resolve"),
                serde_json::json!({ "note": "Fixed." }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = s
            .patch(
                &agent,
                &format!("/v1/servicerequests/{rid}"),
                serde_json::json!({ "status": "closed" }),
            )
            .await;
        assert_eq!(
            (status, body["internalStatus"].as_str()),
            (StatusCode::OK, Some("closed")),
            "{body}"
        );
        let (status, body) = s
            .upload(&agent, &path, &[("late.txt", "text/plain", b"z")])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(field_code(&body), ("file".into(), "invalid".into()));
        s
    })
    .await;
}
