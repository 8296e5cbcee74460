//! A real browser for page tests: Debian's headless Chromium driven through chromedriver
//! (WebDriver), with screenshots kept for review.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver, stopped when dropped.
pub struct Driver {
    process: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Driver {
    pub async fn start() -> Driver {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists(),
            "browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        // Owned at once, so that it is stopped (and waited for) on every path.
        let driver = Driver {
            process,
            url: format!("http://127.0.0.1:{port}"),
        };
        // chromedriver is ready when its status endpoint answers.
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if http
                .get(format!("{}/status", driver.url))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("chromedriver did not start");
    }

    /// A fresh browser (no cookies) with a window `width` pixels wide.
    pub async fn browser(&self, width: u32) -> Browser {
        let mut capabilities = serde_json::Map::new();
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                format!("--window-size={width},900"),
            ]
        });
        // A window cannot be narrower than about 500 px: emulate a phone's viewport instead.
        if width < 500 {
            options["mobileEmulation"] =
                json!({ "deviceMetrics": { "width": width, "height": 812, "pixelRatio": 1 } });
        }
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a browser session");
        Browser { client }
    }
}

impl Driver {
    /// A fresh browser at `base`, switched to language `tag`, signed in as `email`.
    pub async fn signed_in(&self, base: &str, tag: &str, email: &str) -> Browser {
        let browser = self.browser(1440).await;
        browser.open(base).await;
        browser.switch_language(tag).await;
        browser.sign_in(email).await;
        browser
    }
}

pub struct Browser {
    pub client: Client,
}

impl Browser {
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("open");
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("type");
    }

    /// Waits until the address contains `fragment` (a live region has been refreshed: the
    /// script writes the query into the address once the new content is in place).
    pub async fn wait_for_address(&self, fragment: &str) {
        for _ in 0..200 {
            if self
                .client
                .current_url()
                .await
                .is_ok_and(|url| url.as_str().contains(fragment))
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the address never contained {fragment}");
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Clicks a button that submits a form and waits for the page that answers it (the same
    /// address, often: the old page is told from the new by a mark only it carries).
    pub async fn submit(&self, css: &str) {
        self.client
            .execute("window.pdOldPage = true;", vec![])
            .await
            .expect("mark the page");
        self.click(css).await;
        for _ in 0..200 {
            let replaced = self
                .client
                .execute(
                    "return window.pdOldPage === undefined && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if replaced.is_ok_and(|v| v == serde_json::Value::Bool(true)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{css} did not lead to a new page");
    }

    /// Picks `tag` in the language switch (the script applies it) and waits for the page in
    /// that language.
    pub async fn switch_language(&self, tag: &str) {
        self.click(&format!("#language-choice option[value='{tag}']"))
            .await;
        self.find(&format!("html[lang='{tag}']")).await;
    }

    /// Signs in through the form of the page now open, and waits for the signed-in page.
    pub async fn sign_in(&self, email: &str) {
        self.fill("#email", email).await;
        self.fill("#password", "demo-password").await;
        self.click("#sign-in").await;
        self.find("#sign-out").await;
    }

    /// Saves a screenshot of the page as `name`.png in the review folder.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// `PARTNERDESK_SCREENSHOTS`, else `target/screenshots` of the workspace.
pub fn screenshot_dir() -> PathBuf {
    std::env::var_os("PARTNERDESK_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
        })
}
