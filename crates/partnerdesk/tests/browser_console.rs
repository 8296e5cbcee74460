//! The console in a real browser (headless Chromium), on every engine: signing in in each
//! language, the requests list at desktop and phone widths, a sales agent refused. Screenshots
//! go to `target/screenshots` (or `PARTNERDESK_SCREENSHOTS`) for review.

mod common;

use common::{browser::Driver, customer1, on_every_engine};

#[tokio::test]
async fn signing_in_in_each_language_shows_the_console_in_it() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let engine = server.engine.name();
            for (tag, welcome, list_title) in [
                ("en-US", "Welcome, Contoso Agent", "Customer requests"),
                ("zh-CN", "欢迎，Contoso Agent", "客户请求"),
                ("ru-RU", "Здравствуйте, Contoso Agent", "Запросы клиентов"),
            ] {
                let browser = driver.browser(1440).await;
                browser.open(&server.base).await;
                // The language switch applies on change (the script; without it, its button).
                browser.switch_language(tag).await;
                browser.screenshot(&format!("{engine}-{tag}-sign-in")).await;
                browser.sign_in("agent@contoso.example").await;
                assert_eq!(browser.text("main h1").await, welcome, "{tag}");
                browser
                    .screenshot(&format!("{engine}-{tag}-dashboard"))
                    .await;
                browser.click("nav.menu a[href='/requests']").await;
                browser
                    .find("nav.menu a[href='/requests'][aria-current='page']")
                    .await;
                assert_eq!(browser.text("main h1").await, list_title, "{tag}");
                assert!(
                    browser
                        .find("table.requests tbody tr")
                        .await
                        .is_displayed()
                        .await
                        .unwrap()
                );
                browser
                    .screenshot(&format!("{engine}-{tag}-requests"))
                    .await;
                browser.close().await;
            }
            server
        }
    })
    .await;
}

#[tokio::test]
async fn the_list_filters_in_the_browser_and_fits_a_phone() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let engine = server.engine.name();
            let browser = driver.browser(375).await;
            browser.open(&format!("{}/requests", server.base)).await;
            // Sent to sign in first, then back to the list.
            browser.sign_in("agent@contoso.example").await;
            browser.find("form.filters").await;
            browser.fill("#q", "邮件").await;
            browser.click("#apply-filters").await;
            // The filtered page (its search field written with the words) has loaded.
            browser.find("#q[value='邮件']").await;
            let summary = browser.text("#summary").await;
            assert!(summary.contains(" of "), "{summary}");
            let titles = browser
                .client
                .find_all(fantoccini::Locator::Css("td.title"))
                .await
                .unwrap();
            assert!(!titles.is_empty());
            for title in titles {
                assert!(title.text().await.unwrap().contains("邮件"));
            }
            // Nothing wider than the phone's screen but the table's own scroll area.
            let overflow: bool = browser
                .client
                .execute(
                    "return document.documentElement.scrollWidth > window.innerWidth",
                    vec![],
                )
                .await
                .unwrap()
                .as_bool()
                .unwrap();
            assert!(!overflow, "the page scrolls sideways at 375 px");
            browser
                .screenshot(&format!("{engine}-en-US-requests-375"))
                .await;
            browser.close().await;
            server
        }
    })
    .await;
}

#[tokio::test]
async fn a_sales_agent_is_refused_the_requests() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let browser = driver
                .signed_in(&server.base, "en-US", "sales@contoso.example")
                .await;
            assert!(
                browser
                    .client
                    .find(fantoccini::Locator::Css("nav.menu a[href='/requests']"))
                    .await
                    .is_err(),
                "no menu entry"
            );
            browser.open(&format!("{}/requests", server.base)).await;
            assert_eq!(browser.text("main h1").await, "Not allowed");
            browser.close().await;
            server
        }
    })
    .await;
}

