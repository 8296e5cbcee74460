//! What the API returns: Partner Center's resource shapes in camelCase, typed so the OpenAPI
//! document is generated from the same structs that are serialized. Unset dates are omitted.

use jiff::Timestamp;
use partnerdesk_app::{
    customers::ManagedService,
    domain::{
        Category, ContactChannel, EnumText, EscalationCriterion, NoteVisibility, OrgKind,
        PublicStatus, RequestKind, Role, Severity, State, Tier,
    },
    domain::{
        review::{DisputeOutcome, ImproperReason, Review, Verdict},
        sla::SlaState,
    },
    requests::RequestView,
    store::{
        AuditEvent, FileRecord, Note, Organization, ServiceRequest, SupportProfile, SupportTopic,
        User,
    },
};
use serde::Serialize;
use utoipa::{
    ToSchema,
    openapi::{
        ArrayBuilder, ObjectBuilder,
        schema::{SchemaType, Type},
    },
};

/// The schema of an enum written as its snake_case words.
pub fn words<E: EnumText>() -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(E::ALL.iter().map(|v| v.as_str())))
        .build()
}

/// The schema of an optional enum: its words or null.
pub fn optional_words<E: EnumText>() -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(
            E::ALL
                .iter()
                .map(|v| serde_json::Value::from(v.as_str()))
                .chain([serde_json::Value::Null]),
        ))
        .build()
}

fn role_list() -> utoipa::openapi::Array {
    ArrayBuilder::new().items(words::<Role>()).build()
}

/// An RFC 3339 UTC date-time with microseconds, as every date in the API.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[schema(value_type = String, format = DateTime)]
pub struct Date(#[serde(serialize_with = "serialize_date")] Timestamp);

impl From<Timestamp> for Date {
    fn from(at: Timestamp) -> Self {
        Date(at)
    }
}

/// Always six fractional digits. A printer rather than a pattern: a pattern is parsed again
/// for every date written (50 on a page of requests).
static DATE_PRINTER: jiff::fmt::temporal::DateTimePrinter =
    jiff::fmt::temporal::DateTimePrinter::new().precision(Some(6));

fn serialize_date<S: serde::Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&DATE_PRINTER.timestamp_to_string(at))
}

/// An ETag for a versioned object.
pub fn etag(id: impl std::fmt::Display, version: i64) -> String {
    format!("\"{id}-{version}\"")
}

/// A JSON response carrying the ETag of the versioned object it shows.
pub fn with_etag(
    status: axum::http::StatusCode,
    body: impl Serialize,
    id: impl std::fmt::Display,
    version: i64,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&etag(id, version)) {
        response
            .headers_mut()
            .insert(axum::http::header::ETAG, value);
    }
    response
}

/// A link to follow: `{uri, method}`.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct Link {
    pub uri: String,
    pub method: &'static str,
}

impl Link {
    pub fn get(uri: String) -> Self {
        Link { uri, method: "GET" }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Attributes {
    object_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
}

impl Attributes {
    /// The attributes of a versioned object: its type and ETag.
    pub fn versioned(object_type: &'static str, id: impl std::fmt::Display, version: i64) -> Self {
        Attributes {
            object_type,
            etag: Some(etag(id, version)),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Note)]
pub struct NoteShape<'a> {
    created_by_name: &'a str,
    created_date: Date,
    text: &'a str,
    #[schema(schema_with = words::<NoteVisibility>)]
    visibility: NoteVisibility,
}

fn note(n: &Note) -> NoteShape<'_> {
    NoteShape {
        created_by_name: &n.author_name,
        created_date: Date(n.created_at),
        text: &n.body,
        visibility: n.visibility,
    }
}

/// An organization named inside another object.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationRef<'a> {
    id: String,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number: Option<Option<&'a str>>,
}

/// The partner's contact on a request: the operator calls the partner, not the customer.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrimaryContact<'a> {
    organization: OrganizationRef<'a>,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    email: Option<&'a str>,
    phone_number: Option<&'a str>,
    #[schema(schema_with = optional_words::<ContactChannel>)]
    preferred_channel: Option<ContactChannel>,
    locale: Option<&'a str>,
    time_zone: Option<&'a str>,
}

