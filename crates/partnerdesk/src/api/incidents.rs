//! Service health: incidents, advisories and planned maintenance (`/v1/serviceincidents`).

use std::collections::HashMap;

use axum::{
    extract::{OriginalUri, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use partnerdesk_app::{
    domain::{ContentLocale, FieldError, IncidentKind, IncidentStatus, PublicSeverity},
    health::{CustomersInput, IncidentInput, TextInput, UpdateInput},
    policy,
    store::{Incident, IncidentFilter},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    AppState,
    auth::Caller,
    collection,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    requests::{ListQuery, expected_version, parse_guid, time_param},
    shapes::{self, Collection, Date, words},
};

type ApiResult<T> = Result<T, ApiError>;

/// Title and impact in one language.
#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(rename_all = "camelCase")]
pub struct IncidentTextBody {
    /// `en`, `zh` or `ru` (a tag such as `zh-CN` is read as its language).
    locale: Option<String>,
    title: Option<String>,
    impact: Option<String>,
}

/// `"all"` customers of the services (in the regions), or a list of tenant ids.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(untagged)]
pub enum AffectedCustomers {
    All(String),
    Listed(Vec<String>),
}

/// A notice to publish, or the fields of one to change (unset: unchanged).
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
#[schema(as = ServiceIncidentInput)]
pub struct IncidentBody {
    #[schema(schema_with = shapes::optional_words::<IncidentKind>)]
    kind: Option<String>,
    #[schema(schema_with = shapes::optional_words::<IncidentStatus>)]
    status: Option<String>,
    #[schema(schema_with = shapes::optional_words::<PublicSeverity>)]
    severity: Option<String>,
    /// RFC 3339; now if not given.
    start_time: Option<String>,
    end_time: Option<String>,
    /// One per language; at least one on creation.
    texts: Option<Vec<IncidentTextBody>>,
    /// At least one on creation.
    service_ids: Option<Vec<String>>,
    /// Empty: every region.
    regions: Option<Vec<String>>,
    affected_customers: Option<AffectedCustomers>,
}

/// One timeline text.
#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
pub struct UpdateTextBody {
    locale: Option<String>,
    text: Option<String>,
}

/// A timeline entry: its text per language, and optionally the status it announces.
#[derive(Deserialize, ToSchema, Default)]
#[schema(as = ServiceIncidentUpdateInput)]
pub struct UpdateBody {
    #[schema(schema_with = shapes::optional_words::<IncidentStatus>)]
    status: Option<String>,
    texts: Option<Vec<UpdateTextBody>>,
}

/// A timeline entry, in the caller's language (`texts` has them all).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageShape<'a> {
    published_time: Date,
    message_text: &'a str,
    #[schema(schema_with = words::<IncidentStatus>)]
    status: IncidentStatus,
    texts: Vec<UpdateTextShape<'a>>,
}

#[derive(Serialize, ToSchema)]
pub struct UpdateTextShape<'a> {
    #[schema(schema_with = words::<ContentLocale>)]
    locale: ContentLocale,
    text: &'a str,
}

#[derive(Serialize, ToSchema)]
pub struct IncidentTextShape<'a> {
    #[schema(schema_with = words::<ContentLocale>)]
    locale: ContentLocale,
    title: &'a str,
    impact: &'a str,
}

/// A notice, in the caller's language where it has one (else English, else the first).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ServiceIncident)]
pub struct IncidentShape<'a> {
    id: String,
    /// The first of `serviceIds` (Partner Center's single service).
    service_id: &'a str,
    service_ids: &'a [String],
    regions: &'a [String],
    #[schema(schema_with = words::<IncidentKind>)]
    kind: IncidentKind,
    title: &'a str,
    impact: &'a str,
    #[schema(schema_with = words::<IncidentStatus>)]
    status: IncidentStatus,
    #[schema(schema_with = words::<PublicSeverity>)]
    severity: PublicSeverity,
    start_time: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<Date>,
    texts: Vec<IncidentTextShape<'a>>,
    /// The timeline, oldest first.
    messages: Vec<MessageShape<'a>>,
    /// For the operator only: `"all"` or the listed tenant ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<AffectedCustomers>)]
    affected_customers: Option<serde_json::Value>,
    last_modified_date: Date,
    /// On a single notice: the requests linked to it that the caller may see.
    #[serde(skip_serializing_if = "Option::is_none")]
    linked_request_ids: Option<Vec<String>>,
    attributes: shapes::Attributes,
}

