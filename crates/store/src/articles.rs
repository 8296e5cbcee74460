//! Self-help articles: written per service (and topic) in one language, searched by full text.

use jiff::Timestamp;
use partnerdesk_domain::{ArticleStatus, ContentLocale, Guid};
use sqlx::{AssertSqlSafe, any::AnyRow};

use crate::{
    AuditEntry, Page, Store, StoreError, audit,
    engine::ARTICLES,
    request_query::placeholders,
    rows::{guid, int, micros, opt_text, text, time, word},
};

/// What an author sets.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleFields {
    pub service_id: String,
    pub topic_id: Option<String>,
    pub locale: ContentLocale,
    pub title: String,
    /// Markdown, as written.
    pub body: String,
    /// The Markdown rendered and sanitized, as shown.
    pub body_html: String,
    /// Title and body as space-delimited search terms (`search_terms::stored_terms`).
    pub terms: String,
    pub status: ArticleStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: i64,
    pub fields: ArticleFields,
    pub helpful: i64,
    pub not_helpful: i64,
    pub created_by: Guid,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFilter {
    pub service_id: Option<String>,
    pub locale: Option<ContentLocale>,
    /// Only published articles (readers); all of them for authors.
    pub published_only: bool,
    /// Words that must all appear in the title or body.
    pub text: Vec<String>,
}

const ARTICLE_COLUMNS: &str =
    "a.id, a.service_id, a.topic_id, a.locale, a.title, a.body, a.body_html,
    a.terms, a.status, a.helpful, a.not_helpful, a.created_by, a.created_at, a.modified_at, a.version";

fn article(row: &AnyRow) -> Result<Article, StoreError> {
    Ok(Article {
        id: int(row, "id")?,
        fields: ArticleFields {
            service_id: text(row, "service_id")?,
            topic_id: opt_text(row, "topic_id")?,
            locale: word(row, "locale")?,
            title: text(row, "title")?,
            body: text(row, "body")?,
            body_html: text(row, "body_html")?,
            terms: text(row, "terms")?,
            status: word(row, "status")?,
        },
        helpful: int(row, "helpful")?,
        not_helpful: int(row, "not_helpful")?,
        created_by: guid(row, "created_by")?,
        created_at: time(row, "created_at")?,
        modified_at: time(row, "modified_at")?,
        version: int(row, "version")?,
    })
}