/// A service request; `notes` only when read one at a time.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ServiceRequest)]
pub struct ServiceRequestShape<'a> {
    /// The numeric request id, as a string.
    id: String,
    title: &'a str,
    description: &'a str,
    #[schema(schema_with = words::<Severity>)]
    severity: Severity,
    support_topic_id: Option<&'a str>,
    support_topic_name: Option<&'a str>,
    /// The public status Partner Center shows.
    #[schema(schema_with = words::<PublicStatus>)]
    status: PublicStatus,
    /// The lifecycle state behind `status`.
    #[schema(schema_with = words::<State>)]
    internal_status: State,
    #[schema(schema_with = words::<RequestKind>)]
    kind: RequestKind,
    /// Who holds the request now: the partner or the operator.
    #[schema(schema_with = words::<Tier>)]
    tier: Tier,
    #[schema(schema_with = words::<Category>)]
    category: Category,
    /// The customer the request is about, or the partner for its own request.
    organization: OrganizationRef<'a>,
    partner: OrganizationRef<'a>,
    primary_contact: PrimaryContact<'a>,
    last_updated_by: &'a str,
    product_name: Option<&'a str>,
    product_id: Option<&'a str>,
    created_date: Date,
    last_modified_date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_closed_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    escalated_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved_date: Option<Date>,
    country_code: Option<&'a str>,
    /// The language the partner's agent works in (`{agent-locale}` of the create).
    agent_locale: &'a str,
    #[schema(schema_with = optional_words::<EscalationCriterion>)]
    escalation_criterion: Option<EscalationCriterion>,
    troubleshooting: Option<&'a str>,
    /// Escalated without a criterion or troubleshooting.
    escalation_incomplete: bool,
    assigned_to: Option<String>,
    /// The incident that explains it, if linked.
    incident_id: Option<String>,
    /// The request this duplicate was merged into (it is closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    merged_into: Option<String>,
    /// The operator's first-response clock, once the request has reached the operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    sla: Option<SlaShape>,
    /// The operator's verdict on the escalation, once reviewed (single reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<ReviewShape<'a>>,
    file_links: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<Vec<NoteShape<'a>>>,
    attributes: Attributes,
}

fn org_ref(id: impl std::fmt::Display, name: &str) -> OrganizationRef<'_> {
    OrganizationRef {
        id: id.to_string(),
        name,
        phone_number: None,
    }
}

pub fn service_request<'a>(
    r: &'a ServiceRequest,
    notes: Option<&'a [Note]>,
    files: &[FileRecord],
    sla: Option<SlaState>,
) -> ServiceRequestShape<'a> {
    ServiceRequestShape {
        id: r.id.to_string(),
        title: &r.title,
        description: &r.description,
        severity: r.severity,
        support_topic_id: r.topic_id.as_deref(),
        support_topic_name: r.topic_name.as_deref(),
        status: r.state.public_status(),
        internal_status: r.state,
        kind: r.kind,
        tier: r.tier,
        category: r.category,
        organization: OrganizationRef {
            phone_number: Some(r.organization_phone.as_deref()),
            ..org_ref(r.customer_id.unwrap_or(r.partner_id), &r.organization_name)
        },
        partner: org_ref(r.partner_id, &r.partner_name),
        primary_contact: PrimaryContact {
            organization: org_ref(r.partner_id, &r.partner_name),
            first_name: r.contact.first_name.as_deref(),
            last_name: r.contact.last_name.as_deref(),
            email: r.contact.email.as_deref(),
            phone_number: r.contact.phone.as_deref(),
            preferred_channel: r.contact.channel,
            locale: r.contact.locale.as_deref(),
            time_zone: r.contact.time_zone.as_deref(),
        },
        last_updated_by: &r.last_updated_by,
        product_name: r.service_name.as_deref(),
        product_id: r.service_id.as_deref(),
        created_date: Date(r.created_at),
        last_modified_date: Date(r.modified_at),
        last_closed_date: r.closed_at.map(Date),
        escalated_date: r.escalated_at.map(Date),
        resolved_date: r.resolved_at.map(Date),
        country_code: r.country_code.as_deref(),
        agent_locale: &r.agent_locale,
        escalation_criterion: r.escalation_criterion,
        troubleshooting: r.troubleshooting.as_deref(),
        escalation_incomplete: r.escalation_incomplete,
        assigned_to: r.assigned_to.map(|a| a.to_string()),
        incident_id: r.incident_id.map(|i| i.to_string()),
        merged_into: r.merged_into.map(|m| m.to_string()),
        sla: sla.map(|state| sla_shape(r, state)),
        review: None,
        file_links: files.iter().map(|f| Link::get(file_uri(r.id, f))).collect(),
        notes: notes.map(|notes| notes.iter().map(note).collect()),
        attributes: Attributes::versioned("ServiceRequest", r.id, r.version),
    }
}

