//! The catalogue in the console (the operator's admin): every service with its admin-center
//! link and support topics, and the forms that add or change one (a row's *Edit* fills them).

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    response::Response,
};
use partnerdesk_app::{
    AppError,
    catalogue::{ServiceInput, TopicInput, URL_PLACEHOLDERS},
    domain::{Category, EnumText},
    policy,
    store::{Service, SupportTopic},
};
use serde::Deserialize;

use super::{
    page::{Frame, OnPage, PageError, Section, check_form_token, field_messages},
    visitor::Visitor,
};
use crate::api::AppState;

#[derive(Template)]
#[template(path = "web/admin_services.html")]
struct CataloguePage {
    frame: Frame,
    services: Vec<(Service, Vec<SupportTopic>)>,
    categories: Vec<(&'static str, String)>,
    placeholders: String,
    service_form: ServiceForm,
    service_errors: Vec<String>,
    topic_form: TopicForm,
    topic_errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct ServiceForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    admin_url_template: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Deserialize, Default)]
pub struct TopicForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Default)]
struct Draft {
    service_form: ServiceForm,
    service_errors: Vec<String>,
    topic_form: TopicForm,
    topic_errors: Vec<String>,
}

async fn render(state: &AppState, visitor: &Visitor, draft: Draft) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    if !policy::may_manage_catalogue(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let app = &state.app;
    let (services, topics) = (
        app.services().await.on_page(visitor)?,
        app.topics(None).await.on_page(visitor)?,
    );
    let page = CataloguePage {
        frame: visitor.frame("catalogue-title", Section::Catalogue),
        services: services
            .into_iter()
            .map(|s| {
                let own = topics
                    .iter()
                    .filter(|t| t.service_id == s.id)
                    .cloned()
                    .collect();
                (s, own)
            })
            .collect(),
        categories: Category::ALL
            .iter()
            .map(|c| (c.as_str(), visitor.locale.text(&format!("category-{c}"))))
            .collect(),
        placeholders: URL_PLACEHOLDERS.join(" "),
        service_form: draft.service_form,
        service_errors: draft.service_errors,
        topic_form: draft.topic_form,
        topic_errors: draft.topic_errors,
    };
    Ok(visitor.render_form(
        !(page.service_errors.is_empty() && page.topic_errors.is_empty()),
        &page,
    ))
}

/// The page; `?service=` or `?topic=` fills a form with that one, to change it.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let app = &state.app;
    let mut draft = Draft::default();
    if let Some(id) = raw.get("service")
        && let Some(s) = app
            .services()
            .await
            .on_page(&visitor)?
            .into_iter()
            .find(|s| &s.id == id)
    {
        draft.service_form = ServiceForm {
            id: s.id,
            name: s.name,
            admin_url_template: s.admin_url_template,
            csrf: String::new(),
        };
    }
    if let Some(id) = raw.get("topic")
        && let Some(t) = app
            .topics(None)
            .await
            .on_page(&visitor)?
            .into_iter()
            .find(|t| &t.id == id)
    {
        draft.topic_form = TopicForm {
            service_id: t.service_id,
            id: t.id,
            name: t.name,
            description: t.description,
            category: t.category.as_str().to_string(),
            csrf: String::new(),
        };
    }
    render(&state, &visitor, draft).await
}

fn given(value: &str) -> Option<String> {
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

pub async fn save_service(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<ServiceForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let input = ServiceInput {
        id: given(&form.id),
        name: given(&form.name),
        admin_url_template: given(&form.admin_url_template),
    };
    match state.app.save_service(actor, &input).await {
        Ok(_) => Ok(visitor.redirect("/admin/services", Some("flash-catalogue-saved"))),
        Err(e) => {
            let draft = Draft {
                service_errors: field_messages(&visitor, e)?,
                service_form: form,
                ..Draft::default()
            };
            render(&state, &visitor, draft).await
        }
    }
}

pub async fn save_topic(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<TopicForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let input = TopicInput {
        id: given(&form.id),
        service_id: given(&form.service_id),
        name: given(&form.name),
        description: given(&form.description),
        category: given(&form.category),
    };
    match state.app.save_topic(actor, &input).await {
        Ok(_) => Ok(visitor.redirect("/admin/services", Some("flash-catalogue-saved"))),
        Err(e) => {
            let draft = Draft {
                topic_errors: field_messages(&visitor, e)?,
                topic_form: form,
                ..Draft::default()
            };
            render(&state, &visitor, draft).await
        }
    }
}
