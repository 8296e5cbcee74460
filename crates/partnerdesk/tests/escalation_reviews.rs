//! Escalation reviews over real HTTP, on every engine: the operator's verdict, the partner's one
//! dispute, a lead's decision — who may do each, in which order, and the history they leave.

mod common;

use common::{TestServer, customer1, minimal_request, on_every_engine};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn code(body: &Value) -> (&str, Vec<&str>) {
    let fields = body["data"]
        .as_array()
        .map(|d| d.iter().filter_map(|f| f["field"].as_str()).collect())
        .unwrap_or_default();
    (body["code"].as_str().unwrap_or_default(), fields)
}

#[tokio::test]
async fn a_verdict_is_disputed_once_and_a_lead_decides() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let lead = s.token("lead@operator.example").await;
        let rival = s.token("agent@tailspin.example").await;
        let c = customer1();
        let (_, created) = s
            .post(&agent, &format!("/v1/customers/{c}/servicerequests/en-US"), minimal_request("How do I add a user?"))
            .await;
        let rid = created["id"].as_str().unwrap().to_string();
        let review = format!("/v1/operator/servicerequests/{rid}/review");
        let dispute = format!("/v1/servicerequests/{rid}/dispute");
        let decide = format!("/v1/operator/servicerequests/{rid}/dispute-decision");

        // An improper verdict needs its reason; a proper one has none.
        let (status, body) = s.post(&engineer, &review, json!({ "verdict": "improper" })).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("invalid_input", vec!["reason"])));
        let (status, body) = s.post(&engineer, &review, json!({ "verdict": "fine" })).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("invalid_input", vec!["verdict"])));
        let (status, body) = s.post(&engineer, &review, json!({ "verdict": "proper", "reason": "duplicate" })).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("invalid_input", vec!["reason"])));
        // The partner does not judge itself; nor does a lead decide what nobody disputed.
        assert_eq!(s.post(&agent, &review, json!({ "verdict": "proper" })).await.0, StatusCode::FORBIDDEN);
        let (status, reviewed) = s
            .post(&engineer, &review, json!({ "verdict": "improper", "reason": "within_partner_boundary", "comment": "Adding users is done in the admin center." }))
            .await;
        assert_eq!(status, StatusCode::OK, "{reviewed}");
        assert_eq!(reviewed["review"]["improper"], true);
        assert_eq!(reviewed["review"]["reason"], "within_partner_boundary");
        let (status, body) = s.post(&lead, &decide, json!({ "outcome": "upheld" })).await;
        assert_eq!((status, code(&body).0), (StatusCode::CONFLICT, "illegal_transition"));

        // The partner sees the flag and disputes it once, saying why; another partner cannot.
        let (_, seen) = s.get(&agent, &format!("/v1/servicerequests/{rid}")).await;
        assert_eq!(seen["review"]["comment"], "Adding users is done in the admin center.");
        assert_eq!(s.post(&rival, &dispute, json!({ "comment": "no" })).await.0, StatusCode::NOT_FOUND);
        let (status, body) = s.post(&agent, &dispute, json!({})).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("invalid_input", vec!["comment"])));
        let (status, disputed) = s
            .post(&agent, &dispute, json!({ "comment": "The customer's admin center was down (incident 7)." }))
            .await;
        assert_eq!(status, StatusCode::OK, "{disputed}");
        assert_eq!(disputed["review"]["disputed"], true);
        let (status, body) = s.post(&agent, &dispute, json!({ "comment": "again" })).await;
        assert_eq!((status, code(&body).0), (StatusCode::CONFLICT, "illegal_transition"));
        // A disputed verdict is the lead's to settle: no re-review, no engineer's decision.
        let (status, _) = s.post(&engineer, &review, json!({ "verdict": "proper" })).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(s.post(&engineer, &decide, json!({ "outcome": "overturned" })).await.0, StatusCode::FORBIDDEN);
        let (status, decided) = s
            .post(&lead, &decide, json!({ "outcome": "overturned", "comment": "Confirmed: incident 7." }))
            .await;
        assert_eq!(status, StatusCode::OK, "{decided}");
        assert_eq!(
            (decided["review"]["outcome"].as_str(), decided["review"]["improper"].as_bool()),
            (Some("overturned"), Some(false))
        );
        assert_eq!(s.post(&lead, &decide, json!({ "outcome": "upheld" })).await.0, StatusCode::CONFLICT);

        let (_, history) = s.get(&agent, &format!("/v1/servicerequests/{rid}/history")).await;
        let actions: Vec<&str> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .filter(|a| a.contains("review") || a.contains("dispute"))
            .collect();
        assert_eq!(actions, ["escalation_reviewed", "review_disputed", "dispute_decided"]);

        // A request still with its partner is not the operator's to review.
        let customer = s.token("admin@customer1.example").await;
        let (_, held) = s
            .post(&customer, &format!("/v1/customers/{c}/servicerequests/en-US"), minimal_request("Ask the partner"))
            .await;
        let held = held["id"].as_str().unwrap();
        let (status, _) = s
            .post(&engineer, &format!("/v1/operator/servicerequests/{held}/review"), json!({ "verdict": "proper" }))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        s
    })
    .await;
}