impl Store {
    /// Saves a new article with its first history event (whose `entity_id` is set to the id).
    pub async fn insert_article(
        &self,
        fields: &ArticleFields,
        created_by: Guid,
        at: Timestamp,
        created: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO articles (service_id, topic_id, locale, title, body, body_html, status,
               created_by, created_at, modified_at, version, terms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1, $10) RETURNING id",
        )
        .bind(&fields.service_id)
        .bind(&fields.topic_id)
        .bind(fields.locale.to_string())
        .bind(&fields.title)
        .bind(&fields.body)
        .bind(&fields.body_html)
        .bind(fields.status.to_string())
        .bind(created_by.to_string())
        .bind(micros(at))
        .bind(&fields.terms)
        .fetch_one(&mut *tx)
        .await?;
        index_terms(&mut tx, id, fields).await?;
        audit::record_created(&mut tx, created, id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces an article's fields if nobody changed it since `version` (`Concurrent`
    /// otherwise, `NotFound` if there is no such article).
    pub async fn save_article(
        &self,
        id: i64,
        version: i64,
        fields: &ArticleFields,
        at: Timestamp,
        history: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE articles SET service_id = $3, topic_id = $4, locale = $5, title = $6, body = $7,
               body_html = $8, status = $9, modified_at = $10, terms = $11, version = version + 1
             WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .bind(&fields.service_id)
        .bind(&fields.topic_id)
        .bind(fields.locale.to_string())
        .bind(&fields.title)
        .bind(&fields.body)
        .bind(&fields.body_html)
        .bind(fields.status.to_string())
        .bind(micros(at))
        .bind(&fields.terms)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(match self.article(id).await {
                Ok(_) => StoreError::Concurrent,
                Err(e) => e,
            });
        }
        index_terms(&mut tx, id, fields).await?;
        audit::record(&mut tx, history).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts one reader's answer to "was this helpful?".
    pub async fn rate_article(&self, id: i64, helpful: bool) -> Result<(), StoreError> {
        let column = if helpful { "helpful" } else { "not_helpful" };
        let done = sqlx::query(AssertSqlSafe(format!(
            "UPDATE articles SET {column} = {column} + 1 WHERE id = $1"
        )))
        .bind(id)
        .execute(&self.write)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn article(&self, id: i64) -> Result<Article, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        article(&row)
    }

    /// Articles matching `filter`: the most found helpful first, then the newest.
    pub async fn list_articles(
        &self,
        filter: &ArticleFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Article>, StoreError> {
        let mut conditions: Vec<String> = vec![];
        let mut binds: Vec<String> = vec![];
        let mut param = |value: String| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(service) = &filter.service_id {
            let p = param(service.clone());
            conditions.push(format!("a.service_id = {p}"));
        }
        if let Some(locale) = filter.locale {
            let p = param(locale.to_string());
            conditions.push(format!("a.locale = {p}"));
        }
        if filter.published_only {
            conditions.push("a.status = 'published'".into());
        }
        for term in &filter.text {
            let p = param(self.engine.search_term_value(term));
            conditions.push(self.engine.text_condition(&ARTICLES, term, &p));
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let n = binds.len();
        let bind_all = |sql: String| {
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for value in &binds {
                query = query.bind(value.clone());
            }
            query
        };
        let total: i64 = sqlx::Row::try_get(
            &bind_all(format!("SELECT COUNT(*) FROM articles a {clause}"))
                .fetch_one(&self.read)
                .await?,
            0,
        )?;
        let rows = bind_all(format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a {clause}
             ORDER BY a.helpful - a.not_helpful DESC, a.modified_at DESC, a.id DESC
             LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.read)
        .await?;
        Ok(Page {
            total,
            items: rows.iter().map(article).collect::<Result<_, _>>()?,
        })
    }
}

impl Store {
    /// Published articles about `service_id` that share terms with the query `terms`, the
    /// most shared first, then those in `locale`, then the most helpful; with how many each
    /// shares.
    pub async fn match_articles(
        &self,
        service_id: &str,
        terms: &[String],
        locale: ContentLocale,
        limit: i64,
    ) -> Result<Vec<(Article, i64)>, StoreError> {
        if terms.is_empty() {
            return Ok(vec![]);
        }
        let placeholders = placeholders(3, terms.len());
        // The best `limit` by shared terms (then the reader's language) are chosen from the
        // index alone; only those articles are read.
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS}, CAST(m.score AS BIGINT) AS score FROM (
               SELECT article_id, COUNT(*) AS score,
                 CASE WHEN MIN(locale) = $2 THEN 0 ELSE 1 END AS other_language
               FROM article_terms WHERE service_id = $1 AND term IN ({})
               GROUP BY article_id
               ORDER BY score DESC, other_language, article_id DESC
               LIMIT ${}
             ) m JOIN articles a ON a.id = m.article_id
             ORDER BY m.score DESC, m.other_language, a.helpful - a.not_helpful DESC, a.id DESC",
            placeholders,
            terms.len() + 3
        );
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .bind(service_id)
            .bind(locale.to_string());
        for term in terms {
            query = query.bind(term.clone());
        }
        let rows = query.bind(limit).fetch_all(&self.read).await?;
        rows.iter()
            .map(|row| Ok((article(row)?, int(row, "score")?)))
            .collect()
    }
}

/// Replaces an article's entries in the term index: its terms if published, none otherwise.
async fn index_terms(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    fields: &ArticleFields,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM article_terms WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if fields.status != ArticleStatus::Published {
        return Ok(());
    }
    let mut terms: Vec<&str> = fields.terms.split_whitespace().collect();
    terms.sort_unstable();
    terms.dedup();
    for chunk in terms.chunks(200) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, $1, $2, $3)", i + 4))
            .collect();
        let mut query = sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO article_terms (term, service_id, article_id, locale) VALUES {}",
            rows.join(", ")
        )))
        .bind(&fields.service_id)
        .bind(id)
        .bind(fields.locale.to_string());
        for term in chunk {
            query = query.bind(*term);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
