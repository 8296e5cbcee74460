//! Service-request endpoints: partner-level and customer-level, as in Partner Center v1.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{OriginalUri, Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use partnerdesk_app::{
    domain::{ContactChannel, EscalationCriterion, FieldError, Guid},
    requests::{self, ContactInput, RequestInput, RequestPatch, RequestView},
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::{
    AppState,
    auth::Caller,
    collection::{self, Paging},
    error::{ApiError, ErrorBody},
    json::{ApiJson, ApiJsonOrEmpty, EnumValue, NoteValue},
    shapes::{self, AuditEventShape, Collection, Links, ServiceRequestShape},
};

pub use crate::query::{ListQuery, parse_filter, time_param};

type ApiResult<T> = Result<T, ApiError>;

/// The partner's contact for the operator; defaults to the signed-in user.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ContactInput)]
pub struct ContactBody {
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone_number: Option<String>,
    #[schema(schema_with = shapes::optional_words::<ContactChannel>)]
    preferred_channel: Option<String>,
    /// A BCP 47 language tag.
    locale: Option<String>,
    /// An IANA time zone.
    time_zone: Option<String>,
}

/// A new request: title, description, severity and support topic are required; the rest is
/// stored as given. Field names are matched in any letter case (see `ApiJson`).
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = NewServiceRequest)]
pub struct CreateBody {
    #[schema(required = true, value_type = String)]
    title: Option<String>,
    #[schema(required = true, value_type = String)]
    description: Option<String>,
    /// `critical`, `moderate`, `minimal` (or 1–3).
    #[schema(required = true, value_type = EnumValue)]
    severity: Option<EnumValue>,
    /// A topic of `GET /v1/servicerequests/supporttopics` (a string or a number).
    #[schema(required = true, value_type = String)]
    support_topic_id: Option<Value>,
    #[schema(schema_with = shapes::optional_words::<EscalationCriterion>)]
    escalation_criterion: Option<String>,
    /// What the partner already tried.
    troubleshooting: Option<String>,
    primary_contact: Option<ContactBody>,
    /// ISO 3166-1 alpha-2.
    country_code: Option<String>,
    /// The operator filing on a partner's behalf names the partner.
    partner_id: Option<String>,
}

impl From<CreateBody> for RequestInput {
    fn from(b: CreateBody) -> Self {
        RequestInput {
            title: b.title,
            description: b.description,
            severity: b.severity.map(Into::into),
            // Partner Center's topic ids are numbers in some clients: accept both.
            support_topic_id: b.support_topic_id.map(|v| match v {
                Value::String(s) => s,
                other => other.to_string(),
            }),
            escalation_criterion: b.escalation_criterion,
            troubleshooting: b.troubleshooting,
            contact: b.primary_contact.map(|c| ContactInput {
                first_name: c.first_name,
                last_name: c.last_name,
                email: c.email,
                phone: c.phone_number,
                preferred_channel: c.preferred_channel,
                locale: c.locale,
                time_zone: c.time_zone,
            }),
            country_code: b.country_code,
            partner_id: b.partner_id,
            attachments: Vec::new(),
            idempotency_key: None,
            require_escalation_details: false,
        }
    }
}

/// A change to a request: any of its fields; `unknown`/`none` enums mean "no change".
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ServiceRequestPatch)]
pub struct PatchBody {
    title: Option<String>,
    /// `critical`, `moderate`, `minimal` (or 1–3); `unknown` or 0: no change.
    severity: Option<EnumValue>,
    /// `closed` (2) closes, `open` (1) reopens within 14 days of resolution; `none` or 0: no
    /// change.
    status: Option<EnumValue>,
    new_note: Option<NoteValue>,
    /// Link the request to an incident that reaches its customer; empty to unlink.
    #[schema(value_type = Option<String>)]
    incident_id: Option<Value>,
    /// Why, when the operator changes the severity of a request it holds (required then; the
    /// SLA clock is re-planned against the new target).
    severity_reason: Option<String>,
}

/// Escalating a customer-filed request to the operator.
#[derive(Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Escalation)]
pub struct EscalateBody {
    #[schema(schema_with = shapes::optional_words::<EscalationCriterion>)]
    escalation_criterion: Option<String>,
    troubleshooting: Option<String>,
}

fn with_etag(view: &RequestView, status: StatusCode) -> Response {
    shapes::with_etag(
        status,
        shapes::request_view(view),
        view.request.id,
        view.request.version,
    )
}

