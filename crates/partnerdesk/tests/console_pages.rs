//! The console's pages over HTTP: who may see each one, that forms need their token, that the
//! language follows the user's choice, and that no user-supplied text reaches a page unescaped.

mod common;

use common::{TestServer, customer1, minimal_request, on_every_engine};
use reqwest::StatusCode;

/// Every demo user, and whether product.md lets them see service requests.
const USERS: [(&str, bool); 13] = [
    ("admin@operator.example", true),
    ("lead@operator.example", true),
    ("engineer@operator.example", true),
    ("billing@operator.example", true),
    ("health@operator.example", false),
    ("admin@contoso.example", true),
    ("agent@contoso.example", true),
    ("helpdesk@contoso.example", true),
    ("sales@contoso.example", false),
    ("billing@contoso.example", true),
    ("agent@tailspin.example", true),
    ("admin@tailspin.example", true),
    ("admin@customer1.example", true),
];

#[tokio::test]
async fn every_page_renders_for_the_roles_that_may_see_it_and_refuses_the_others() {
    on_every_engine(|server| async move {
        let mut anonymous = server.console(None).await;
        let home = anonymous.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("action=\"/signin\""), "{}", home.body);
        let list = anonymous.get("/requests?status=open").await;
        assert_eq!(list.status, StatusCode::SEE_OTHER);
        assert_eq!(
            list.location.as_deref(),
            Some("/signin?next=%2Frequests%3Fstatus%3Dopen")
        );
        let missing = anonymous.get("/no-such-page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("Page not found"));
        // The API keeps answering JSON for its own unknown paths.
        let api_missing = anonymous.get("/v1/no-such-thing").await;
        assert_eq!(api_missing.status, StatusCode::NOT_FOUND);
        assert!(api_missing.body.starts_with('{'));

        for (email, sees_requests) in USERS {
            let mut console = server.console(Some(email)).await;
            let home = console.get("/").await;
            assert_eq!(home.status, StatusCode::OK, "{email}");
            assert!(home.body.contains("Welcome,"), "{email}: {}", home.body);
            assert_eq!(
                home.body.contains("href=\"/requests\""),
                sees_requests,
                "{email}: menu"
            );
            let list = console.get("/requests").await;
            let expected = if sees_requests {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(list.status, expected, "{email}: /requests");
            if !sees_requests {
                assert!(list.body.contains("Not allowed"), "{email}");
            }
        }

        // Customers: every partner role may look a customer up (sales agents too); only those
        // who file on behalf may start a request; another partner's customer does not exist.
        for (email, search, files) in [
            ("agent@contoso.example", StatusCode::OK, true),
            ("helpdesk@contoso.example", StatusCode::OK, true),
            ("billing@contoso.example", StatusCode::OK, true),
            ("sales@contoso.example", StatusCode::OK, false),
            ("health@operator.example", StatusCode::FORBIDDEN, false),
        ] {
            let mut console = server.console(Some(email)).await;
            assert_eq!(
                console.get("/customers?q=云海").await.status,
                search,
                "{email}"
            );
            let customer = console.get(&format!("/customers/{}", customer1())).await;
            let expected = if search == StatusCode::OK {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(customer.status, expected, "{email}: customer page");
            assert_eq!(
                customer.body.contains("id=\"new-request\""),
                files,
                "{email}: New request"
            );
            let new = console
                .get(&format!("/customers/{}/new/office365", customer1()))
                .await;
            let expected = if files {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(new.status, expected, "{email}: before you submit");
            let form = console
                .get(&format!("/customers/{}/new/office365/form", customer1()))
                .await;
            assert_eq!(form.status, expected, "{email}: the form");
        }
        // A customer's admin: its own page and form (no "before you submit": that is the
        // partner's step), nobody else's.
        let mut customer = server.console(Some("admin@customer1.example")).await;
        let own = customer.get(&format!("/customers/{}", customer1())).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(own.body.contains("id=\"new-request\""));
        let before = customer
            .get(&format!("/customers/{}/new/office365", customer1()))
            .await;
        assert_eq!(before.status, StatusCode::SEE_OTHER);
        assert_eq!(
            before.location,
            Some(format!("/customers/{}/new/office365/form", customer1()))
        );
        let form = customer
            .get(&format!("/customers/{}/new/office365/form", customer1()))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(!form.body.contains("name=\"troubleshooting\""));
        let deflect = customer
            .post(
                &format!("/customers/{}/new/office365/deflect", customer1()),
                &[("reason", "solved_in_admin_center")],
            )
            .await;
        assert_eq!(
            deflect.status,
            StatusCode::FORBIDDEN,
            "deflections are the partner's"
        );
        assert_eq!(
            customer
                .get(&format!("/customers/{}", common::tailspin_customer()))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        let mut contoso = server.console(Some("agent@contoso.example")).await;
        for path in [
            format!("/customers/{}", common::tailspin_customer()),
            format!("/customers/{}/new/office365", common::tailspin_customer()),
            format!("/customers/{}/new/no-such-service", customer1()),
            "/customers/not-a-guid".to_string(),
            "/requests/999999/submitted".to_string(),
        ] {
            assert_eq!(
                contoso.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        server
    })
    .await;
}

#[tokio::test]
async fn the_list_counts_filters_and_pages_what_the_api_lists() {
    on_every_engine(|server| async move {
        let token = server.token("agent@contoso.example").await;
        for n in 0..30 {
            let (status, _) = server
                .post(
                    &token,
                    &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                    minimal_request(&format!("Paging fixture {n}")),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let mut console = server.console(Some("agent@contoso.example")).await;
        for status in ["open", "attention_needed", "closed"] {
            let (_, api) = server
                .get(
                    &token,
                    &format!("/v1/servicerequests?status={status}&size=1"),
                )
                .await;
            let total = api["totalCount"].as_i64().unwrap();
            let page = console.get("/requests").await;
            let tab = format!("status={status}\">");
            let after = page.body.split(&tab).nth(1).expect("a tab per status");
            let count: i64 = after
                .split("<span class=\"count\">")
                .nth(1)
                .and_then(|s| s.split('<').next())
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(count, total, "{status}");
        }

        let first = console.get("/requests?q=Paging%20fixture").await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(first.body.matches("\">Paging fixture").count(), 25);
        assert!(first.body.contains("1–25 of 30"), "{}", first.body);
        let next = first
            .body
            .split("rel=\"next\" href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a next link")
            .replace("&#38;", "&");
        let second = console.get(&next).await;
        assert_eq!(second.body.matches("\">Paging fixture").count(), 5);
        assert!(second.body.contains("26–30 of 30"));
        assert!(second.body.contains("rel=\"prev\""));

        // A bad filter names its field and keeps what was typed.
        let bad = console.get("/requests?severity=urgent&q=keep%20me").await;
        assert_eq!(bad.status, StatusCode::OK);
        assert!(bad.body.contains("id=\"filter-errors\""));
        assert!(bad.body.contains("severity:"), "{}", bad.body);
        assert!(bad.body.contains("value=\"keep me\""));
        server
    })
    .await;
}

#[tokio::test]
async fn forms_need_the_token_of_their_page() {
    on_every_engine(|server| async move {
        // Before sign-in: the token is bound to a cookie the form page set.
        let mut stranger = server.console(None).await;
        let refused = stranger
            .post_raw(
                "/signin",
                &[
                    ("email", "agent@contoso.example"),
                    ("password", "demo-password"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert!(refused.body.contains("The form expired"));
        assert!(refused.body.contains("value=\"agent@contoso.example\""));

        let mut console = server.console(Some("agent@contoso.example")).await;
        console.get("/").await;
        let forged = console.post_raw("/signout", &[("_csrf", "forged")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(console.get("/requests").await.status, StatusCode::OK);
        let out = console.post("/signout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        let after = console.get("/").await;
        assert!(after.body.contains("You are signed out."));
        assert_eq!(console.get("/requests").await.status, StatusCode::SEE_OTHER);
        server
    })
    .await;
}

#[tokio::test]
async fn a_failed_sign_in_keeps_the_email_and_says_why() {
    on_every_engine(|server| async move {
        let mut console = server.console(None).await;
        console.get("/signin").await;
        let failed = console
            .post(
                "/signin",
                &[("email", "agent@contoso.example"), ("password", "wrong")],
            )
            .await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
        assert!(failed.body.contains("Wrong e-mail or password."));
        assert!(failed.body.contains("value=\"agent@contoso.example\""));
        server
    })
    .await;
}

#[tokio::test]
async fn the_users_language_wins_over_the_browsers() {
    on_every_engine(|server| async move {
        let mut russian = server.console_in(None, Some("ru-RU,ru;q=0.9")).await;
        let page = russian.get("/").await;
        assert!(page.body.contains("<html lang=\"ru-RU\">"));
        assert!(page.body.contains("Вход"));

        let mut console = server
            .console_in(Some("agent@contoso.example"), Some("ru"))
            .await;
        let home = console.get("/").await;
        assert!(home.body.contains("Здравствуйте"), "{}", home.body);
        let switched = console
            .post("/language", &[("locale", "zh-CN"), ("back", "/requests")])
            .await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert_eq!(switched.location.as_deref(), Some("/requests"));
        let list = console.get("/requests").await;
        assert!(list.body.contains("<html lang=\"zh-CN\">"));
        assert!(list.body.contains("语言已更改。"));
        assert!(list.body.contains("客户请求"));

        // Saved on the user: another browser, asking for English, gets Chinese after sign-in.
        let mut elsewhere = server
            .console_in(Some("agent@contoso.example"), Some("en-US"))
            .await;
        assert!(
            elsewhere
                .get("/")
                .await
                .body
                .contains("<html lang=\"zh-CN\">")
        );
        // Only a local path is a way back.
        let outside = console
            .post(
                "/language",
                &[("locale", "en-US"), ("back", "//evil.example/")],
            )
            .await;
        assert_eq!(outside.location.as_deref(), Some("/"));
        for back in [
            "/\\evil.example",
            "/requests\r\nSet-Cookie: x=1",
            "https://evil.example/",
        ] {
            let refused = console
                .post("/language", &[("locale", "en-US"), ("back", back)])
                .await;
            assert_eq!(refused.location.as_deref(), Some("/"), "{back:?}");
        }
        server
    })
    .await;
}

/// Whether `needle` stands inside a tag (between a `<` and its `>`), where a raw quote would end
/// an attribute; in text (an article's sanitized body shows a typed `"onerror=`) it is harmless.
fn in_a_tag(html: &str, needle: &str) -> bool {
    html.match_indices(needle).any(|(at, _)| {
        let before = &html[..at];
        before.rfind('<') > before.rfind('>')
    })
}

#[tokio::test]
async fn user_supplied_text_is_escaped_on_every_page() {
    on_every_engine(|server| async move {
        let hostile = "<script>alert(1)</script>\"onerror=alert(2) javascript:alert(3)";
        let token = server.token("agent@contoso.example").await;
        let (status, created) = server
            .post(
                &token,
                &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                minimal_request(hostile),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let rid = created["id"].as_str().unwrap();
        let submitted = format!("/requests/{rid}/submitted");
        // A file name is user-supplied text too (a path separator would cut it short).
        let (status, _) = server
            .upload(
                &token,
                &format!("/v1/servicerequests/{rid}/files"),
                &[("<script>alert(1)\"onerror=alert(2) javascript:alert(3).txt", "text/html", b"x")],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let contoso = server
            .running
            .app
            .store()
            .user_by_email("agent@contoso.example")
            .await
            .unwrap()
            .org_id;
        server
            .running
            .app
            .add_user(
                Some(&partnerdesk_app::Actor::new(
                    server
                        .running
                        .app
                        .store()
                        .user_by_email("admin@contoso.example")
                        .await
                        .unwrap(),
                )),
                "odd@contoso.example",
                Some("<img src=x onerror=alert(4)>"),
                contoso,
                "admin_agent",
                Some("demo-password"),
            )
            .await
            .unwrap();

        let mut console = server.console(Some("odd@contoso.example")).await;
        let customer = customer1();
        for path in [
            "/".to_string(),
            "/requests".to_string(),
            "/requests?q=%3Cscript%3Ealert(1)".to_string(),
            "/requests?q=%22%3E%3Cscript%3Ealert(5)%3C/script%3E".to_string(),
            "/no-such-page?x=%3Cscript%3E".to_string(),
            "/customers?q=%22%3E%3Cscript%3Ealert(6)%3C/script%3E".to_string(),
            format!("/customers/{customer}/new/office365?q=%22%3E%3Cscript%3Ealert(7)"),
            format!("/customers/{customer}/new/office365/form?title=%22%3E%3Cimg%20src=x%20onerror=alert(8)%3E"),
            submitted.clone(),
            format!("/requests/{rid}"),
        ] {
            let page = console.get(&path).await;
            for raw in ["<script>alert", "<img src=x", "\"onerror="] {
                assert!(!page.body.contains(raw), "{path} shows {raw} unescaped");
            }
        }
        assert!(
            console
                .get(&submitted)
                .await
                .body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
        );
        assert!(
            console
                .get(&format!("/requests/{rid}"))
                .await
                .body
                .contains("&#60;script&#62;alert(1)&#34;onerror=alert(2) javascript:alert(3).txt")
        );
        let list = console.get("/requests?q=alert(1)").await;
        assert!(
            list.body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{}",
            list.body
        );
        assert!(
            console
                .get("/")
                .await
                .body
                .contains("&#60;img src=x onerror=alert(4)&#62;")
        );

        // The operator's administration and publishing pages show names, titles and texts
        // others typed: a partner, a service, a topic, a notice and an article, all hostile.
        let admin = server.token("admin@operator.example").await;
        let (status, _) = server
            .post(&admin, "/v1/partners", serde_json::json!({ "name": hostile }))
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = server
            .call(
                &admin,
                reqwest::Method::PUT,
                "/v1/services/office365/supporttopics/office365-hostile",
                Some(serde_json::json!({ "name": hostile, "description": hostile, "category": "technical" })),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, notice) = server
            .post(
                &admin,
                "/v1/serviceincidents",
                serde_json::json!({
                    "serviceIds": ["office365"],
                    "texts": [{ "locale": "en", "title": hostile, "impact": hostile }],
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{notice}");
        let (status, article) = server
            .post(
                &admin,
                "/v1/articles",
                serde_json::json!({ "serviceId": "office365", "locale": "en", "title": hostile,
                    "body": hostile, "status": "published" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{article}");
        let mut operator = server.console(Some("admin@operator.example")).await;
        for path in [
            "/admin/partners".to_string(),
            "/admin/services".to_string(),
            "/admin/services?topic=office365-hostile".to_string(),
            format!("/health/{}", notice["id"].as_str().unwrap_or_default()),
            "/articles".to_string(),
            format!("/articles/{}", article["id"].as_str().unwrap_or_default()),
            format!("/articles/{}/edit", article["id"].as_str().unwrap_or_default()),
            format!("/customers/{customer}"),
        ] {
            let page = operator.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(!page.body.contains("<script>alert"), "{path} runs a script");
            assert!(
                !in_a_tag(&page.body, "\"onerror="),
                "{path} lets an attribute in"
            );
            assert!(page.body.contains("&#60;script&#62;alert(1)"), "{path} shows the text");
        }
        server
    })
    .await;
}

#[tokio::test]
async fn pages_are_not_cached_framed_or_scripted_from_elsewhere() {
    let server = TestServer::start(partnerdesk_app::store::Engine::Sqlite).await;
    let response = server
        .http
        .get(format!("{}/", server.base))
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-frame-options"], "DENY");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    let body = response.text().await.unwrap();
    let css = body
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let asset = server
        .http
        .get(format!("{}{css}", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert!(
        asset.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    server.stop().await;
}

#[tokio::test]
async fn the_request_page_shows_what_the_reader_may_see_and_takes_notes_and_actions() {
    on_every_engine(|server| async move {
        let agent = server.token("agent@contoso.example").await;
        let engineer = server.token("engineer@operator.example").await;
        let (_, created) = server
            .post(
                &agent,
                &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                minimal_request("Mailbox quota not applied"),
            )
            .await;
        let id = created["id"].as_str().unwrap().to_string();
        let path = format!("/requests/{id}");
        let (status, _) = server
            .patch(
                &engineer,
                &format!("/v1/servicerequests/{id}"),
                serde_json::json!({"newNote": {"text": "Internal: check transport node 7", "visibility": "internal"}}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        // The partner: its request, public notes only, and no trace of the internal one.
        let mut console = server.console(Some("agent@contoso.example")).await;
        let page = console.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Mailbox quota not applied"));
        assert!(!page.body.contains("transport node 7"));
        assert!(!page.body.contains("Note added"), "internal note in the history");
        // The operator sees it, marked internal.
        let mut operator = server.console(Some("engineer@operator.example")).await;
        let seen = operator.get(&path).await;
        assert!(seen.body.contains("transport node 7"));
        assert!(seen.body.contains("Operator only (internal)"));

        // A note from the partner.
        console.get(&path).await;
        let version = page
            .body
            .split("name=\"version\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let added = console
            .post(&path, &[("note", "Customer confirms it affects 40 users."), ("version", &version)])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let after = console.get(&path).await;
        assert!(after.body.contains("Customer confirms it affects 40 users."));
        assert!(after.body.contains("Note added."));
        // Sent from a page read before that change: refused, the note kept as typed.
        let stale = console
            .post(&path, &[("note", "Second thoughts"), ("version", &version)])
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("It changed since you read it"));
        assert!(stale.body.contains(">Second thoughts</textarea>"));

        // Another partner: no such request; a sales agent: not allowed.
        let mut tailspin = server.console(Some("agent@tailspin.example")).await;
        assert_eq!(tailspin.get(&path).await.status, StatusCode::NOT_FOUND);
        let mut sales = server.console(Some("sales@contoso.example")).await;
        assert_eq!(sales.get(&path).await.status, StatusCode::FORBIDDEN);
        server
    })
    .await;
}

#[tokio::test]
async fn service_health_pages_show_what_reaches_the_reader_in_its_language() {
    on_every_engine(|server| async move {
        let mut agent = server
            .console_in(Some("agent@contoso.example"), Some("zh-CN"))
            .await;
        let list = agent.get("/health").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("发往外部域的邮件延迟"), "{}", list.body);
        let href = list
            .body
            .split("<a href=\"/health/")
            .find(|chunk| chunk.contains("><strong>发往外部域的邮件延迟"))
            .and_then(|s| s.split('"').next())
            .map(|id| format!("/health/{id}"))
            .expect("the mail-delay notice");
        let page = agent.get(&href).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("已发现故障传输节点"),
            "the timeline in Chinese"
        );
        // Resolved ones are a tab apart.
        let resolved = agent.get("/health?resolved=1").await;
        assert!(!resolved.body.contains("发往外部域的邮件延迟"));

        // The customer it reaches sees it; a sales agent sees no service health at all.
        let mut customer = server.console(Some("admin@customer1.example")).await;
        assert_eq!(customer.get(&href).await.status, StatusCode::OK);
        let mut sales = server.console(Some("sales@contoso.example")).await;
        assert_eq!(sales.get("/health").await.status, StatusCode::FORBIDDEN);
        assert_eq!(sales.get(&href).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            agent.get("/health/999999").await.status,
            StatusCode::NOT_FOUND
        );
        server
    })
    .await;
}

#[tokio::test]
async fn a_partner_files_its_own_request_and_only_its_filers_see_the_list() {
    on_every_engine(|server| async move {
        let mut admin = server.console(Some("admin@contoso.example")).await;
        let form = admin.get("/partner-requests/new").await;
        assert_eq!(form.status, StatusCode::OK);
        // Topics of every service, named with their service.
        assert!(form.body.contains("Azure operated by 21Vianet ›"));
        let submission = form
            .body
            .split("name=\"submission\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let fields = [
            ("title", "Invoice shows the wrong currency"),
            (
                "description",
                "November's invoice is in USD instead of CNY.",
            ),
            ("severity", "moderate"),
            ("supportTopicId", "office365-invoice"),
            ("escalationCriterion", "billing_dispute"),
            ("troubleshooting", "Checked the billing profile's currency."),
            ("submission", &submission),
        ];
        let sent = admin.post("/partner-requests/new", &fields).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        // The same form sent twice (a double click) makes one request.
        admin.get("/partner-requests/new").await;
        let again = admin.post("/partner-requests/new", &fields).await;
        assert_eq!(again.location, sent.location);
        let list = admin.get("/partner-requests").await;
        assert_eq!(
            list.body
                .matches("Invoice shows the wrong currency")
                .count(),
            1
        );
        // Not among the customers' requests.
        let customers = admin.get("/requests?q=wrong%20currency").await;
        assert!(!customers.body.contains(">Invoice shows the wrong currency"));

        let mut agent = server.console(Some("agent@contoso.example")).await;
        assert_eq!(
            agent.get("/partner-requests").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            agent.get("/partner-requests/new").await.status,
            StatusCode::FORBIDDEN
        );
        let mut billing = server.console(Some("billing@contoso.example")).await;
        let billing_list = billing.get("/partner-requests").await;
        assert_eq!(billing_list.status, StatusCode::OK);
        assert!(
            billing_list
                .body
                .contains("Invoice shows the wrong currency")
        );
        let mut customer = server.console(Some("admin@customer1.example")).await;
        assert_eq!(
            customer.get("/partner-requests").await.status,
            StatusCode::NOT_FOUND
        );
        server
    })
    .await;
}

#[tokio::test]
async fn settings_keep_the_support_profile_users_and_personal_tokens() {
    on_every_engine(|server| async move {
        let mut admin = server.console(Some("admin@contoso.example")).await;
        let page = admin.get("/settings").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("action=\"/settings/profile\""));

        // A bad website is named and everything typed is kept.
        let bad = admin
            .post(
                "/settings/profile",
                &[
                    ("email", "help@contoso.example"),
                    ("phone", "+86 10 1234 5678"),
                    ("website", "javascript:alert(1)"),
                    ("hours", "24×7"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.body.contains("website:"), "{}", bad.body);
        assert!(bad.body.contains("value=\"+86 10 1234 5678\""));
        let saved = admin
            .post(
                "/settings/profile",
                &[
                    ("email", "help@contoso.example"),
                    ("phone", "+86 10 1234 5678"),
                    ("website", "https://contoso.example/help"),
                    ("hours", "24×7"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        // The customers see it.
        let mut customer = server.console(Some("admin@customer1.example")).await;
        assert!(
            customer
                .get("/")
                .await
                .body
                .contains("help@contoso.example")
        );

        // Users: a bad password is named, the rest kept; then the user exists and signs in.
        admin.get("/settings").await;
        let refused = admin
            .post(
                "/settings/users",
                &[
                    ("email", "new.agent@contoso.example"),
                    ("name", "New Agent"),
                    ("role", "helpdesk_agent"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("password:"));
        assert!(refused.body.contains("value=\"new.agent@contoso.example\""));
        let added = admin
            .post(
                "/settings/users",
                &[
                    ("email", "new.agent@contoso.example"),
                    ("name", "New Agent"),
                    ("role", "helpdesk_agent"),
                    ("password", "demo-password"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        assert!(
            admin
                .get("/settings")
                .await
                .body
                .contains("new.agent@contoso.example")
        );
        let mut newcomer = server.console(Some("new.agent@contoso.example")).await;
        let settings = newcomer.get("/settings").await;
        assert_eq!(settings.status, StatusCode::OK);
        // Not an administrator: no users, the profile read-only, adding refused.
        assert!(!settings.body.contains("id=\"users\""));
        assert!(!settings.body.contains("action=\"/settings/profile\""));
        assert!(settings.body.contains("help@contoso.example"));
        let forbidden = newcomer
            .post(
                "/settings/users",
                &[
                    ("email", "x@contoso.example"),
                    ("role", "global_admin"),
                    ("password", "demo-password"),
                ],
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

        // A personal token: shown once, acts as its owner, stops when revoked.
        newcomer.get("/settings").await;
        let created = newcomer
            .post("/settings/tokens", &[("name", "laptop")])
            .await;
        assert_eq!(created.status, StatusCode::OK);
        let secret = created
            .body
            .split("<code id=\"token-secret\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap()
            .to_string();
        let (status, me) = server.get(&secret, "/v1/me").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(me["user"]["email"], "new.agent@contoso.example");
        let again = newcomer.get("/settings").await;
        assert!(!again.body.contains(&secret), "shown once only");
        let token_id = again
            .body
            .split("action=\"/settings/tokens/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap()
            .to_string();
        let revoked = newcomer
            .post(&format!("/settings/tokens/{token_id}/revoke"), &[])
            .await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        let (status, _) = server.get(&secret, "/v1/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // The admin changes the newcomer's role, then disables it: its session ends at once.
        let listing = admin.get("/settings").await;
        let newcomer_id = listing
            .body
            .split("<tr id=\"user-")
            .find(|row| row.contains("new.agent@contoso.example"))
            .and_then(|row| row.split('"').next())
            .unwrap()
            .to_string();
        let path = format!("/settings/users/{newcomer_id}");
        let promoted = admin.post(&path, &[("role", "admin_agent")]).await;
        assert_eq!(promoted.status, StatusCode::SEE_OTHER);
        assert_eq!(
            server
                .running
                .app
                .store()
                .user_by_email("new.agent@contoso.example")
                .await
                .unwrap()
                .role
                .to_string(),
            "admin_agent"
        );
        admin.get("/settings").await;
        let wrong_kind = admin.post(&path, &[("role", "support_lead")]).await;
        assert_eq!(wrong_kind.status, StatusCode::BAD_REQUEST);
        assert!(wrong_kind.body.contains("role:"));
        let disabled = admin
            .post(&path, &[("role", "admin_agent"), ("disabled", "1")])
            .await;
        assert_eq!(disabled.status, StatusCode::SEE_OTHER);
        assert_eq!(
            newcomer.get("/settings").await.status,
            StatusCode::SEE_OTHER
        );
        // No administrator changes itself (nor locks its organization out).
        let own_id = server
            .running
            .app
            .store()
            .user_by_email("admin@contoso.example")
            .await
            .unwrap()
            .id;
        admin.get("/settings").await;
        let own = admin
            .post(
                &format!("/settings/users/{own_id}"),
                &[("role", "helpdesk_agent")],
            )
            .await;
        assert_eq!(own.status, StatusCode::BAD_REQUEST);
        // Another organization's user does not exist here.
        let tailspin_id = server
            .running
            .app
            .store()
            .user_by_email("agent@tailspin.example")
            .await
            .unwrap()
            .id;
        let other = admin
            .post(
                &format!("/settings/users/{tailspin_id}"),
                &[("role", "helpdesk_agent")],
            )
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        server
    })
    .await;
}

#[tokio::test]
async fn files_sent_with_a_failed_form_are_kept_and_attached_with_the_request() {
    on_every_engine(|server| async move {
        let mut agent = server.console(Some("agent@contoso.example")).await;
        let path = format!("/customers/{}/new/office365/form", customer1());
        agent.get(&path).await;
        let hostile = "<img src=x onerror=alert(9)>.txt";
        let mut fields = vec![
            ("description", "Outbound mail bounces with 550 5.7.1."),
            ("severity", "moderate"),
            ("supportTopicId", "office365-mail-flow"),
            ("escalationCriterion", "service_unavailable"),
            ("troubleshooting", "Checked MX and SPF."),
        ];
        // No title: refused, but the file is kept and named (escaped) on the form.
        let failed = agent
            .post_multipart(&path, &fields, &[(hostile, b"ndr headers")])
            .await;
        assert_eq!(failed.status, StatusCode::BAD_REQUEST, "{}", failed.body);
        assert!(failed.body.contains("id=\"staged-files\""));
        assert!(
            failed
                .body
                .contains("&#60;img src=x onerror=alert(9)&#62;.txt")
        );
        assert!(!failed.body.contains("<img src=x onerror=alert(9)"));
        assert!(
            failed
                .body
                .contains("Outbound mail bounces with 550 5.7.1.")
        );
        let staged = failed
            .body
            .split("name=\"attachments\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        assert!(!staged.is_empty());

        // Sent again with the title and one more file: the request takes both.
        fields.push(("title", "Mail bounces"));
        fields.push(("attachments", &staged));
        let sent = agent
            .post_multipart(&path, &fields, &[("trace.log", b"550 5.7.1")])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let id = sent
            .location
            .unwrap()
            .trim_start_matches("/requests/")
            .trim_end_matches("/submitted")
            .to_string();
        let page = agent.get(&format!("/requests/{id}")).await;
        assert!(
            page.body
                .contains("&#60;img src=x onerror=alert(9)&#62;.txt")
        );
        assert!(page.body.contains(">trace.log</a>"));
        let link = page
            .body
            .split(&format!("href=\"/requests/{id}/files/"))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let download = format!("/requests/{id}/files/{link}");
        let response = agent
            .http
            .get(format!("{}{download}", agent.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert_eq!(response.bytes().await.unwrap().as_ref(), b"ndr headers");

        // On the page: a file too big is refused by name; a fine one is attached.
        let big = vec![b'x'; partnerdesk_app::attachments::MAX_FILE_BYTES + 1];
        let refused = agent
            .post_multipart(&format!("/requests/{id}/files"), &[], &[("big.bin", &big)])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(refused.body.contains("10 MB"), "{}", refused.body);
        let attached = agent
            .post_multipart(
                &format!("/requests/{id}/files"),
                &[],
                &[("more.txt", b"more")],
            )
            .await;
        assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.body);
        assert!(
            agent
                .get(&format!("/requests/{id}"))
                .await
                .body
                .contains(">more.txt</a>")
        );

        // Another partner's agent finds neither the request's files nor the file.
        let mut other = server.console(Some("agent@tailspin.example")).await;
        assert_eq!(other.get(&download).await.status, StatusCode::NOT_FOUND);
        server
    })
    .await;
}

#[tokio::test]
async fn the_operator_works_the_queue_and_the_partner_disputes_the_review_in_the_console() {
    on_every_engine(|server| async move {
        let mut engineer = server.console(Some("engineer@operator.example")).await;
        // Most urgent first: the demo world's overdue requests, then the one near breach.
        let queue = engineer.get("/queue?severity=critical").await;
        assert_eq!(queue.status, StatusCode::OK);
        let first_overdue = queue
            .body
            .find("sla urgency-over")
            .expect("an overdue request");
        let near = queue
            .body
            .find("sla urgency-near")
            .expect("a request near breach");
        assert!(first_overdue < near);
        let overdue = engineer.get("/queue?breached=1").await;
        assert!(
            !overdue.body.contains("sla urgency-near") && overdue.body.contains("sla urgency-over")
        );
        let bad = engineer.get("/queue?category=hardware").await;
        assert!(
            bad.body.contains("id=\"filter-errors\""),
            "a bad filter is named"
        );

        // Take the request near breach, call the partner.
        let take = near_take_target(&queue.body);
        let taken = engineer.post(&format!("/queue/{take}/take"), &[]).await;
        assert_eq!(
            taken.location.as_deref(),
            Some(format!("/requests/{take}").as_str())
        );
        let page = engineer.get(&format!("/requests/{take}")).await;
        assert!(page.body.contains("id=\"contact-form\""));
        let refused = engineer
            .post(
                &format!("/requests/{take}/contacts"),
                &[("channel", "phone"), ("outcome", "")],
            )
            .await;
        assert!(
            refused.body.contains("outcome"),
            "the missing outcome is named"
        );
        let logged = engineer
            .post(
                &format!("/requests/{take}/contacts"),
                &[("channel", "phone"), ("outcome", "Walked through the fix.")],
            )
            .await;
        assert_eq!(logged.status, StatusCode::SEE_OTHER);
        let page = engineer.get(&format!("/requests/{take}")).await;
        assert!(page.body.contains("Walked through the fix."));
        assert!(
            page.body.contains("id=\"request-sla\">answered"),
            "the clock stopped"
        );

        // The engineer judges it improper; the partner disputes; a lead overturns it.
        engineer.get(&format!("/requests/{take}")).await;
        let reviewed = engineer
            .post(
                &format!("/requests/{take}/review"),
                &[
                    ("verdict", "improper"),
                    ("reason", "self_help_article"),
                    ("comment", "See the article on queued mail."),
                ],
            )
            .await;
        assert_eq!(reviewed.status, StatusCode::SEE_OTHER);
        let mut partner = server.console(Some("agent@contoso.example")).await;
        let page = partner.get(&format!("/requests/{take}")).await;
        assert!(page.body.contains("See the article on queued mail."));
        assert!(
            page.body.contains("id=\"dispute-form\"") && !page.body.contains("id=\"review-form\"")
        );
        let disputed = partner
            .post(
                &format!("/requests/{take}/dispute"),
                &[("comment", "The article did not apply.")],
            )
            .await;
        assert_eq!(disputed.status, StatusCode::SEE_OTHER);
        assert!(
            !partner
                .get(&format!("/requests/{take}"))
                .await
                .body
                .contains("id=\"dispute-form\""),
            "disputed once"
        );
        assert!(
            !engineer
                .get(&format!("/requests/{take}"))
                .await
                .body
                .contains("id=\"decision-form\""),
            "engineers do not decide"
        );
        let mut lead = server.console(Some("lead@operator.example")).await;
        assert!(
            lead.get(&format!("/requests/{take}"))
                .await
                .body
                .contains("id=\"decision-form\"")
        );
        let decided = lead
            .post(
                &format!("/requests/{take}/decision"),
                &[("outcome", "overturned"), ("comment", "Agreed.")],
            )
            .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER);
        assert!(
            partner
                .get(&format!("/requests/{take}"))
                .await
                .body
                .contains("id=\"review-decision\"")
        );

        // The queue is the operator's.
        assert_eq!(partner.get("/queue").await.status, StatusCode::NOT_FOUND);
        server
    })
    .await;
}

/// The id of the request near breach in a queue page (its row holds the `sla-near` cell).
fn near_take_target(body: &str) -> String {
    let near = body.find("sla urgency-near").unwrap();
    let row_start = body[..near].rfind("<tr>").unwrap();
    body[row_start..]
        .split("<td class=\"id\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn scorecards_compare_partners_for_the_operator_and_show_a_partner_its_own() {
    on_every_engine(|server| async move {
        let tailspin = partnerdesk_app::domain::Guid::from_name("demo:Tailspin Toys");
        let contoso = partnerdesk_app::domain::Guid::from_name("demo:Contoso");
        let mut lead = server.console(Some("lead@operator.example")).await;
        let list = lead.get("/scorecards").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body
                .contains(&format!("href=\"/scorecards/{tailspin}\""))
        );
        assert!(
            list.body.contains("Over the threshold"),
            "Tailspin is over it"
        );
        let card = lead.get(&format!("/scorecards/{tailspin}")).await;
        assert_eq!(card.status, StatusCode::OK);
        assert!(card.body.contains("id=\"over-threshold\""));
        assert_eq!(
            card.body.matches("<svg class=\"chart\"").count(),
            3,
            "three charts"
        );
        assert!(card.body.contains("class=\"rule\""), "the threshold line");
        let bad = lead
            .get("/scorecards?from=2026-12-01&until=2026-11-01")
            .await;
        assert!(bad.body.contains("id=\"period-error\""));

        // A partner's global admin sees its own card, from its menu; not another's, nor the list.
        let mut admin = server.console(Some("admin@contoso.example")).await;
        let home = admin.get("/").await;
        assert!(
            home.body
                .contains(&format!("href=\"/scorecards/{contoso}\""))
        );
        assert_eq!(
            admin.get(&format!("/scorecards/{contoso}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            admin.get(&format!("/scorecards/{tailspin}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(admin.get("/scorecards").await.status, StatusCode::FORBIDDEN);
        let mut helpdesk = server.console(Some("helpdesk@contoso.example")).await;
        assert_eq!(
            helpdesk.get(&format!("/scorecards/{contoso}")).await.status,
            StatusCode::FORBIDDEN
        );
        server
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_page_filters_and_links_its_csv() {
    on_every_engine(|server| async move {
        let mut admin = server.console(Some("admin@operator.example")).await;
        let page = admin.get("/audit?entity=sla_policy").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("id=\"summary\">0 events"),
            "nothing changed the policy yet"
        );
        let all = admin.get("/audit?entity=organization").await;
        assert!(
            all.body
                .contains("id=\"export-csv\" href=\"/v1/auditevents/export?entity=organization\"")
        );
        let bad = admin.get("/audit?from=2026-12-01&until=2026-11-01").await;
        assert!(bad.body.contains("id=\"filter-errors\""));
        let csv = admin
            .http
            .get(format!(
                "{}/v1/auditevents/export?entity=organization",
                admin.base
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(
            csv.status(),
            StatusCode::OK,
            "the console's session reads the export"
        );
        let mut engineer = server.console(Some("engineer@operator.example")).await;
        assert_eq!(engineer.get("/audit").await.status, StatusCode::FORBIDDEN);
        server
    })
    .await;
}
