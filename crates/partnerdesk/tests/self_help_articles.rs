//! Self-help articles over HTTP on both engines: writing in Markdown (served sanitized),
//! drafts hidden from readers, search in Chinese, Russian and English, and "was this helpful".

mod common;

use common::{TestServer, on_every_engine};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn titles(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn articles_are_written_published_found_in_three_languages_and_rated() {
    on_every_engine(|s: TestServer| async move {
        let lead = s.token("lead@operator.example").await;
        // The demo world: 24 published articles over four services in three languages.
        let (_, demo) = s.get(&lead, "/v1/articles?size=500").await;
        assert_eq!(demo["totalCount"], 24);
        for field in ["locale", "serviceId"] {
            let mut values: Vec<&str> = demo["items"].as_array().unwrap().iter().map(|a| a[field].as_str().unwrap()).collect();
            values.sort_unstable();
            values.dedup();
            assert_eq!(values.len(), if field == "locale" { 3 } else { 4 }, "{field}: {values:?}");
        }
        let mut ids = vec![];
        for (locale, title, body) in [
            ("zh-CN", "解决外发邮件被退回的问题", "检查 **SPF** 记录。<script>alert(1)</script>"),
            ("ru", "Почему письма не доставляются партнёрам", "Проверьте запись [SPF](javascript:alert(1)) домена."),
            ("en", "Outbound mail bounces with 550 5.7.1", "Check the domain's SPF record."),
        ] {
            let (status, made) = s
                .post(&lead, "/v1/articles", json!({
                    "ServiceId": "office365", "TopicId": "office365-mail-flow", "Locale": locale,
                    "Title": title, "Body": body, "Status": "published",
                }))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{made}");
            ids.push(made["id"].as_str().unwrap().to_string());
        }
        let (_, zh) = s.get(&lead, &format!("/v1/articles/{}", ids[0])).await;
        assert!(zh["bodyHtml"].as_str().unwrap().contains("<strong>SPF</strong>"));
        assert!(!zh["bodyHtml"].as_str().unwrap().contains("<script"));
        let (_, ru) = s.get(&lead, &format!("/v1/articles/{}", ids[1])).await;
        assert!(!ru["bodyHtml"].as_str().unwrap().contains("javascript:"));

        // A draft is for writers only.
        let (_, draft) = s
            .post(&lead, "/v1/articles", json!({
                "serviceId": "office365", "locale": "en", "title": "Draft: mail rules", "body": "Soon."
            }))
            .await;
        assert_eq!(draft["status"], "draft");
        let agent = s.token("agent@contoso.example").await;
        let draft_path = format!("/v1/articles/{}", draft["id"].as_str().unwrap());
        assert_eq!(s.get(&agent, &draft_path).await.0, StatusCode::NOT_FOUND);
        assert_eq!(s.get(&lead, &draft_path).await.0, StatusCode::OK);

        // Search: Chinese without spaces, Russian, English; by language and service. (The demo
        // world's articles may match too; ours must be found, and only the right one of ours.)
        let ours = [
            "解决外发邮件被退回的问题",
            "Почему письма не доставляются партнёрам",
            "Outbound mail bounces with 550 5.7.1",
        ];
        for (q, expected) in [
            ("外发邮件", ours[0]),
            ("邮件被退回", ours[0]),
            ("письма не доставляются", ours[1]),
            ("bounces with 550", ours[2]),
            ("bounces SPF", ours[2]),
        ] {
            let (status, found) = s.get(&agent, &format!("/v1/articles?q={}", urlencode(q))).await;
            assert_eq!(status, StatusCode::OK, "{found}");
            let found = titles(&found);
            let of_ours: Vec<&str> = ours.iter().copied().filter(|t| found.iter().any(|f| f == t)).collect();
            assert_eq!(of_ours, [expected], "q={q}: {found:?}");
        }
        let (_, russian) = s.get(&agent, "/v1/articles?locale=ru-RU&serviceId=office365&size=500").await;
        assert!(titles(&russian).contains(&ours[1].to_string()));
        assert!(russian["items"].as_array().unwrap().iter().all(|a| a["locale"] == "ru" && a["serviceId"] == "office365"));
        let (_, all) = s.get(&agent, "/v1/articles?serviceId=office365").await;
        assert!(!titles(&all).contains(&"Draft: mail rules".to_string()));
        let (_, lead_all) = s.get(&lead, "/v1/articles?serviceId=office365&q=Draft").await;
        assert_eq!(titles(&lead_all), ["Draft: mail rules"]);

        // Was it helpful? The most helpful comes first.
        let (status, rated) = s.post(&agent, &format!("/v1/articles/{}/feedback", ids[2]), json!({ "helpful": true })).await;
        assert_eq!((status, rated["helpfulCount"].as_i64()), (StatusCode::OK, Some(1)));
        let (_, ranked) = s.get(&agent, "/v1/articles?serviceId=office365").await;
        assert_eq!(titles(&ranked)[0], "Outbound mail bounces with 550 5.7.1");

        // Writers only; bad input named; a topic must be the service's.
        assert_eq!(s.post(&agent, "/v1/articles", json!({})).await.0, StatusCode::FORBIDDEN);
        let (status, bad) = s
            .post(&lead, "/v1/articles", json!({ "serviceId": "azure", "topicId": "office365-mail-flow", "locale": "de" }))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let mut fields: Vec<&str> = common::refused_fields(&bad);
        fields.sort_unstable();
        assert_eq!(fields, ["body", "locale", "title", "topicId"], "{bad}");
        let sales = s.token("sales@contoso.example").await;
        assert_eq!(s.get(&sales, "/v1/articles").await.0, StatusCode::FORBIDDEN);
        s
    })
    .await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn deflections_are_recorded_with_what_helped_and_counted_per_partner_and_service() {
    on_every_engine(|s: TestServer| async move {
        let c1 = common::customer1();
        let agent = s.token("agent@contoso.example").await;
        let (_, incidents) = s.get(&agent, &format!("/v1/customers/{c1}/serviceincidents?status=active&serviceId=office365")).await;
        let incident = incidents["items"][0]["id"].as_str().expect("the demo's active incident").to_string();
        let (_, articles) = s.get(&agent, "/v1/articles?serviceId=office365&locale=zh").await;
        let article = articles["items"][0]["id"].as_str().unwrap().to_string();
        let path = format!("/v1/customers/{c1}/deflections");
        for body in [
            json!({ "serviceId": "office365", "reason": "solved_in_admin_center" }),
            json!({ "ServiceId": "office365", "Reason": "KnownIncident", "IncidentId": incident }),
            json!({ "serviceId": "office365", "reason": "article_helped", "articleId": article.parse::<i64>().unwrap() }),
        ] {
            let (status, made) = s.post(&agent, &path, body.clone()).await;
            assert_eq!(status, StatusCode::CREATED, "{body}: {made}");
        }
        let (_, listed) = s.get(&agent, "/v1/deflections").await;
        let reasons: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|d| d["reason"].as_str().unwrap()).collect();
        assert_eq!(listed["totalCount"], 3);
        assert!(reasons.contains(&"known_incident") && reasons.contains(&"article_helped"));
        let (_, counts) = s.get(&agent, "/v1/deflections/counts").await;
        assert_eq!(counts["items"], json!([{ "partnerId": listed["items"][0]["partnerId"], "serviceId": "office365", "count": 3 }]));
        let lead = s.token("lead@operator.example").await;
        assert_eq!(s.get(&lead, "/v1/deflections/counts").await.1["items"][0]["count"], 3);
        let tailspin = s.token("agent@tailspin.example").await;
        assert_eq!(s.get(&tailspin, "/v1/deflections").await.1["totalCount"], 0);

        // What helped must be real, and reach this customer; the service must be the customer's.
        for (body, field) in [
            (json!({ "serviceId": "office365", "reason": "article_helped" }), "articleId"),
            (json!({ "serviceId": "office365", "reason": "article_helped", "articleId": "999999" }), "articleId"),
            (json!({ "serviceId": "office365", "reason": "known_incident", "incidentId": "999999" }), "incidentId"),
            (json!({ "serviceId": "no-such-service", "reason": "solved_in_admin_center" }), "serviceId"),
            (json!({ "serviceId": "office365", "reason": "gave_up" }), "reason"),
        ] {
            let (status, bad) = s.post(&agent, &path, body.clone()).await;
            assert_eq!((status, bad["data"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{body}: {bad}");
        }
        let other_customer = format!("/v1/customers/{}/deflections", common::tailspin_customer());
        let (status, _) = s.post(&agent, &other_customer, json!({ "serviceId": "office365", "reason": "solved_in_admin_center" })).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let customer = s.token("admin@customer1.example").await;
        let (status, _) = s.post(&customer, &path, json!({ "serviceId": "office365", "reason": "solved_in_admin_center" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        s
    })
    .await;
}

#[tokio::test]
async fn before_submitting_the_partner_sees_incidents_and_articles_ranked_for_its_words() {
    on_every_engine(|s: TestServer| async move {
        let c1 = common::customer1();
        let agent = s.token("agent@contoso.example").await;
        let ask = |locale: &'static str, q: &'static str| {
            let request = s
                .http
                .get(format!("{}/v1/customers/{c1}/selfhelp", s.base))
                .query(&[("serviceId", "office365"), ("q", q)])
                .bearer_auth(&agent)
                .header("X-Locale", locale);
            async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), StatusCode::OK);
                response.json::<Value>().await.unwrap()
            }
        };
        // Chinese without spaces: the Chinese mail-flow article first; the open mail incident.
        let zh = ask("zh", "邮件无法发送到外部域，对方退回 550 5.7.1").await;
        assert_eq!(
            zh["articles"][0]["title"], "外发邮件被拒绝 (550 5.7.1)",
            "{zh}"
        );
        assert!(zh["articles"][0]["matchedTerms"].as_i64().unwrap() >= 3);
        let incidents = zh["incidents"].as_array().unwrap();
        assert!(
            incidents
                .iter()
                .any(|i| i["title"] == "发往外部域的邮件延迟"),
            "{zh}"
        );
        assert!(incidents.iter().all(|i| i["status"] != "resolved"));
        // Russian, inflected differently from the article ("письмо" / "письма").
        let ru = ask("ru", "Письмо не доставлено, отказ 550").await;
        assert_eq!(
            ru["articles"][0]["title"], "Исходящие письма отклоняются с кодом 550 5.7.1",
            "{ru}"
        );
        // English, inflected ("meeting drops" / "meetings drop").
        let en = ask("en", "Teams meeting drops during calls").await;
        assert_eq!(
            en["articles"][0]["title"], "Teams meetings drop every few minutes",
            "{en}"
        );
        // An article taken back to draft no longer matches; published again, it does.
        let lead = s.token("lead@operator.example").await;
        let first = en["articles"][0]["id"].as_str().unwrap().to_string();
        for (status, listed) in [("draft", false), ("published", true)] {
            let (code, _) = s
                .patch(
                    &lead,
                    &format!("/v1/articles/{first}"),
                    json!({ "status": status }),
                )
                .await;
            assert_eq!(code, StatusCode::OK);
            let again = ask("en", "Teams meeting drops during calls").await;
            let found = again["articles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == first.as_str());
            assert_eq!(found, listed, "{status}: {again}");
        }
        // Words that match nothing: no articles, the incidents still.
        let none = ask("en", "zzzz qqqq").await;
        assert_eq!(none["articles"], json!([]));
        assert!(!none["incidents"].as_array().unwrap().is_empty());

        // Only for a customer the caller serves, a service it has, and roles that do support.
        let (status, _) = s
            .get(
                &agent,
                &format!(
                    "/v1/customers/{}/selfhelp?serviceId=office365&q=mail",
                    common::tailspin_customer()
                ),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, bad) = s
            .get(
                &agent,
                &format!("/v1/customers/{c1}/selfhelp?serviceId=nope"),
            )
            .await;
        assert_eq!(
            (status, bad["data"][0]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("serviceId"))
        );
        let sales = s.token("sales@contoso.example").await;
        assert_eq!(
            s.get(
                &sales,
                &format!("/v1/customers/{c1}/selfhelp?serviceId=office365")
            )
            .await
            .0,
            StatusCode::FORBIDDEN
        );
        s
    })
    .await;
}
