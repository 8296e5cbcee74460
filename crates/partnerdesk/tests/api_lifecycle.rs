//! The service-request API over real HTTP, on every engine: the lifecycle, the conventions of
//! api.md, filters and paging.

mod common;

use common::{TestServer, customer1, minimal_request, on_every_engine};
use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn on_behalf_lifecycle_from_escalation_to_closed() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let c = customer1();

        let (status, created) = s
            .post(&agent, &format!("/v1/customers/{c}/servicerequests/zh-CN"), json!({
                "title": "邮件无法发送", "description": "550 5.7.1", "severity": "critical",
                "supportTopicId": "office365-mail-flow", "escalationCriterion": "service_unavailable",
                "troubleshooting": "Checked MX, SPF and service health.",
                "primaryContact": { "firstName": "Li", "email": "li@contoso.example", "preferredChannel": "phone" },
            }))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let rid = id(&created);
        assert!(rid.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(created["status"], "open");
        assert_eq!(created["internalStatus"], "escalated");
        assert_eq!(created["tier"], "operator");
        assert_eq!(created["agentLocale"], "zh-CN");
        assert_eq!(created["escalationIncomplete"], false);
        assert_eq!(created["primaryContact"]["email"], "li@contoso.example");
        assert!(created.get("lastClosedDate").is_none(), "unset dates are omitted");

        // The operator sees it in its queue, assigns it and asks the partner for something.
        let (status, queue) = s.get(&engineer, "/v1/operator/queue?size=500").await;
        assert_eq!(status, StatusCode::OK);
        assert!(queue["items"].as_array().unwrap().iter().any(|r| r["id"] == rid.as_str()));
        let me: Value = s.get(&engineer, "/v1/me").await.1;
        let (status, assigned) = s.post(&engineer, &format!("/v1/operator/servicerequests/{rid}/assign"), json!({ "assignee": me["user"]["id"] })).await;
        assert_eq!(status, StatusCode::OK, "{assigned}");
        assert_eq!(assigned["assignedTo"], me["user"]["id"]);
        let (status, waiting) = s
            .patch(&engineer, &format!("/v1/servicerequests/{rid}"), json!({ "status": "attention_needed", "newNote": "Please send the NDR." }))
            .await;
        assert_eq!(status, StatusCode::OK, "{waiting}");
        assert_eq!(waiting["internalStatus"], "awaiting_partner");
        assert_eq!(waiting["status"], "attention_needed");

        // An internal note is the operator's alone.
        let (status, _) = s
            .patch(&engineer, &format!("/v1/servicerequests/{rid}"), json!({ "newNote": { "text": "backend bug 4711", "visibility": "internal" } }))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, seen_by_partner) = s.get(&agent, &format!("/v1/servicerequests/{rid}")).await;
        let texts: Vec<&str> = seen_by_partner["notes"].as_array().unwrap().iter().map(|n| n["text"].as_str().unwrap()).collect();
        assert_eq!(texts, ["Please send the NDR."]);
        let (status, refused) = s
            .patch(&agent, &format!("/v1/servicerequests/{rid}"), json!({ "newNote": { "text": "x", "visibility": "internal" } }))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");

        // The partner answers (legacy integer status 1 = open), the operator resolves.
        let (status, answered) = s.patch(&agent, &format!("/v1/servicerequests/{rid}"), json!({ "Status": 1, "NewNote": { "Text": "NDR attached." } })).await;
        assert_eq!(status, StatusCode::OK, "{answered}");
        assert_eq!(answered["internalStatus"], "in_progress");
        let (status, resolved) = s.post(&engineer, &format!("/v1/operator/servicerequests/{rid}/resolve"), json!({ "note": "Fixed a transport rule." })).await;
        assert_eq!(status, StatusCode::OK, "{resolved}");
        assert_eq!(resolved["internalStatus"], "resolved");

        // The partner reopens within 14 days, then confirms the second resolution.
        s.clock.advance(jiff::SignedDuration::from_hours(24 * 3));
        let (status, reopened) = s.patch(&agent, &format!("/v1/servicerequests/{rid}"), json!({ "status": "open" })).await;
        assert_eq!((status, reopened["internalStatus"].as_str()), (StatusCode::OK, Some("in_progress")));
        let (status, _) = s.patch(&engineer, &format!("/v1/servicerequests/{rid}"), json!({ "status": "closed" })).await;
        assert_eq!(status, StatusCode::OK);
        let (status, closed) = s.patch(&agent, &format!("/v1/servicerequests/{rid}"), json!({ "status": "closed" })).await;
        assert_eq!(status, StatusCode::OK, "{closed}");
        assert_eq!(closed["internalStatus"], "closed");
        assert!(closed["lastClosedDate"].is_string());

        // Closed is final: reopening is an illegal transition, a 409 with a stable code.
        let (status, illegal) = s.patch(&agent, &format!("/v1/servicerequests/{rid}"), json!({ "status": "open" })).await;
        assert_eq!(status, StatusCode::CONFLICT, "{illegal}");
        assert_eq!(illegal["code"], "illegal_transition");
        assert_eq!(illegal["source"], "partnerdesk");

        // Every change is in the audit trail with its actor.
        let (_, history) = s.get(&agent, &format!("/v1/servicerequests/{rid}/history")).await;
        let actions: Vec<&str> = history["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for expected in ["created", "assigned", "await_partner", "provide_info", "resolve", "reopen", "close"] {
            assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
        }
        assert!(history["items"].as_array().unwrap().iter().all(|e| e["actorName"].is_string()));
        s
    })
    .await;
}