#[tokio::test]
async fn a_partner_reports_a_problem_on_behalf_of_a_customer_from_search_to_confirmation() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let engine = server.engine.name();
            let browser = driver
                .signed_in(&server.base, "en-US", "agent@contoso.example")
                .await;
            browser.click("nav.menu a[href='/customers']").await;
            // Type-ahead: the results follow the words without pressing Find.
            browser.fill("#customer-q", "云海").await;
            browser.wait_for_address("q=%E4%BA%91%E6%B5%B7").await;
            browser
                .click(&format!(
                    "#customer-results a[href='/customers/{}']",
                    customer1()
                ))
                .await;
            assert_eq!(browser.text("main h1").await, "北京云海科技有限公司");
            // The open incident reaching this customer is on its page.
            assert!(
                browser
                    .text("#health + ul.incidents")
                    .await
                    .contains("Delayed mail delivery")
            );
            browser
                .screenshot(&format!("{engine}-en-US-customer"))
                .await;
            browser.click("#new-request").await;
            browser
                .click(&format!(
                    "a.tile[href='/customers/{}/new/office365']",
                    customer1()
                ))
                .await;
            // Before you submit: the incident at once, articles as the partner types.
            browser.find("[id^='known-incident-']").await;
            assert!(
                browser
                    .find("#open-admin-center")
                    .await
                    .attr("href")
                    .await
                    .unwrap()
                    .unwrap()
                    .contains(&customer1())
            );
            browser.fill("#problem", "outbound mail rejected 550").await;
            browser.wait_for_address("q=outbound+mail").await;
            browser.find("[id^='article-helped-']").await;
            assert!(
                browser
                    .text("#articles-heading + ul.articles")
                    .await
                    .contains("Outbound mail rejected with 550 5.7.1")
            );
            browser
                .screenshot(&format!("{engine}-en-US-before-you-submit"))
                .await;
            browser.click("#submit-a-request").await;
            // The title carries the words typed so far; the contact is the signed-in agent.
            let title = browser.find("#title").await;
            assert_eq!(
                title.prop("value").await.unwrap().as_deref(),
                Some("outbound mail rejected 550")
            );
            assert_eq!(
                browser
                    .find("#contact-email")
                    .await
                    .prop("value")
                    .await
                    .unwrap()
                    .as_deref(),
                Some("agent@contoso.example")
            );
            browser
                .fill(
                    "#description",
                    "Every message to gmail.com bounces since 09:00.",
                )
                .await;
            browser.click("#severity-moderate").await;
            browser
                .click("#supportTopicId option[value='office365-mail-flow']")
                .await;
            browser
                .click("#escalationCriterion option[value='not_as_documented']")
                .await;
            browser
                .fill(
                    "#troubleshooting",
                    "Checked MX and SPF; resent from two mailboxes.",
                )
                .await;
            // The bounce message goes along as an attachment.
            let ndr = std::env::temp_dir().join(format!("ndr-{engine}.eml"));
            std::fs::write(&ndr, "550 5.7.1 Message rejected").unwrap();
            browser
                .find("#file")
                .await
                .send_keys(&ndr.display().to_string())
                .await
                .expect("choose a file");
            browser.screenshot(&format!("{engine}-en-US-form")).await;
            browser.click("#submit-request").await;
            let id = browser.text("#request-id").await;
            browser
                .screenshot(&format!("{engine}-en-US-confirmation"))
                .await;

            let token = server.token("agent@contoso.example").await;
            let (status, request) = server
                .get(&token, &format!("/v1/servicerequests/{id}"))
                .await;
            assert_eq!(status, reqwest::StatusCode::OK);
            assert_eq!(request["title"], "outbound mail rejected 550");
            assert_eq!(request["status"], "open");
            assert_eq!(request["severity"], "moderate");
            assert_eq!(request["primaryContact"]["email"], "agent@contoso.example");
            let (_, files) = server
                .get(&token, &format!("/v1/servicerequests/{id}/files"))
                .await;
            let file = &files["items"][0];
            assert_eq!(
                file["fileNameWithoutExtension"],
                format!("ndr-{engine}"),
                "{files}"
            );
            assert_eq!(
                (file["fileExtension"].as_str(), file["fileSize"].as_i64()),
                (Some(".eml"), Some(26))
            );
            browser.close().await;
            server
        }
    })
    .await;
}

