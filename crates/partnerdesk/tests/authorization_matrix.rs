//! The authorization matrix: every demo role × endpoint × object of its own tenant, another
//! partner's, another customer's — ids from other tenants in the path, the query and the body.
//! Table-driven; any leak fails.

mod common;

use common::{TestServer, customer1, minimal_request, on_every_engine, tailspin_customer};
use reqwest::StatusCode;
use serde_json::{Value, json};

const OK: u16 = 200;
const CREATED: u16 = 201;
const FORBIDDEN: u16 = 403;
const NOT_FOUND: u16 = 404;

/// Columns of the request table: Contoso's request for customer1 (escalated), Contoso's own
/// request (escalated), Tailspin's request for its customer (escalated), customer1's request to
/// Contoso (new, not yet at the operator).
const REQUEST_ACCESS: &[(&str, [u16; 4])] = &[
    ("admin@operator.example", [OK, OK, OK, NOT_FOUND]),
    ("lead@operator.example", [OK, OK, OK, NOT_FOUND]),
    ("engineer@operator.example", [OK, OK, OK, NOT_FOUND]),
    (
        "billing@operator.example",
        [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND],
    ),
    (
        "health@operator.example",
        [FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND],
    ),
    ("admin@contoso.example", [OK, OK, NOT_FOUND, OK]),
    ("agent@contoso.example", [OK, FORBIDDEN, NOT_FOUND, OK]),
    ("helpdesk@contoso.example", [OK, FORBIDDEN, NOT_FOUND, OK]),
    (
        "sales@contoso.example",
        [FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN],
    ),
    (
        "billing@contoso.example",
        [FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN],
    ),
    (
        "agent@tailspin.example",
        [NOT_FOUND, NOT_FOUND, OK, NOT_FOUND],
    ),
    (
        "admin@tailspin.example",
        [NOT_FOUND, NOT_FOUND, OK, NOT_FOUND],
    ),
    ("admin@customer1.example", [OK, NOT_FOUND, NOT_FOUND, OK]),
];

