//! The OpenAPI 3.1 document, collected from the handlers' `#[utoipa::path]` annotations as the
//! router is built, so a route cannot exist without its documentation.

use std::sync::LazyLock;

use serde_json::Value;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    AppState, articles, audit, catalogue, customer_records, deflections, feeds, files, health,
    incidents, operator, organizations, remediation, requests, reviews, scorecards, self_help,
    sessions, sla_policies,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "partnerdesk",
        description = "The support-escalation desk of a cloud operator that sells through partners. \
            Partner Center v1 in shape: field names match in any letter case, enums are snake_case \
            strings (legacy integers accepted), dates RFC 3339 UTC, errors `{code, description, data, source}`.",
    ),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
)]
struct Document;

/// API tokens (`pd_…`) as bearer tokens, or the session cookie with `X-CSRF-Token`.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::cookies::SESSION,
                "From POST /v1/session; unsafe methods also need X-CSRF-Token",
            ))),
        );
    }
}

/// Every documented route; the router and the document both come from here.
pub fn routes() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(organizations::me))
        .routes(routes!(sessions::sign_in, sessions::sign_out))
        .routes(routes!(
            organizations::partners,
            organizations::create_partner
        ))
        .routes(routes!(
            organizations::partner,
            organizations::update_partner
        ))
        .routes(routes!(
            organizations::support_profile,
            organizations::put_support_profile
        ))
        .routes(routes!(organizations::customers, customer_records::create))
        .routes(routes!(organizations::customer, customer_records::change))
        .routes(routes!(
            organizations::managed_services,
            customer_records::add_service
        ))
        .routes(routes!(
            customer_records::relationships,
            customer_records::link
        ))
        .routes(routes!(requests::list_customer_requests))
        .routes(routes!(
            requests::create_customer_request,
            requests::get_customer_request,
            requests::patch_customer_request
        ))
        .routes(routes!(organizations::topics))
        .routes(routes!(catalogue::list))
        .routes(routes!(catalogue::put_service))
        .routes(routes!(catalogue::put_topic))
        .routes(routes!(requests::list_requests))
        .routes(routes!(
            requests::get_request,
            requests::patch_request,
            requests::create_partner_request
        ))
        .routes(routes!(requests::escalate))
        .routes(routes!(requests::history))
        .merge(files::routes())
        .routes(routes!(requests::list_queue))
        .routes(routes!(operator::assign))
        .routes(routes!(operator::resolve))
        .routes(routes!(operator::merge))
        .routes(routes!(operator::log_contact))
        .routes(routes!(operator::contacts))
        .routes(routes!(reviews::review))
        .routes(routes!(reviews::dispute))
        .routes(routes!(reviews::decide))
        .routes(routes!(scorecards::scorecard))
        .routes(routes!(scorecards::scorecards))
        .routes(routes!(remediation::list, remediation::open))
        .routes(routes!(remediation::get, remediation::change))
        .routes(routes!(remediation::add_action))
        .routes(routes!(remediation::set_done))
        .routes(routes!(remediation::acknowledge))
        .routes(routes!(sla_policies::list))
        .routes(routes!(audit::list))
        .routes(routes!(audit::export))
        .routes(routes!(sla_policies::get, sla_policies::put))
        .routes(routes!(incidents::list, incidents::publish))
        .routes(routes!(incidents::get, incidents::change))
        .routes(routes!(incidents::post_update))
        .routes(routes!(incidents::list_for_customer))
        .routes(routes!(articles::list, articles::write))
        .routes(routes!(articles::get, articles::change))
        .routes(routes!(articles::feedback))
        .routes(routes!(self_help::self_help))
        .routes(routes!(deflections::record))
        .routes(routes!(deflections::list))
        .routes(routes!(deflections::counts))
        .routes(routes!(feeds::create_token))
        .routes(routes!(feeds::revoke_token));
    OpenApiRouter::with_openapi(Document::openapi())
        .nest("/v1", v1)
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::metrics))
        .routes(routes!(feeds::atom))
}

static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    let (_, mut document) = routes().split_for_parts();
    document.info.version = env!("CARGO_PKG_VERSION").to_string();
    serde_json::to_value(&document).expect("the OpenAPI document serializes")
});

/// The document as JSON (built once).
pub fn document_json() -> Value {
    DOCUMENT.clone()
}

/// The document, pretty-printed with a final newline (as served and as snapshotted).
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&*DOCUMENT).expect("serializes");
    text.push('\n');
    text
}
