//! Scorecards over real HTTP, on every engine: each number counted from the requests, reviews,
//! contacts and deflections of a period, and who may read whose card.

mod common;

use common::{TestServer, customer1, minimal_request, on_every_engine, start_time};
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_partners_card_counts_its_period_and_only_its_people_read_it() {
    on_every_engine(|s: TestServer| async move {
        let agent = s.token("agent@contoso.example").await;
        let admin = s.token("admin@contoso.example").await;
        let engineer = s.token("engineer@operator.example").await;
        let lead = s.token("lead@operator.example").await;
        let c = customer1();
        // A period that holds only what this test does: a week after the demo world, whose
        // days a card counts whole (from the midnight before `from`).
        s.clock.advance(SignedDuration::from_hours(24 * 7));
        let from = (start_time() + SignedDuration::from_hours(24 * 7)).to_string();
        let until = (start_time() + SignedDuration::from_hours(24 * 8)).to_string();

        let mut ids = vec![];
        for severity in ["critical", "moderate", "minimal"] {
            let mut body = minimal_request(&format!("scorecard {severity}"));
            body["severity"] = json!(severity);
            let (_, created) = s
                .post(
                    &agent,
                    &format!("/v1/customers/{c}/servicerequests/en-US"),
                    body,
                )
                .await;
            ids.push(created["id"].as_str().unwrap().to_string());
        }
        let (status, _) = s
            .post(
                &agent,
                &format!("/v1/customers/{c}/deflections"),
                json!({ "serviceId": "office365", "reason": "solved_in_admin_center" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);

        // The critical one is answered in 30 minutes; the moderate one is judged improper; the
        // minimal one too, but the partner wins its dispute.
        s.clock.advance(SignedDuration::from_mins(30));
        let op = |id: &str, what: &str| format!("/v1/operator/servicerequests/{id}/{what}");
        s.post(
            &engineer,
            &op(&ids[0], "contacts"),
            json!({ "channel": "phone", "outcome": "Fixed." }),
        )
        .await;
        for id in &ids[1..] {
            s.post(
                &engineer,
                &op(id, "review"),
                json!({ "verdict": "improper", "reason": "duplicate" }),
            )
            .await;
        }
        s.post(
            &agent,
            &format!("/v1/servicerequests/{}/dispute", ids[2]),
            json!({ "comment": "Not a duplicate." }),
        )
        .await;
        s.post(
            &lead,
            &op(&ids[2], "dispute-decision"),
            json!({ "outcome": "overturned" }),
        )
        .await;
        // Five hours on, the moderate one is past its four business hours without a contact:
        // the sweep marks it breached.
        s.clock.advance(SignedDuration::from_hours(5));
        s.running.app.maintain().await.expect("upkeep");

        let path = format!(
            "/v1/partners/{}/scorecard?from={from}&until={until}",
            partnerdesk_app::domain::Guid::from_name("demo:Contoso")
        );
        let (status, card) = s.get(&engineer, &path).await;
        assert_eq!(status, StatusCode::OK, "{card}");
        let numbers = |card: &Value| {
            [
                "escalations",
                "deflections",
                "improper",
                "disputes",
                "disputesWon",
                "slaMet",
                "slaBreached",
                "medianMinutesToFirstContact",
                "p90MinutesToFirstContact",
            ]
            .map(|k| card[k].as_i64().unwrap_or(-1))
        };
        assert_eq!(numbers(&card), [3, 1, 1, 1, 1, 1, 1, 30, 30], "{card}");
        assert_eq!(card["deflectionRate"], 25.0);
        assert_eq!(card["slaAttainment"], 50.0);
        assert_eq!(
            card["overThreshold"], false,
            "three escalations are fewer than ten"
        );
        assert_eq!(card["thresholdImproperPercent"], 20);
        let week = &card["weeks"][0];
        assert_eq!(
            (
                week["critical"].as_i64(),
                week["moderate"].as_i64(),
                week["minimal"].as_i64()
            ),
            (Some(1), Some(1), Some(1))
        );
        assert_eq!(card["weeks"].as_array().unwrap().len(), 1);

        // The partner's admin reads its own card, the same; an agent does not; another partner
        // cannot tell it exists.
        let (status, own) = s.get(&admin, &path).await;
        assert_eq!((status, numbers(&own)), (StatusCode::OK, numbers(&card)));
        assert_eq!(
            s.get(&s.token("helpdesk@contoso.example").await, &path)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            s.get(&s.token("admin@tailspin.example").await, &path)
                .await
                .0,
            StatusCode::NOT_FOUND
        );

        // The operator compares every partner.
        let (status, all) = s
            .get(
                &engineer,
                &format!("/v1/scorecards?from={from}&until={until}"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{all}");
        let contoso = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["partnerName"] == "Contoso")
            .unwrap();
        assert_eq!(numbers(contoso), numbers(&card));
        assert_eq!(
            s.get(&admin, "/v1/scorecards").await.0,
            StatusCode::FORBIDDEN
        );
        let (status, bad) = s
            .get(
                &engineer,
                &format!("/v1/scorecards?from={until}&until={from}"),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(bad["data"][0]["field"], "from");
        s
    })
    .await;
}
