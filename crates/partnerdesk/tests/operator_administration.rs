//! The operator's administration over real HTTP, on every engine: suspending a partner shuts
//! its people out (tokens, sessions, sign-in) until it is reinstated; the catalogue's services
//! and topics are checked field by field, audited and used at once; and the console's pages
//! for both keep what was typed when a save is refused.

mod common;

use common::{TestServer, on_every_engine};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_suspended_partner_is_shut_out_until_reinstated() {
    on_every_engine(|s: TestServer| async move {
        let admin = s.token("admin@operator.example").await;
        let tailspin_admin = s.token("admin@tailspin.example").await;
        let contoso_agent = s.token("agent@contoso.example").await;
        let mut tailspin_console = s.console(Some("admin@tailspin.example")).await;
        assert_eq!(s.get(&tailspin_admin, "/v1/me").await.0, StatusCode::OK);
        let (_, me) = s.get(&tailspin_admin, "/v1/me").await;
        let tailspin = me["organization"]["id"].as_str().unwrap().to_string();

        let (status, suspended) = s
            .patch(
                &admin,
                &format!("/v1/partners/{tailspin}"),
                json!({ "suspended": true }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{suspended}");
        assert!(suspended["suspendedAt"].is_string(), "{suspended}");

        // Its token, its open session and a new sign-in all fail; another partner is untouched.
        assert_eq!(
            s.get(&tailspin_admin, "/v1/me").await.0,
            StatusCode::UNAUTHORIZED
        );
        let page = tailspin_console.get("/requests").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "session ended");
        let mut again = s.console(None).await;
        again.get("/signin").await;
        let refused = again
            .post(
                "/signin",
                &[
                    ("email", "admin@tailspin.example"),
                    ("password", "demo-password"),
                ],
            )
            .await;
        assert_ne!(refused.status, StatusCode::SEE_OTHER, "sign-in refused");
        assert_eq!(s.get(&contoso_agent, "/v1/me").await.0, StatusCode::OK);
        let (_, history) = s
            .get(
                &admin,
                &format!("/v1/auditevents?entity=organization&entityId={tailspin}"),
            )
            .await;
        assert!(common::has_action(&history, "suspended"), "{history}");

        let (status, back) = s
            .patch(
                &admin,
                &format!("/v1/partners/{tailspin}"),
                json!({ "suspended": false }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(back.get("suspendedAt").is_none(), "{back}");
        assert_eq!(s.get(&tailspin_admin, "/v1/me").await.0, StatusCode::OK);
        s
    })
    .await;
}

#[tokio::test]
async fn the_catalogue_is_checked_audited_and_used_at_once() {
    on_every_engine(|s: TestServer| async move {
        let admin = s.token("admin@operator.example").await;
        let put = |path: &'static str, body: serde_json::Value| {
            let (s, admin) = (&s, admin.clone());
            async move { s.call(&admin, Method::PUT, path, Some(body)).await }
        };

        // Every bad field is named at once.
        let (status, bad) = put(
            "/v1/services/Bad_Id",
            json!({ "name": " ", "adminUrlTemplate": "http://x/{customer}" }),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let fields: Vec<&str> = common::refused_fields(&bad);
        assert_eq!(fields, ["id", "name", "adminUrlTemplate"], "{bad}");
        let (status, bad) = put(
            "/v1/services/dynamics",
            json!({ "name": "Dynamics", "adminUrlTemplate": "https://x/{customer}" }),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(bad["data"][0]["field"], "adminUrlTemplate");

        let (status, saved) = put(
            "/v1/services/dynamics",
            json!({ "name": "Dynamics 365", "adminUrlTemplate": "https://admin.dynamics.example/{tenantId}?d={domain}" }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (_, services) = s.get(&admin, "/v1/services").await;
        assert!(
            services["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == "dynamics" && x["name"] == "Dynamics 365"),
            "{services}"
        );

        // A topic needs an existing service and a known category.
        let (status, bad) = put(
            "/v1/services/nosuch/supporttopics/nosuch-x",
            json!({ "name": "X", "category": "sales" }),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let fields: Vec<&str> = common::refused_fields(&bad);
        assert_eq!(fields, ["category", "serviceId"], "{bad}");
        let (status, topic) = put(
            "/v1/services/dynamics/supporttopics/dynamics-sign-in",
            json!({ "name": "Sign-in", "description": "Users cannot sign in", "category": "account" }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{topic}");
        let (_, topics) = s
            .get(&admin, "/v1/servicerequests/supporttopics?serviceId=dynamics")
            .await;
        assert_eq!(topics["items"][0]["id"], "dynamics-sign-in", "{topics}");
        assert_eq!(topics["items"][0]["category"], "account");

        let (_, history) = s
            .get(&admin, "/v1/auditevents?entity=service&entityId=dynamics")
            .await;
        assert_eq!(history["items"][0]["action"], "saved", "{history}");
        s
    })
    .await;
}

#[tokio::test]
async fn the_administration_pages_keep_what_was_typed_and_refuse_others() {
    on_every_engine(|s: TestServer| async move {
        let mut admin = s.console(Some("admin@operator.example")).await;
        let home = admin.get("/").await;
        assert!(home.body.contains("href=\"/admin/partners\""));
        assert!(home.body.contains("href=\"/admin/services\""));

        let page = admin.get("/admin/partners").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Tailspin"), "{}", page.body);
        let refused = admin
            .post(
                "/admin/partners",
                &[("name", ""), ("country", "XX1"), ("phone", "+86 10 1234")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("id=\"partner-errors\""));
        assert!(refused.body.contains("value=\"+86 10 1234\""), "kept");
        let added = admin
            .post(
                "/admin/partners",
                &[("name", "Northwind 合作"), ("country", "cn"), ("phone", "")],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let page = admin.get("/admin/partners").await;
        assert!(page.body.contains("Northwind 合作"));

        let page = admin.get("/admin/services?service=office365").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("value=\"office365\""),
            "edit fills the form"
        );
        let refused = admin
            .post(
                "/admin/services/topics",
                &[
                    ("service_id", "office365"),
                    ("id", "office365-teams-calls"),
                    ("name", ""),
                    ("category", "technical"),
                    ("description", "Calls drop after a minute"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("Calls drop after a minute"), "kept");
        let saved = admin
            .post(
                "/admin/services/topics",
                &[
                    ("service_id", "office365"),
                    ("id", "office365-teams-calls"),
                    ("name", "Teams calls"),
                    ("category", "technical"),
                    ("description", "Calls drop after a minute"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(
            admin
                .get("/admin/services")
                .await
                .body
                .contains("Teams calls")
        );

        // Suspending from the page.
        let tailspin = partnerdesk_app::domain::Guid::from_name("demo:Tailspin Toys");
        let done = admin
            .post(&format!("/admin/partners/{tailspin}/suspend"), &[])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let page = admin.get("/admin/partners").await;
        assert!(
            page.body
                .contains(&format!("/admin/partners/{tailspin}/reinstate")),
            "{}",
            page.body
        );

        // The operator's own people: its admin adds an engineer under Settings.
        let settings = admin.get("/settings").await;
        assert!(settings.body.contains("value=\"support_engineer\""));
        assert!(
            !settings.body.contains("value=\"global_admin\""),
            "operator roles only"
        );
        let added = admin
            .post(
                "/settings/users",
                &[
                    ("email", "new.engineer@operator.example"),
                    ("name", "New Engineer"),
                    ("role", "support_engineer"),
                    ("password", "a long enough password 1"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert!(
            admin
                .get("/settings")
                .await
                .body
                .contains("new.engineer@operator.example")
        );

        // A lead reads partners but neither changes them nor the catalogue; a partner's admin
        // sees neither page.
        let mut lead = s.console(Some("lead@operator.example")).await;
        let page = lead.get("/admin/partners").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("id=\"add-partner\""));
        assert_eq!(
            lead.get("/admin/services").await.status,
            StatusCode::FORBIDDEN
        );
        let refused = lead.post("/admin/services", &[("id", "x")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let mut partner = s.console(Some("admin@contoso.example")).await;
        assert_eq!(
            partner.get("/admin/partners").await.status,
            StatusCode::FORBIDDEN
        );
        s
    })
    .await;
}

#[tokio::test]
async fn customers_are_added_corrected_given_services_and_linked_to_partners() {
    on_every_engine(|s: TestServer| async move {
        let contoso_admin = s.token("admin@contoso.example").await;
        let helpdesk = s.token("helpdesk@contoso.example").await;
        let tailspin = s.token("admin@tailspin.example").await;
        let operator = s.token("admin@operator.example").await;

        // Every bad field at once; a helpdesk agent may not add customers.
        let (status, bad) = s
            .post(
                &contoso_admin,
                "/v1/customers",
                json!({ "companyName": "", "domain": "not a domain", "country": "CHN" }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let fields: Vec<&str> = common::refused_fields(&bad);
        assert_eq!(fields, ["name", "domain", "country"], "{bad}");
        let new = json!({ "companyName": "杭州西湖软件", "domain": "xihu.partner.onmschina.cn", "country": "cn" });
        assert_eq!(
            s.post(&helpdesk, "/v1/customers", new.clone()).await.0,
            StatusCode::FORBIDDEN
        );

        // A partner adds its own customer: at once in its search, not in another partner's.
        let (status, created) = s.post(&contoso_admin, "/v1/customers", new).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["tenantId"].as_str().unwrap().to_string();
        assert_eq!(created["country"], "CN");
        let (_, found) = s.get(&contoso_admin, "/v1/customers?q=西湖").await;
        assert_eq!(found["items"][0]["id"], id.as_str(), "{found}");
        let customer = format!("/v1/customers/{id}");
        assert_eq!(s.get(&tailspin, &customer).await.0, StatusCode::NOT_FOUND);

        // Its record corrected, by those who may.
        let (status, renamed) = s
            .patch(&contoso_admin, &customer, json!({ "companyName": "杭州西湖软件有限公司" }))
            .await;
        assert_eq!((status, renamed["name"].as_str()), (StatusCode::OK, Some("杭州西湖软件有限公司")));
        assert_eq!(
            s.patch(&helpdesk, &customer, json!({ "companyName": "x" })).await.0,
            StatusCode::FORBIDDEN
        );

        // A service, with its admin-center link filled for this tenant.
        let (status, bad) = s
            .post(
                &contoso_admin,
                &format!("{customer}/managedservices"),
                json!({ "serviceId": "nosuch", "region": "mars-1" }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(bad["data"][0]["field"], "serviceId");
        assert_eq!(bad["data"][1]["field"], "region");
        let (status, services) = s
            .post(
                &contoso_admin,
                &format!("{customer}/managedservices"),
                json!({ "serviceId": "office365", "region": "cn-north" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{services}");
        assert!(
            services["items"][0]["links"]["adminService"]["uri"]
                .as_str()
                .unwrap()
                .contains(&id),
            "{services}"
        );

        // The operator's admin links it to Tailspin too: Tailspin sees it; each partner sees
        // only itself among the customer's partners, the operator both.
        let tailspin_id = partnerdesk_app::domain::Guid::from_name("demo:Tailspin Toys").to_string();
        assert_eq!(
            s.post(&contoso_admin, &format!("{customer}/relationships"), json!({ "partnerId": tailspin_id }))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        let (status, partners) = s
            .post(&operator, &format!("{customer}/relationships"), json!({ "partnerId": tailspin_id }))
            .await;
        assert_eq!(status, StatusCode::OK, "{partners}");
        assert_eq!(partners["items"].as_array().unwrap().len(), 2);
        assert_eq!(s.get(&tailspin, &customer).await.0, StatusCode::OK);
        let (_, own) = s
            .get(&contoso_admin, &format!("{customer}/relationships"))
            .await;
        assert_eq!(own["items"].as_array().unwrap().len(), 1, "{own}");
        assert_eq!(own["items"][0]["name"], "Contoso");
        // Linking again changes nothing, and the history says only what happened.
        let (status, again) = s
            .post(&operator, &format!("{customer}/relationships"), json!({ "partnerId": tailspin_id }))
            .await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["items"].as_array().unwrap().len(), 2);
        let (_, links) = s
            .get(&operator, &format!("/v1/auditevents?entity=relationship&entityId={id}"))
            .await;
        assert_eq!(links["items"].as_array().unwrap().len(), 2, "{links}");

        // The operator's admin adds a customer for a partner it names.
        let (status, bad) = s
            .post(
                &operator,
                "/v1/customers",
                json!({ "companyName": "Lakeshore", "domain": "lakeshore.cn", "country": "CN" }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(bad["data"][0]["field"], "partnerId");
        let (status, _) = s
            .post(
                &operator,
                "/v1/customers",
                json!({ "companyName": "Lakeshore", "domain": "lakeshore.cn", "country": "CN", "partnerId": tailspin_id }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, theirs) = s.get(&tailspin, "/v1/customers?q=Lakeshore").await;
        assert_eq!(theirs["items"].as_array().unwrap().len(), 1);
        s
    })
    .await;
}

#[tokio::test]
async fn the_customer_forms_keep_what_was_typed() {
    on_every_engine(|s: TestServer| async move {
        let mut admin = s.console(Some("admin@contoso.example")).await;
        let search = admin.get("/customers").await;
        assert!(search.body.contains("href=\"/customers/new\""));
        admin.get("/customers/new").await;
        let refused = admin
            .post(
                "/customers/new",
                &[
                    ("name", "Northwind 西北"),
                    ("domain", "bad domain"),
                    ("country", "CN"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("id=\"customer-errors\""));
        assert!(refused.body.contains("value=\"Northwind 西北\""), "kept");
        let added = admin
            .post(
                "/customers/new",
                &[
                    ("name", "Northwind 西北"),
                    ("domain", "northwind.cn"),
                    ("country", "CN"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let page_path = added.location.unwrap();
        let page = admin.get(&page_path).await;
        assert!(page.body.contains("Northwind 西北"));
        assert!(page.body.contains("id=\"add-service\""));
        let refused = admin
            .post(
                &format!("{page_path}/record"),
                &[
                    ("name", "Northwind 西北 2"),
                    ("domain", "x"),
                    ("country", "CN"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("value=\"Northwind 西北 2\""), "kept");
        let saved = admin
            .post(
                &format!("{page_path}/services"),
                &[("service_id", "office365"), ("region", "cn-east")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(
            admin
                .get(&page_path)
                .await
                .body
                .contains("Administer service")
        );

        // A helpdesk agent sees the customer but none of the forms.
        let mut helpdesk = s.console(Some("helpdesk@contoso.example")).await;
        let page = helpdesk.get(&page_path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("id=\"add-service\""));
        assert_eq!(
            helpdesk.get("/customers/new").await.status,
            StatusCode::FORBIDDEN
        );
        s
    })
    .await;
}

/// Every administration and publishing page, for every demo user: 200 or 403 as product.md's
/// role table says (the operator's admin: everything; support: partners and the SLA policy;
/// health managers: publishing; a partner's global admin and admin agents: their customers).
#[tokio::test]
async fn every_administration_page_answers_each_role_as_the_role_table_says() {
    const OK: u16 = 200;
    const NO: u16 = 403;
    let pages = [
        "/admin/partners",
        "/admin/services",
        "/admin/sla-policy",
        "/health/new",
        "/articles",
        "/articles/new",
        "/customers/new",
    ];
    let expected: [(&str, [u16; 7]); 13] = [
        ("admin@operator.example", [OK, OK, OK, OK, OK, OK, OK]),
        ("lead@operator.example", [OK, NO, OK, NO, OK, OK, NO]),
        ("engineer@operator.example", [OK, NO, OK, NO, OK, NO, NO]),
        ("billing@operator.example", [OK, NO, OK, NO, OK, NO, NO]),
        ("health@operator.example", [OK, NO, NO, OK, OK, OK, NO]),
        ("admin@contoso.example", [NO, NO, NO, NO, OK, NO, OK]),
        ("agent@contoso.example", [NO, NO, NO, NO, OK, NO, OK]),
        ("helpdesk@contoso.example", [NO, NO, NO, NO, OK, NO, NO]),
        ("sales@contoso.example", [NO, NO, NO, NO, NO, NO, NO]),
        ("billing@contoso.example", [NO, NO, NO, NO, OK, NO, NO]),
        ("agent@tailspin.example", [NO, NO, NO, NO, OK, NO, OK]),
        ("admin@tailspin.example", [NO, NO, NO, NO, OK, NO, OK]),
        ("admin@customer1.example", [NO, NO, NO, NO, OK, NO, NO]),
    ];
    on_every_engine(|s: TestServer| async move {
        for (email, statuses) in expected {
            let mut console = s.console(Some(email)).await;
            for (page, want) in pages.iter().zip(statuses) {
                let got = console.get(page).await.status.as_u16();
                assert_eq!(got, want, "{email} GET {page}");
            }
        }
        s
    })
    .await;
}
