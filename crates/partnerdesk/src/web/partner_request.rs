//! A partner's own request to the operator (a problem with the platform, billing or its
//! account): the same form, its topics from every service, filed by those who may.

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    response::Response,
};
use partnerdesk_app::{AppError, policy};

use super::{
    form_with_files::FormWithFiles,
    page::{OnPage, PageError, Section},
    request_form::{self, FormContext, RequestForm},
    visitor::Visitor,
};
use crate::api::AppState;

async fn form_context(state: &AppState, visitor: &Visitor) -> Result<FormContext, PageError> {
    let actor = visitor.actor()?;
    if !policy::may_file_own_requests(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let services = state.app.service_names().await.on_page(visitor)?;
    let topics = state
        .app
        .topics(None)
        .await
        .on_page(visitor)?
        .into_iter()
        .filter(|t| policy::may_file_for_partner(actor, t.category))
        .map(|t| {
            let service = services.get(&t.service_id).cloned();
            (t, service)
        })
        .collect();
    Ok(FormContext {
        crumbs: vec![(
            "/partner-requests".into(),
            visitor.locale.text("partner-requests-title"),
        )],
        action: "/partner-requests/new".into(),
        back: "/partner-requests".into(),
        customer_filing: false,
        topics,
        section: Section::PartnerRequests,
    })
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let context = form_context(&state, &visitor).await?;
    let actor = visitor.actor()?;
    let form = RequestForm::prefilled(&visitor, actor, raw.get("title").cloned());
    Ok(request_form::show(&visitor, &context, form))
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    sent: FormWithFiles<RequestForm>,
) -> Result<Response, PageError> {
    let context = form_context(&state, &visitor).await?;
    let actor = visitor.actor()?;
    let (app, locale) = (&state.app, visitor.locale.tag());
    request_form::submit(&state, &visitor, &context, sent, async |input| {
        app.create_partner_request(actor, locale, &input).await
    })
    .await
}
