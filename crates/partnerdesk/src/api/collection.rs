//! Paging of collections: by `offset`/`size`, or by the opaque continuation token in
//! `links.next`.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use partnerdesk_app::{
    domain::FieldError,
    store::{Cursor, RequestSort},
};

use axum::{
    Json,
    http::Uri,
    response::{IntoResponse, Response},
};
use partnerdesk_app::store::Page;
use serde::Serialize;

use super::{
    requests::ListQuery,
    shapes::{self, Link, Links},
};

pub const DEFAULT_SIZE: i64 = 25;
pub const MAX_SIZE: i64 = 500;

/// Paging parameters as parsed from the query.
pub struct Paging {
    pub offset: i64,
    pub size: i64,
    pub cursor: Option<Cursor>,
}

pub fn paging(
    offset: Option<&str>,
    size: Option<&str>,
    token: Option<&str>,
    sort: RequestSort,
) -> Result<Paging, FieldError> {
    let number = |field: &'static str,
                  value: Option<&str>,
                  default: i64,
                  max: i64|
     -> Result<i64, FieldError> {
        match value {
            None => Ok(default),
            Some(v) => match v.trim().parse::<i64>() {
                Ok(n) if (0..=max).contains(&n) => Ok(n),
                _ => Err(FieldError::invalid(
                    field,
                    format!("a whole number from 0 to {max}"),
                )),
            },
        }
    };
    let offset = number("offset", offset, 0, i64::from(i32::MAX))?;
    let size = number("size", size, DEFAULT_SIZE, MAX_SIZE)?.max(1);
    let cursor = token.map(|t| decode_cursor(t, sort)).transpose()?;
    Ok(Paging {
        offset,
        size,
        cursor,
    })
}

fn sort_code(sort: RequestSort) -> &'static str {
    match sort {
        RequestSort::CreatedDesc => "cd",
        RequestSort::CreatedAsc => "ca",
        RequestSort::ModifiedDesc => "md",
        RequestSort::ModifiedAsc => "ma",
        RequestSort::Severity => "s",
        RequestSort::Urgency => "u",
    }
}

pub fn encode_cursor(cursor: Cursor, sort: RequestSort) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}:{}", sort_code(sort), cursor.key, cursor.id))
}

fn decode_cursor(token: &str, sort: RequestSort) -> Result<Cursor, FieldError> {
    let bad = || {
        FieldError::invalid(
            "continuationToken",
            "not a token from links.next of this listing",
        )
    };
    let text = URL_SAFE_NO_PAD
        .decode(token.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let mut parts = text.split(':');
    let (code, key, id) = (parts.next(), parts.next(), parts.next());
    if code != Some(sort_code(sort)) || parts.next().is_some() {
        return Err(bad());
    }
    let key = key.and_then(|k| k.parse().ok()).ok_or_else(bad)?;
    let id = id.and_then(|i| i.parse().ok()).ok_or_else(bad)?;
    Ok(Cursor { key, id })
}

/// `path?query` with the paging parameters replaced.
pub fn link(path: &str, query: Option<&str>, replace: &[(&str, String)]) -> Link {
    let mut pairs: Vec<String> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !["offset", "continuationtoken", "seek"].contains(&key.as_str())
        })
        .map(str::to_string)
        .collect();
    for (key, value) in replace {
        pairs.push(format!("{key}={value}"));
    }
    let uri = if pairs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", pairs.join("&"))
    };
    Link::get(uri)
}

/// Links for an offset-paged listing.
pub fn offset_links(
    path: &str,
    query: Option<&str>,
    offset: i64,
    size: i64,
    returned: usize,
    total: i64,
) -> Links {
    Links {
        this: Some(link(path, query, &[("offset", offset.to_string())])),
        next: (offset + (returned as i64) < total)
            .then(|| link(path, query, &[("offset", (offset + size).to_string())])),
        previous: (offset > 0).then(|| {
            link(
                path,
                query,
                &[("offset", (offset - size).max(0).to_string())],
            )
        }),
    }
}

/// The `offset` and `size` of a listing's query.
pub fn offset_paging(q: &ListQuery) -> Result<Paging, FieldError> {
    paging(q.get("offset"), q.get("size"), None, RequestSort::default())
}

/// One offset-paged page as a collection response, each item shaped by `shape`.
pub fn offset_page<'a, T, S: Serialize>(
    uri: &Uri,
    paging: &Paging,
    page: &'a Page<T>,
    shape: impl Fn(&'a T) -> S,
) -> Response {
    let links = offset_links(
        uri.path(),
        uri.query(),
        paging.offset,
        paging.size,
        page.items.len(),
        page.total,
    );
    let items = page.items.iter().map(shape).collect();
    Json(shapes::collection(page.total, items, links)).into_response()
}
