//! Self-help articles in the console: the list (search, service, language; writers see drafts
//! too), an article's page with "was this helpful?", and for writers the form that writes or
//! changes one (Markdown, shown sanitized). A refused form comes back as typed.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use partnerdesk_app::{
    AppError,
    articles::ArticleInput,
    domain::{ArticleStatus, ContentLocale, EnumText},
    policy,
    store::{Article, ArticleFilter},
};
use serde::Deserialize;

use super::{
    page::{
        Choices, Frame, OnPage, PageError, Section, check_form_token, choices, content_languages,
        field_messages,
    },
    visitor::Visitor,
};
use crate::api::AppState;

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "web/articles.html")]
struct ListPage {
    frame: Frame,
    q: String,
    service_id: String,
    locale: String,
    services: Vec<(String, String)>,
    languages: Choices,
    /// (article, service name, published)
    articles: Vec<(Article, String, bool)>,
    summary: String,
    may_write: bool,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let app = &state.app;
    let typed = |k: &str| raw.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let (q, service_id, locale) = (typed("q"), typed("serviceId"), typed("locale"));
    let filter = ArticleFilter {
        service_id: Some(service_id.clone()).filter(|s| !s.is_empty()),
        locale: ContentLocale::from_tag(&locale),
        published_only: false,
        text: q.split_whitespace().map(str::to_string).collect(),
    };
    let found = app
        .articles(actor, filter, 0, PAGE_SIZE)
        .await
        .on_page(&visitor)?;
    let names = app.service_names().await.on_page(&visitor)?;
    let page = ListPage {
        frame: visitor.frame("articles-title", Section::Articles),
        summary: visitor
            .locale
            .text_with("articles-found", &[("total", found.total.into())]),
        services: app
            .services()
            .await
            .on_page(&visitor)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        languages: content_languages(&visitor),
        articles: found
            .items
            .into_iter()
            .map(|a| {
                let name = names.get(&a.fields.service_id).cloned().unwrap_or_default();
                let published = a.fields.status == ArticleStatus::Published;
                (a, name, published)
            })
            .collect(),
        may_write: policy::may_write_articles(actor),
        q,
        service_id,
        locale,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "web/article.html")]
struct ArticlePage {
    frame: Frame,
    article: Article,
    service_name: String,
    language: &'static str,
    published: bool,
    may_write: bool,
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let article = state.app.article(actor, &id).await.on_page(&visitor)?;
    let names = state.app.service_names().await.on_page(&visitor)?;
    let page = ArticlePage {
        frame: visitor.frame("articles-title", Section::Articles),
        service_name: names
            .get(&article.fields.service_id)
            .cloned()
            .unwrap_or_default(),
        language: article.fields.locale.as_str(),
        published: article.fields.status == ArticleStatus::Published,
        may_write: policy::may_write_articles(actor),
        article,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    helpful: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn feedback(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<FeedbackForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    let article = state
        .app
        .rate_article(actor, &id, form.helpful == "yes")
        .await
        .on_page(&visitor)?;
    Ok(visitor.redirect(
        &format!("/articles/{}", article.id),
        Some("flash-article-rated"),
    ))
}

#[derive(Deserialize, Default)]
pub struct ArticleForm {
    #[serde(default)]
    service_id: String,
    #[serde(default)]
    topic_id: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    status: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

#[derive(Template)]
#[template(path = "web/article_form.html")]
struct FormPage {
    frame: Frame,
    /// The article changed, if not a new one.
    id: Option<i64>,
    form: ArticleForm,
    errors: Vec<String>,
    services: Vec<(String, String)>,
    /// (topic id, "service — topic")
    topics: Vec<(String, String)>,
    languages: Choices,
    statuses: Choices,
}

async fn render_form(
    state: &AppState,
    visitor: &Visitor,
    id: Option<i64>,
    form: ArticleForm,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    if !policy::may_write_articles(actor) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let app = &state.app;
    let names = app.service_names().await.on_page(visitor)?;
    let page = FormPage {
        frame: visitor.frame(
            if id.is_some() {
                "articles-edit"
            } else {
                "articles-write"
            },
            Section::Articles,
        ),
        services: app
            .services()
            .await
            .on_page(visitor)?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
        topics: app
            .topics(None)
            .await
            .on_page(visitor)?
            .into_iter()
            .map(|t| {
                let service = names.get(&t.service_id).cloned().unwrap_or_default();
                (t.id, format!("{service} — {}", t.name))
            })
            .collect(),
        languages: content_languages(visitor),
        statuses: choices::<ArticleStatus>(visitor, "articles-status-"),
        id,
        form,
        errors,
    };
    Ok(visitor.render_form(!page.errors.is_empty(), &page))
}

fn input_of(form: &ArticleForm) -> ArticleInput {
    ArticleInput {
        service_id: Some(form.service_id.clone()),
        topic_id: Some(form.topic_id.clone()),
        locale: Some(form.locale.clone()),
        title: Some(form.title.clone()),
        body: Some(form.body.clone()),
        status: Some(form.status.clone()),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let form = ArticleForm {
        locale: ContentLocale::from_tag(visitor.locale.tag())
            .unwrap_or(ContentLocale::En)
            .as_str()
            .to_string(),
        status: "draft".into(),
        ..ArticleForm::default()
    };
    render_form(&state, &visitor, None, form, vec![]).await
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<ArticleForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    match state.app.write_article(actor, &input_of(&form)).await {
        Ok(article) => Ok(visitor.redirect(
            &format!("/articles/{}", article.id),
            Some("flash-article-saved"),
        )),
        Err(e) => {
            let errors = field_messages(&visitor, e)?;
            render_form(&state, &visitor, None, form, errors).await
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let article = state.app.article(actor, &id).await.on_page(&visitor)?;
    let f = &article.fields;
    let form = ArticleForm {
        service_id: f.service_id.clone(),
        topic_id: f.topic_id.clone().unwrap_or_default(),
        locale: f.locale.as_str().to_string(),
        title: f.title.clone(),
        body: f.body.clone(),
        status: f.status.as_str().to_string(),
        csrf: String::new(),
    };
    render_form(&state, &visitor, Some(article.id), form, vec![]).await
}

pub async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ArticleForm>,
) -> Result<Response, PageError> {
    check_form_token(&visitor, &form.csrf)?;
    let actor = visitor.actor()?;
    match state
        .app
        .change_article(actor, &id, &input_of(&form), None)
        .await
    {
        Ok(article) => Ok(visitor.redirect(
            &format!("/articles/{}", article.id),
            Some("flash-article-saved"),
        )),
        Err(e) => {
            let errors = field_messages(&visitor, e)?;
            let id = id.parse().ok();
            render_form(&state, &visitor, id, form, errors).await
        }
    }
}
