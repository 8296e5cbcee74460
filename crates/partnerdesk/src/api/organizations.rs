//! The caller, customers and their managed services, support topics, partners and the partner's
//! support profile.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{OriginalUri, Path, Query, State},
    http::StatusCode,
};
use partnerdesk_app::{
    customers::PartnerInput,
    domain::FieldError,
    store::{Organization, Page, SupportProfile},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    AppState,
    auth::Caller,
    collection,
    error::ApiError,
    json::ApiJson,
    requests::{ListQuery, parse_guid},
    shapes,
};

type ApiResult<T> = Result<T, ApiError>;

pub async fn me(caller: Caller) -> Json<Value> {
    Json(shapes::me(&caller.actor.user))
}

fn offset_size(q: &ListQuery) -> Result<(i64, i64), FieldError> {
    let paging = collection::paging(q.get("offset"), q.get("size"), None, Default::default())?;
    Ok((paging.offset, paging.size))
}

/// One page of organizations as a collection, from `load(q, offset, size)`.
async fn organization_page<Fut>(
    caller: &Caller,
    uri: &axum::http::Uri,
    raw: HashMap<String, String>,
    load: impl FnOnce(Option<String>, i64, i64) -> Fut,
) -> ApiResult<Json<Value>>
where
    Fut: Future<Output = partnerdesk_app::Result<Page<Organization>>>,
{
    let run = async {
        let q = ListQuery::new(raw);
        let (offset, size) = offset_size(&q)?;
        let page = load(q.get("q").map(str::to_string), offset, size).await?;
        let items: Vec<Value> = page.items.iter().map(shapes::organization).collect();
        let links = collection::offset_links(
            uri.path(),
            uri.query(),
            offset,
            size,
            items.len(),
            page.total,
        );
        Ok(Json(collection::collection(page.total, items, links)))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

pub async fn customers(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let (app, actor) = (&state.app, &caller.actor);
    organization_page(&caller, &uri, raw, |q, offset, size| async move {
        app.customers(actor, q.as_deref(), offset, size).await
    })
    .await
}

pub async fn customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_guid(&id)?;
    let customer = state
        .app
        .customer(&caller.actor, id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::organization(&customer)))
}

pub async fn managed_services(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let customer_id = parse_guid(&id)?;
    let services = state
        .app
        .managed_services(&caller.actor, customer_id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    let items: Vec<Value> = services
        .iter()
        .map(|m| shapes::managed_service(&id, m))
        .collect();
    Ok(Json(collection::collection(
        items.len() as i64,
        items,
        json!({}),
    )))
}

pub async fn topics(
    State(state): State<AppState>,
    caller: Caller,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let q = ListQuery::new(raw);
    let topics = state
        .app
        .topics(q.get("serviceid"))
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    let items: Vec<Value> = topics.iter().map(shapes::topic).collect();
    Ok(Json(collection::collection(
        items.len() as i64,
        items,
        json!({}),
    )))
}

pub async fn partners(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let (app, actor) = (&state.app, &caller.actor);
    organization_page(&caller, &uri, raw, |q, offset, size| async move {
        app.partners(actor, q.as_deref(), offset, size).await
    })
    .await
}

pub async fn partner(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id = parse_guid(&id)?;
    let partner = state
        .app
        .partner(&caller.actor, id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::organization(&partner)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PartnerBody {
    name: Option<String>,
    country: Option<String>,
    #[serde(rename = "phonenumber")]
    phone_number: Option<String>,
}

impl PartnerBody {
    fn input(&self) -> PartnerInput<'_> {
        PartnerInput {
            name: self.name.as_deref(),
            country: self.country.as_deref(),
            phone: self.phone_number.as_deref(),
        }
    }
}

pub async fn create_partner(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<PartnerBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let partner = state
        .app
        .create_partner(&caller.actor, &body.input())
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok((StatusCode::CREATED, Json(shapes::organization(&partner))))
}

pub async fn update_partner(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PartnerBody>,
) -> ApiResult<Json<Value>> {
    let id = parse_guid(&id)?;
    let partner = state
        .app
        .update_partner(&caller.actor, id, &body.input())
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::organization(&partner)))
}

pub async fn support_profile(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Value>> {
    let profile = state
        .app
        .support_profile(&caller.actor)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::support_profile(&profile)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileBody {
    email: Option<String>,
    telephone: Option<String>,
    website: Option<String>,
    hours: Option<String>,
}

pub async fn put_support_profile(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ProfileBody>,
) -> ApiResult<Json<Value>> {
    let profile = SupportProfile {
        email: body.email,
        phone: body.telephone,
        website: body.website,
        hours: body.hours,
    };
    let saved = state
        .app
        .put_support_profile(&caller.actor, &profile)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::support_profile(&saved)))
}
