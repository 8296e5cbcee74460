//! The REST API of api.md: routes, shared state and the conventions every response follows.

mod articles;
mod audit;
mod auth;
mod catalogue;
mod collection;
mod customer_records;
mod deflections;
mod docs;
mod error;
mod feeds;
mod files;
mod health;
mod incidents;
mod json;
mod openapi;
mod operator;
mod organizations;
mod remediation;
mod requests;
mod reviews;
mod scorecards;
mod self_help;
mod sessions;
mod shapes;
mod sla_policies;

use std::{
    sync::{Arc, atomic::AtomicU64},
    time::{Duration, Instant},
};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request, State},
    http::{HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use partnerdesk_app::{App, AppError};
use std::sync::atomic::Ordering;
use tower_http::{catch_panic::CatchPanicLayer, timeout::TimeoutLayer};

pub use audit::audit_query;
pub use error::ApiError;
pub(crate) use json::parse as json_parse;
pub use openapi::document_text as openapi_document;

/// The upper bounds (ms) of the request-duration histogram's buckets; the last bucket is
/// everything slower.
pub const DURATION_BOUNDS_MS: [f64; 21] = [
    1.0, 2.0, 3.0, 4.0, 5.0, 7.5, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 75.0, 100.0, 150.0,
    250.0, 500.0, 1000.0, 2500.0, 10000.0,
];

#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 4],
    micros: AtomicU64,
    /// Requests per duration bucket (not cumulative; `/metrics` sums them).
    durations: [AtomicU64; DURATION_BOUNDS_MS.len() + 1],
}

impl Metrics {
    fn observe(&self, class: usize, elapsed: Duration) {
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        let micros = elapsed.as_micros() as u64;
        self.micros.fetch_add(micros, Ordering::Relaxed);
        let ms = micros as f64 / 1000.0;
        let bucket = DURATION_BOUNDS_MS
            .iter()
            .position(|bound| ms <= *bound)
            .unwrap_or(DURATION_BOUNDS_MS.len());
        self.durations[bucket].fetch_add(1, Ordering::Relaxed);
    }

    /// The histogram in Prometheus' text format: cumulative counts per upper bound.
    pub fn duration_histogram(&self) -> String {
        let mut out = String::new();
        let mut seen = 0;
        for (i, count) in self.durations.iter().enumerate() {
            seen += count.load(Ordering::Relaxed);
            let le = DURATION_BOUNDS_MS
                .get(i)
                .map(|ms| format!("{}", ms / 1000.0))
                .unwrap_or_else(|| "+Inf".into());
            out.push_str(&format!(
                "partnerdesk_http_request_duration_seconds_bucket{{le=\"{le}\"}} {seen}\n"
            ));
        }
        out.push_str(&format!(
            "partnerdesk_http_request_duration_seconds_count {seen}\n"
        ));
        out
    }
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    pub metrics: Arc<Metrics>,
}

pub fn router(state: AppState) -> Router {
    let (routes, _) = openapi::routes().split_for_parts();
    routes
        // Partner Center's spelling, kept for its clients.
        .route(
            "/v1/servicerequests/support-topics",
            get(organizations::topics),
        )
        .route("/openapi.json", get(docs::openapi_json))
        .route("/docs", get(docs::page))
        .merge(crate::web::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(json::MAX_JSON_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), conventions))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::App(AppError::Internal("panic".into())).into_response()
        }))
        .with_state(state)
}

/// An unknown address: the console's 404 page, or the API's JSON error.
async fn not_found(uri: axum::http::Uri, visitor: crate::web::Visitor) -> Response {
    if crate::web::is_console_path(&uri) {
        crate::web::not_found(visitor).await
    } else {
        ApiError::App(AppError::NotFound).into_response()
    }
}

/// Echoes `MS-CorrelationId`, logs each request with it, and counts it.
async fn conventions(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let correlation = request.headers().get("ms-correlationid").cloned();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let status = response.status();
    if let Some(id) = correlation {
        response
            .headers_mut()
            .insert("ms-correlationid", id.clone());
        tracing::info!(%method, %path, status = status.as_u16(), correlation_id = id.to_str().unwrap_or(""), "request");
    } else {
        tracing::debug!(%method, %path, status = status.as_u16(), "request");
    }
    response.headers_mut().insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    let class = (status.as_u16() / 100).clamp(2, 5) as usize - 2;
    state.metrics.observe(class, started.elapsed());
    response
}
