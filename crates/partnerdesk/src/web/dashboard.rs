//! `/`: the signed-in user's dashboard (the sign-in page for anyone else).

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use partnerdesk_app::{
    AppError,
    domain::{OrgKind, PublicStatus},
    policy,
    store::{RequestFilter, SupportProfile},
};

use super::{
    page::{Frame, OnPage, PageError, Section},
    request_list::status_tallies,
    sign_in,
    visitor::Visitor,
};
use crate::api::AppState;

#[derive(Template)]
#[template(path = "web/dashboard.html")]
struct DashboardPage {
    frame: Frame,
    welcome: String,
    org_line: String,
    /// (public status, its label, how many), when the user works requests.
    tallies: Vec<(PublicStatus, String, i64)>,
    works_requests: bool,
    /// For a customer's admin: its own page, and its partner's support contacts.
    own_customer: Option<String>,
    partner_support: Option<SupportProfile>,
}

pub async fn home(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let Some(actor) = &visitor.actor else {
        return Ok(sign_in::form_page(&visitor, "/", "", None));
    };
    let locale = visitor.locale;
    let works_requests = policy::request_scope(actor).is_ok();
    let tallies = if works_requests {
        let counts = state
            .app
            .request_state_counts(actor, &RequestFilter::default())
            .await
            .on_page(&visitor)?;
        status_tallies(locale, &counts)
    } else {
        vec![]
    };
    let customer = actor.org_kind() == OrgKind::Customer;
    let partner_support = if customer {
        match state.app.support_profile(actor).await {
            Ok(profile) => Some(profile),
            // A customer without a partner has no profile to show.
            Err(AppError::NotFound) => None,
            Err(e) => return Err(visitor.fail(e)),
        }
    } else {
        None
    };
    let page = DashboardPage {
        own_customer: customer.then(|| actor.org_id().to_string()),
        partner_support,
        frame: visitor.frame("dashboard-title", Section::Dashboard),
        welcome: locale.text_with("dashboard-welcome", &[("name", actor.name().into())]),
        org_line: locale.text_with(
            "dashboard-org",
            &[
                ("org", actor.user.org_name.clone().into()),
                (
                    "role",
                    locale.text(&format!("role-{}", actor.role())).into(),
                ),
            ],
        ),
        tallies,
        works_requests,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}
