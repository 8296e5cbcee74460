//! Merging a duplicate and linking an incident, over real HTTP on every engine: the duplicate
//! is closed and points at the request kept, which lists it; what may not be merged is refused
//! by field; and the request page's forms do both.

mod common;

use common::{TestServer, customer1, minimal_request, on_every_engine, tailspin_customer};
use reqwest::StatusCode;
use serde_json::json;

async fn file(s: &TestServer, token: &str, customer: &str, title: &str) -> String {
    let (status, created) = s
        .post(
            token,
            &format!("/v1/customers/{customer}/servicerequests/en-US"),
            minimal_request(title),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_duplicate_is_closed_into_the_request_kept() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let tailspin = s.token("agent@tailspin.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let c = customer1();
        let keep = file(&s, &agent, &c, "Mail stopped").await;
        let duplicate = file(&s, &agent, &c, "Mail stopped (again)").await;
        let theirs = file(&s, &tailspin, &tailspin_customer(), "Other partner").await;
        // A customer's request its partner has not escalated: the operator does not hold it.
        let customer_admin = s.token("admin@customer1.example").await;
        let at_partner = file(&s, &customer_admin, &c, "Ask the partner").await;
        let merge = |id: &str| format!("/v1/operator/servicerequests/{id}/merge");

        for (into, why) in [
            (theirs.as_str(), "another partner's request"),
            ("999999999", "no such request"),
            (duplicate.as_str(), "itself"),
            (at_partner.as_str(), "a request the partner holds"),
            ("", "nothing"),
        ] {
            let (status, body) = s
                .post(&engineer, &merge(&duplicate), json!({ "into": into }))
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{why}: {body}");
            assert_eq!(body["data"][0]["field"], "into", "{why}");
        }
        assert_eq!(
            s.post(&agent, &merge(&duplicate), json!({ "into": keep }))
                .await
                .0,
            StatusCode::FORBIDDEN
        );

        let (status, merged) = s
            .post(
                &engineer,
                &merge(&duplicate),
                json!({ "into": format!("#{keep}"), "note": "Same outage as the other request." }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{merged}");
        assert_eq!(merged["status"], "closed");
        assert_eq!(merged["mergedInto"], keep.as_str());
        let (_, seen) = s
            .get(&agent, &format!("/v1/servicerequests/{duplicate}"))
            .await;
        assert_eq!(seen["mergedInto"], keep.as_str(), "the partner sees it");
        let (_, history) = s
            .get(&agent, &format!("/v1/servicerequests/{duplicate}/history"))
            .await;
        assert!(common::has_action(&history, "merged"), "{history}");
        // A closed request is not merged again.
        let (status, _) = s
            .post(&engineer, &merge(&duplicate), json!({ "into": keep }))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // The page of the request kept lists the duplicate; the duplicate's page points back.
        let mut console = s.console(Some("engineer@operator.example")).await;
        let page = console.get(&format!("/requests/{keep}")).await;
        assert!(
            page.body
                .contains(&format!("href=\"/requests/{duplicate}\"")),
            "{}",
            page.body
        );
        let page = console.get(&format!("/requests/{duplicate}")).await;
        assert!(page.body.contains("id=\"merged-into\""));
        assert!(
            !page.body.contains("id=\"merge-form\""),
            "closed: no merge form"
        );
        s
    })
    .await;
}

#[tokio::test]
async fn the_request_page_merges_and_links_an_incident() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let c = customer1();
        let keep = file(&s, &agent, &c, "Teams calls drop").await;
        let duplicate = file(&s, &agent, &c, "Teams calls drop too").await;

        let mut console = s.console(Some("engineer@operator.example")).await;
        let page = console.get(&format!("/requests/{keep}")).await;
        assert!(page.body.contains("id=\"merge-form\""));
        assert!(page.body.contains("id=\"incident-form\""));
        // The open notice reaching this customer is offered; linking it shows it.
        let option = page
            .body
            .split("<select id=\"incident-link\" name=\"incident_id\">")
            .nth(1)
            .and_then(|rest| rest.split("<option value=\"").nth(2))
            .and_then(|rest| rest.split('"').next())
            .expect("an open incident reaches customer 1")
            .to_string();
        let linked = console
            .post(
                &format!("/requests/{keep}/incident"),
                &[("incident_id", &option)],
            )
            .await;
        assert_eq!(linked.status, StatusCode::SEE_OTHER);
        let page = console.get(&format!("/requests/{keep}")).await;
        assert!(
            page.body.contains(&format!("href=\"/health/{option}\"")),
            "{}",
            page.body
        );

        console.get(&format!("/requests/{duplicate}")).await;
        let refused = console
            .post(&format!("/requests/{duplicate}/merge"), &[("into", "abc")])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("id=\"change-error\""));
        let merged = console
            .post(&format!("/requests/{duplicate}/merge"), &[("into", &keep)])
            .await;
        assert_eq!(merged.status, StatusCode::SEE_OTHER);
        let page = console.get(&format!("/requests/{duplicate}")).await;
        assert!(page.body.contains(&format!("href=\"/requests/{keep}\"")));

        // The partner sees neither form.
        let mut partner = s.console(Some("agent@contoso.example")).await;
        let page = partner.get(&format!("/requests/{keep}")).await;
        assert!(!page.body.contains("id=\"merge-form\""));
        s
    })
    .await;
}
