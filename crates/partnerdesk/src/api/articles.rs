//! Self-help articles (`/v1/articles`).

use std::collections::HashMap;

use axum::{
    extract::{OriginalUri, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use partnerdesk_app::{
    articles::ArticleInput,
    domain::{ArticleStatus, ContentLocale, FieldError},
    store::{Article, ArticleFilter},
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    AppState,
    auth::Caller,
    collection,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    requests::{ListQuery, expected_version},
    shapes::{self, Collection, Date, words},
};

type ApiResult<T> = Result<T, ApiError>;

/// An article to write, or the fields of one to change (unset: unchanged).
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
#[schema(as = ArticleInput)]
pub struct ArticleBody {
    /// Required on creation.
    service_id: Option<String>,
    /// A topic of the service; empty to clear.
    topic_id: Option<String>,
    /// `en`, `zh` or `ru`; required on creation.
    locale: Option<String>,
    title: Option<String>,
    /// Markdown.
    body: Option<String>,
    #[schema(schema_with = shapes::optional_words::<ArticleStatus>)]
    status: Option<String>,
}

/// A reader's answer to "was this helpful?".
#[derive(Deserialize, ToSchema)]
#[schema(as = ArticleFeedback)]
pub struct FeedbackBody {
    helpful: bool,
}

#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Article)]
pub struct ArticleShape<'a> {
    id: String,
    service_id: &'a str,
    topic_id: Option<&'a str>,
    #[schema(schema_with = words::<ContentLocale>)]
    locale: ContentLocale,
    title: &'a str,
    /// Markdown, as written.
    body: &'a str,
    /// The body rendered and sanitized.
    body_html: &'a str,
    #[schema(schema_with = words::<ArticleStatus>)]
    status: ArticleStatus,
    helpful_count: i64,
    not_helpful_count: i64,
    last_modified_date: Date,
    attributes: shapes::Attributes,
}

pub(super) fn article_shape(a: &Article) -> ArticleShape<'_> {
    ArticleShape {
        id: a.id.to_string(),
        service_id: &a.fields.service_id,
        topic_id: a.fields.topic_id.as_deref(),
        locale: a.fields.locale,
        title: &a.fields.title,
        body: &a.fields.body,
        body_html: &a.fields.body_html,
        status: a.fields.status,
        helpful_count: a.helpful,
        not_helpful_count: a.not_helpful,
        last_modified_date: Date::from(a.modified_at),
        attributes: shapes::Attributes::versioned("Article", a.id, a.version),
    }
}

fn respond(article: &Article, status: StatusCode) -> Response {
    shapes::with_etag(status, article_shape(article), article.id, article.version)
}

fn input_of(body: ArticleBody) -> ArticleInput {
    ArticleInput {
        service_id: body.service_id,
        topic_id: body.topic_id,
        locale: body.locale,
        title: body.title,
        body: body.body,
        status: body.status,
    }
}

/// Search and paging of the article list (names in any letter case).
#[derive(IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[allow(dead_code)]
pub struct ArticleListParams {
    /// Words that must all appear in the title or body (any script).
    q: Option<String>,
    service_id: Option<String>,
    /// `en`, `zh` or `ru`.
    locale: Option<String>,
    offset: Option<i64>,
    /// 1 to 500; 25 if not given.
    size: Option<i64>,
}

fn filter_of(q: &ListQuery) -> Result<ArticleFilter, FieldError> {
    Ok(ArticleFilter {
        service_id: q.get("serviceid").map(str::to_string),
        locale: q
            .get("locale")
            .map(|tag| {
                ContentLocale::from_tag(tag).ok_or(FieldError::invalid("locale", "en, zh or ru"))
            })
            .transpose()?,
        published_only: false,
        text: q
            .get("q")
            .map(|q| q.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

#[utoipa::path(get, path = "/articles", tag = "self-help",
    summary = "Search self-help articles (readers: published ones), the most helpful first",
    params(ArticleListParams),
    responses((status = 200, body = Collection<ArticleShape>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let run = async {
        let q = ListQuery::new(raw);
        let filter = filter_of(&q)?;
        let paging = collection::offset_paging(&q)?;
        let page = state
            .app
            .articles(&caller.actor, filter, paging.offset, paging.size)
            .await?;
        Ok(collection::offset_page(&uri, &paging, &page, article_shape))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(post, path = "/articles", tag = "self-help",
    summary = "Write an article (operator admins, support leads, health managers)",
    request_body = ArticleBody,
    responses((status = 201, body = ArticleShape, headers(("ETag" = String))), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn write(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ArticleBody>,
) -> ApiResult<Response> {
    let article = state
        .app
        .write_article(&caller.actor, &input_of(body))
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(respond(&article, StatusCode::CREATED))
}

#[utoipa::path(get, path = "/articles/{id}", tag = "self-help", summary = "One article",
    params(("id" = String, Path)),
    responses((status = 200, body = ArticleShape, headers(("ETag" = String))), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let article = state
        .app
        .article(&caller.actor, &id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(respond(&article, StatusCode::OK))
}

#[utoipa::path(patch, path = "/articles/{id}", tag = "self-help", summary = "Change or publish an article",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The ETag read; a stale one is a 412")),
    request_body = ArticleBody,
    responses((status = 200, body = ArticleShape, headers(("ETag" = String))), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 412, body = ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ArticleBody>,
) -> ApiResult<Response> {
    let run = async {
        let article = state
            .app
            .change_article(
                &caller.actor,
                &id,
                &input_of(body),
                expected_version(&headers)?,
            )
            .await?;
        Ok(respond(&article, StatusCode::OK))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(post, path = "/articles/{id}/feedback", tag = "self-help", summary = "Say whether an article helped",
    params(("id" = String, Path)),
    request_body = FeedbackBody,
    responses((status = 200, body = ArticleShape), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn feedback(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FeedbackBody>,
) -> ApiResult<Response> {
    let article = state
        .app
        .rate_article(&caller.actor, &id, body.helpful)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(respond(&article, StatusCode::OK))
}
