//! Liveness, readiness and Prometheus metrics.

use std::sync::atomic::Ordering;

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};

use super::AppState;

#[utoipa::path(get, path = "/healthz", tag = "health", summary = "Alive", security(()),
    responses((status = 200, body = String, content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers.
#[utoipa::path(get, path = "/readyz", tag = "health", summary = "Ready: the database answers", security(()),
    responses((status = 200, body = String, content_type = "text/plain"), (status = 503, body = String, content_type = "text/plain")))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.app.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Counters in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "health", summary = "Prometheus metrics", security(()),
    responses((status = 200, body = String, content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let m = &state.metrics;
    let body = format!(
        "# HELP partnerdesk_http_requests_total HTTP requests handled, by status class.\n\
         # TYPE partnerdesk_http_requests_total counter\n\
         partnerdesk_http_requests_total{{class=\"2xx\"}} {}\n\
         partnerdesk_http_requests_total{{class=\"3xx\"}} {}\n\
         partnerdesk_http_requests_total{{class=\"4xx\"}} {}\n\
         partnerdesk_http_requests_total{{class=\"5xx\"}} {}\n\
         # HELP partnerdesk_http_request_duration_seconds Time spent handling requests, from the\
          first byte of a request to its response's head.\n\
         # TYPE partnerdesk_http_request_duration_seconds histogram\n\
         {}partnerdesk_http_request_duration_seconds_sum {:.6}\n",
        m.by_class[0].load(Ordering::Relaxed),
        m.by_class[1].load(Ordering::Relaxed),
        m.by_class[2].load(Ordering::Relaxed),
        m.by_class[3].load(Ordering::Relaxed),
        m.duration_histogram(),
        m.micros.load(Ordering::Relaxed) as f64 / 1e6,
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
