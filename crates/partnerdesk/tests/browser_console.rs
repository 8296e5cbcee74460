//! The console in a real browser (headless Chromium), on every engine: signing in in each
//! language, the requests list at desktop and phone widths, a sales agent refused. Screenshots
//! go to `target/screenshots` (or `PARTNERDESK_SCREENSHOTS`) for review.

mod common;

use common::{browser::Driver, on_every_engine};

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
                browser
                    .click(&format!("#language-choice option[value='{tag}']"))
                    .await;
                browser.find(&format!("html[lang='{tag}']")).await;
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
            let browser = driver.browser(1440).await;
            browser.open(&server.base).await;
            browser.sign_in("sales@contoso.example").await;
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