/// (user, GET customer1, GET Tailspin's customer, file for customer1, file for Tailspin's customer)
const CUSTOMER_ACCESS: &[(&str, [u16; 4])] = &[
    ("admin@operator.example", [OK, OK, FORBIDDEN, FORBIDDEN]),
    ("lead@operator.example", [OK, OK, FORBIDDEN, FORBIDDEN]),
    ("engineer@operator.example", [OK, OK, FORBIDDEN, FORBIDDEN]),
    ("billing@operator.example", [OK, OK, FORBIDDEN, FORBIDDEN]),
    (
        "health@operator.example",
        [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    ("admin@contoso.example", [OK, NOT_FOUND, CREATED, NOT_FOUND]),
    ("agent@contoso.example", [OK, NOT_FOUND, CREATED, NOT_FOUND]),
    (
        "helpdesk@contoso.example",
        [OK, NOT_FOUND, CREATED, NOT_FOUND],
    ),
    (
        "sales@contoso.example",
        [OK, NOT_FOUND, FORBIDDEN, NOT_FOUND],
    ),
    (
        "billing@contoso.example",
        [OK, NOT_FOUND, FORBIDDEN, NOT_FOUND],
    ),
    (
        "agent@tailspin.example",
        [NOT_FOUND, OK, NOT_FOUND, CREATED],
    ),
    (
        "admin@tailspin.example",
        [NOT_FOUND, OK, NOT_FOUND, CREATED],
    ),
    (
        "admin@customer1.example",
        [OK, NOT_FOUND, CREATED, NOT_FOUND],
    ),
];

/// Service health: (user, [list, GET a notice for customer1 only, GET a notice for Tailspin's
/// customer only, publish]). Changing and posting updates go with publishing.
const HEALTH_ACCESS: &[(&str, [u16; 4])] = &[
    ("admin@operator.example", [OK, OK, OK, CREATED]),
    ("lead@operator.example", [OK, OK, OK, FORBIDDEN]),
    ("engineer@operator.example", [OK, OK, OK, FORBIDDEN]),
    ("billing@operator.example", [OK, OK, OK, FORBIDDEN]),
    ("health@operator.example", [OK, OK, OK, CREATED]),
    ("admin@contoso.example", [OK, OK, NOT_FOUND, FORBIDDEN]),
    ("agent@contoso.example", [OK, OK, NOT_FOUND, FORBIDDEN]),
    ("helpdesk@contoso.example", [OK, OK, NOT_FOUND, FORBIDDEN]),
    (
        "sales@contoso.example",
        [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    ("billing@contoso.example", [OK, OK, NOT_FOUND, FORBIDDEN]),
    ("agent@tailspin.example", [OK, NOT_FOUND, OK, FORBIDDEN]),
    ("admin@tailspin.example", [OK, NOT_FOUND, OK, FORBIDDEN]),
    ("admin@customer1.example", [OK, OK, NOT_FOUND, FORBIDDEN]),
];

fn notice_for(customer: &str) -> Value {
    json!({
        "texts": [{ "locale": "en", "title": "Degraded", "impact": "Slow" }],
        "serviceIds": ["office365"],
        "affectedCustomers": [customer],
    })
}

async fn create(s: &TestServer, email: &str, path: &str, title: &str) -> String {
    let token = s.token(email).await;
    let (status, body) = s.post(&token, path, minimal_request(title)).await;
    assert_eq!(status, StatusCode::CREATED, "{email} {path}: {body}");
    body["id"].as_str().unwrap().to_string()
}

/// What a request's operator-side work (resolve, merge) answers `email`, who sees the request
/// with `seen`: its admin, leads and engineers may; others who see it are refused.
fn operator_work_status(email: &str, seen: u16) -> u16 {
    let works = [
        "admin@operator.example",
        "lead@operator.example",
        "engineer@operator.example",
    ]
    .contains(&email);
    match seen {
        OK if works => OK,
        OK => FORBIDDEN,
        other => other,
    }
}

#[tokio::test]
async fn every_role_sees_and_changes_only_what_it_may() {
    on_every_engine(|s: TestServer| async move {
        let (c1, tc) = (customer1(), tailspin_customer());
        let requests = [
            create(
                &s,
                "agent@contoso.example",
                &format!("/v1/customers/{c1}/servicerequests/en-US"),
                "contoso customer",
            )
            .await,
            create(
                &s,
                "admin@contoso.example",
                "/v1/servicerequests/en-US",
                "contoso own",
            )
            .await,
            create(
                &s,
                "agent@tailspin.example",
                &format!("/v1/customers/{tc}/servicerequests/en-US"),
                "tailspin customer",
            )
            .await,
            create(
                &s,
                "admin@customer1.example",
                &format!("/v1/customers/{c1}/servicerequests/en-US"),
                "customer to partner",
            )
            .await,
        ];
        // One file on each request, attached by the first user who sees it.
        let mut files = vec![];
        for (i, rid) in requests.iter().enumerate() {
            let (owner, _) = REQUEST_ACCESS.iter().find(|(_, a)| a[i] == OK).unwrap();
            let token = s.token(owner).await;
            let path = format!("/v1/servicerequests/{rid}/files");
            let (status, body) = s.upload(&token, &path, &[("log.txt", "text/plain", b"x")]).await;
            assert_eq!(status, StatusCode::CREATED, "{owner} attaches to {rid}: {body}");
            files.push(body["items"][0]["id"].as_str().unwrap().to_string());
        }

        for (email, expected) in REQUEST_ACCESS {
            let token = s.token(email).await;
            let works_at_operator = ["admin@operator", "lead@operator", "engineer@operator"]
                .iter()
                .any(|prefix| email.starts_with(prefix));
            for (i, ((rid, want), file)) in requests.iter().zip(expected).zip(&files).enumerate() {
                // Contacts: read as seeing the request; logged by the operator's people while
                // the operator holds it (the fourth request is still the partner's).
                let (status, body) = s
                    .get(&token, &format!("/v1/servicerequests/{rid}/contacts"))
                    .await;
                assert_eq!(status.as_u16(), *want, "{email} contacts of {rid}: {body}");
                let logs = match *want {
                    OK if works_at_operator && i < 3 => CREATED,
                    OK => FORBIDDEN,
                    other => other,
                };
                let (status, body) = s
                    .post(
                        &token,
                        &format!("/v1/operator/servicerequests/{rid}/contacts"),
                        json!({ "channel": "phone", "outcome": "Called." }),
                    )
                    .await;
                assert_eq!(status.as_u16(), logs, "{email} logs a contact on {rid}: {body}");
                // Reviews: judged by those who work it at the operator, disputed by its
                // partner, decided by leads. A refusal by the review's own rules (409: disputed
                // already, nothing to dispute) still shows the role was let through.
                let owner = if i == 2 { "@tailspin" } else { "@contoso" };
                let lets = |status: u16, allowed: bool| match *want {
                    OK if allowed => {
                        assert!(status == OK || status == 409, "{email} on {rid}: {status}");
                        status
                    }
                    OK => FORBIDDEN,
                    other => other,
                };
                let review = json!({ "verdict": "improper", "reason": "duplicate" });
                let path = format!("/v1/operator/servicerequests/{rid}/review");
                let status = s.post(&token, &path, review).await.0.as_u16();
                assert_eq!(lets(status, works_at_operator), status, "{email} reviews {rid}");
                let path = format!("/v1/servicerequests/{rid}/dispute");
                let status = s.post(&token, &path, json!({ "comment": "No." })).await.0.as_u16();
                assert_eq!(lets(status, email.contains(owner)), status, "{email} disputes {rid}");
                let decides = email.starts_with("lead@operator") || email.starts_with("admin@operator");
                let path = format!("/v1/operator/servicerequests/{rid}/dispute-decision");
                let status = s.post(&token, &path, json!({ "outcome": "upheld" })).await.0.as_u16();
                assert_eq!(lets(status, decides), status, "{email} decides on {rid}");
                // Files follow the request: attach and read as seeing it.
                let path = format!("/v1/servicerequests/{rid}/files");
                let (status, body) = s.upload(&token, &path, &[("b.txt", "text/plain", b"y")]).await;
                let created = if *want == OK { CREATED } else { *want };
                assert_eq!(status.as_u16(), created, "{email} attach to {rid}: {body}");
                assert_eq!(s.get(&token, &path).await.0.as_u16(), *want, "{email} files of {rid}");
                let (status, _) = s.get(&token, &format!("{path}/{file}")).await;
                assert_eq!(status.as_u16(), *want, "{email} download from {rid}");
                let (status, body) = s.get(&token, &format!("/v1/servicerequests/{rid}")).await;
                assert_eq!(status.as_u16(), *want, "{email} GET request {rid}: {body}");
                // Changing follows seeing: a hidden request stays hidden, a forbidden one forbidden.
                let (status, body) = s
                    .patch(
                        &token,
                        &format!("/v1/servicerequests/{rid}"),
                        json!({ "newNote": "hello" }),
                    )
                    .await;
                assert_eq!(
                    status.as_u16(),
                    *want,
                    "{email} PATCH request {rid}: {body}"
                );
                let (status, _) = s
                    .get(&token, &format!("/v1/servicerequests/{rid}/history"))
                    .await;
                assert_eq!(status.as_u16(), *want, "{email} history {rid}");
            }
            // Listing: refused for roles without requests, otherwise only what GET allows.
            let (status, list) = s.get(&token, "/v1/servicerequests?size=500").await;
            if expected.iter().all(|w| *w != OK)
                && (email.starts_with("sales") || email.starts_with("health"))
            {
                assert_eq!(status, StatusCode::FORBIDDEN, "{email} list");
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{email} list: {list}");
            let listed: Vec<&str> = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap())
                .collect();
            for (rid, want) in requests.iter().zip(expected) {
                assert_eq!(
                    listed.contains(&rid.as_str()),
                    *want == OK,
                    "{email} list contains {rid}"
                );
            }
            // Another tenant's customer in the query yields nothing of theirs.
            let (_, filtered) = s
                .get(
                    &token,
                    &format!("/v1/servicerequests?customerId={tc}&size=500"),
                )
                .await;
            if !email.contains("tailspin") && !email.contains("operator") {
                assert_eq!(
                    filtered["totalCount"], 0,
                    "{email} sees Tailspin's customer's requests"
                );
            }
        }

        for (email, [get_c1, get_tc, file_c1, file_tc]) in CUSTOMER_ACCESS {
            let token = s.token(email).await;
            assert_eq!(
                s.get(&token, &format!("/v1/customers/{c1}"))
                    .await
                    .0
                    .as_u16(),
                *get_c1,
                "{email} GET customer1"
            );
            assert_eq!(
                s.get(&token, &format!("/v1/customers/{tc}"))
                    .await
                    .0
                    .as_u16(),
                *get_tc,
                "{email} GET tailspin customer"
            );
            let get_services = s
                .get(&token, &format!("/v1/customers/{tc}/managedservices"))
                .await
                .0
                .as_u16();
            assert_eq!(
                get_services, *get_tc,
                "{email} managed services of tailspin customer"
            );
            let (status, body) = s
                .post(
                    &token,
                    &format!("/v1/customers/{c1}/servicerequests/en-US"),
                    minimal_request("m"),
                )
                .await;
            assert_eq!(
                status.as_u16(),
                *file_c1,
                "{email} file for customer1: {body}"
            );
            let (status, body) = s
                .post(
                    &token,
                    &format!("/v1/customers/{tc}/servicerequests/en-US"),
                    minimal_request("m"),
                )
                .await;
            assert_eq!(
                status.as_u16(),
                *file_tc,
                "{email} file for tailspin customer: {body}"
            );
            // The customer-level path must name the request's own customer.
            let (status, _) = s
                .get(
                    &token,
                    &format!("/v1/customers/{tc}/servicerequests/{}", requests[0]),
                )
                .await;
            assert!(
                matches!(status.as_u16(), NOT_FOUND | FORBIDDEN),
                "{email} reads customer1's request via Tailspin's customer"
            );
        }

        // Customer search never crosses partners.
        let agent = s.token("agent@contoso.example").await;
        let (_, found) = s.get(&agent, "/v1/customers?q=武汉").await;
        assert_eq!(found["totalCount"], 0);
        let (_, mine) = s.get(&agent, "/v1/customers?q=北京").await;
        assert_eq!(mine["totalCount"], 1);

        // Ids from other tenants in a body: assigning to a partner user is refused.
        let lead = s.token("lead@operator.example").await;
        let tailspin_agent: Value = s
            .get(&s.token("agent@tailspin.example").await, "/v1/me")
            .await
            .1;
        let (status, body) = s
            .post(
                &lead,
                &format!("/v1/operator/servicerequests/{}/assign", requests[0]),
                json!({ "assignee": tailspin_agent["user"]["id"] }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        // Engineers may take work themselves but not hand it to others; partners not at all.
        let engineer = s.token("engineer@operator.example").await;
        let lead_me: Value = s.get(&lead, "/v1/me").await.1;
        let (status, _) = s
            .post(
                &engineer,
                &format!("/v1/operator/servicerequests/{}/assign", requests[0]),
                json!({ "assignee": lead_me["user"]["id"] }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = s
            .post(
                &agent,
                &format!("/v1/operator/servicerequests/{}/assign", requests[0]),
                json!({ "assignee": lead_me["user"]["id"] }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            s.get(&agent, "/v1/operator/queue").await.0,
            StatusCode::FORBIDDEN
        );

        // Partners: the operator's to read and manage.
        let admin = s.token("admin@operator.example").await;
        let (status, created) = s
            .post(
                &admin,
                "/v1/partners",
                json!({ "name": "Fabrikam Reseller", "country": "cn" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["country"], "CN");
        let pid = created["id"].as_str().unwrap();
        assert_eq!(
            s.post(&lead, "/v1/partners", json!({ "name": "x" }))
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(s.get(&agent, "/v1/partners").await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            s.get(&agent, &format!("/v1/partners/{pid}")).await.0,
            StatusCode::NOT_FOUND
        );
        let (status, renamed) = s
            .patch(
                &admin,
                &format!("/v1/partners/{pid}"),
                json!({ "Name": "Fabrikam Partner" }),
            )
            .await;
        assert_eq!(
            (status, renamed["name"].as_str()),
            (StatusCode::OK, Some("Fabrikam Partner"))
        );
        // Suspension is the operator admin's too.
        assert_eq!(
            s.patch(&lead, &format!("/v1/partners/{pid}"), json!({ "suspended": true }))
                .await
                .0,
            StatusCode::FORBIDDEN
        );

        // Customer records: a partner's admins add and correct their own customers; only the
        // operator's admin links a customer to another partner.
        let helpdesk = s.token("helpdesk@contoso.example").await;
        let contoso_admin = s.token("admin@contoso.example").await;
        let new = json!({ "companyName": "Matrix Co", "domain": "matrix.cn", "country": "CN" });
        assert_eq!(
            s.post(&helpdesk, "/v1/customers", new.clone()).await.0,
            StatusCode::FORBIDDEN
        );
        let (status, made) = s.post(&contoso_admin, "/v1/customers", new).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let made = format!("/v1/customers/{}", made["id"].as_str().unwrap());
        assert_eq!(
            s.patch(&helpdesk, &made, json!({ "domain": "m.cn" })).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            s.patch(&contoso_admin, &made, json!({ "domain": "m.cn" })).await.0,
            StatusCode::OK
        );
        let service = json!({ "serviceId": "office365" });
        assert_eq!(
            s.post(&helpdesk, &format!("{made}/managedservices"), service.clone()).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            s.post(&contoso_admin, &format!("{made}/managedservices"), service).await.0,
            StatusCode::OK
        );
        let other = s.token("admin@tailspin.example").await;
        assert_eq!(
            s.get(&other, &format!("{made}/relationships")).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            s.get(&contoso_admin, &format!("{made}/relationships")).await.0,
            StatusCode::OK
        );
        let link = json!({ "partnerId": pid });
        assert_eq!(
            s.post(&lead, &format!("{made}/relationships"), link.clone()).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            s.post(&admin, &format!("{made}/relationships"), link).await.0,
            StatusCode::OK
        );

        // The catalogue: everyone signed in reads the services; only the operator's admin
        // changes services and topics.
        for token in [&agent, &lead, &admin] {
            assert_eq!(s.get(token, "/v1/services").await.0, StatusCode::OK);
        }
        let service = json!({ "name": "Dynamics", "adminUrlTemplate": "https://dyn.example/{tenantId}" });
        let topic = json!({ "name": "Sign-in", "category": "account" });
        for (token, expected) in [(&agent, StatusCode::FORBIDDEN), (&lead, StatusCode::FORBIDDEN), (&admin, StatusCode::OK)] {
            let (status, body) = s
                .call(token, reqwest::Method::PUT, "/v1/services/dynamics", Some(service.clone()))
                .await;
            assert_eq!(status, expected, "{body}");
            let (status, body) = s
                .call(
                    token,
                    reqwest::Method::PUT,
                    "/v1/services/dynamics/supporttopics/dynamics-sign-in",
                    Some(topic.clone()),
                )
                .await;
            assert_eq!(status, expected, "{body}");
        }

        // A customer's listing: only the requests GET allows; a customer the role may not see
        // (or a role without requests) is refused.
        let customer_requests = [&requests[0], &requests[3]];
        for (email, expected) in REQUEST_ACCESS {
            let token = s.token(email).await;
            let (status, list) = s
                .get(
                    &token,
                    &format!("/v1/customers/{c1}/servicerequests?size=500"),
                )
                .await;
            let visible: Vec<&str> = customer_requests
                .iter()
                .zip([expected[0], expected[3]])
                .filter(|(_, want)| *want == OK)
                .map(|(rid, _)| rid.as_str())
                .collect();
            if status == StatusCode::OK {
                let mut listed: Vec<&str> = list["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["id"].as_str().unwrap())
                    .filter(|id| requests.iter().any(|r| r == id))
                    .collect();
                listed.sort_unstable();
                let mut visible = visible;
                visible.sort_unstable();
                assert_eq!(listed, visible, "{email} lists customer1's requests");
            } else {
                assert!(
                    matches!(status.as_u16(), FORBIDDEN | NOT_FOUND) && visible.is_empty(),
                    "{email} customer1's listing: {status} {list}"
                );
            }
            let (status, _) = s
                .get(&token, &format!("/v1/customers/{tc}/servicerequests"))
                .await;
            // The operator and Tailspin see that customer; roles without requests list nothing.
            let may_list = !(email.starts_with("sales") || email.starts_with("health"))
                && (email.contains("operator") || email.contains("tailspin"));
            assert_eq!(
                status == StatusCode::OK,
                may_list,
                "{email} lists Tailspin's customer's requests: {status}"
            );
            // Changing through the customer's path follows seeing, as through the partner's.
            let (status, body) = s
                .patch(
                    &token,
                    &format!("/v1/customers/{c1}/servicerequests/{}", requests[0]),
                    json!({ "newNote": "via the customer" }),
                )
                .await;
            assert_eq!(
                status.as_u16(),
                expected[0],
                "{email} PATCH via customer: {body}"
            );
        }

        // Escalating a customer's request to the operator: the owning partner's support roles
        // only (each on a fresh request, since an escalation changes it).
        for (email, expected) in REQUEST_ACCESS {
            let fresh = create(
                &s,
                "admin@customer1.example",
                &format!("/v1/customers/{c1}/servicerequests/en-US"),
                "to escalate",
            )
            .await;
            let may = [
                "admin@contoso.example",
                "agent@contoso.example",
                "helpdesk@contoso.example",
            ]
            .contains(email);
            let want = match expected[3] {
                OK if may => OK,
                OK => FORBIDDEN,
                other => other,
            };
            let token = s.token(email).await;
            let (status, body) = s
                .post(
                    &token,
                    &format!("/v1/servicerequests/{fresh}/escalate"),
                    json!({ "escalationCriterion": "bug", "troubleshooting": "tried" }),
                )
                .await;
            assert_eq!(status.as_u16(), want, "{email} escalate: {body}");
        }

        // Resolving at the operator: its support staff only (a fresh request each).
        for (email, expected) in REQUEST_ACCESS {
            let fresh = create(
                &s,
                "agent@contoso.example",
                &format!("/v1/customers/{c1}/servicerequests/en-US"),
                "to resolve",
            )
            .await;
            let want = operator_work_status(email, expected[0]);
            let token = s.token(email).await;
            let (status, body) = s
                .post(
                    &token,
                    &format!("/v1/operator/servicerequests/{fresh}/resolve"),
                    json!({ "note": "fixed" }),
                )
                .await;
            assert_eq!(status.as_u16(), want, "{email} resolve: {body}");
        }

        // Merging a duplicate: those who work it at the operator (a fresh pair each).
        for (email, expected) in REQUEST_ACCESS {
            let keep = create(
                &s,
                "agent@contoso.example",
                &format!("/v1/customers/{c1}/servicerequests/en-US"),
                "to keep",
            )
            .await;
            let duplicate = create(
                &s,
                "agent@contoso.example",
                &format!("/v1/customers/{c1}/servicerequests/en-US"),
                "to merge",
            )
            .await;
            let want = operator_work_status(email, expected[0]);
            let token = s.token(email).await;
            let (status, body) = s
                .post(
                    &token,
                    &format!("/v1/operator/servicerequests/{duplicate}/merge"),
                    json!({ "into": keep }),
                )
                .await;
            assert_eq!(status.as_u16(), want, "{email} merge: {body}");
        }

        // Support topics are for everyone signed in; the support profile is the partner's (its
        // customers read it), and only the partner's global admin edits it.
        for (email, _) in REQUEST_ACCESS {
            let token = s.token(email).await;
            assert_eq!(
                s.get(&token, "/v1/servicerequests/supporttopics").await.0,
                StatusCode::OK,
                "{email} topics"
            );
            let (status, _) = s.get(&token, "/v1/profiles/support").await;
            let want = if email.contains("operator") {
                NOT_FOUND
            } else {
                OK
            };
            assert_eq!(status.as_u16(), want, "{email} GET profile");
            let (status, _) = s
                .call(
                    &token,
                    reqwest::Method::PUT,
                    "/v1/profiles/support",
                    Some(json!({ "hours": "24x7" })),
                )
                .await;
            let want = if email.starts_with("admin@")
                && !email.contains("operator")
                && !email.contains("customer")
            {
                OK
            } else {
                FORBIDDEN
            };
            assert_eq!(status.as_u16(), want, "{email} PUT profile");
        }

        // Service health: each notice only where it reaches; only publishers publish.
        let health = s.token("health@operator.example").await;
        let mut notice_ids = vec![];
        for customer in [&c1, &tc] {
            let (status, made) = s
                .post(&health, "/v1/serviceincidents", notice_for(customer))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{made}");
            notice_ids.push(made["id"].as_str().unwrap().to_string());
        }
        for (email, [list, get_c1, get_tc, publish]) in HEALTH_ACCESS {
            let token = s.token(email).await;
            let (status, listed) = s.get(&token, "/v1/serviceincidents?size=500").await;
            assert_eq!(status.as_u16(), *list, "{email} list notices");
            for (id, want) in notice_ids.iter().zip([get_c1, get_tc]) {
                assert_eq!(
                    s.get(&token, &format!("/v1/serviceincidents/{id}"))
                        .await
                        .0
                        .as_u16(),
                    *want,
                    "{email} GET notice {id}"
                );
                if status == StatusCode::OK {
                    let shown = listed["items"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|i| i["id"] == *id);
                    assert_eq!(shown, *want == OK, "{email} lists notice {id}");
                }
            }
            let (status, _) = s
                .post(&token, "/v1/serviceincidents", notice_for(&c1))
                .await;
            assert_eq!(status.as_u16(), *publish, "{email} publish");
            let change_want = if *publish == CREATED { OK } else { FORBIDDEN };
            let (status, _) = s
                .patch(
                    &token,
                    &format!("/v1/serviceincidents/{}", notice_ids[0]),
                    json!({ "severity": "critical" }),
                )
                .await;
            assert_eq!(status.as_u16(), change_want, "{email} change notice");
            let (status, _) = s
                .post(
                    &token,
                    &format!("/v1/serviceincidents/{}/updates", notice_ids[0]),
                    json!({ "texts": [{ "locale": "en", "text": "Still looking" }] }),
                )
                .await;
            assert_eq!(status.as_u16(), *publish, "{email} post an update");
            // A feed token for one's own health view; revoked only by its owner.
            let (status, made) = s.post(&token, "/v1/feeds/incidents", json!({})).await;
            let want = if *list == OK { CREATED } else { FORBIDDEN };
            assert_eq!(status.as_u16(), want, "{email} feed token: {made}");
            if status == StatusCode::CREATED {
                let path = format!("/v1/feeds/incidents/{}", made["id"].as_str().unwrap());
                let someone_else = if *email == "health@operator.example" {
                    s.token("lead@operator.example").await
                } else {
                    health.clone()
                };
                let (status, _) = s
                    .call(&someone_else, reqwest::Method::DELETE, &path, None)
                    .await;
                assert_eq!(
                    status,
                    StatusCode::NOT_FOUND,
                    "someone else revokes {email}'s feed"
                );
                let (status, _) = s.call(&token, reqwest::Method::DELETE, &path, None).await;
                assert_eq!(status, StatusCode::NO_CONTENT, "{email} revokes its feed");
            }
            // One customer's health: as seeing the customer, and never for sales agents.
            let get_c1_customer = CUSTOMER_ACCESS
                .iter()
                .find(|(e, _)| e == email)
                .map(|(_, a)| a[0])
                .unwrap();
            let want = if email.starts_with("sales") {
                FORBIDDEN
            } else {
                get_c1_customer
            };
            let (status, body) = s
                .get(&token, &format!("/v1/customers/{c1}/serviceincidents"))
                .await;
            assert_eq!(status.as_u16(), want, "{email} customer1's health: {body}");
        }

        // Self-help articles: read by everyone who does support, drafts and writing for the
        // operator's admins, leads and health managers.
        let lead = s.token("lead@operator.example").await;
        let article = |status: &str| {
            json!({ "serviceId": "office365", "locale": "en", "title": "How to", "body": "Steps", "status": status })
        };
        let (_, published) = s.post(&lead, "/v1/articles", article("published")).await;
        let (_, draft) = s.post(&lead, "/v1/articles", article("draft")).await;
        let (published, draft) = (
            published["id"].as_str().unwrap().to_string(),
            draft["id"].as_str().unwrap().to_string(),
        );
        for (email, _) in REQUEST_ACCESS {
            let token = s.token(email).await;
            let writer = ["admin@operator.example", "lead@operator.example", "health@operator.example"].contains(email);
            let reader = !email.starts_with("sales");
            let (read, read_draft) = match (reader, writer) {
                (false, _) => (FORBIDDEN, FORBIDDEN),
                (true, true) => (OK, OK),
                (true, false) => (OK, NOT_FOUND),
            };
            assert_eq!(s.get(&token, "/v1/articles").await.0.as_u16(), read, "{email} list articles");
            assert_eq!(s.get(&token, &format!("/v1/articles/{published}")).await.0.as_u16(), read, "{email} read");
            assert_eq!(s.get(&token, &format!("/v1/articles/{draft}")).await.0.as_u16(), read_draft, "{email} read a draft");
            let (status, _) = s.post(&token, "/v1/articles", article("draft")).await;
            assert_eq!(status.as_u16(), if writer { CREATED } else { FORBIDDEN }, "{email} write");
            let (status, _) = s.patch(&token, &format!("/v1/articles/{published}"), json!({ "title": "How to, again" })).await;
            assert_eq!(status.as_u16(), if writer { OK } else { FORBIDDEN }, "{email} change");
            let (status, _) = s.post(&token, &format!("/v1/articles/{published}/feedback"), json!({ "helpful": true })).await;
            assert_eq!(status.as_u16(), read, "{email} rate");
        }

        // Deflections: recorded by the partner roles that file for customers, for customers
        // they serve; read by the operator (all) and the partner's support roles (their own).
        for (email, [get_c1, ..]) in CUSTOMER_ACCESS {
            let token = s.token(email).await;
            // The pre-submit matching: as seeing the customer, and never for sales agents.
            let want = if email.starts_with("sales") { FORBIDDEN } else { *get_c1 };
            let (status, body) = s
                .get(&token, &format!("/v1/customers/{c1}/selfhelp?serviceId=office365&q=mail"))
                .await;
            assert_eq!(status.as_u16(), want, "{email} self-help for customer1: {body}");
            let recorder = ["admin@", "agent@", "helpdesk@", "billing@"]
                .iter()
                .any(|r| email.starts_with(r))
                && !email.contains("operator")
                && !email.contains("customer1");
            let want = match (recorder, email.contains("contoso")) {
                (true, true) => CREATED,
                (true, false) => NOT_FOUND,
                (false, _) => FORBIDDEN,
            };
            let (status, body) = s
                .post(&token, &format!("/v1/customers/{c1}/deflections"), json!({ "serviceId": "office365", "reason": "solved_in_admin_center" }))
                .await;
            assert_eq!(status.as_u16(), want, "{email} record a deflection: {body}");
            let reads = !(email.starts_with("sales") || email.contains("customer1"));
            for path in ["/v1/deflections", "/v1/deflections/counts"] {
                let (status, _) = s.get(&token, path).await;
                assert_eq!(status.as_u16(), if reads { OK } else { FORBIDDEN }, "{email} {path}");
            }
        }

        // Scorecards: the operator's support people read every partner's, a partner's global
        // admin and admin agents its own; another partner cannot tell it exists.
        let contoso = partnerdesk_app::domain::Guid::from_name("demo:Contoso");
        for (email, _) in REQUEST_ACCESS {
            let token = s.token(email).await;
            let operator_support = ["admin@operator", "lead@operator", "engineer@operator"]
                .iter()
                .any(|p| email.starts_with(p));
            let own = ["admin@contoso", "agent@contoso"].iter().any(|p| email.starts_with(p));
            let want = if operator_support || own {
                OK
            } else if email.contains("tailspin") {
                NOT_FOUND
            } else {
                FORBIDDEN
            };
            let (status, body) = s.get(&token, &format!("/v1/partners/{contoso}/scorecard")).await;
            assert_eq!(status.as_u16(), want, "{email} reads Contoso's scorecard: {body}");
            let (status, _) = s.get(&token, "/v1/scorecards").await;
            assert_eq!(status.as_u16(), if operator_support { OK } else { FORBIDDEN }, "{email} all scorecards");
        }

        // Remediation plans: the operator's support people read them, leads (and the operator's
        // admin) run them; the partner's global admin reads its own, acknowledges it and marks
        // actions done; another partner cannot tell it exists.
        let lead = s.token("lead@operator.example").await;
        let (_, plans) = s.get(&lead, "/v1/remediationplans").await;
        let plan = plans["items"][0]["id"].as_str().unwrap().to_string();
        let (_, with_action) = s
            .post(&lead, &format!("/v1/remediationplans/{plan}/actions"), json!({ "text": "Train", "owner": "Admin" }))
            .await;
        let action = with_action["actions"][0]["id"].as_str().unwrap().to_string();
        for (email, _) in REQUEST_ACCESS {
            let token = s.token(email).await;
            let support = ["admin@operator", "lead@operator", "engineer@operator"].iter().any(|p| email.starts_with(p));
            let runs = email.starts_with("admin@operator") || email.starts_with("lead@operator");
            let partner_admin = email.starts_with("admin@tailspin");
            let reads = support || partner_admin;
            let hidden = email.contains("contoso");
            let refused = |allowed: bool, ok: u16| {
                if allowed { ok } else if hidden { NOT_FOUND } else { FORBIDDEN }
            };
            let path = format!("/v1/remediationplans/{plan}");
            let listed = s.get(&token, "/v1/remediationplans").await.0.as_u16();
            let list_ok = reads || email.starts_with("admin@contoso");
            assert_eq!(listed, if list_ok { OK } else { FORBIDDEN }, "{email} lists plans");
            assert_eq!(s.get(&token, &path).await.0.as_u16(), refused(reads, OK), "{email} reads the plan");
            let status = s.patch(&token, &path, json!({ "summary": "Noted." })).await.0.as_u16();
            assert_eq!(status, refused(runs, OK), "{email} changes the plan");
            let status = s
                .post(&token, &format!("{path}/actions"), json!({ "text": "Act", "owner": "Someone" }))
                .await
                .0
                .as_u16();
            assert_eq!(status, refused(runs, CREATED), "{email} adds an action");
            let status = s
                .patch(&token, &format!("{path}/actions/{action}"), json!({ "done": true }))
                .await
                .0
                .as_u16();
            assert_eq!(status, refused(runs || partner_admin, OK), "{email} marks an action done");
            let status = s.post(&token, &format!("{path}/acknowledge"), json!({})).await.0.as_u16();
            assert_eq!(status, refused(partner_admin, OK), "{email} acknowledges");
            let opened = s
                .post(&token, "/v1/remediationplans", json!({ "partnerId": partnerdesk_app::domain::Guid::from_name("demo:Contoso").to_string() }))
                .await
                .0
                .as_u16();
            let want = if runs { [CREATED, 409] } else { [FORBIDDEN, FORBIDDEN] };
            assert!(want.contains(&opened), "{email} opens a plan: {opened}");
        }

        // The SLA policy: read by the operator's people who work requests, written by its admin.
        let (_, policy) = s.get(&s.token("admin@operator.example").await, "/v1/operator/slapolicies/default").await;
        for (email, _) in REQUEST_ACCESS {
            let token = s.token(email).await;
            let reads = ["admin@operator", "lead@operator", "engineer@operator", "billing@operator"]
                .iter()
                .any(|p| email.starts_with(p));
            let want = if reads { OK } else { FORBIDDEN };
            assert_eq!(s.get(&token, "/v1/operator/slapolicies").await.0.as_u16(), want, "{email} lists SLA policies");
            assert_eq!(s.get(&token, "/v1/operator/slapolicies/default").await.0.as_u16(), want, "{email} reads the SLA policy");
            let (status, _) = s
                .call(&token, reqwest::Method::PUT, "/v1/operator/slapolicies/default", Some(policy.clone()))
                .await;
            let writes = email.starts_with("admin@operator");
            assert_eq!(status.as_u16(), if writes { OK } else { FORBIDDEN }, "{email} writes the SLA policy");
        }

        // The audit log: the operator's admins and leads.
        for (email, _) in REQUEST_ACCESS {
            let token = s.token(email).await;
            let reads = email.starts_with("admin@operator") || email.starts_with("lead@operator");
            let want = if reads { OK } else { FORBIDDEN };
            assert_eq!(s.get(&token, "/v1/auditevents").await.0.as_u16(), want, "{email} reads the audit log");
            assert_eq!(s.get(&token, "/v1/auditevents/export").await.0.as_u16(), want, "{email} exports it");
        }

        // Every operation of the API is in this matrix (signing in and out aside: anonymous,
        // and only ever one's own session).
        let missing: Vec<String> = common::uncovered_operations(&s.called.lock().unwrap())
            .into_iter()
            .filter(|op| !op.ends_with(" /v1/session"))
            .collect();
        assert!(
            missing.is_empty(),
            "not in the authorization matrix: {missing:#?}"
        );
        s
    })
    .await;
}

#[tokio::test]
async fn managed_services_links_and_support_profile() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let c1 = customer1();
        let (status, services) = s.get(&agent, &format!("/v1/customers/{c1}/managedservices")).await;
        assert_eq!(status, StatusCode::OK);
        let office = services["items"].as_array().unwrap().iter().find(|m| m["id"] == "office365").expect("office365");
        assert!(office["links"]["adminService"]["uri"].as_str().unwrap().contains(&c1), "deep link carries the tenant id");
        assert!(office["links"]["serviceTicket"]["uri"].as_str().unwrap().starts_with(&format!("/v1/customers/{c1}/servicerequests")));
        assert!(office["links"]["serviceHealth"]["uri"].is_string());

        let (status, topics) = s.get(&agent, "/v1/servicerequests/supporttopics?serviceId=azure").await;
        assert_eq!(status, StatusCode::OK);
        let topics = topics["items"].as_array().unwrap();
        assert!((6..=10).contains(&topics.len()));
        assert!(topics.iter().all(|t| t["serviceId"] == "azure" && t["category"].is_string()));

        // The global admin edits the profile; the customer sees it; an agent cannot edit it.
        let admin = s.token("admin@contoso.example").await;
        let profile = json!({ "email": "help@contoso.example", "telephone": "+86 10 1234", "website": "https://contoso.example/help", "hours": "24x7" });
        assert_eq!(s.call(&agent, reqwest::Method::PUT, "/v1/profiles/support", Some(profile.clone())).await.0, StatusCode::FORBIDDEN);
        let (status, saved) = s.call(&admin, reqwest::Method::PUT, "/v1/profiles/support", Some(profile)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let customer = s.token("admin@customer1.example").await;
        let (_, seen) = s.get(&customer, "/v1/profiles/support").await;
        assert_eq!(seen["email"], "help@contoso.example");
        let (status, bad) = s.call(&admin, reqwest::Method::PUT, "/v1/profiles/support", Some(json!({ "website": "javascript:alert(1)" }))).await;
        assert_eq!((status, bad["data"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("website")));
        s
    })
    .await;
}