pub fn request_view(view: &RequestView) -> ServiceRequestShape<'_> {
    ServiceRequestShape {
        review: view.review.as_ref().map(review_shape),
        ..service_request(&view.request, Some(&view.notes), &view.files, view.sla)
    }
}

/// A request's escalation review.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = EscalationReviewState)]
pub struct ReviewShape<'a> {
    #[schema(schema_with = words::<Verdict>)]
    verdict: Verdict,
    /// Counts as improperly escalated now (an overturned verdict does not).
    improper: bool,
    #[schema(schema_with = optional_words::<ImproperReason>)]
    reason: Option<ImproperReason>,
    comment: Option<&'a str>,
    reviewed_by: &'a str,
    reviewed_date: Date,
    disputed: bool,
    dispute_comment: Option<&'a str>,
    #[schema(schema_with = optional_words::<DisputeOutcome>)]
    outcome: Option<DisputeOutcome>,
    decision_comment: Option<&'a str>,
}

fn review_shape(r: &Review) -> ReviewShape<'_> {
    ReviewShape {
        verdict: r.verdict,
        improper: r.improper(),
        reason: r.reason,
        comment: r.reviewed.comment.as_deref(),
        reviewed_by: &r.reviewed.by_name,
        reviewed_date: Date::from(r.reviewed.at),
        disputed: r.dispute.is_some(),
        dispute_comment: r.dispute.as_ref().and_then(|d| d.comment.as_deref()),
        outcome: r.outcome(),
        decision_comment: r.decision.as_ref().and_then(|(_, d)| d.comment.as_deref()),
    }
}

/// A request's first-response SLA.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Sla)]
pub struct SlaShape {
    /// `running` · `paused` (awaiting the partner) · `breached` · `met` · `met_late`.
    state: &'static str,
    /// When the first-response target runs out, while the clock runs.
    due_at: Option<Date>,
    first_contact_at: Option<Date>,
    /// Past the target without a contact, or contacted late.
    breached: bool,
    /// Running with 75 % or more of the target used.
    near_breach: bool,
    /// Business minutes left (running or paused).
    minutes_left: Option<i64>,
}

fn sla_shape(r: &ServiceRequest, state: SlaState) -> SlaShape {
    let (name, left, breached, near_breach) = match state {
        SlaState::Running {
            left, near_breach, ..
        } => ("running", Some(left), false, near_breach),
        SlaState::Paused { left } => ("paused", Some(left), false, false),
        SlaState::Breached { .. } => ("breached", None, true, false),
        SlaState::Met => ("met", None, false, false),
        SlaState::MetLate { .. } => ("met_late", None, true, false),
    };
    SlaShape {
        state: name,
        due_at: match state {
            SlaState::Running { due, .. } => Some(Date::from(due)),
            _ => r.sla.due_at.map(Date::from),
        },
        first_contact_at: r.sla.first_contact_at.map(Date::from),
        breached,
        near_breach,
        minutes_left: left.map(|l| l.as_secs().div_euclid(60)),
    }
}

/// Where an attached file is downloaded.
pub fn file_uri(request_id: impl std::fmt::Display, file: &FileRecord) -> String {
    format!("/v1/servicerequests/{request_id}/files/{}", file.file.id)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SupportTopic)]
pub struct TopicShape<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    service_id: &'a str,
    #[schema(schema_with = words::<Category>)]
    category: Category,
}

pub fn topic(t: &SupportTopic) -> TopicShape<'_> {
    TopicShape {
        id: &t.id,
        name: &t.name,
        description: &t.description,
        service_id: &t.service_id,
        category: t.category,
    }
}

/// An organization: the operator, a partner or a customer (customers carry a domain and tenant).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Organization)]
pub struct OrganizationShape<'a> {
    id: String,
    #[schema(schema_with = words::<OrgKind>)]
    kind: OrgKind,
    name: &'a str,
    country: Option<&'a str>,
    phone_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_id: Option<String>,
    /// When the operator suspended this partner (its people cannot sign in); absent if active.
    #[serde(skip_serializing_if = "Option::is_none")]
    suspended_at: Option<Date>,
}

pub fn organization(o: &Organization) -> OrganizationShape<'_> {
    OrganizationShape {
        id: o.id.to_string(),
        kind: o.kind,
        name: &o.name,
        country: o.country.as_deref(),
        phone_number: o.phone.as_deref(),
        domain: o.domain.as_deref(),
        tenant_id: o.domain.as_ref().map(|_| o.id.to_string()),
        suspended_at: o.suspended_at.map(Date::from),
    }
}

