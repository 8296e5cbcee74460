//! Remediation plans (product.md): proposed when a partner crosses the improper-escalation
//! threshold over the trailing 90 days (upkeep does it, once however many nodes run), opened by
//! a lead with the flagged requests as evidence, run through a meeting and agreed actions,
//! acknowledged by the partner's global admin, who sees the same plan and its progress.

use jiff::{Timestamp, civil::Date};
use partnerdesk_domain::{
    EnumText, FieldError, Guid, OrgKind,
    fields::{self, limits},
    remediation::PlanStatus,
    scorecard::Scorecard,
};
use partnerdesk_store::{AuditEntry, PlanAction, RemediationPlan, StoreError};

use crate::{Actor, App, AppError, Result, policy, scorecards::TRAILING};

/// A change to a plan: each field given is set.
#[derive(Debug, Clone, Default)]
pub struct PlanPatch {
    pub status: Option<String>,
    pub meeting_at: Option<Timestamp>,
    pub attendees: Option<String>,
    pub summary: Option<String>,
}

/// An agreed action.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub text: Option<String>,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
}

impl App {
    fn plan_entry(
        &self,
        actor: Option<&Actor>,
        plan: &RemediationPlan,
        action: &str,
        detail: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            at: self.now(),
            actor_id: actor.map(Actor::id),
            actor_name: actor
                .map(|a| a.name().to_string())
                .unwrap_or_else(|| "partnerdesk".into()),
            org_id: Some(plan.partner_id),
            entity: "remediation_plan",
            entity_id: plan.id.to_string(),
            action: action.into(),
            detail,
        }
    }

    /// A new plan for `partner_id` with the improper escalations of the trailing 90 days as
    /// evidence; `None` if it already has an open one.
    async fn new_plan(
        &self,
        actor: Option<&Actor>,
        partner_id: Guid,
    ) -> Result<Option<RemediationPlan>> {
        let now = self.now();
        let evidence = self
            .store
            .improper_requests(partner_id, now - TRAILING, now)
            .await?;
        let mut plan = RemediationPlan {
            id: 0,
            partner_id,
            partner_name: String::new(),
            status: PlanStatus::Proposed,
            basis: String::new(),
            evidence,
            meeting_at: None,
            attendees: None,
            summary: None,
            acknowledged: None,
            created_at: now,
            updated_at: now,
            version: 1,
            actions: vec![],
        };
        let card = self.partner_card(partner_id).await?;
        plan.basis = format!(
            "{} of {} escalations improper in the 90 days to {}",
            card.counts.improper,
            card.counts.escalations,
            now.strftime("%Y-%m-%d")
        );
        let created = self.plan_entry(
            actor,
            &plan,
            "proposed",
            serde_json::json!({ "basis": plan.basis }),
        );
        match self.store.insert_plan(&plan, &created).await {
            Ok(id) => Ok(Some(self.store.plan(id).await?)),
            Err(StoreError::Duplicate(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn partner_card(&self, partner_id: Guid) -> Result<Scorecard> {
        let cards = self.partner_cards(Some(partner_id)).await?;
        Ok(cards
            .into_iter()
            .find(|(p, _)| *p == partner_id)
            .map(|(_, card)| card)
            .unwrap_or_else(|| {
                Scorecard::new(Default::default(), vec![], self.remediation_threshold())
            }))
    }

    /// The trailing 90 days' counts of every partner with escalations (or of one), as cards
    /// for the threshold (no contact times).
    async fn partner_cards(&self, partner: Option<Guid>) -> Result<Vec<(Guid, Scorecard)>> {
        let now = self.now();
        let window = partnerdesk_store::ScoreWindow::whole_days(now - TRAILING, now);
        let rows = self.store.score_rows(partner, &window).await?;
        let mut partners: Vec<Guid> = rows.iter().filter_map(|r| r.partner_id).collect();
        partners.sort();
        partners.dedup();
        Ok(partners
            .into_iter()
            .map(|p| {
                let counts = crate::scorecards::counts_of(
                    rows.iter().filter(|r| r.partner_id == Some(p)),
                    0,
                );
                (
                    p,
                    Scorecard::new(counts, vec![], self.remediation_threshold()),
                )
            })
            .collect())
    }

    /// Proposes a plan to every partner over the threshold without an open one; returns how
    /// many it proposed.
    pub async fn propose_plans(&self) -> Result<u64> {
        let mut proposed = 0;
        for (partner_id, card) in self.partner_cards(None).await? {
            if card.over_threshold && self.new_plan(None, partner_id).await?.is_some() {
                proposed += 1;
            }
        }
        Ok(proposed)
    }

    /// A lead opens a plan with a partner (whatever its numbers).
    pub async fn open_plan(&self, actor: &Actor, partner_id: &str) -> Result<RemediationPlan> {
        if !policy::may_manage_plans(actor) {
            return Err(AppError::Forbidden);
        }
        let partner_id: Guid = partner_id
            .parse()
            .map_err(|_| FieldError::invalid("partnerId", "not a partner id"))?;
        let partner = self
            .store
            .organization(partner_id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => FieldError::invalid("partnerId", "no such partner").into(),
                e => AppError::from(e),
            })?;
        if partner.kind != OrgKind::Partner {
            return Err(FieldError::invalid("partnerId", "no such partner").into());
        }
        self.new_plan(Some(actor), partner_id)
            .await?
            .ok_or(AppError::Duplicate("open remediation plan"))
    }

    /// The plans the actor may read, newest first.
    pub async fn remediation_plans(&self, actor: &Actor) -> Result<Vec<RemediationPlan>> {
        let partner = match actor.org_kind() {
            OrgKind::Operator => None,
            _ => Some(actor.org_id()),
        };
        policy::check_read_plans(actor, partner.unwrap_or(actor.org_id()))?;
        Ok(self.store.plans(partner).await?)
    }

    /// One plan with its actions.
    pub async fn remediation_plan(&self, actor: &Actor, id: &str) -> Result<RemediationPlan> {
        let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        let plan = self.store.plan(id).await?;
        policy::check_read_plans(actor, plan.partner_id)?;
        Ok(plan)
    }

    /// Loads a plan the actor may read, lets `change` modify it, saves it with a history event.
    async fn change_plan_with(
        &self,
        actor: &Actor,
        id: &str,
        action: &str,
        change: impl Fn(&mut RemediationPlan) -> Result<()>,
    ) -> Result<RemediationPlan> {
        let mut plan = self.remediation_plan(actor, id).await?;
        change(&mut plan)?;
        plan.updated_at = self.now();
        let entry = self.plan_entry(
            Some(actor),
            &plan,
            action,
            serde_json::json!({ "status": plan.status }),
        );
        match self.store.save_plan(&plan, &entry).await {
            Ok(()) => Ok(self.store.plan(plan.id).await?),
            Err(StoreError::Concurrent) => Err(AppError::PreconditionFailed),
            Err(e) => Err(e.into()),
        }
    }

    /// A lead sets the meeting, the summary, or moves the plan on.
    pub async fn change_plan(
        &self,
        actor: &Actor,
        id: &str,
        patch: &PlanPatch,
    ) -> Result<RemediationPlan> {
        if !policy::may_manage_plans(actor) {
            self.remediation_plan(actor, id).await?;
            return Err(AppError::Forbidden);
        }
        let status = patch
            .status
            .as_deref()
            .map(|s| PlanStatus::parse_text(s).map_err(|e| FieldError::not_one_of("status", e)))
            .transpose()?;
        let attendees =
            fields::optional_text("attendees", patch.attendees.as_deref(), limits::NOTE)?;
        let summary = fields::optional_text("summary", patch.summary.as_deref(), limits::NOTE)?;
        self.change_plan_with(actor, id, "changed", |plan| {
            if patch.meeting_at.is_some() {
                plan.meeting_at = patch.meeting_at;
            }
            if attendees.is_some() {
                plan.attendees = attendees.clone();
            }
            if summary.is_some() {
                plan.summary = summary.clone();
            }
            if let Some(next) = status.filter(|s| *s != plan.status) {
                let has_meeting = plan.meeting_at.is_some() && plan.attendees.is_some();
                plan.status
                    .check_move(next, plan.acknowledged.is_some(), has_meeting)?;
                plan.status = next;
            }
            Ok(())
        })
        .await
    }

    /// A lead records an agreed action.
    pub async fn add_plan_action(
        &self,
        actor: &Actor,
        id: &str,
        input: &ActionInput,
    ) -> Result<RemediationPlan> {
        if !policy::may_manage_plans(actor) {
            self.remediation_plan(actor, id).await?;
            return Err(AppError::Forbidden);
        }
        let text = fields::required_text("text", input.text.as_deref(), limits::NOTE);
        let owner = fields::required_text("owner", input.owner.as_deref(), limits::NAME);
        let due = input
            .due
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| {
                d.parse::<Date>()
                    .map_err(|_| FieldError::invalid("due", "a date, YYYY-MM-DD"))
            })
            .transpose();
        let (text, owner, due) = match (text, owner, due) {
            (Ok(t), Ok(o), Ok(d)) => (t, o, d),
            (t, o, d) => {
                return Err(AppError::Invalid(
                    [t.err(), o.err(), d.err()].into_iter().flatten().collect(),
                ));
            }
        };
        self.change_plan_with(actor, id, "action_added", |plan| {
            if !plan.status.is_open() {
                return Err(FieldError::invalid("text", "the plan is closed").into());
            }
            plan.actions.push(PlanAction {
                id: 0,
                text: text.clone(),
                owner: owner.clone(),
                due,
                done_at: None,
            });
            Ok(())
        })
        .await
    }

    /// Marks an action done (or not): a lead, or the partner's global admin.
    pub async fn set_plan_action_done(
        &self,
        actor: &Actor,
        id: &str,
        action_id: &str,
        done: bool,
    ) -> Result<RemediationPlan> {
        let plan = self.remediation_plan(actor, id).await?;
        if !(policy::may_manage_plans(actor)
            || policy::is_plans_partner_admin(actor, plan.partner_id))
        {
            return Err(AppError::Forbidden);
        }
        let action_id: i64 = action_id.parse().map_err(|_| AppError::NotFound)?;
        if !plan.actions.iter().any(|a| a.id == action_id) {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        self.change_plan_with(
            actor,
            id,
            if done {
                "action_done"
            } else {
                "action_reopened"
            },
            |plan| {
                for a in plan.actions.iter_mut().filter(|a| a.id == action_id) {
                    a.done_at = done.then_some(now);
                }
                Ok(())
            },
        )
        .await
    }

    /// The partner's global admin acknowledges the plan (once).
    pub async fn acknowledge_plan(&self, actor: &Actor, id: &str) -> Result<RemediationPlan> {
        let plan = self.remediation_plan(actor, id).await?;
        if !policy::is_plans_partner_admin(actor, plan.partner_id) {
            return Err(AppError::Forbidden);
        }
        let now = self.now();
        self.change_plan_with(actor, id, "acknowledged", |plan| {
            if plan.acknowledged.is_none() {
                plan.acknowledged = Some((actor.id(), actor.name().to_string(), now));
            }
            Ok(())
        })
        .await
    }
}