#[tokio::test]
async fn customer_files_to_partner_and_partner_escalates_keeping_history() {
    on_every_engine(|s: TestServer| async move {
        let customer = s.token("admin@customer1.example").await;
        let agent = s.token("agent@contoso.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let c = customer1();
        let (status, filed) = s
            .post(
                &customer,
                &format!("/v1/customers/{c}/servicerequests/ru-RU"),
                minimal_request("Не работает почта"),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{filed}");
        assert_eq!(
            (filed["internalStatus"].as_str(), filed["tier"].as_str()),
            (Some("new"), Some("partner"))
        );
        let rid = id(&filed);

        // Not yet at the operator: the operator cannot see it.
        assert_eq!(
            s.get(&engineer, &format!("/v1/servicerequests/{rid}"))
                .await
                .0,
            StatusCode::NOT_FOUND
        );

        let (status, escalated) = s
            .post(
                &agent,
                &format!("/v1/servicerequests/{rid}/escalate"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{escalated}");
        assert_eq!(
            (
                escalated["internalStatus"].as_str(),
                escalated["tier"].as_str()
            ),
            (Some("escalated"), Some("operator"))
        );
        assert_eq!(
            escalated["escalationIncomplete"], true,
            "escalated without criterion or troubleshooting"
        );
        assert_eq!(filed["primaryContact"]["email"], "admin@customer1.example");
        assert_eq!(
            escalated["primaryContact"]["email"], "agent@contoso.example",
            "the operator's contact is the escalating partner"
        );
        assert_eq!(
            s.get(&engineer, &format!("/v1/servicerequests/{rid}"))
                .await
                .0,
            StatusCode::OK
        );
        let (_, history) = s
            .get(&agent, &format!("/v1/servicerequests/{rid}/history"))
            .await;
        let escalation = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "escalate")
            .expect("escalate event");
        assert_eq!(escalation["detail"]["from"]["tier"], "partner");
        assert_eq!(escalation["detail"]["to"]["tier"], "operator");
        assert_ne!(
            escalation["detail"]["from"]["org"],
            escalation["detail"]["to"]["org"]
        );

        // Escalating twice is illegal.
        assert_eq!(
            s.post(
                &agent,
                &format!("/v1/servicerequests/{rid}/escalate"),
                json!({})
            )
            .await
            .0,
            StatusCode::CONFLICT
        );
        s
    })
    .await;
}

#[tokio::test]
async fn conventions_pascal_case_bom_integer_enums_idempotency_etags() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let c = customer1();
        let path = format!("{}/v1/customers/{c}/servicerequests/en-US", s.base);
        let body = "\u{feff}{\"Title\":\"PascalCase client\",\"Description\":\"d\",\"Severity\":3,\"SupportTopicId\":\"office365-teams\"}";
        let send = || {
            s.http
                .post(&path)
                .bearer_auth(&agent)
                .header("content-type", "application/json")
                .header("MS-RequestId", "req-42")
                .header("MS-CorrelationId", "corr-7")
                .body(body)
                .send()
        };
        let first = send().await.unwrap();
        assert_eq!(first.status(), StatusCode::CREATED);
        assert_eq!(first.headers()["ms-correlationid"], "corr-7");
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        let first: Value = first.json().await.unwrap();
        assert_eq!(first["severity"], "minimal");
        let second: Value = send().await.unwrap().json().await.unwrap();
        assert_eq!(first["id"], second["id"], "same MS-RequestId, same request");
        let rid = id(&first);

        // If-Match: the current ETag wins, a stale one is a 412.
        let patch = |tag: String, title: &'static str| {
            s.http
                .patch(format!("{}/v1/servicerequests/{rid}", s.base))
                .bearer_auth(&agent)
                .header("If-Match", tag)
                .json(&json!({ "title": title, "severity": 0 }))
                .send()
        };
        let ok = patch(etag.clone(), "renamed").await.unwrap();
        assert_eq!(ok.status(), StatusCode::OK);
        let fresh = ok.headers()["etag"].to_str().unwrap().to_string();
        assert_ne!(fresh, etag);
        let ok: Value = ok.json().await.unwrap();
        assert_eq!((ok["title"].as_str(), ok["severity"].as_str()), (Some("renamed"), Some("minimal")), "severity 0 = unknown = no change");
        assert_eq!(patch(etag, "lost update").await.unwrap().status(), StatusCode::PRECONDITION_FAILED);

        // Bad input names the field, in the caller's language; nothing crashes.
        let (status, err) = s.post(&agent, &format!("/v1/customers/{c}/servicerequests/en-US"), json!({ "title": "", "severity": "urgent" })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let fields: Vec<&str> = err["data"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        for field in ["title", "description", "severity", "supportTopicId"] {
            assert!(fields.contains(&field), "{field} not in {fields:?}");
        }
        let zh = s.http.post(&path).bearer_auth(&agent).header("X-Locale", "zh-CN").json(&json!({})).send().await.unwrap();
        let zh: Value = zh.json().await.unwrap();
        assert!(zh["description"].as_str().unwrap().contains("必填"), "{zh}");
        let unsupported = s.http.post(&path).bearer_auth(&agent).body("{}").send().await.unwrap();
        assert_eq!(unsupported.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let huge = s.http.post(&path).bearer_auth(&agent).header("content-type", "application/json").body(vec![b' '; 2 * 1024 * 1024]).send().await.unwrap();
        assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let (status, long) = s.post(&agent, &format!("/v1/customers/{c}/servicerequests/en-US"), json!({ "title": "x".repeat(251), "description": "d", "severity": 2, "supportTopicId": "office365-teams" })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(long["data"][0]["code"], "too_long");
        let (status, _) = s.get(&agent, "/v1/servicerequests/not-a-number").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, unauthenticated) = s.get("wrong-token", "/v1/me").await;
        assert_eq!((status, unauthenticated["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
        s
    })
    .await;
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    on_every_engine(|s: TestServer| async move {
        let admin = s.token("admin@contoso.example").await;
        let (status, all) = s.get(&admin, "/v1/servicerequests?size=500").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(all["attributes"]["objectType"], "Collection");
        let total = all["totalCount"].as_i64().unwrap();
        let items = all["items"].as_array().unwrap();
        assert_eq!(items.len() as i64, total);
        assert!(total > 50);
        let count = |pred: &dyn Fn(&Value) -> bool| items.iter().filter(|r| pred(r)).count() as i64;

        let c1 = customer1();
        let text_has = |r: &Value, needle: &str| {
            r["title"].as_str().unwrap().contains(needle)
                || r["description"].as_str().unwrap().contains(needle)
        };
        let cases: Vec<(String, i64)> = vec![
            ("status=open".into(), count(&|r| r["status"] == "open")),
            (
                "status=3".into(),
                count(&|r| r["status"] == "attention_needed"),
            ),
            ("status=Closed".into(), count(&|r| r["status"] == "closed")),
            (
                "severity=critical".into(),
                count(&|r| r["severity"] == "critical"),
            ),
            (
                "serviceId=azure".into(),
                count(&|r| r["productId"] == "azure"),
            ),
            (
                "topicId=azure-vm".into(),
                count(&|r| r["supportTopicId"] == "azure-vm"),
            ),
            (
                format!("customerId={c1}"),
                count(&|r| r["organization"]["id"] == c1.as_str()),
            ),
            ("q=邮件".into(), count(&|r| text_has(r, "邮件"))),
            ("q=почта".into(), count(&|r| text_has(r, "почта"))),
            (
                r#"filter={"Field":"Status","Value":"Open","Operator":"equals"}"#.into(),
                count(&|r| r["status"] == "open"),
            ),
            (
                "createdAfter=2026-10-01&createdBefore=2026-10-15".into(),
                count(&|r| {
                    let d = r["createdDate"].as_str().unwrap();
                    ("2026-10-01".."2026-10-15").contains(&d)
                }),
            ),
        ];
        for (query, expected) in cases {
            let (status, page) = s
                .get(&admin, &format!("/v1/servicerequests?size=500&{query}"))
                .await;
            assert_eq!(status, StatusCode::OK, "{query}: {page}");
            assert_eq!(page["totalCount"].as_i64(), Some(expected), "{query}");
            assert!(
                expected > 0 || query.contains("createdAfter"),
                "fixture covers {query}"
            );
        }

        // Sorting.
        let (_, by_severity) = s
            .get(&admin, "/v1/servicerequests?size=500&sort=severity")
            .await;
        let ranks: Vec<u8> = by_severity["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| match r["severity"].as_str().unwrap() {
                "critical" => 1,
                "moderate" => 2,
                _ => 3,
            })
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]));

        // Offset paging and continuation links visit every request once.
        let mut seen = vec![];
        let mut next = Some("/v1/servicerequests?size=40&sort=-modified".to_string());
        while let Some(path) = next {
            let (status, page) = s.get(&admin, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {page}");
            seen.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["id"].as_str().unwrap().to_string()),
            );
            next = page["links"]["next"]["uri"].as_str().map(str::to_string);
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len() as i64, unique.len() as i64), (total, total));
        let (_, second) = s.get(&admin, "/v1/servicerequests?offset=25&size=25").await;
        assert_eq!(second["items"][0]["id"], all["items"][25]["id"]);
        assert!(
            second["links"]["previous"]["uri"]
                .as_str()
                .unwrap()
                .contains("offset=0")
        );

        for bad in [
            "size=501",
            "offset=-1",
            "sort=title",
            "status=pending",
            "continuationToken=garbage",
            "createdAfter=yesterday",
        ] {
            let (status, err) = s.get(&admin, &format!("/v1/servicerequests?{bad}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {err}");
        }
        s
    })
    .await;
}

