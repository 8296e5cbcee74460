//! The audit log viewer (the operator's admins and leads): filters, newest first, paged, and a
//! link to the same events as CSV.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use partnerdesk_app::{AppError, store::AuditEvent};

use super::{
    page::{Frame, PageError, Section, shown_time},
    visitor::Visitor,
};
use crate::{
    api::{AppState, audit_query},
    query::ListQuery,
};

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "web/audit_log.html")]
struct AuditPage {
    frame: Frame,
    /// The filters as typed, by parameter name.
    form: HashMap<String, String>,
    error: Option<String>,
    rows: Vec<(String, AuditEvent)>,
    summary: String,
    export: String,
    next: Option<String>,
}

impl AuditPage {
    fn typed(&self, name: &str) -> &str {
        self.form.get(name).map(String::as_str).unwrap_or("")
    }
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let locale = visitor.locale;
    let page_no: i64 = raw
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let q = ListQuery::new(raw.clone());
    let found = match audit_query(&q) {
        Ok(query) => {
            state
                .app
                .audit_log(actor, &query, (page_no - 1) * PAGE_SIZE, PAGE_SIZE)
                .await
        }
        Err(field) => Err(field.into()),
    };
    let (error, events, total) = match found {
        Ok(page) => (None, page.items, page.total),
        Err(AppError::Invalid(fields)) => {
            let words: Vec<String> = fields.iter().map(|f| locale.field_message(f)).collect();
            (Some(words.join(" ")), vec![], 0)
        }
        Err(e) => return Err(visitor.fail(e)),
    };
    let mut query = form_urlencoded::Serializer::new(String::new());
    let mut kept: Vec<(&String, &String)> = raw
        .iter()
        .filter(|(k, v)| k.as_str() != "page" && !v.trim().is_empty())
        .collect();
    kept.sort();
    for (k, v) in &kept {
        query.append_pair(k, v);
    }
    let query = query.finish();
    let shown = events.len() as i64;
    let page = AuditPage {
        frame: visitor.frame("audit-title", Section::Audit),
        summary: locale.text_with("audit-summary", &[("total", total.into())]),
        export: format!("/v1/auditevents/export?{query}"),
        next: ((page_no - 1) * PAGE_SIZE + shown < total)
            .then(|| format!("/audit?{query}&page={}", page_no + 1)),
        rows: events.into_iter().map(|e| (shown_time(e.at), e)).collect(),
        form: raw,
        error,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}
