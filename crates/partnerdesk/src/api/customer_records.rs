//! Changing customers: `POST /v1/customers` (with its reseller relationship),
//! `PATCH /v1/customers/{id}`, `GET|POST /v1/customers/{id}/relationships` (the operator's
//! admin links another partner) and `POST /v1/customers/{id}/managedservices`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use partnerdesk_app::{customer_records::CustomerInput, store::Organization};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    organizations::managed_services_of,
    requests::parse_guid,
    shapes::{self, Collection, ManagedServiceShape, OrganizationShape},
};

type ApiResult<T> = Result<T, ApiError>;

/// A customer's record; on a change, only what is given.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CustomerInput)]
pub struct CustomerBody {
    company_name: Option<String>,
    /// The primary domain.
    domain: Option<String>,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    /// An existing tenant's id (creation only); a new one is made if absent.
    tenant_id: Option<String>,
    /// The partner it buys through: the operator's admin names one; a partner adds its own.
    partner_id: Option<String>,
}

impl CustomerBody {
    fn input(self) -> CustomerInput {
        CustomerInput {
            name: self.company_name,
            domain: self.domain,
            country: self.country,
            tenant_id: self.tenant_id,
            partner_id: self.partner_id,
        }
    }
}

#[utoipa::path(post, path = "/customers", tag = "customers",
    summary = "Add a customer, with its reseller relationship",
    request_body = CustomerBody,
    responses((status = 201, body = OrganizationShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CustomerBody>,
) -> ApiResult<Response> {
    let customer = state
        .app
        .create_customer(&caller.actor, &body.input())
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok((StatusCode::CREATED, Json(shapes::organization(&customer))).into_response())
}

#[utoipa::path(patch, path = "/customers/{customer_id}", tag = "customers",
    summary = "Correct a customer's name, domain or country",
    params(("customer_id" = String, Path)),
    request_body = CustomerBody,
    responses((status = 200, body = OrganizationShape), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer_id): Path<String>,
    ApiJson(body): ApiJson<CustomerBody>,
) -> ApiResult<Response> {
    let id = parse_guid(&customer_id)?;
    let customer = state
        .app
        .update_customer(&caller.actor, id, &body.input())
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::organization(&customer)).into_response())
}

#[utoipa::path(get, path = "/customers/{customer_id}/relationships", tag = "customers",
    summary = "The partners a customer buys through (a partner sees only itself)",
    params(("customer_id" = String, Path)),
    responses((status = 200, body = Collection<OrganizationShape>), (status = 404, body = ErrorBody)))]
pub async fn relationships(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer_id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_guid(&customer_id)?;
    let partners = state
        .app
        .customer_partners(&caller.actor, id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(partner_list(&partners))
}

/// The partners a customer buys through, as a collection.
fn partner_list(partners: &[Organization]) -> Response {
    Json(shapes::whole(
        partners.iter().map(shapes::organization).collect(),
    ))
    .into_response()
}

/// Another partner for a customer.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = RelationshipInput)]
pub struct RelationshipBody {
    partner_id: Option<String>,
    /// The partner's delegated admin rights (true if absent).
    delegated_admin: Option<bool>,
}

#[utoipa::path(post, path = "/customers/{customer_id}/relationships", tag = "customers",
    summary = "Link a customer to a partner (the operator's admin)",
    params(("customer_id" = String, Path)),
    request_body = RelationshipBody,
    responses((status = 200, body = Collection<OrganizationShape>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer_id): Path<String>,
    ApiJson(body): ApiJson<RelationshipBody>,
) -> ApiResult<Response> {
    let id = parse_guid(&customer_id)?;
    let partners = state
        .app
        .link_customer(
            &caller.actor,
            id,
            body.partner_id.as_deref().unwrap_or_default(),
            body.delegated_admin.unwrap_or(true),
        )
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(partner_list(&partners))
}

/// A service for a customer.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ManagedServiceInput)]
pub struct ServiceBody {
    service_id: Option<String>,
    /// The region it runs in, e.g. `cn-north`.
    region: Option<String>,
}

#[utoipa::path(post, path = "/customers/{customer_id}/managedservices", tag = "customers",
    summary = "Give a customer a service (again: move it to another region)",
    params(("customer_id" = String, Path)),
    request_body = ServiceBody,
    responses((status = 200, body = Collection<ManagedServiceShape>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_service(
    State(state): State<AppState>,
    caller: Caller,
    Path(customer_id): Path<String>,
    ApiJson(body): ApiJson<ServiceBody>,
) -> ApiResult<Response> {
    let id = parse_guid(&customer_id)?;
    state
        .app
        .add_customer_service(
            &caller.actor,
            id,
            body.service_id.as_deref().unwrap_or_default(),
            body.region.as_deref(),
        )
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    managed_services_of(&state, &caller, &customer_id).await
}
