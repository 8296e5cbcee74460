//! The caller, customers and their managed services, support topics, partners and the partner's
//! support profile.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{OriginalUri, Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use partnerdesk_app::{
    customers::PartnerInput,
    store::{Organization, Page, SupportProfile},
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    AppState,
    auth::Caller,
    collection,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    requests::{ListQuery, parse_guid},
    shapes::{
        self, Collection, ManagedServiceShape, Me, OrganizationShape, SupportProfileShape,
        TopicShape,
    },
};

/// Search and paging of an organization listing (read in any letter case).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct OrganizationListParams {
    /// Part of the name or domain, or the whole tenant id.
    q: Option<String>,
    offset: Option<i64>,
    /// 1 to 500; 25 if not given.
    size: Option<i64>,
}

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(get, path = "/me", tag = "account", summary = "The caller: user, organization and roles",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> Response {
    Json(shapes::me(&caller.actor.user)).into_response()
}

/// One page of organizations as a collection, from `load(q, offset, size)`.
async fn organization_page<Fut>(
    caller: &Caller,
    uri: &axum::http::Uri,
    raw: HashMap<String, String>,
    load: impl FnOnce(Option<String>, i64, i64) -> Fut,
) -> ApiResult<Response>
where
    Fut: Future<Output = partnerdesk_app::Result<Page<Organization>>>,
{
    let run = async {
        let q = ListQuery::new(raw);
        let paging = collection::offset_paging(&q)?;
        let page = load(q.get("q").map(str::to_string), paging.offset, paging.size).await?;
        Ok(collection::offset_page(
            uri,
            &paging,
            &page,
            shapes::organization,
        ))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(get, path = "/customers", tag = "customers",
    summary = "The caller's customers, searched by name, domain or tenant id",
    params(OrganizationListParams),
    responses((status = 200, body = Collection<OrganizationShape>), (status = 403, body = ErrorBody)))]
pub async fn customers(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let (app, actor) = (&state.app, &caller.actor);
    organization_page(&caller, &uri, raw, |q, offset, size| async move {
        app.customers(actor, q.as_deref(), offset, size).await
    })
    .await
}

#[utoipa::path(get, path = "/customers/{customer_id}", tag = "customers", summary = "One customer",
    params(("customer_id" = String, Path, description = "The customer's tenant id")),
    responses((status = 200, body = OrganizationShape), (status = 404, body = ErrorBody)))]
pub async fn customer(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer_id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_guid(&customer_id)?;
    let customer = state
        .app
        .customer(&caller.actor, id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::organization(&customer)).into_response())
}

#[utoipa::path(get, path = "/customers/{customer_id}/managedservices", tag = "customers",
    summary = "The customer's services, each with its admin center, health and requests links",
    params(("customer_id" = String, Path)),
    responses((status = 200, body = Collection<ManagedServiceShape>), (status = 404, body = ErrorBody)))]
pub async fn managed_services(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    managed_services_of(&state, &caller, &id).await
}

/// The customer's managed services as a collection (also the answer to adding one).
pub(super) async fn managed_services_of(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<Response> {
    let customer_id = parse_guid(id)?;
    let services = state
        .app
        .managed_services(&caller.actor, customer_id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    let items = services
        .iter()
        .map(|m| shapes::managed_service(id, m))
        .collect();
    Ok(Json(shapes::whole(items)).into_response())
}

#[utoipa::path(get, path = "/servicerequests/supporttopics", tag = "service requests",
    summary = "Support topics, per service, with their category",
    params(("serviceId" = Option<String>, Query, description = "Only this service's topics")),
    responses((status = 200, body = Collection<TopicShape>)))]
pub async fn topics(
    State(state): State<AppState>,
    caller: Caller,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let q = ListQuery::new(raw);
    let topics = state
        .app
        .topics(q.get("serviceid"))
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::whole(topics.iter().map(shapes::topic).collect())).into_response())
}

#[utoipa::path(get, path = "/partners", tag = "partners", summary = "The operator's partners",
    params(OrganizationListParams),
    responses((status = 200, body = Collection<OrganizationShape>), (status = 403, body = ErrorBody)))]
pub async fn partners(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let (app, actor) = (&state.app, &caller.actor);
    organization_page(&caller, &uri, raw, |q, offset, size| async move {
        app.partners(actor, q.as_deref(), offset, size).await
    })
    .await
}

#[utoipa::path(get, path = "/partners/{partner_id}", tag = "partners", summary = "One partner",
    params(("partner_id" = String, Path)),
    responses((status = 200, body = OrganizationShape), (status = 404, body = ErrorBody)))]
pub async fn partner(
    State(state): State<AppState>,
    caller: Caller,
    Path(partner_id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_guid(&partner_id)?;
    let partner = state
        .app
        .partner(&caller.actor, id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::organization(&partner)).into_response())
}

/// A partner's name, country and phone; on a change, only what is given, and `suspended` to
/// suspend (its people can no longer sign in) or reinstate it.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PartnerInput)]
pub struct PartnerBody {
    name: Option<String>,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    phone_number: Option<String>,
    suspended: Option<bool>,
}

impl PartnerBody {
    fn input(&self) -> PartnerInput<'_> {
        PartnerInput {
            name: self.name.as_deref(),
            country: self.country.as_deref(),
            phone: self.phone_number.as_deref(),
            suspended: self.suspended,
        }
    }
}

#[utoipa::path(post, path = "/partners", tag = "partners", summary = "Add a partner",
    request_body = PartnerBody,
    responses((status = 201, body = OrganizationShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_partner(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<PartnerBody>,
) -> ApiResult<Response> {
    let partner = state
        .app
        .create_partner(&caller.actor, &body.input())
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok((StatusCode::CREATED, Json(shapes::organization(&partner))).into_response())
}

#[utoipa::path(patch, path = "/partners/{partner_id}", tag = "partners", summary = "Change a partner",
    params(("partner_id" = String, Path)),
    request_body = PartnerBody,
    responses((status = 200, body = OrganizationShape), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_partner(
    State(state): State<AppState>,
    caller: Caller,
    Path(partner_id): Path<String>,
    ApiJson(body): ApiJson<PartnerBody>,
) -> ApiResult<Response> {
    let id = parse_guid(&partner_id)?;
    let partner = state
        .app
        .update_partner(&caller.actor, id, &body.input())
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::organization(&partner)).into_response())
}

#[utoipa::path(get, path = "/profiles/support", tag = "partners",
    summary = "The partner's support profile, shown to its customers",
    responses((status = 200, body = SupportProfileShape), (status = 403, body = ErrorBody)))]
pub async fn support_profile(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let profile = state
        .app
        .support_profile(&caller.actor)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::support_profile(&profile)).into_response())
}

/// How customers reach the partner's desk.
#[derive(Deserialize, Default, ToSchema)]
#[schema(as = SupportProfileInput)]
pub struct ProfileBody {
    email: Option<String>,
    telephone: Option<String>,
    website: Option<String>,
    hours: Option<String>,
}

#[utoipa::path(put, path = "/profiles/support", tag = "partners", summary = "Replace the support profile",
    request_body = ProfileBody,
    responses((status = 200, body = SupportProfileShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn put_support_profile(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ProfileBody>,
) -> ApiResult<Response> {
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
    Ok(Json(shapes::support_profile(&saved)).into_response())
}