#[tokio::test]
async fn sign_in_with_session_cookie_and_csrf() {
    on_every_engine(|s: TestServer| async move {
        let client = reqwest::Client::new();
        let url = |p: &str| format!("{}{p}", s.base);
        let wrong = client
            .post(url("/v1/session"))
            .json(&json!({ "email": "agent@contoso.example", "password": "nope" }))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let unknown = client
            .post(url("/v1/session"))
            .json(&json!({ "email": "nobody@x.example", "password": "nope" }))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
        let signed_in = client
            .post(url("/v1/session"))
            .json(&json!({ "Email": "Agent@Contoso.example", "Password": "demo-password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::CREATED);
        let cookie = signed_in.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        let session = cookie.split(';').next().unwrap().to_string();
        let body: Value = signed_in.json().await.unwrap();
        let csrf = body["csrfToken"].as_str().unwrap().to_string();
        let me = client
            .get(url("/v1/me"))
            .header("cookie", &session)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::OK);
        // An unsafe method with the cookie but without the CSRF token is refused.
        let c = customer1();
        let no_csrf = client
            .post(url(&format!("/v1/customers/{c}/servicerequests/en-US")))
            .header("cookie", &session)
            .json(&minimal_request("x"))
            .send()
            .await
            .unwrap();
        assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
        let with_csrf = client
            .post(url(&format!("/v1/customers/{c}/servicerequests/en-US")))
            .header("cookie", &session)
            .header("x-csrf-token", &csrf)
            .json(&minimal_request("x"))
            .send()
            .await
            .unwrap();
        assert_eq!(with_csrf.status(), StatusCode::CREATED);
        let out = client
            .delete(url("/v1/session"))
            .header("cookie", &session)
            .header("x-csrf-token", &csrf)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            client
                .get(url("/v1/me"))
                .header("cookie", &session)
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );

        // Sign-in is rate limited per e-mail, with Retry-After.
        let mut last = StatusCode::OK;
        let mut retry_after = None;
        for _ in 0..12 {
            let r = client
                .post(url("/v1/session"))
                .json(&json!({ "email": "helpdesk@contoso.example", "password": "wrong" }))
                .send()
                .await
                .unwrap();
            last = r.status();
            retry_after = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
        assert!(retry_after.unwrap().parse::<u64>().unwrap() > 0);
        s
    })
    .await;
}

#[tokio::test]
async fn health_and_metrics() {
    on_every_engine(|s: TestServer| async move {
        let client = reqwest::Client::new();
        for (path, needle) in [
            ("/healthz", "ok"),
            ("/readyz", "ready"),
            ("/metrics", "partnerdesk_http_requests_total"),
        ] {
            let r = client
                .get(format!("{}{path}", s.base))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            assert!(r.text().await.unwrap().contains(needle), "{path}");
        }
        let (status, err) = s.call("x", Method::GET, "/v1/no-such-thing", None).await;
        assert_eq!(
            (status, err["source"].as_str()),
            (StatusCode::NOT_FOUND, Some("partnerdesk"))
        );
        // The duration histogram counts every request once, its buckets cumulative.
        let text = client
            .get(format!("{}/metrics", s.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let counts: Vec<u64> = text
            .lines()
            .filter(|l| l.starts_with("partnerdesk_http_request_duration_seconds_bucket"))
            .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(counts.len(), 22, "{text}");
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{text}");
        let handled: u64 = text
            .lines()
            .filter(|l| l.starts_with("partnerdesk_http_requests_total"))
            .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(counts.last().copied(), Some(handled), "{text}");
        assert!(handled >= 4, "{text}");
        s
    })
    .await;
}

#[tokio::test]
async fn the_first_response_clock_runs_pauses_and_stops_at_the_first_contact() {
    on_every_engine(|s: TestServer| async move {
        // The servers' clock: Monday 2026-11-02 08:00 UTC = 16:00 in Shanghai.
        let agent = s.token("agent@contoso.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let c = customer1();
        let mut body = minimal_request("Tenant sign-in fails");
        body["severity"] = json!("moderate");
        let (status, created) = s
            .post(&agent, &format!("/v1/customers/{c}/servicerequests/en-US"), body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let rid = id(&created);
        // Moderate: four hours of 09:00–24:00 Shanghai time, so due at 20:00 there.
        assert_eq!(created["sla"]["state"], "running");
        assert_eq!(created["sla"]["dueAt"], "2026-11-02T12:00:00.000000Z");
        assert_eq!(created["sla"]["minutesLeft"], 240);
        assert_eq!(created["sla"]["breached"], false);

        // Three hours later it is near breach; the engineer asks the partner: the clock pauses.
        s.clock.advance(SignedDuration::from_hours(3));
        let (_, read) = s.get(&engineer, &format!("/v1/servicerequests/{rid}")).await;
        assert_eq!((read["sla"]["nearBreach"].as_bool(), read["sla"]["minutesLeft"].as_i64()), (Some(true), Some(60)));
        let me: Value = s.get(&engineer, "/v1/me").await.1;
        s.post(&engineer, &format!("/v1/operator/servicerequests/{rid}/assign"), json!({ "assignee": me["user"]["id"] })).await;
        let (status, waiting) = s
            .patch(&engineer, &format!("/v1/servicerequests/{rid}"), json!({ "status": "attention_needed", "newNote": "Which users?" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{waiting}");
        assert_eq!((waiting["sla"]["state"].as_str(), waiting["sla"]["minutesLeft"].as_i64()), (Some("paused"), Some(60)));

        // The partner answers 19 hours later (Tuesday 14:00 Shanghai): the hour left runs from
        // then, due at 15:00.
        s.clock.advance(SignedDuration::from_hours(19));
        let (_, answered) = s
            .patch(&agent, &format!("/v1/servicerequests/{rid}"), json!({ "status": "open", "newNote": "All users." }))
            .await;
        assert_eq!(answered["sla"]["state"], "running");
        assert_eq!(answered["sla"]["dueAt"], "2026-11-03T07:00:00.000000Z");

        // The operator raises it to critical, saying why: re-planned against two hours around
        // the clock with the hour it has used, so it is overdue at once.
        let request_path = format!("/v1/servicerequests/{rid}");
        let (status, refused) = s.patch(&engineer, &request_path, json!({ "severity": "critical" })).await;
        assert_eq!((status, refused["data"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("severityReason")));
        let (status, raised) = s
            .patch(&engineer, &request_path, json!({ "severity": "critical", "severityReason": "All users affected." }))
            .await;
        assert_eq!(status, StatusCode::OK, "{raised}");
        assert_eq!(
            (raised["sla"]["state"].as_str(), raised["sla"]["dueAt"].as_str()),
            (Some("breached"), Some("2026-11-03T06:00:00.000000Z")),
            "3 h used of 2: overdue since it resumed"
        );
        let (_, history) = s.get(&engineer, &format!("{request_path}/history")).await;
        let change = history["items"].as_array().unwrap().iter().rfind(|e| e["action"] == "severity_changed").unwrap();
        assert_eq!(change["detail"]["reason"], "All users affected.");
        let (_, lowered) = s
            .patch(&engineer, &request_path, json!({ "severity": "moderate", "severityReason": "Only one mailbox." }))
            .await;
        assert_eq!(
            (lowered["sla"]["state"].as_str(), lowered["sla"]["dueAt"].as_str()),
            (Some("running"), Some("2026-11-03T07:00:00.000000Z")),
            "back to four hours: one left"
        );

        // Only the operator's people log contacts; the first one stops the clock.
        let contact = json!({ "channel": "phone", "outcome": "Walked through the conditional access policy." });
        let path = format!("/v1/operator/servicerequests/{rid}/contacts");
        assert_eq!(s.post(&agent, &path, contact.clone()).await.0, StatusCode::FORBIDDEN);
        let (status, refused) = s.post(&engineer, &path, json!({ "channel": "pigeon", "outcome": "" })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        let fields: Vec<&str> = common::refused_fields(&refused);
        assert_eq!(fields, ["channel", "outcome"]);
        s.clock.advance(SignedDuration::from_mins(30));
        let (status, contacted) = s.post(&engineer, &path, contact.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{contacted}");
        assert_eq!(contacted["sla"]["state"], "met");
        assert_eq!(contacted["sla"]["firstContactAt"], "2026-11-03T06:30:00.000000Z");
        // A second contact is logged but changes nothing of the SLA.
        s.clock.advance(SignedDuration::from_hours(5));
        let (_, again) = s.post(&engineer, &path, json!({ "channel": "email", "outcome": "Sent the steps." })).await;
        assert_eq!(again["sla"]["state"], "met");
        let (status, contacts) = s.get(&agent, &format!("/v1/servicerequests/{rid}/contacts")).await;
        assert_eq!(status, StatusCode::OK);
        let channels: Vec<&str> = contacts["items"].as_array().unwrap().iter().map(|c| c["channel"].as_str().unwrap()).collect();
        assert_eq!(channels, ["phone", "email"]);

        // A request never escalated has no SLA.
        let customer = s.token("admin@customer1.example").await;
        let (_, own) = s
            .post(&customer, &format!("/v1/customers/{c}/servicerequests/en-US"), minimal_request("Ask the partner"))
            .await;
        assert!(own.get("sla").is_none(), "{own}");
        s
    })
    .await;
}

#[tokio::test]
async fn the_queue_puts_the_most_urgent_first_and_filters_by_breach_and_language() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let c = customer1();
        // The demo world's queue: breached requests first, then the one near breach.
        let (_, demo) = s.get(&engineer, "/v1/operator/queue?size=500").await;
        let states: Vec<(&str, bool)> = demo["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| {
                Some((
                    r["sla"]["state"].as_str()?,
                    r["sla"]["nearBreach"].as_bool()?,
                ))
            })
            .collect();
        let first_running = states.iter().position(|(s, _)| *s == "running").unwrap();
        assert!(
            first_running > 0
                && states[..first_running]
                    .iter()
                    .all(|(s, _)| *s == "breached"),
            "{states:?}"
        );
        assert!(
            states[first_running].1,
            "the most urgent running one is near breach: {states:?}"
        );

        let mut ids = vec![];
        for (severity, locale) in [
            ("minimal", "en-US"),
            ("critical", "ru-RU"),
            ("moderate", "zh-CN"),
        ] {
            let mut body = minimal_request(&format!("zqxurgent {severity}"));
            body["severity"] = json!(severity);
            body["primaryContact"] =
                json!({ "firstName": "Li", "email": "li@contoso.example", "locale": locale });
            let (status, created) = s
                .post(
                    &agent,
                    &format!("/v1/customers/{c}/servicerequests/en-US"),
                    body,
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{created}");
            ids.push(id(&created));
        }
        let queue = |query: &'static str| {
            let s = &s;
            let engineer = engineer.clone();
            async move {
                let (status, page) = s
                    .get(&engineer, &format!("/v1/operator/queue?q=zqxurgent{query}"))
                    .await;
                assert_eq!(status, StatusCode::OK, "{page}");
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        // Due soonest first: critical (2 h), moderate (4 h), minimal (8 h).
        assert_eq!(
            queue("").await,
            [ids[1].clone(), ids[2].clone(), ids[0].clone()]
        );
        assert_eq!(
            queue("&sort=-created").await,
            [ids[2].clone(), ids[1].clone(), ids[0].clone()]
        );
        assert_eq!(queue("&language=ru").await, [ids[1].clone()]);
        assert_eq!(queue("&language=zh-CN").await, [ids[2].clone()]);
        assert!(queue("&category=billing").await.is_empty());
        assert!(queue("&breached=true").await.is_empty());
        // Three hours later the critical one is past its target.
        s.clock.advance(SignedDuration::from_hours(3));
        assert_eq!(queue("&breached=true").await, [ids[1].clone()]);
        let (status, bad) = s
            .get(&engineer, "/v1/operator/queue?category=hardware")
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        s
    })
    .await;
}

#[tokio::test]
async fn the_operators_admin_edits_the_sla_policy_and_new_requests_follow_it() {
    on_every_engine(|s: TestServer| async move {
        let admin = s.token("admin@operator.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let agent = s.token("agent@contoso.example").await;
        let path = "/v1/operator/slapolicies/default";
        let (status, policy) = s.get(&engineer, path).await;
        assert_eq!(status, StatusCode::OK, "{policy}");
        assert_eq!(policy["timeZone"], "Asia/Shanghai");
        assert_eq!(policy["firstResponseMinutes"]["moderate"], 240);
        assert_eq!(policy["criticalHours"]["aroundTheClock"], true);
        assert_eq!(
            (
                policy["standardHours"]["from"].as_str(),
                policy["standardHours"]["until"].as_str()
            ),
            (Some("09:00"), Some("24:00"))
        );
        assert_eq!(s.get(&agent, path).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            s.call(&engineer, Method::PUT, path, Some(policy.clone()))
                .await
                .0,
            StatusCode::FORBIDDEN
        );

        // Wrong values are named; nothing changes.
        let mut wrong = policy.clone();
        wrong["timeZone"] = json!("Mars/Olympus");
        let (status, body) = s.call(&admin, Method::PUT, path, Some(wrong)).await;
        assert_eq!(
            (status, body["data"][0]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("timeZone"))
        );
        let mut wrong = policy.clone();
        wrong["standardHours"]["from"] = json!("25:00");
        let (status, body) = s.call(&admin, Method::PUT, path, Some(wrong)).await;
        assert_eq!(
            (status, body["data"][0]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("standardHours"))
        );

        // Six hours for moderate requests, counted 08:00–20:00.
        let mut changed = policy.clone();
        changed["firstResponseMinutes"]["moderate"] = json!(360);
        changed["standardHours"]["from"] = json!("08:00");
        changed["standardHours"]["until"] = json!("20:00");
        let (status, saved) = s.call(&admin, Method::PUT, path, Some(changed)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["firstResponseMinutes"]["moderate"], 360);
        assert_eq!(
            s.get(&engineer, path).await.1["standardHours"]["until"],
            "20:00"
        );

        // A moderate request at 16:00 in Shanghai: four hours today, two tomorrow from 08:00.
        let mut body = minimal_request("After the policy change");
        body["severity"] = json!("moderate");
        let (_, created) = s
            .post(
                &agent,
                &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                body,
            )
            .await;
        assert_eq!(
            created["sla"]["dueAt"], "2026-11-03T02:00:00.000000Z",
            "{created}"
        );
        let history = s
            .running
            .app
            .store()
            .audit_events("sla_policy", "default")
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        // Another node (the upkeep reads it again) keeps the same policy.
        s.running.app.maintain().await.unwrap();
        assert_eq!(
            s.get(&engineer, path).await.1["firstResponseMinutes"]["moderate"],
            360
        );
        s
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_is_filtered_paged_and_exported_as_csv() {
    on_every_engine(|s: TestServer| async move {
        let lead = s.token("lead@operator.example").await;
        let agent = s.token("agent@contoso.example").await;
        let (_, created) = s
            .post(
                &agent,
                &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                minimal_request("Audit me"),
            )
            .await;
        let rid = created["id"].as_str().unwrap().to_string();
        s.patch(
            &agent,
            &format!("/v1/servicerequests/{rid}"),
            json!({ "newNote": "more, with \"quotes\"" }),
        )
        .await;

        let filter = format!("entity=service_request&entityId={rid}");
        let (status, log) = s.get(&lead, &format!("/v1/auditevents?{filter}")).await;
        assert_eq!(status, StatusCode::OK, "{log}");
        let actions: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["note_added", "created"], "newest first");
        let (_, first) = s
            .get(&lead, &format!("/v1/auditevents?{filter}&size=1"))
            .await;
        assert_eq!(
            (
                first["totalCount"].as_i64(),
                first["items"].as_array().unwrap().len()
            ),
            (Some(2), 1)
        );
        let (_, only) = s
            .get(&lead, &format!("/v1/auditevents?{filter}&action=created"))
            .await;
        assert_eq!(only["totalCount"], 1);

        let response = s
            .http
            .get(format!("{}/v1/auditevents/export?{filter}", s.base))
            .bearer_auth(&lead)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        let csv = response.text().await.unwrap();
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "time,actor,entity,entity_id,action,detail");
        assert_eq!(lines.len(), 3, "{csv}");
        assert!(lines[2].contains(",created,"), "{csv}");

        assert_eq!(
            s.get(&agent, "/v1/auditevents").await.0,
            StatusCode::FORBIDDEN
        );
        let (status, bad) = s
            .get(&lead, "/v1/auditevents?from=2026-12-01&until=2026-11-01")
            .await;
        assert_eq!(
            (status, bad["data"][0]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("from"))
        );
        s
    })
    .await;
}
