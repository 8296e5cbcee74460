//! A real server on a free port over a fresh database (each engine in turn), with the demo world
//! seeded at a fixed time, and an HTTP client that speaks to it.

#![allow(dead_code)]

pub mod browser;

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex},
};

use jiff::Timestamp;
use partnerdesk::server;
use partnerdesk_app::{
    FixedClock, demo,
    store::{ConnectOptions, Engine, SqliteSync, testing},
};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub struct TestServer {
    pub base: String,
    pub engine: Engine,
    pub clock: Arc<FixedClock>,
    pub running: server::Running,
    pub http: reqwest::Client,
    /// Every (method, path) called through `call`, for coverage checks.
    pub called: Arc<Mutex<BTreeSet<(String, String)>>>,
}

pub fn start_time() -> Timestamp {
    "2026-11-02T08:00:00Z".parse().unwrap()
}

impl TestServer {
    pub async fn start(engine: Engine) -> TestServer {
        Self::start_with(engine, |app| app).await
    }

    /// A server whose app is first adjusted by `configure` (limits, say).
    pub async fn start_with(
        engine: Engine,
        configure: impl FnOnce(partnerdesk_app::App) -> partnerdesk_app::App,
    ) -> TestServer {
        let url = testing::fresh_database_url(engine)
            .await
            .expect("test database");
        let mut options = ConnectOptions::new(url);
        options.connections = 4;
        options.sqlite_sync = SqliteSync::Normal;
        let clock = Arc::new(FixedClock::new(start_time()));
        let app = server::open_app(&options, &testing::fresh_files_dir(), clock.clone())
            .await
            .expect("open");
        demo::seed(&app).await.expect("seed");
        let app = configure(app);
        let running = server::start(app, "127.0.0.1:0", false)
            .await
            .expect("start");
        TestServer {
            base: format!("http://{}", running.addr),
            engine,
            clock,
            running,
            http: reqwest::Client::new(),
            called: Arc::default(),
        }
    }

    /// A fresh API token for a demo user.
    pub async fn token(&self, email: &str) -> String {
        self.running
            .app
            .create_token_for_email(email, "test")
            .await
            .expect("token")
            .secret
    }

    pub async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.called.lock().unwrap().insert((
            method.to_string(),
            path.split('?').next().unwrap_or(path).to_string(),
        ));
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("send");
        let status = response.status();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.call(token, Method::GET, path, None).await
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(token, Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(token, Method::PATCH, path, Some(body)).await
    }

    /// Posts files as `multipart/form-data` (name, media type, bytes), each in a `file` part.
    pub async fn upload(
        &self,
        token: &str,
        path: &str,
        files: &[(&str, &str, &[u8])],
    ) -> (StatusCode, Value) {
        self.upload_with(token, path, &[], files).await
    }

