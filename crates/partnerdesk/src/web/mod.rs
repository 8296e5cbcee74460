//! The web console: server-rendered pages over the same use cases as the API, in English,
//! Simplified Chinese and Russian, usable without JavaScript.

mod articles;
mod assets;
mod audit_log;
mod catalogue_admin;
mod charts;
mod customer_records;
mod customers;
mod dashboard;
mod escalation_forms;
mod form_with_files;
mod health;
mod incident_publishing;
mod language;
mod new_request;
mod page;
mod partner_request;
mod partners_admin;
mod plans;
mod request_files;
mod request_form;
mod request_list;
mod request_page;
mod scorecards;
mod settings;
mod sign_in;
mod sla_policy;
mod visitor;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::Uri,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use partnerdesk_app::AppError;

use crate::api::AppState;

pub use visitor::Visitor;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::home))
        .route("/signin", get(sign_in::form).post(sign_in::submit))
        .route("/signout", post(sign_in::sign_out))
        .route("/language", post(language::switch))
        .route("/requests", get(request_list::page))
        .route(
            "/requests/{id}",
            get(request_page::page).post(request_page::change),
        )
        .route("/requests/{id}/submitted", get(new_request::submitted))
        // Contacts, review, dispute, decision.
        .route("/requests/{id}/{step}", post(escalation_forms::submit_step))
        .route(
            "/requests/{id}/files",
            post(request_files::upload).layer(upload_limit()),
        )
        .route("/requests/{id}/files/{file}", get(request_files::download))
        .route("/partner-requests", get(request_list::partner_requests))
        .route("/queue", get(request_list::queue))
        .route("/audit", get(audit_log::page))
        .route("/plans", get(plans::list))
        .route("/plans/{id}", get(plans::page))
        .route("/plans/{id}/{step}", post(plans::submit_step))
        .route("/scorecards", get(scorecards::list))
        .route("/scorecards/{partner}", get(scorecards::card))
        .route("/queue/{id}/take", post(request_list::take))
        .route(
            "/partner-requests/new",
            get(partner_request::form)
                .post(partner_request::submit)
                .layer(upload_limit()),
        )
        .route("/settings", get(settings::page))
        .route("/settings/profile", post(settings::save_profile))
        .route("/settings/users", post(settings::add_user))
        .route("/settings/users/{id}", post(settings::change_user))
        .route("/settings/tokens", post(settings::create_token))
        .route("/settings/tokens/{id}/revoke", post(settings::revoke_token))
        .route("/health", get(health::list))
        .route(
            "/health/new",
            get(incident_publishing::new_form).post(incident_publishing::publish),
        )
        .route("/health/{id}", get(health::incident))
        .route(
            "/health/{id}/updates",
            post(incident_publishing::post_update),
        )
        .route("/customers", get(customers::search))
        .route(
            "/customers/new",
            get(customer_records::new_form).post(customer_records::create),
        )
        .route("/customers/{customer}", get(customers::page))
        .route(
            "/customers/{customer}/record",
            post(customer_records::change_record),
        )
        .route(
            "/customers/{customer}/services",
            post(customer_records::add_service),
        )
        .route(
            "/customers/{customer}/partners",
            post(customer_records::link_partner),
        )
        .route("/customers/{customer}/new", get(new_request::pick_service))
        .route(
            "/customers/{customer}/new/{service}",
            get(new_request::before_you_submit),
        )
        .route(
            "/customers/{customer}/new/{service}/deflect",
            post(new_request::deflect),
        )
        .route(
            "/customers/{customer}/new/{service}/form",
            get(new_request::form)
                .post(new_request::submit)
                .layer(upload_limit()),
        )
        .route(
            "/admin/partners",
            get(partners_admin::list).post(partners_admin::add),
        )
        .route("/admin/partners/{id}/{step}", post(partners_admin::change))
        .route(
            "/admin/services",
            get(catalogue_admin::page).post(catalogue_admin::save_service),
        )
        .route("/admin/services/topics", post(catalogue_admin::save_topic))
        .route(
            "/admin/sla-policy",
            get(sla_policy::page).post(sla_policy::save),
        )
        .route("/articles", get(articles::list))
        .route(
            "/articles/new",
            get(articles::new_form).post(articles::create),
        )
        .route("/articles/{id}", get(articles::page))
        .route(
            "/articles/{id}/edit",
            get(articles::edit_form).post(articles::change),
        )
        .route("/articles/{id}/feedback", post(articles::feedback))
        .route("/assets/{name}", get(assets::serve))
}

/// The body limit of the forms that carry files.
fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(crate::uploads::MAX_UPLOAD_BYTES)
}

/// Whether an unknown address was meant for the console (an HTML 404) rather than the API (a
/// JSON one).
pub fn is_console_path(uri: &Uri) -> bool {
    let path = uri.path();
    ![
        "/v1/",
        "/feeds/",
        "/openapi.json",
        "/metrics",
        "/healthz",
        "/readyz",
    ]
    .iter()
    .any(|prefix| path.starts_with(prefix))
}

/// The console's "page not found".
pub async fn not_found(visitor: Visitor) -> Response {
    visitor.fail(AppError::NotFound).into_response()
}