/// The three links of a managed service, as in Partner Center.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManagedServiceLinks {
    /// The customer's admin center for this service.
    admin_service: Link,
    service_health: Link,
    service_ticket: Link,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ManagedService)]
pub struct ManagedServiceShape<'a> {
    id: &'a str,
    name: &'a str,
    links: ManagedServiceLinks,
}

pub fn managed_service<'a>(customer_id: &str, m: &'a ManagedService) -> ManagedServiceShape<'a> {
    let service = &m.service.id;
    ManagedServiceShape {
        id: service,
        name: &m.service.name,
        links: ManagedServiceLinks {
            admin_service: Link::get(m.admin_url.clone()),
            service_health: Link::get(format!(
                "/v1/customers/{customer_id}/serviceincidents?serviceId={service}"
            )),
            service_ticket: Link::get(format!(
                "/v1/customers/{customer_id}/servicerequests?serviceId={service}"
            )),
        },
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserShape<'a> {
    id: String,
    email: &'a str,
    name: &'a str,
    locale: Option<&'a str>,
}

#[derive(Serialize, ToSchema)]
pub struct OwnOrganization<'a> {
    id: String,
    #[schema(schema_with = words::<OrgKind>)]
    kind: OrgKind,
    name: &'a str,
}

/// The caller: user, organization and roles.
#[derive(Serialize, ToSchema)]
pub struct Me<'a> {
    user: UserShape<'a>,
    organization: OwnOrganization<'a>,
    #[schema(schema_with = role_list)]
    roles: [Role; 1],
}

pub fn me(u: &User) -> Me<'_> {
    Me {
        user: UserShape {
            id: u.id.to_string(),
            email: &u.email,
            name: &u.name,
            locale: u.locale.as_deref(),
        },
        organization: OwnOrganization {
            id: u.org_id.to_string(),
            kind: u.org_kind,
            name: &u.org_name,
        },
        roles: [u.role],
    }
}

/// How a partner's customers reach its support desk.
#[derive(Serialize, ToSchema)]
#[schema(as = SupportProfile)]
pub struct SupportProfileShape<'a> {
    email: Option<&'a str>,
    telephone: Option<&'a str>,
    website: Option<&'a str>,
    hours: Option<&'a str>,
}

pub fn support_profile(p: &SupportProfile) -> SupportProfileShape<'_> {
    SupportProfileShape {
        email: p.email.as_deref(),
        telephone: p.phone.as_deref(),
        website: p.website.as_deref(),
        hours: p.hours.as_deref(),
    }
}

/// One change in a request's history.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AuditEvent)]
pub struct AuditEventShape<'a> {
    at: Date,
    actor_name: &'a str,
    actor_id: Option<String>,
    action: &'a str,
    /// What changed, by field.
    detail: &'a serde_json::Value,
}

pub fn audit_event(e: &AuditEvent) -> AuditEventShape<'_> {
    AuditEventShape {
        at: Date(e.at),
        actor_name: &e.actor_name,
        actor_id: e.actor_id.map(|a| a.to_string()),
        action: &e.action,
        detail: &e.detail,
    }
}

/// Links of a collection page.
#[derive(Serialize, ToSchema, Default, Debug, PartialEq)]
pub struct Links {
    #[serde(rename = "self", skip_serializing_if = "Option::is_none")]
    pub this: Option<Link>,
    /// The next page: an offset link, or a continuation token that stays stable as requests
    /// are added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Link>,
}

/// A page of items: `{totalCount, items, links, attributes}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    total_count: i64,
    items: Vec<T>,
    links: Links,
    attributes: Attributes,
}

pub fn collection<T>(total: i64, items: Vec<T>, links: Links) -> Collection<T> {
    Collection {
        total_count: total,
        items,
        links,
        attributes: Attributes {
            object_type: "Collection",
            etag: None,
        },
    }
}

/// The whole list, unpaged.
pub fn whole<T>(items: Vec<T>) -> Collection<T> {
    collection(items.len() as i64, items, Links::default())
}

/// A new session: the CSRF token to echo in `X-CSRF-Token`, and the caller.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Session)]
pub struct SessionShape<'a> {
    csrf_token: &'a str,
    me: Me<'a>,
}

pub fn session<'a>(csrf_token: &'a str, user: &'a User) -> SessionShape<'a> {
    SessionShape {
        csrf_token,
        me: me(user),
    }
}