/// A create's input: the body, plus the `MS-RequestId` idempotency key.
fn create_input(body: CreateBody, headers: &HeaderMap) -> RequestInput {
    RequestInput {
        idempotency_key: headers
            .get("ms-requestid")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        ..RequestInput::from(body)
    }
}

#[utoipa::path(post, path = "/servicerequests/{id_or_locale}", tag = "service requests",
    summary = "File the partner's own request (platform, billing, account)",
    params(("id_or_locale" = String, Path, description = "The agent's locale, e.g. `en-US` (Partner Center's `{agent-locale}`)"),
        ("MS-RequestId" = Option<String>, Header, description = "Idempotency key: a repeat within 24 h makes nothing new and returns the request the first one made")),
    request_body = CreateBody,
    responses((status = 201, body = ServiceRequestShape, headers(("ETag" = String))), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_partner_request(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(agent_locale): Path<String>,
    ApiJson(body): ApiJson<CreateBody>,
) -> ApiResult<Response> {
    let view = state
        .app
        .create_partner_request(&caller.actor, &agent_locale, &create_input(body, &headers))
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(with_etag(&view, StatusCode::CREATED))
}

#[utoipa::path(post, path = "/customers/{customer_id}/servicerequests/{id_or_locale}", tag = "service requests",
    summary = "Report a problem on behalf of a customer",
    params(("customer_id" = String, Path, description = "The customer's tenant id"),
        ("id_or_locale" = String, Path, description = "The agent's locale, e.g. `en-US` (Partner Center's `{agent-locale}`)"),
        ("MS-RequestId" = Option<String>, Header, description = "Idempotency key: a repeat within 24 h makes nothing new and returns the request the first one made")),
    request_body = CreateBody,
    responses((status = 201, body = ServiceRequestShape, headers(("ETag" = String))), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_customer_request(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((customer_id, agent_locale)): Path<(String, String)>,
    ApiJson(body): ApiJson<CreateBody>,
) -> ApiResult<Response> {
    let customer_id = parse_guid(&customer_id)?;
    let input = create_input(body, &headers);
    let view = state
        .app
        .create_customer_request(&caller.actor, customer_id, &agent_locale, &input)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(with_etag(&view, StatusCode::CREATED))
}

/// A GUID in a path: anything else cannot name an object, so it is a 404.
pub fn parse_guid(text: &str) -> ApiResult<Guid> {
    text.parse()
        .map_err(|_| ApiError::App(partnerdesk_app::AppError::NotFound))
}

#[utoipa::path(get, path = "/servicerequests/{id_or_locale}", tag = "service requests",
    summary = "Read a request with its notes",
    params(("id_or_locale" = String, Path, description = "The request id")),
    responses((status = 200, body = ServiceRequestShape, headers(("ETag" = String))), (status = 404, body = ErrorBody)))]
pub async fn get_request(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let view = state
        .app
        .request(&caller.actor, &id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(with_etag(&view, StatusCode::OK))
}

#[utoipa::path(get, path = "/customers/{customer_id}/servicerequests/{id_or_locale}", tag = "service requests",
    summary = "Read a customer's request with its notes",
    params(("customer_id" = String, Path), ("id_or_locale" = String, Path, description = "The request id")),
    responses((status = 200, body = ServiceRequestShape, headers(("ETag" = String))), (status = 404, body = ErrorBody)))]
