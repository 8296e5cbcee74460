//! The operator's publishing pages over HTTP, on every engine: the SLA policy form, service
//! notices and their timeline, and self-help articles — each refusing bad input by field with
//! what was typed kept, and each shown only to those who may use it.

mod common;

use common::{TestServer, on_every_engine};
use reqwest::StatusCode;

#[tokio::test]
async fn the_sla_policy_form_changes_the_policy_and_keeps_a_refused_one() {
    on_every_engine(|s: TestServer| async move {
        let mut admin = s.console(Some("admin@operator.example")).await;
        let page = admin.get("/admin/sla-policy").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("value=\"Asia/Shanghai\""),
            "{}",
            page.body
        );
        assert!(page.body.contains("id=\"save-policy\""));

        let mut fields = vec![
            ("time_zone", "Mars/Olympus"),
            ("critical_minutes", "90"),
            ("moderate_minutes", "240"),
            ("minimal_minutes", "480"),
            ("critical_around_the_clock", "1"),
            ("standard_from", "25:00"),
            ("standard_until", "24:00"),
            ("billing_from", "09:00"),
            ("billing_until", "18:00"),
            ("billing_holidays", "2026-10-01"),
        ];
        for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            fields.push(("standard_days", day));
        }
        for day in ["mon", "tue", "wed", "thu", "fri"] {
            fields.push(("billing_days", day));
        }
        let refused = admin.post("/admin/sla-policy", &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("id=\"policy-errors\""));
        assert!(refused.body.contains("value=\"Mars/Olympus\""), "kept");
        assert!(refused.body.contains("value=\"25:00\""), "kept");

        fields[0] = ("time_zone", "Asia/Shanghai");
        fields[5] = ("standard_from", "09:00");
        let saved = admin.post("/admin/sla-policy", &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let token = s.token("admin@operator.example").await;
        let (_, policy) = s.get(&token, "/v1/operator/slapolicies/default").await;
        assert_eq!(policy["firstResponseMinutes"]["critical"], 90, "{policy}");
        assert_eq!(policy["billingHours"]["holidays"][0], "2026-10-01");

        // A lead reads it; a partner does not.
        let mut lead = s.console(Some("lead@operator.example")).await;
        let page = lead.get("/admin/sla-policy").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("id=\"save-policy\""));
        assert_eq!(
            lead.post("/admin/sla-policy", &fields).await.status,
            StatusCode::FORBIDDEN
        );
        let mut partner = s.console(Some("admin@contoso.example")).await;
        assert_eq!(
            partner.get("/admin/sla-policy").await.status,
            StatusCode::FORBIDDEN
        );
        s
    })
    .await;
}

#[tokio::test]
async fn a_health_manager_publishes_a_notice_and_its_timeline() {
    on_every_engine(|s: TestServer| async move {
        let mut health = s.console(Some("health@operator.example")).await;
        assert!(
            health
                .get("/health")
                .await
                .body
                .contains("href=\"/health/new\"")
        );
        health.get("/health/new").await;
        let refused = health
            .post(
                "/health/new",
                &[
                    ("kind", "incident"),
                    ("severity", "warning"),
                    ("status", "investigating"),
                    ("title_zh", "邮件延迟"),
                    ("impact_zh", ""),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("id=\"incident-errors\""));
        assert!(refused.body.contains("value=\"邮件延迟\""), "kept");

        let published = health
            .post(
                "/health/new",
                &[
                    ("kind", "incident"),
                    ("severity", "critical"),
                    ("status", "investigating"),
                    ("service_ids", "office365"),
                    ("title_zh", "邮件延迟"),
                    ("impact_zh", "部分用户收不到邮件。"),
                    ("title_en", "Mail delays"),
                    ("impact_en", "Some users do not receive mail."),
                ],
            )
            .await;
        assert_eq!(
            published.status,
            StatusCode::SEE_OTHER,
            "{}",
            published.body
        );
        let at = published.location.unwrap();
        let page = health.get(&at).await;
        assert!(page.body.contains("Mail delays"), "{}", page.body);
        assert!(page.body.contains("id=\"update-form\""));

        let refused = health
            .post(
                &format!("{at}/updates"),
                &[("status", "nonsense"), ("text_ru", "Исправлено")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("Исправлено"), "kept");
        let posted = health
            .post(
                &format!("{at}/updates"),
                &[("status", "resolved"), ("text_en", "Mail flows again.")],
            )
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER);
        let page = health.get(&at).await;
        assert!(page.body.contains("Mail flows again."));
        assert!(page.body.contains("Resolved"));

        // A partner reads the notice (its customers use the service) but cannot publish.
        let mut agent = s.console(Some("agent@contoso.example")).await;
        let page = agent.get(&at).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("id=\"update-form\""));
        assert_eq!(agent.get("/health/new").await.status, StatusCode::FORBIDDEN);
        s
    })
    .await;
}

#[tokio::test]
async fn articles_are_written_in_the_console_and_read_by_partners() {
    on_every_engine(|s: TestServer| async move {
        let mut writer = s.console(Some("health@operator.example")).await;
        writer.get("/articles/new").await;
        let body = "Check the **MX record** first.\n\n<script>alert(1)</script>";
        let refused = writer
            .post(
                "/articles/new",
                &[
                    ("service_id", "office365"),
                    ("locale", "en"),
                    ("title", ""),
                    ("body", body),
                    ("status", "published"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("MX record"), "kept");
        let saved = writer
            .post(
                "/articles/new",
                &[
                    ("service_id", "office365"),
                    ("locale", "en"),
                    ("title", "Mail bounces after a domain move"),
                    ("body", body),
                    ("status", "draft"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let at = saved.location.unwrap();

        // A draft is the writers' alone.
        let mut agent = s.console(Some("agent@contoso.example")).await;
        assert_eq!(agent.get(&at).await.status, StatusCode::NOT_FOUND);
        writer.get(&format!("{at}/edit")).await;
        let published = writer
            .post(
                &format!("{at}/edit"),
                &[
                    ("service_id", "office365"),
                    ("locale", "en"),
                    ("title", "Mail bounces after a domain move"),
                    ("body", body),
                    ("status", "published"),
                ],
            )
            .await;
        assert_eq!(published.status, StatusCode::SEE_OTHER);

        let list = agent.get("/articles?q=bounces").await;
        assert!(
            list.body.contains(&format!("href=\"{at}\"")),
            "{}",
            list.body
        );
        let page = agent.get(&at).await;
        assert!(
            page.body.contains("<strong>MX record</strong>"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("<script>alert(1)"), "sanitized");
        let rated = agent
            .post(&format!("{at}/feedback"), &[("helpful", "yes")])
            .await;
        assert_eq!(rated.status, StatusCode::SEE_OTHER);
        assert!(agent.get(&at).await.body.contains("Yes (1)"));
        assert_eq!(
            agent.get("/articles/new").await.status,
            StatusCode::FORBIDDEN
        );
        let mut sales = s.console(Some("sales@contoso.example")).await;
        assert_eq!(sales.get("/articles").await.status, StatusCode::FORBIDDEN);
        s
    })
    .await;
}