#[tokio::test]
async fn a_failed_submit_keeps_everything_typed_and_names_each_bad_field() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let browser = driver
                .signed_in(&server.base, "en-US", "agent@contoso.example")
                .await;
            browser
                .open(&format!(
                    "{}/customers/{}/new/office365/form",
                    server.base,
                    customer1()
                ))
                .await;
            browser.fill("#title", "OneDrive sync stopped").await;
            browser
                .fill(
                    "#description",
                    "Shared libraries stopped syncing on laptops.",
                )
                .await;
            browser.click("#severity-critical").await;
            // No topic, no criterion, no troubleshooting: all three are required.
            browser.click("#submit-request").await;
            browser.find("#form-errors").await;
            assert!(
                browser
                    .text("#topic-error")
                    .await
                    .contains("supportTopicId")
            );
            assert!(
                browser
                    .text("#criterion-error")
                    .await
                    .contains("escalationCriterion")
            );
            assert!(
                browser
                    .text("#troubleshooting-error")
                    .await
                    .contains("troubleshooting")
            );
            let value = |css: &'static str| {
                let browser = &browser;
                async move { browser.find(css).await.prop("value").await.unwrap() }
            };
            assert_eq!(
                value("#title").await.as_deref(),
                Some("OneDrive sync stopped")
            );
            assert_eq!(
                value("#description").await.as_deref(),
                Some("Shared libraries stopped syncing on laptops.")
            );
            assert_eq!(
                browser
                    .find("#severity-critical")
                    .await
                    .prop("checked")
                    .await
                    .unwrap()
                    .as_deref(),
                Some("true")
            );
            browser
                .screenshot(&format!("{}-en-US-form-errors", server.engine.name()))
                .await;
            // Fixed and sent again: one request, made now.
            browser
                .click("#supportTopicId option[value='office365-sharepoint']")
                .await;
            browser
                .click("#escalationCriterion option[value='bug']")
                .await;
            browser
                .fill("#troubleshooting", "Re-added the accounts.")
                .await;
            browser.click("#submit-request").await;
            browser.find("#request-id").await;
            browser.close().await;
            server
        }
    })
    .await;
}

#[tokio::test]
async fn a_partner_stops_before_submitting_and_the_deflection_is_counted() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let token = server.token("agent@contoso.example").await;
            let count = |body: serde_json::Value| body["totalCount"].as_i64().unwrap();
            let (_, before) = server.get(&token, "/v1/deflections").await;
            let browser = driver
                .signed_in(&server.base, "en-US", "agent@contoso.example")
                .await;
            browser
                .open(&format!(
                    "{}/customers/{}/new/office365",
                    server.base,
                    customer1()
                ))
                .await;
            browser.click("[id^='known-incident-']").await;
            // Back on the customer's page, with the thanks.
            browser.find("p.flash").await;
            assert_eq!(browser.text("main h1").await, "北京云海科技有限公司");
            let (_, after) = server.get(&token, "/v1/deflections").await;
            assert_eq!(count(after.clone()), count(before) + 1);
            assert_eq!(after["items"][0]["reason"], "known_incident");
            assert_eq!(after["items"][0]["serviceId"], "office365");
            browser.close().await;
            server
        }
    })
    .await;
}

#[tokio::test]
async fn a_customers_request_reaches_the_operator_through_its_partner() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let engine = server.engine.name();
            // The customer's admin asks its partner, from its portal.
            let customer = driver
                .signed_in(&server.base, "en-US", "admin@customer1.example")
                .await;
            assert!(customer.text("#partner-support").await.contains("@"));
            customer.screenshot(&format!("{engine}-en-US-portal")).await;
            customer.click("#ask-partner").await;
            customer
                .click(&format!(
                    "a.tile[href='/customers/{}/new/office365/form']",
                    customer1()
                ))
                .await;
            // No escalation details and no contact to fill in: the partner adds those.
            customer.find("#title").await;
            assert!(
                customer
                    .client
                    .find(fantoccini::Locator::Css("#troubleshooting"))
                    .await
                    .is_err()
            );
            customer.fill("#title", "共享邮箱无法打开").await;
            customer
                .fill("#description", "财务部的共享邮箱从今天早上起无法打开。")
                .await;
            customer.click("#severity-moderate").await;
            customer
                .click("#supportTopicId option[value='office365-mail-flow']")
                .await;
            customer.click("#submit-request").await;
            let id = customer.text("#request-id").await;
            customer
                .screenshot(&format!("{engine}-en-US-portal-submitted"))
                .await;
            customer.close().await;

            let browser = driver
                .signed_in(&server.base, "en-US", "agent@contoso.example")
                .await;
            browser
                .open(&format!("{}/requests/{id}", server.base))
                .await;
            assert_eq!(browser.text("#request-state").await, "New");
            browser
                .fill(
                    "#note",
                    "Checked permissions; the mailbox store is unreachable.",
                )
                .await;
            browser.click("#action-escalate").await;
            browser.find("p.flash").await;
            assert_eq!(browser.text("#request-state").await, "Escalated");
            assert!(
                browser
                    .text("ol.notes")
                    .await
                    .contains("the mailbox store is unreachable")
            );
            browser.screenshot(&format!("{engine}-en-US-request")).await;
            browser.close().await;

            // The operator has it, with the history kept.
            let engineer = server.token("engineer@operator.example").await;
            let (_, queue) = server.get(&engineer, "/v1/operator/queue?size=500").await;
            assert!(
                queue["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["id"] == id.as_str())
            );
            let (_, history) = server
                .get(&engineer, &format!("/v1/servicerequests/{id}/history"))
                .await;
            let actions: Vec<&str> = history["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["action"].as_str().unwrap())
                .collect();
            assert!(
                actions.contains(&"created") && actions.contains(&"escalate"),
                "{actions:?}"
            );
            server
        }
    })
    .await;
}