pub(super) fn incident_shape<'a>(i: &'a Incident, caller: &Caller) -> IncidentShape<'a> {
    let text = caller.locale.pick(&i.texts, |t| t.locale);
    IncidentShape {
        id: i.id.to_string(),
        service_id: i.reach.services.first().map(String::as_str).unwrap_or(""),
        service_ids: &i.reach.services,
        regions: &i.reach.regions,
        kind: i.kind,
        title: text.map(|t| t.title.as_str()).unwrap_or(""),
        impact: text.map(|t| t.impact.as_str()).unwrap_or(""),
        status: i.status,
        severity: i.severity,
        start_time: Date::from(i.starts_at),
        end_time: i.ends_at.map(Date::from),
        texts: i
            .texts
            .iter()
            .map(|t| IncidentTextShape {
                locale: t.locale,
                title: &t.title,
                impact: &t.impact,
            })
            .collect(),
        messages: i
            .updates
            .iter()
            .map(|u| MessageShape {
                published_time: Date::from(u.at),
                message_text: caller
                    .locale
                    .pick(&u.texts, |t| t.0)
                    .map(|t| t.1.as_str())
                    .unwrap_or(""),
                status: u.status,
                texts: u
                    .texts
                    .iter()
                    .map(|(locale, text)| UpdateTextShape {
                        locale: *locale,
                        text,
                    })
                    .collect(),
            })
            .collect(),
        affected_customers: policy::may_publish_health(&caller.actor).then(|| {
            match &i.reach.customers {
                None => serde_json::json!("all"),
                Some(ids) => {
                    serde_json::json!(ids.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                }
            }
        }),
        last_modified_date: Date::from(i.modified_at),
        linked_request_ids: None,
        attributes: shapes::Attributes::versioned("ServiceIncident", i.id, i.version),
    }
}

fn respond(incident: &Incident, caller: &Caller, status: StatusCode) -> Response {
    shapes::with_etag(
        status,
        incident_shape(incident, caller),
        incident.id,
        incident.version,
    )
}

fn input_of(body: IncidentBody) -> Result<IncidentInput, FieldError> {
    Ok(IncidentInput {
        kind: body.kind,
        status: body.status,
        severity: body.severity,
        starts_at: time_param("startTime", body.start_time.as_deref())?,
        ends_at: time_param("endTime", body.end_time.as_deref())?,
        texts: body.texts.map(|texts| {
            texts
                .into_iter()
                .map(|t| TextInput {
                    locale: t.locale,
                    title: t.title,
                    impact: t.impact,
                })
                .collect()
        }),
        service_ids: body.service_ids,
        regions: body.regions,
        customers: match body.affected_customers {
            None => None,
            Some(AffectedCustomers::All(word)) if word.trim().eq_ignore_ascii_case("all") => {
                Some(CustomersInput::All)
            }
            Some(AffectedCustomers::All(_)) => {
                return Err(FieldError::invalid(
                    "affectedCustomers",
                    "`all`, or a list of tenant ids",
                ));
            }
            Some(AffectedCustomers::Listed(ids)) => Some(CustomersInput::Listed(ids)),
        },
    })
}

/// Filters of a health listing (names in any letter case).
#[derive(IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[allow(dead_code)]
pub struct IncidentListParams {
    service_id: Option<String>,
    /// `active` (not resolved) or `resolved`.
    status: Option<String>,
    /// RFC 3339 date-time or date: started or changed since.
    since: Option<String>,
    offset: Option<i64>,
    /// 1 to 500; 25 if not given.
    size: Option<i64>,
}

fn filter_of(q: &ListQuery) -> Result<IncidentFilter, FieldError> {
    let open = match q.get("status").map(|s| s.trim().to_ascii_lowercase()) {
        None => None,
        Some(s) if s == "active" || s == "open" => Some(true),
        Some(s) if s == "resolved" => Some(false),
        Some(_) => return Err(FieldError::invalid("status", "active or resolved")),
    };
    Ok(IncidentFilter {
        service_id: q.get("serviceid").map(str::to_string),
        open,
        since: time_param("since", q.get("since"))?,
    })
}