pub async fn get_customer_request(
    State(state): State<AppState>,
    caller: Caller,
    Path((customer_id, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let customer_id = parse_guid(&customer_id)?;
    let view = state
        .app
        .customer_request(&caller.actor, customer_id, &id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(with_etag(&view, StatusCode::OK))
}

/// `If-Match: "<id>-<version>"` → the version the client read; `*` or absent → none.
pub fn expected_version(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    let version = text
        .trim_start_matches("W/")
        .trim_matches('"')
        .rsplit('-')
        .next()
        .and_then(|v| v.parse::<i64>().ok());
    match version {
        Some(v) => Ok(Some(v)),
        None => Err(ApiError::App(partnerdesk_app::AppError::PreconditionFailed)),
    }
}

#[utoipa::path(patch, path = "/servicerequests/{id_or_locale}", tag = "service requests",
    summary = "Add a note, change status, severity or title",
    params(("id_or_locale" = String, Path, description = "The request id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read; a stale one is a 412")),
    request_body = PatchBody,
    responses((status = 200, body = ServiceRequestShape, headers(("ETag" = String))), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
pub async fn patch_request(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PatchBody>,
) -> ApiResult<Response> {
    patch(&state, &caller, &headers, &id, None, body)
        .await
        .map_err(|e| e.in_locale(caller.locale))
}

#[utoipa::path(patch, path = "/customers/{customer_id}/servicerequests/{id_or_locale}", tag = "service requests",
    summary = "Change a customer's request",
    params(("customer_id" = String, Path), ("id_or_locale" = String, Path, description = "The request id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read; a stale one is a 412")),
    request_body = PatchBody,
    responses((status = 200, body = ServiceRequestShape, headers(("ETag" = String))), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
pub async fn patch_customer_request(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path((customer_id, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<PatchBody>,
) -> ApiResult<Response> {
    let customer_id = parse_guid(&customer_id)?;
    patch(&state, &caller, &headers, &id, Some(customer_id), body)
        .await
        .map_err(|e| e.in_locale(caller.locale))
}

async fn patch(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: &str,
    customer_id: Option<Guid>,
    body: PatchBody,
) -> ApiResult<Response> {
    if let Some(customer_id) = customer_id {
        state
            .app
            .customer_request(&caller.actor, customer_id, id)
            .await?;
    }
    let (new_note, note_visibility) = match body.new_note {
        Some(NoteValue::Text(text)) => (Some(text), None),
        Some(NoteValue::Object { text, visibility }) => (text, visibility),
        None => (None, None),
    };
    let patch = RequestPatch {
        title: body.title,
        severity: body.severity.map(Into::into),
        status: body.status.map(Into::into),
        new_note,
        note_visibility,
        incident_id: body.incident_id.map(|v| match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        }),
        severity_reason: body.severity_reason,
    };
    let view = state
        .app
        .update_request(&caller.actor, id, &patch, expected_version(headers)?)
        .await?;
    Ok(with_etag(&view, StatusCode::OK))
}

#[utoipa::path(post, path = "/servicerequests/{id}/escalate", tag = "service requests",
    summary = "Escalate a customer-filed request to the operator",
    description = "Without a criterion or troubleshooting the request is marked `escalationIncomplete` for the operator.",
    params(("id" = String, Path, description = "The request id")),
    request_body(content = Option<EscalateBody>),
    responses((status = 200, body = ServiceRequestShape), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn escalate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJsonOrEmpty(body): ApiJsonOrEmpty<EscalateBody>,
) -> ApiResult<Response> {
    let view = state
        .app
        .escalate(
            &caller.actor,
            &id,
            body.escalation_criterion.as_deref(),
            body.troubleshooting.as_deref(),
        )
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(with_etag(&view, StatusCode::OK))
}

#[utoipa::path(get, path = "/servicerequests/{id}/history", tag = "service requests",
    summary = "Every change to a request, oldest first",
    params(("id" = String, Path, description = "The request id")),
    responses((status = 200, body = Collection<AuditEventShape>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let events = state
        .app
        .request_history(&caller.actor, &id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::whole(
        events.iter().map(shapes::audit_event).collect(),
    ))
    .into_response())
}

/// The filters, sort and paging of a request listing, as documented; the handler reads them
/// through `ListQuery` so that their names match in any letter case.
#[derive(IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[allow(dead_code)]
pub struct RequestListParams {
    /// Public status: `none`, `open`, `closed`, `attention_needed` (or 0–3).
    status: Option<String>,
    /// `critical`, `moderate`, `minimal` (or 1–3).
    severity: Option<String>,
    /// A customer's tenant id.
    customer_id: Option<String>,
    service_id: Option<String>,
    topic_id: Option<String>,
    /// RFC 3339 date-time or a date.
    created_after: Option<String>,
    created_before: Option<String>,
    /// Words that must all occur in the title or description (any language).
    q: Option<String>,
    /// Only requests linked to this incident.
    incident_id: Option<String>,
    /// Partner Center's `{"Field":"Status","Value":"open","Operator":"equals"}`.
    filter: Option<String>,
    /// `created`, `-created` (newest first, the default), `modified`, `-modified` or `severity`.
    sort: Option<String>,
    offset: Option<i64>,
    /// 1 to 500; 25 if not given.
    size: Option<i64>,
    /// From `links.next`: pages deep listings without skipping or repeating.
    continuation_token: Option<String>,
}

/// The operator queue's own filters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[allow(dead_code)]
pub struct QueueParams {
    /// `true` for requests nobody holds.
    unassigned: Option<bool>,
    /// A user id, or `me`.
    assigned_to: Option<String>,
    /// `technical`, `billing` or `account`.
    category: Option<String>,
    /// The partner contact's language: a tag or its prefix (`zh`).
    language: Option<String>,
    /// `true` for requests past their first-response target without a contact.
    breached: Option<bool>,
}

#[utoipa::path(get, path = "/servicerequests", tag = "service requests",
    summary = "The requests the caller may see",
    params(RequestListParams),
    responses((status = 200, body = Collection<ServiceRequestShape>), (status = 400, body = ErrorBody)))]
pub async fn list_requests(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    list(&state, &caller, &uri, ListQuery::new(raw), None, false)
        .await
        .map_err(|e| e.in_locale(caller.locale))
}

#[utoipa::path(get, path = "/customers/{customer_id}/servicerequests", tag = "service requests",
    summary = "A customer's requests",
    params(("customer_id" = String, Path), RequestListParams),
    responses((status = 200, body = Collection<ServiceRequestShape>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_customer_requests(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Path(customer_id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let customer_id = parse_guid(&customer_id)?;
    list(
        &state,
        &caller,
        &uri,
        ListQuery::new(raw),
        Some(customer_id),
        false,
    )
    .await
    .map_err(|e| e.in_locale(caller.locale))
}

#[utoipa::path(get, path = "/operator/queue", tag = "operator",
    summary = "Escalated requests held by the operator",
    params(RequestListParams, QueueParams),
    responses((status = 200, body = Collection<ServiceRequestShape>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_queue(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    list(&state, &caller, &uri, ListQuery::new(raw), None, true)
        .await
        .map_err(|e| e.in_locale(caller.locale))
}

async fn list(
    state: &AppState,
    caller: &Caller,
    uri: &axum::http::Uri,
    q: ListQuery,
    customer_id: Option<Guid>,
    queue: bool,
) -> ApiResult<Response> {
    let mut filter = parse_filter(&q)?;
    if queue {
        crate::query::apply_queue_filters(&q, &mut filter, state.app.now())?;
    }
    if queue && q.get("assignedto").is_some() {
        let who = q.get("assignedto").unwrap_or("");
        filter.assigned_to = Some(if who == "me" {
            caller.actor.id()
        } else {
            who.parse()
                .map_err(|_| FieldError::invalid("assignedTo", "a user id or me"))?
        });
    }
    // The queue is most urgent first unless asked otherwise.
    let sort = match q.get("sort") {
        None if queue => partnerdesk_app::store::RequestSort::Urgency,
        given => requests::parse_sort(given)?,
    };
    let token = q.get("continuationtoken").or(q.get("seek"));
    let Paging {
        offset,
        size,
        cursor,
    } = collection::paging(q.get("offset"), q.get("size"), token, sort)?;
    let page = if queue {
        state
            .app
            .queue(&caller.actor, filter, sort, cursor, offset, size)
            .await?
    } else {
        state
            .app
            .requests(
                &caller.actor,
                customer_id,
                filter,
                sort,
                cursor,
                offset,
                size,
            )
            .await?
    };
    let path = uri.path();
    let mut links = if cursor.is_some() {
        Links {
            this: Some(collection::link(
                path,
                uri.query(),
                &[("continuationToken", token.unwrap_or("").to_string())],
            )),
            ..Links::default()
        }
    } else {
        collection::offset_links(
            path,
            uri.query(),
            offset,
            size,
            page.items.len(),
            page.total,
        )
    };
    // Deep paging: a continuation token that stays stable while requests are added.
    links.next = page
        .items
        .last()
        .filter(|_| page.items.len() as i64 == size)
        .map(|last| {
            let token = collection::encode_cursor(sort.cursor_after(last), sort);
            collection::link(path, uri.query(), &[("continuationToken", token)])
        });
    let items = page
        .items
        .iter()
        .map(|r| shapes::service_request(r, None, &[], state.app.sla_state(r)))
        .collect();
    Ok(Json(shapes::collection(page.total, items, links)).into_response())
}
