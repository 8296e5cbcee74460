//! What the store returns: plain records built from domain types.

use jiff::Timestamp;
use partnerdesk_domain::{
    Category, ContactChannel, EscalationCriterion, Guid, NoteVisibility, OrgKind, RequestId,
    RequestKind, Role, Severity, State, Tier, sla::SlaClock,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: Guid,
    pub kind: OrgKind,
    pub name: String,
    pub domain: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub time_zone: Option<String>,
    pub created_at: Timestamp,
    /// Suspended by the operator: its people cannot sign in (a partner only).
    pub suspended_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: Guid,
    pub org_id: Guid,
    pub org_kind: OrgKind,
    pub org_name: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Option<String>,
    pub phone: Option<String>,
    pub disabled: bool,
}

/// A user with the stored password hash, for sign-in only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    pub id: Guid,
    pub user_id: Guid,
    pub name: String,
    pub scope: partnerdesk_domain::TokenScope,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// Who a token or session belongs to.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: User,
    /// The token id, or `None` for a session.
    pub token_id: Option<Guid>,
    pub last_used_at: Option<Timestamp>,
    /// The session's CSRF token (sessions only).
    pub csrf_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub admin_url_template: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SupportTopic {
    pub id: String,
    pub service_id: String,
    pub name: String,
    pub description: String,
    pub category: Category,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SupportProfile {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub hours: Option<String>,
}

/// The partner's contact for a request: the operator calls the partner, not the customer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub channel: Option<ContactChannel>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRequest {
    pub id: RequestId,
    pub kind: RequestKind,
    pub partner_id: Guid,
    pub partner_name: String,
    pub customer_id: Option<Guid>,
    /// The organization the request is about: the customer, or the partner for its own.
    pub organization_name: String,
    pub organization_phone: Option<String>,
    pub service_id: Option<String>,
    pub service_name: Option<String>,
    pub topic_id: Option<String>,
    pub topic_name: Option<String>,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub state: State,
    pub tier: Tier,
    pub holder_org_id: Guid,
    pub assigned_to: Option<Guid>,
    pub escalation_criterion: Option<EscalationCriterion>,
    pub troubleshooting: Option<String>,
    /// Escalated without a criterion or troubleshooting: flagged for the operator.
    pub escalation_incomplete: bool,
    pub contact: Contact,
    pub country_code: Option<String>,
    pub agent_locale: String,
    pub created_by: Guid,
    pub last_updated_by: String,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
    pub escalated_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// The incident that explains it, if linked.
    pub incident_id: Option<i64>,
    /// The request this duplicate was merged into (it is closed then).
    pub merged_into: Option<RequestId>,
    pub sla: RequestSla,
    pub version: i64,
}

/// A request's first-response SLA as stored: the clock, and the instants the queue orders by
/// and the sweep acts on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RequestSla {
    /// None: the request never reached the operator.
    pub clock: Option<SlaClock>,
    /// When the target runs out (while the clock runs).
    pub due_at: Option<Timestamp>,
    /// When it becomes near breach (while the clock runs and is not yet past that point).
    pub warn_at: Option<Timestamp>,
    /// When the sweep marked it near breach / breached (once per plan).
    pub warned_at: Option<Timestamp>,
    pub breached_at: Option<Timestamp>,
    /// The first contact the operator logged.
    pub first_contact_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: i64,
    pub request_id: RequestId,
    pub author_id: Guid,
    pub author_name: String,
    pub visibility: NoteVisibility,
    pub body: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: i64,
    pub at: Timestamp,
    pub actor_id: Option<Guid>,
    pub actor_name: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub detail: serde_json::Value,
}

/// A page of a listing plus how many match in all.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub total: i64,
    pub items: Vec<T>,
}