    /// Posts text fields, then files, as `multipart/form-data`.
    pub async fn upload_with(
        &self,
        token: &str,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> (StatusCode, Value) {
        self.called
            .lock()
            .unwrap()
            .insert(("POST".into(), path.to_string()));
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        let form = with_files(form, files);
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("send");
        let status = response.status();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn stop(self) {
        self.running.shutdown().await.expect("shutdown");
    }
}

/// Runs `test` against a fresh server on every configured engine.
pub async fn on_every_engine<F, Fut>(test: F)
where
    F: Fn(TestServer) -> Fut,
    Fut: std::future::Future<Output = TestServer>,
{
    for engine in testing::engines() {
        let server = TestServer::start(engine).await;
        let server = test(server).await;
        server.stop().await;
    }
}

/// The demo customer that Contoso serves and admin@customer1.example administers.
pub fn customer1() -> String {
    partnerdesk_app::domain::Guid::from_name("demo:北京云海科技有限公司").to_string()
}

/// A customer served by Tailspin, not Contoso.
pub fn tailspin_customer() -> String {
    partnerdesk_app::domain::Guid::from_name("demo:武汉长江电子有限公司").to_string()
}

/// The fields a 400 names, in order.
pub fn refused_fields(body: &Value) -> Vec<&str> {
    body["data"]
        .as_array()
        .map(|items| items.iter().filter_map(|f| f["field"].as_str()).collect())
        .unwrap_or_default()
}

/// Whether a collection of audit events (a request's history, the audit log) holds `action`.
pub fn has_action(events: &Value, action: &str) -> bool {
    events["items"]
        .as_array()
        .is_some_and(|items| items.iter().any(|e| e["action"] == action))
}

pub fn minimal_request(title: &str) -> Value {
    serde_json::json!({
        "title": title,
        "description": "Users cannot send mail since 08:00.",
        "severity": "moderate",
        "supportTopicId": "office365-mail-flow",
    })
}

/// The operations of the OpenAPI document under `/v1` that no call in `called` reached, as
/// `METHOD /path/{template}`.
pub fn uncovered_operations(called: &BTreeSet<(String, String)>) -> Vec<String> {
    let document: Value =
        serde_json::from_str(&partnerdesk::api::openapi_document()).expect("document");
    let matches = |template: &str, path: &str| {
        let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
        t.len() == p.len()
            && t.iter()
                .zip(&p)
                .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
    };
    let mut missing = vec![];
    for (template, item) in document["paths"].as_object().expect("paths") {
        if !template.starts_with("/v1/") {
            continue;
        }
        for method in item.as_object().expect("operations").keys() {
            let method = method.to_uppercase();
            if !called
                .iter()
                .any(|(m, path)| *m == method && matches(template, path))
            {
                missing.push(format!("{method} {template}"));
            }
        }
    }
    missing
}

/// A browser-like HTTP client of the console: keeps cookies, does not follow redirects (tests
/// look at them), and sends each form with the token of the page it came from.
pub struct Console {
    pub base: String,
    pub http: reqwest::Client,
    /// The `_csrf` of the last page read.
    pub form_token: String,
}

pub struct PageResponse {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl TestServer {
    /// A console client, signed in as `email` (demo password) unless `None`.
    pub async fn console(&self, email: Option<&str>) -> Console {
        self.console_in(email, None).await
    }

    /// The same, with the browser asking for `accept_language`.
    pub async fn console_in(&self, email: Option<&str>, accept_language: Option<&str>) -> Console {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(lang) = accept_language {
            headers.insert("accept-language", lang.parse().unwrap());
        }
        let mut console = Console {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(headers)
                .build()
                .unwrap(),
            form_token: String::new(),
        };
        if let Some(email) = email {
            console.get("/signin").await;
            let signed = console
                .post(
                    "/signin",
                    &[("email", email), ("password", "demo-password")],
                )
                .await;
            assert_eq!(signed.status, StatusCode::SEE_OTHER, "sign in as {email}");
        }
        console
    }
}

impl Console {
    pub async fn get(&mut self, path: &str) -> PageResponse {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("get");
        self.read(response).await
    }

    /// Posts a form with the current page's token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> PageResponse {
        let mut fields = fields.to_vec();
        let token = self.form_token.clone();
        fields.push(("_csrf", &token));
        self.post_raw(path, &fields).await
    }

    /// Posts a form with files as `multipart/form-data` (the page's token added): text fields
    /// first, then each file (name, bytes) in a `file` part, as a browser sends them.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> PageResponse {
        let mut form = reqwest::multipart::Form::new().text("_csrf", self.form_token.clone());
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        let files: Vec<_> = files
            .iter()
            .map(|(name, bytes)| (*name, "application/octet-stream", *bytes))
            .collect();
        let form = with_files(form, &files);
        let request = self.http.post(format!("{}{path}", self.base));
        self.send(request.multipart(form)).await
    }

    /// Posts exactly these fields (no token unless given).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> PageResponse {
        let request = self.http.post(format!("{}{path}", self.base));
        self.send(request.form(fields)).await
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> PageResponse {
        let response = request.send().await.expect("send");
        self.read(response).await
    }

    async fn read(&mut self, response: reqwest::Response) -> PageResponse {
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        let body = response.text().await.expect("body");
        if let Some(token) = body
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        {
            self.form_token = token.to_string();
        }
        PageResponse {
            status,
            location,
            body,
        }
    }
}

/// Adds each file (name, media type, bytes) in a `file` part, as a browser sends a file input.
fn with_files(
    mut form: reqwest::multipart::Form,
    files: &[(&str, &str, &[u8])],
) -> reqwest::multipart::Form {
    for (name, media_type, bytes) in files {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name(name.to_string())
            .mime_str(media_type)
            .expect("media type");
        form = form.part("file", part);
    }
    form
}
