//! Leads give requests to the operator's people on the request page; billing specialists get
//! billing requests only; the partner does not see who works it.

mod common;

use common::{TestServer, customer1, minimal_request, on_every_engine};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_lead_assigns_on_the_request_page_and_billing_goes_to_billing() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let lead = s.token("lead@operator.example").await;
        let (_, created) = s
            .post(
                &agent,
                &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                minimal_request("Calendar sync fails"),
            )
            .await;
        let id = created["id"].as_str().unwrap().to_string();
        let user_id = |email: &'static str| {
            let s = &s;
            async move {
                let token = s.token(email).await;
                let (_, me) = s.get(&token, "/v1/me").await;
                me["user"]["id"].as_str().unwrap().to_string()
            }
        };
        let (engineer, billing) = (
            user_id("engineer@operator.example").await,
            user_id("billing@operator.example").await,
        );

        // A technical request is not a billing specialist's.
        let (status, refused) = s
            .post(
                &lead,
                &format!("/v1/operator/servicerequests/{id}/assign"),
                json!({ "assignee": billing }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert_eq!(refused["data"][0]["field"], "assignee");

        let mut console = s.console(Some("lead@operator.example")).await;
        let page = console.get(&format!("/requests/{id}")).await;
        assert!(page.body.contains("id=\"assign-form\""));
        assert!(page.body.contains(&format!("value=\"{engineer}\"")));
        assert!(
            !page.body.contains(&format!("value=\"{billing}\"")),
            "not offered"
        );
        let assigned = console
            .post(
                &format!("/requests/{id}/assign"),
                &[("assignee", &engineer)],
            )
            .await;
        assert_eq!(assigned.status, StatusCode::SEE_OTHER);
        let page = console.get(&format!("/requests/{id}")).await;
        assert!(page.body.contains("id=\"assigned-to\""), "{}", page.body);

        // The engineer takes work but does not hand it out; the partner does not see who.
        let mut engineer_console = s.console(Some("engineer@operator.example")).await;
        let page = engineer_console.get(&format!("/requests/{id}")).await;
        assert!(!page.body.contains("id=\"assign-form\""));
        assert!(page.body.contains("id=\"assigned-to\""));
        let mut partner = s.console(Some("agent@contoso.example")).await;
        let page = partner.get(&format!("/requests/{id}")).await;
        assert!(!page.body.contains("id=\"assigned-to\""));
        s
    })
    .await;
}
