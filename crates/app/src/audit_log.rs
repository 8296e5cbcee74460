//! The audit log viewer: every recorded change, filtered and paged, for the operator's admins
//! and leads (who answer for what happened), and exported whole as CSV by the edges.

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::{
    FieldError,
    fields::{self, limits},
};
use partnerdesk_store::{AuditEvent, AuditFilter, Page};

use crate::{Actor, App, AppError, Result, policy};

/// What the viewer asks for, as given.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
}

/// The period shown unless asked otherwise.
pub const DEFAULT_PERIOD: SignedDuration = SignedDuration::from_hours(30 * 24);
/// The most events one export holds.
pub const MAX_EXPORT: i64 = 100_000;

impl App {
    fn audit_filter(&self, actor: &Actor, q: &AuditQuery) -> Result<AuditFilter> {
        if !policy::may_read_audit_log(actor) {
            return Err(AppError::Forbidden);
        }
        let until = q
            .until
            .unwrap_or_else(|| self.now() + SignedDuration::from_secs(1));
        let from = q.from.unwrap_or(until - DEFAULT_PERIOD);
        if from >= until {
            return Err(FieldError::invalid("from", "must be before until").into());
        }
        let text = |field, value: &Option<String>| {
            fields::optional_text(field, value.as_deref(), limits::SHORT)
        };
        Ok(AuditFilter {
            from,
            until,
            entity: text("entity", &q.entity)?,
            entity_id: text("entityId", &q.entity_id)?,
            action: text("action", &q.action)?,
            actor_name: text("actor", &q.actor)?,
        })
    }

    /// One page of the events that match, newest first.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        q: &AuditQuery,
        offset: i64,
        limit: i64,
    ) -> Result<Page<AuditEvent>> {
        let filter = self.audit_filter(actor, q)?;
        Ok(self.store.audit_log(&filter, offset, limit).await?)
    }

    /// Every event that matches (up to `MAX_EXPORT`), for an export.
    pub async fn audit_export(&self, actor: &Actor, q: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let filter = self.audit_filter(actor, q)?;
        Ok(self.store.audit_log(&filter, 0, MAX_EXPORT).await?.items)
    }
}