/// Screenshots of the main pages in each language, for review (each page is also checked to
/// be in that language).
#[tokio::test]
async fn the_main_pages_in_each_language() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let engine = server.engine.name();
            let token = server.token("agent@contoso.example").await;
            let (_, listed) = server.get(&token, "/v1/servicerequests?size=1").await;
            let id = listed["items"][0]["id"].as_str().unwrap().to_string();
            let customer = customer1();
            for (tag, heading) in [
                ("en-US", "Before you submit"),
                ("zh-CN", "提交之前"),
                ("ru-RU", "Прежде чем отправить"),
            ] {
                let browser = driver
                    .signed_in(&server.base, tag, "agent@contoso.example")
                    .await;
                let pages = [
                    ("requests", "/requests".to_string()),
                    ("customers", "/customers".to_string()),
                    (
                        "before-you-submit",
                        format!("/customers/{customer}/new/office365?q=%E9%82%AE%E4%BB%B6"),
                    ),
                    ("form", format!("/customers/{customer}/new/office365/form")),
                    ("request", format!("/requests/{id}")),
                    ("health", "/health".to_string()),
                ];
                for (name, path) in pages {
                    browser.open(&format!("{}{path}", server.base)).await;
                    browser.find(&format!("html[lang='{tag}']")).await;
                    if name == "before-you-submit" {
                        assert_eq!(browser.text("main h1").await, heading);
                    }
                    browser
                        .screenshot(&format!("{engine}-{tag}-page-{name}"))
                        .await;
                }
                browser.close().await;
                let portal = driver
                    .signed_in(&server.base, tag, "admin@customer1.example")
                    .await;
                portal.find("#partner-support").await;
                portal
                    .screenshot(&format!("{engine}-{tag}-page-portal"))
                    .await;
                portal.close().await;
            }
            server
        }
    })
    .await;
}

#[tokio::test]
async fn an_engineer_works_a_request_from_the_queue_and_a_review_is_disputed_and_decided() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let engine = server.engine.name();
            let agent_token = server.token("agent@contoso.example").await;
            let mut body = common::minimal_request("zqxqueue Exchange transport stuck");
            body["severity"] = serde_json::json!("critical");
            let (_, created) = server
                .post(
                    &agent_token,
                    &format!("/v1/customers/{}/servicerequests/en-US", customer1()),
                    body,
                )
                .await;
            let id = created["id"].as_str().unwrap().to_string();
            let page = format!("{}/requests/{id}", server.base);

            // The engineer takes it from the queue and calls the partner.
            let engineer = driver
                .signed_in(&server.base, "en-US", "engineer@operator.example")
                .await;
            engineer
                .open(&format!("{}/queue?q=zqxqueue", server.base))
                .await;
            engineer.screenshot(&format!("{engine}-en-US-queue")).await;
            engineer.submit(&format!("#take-{id}")).await;
            engineer
                .click("#contact-channel option[value='phone']")
                .await;
            engineer
                .fill(
                    "#contact-outcome",
                    "Called the partner; collecting the NDRs.",
                )
                .await;
            engineer.submit("#log-contact").await;
            engineer.find("p.flash").await;
            assert!(engineer.text("#request-sla").await.starts_with("answered"));
            // It asks the partner for something.
            engineer.fill("#note", "Please send two NDRs.").await;
            engineer.submit("#action-await_partner").await;
            engineer.find("p.flash").await;
            assert_eq!(engineer.text("#request-state").await, "Awaiting partner");

            // The partner answers in its console.
            let partner = driver
                .signed_in(&server.base, "en-US", "agent@contoso.example")
                .await;
            partner.open(&page).await;
            partner
                .fill("#note", "Two NDRs attached to the mailbox.")
                .await;
            partner.submit("#action-provide_info").await;
            partner.find("p.flash").await;
            assert_eq!(partner.text("#request-state").await, "In progress");

            // The engineer resolves it and judges the escalation.
            engineer.open(&page).await;
            engineer.submit("#action-resolve").await;
            engineer.find("p.flash").await;
            assert_eq!(engineer.text("#request-state").await, "Resolved");
            engineer.click("#verdict-improper").await;
            engineer
                .click("#review-reason option[value='published_incident']")
                .await;
            engineer
                .fill(
                    "#review-comment",
                    "The incident on the health page covered it.",
                )
                .await;
            engineer.submit("#submit-review").await;
            engineer.find("p.flash").await;
            engineer
                .screenshot(&format!("{engine}-en-US-operator-request"))
                .await;
            let tailspin = partnerdesk_app::domain::Guid::from_name("demo:Tailspin Toys");
            engineer
                .open(&format!("{}/scorecards/{tailspin}", server.base))
                .await;
            engineer.find("svg.chart").await;
            engineer
                .screenshot(&format!("{engine}-en-US-scorecard"))
                .await;
            engineer.close().await;

            // The partner disputes once; a lead overturns the verdict.
            partner.open(&page).await;
            assert!(partner.text("#review").await.contains("health page"));
            partner
                .fill(
                    "#dispute-comment",
                    "The incident was published an hour later.",
                )
                .await;
            partner.submit("#submit-dispute").await;
            partner.find("p.flash").await;
            partner.close().await;
            let lead = driver
                .signed_in(&server.base, "en-US", "lead@operator.example")
                .await;
            lead.open(&page).await;
            lead.fill(
                "#decision-comment",
                "Confirmed from the incident's timeline.",
            )
            .await;
            lead.submit("#decision-overturned").await;
            lead.find("p.flash").await;
            assert!(lead.text("#review-decision").await.contains("overturned"));
            lead.close().await;
            server
        }
    })
    .await;
}

