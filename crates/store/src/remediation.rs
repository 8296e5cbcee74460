//! Remediation plans and their actions (see `partnerdesk_domain::remediation`).

use jiff::{Timestamp, civil::Date};
use partnerdesk_domain::{Guid, RequestId, remediation::PlanStatus};
use sqlx::{AssertSqlSafe, any::AnyRow};

use crate::{
    AuditEntry, Store, StoreError, audit,
    rows::{guid, int, micros, opt_guid, opt_text, opt_time, text, time, word},
};

#[derive(Debug, Clone, PartialEq)]
pub struct PlanAction {
    pub id: i64,
    pub text: String,
    pub owner: String,
    pub due: Option<Date>,
    pub done_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemediationPlan {
    pub id: i64,
    pub partner_id: Guid,
    pub partner_name: String,
    pub status: PlanStatus,
    /// Why it was proposed (the numbers at the time).
    pub basis: String,
    /// The improperly escalated requests it is about.
    pub evidence: Vec<RequestId>,
    pub meeting_at: Option<Timestamp>,
    pub attendees: Option<String>,
    pub summary: Option<String>,
    /// The partner's global admin who acknowledged it: (id, name, when).
    pub acknowledged: Option<(Guid, String, Timestamp)>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
    pub actions: Vec<PlanAction>,
}

const SELECT_PLAN: &str = "SELECT p.*, (SELECT name FROM organizations WHERE id = p.partner_id)
    AS partner_name FROM remediation_plans p";

fn plan(row: &AnyRow) -> Result<RemediationPlan, StoreError> {
    let evidence: Vec<i64> = serde_json::from_str(&text(row, "evidence")?)
        .map_err(|e| StoreError::Corrupt(format!("plan evidence: {e}")))?;
    let acknowledged = match (
        opt_guid(row, "acknowledged_by")?,
        opt_time(row, "acknowledged_at")?,
    ) {
        (Some(by), Some(at)) => Some((
            by,
            opt_text(row, "acknowledged_by_name")?.unwrap_or_default(),
            at,
        )),
        _ => None,
    };
    Ok(RemediationPlan {
        id: int(row, "id")?,
        partner_id: guid(row, "partner_id")?,
        partner_name: opt_text(row, "partner_name")?.unwrap_or_default(),
        status: word(row, "status")?,
        basis: text(row, "basis")?,
        evidence: evidence.into_iter().filter_map(RequestId::new).collect(),
        meeting_at: opt_time(row, "meeting_at")?,
        attendees: opt_text(row, "attendees")?,
        summary: opt_text(row, "summary")?,
        acknowledged,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: int(row, "version")?,
        actions: vec![],
    })
}

fn action(row: &AnyRow) -> Result<PlanAction, StoreError> {
    Ok(PlanAction {
        id: int(row, "id")?,
        text: text(row, "text")?,
        owner: text(row, "owner")?,
        due: opt_text(row, "due_date")?
            .map(|d| {
                d.parse()
                    .map_err(|e| StoreError::Corrupt(format!("due date: {e}")))
            })
            .transpose()?,
        done_at: opt_time(row, "done_at")?,
    })
}

fn evidence_json(evidence: &[RequestId]) -> String {
    serde_json::to_string(&evidence.iter().map(|r| r.get()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

impl Store {
    /// Opens a plan; `Duplicate` if the partner already has an open one.
    pub async fn insert_plan(
        &self,
        plan: &RemediationPlan,
        created: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO remediation_plans (partner_id, status, basis, evidence, created_at,
               updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $5, 1) RETURNING id",
        )
        .bind(plan.partner_id.to_string())
        .bind(plan.status.to_string())
        .bind(&plan.basis)
        .bind(evidence_json(&plan.evidence))
        .bind(micros(plan.created_at))
        .fetch_one(&mut *tx)
        .await?;
        audit::record_created(&mut tx, created, id).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One plan with its actions.
    pub async fn plan(&self, id: i64) -> Result<RemediationPlan, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!("{SELECT_PLAN} WHERE p.id = $1")))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut found = plan(&row)?;
        let actions =
            sqlx::query("SELECT * FROM remediation_actions WHERE plan_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&self.read)
                .await?;
        found.actions = actions.iter().map(action).collect::<Result<_, _>>()?;
        Ok(found)
    }

    /// Plans, newest first (of one partner if given), without their actions.
    pub async fn plans(&self, partner: Option<Guid>) -> Result<Vec<RemediationPlan>, StoreError> {
        let one = if partner.is_some() {
            "WHERE p.partner_id = $1"
        } else {
            "WHERE $1 = $1"
        };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{SELECT_PLAN} {one} ORDER BY p.created_at DESC, p.id DESC"
        )))
        .bind(partner.map(|p| p.to_string()).unwrap_or_default())
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(plan).collect()
    }

    /// Writes a changed plan (status, meeting, acknowledgement, summary) if still at
    /// `plan.version`, and its actions' new state (`done_at`); new actions are inserted.
    pub async fn save_plan(
        &self,
        plan: &RemediationPlan,
        history: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        let (ack_by, ack_name, ack_at) = match &plan.acknowledged {
            Some((by, name, at)) => (Some(by.to_string()), Some(name.clone()), Some(micros(*at))),
            None => (None, None, None),
        };
        let done = sqlx::query(
            "UPDATE remediation_plans SET status = $3, meeting_at = $4, attendees = $5,
               summary = $6, acknowledged_by = $7, acknowledged_by_name = $8,
               acknowledged_at = $9, updated_at = $10, version = version + 1
             WHERE id = $1 AND version = $2",
        )
        .bind(plan.id)
        .bind(plan.version)
        .bind(plan.status.to_string())
        .bind(plan.meeting_at.map(micros))
        .bind(&plan.attendees)
        .bind(&plan.summary)
        .bind(ack_by)
        .bind(ack_name)
        .bind(ack_at)
        .bind(micros(plan.updated_at))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Concurrent);
        }
        for a in &plan.actions {
            if a.id == 0 {
                sqlx::query(
                    "INSERT INTO remediation_actions (plan_id, text, owner, due_date, done_at,
                       created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(plan.id)
                .bind(&a.text)
                .bind(&a.owner)
                .bind(a.due.map(|d| d.to_string()))
                .bind(a.done_at.map(micros))
                .bind(micros(plan.updated_at))
                .execute(&mut *tx)
                .await?;
            } else {
                sqlx::query(
                    "UPDATE remediation_actions SET done_at = $3 WHERE id = $1 AND plan_id = $2",
                )
                .bind(a.id)
                .bind(plan.id)
                .bind(a.done_at.map(micros))
                .execute(&mut *tx)
                .await?;
            }
        }
        audit::record(&mut tx, history).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The partner's requests that reached the operator in the period and count as improperly
    /// escalated now (the evidence of a plan).
    pub async fn improper_requests(
        &self,
        partner: Guid,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<RequestId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT r.id FROM service_requests r JOIN escalation_reviews v ON v.request_id = r.id
             WHERE r.partner_id = $1 AND r.escalated_at >= $2 AND r.escalated_at < $3
               AND v.verdict = 'improper' AND (v.outcome IS NULL OR v.outcome <> 'overturned')
             ORDER BY r.id",
        )
        .bind(partner.to_string())
        .bind(micros(from))
        .bind(micros(until))
        .fetch_all(&self.read)
        .await?;
        Ok(ids.into_iter().filter_map(RequestId::new).collect())
    }
}
