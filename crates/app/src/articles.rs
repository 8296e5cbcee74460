//! Self-help articles: the operator writes them per service (and topic) in Markdown; readers
//! get sanitized HTML, search them, and say whether they helped.

use partnerdesk_domain::{
    ArticleStatus, ContentLocale, FieldError, fields, fields::limits, search_terms::stored_terms,
};
use partnerdesk_store::{Article, ArticleFields, ArticleFilter, Page, StoreError};

use crate::{
    Actor, App, AppError, Result, policy,
    validation::{Errors, parse_word},
};

/// An article as submitted; on a change unset fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub service_id: Option<String>,
    pub topic_id: Option<String>,
    pub locale: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub status: Option<String>,
}

/// Markdown to HTML that is safe to show: no scripts, no event handlers, no `javascript:`
/// links, whatever the author wrote.
pub fn render_markdown(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
    ammonia::clean(&html)
}

impl App {
    fn require_article_writer(&self, actor: &Actor) -> Result<()> {
        if policy::may_write_articles(actor) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn write_article(&self, actor: &Actor, input: &ArticleInput) -> Result<Article> {
        self.require_article_writer(actor)?;
        let fields = self.article_fields(None, input).await?;
        let entry = self.audit_entry(
            actor,
            "article",
            "",
            "written",
            serde_json::json!({ "status": fields.status }),
        );
        let id = self
            .store
            .insert_article(&fields, actor.id(), self.now(), &entry)
            .await?;
        Ok(self.store.article(id).await?)
    }

    pub async fn change_article(
        &self,
        actor: &Actor,
        id: &str,
        input: &ArticleInput,
        expected_version: Option<i64>,
    ) -> Result<Article> {
        self.require_article_writer(actor)?;
        let current = self.article(actor, id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(AppError::PreconditionFailed);
        }
        let fields = self.article_fields(Some(&current.fields), input).await?;
        let entry = self.audit_entry(
            actor,
            "article",
            current.id,
            "changed",
            serde_json::json!({ "status": fields.status }),
        );
        self.store
            .save_article(current.id, current.version, &fields, self.now(), &entry)
            .await?;
        Ok(self.store.article(current.id).await?)
    }

    /// One article: published ones for every reader, drafts for writers only.
    pub async fn article(&self, actor: &Actor, id: &str) -> Result<Article> {
        if !policy::may_read_articles(actor) {
            return Err(AppError::Forbidden);
        }
        let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        let article = self.store.article(id).await?;
        if article.fields.status != ArticleStatus::Published && !policy::may_write_articles(actor) {
            return Err(AppError::NotFound);
        }
        Ok(article)
    }

    /// Articles matching `filter` (readers see only published ones), the most helpful first.
    pub async fn articles(
        &self,
        actor: &Actor,
        mut filter: ArticleFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Article>> {
        if !policy::may_read_articles(actor) {
            return Err(AppError::Forbidden);
        }
        if !policy::may_write_articles(actor) {
            filter.published_only = true;
        }
        for term in &filter.text {
            fields::required_text("q", Some(term), limits::SEARCH)?;
        }
        Ok(self.store.list_articles(&filter, offset, limit).await?)
    }

    /// A reader's answer to "was this helpful?".
    pub async fn rate_article(&self, actor: &Actor, id: &str, helpful: bool) -> Result<Article> {
        let article = self.article(actor, id).await?;
        self.store.rate_article(article.id, helpful).await?;
        Ok(self.store.article(article.id).await?)
    }

    async fn article_fields(
        &self,
        current: Option<&ArticleFields>,
        input: &ArticleInput,
    ) -> Result<ArticleFields> {
        let mut errors = Errors::default();
        let text = |value: &Option<String>, fallback: Option<&String>| {
            value.clone().or_else(|| fallback.cloned())
        };
        let service_id = text(&input.service_id, current.map(|c| &c.service_id));
        let service = match service_id.as_deref().map(str::trim) {
            None | Some("") => errors.take::<String>(Err(FieldError::required("serviceId"))),
            Some(id) => match self.store.service(id).await {
                Ok(service) => Some(service.id),
                Err(StoreError::NotFound) => {
                    errors.take::<String>(Err(FieldError::invalid("serviceId", "no such service")))
                }
                Err(e) => return Err(e.into()),
            },
        };
        let topic_id = match &input.topic_id {
            Some(id) if id.trim().is_empty() => None,
            Some(id) => Some(id.trim().to_string()),
            None => current.and_then(|c| c.topic_id.clone()),
        };
        if let Some(topic) = &topic_id {
            match self.store.topic(topic).await {
                Ok(t) if Some(&t.service_id) == service.as_ref() || service.is_none() => {}
                Ok(_) | Err(StoreError::NotFound) => {
                    errors.take::<()>(Err(FieldError::invalid(
                        "topicId",
                        "not a topic of this service",
                    )));
                }
                Err(e) => return Err(e.into()),
            }
        }
        let locale = match (&input.locale, current) {
            (Some(tag), _) => errors.take(
                ContentLocale::from_tag(tag).ok_or(FieldError::invalid("locale", "en, zh or ru")),
            ),
            (None, Some(c)) => Some(c.locale),
            (None, None) => errors.take::<ContentLocale>(Err(FieldError::required("locale"))),
        };
        let title = errors.take(fields::required_text(
            "title",
            text(&input.title, current.map(|c| &c.title)).as_deref(),
            limits::TITLE,
        ));
        let body = errors.take(fields::required_text(
            "body",
            text(&input.body, current.map(|c| &c.body)).as_deref(),
            limits::DESCRIPTION,
        ));
        let status = errors
            .take(parse_word::<ArticleStatus>(
                "status",
                input.status.as_deref(),
            ))
            .flatten()
            .or(current.map(|c| c.status))
            .unwrap_or(ArticleStatus::Draft);
        errors.finish()?;
        match (service, locale, title, body) {
            (Some(service_id), Some(locale), Some(title), Some(body)) => Ok(ArticleFields {
                service_id,
                topic_id,
                locale,
                terms: stored_terms(&format!("{title}\n{body}")),
                title,
                body_html: render_markdown(&body),
                body,
                status,
            }),
            _ => Err(AppError::Internal("validation left a field unset".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::render_markdown;

    #[test]
    fn markdown_is_rendered_and_sanitized() {
        let html = render_markdown(
            "# Fix\n\n**Restart** the [gateway](https://example.com).\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<h1>Fix</h1>"), "{html}");
        assert!(html.contains("<strong>Restart</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.com\""), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }
}
