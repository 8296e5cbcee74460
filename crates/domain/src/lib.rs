//! partnerdesk's domain: plain types and rules, no I/O and no async.
//!
//! Types here can only be built valid; everything that crosses a boundary (HTTP, database,
//! CLI) is parsed into them first.

pub mod enum_text;
pub mod fields;
pub mod health;
pub mod ids;
pub mod lifecycle;
pub mod remediation;
pub mod request_kind;
pub mod review;
pub mod role;
pub mod scorecard;
pub mod search_terms;
pub mod severity;
pub mod sla;

pub use enum_text::{EnumText, UnknownValue};
pub use fields::{FieldError, FieldErrorKind, SizeUnit};
pub use health::{
    ArticleStatus, ContentLocale, DeflectionReason, IncidentKind, IncidentStatus, PublicSeverity,
    StatusChange,
};
pub use ids::{Guid, RequestId};
pub use lifecycle::{Action, IllegalTransition, PublicStatus, State, Tier};
pub use request_kind::{
    Category, ContactChannel, EscalationCriterion, NoteVisibility, RequestKind,
};
pub use role::{OrgKind, Role, TokenScope};
pub use severity::Severity;
