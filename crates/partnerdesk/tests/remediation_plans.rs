//! Remediation plans over real HTTP, on every engine: the demo world's proposal for the partner
//! over the threshold, a plan's life from proposal to completed with the partner's
//! acknowledgement, and who sees which plans.

mod common;

use common::{TestServer, on_every_engine};
use reqwest::StatusCode;
use serde_json::json;

fn tailspin() -> String {
    partnerdesk_app::domain::Guid::from_name("demo:Tailspin Toys").to_string()
}

#[tokio::test]
async fn a_plan_goes_from_proposal_to_completed_with_the_partners_acknowledgement() {
    on_every_engine(|s: TestServer| async move {
        let lead = s.token("lead@operator.example").await;
        let partner_admin = s.token("admin@tailspin.example").await;
        let engineer = s.token("engineer@operator.example").await;

        // The demo world put Tailspin over the threshold; upkeep proposed one plan, and does not
        // propose a second while it is open.
        let (_, card) = s.get(&lead, &format!("/v1/partners/{}/scorecard", tailspin())).await;
        assert_eq!(card["overThreshold"], true, "{card}");
        let (status, plans) = s.get(&lead, "/v1/remediationplans").await;
        assert_eq!(status, StatusCode::OK);
        let items = plans["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{plans}");
        let plan = &items[0];
        assert_eq!((plan["partnerName"].as_str(), plan["status"].as_str()), (Some("Tailspin Toys"), Some("proposed")));
        assert!(!plan["evidence"].as_array().unwrap().is_empty());
        assert!(plan["basis"].as_str().unwrap().contains("improper"));
        assert_eq!(s.running.app.propose_plans().await.unwrap(), 0);
        let id = plan["id"].as_str().unwrap().to_string();
        let path = format!("/v1/remediationplans/{id}");

        // The partner's global admin sees the same plan; its agents and other partners do not.
        let (status, seen) = s.get(&partner_admin, &path).await;
        assert_eq!((status, &seen["evidence"]), (StatusCode::OK, &plan["evidence"]));
        assert_eq!(s.get(&s.token("agent@tailspin.example").await, &path).await.0, StatusCode::FORBIDDEN);
        let contoso = s.token("admin@contoso.example").await;
        assert_eq!(s.get(&contoso, &path).await.0, StatusCode::NOT_FOUND);
        let (_, theirs) = s.get(&contoso, "/v1/remediationplans").await;
        assert_eq!(theirs["totalCount"], 0);

        // A meeting first; then the agreed actions.
        let (status, body) = s.patch(&lead, &path, json!({ "status": "meeting_scheduled" })).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (status, body) = s
            .patch(&lead, &path, json!({ "meetingAt": "2026-11-05T02:00:00Z", "attendees": "Lead, Tailspin admin", "status": "meeting_scheduled" }))
            .await;
        assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("meeting_scheduled")), "{body}");
        let (status, body) = s.patch(&lead, &path, json!({ "status": "agreed", "summary": "Check service health first." })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = s.post(&lead, &format!("{path}/actions"), json!({ "owner": "x", "due": "soon" })).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let fields: Vec<&str> = common::refused_fields(&body);
        assert_eq!(fields, ["text", "due"]);
        let (status, body) = s
            .post(&lead, &format!("{path}/actions"), json!({ "text": "Train the helpdesk on self-help", "owner": "Tailspin admin", "due": "2026-11-30" }))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let action = body["actions"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(s.post(&engineer, &format!("{path}/actions"), json!({ "text": "t", "owner": "o" })).await.0, StatusCode::FORBIDDEN);

        // Work starts only once the partner acknowledged it.
        let (status, _) = s.patch(&lead, &path, json!({ "status": "in_progress" })).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(s.post(&engineer, &format!("{path}/acknowledge"), json!({})).await.0, StatusCode::FORBIDDEN);
        let (status, body) = s.post(&partner_admin, &format!("{path}/acknowledge"), json!({})).await;
        assert_eq!((status, body["acknowledged"].as_bool()), (StatusCode::OK, Some(true)), "{body}");
        assert_eq!(body["acknowledgedBy"], "Tailspin Admin");
        let (status, _) = s.patch(&lead, &path, json!({ "status": "in_progress" })).await;
        assert_eq!(status, StatusCode::OK);
        // The partner reports its progress; the lead completes the plan.
        let (status, body) = s
            .patch(&partner_admin, &format!("{path}/actions/{action}"), json!({ "done": true }))
            .await;
        assert_eq!((status, body["actions"][0]["done"].as_bool()), (StatusCode::OK, Some(true)), "{body}");
        assert_eq!(s.patch(&partner_admin, &path, json!({ "status": "completed" })).await.0, StatusCode::FORBIDDEN);
        let (status, done) = s.patch(&lead, &path, json!({ "status": "completed" })).await;
        assert_eq!((status, done["status"].as_str()), (StatusCode::OK, Some("completed")));
        let (status, _) = s.patch(&lead, &path, json!({ "status": "cancelled" })).await;
        assert_eq!(status, StatusCode::CONFLICT, "a completed plan stays completed");

        // A closed plan lets a lead open a new one; only one is open at a time.
        let (status, again) = s.post(&lead, "/v1/remediationplans", json!({ "partnerId": tailspin() })).await;
        assert_eq!((status, again["status"].as_str()), (StatusCode::CREATED, Some("proposed")), "{again}");
        assert_eq!(s.post(&lead, "/v1/remediationplans", json!({ "partnerId": tailspin() })).await.0, StatusCode::CONFLICT);
        let (status, body) = s.post(&lead, "/v1/remediationplans", json!({ "partnerId": "nobody" })).await;
        assert_eq!((status, body["data"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("partnerId")));

        let history = s
            .running
            .app
            .store()
            .audit_events("remediation_plan", &id)
            .await
            .unwrap();
        let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions.first(), Some(&"proposed"));
        assert!(actions.contains(&"acknowledged") && actions.contains(&"action_done"), "{actions:?}");
        s
    })
    .await;
}