#[tokio::test]
async fn a_plan_goes_from_proposal_to_completed_and_the_partner_acknowledges_it() {
    let driver = Driver::start().await;
    on_every_engine(|server| {
        let driver = &driver;
        async move {
            let engine = server.engine.name();
            // The demo world proposed a plan to Tailspin; a lead runs it.
            let lead = driver
                .signed_in(&server.base, "en-US", "lead@operator.example")
                .await;
            lead.open(&format!("{}/plans", server.base)).await;
            lead.click("#plans a").await;
            assert_eq!(lead.text("#plan-status").await, "Proposed");
            let plan = lead.client.current_url().await.unwrap().to_string();
            // Typing into a date-time field depends on the browser's locale: set its value.
            lead.find("#meeting-at").await;
            lead.client
                .execute(
                    "document.querySelector('#meeting-at').value = '2026-11-05T10:00';",
                    vec![],
                )
                .await
                .unwrap();
            lead.fill("#attendees", "Fabrikam lead, Tailspin admin")
                .await;
            lead.submit("#move-meeting_scheduled").await;
            assert_eq!(lead.text("#plan-status").await, "Meeting scheduled");
            assert!(
                lead.text("#plan-meeting")
                    .await
                    .contains("2026-11-05 10:00")
            );
            lead.submit("#move-agreed").await;
            lead.fill("#action-text", "Check service health before escalating")
                .await;
            lead.fill("#action-owner", "Tailspin helpdesk").await;
            lead.submit("#add-action").await;
            assert!(
                lead.text("#plan-actions")
                    .await
                    .contains("Check service health")
            );
            // No work before the partner acknowledges it.
            assert!(
                lead.client
                    .find(fantoccini::Locator::Css("#move-in_progress"))
                    .await
                    .is_err()
            );

            // The partner's global admin sees the same plan, acknowledges it, reports progress.
            let partner = driver
                .signed_in(&server.base, "en-US", "admin@tailspin.example")
                .await;
            partner.open(&plan).await;
            assert!(
                partner
                    .text("#plan-actions")
                    .await
                    .contains("Check service health")
            );
            partner.submit("#acknowledge").await;
            assert!(
                partner
                    .text("#plan-acknowledged")
                    .await
                    .starts_with("Tailspin Admin")
            );
            partner.submit("[id^='tick-']").await;
            assert!(partner.text("#plan-actions").await.contains("✔"));
            partner
                .screenshot(&format!("{engine}-en-US-plan-partner"))
                .await;
            partner.close().await;

            lead.open(&plan).await;
            lead.submit("#move-in_progress").await;
            lead.submit("#move-completed").await;
            assert_eq!(lead.text("#plan-status").await, "Completed");
            lead.screenshot(&format!("{engine}-en-US-plan")).await;
            lead.close().await;
            server
        }
    })
    .await;
}
