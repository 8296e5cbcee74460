//! The service-health Atom feed: a feed reader polls `/feeds/incidents.atom?token=…` with a
//! feed token (which can do nothing else, and is revoked like any token) and gets what that
//! token's user may see.

use std::collections::HashMap;

use atom_syndication::{ContentBuilder, EntryBuilder, FeedBuilder, FixedDateTime, LinkBuilder};
use axum::{
    Json,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use jiff::Timestamp;
use partnerdesk_app::{
    domain::{ContentLocale, Guid},
    store::{Incident, IncidentFilter},
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    requests::{ListQuery, parse_guid},
};

/// How many notices a feed carries, the most recently started first.
const FEED_ENTRIES: i64 = 50;

/// A new feed token: its id (to revoke it) and the feed's address with the token in it.
#[derive(Serialize, ToSchema)]
#[schema(as = FeedToken)]
pub struct FeedTokenShape {
    id: String,
    /// Give this to the feed reader; it is shown once.
    uri: String,
}

#[utoipa::path(post, path = "/feeds/incidents", tag = "service health",
    summary = "Create a token for the service-health Atom feed of the caller",
    responses((status = 201, body = FeedTokenShape), (status = 403, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let issued = state
        .app
        .create_feed_token(&caller.actor)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    let shape = FeedTokenShape {
        id: issued.token.id.to_string(),
        uri: format!("/feeds/incidents.atom?token={}", issued.secret),
    };
    Ok((StatusCode::CREATED, Json(shape)).into_response())
}

#[utoipa::path(delete, path = "/feeds/incidents/{token_id}", tag = "service health",
    summary = "Revoke a feed token: its feed stops at once",
    params(("token_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(token_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let token_id: Guid = parse_guid(&token_id)?;
    state
        .app
        .revoke_token(&caller.actor, token_id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(StatusCode::NO_CONTENT)
}

fn atom_time(at: Timestamp) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&at.to_string()).unwrap_or_default()
}

/// A notice as a feed entry, in `locale` where it has it (else English, else the first).
fn entry(incident: &Incident, locale: ContentLocale) -> atom_syndication::Entry {
    let text = incident
        .texts
        .iter()
        .find(|t| t.locale == locale)
        .or_else(|| {
            incident
                .texts
                .iter()
                .find(|t| t.locale == ContentLocale::En)
        })
        .or_else(|| incident.texts.first());
    let latest = incident.updates.last().and_then(|u| {
        u.texts
            .iter()
            .find(|(l, _)| *l == locale)
            .or_else(|| u.texts.first())
            .map(|(_, text)| text.clone())
    });
    EntryBuilder::default()
        .id(format!("urn:partnerdesk:service-incident:{}", incident.id))
        .title(format!(
            "[{}] {}",
            incident.status,
            text.map(|t| t.title.as_str()).unwrap_or("")
        ))
        .updated(atom_time(incident.modified_at))
        .published(Some(atom_time(incident.starts_at)))
        .summary(text.map(|t| t.impact.clone().into()))
        .content(latest.map(|value| {
            ContentBuilder::default()
                .value(Some(value))
                .content_type(Some("text".to_string()))
                .build()
        }))
        .links(vec![
            LinkBuilder::default()
                .href(format!("/v1/serviceincidents/{}", incident.id))
                .rel("alternate")
                .build(),
        ])
        .build()
}

#[utoipa::path(get, path = "/feeds/incidents.atom", tag = "service health",
    summary = "The Atom feed of what the feed token's user may see",
    params(("token" = String, Query, description = "From POST /v1/feeds/incidents")),
    security(()),
    responses((status = 200, content_type = "application/atom+xml", body = String), (status = 401, body = ErrorBody)))]
pub async fn atom(
    State(state): State<AppState>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let q = ListQuery::new(raw);
    let actor = state.app.feed_actor(q.get("token").unwrap_or("")).await?;
    let page = state
        .app
        .incidents(&actor, &IncidentFilter::default(), 0, FEED_ENTRIES)
        .await?;
    let locale = actor
        .user
        .locale
        .as_deref()
        .and_then(ContentLocale::from_tag)
        .unwrap_or(ContentLocale::En);
    let updated = page
        .items
        .iter()
        .map(|i| i.modified_at)
        .max()
        .unwrap_or_else(|| state.app.now());
    let feed = FeedBuilder::default()
        .id(format!("urn:partnerdesk:service-health:{}", actor.id()))
        .title("Service health")
        .updated(atom_time(updated))
        .entries(
            page.items
                .iter()
                .map(|i| entry(i, locale))
                .collect::<Vec<_>>(),
        )
        .build();
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}