async fn page_of<Fut>(
    caller: &Caller,
    uri: &axum::http::Uri,
    raw: HashMap<String, String>,
    load: impl FnOnce(IncidentFilter, i64, i64) -> Fut,
) -> ApiResult<Response>
where
    Fut: Future<Output = partnerdesk_app::Result<partnerdesk_app::store::Page<Incident>>>,
{
    let run = async {
        let q = ListQuery::new(raw);
        let filter = filter_of(&q)?;
        let paging = collection::offset_paging(&q)?;
        let page = load(filter, paging.offset, paging.size).await?;
        Ok(collection::offset_page(uri, &paging, &page, |i| {
            incident_shape(i, caller)
        }))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(get, path = "/serviceincidents", tag = "service health",
    summary = "Incidents, advisories and maintenance the caller may see",
    description = "The operator sees all; a partner what reaches any of its customers; a customer what reaches it. Sales agents: 403.",
    params(IncidentListParams),
    responses((status = 200, body = Collection<IncidentShape>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let (app, actor) = (&state.app, &caller.actor);
    page_of(&caller, &uri, raw, |filter, offset, size| async move {
        app.incidents(actor, &filter, offset, size).await
    })
    .await
}

#[utoipa::path(get, path = "/customers/{customer_id}/serviceincidents", tag = "service health",
    summary = "What reaches one customer: its services × their notices",
    params(("customer_id" = String, Path), IncidentListParams),
    responses((status = 200, body = Collection<IncidentShape>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_for_customer(
    State(state): State<AppState>,
    caller: Caller,
    OriginalUri(uri): OriginalUri,
    Path(customer_id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let customer_id = parse_guid(&customer_id)?;
    let (app, actor) = (&state.app, &caller.actor);
    page_of(&caller, &uri, raw, |filter, offset, size| async move {
        app.customer_incidents(actor, customer_id, &filter, offset, size)
            .await
    })
    .await
}

#[utoipa::path(get, path = "/serviceincidents/{id}", tag = "service health", summary = "One notice with its timeline",
    params(("id" = String, Path)),
    responses((status = 200, body = IncidentShape, headers(("ETag" = String))), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let run = async {
        let incident = state.app.incident(&caller.actor, &id).await?;
        let linked = state
            .app
            .requests_linked_to(&caller.actor, &incident)
            .await?;
        let mut shape = incident_shape(&incident, &caller);
        shape.linked_request_ids = Some(linked);
        Ok(shapes::with_etag(
            StatusCode::OK,
            shape,
            incident.id,
            incident.version,
        ))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(post, path = "/serviceincidents", tag = "service health",
    summary = "Publish a notice (health managers and operator admins)",
    request_body = IncidentBody,
    responses((status = 201, body = IncidentShape, headers(("ETag" = String))), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<IncidentBody>,
) -> ApiResult<Response> {
    let run = async {
        let input = input_of(body)?;
        let incident = state.app.publish_incident(&caller.actor, &input).await?;
        Ok(respond(&incident, &caller, StatusCode::CREATED))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(patch, path = "/serviceincidents/{id}", tag = "service health",
    summary = "Change a notice; status `resolved` ends it, an open status reopens it",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The ETag read; a stale one is a 412")),
    request_body = IncidentBody,
    responses((status = 200, body = IncidentShape, headers(("ETag" = String))), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 412, body = ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<IncidentBody>,
) -> ApiResult<Response> {
    let run = async {
        let input = input_of(body)?;
        let incident = state
            .app
            .change_incident(&caller.actor, &id, &input, expected_version(&headers)?)
            .await?;
        Ok(respond(&incident, &caller, StatusCode::OK))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(post, path = "/serviceincidents/{id}/updates", tag = "service health",
    summary = "Add to a notice's timeline (optionally with a new status)",
    params(("id" = String, Path)),
    request_body = UpdateBody,
    responses((status = 201, body = IncidentShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn post_update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> ApiResult<Response> {
    let input = UpdateInput {
        status: body.status,
        texts: body
            .texts
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.locale, t.text))
            .collect(),
    };
    let incident = state
        .app
        .add_incident_update(&caller.actor, &id, &input)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(respond(&incident, &caller, StatusCode::CREATED))
}
