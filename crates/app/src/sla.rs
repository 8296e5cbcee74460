//! The first-response SLA of requests (product.md "SLA"): the clock follows every change —
//! started when a request reaches the operator, paused while the operator awaits the partner,
//! stopped by the first contact with the partner (or by a resolution without one) —, contacts
//! are logged, and a sweep marks near-breaches and breaches once each, as history events the
//! notification work reads.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::{
    Category, ContactChannel, EnumText, FieldError, Severity, State, Tier,
    fields::{self, limits},
    sla::{PolicySpec, SlaClock, SlaPolicy, SlaState},
};
use partnerdesk_store::{ContactRecord, NewContact, RequestSla, ServiceRequest, SlaMark};

use crate::{Actor, App, AppError, Result, policy, requests::RequestView};

/// A contact with the partner, as logged.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub channel: Option<String>,
    pub outcome: Option<String>,
    /// When it happened, if not now.
    pub at: Option<Timestamp>,
}

/// What one sweep marked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlaSweep {
    pub near_breaches: u64,
    pub breaches: u64,
}

impl App {
    /// The policy in force on this node (see `load_sla_policy`).
    pub fn sla_policy(&self) -> Arc<SlaPolicy> {
        self.sla_policy
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Takes the policy written in the database, if any (at start, and at each upkeep so that
    /// every node follows an admin's edit within a minute).
    pub async fn load_sla_policy(&self) -> Result<()> {
        let Some(json) = self.store.sla_policy_spec().await? else {
            return Ok(());
        };
        let spec: PolicySpec = serde_json::from_str(&json)
            .map_err(|e| AppError::Internal(format!("stored SLA policy: {e}")))?;
        let policy = spec
            .to_policy()
            .map_err(|e| AppError::Internal(format!("stored SLA policy: {e}")))?;
        *self.sla_policy.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(policy);
        Ok(())
    }

    /// The policy as its admin writes it (the operator's support people read it).
    pub fn sla_policy_spec(&self, actor: &Actor) -> Result<PolicySpec> {
        if !policy::may_read_sla_policy(actor) {
            return Err(AppError::Forbidden);
        }
        Ok(PolicySpec::of(&self.sla_policy()))
    }

    /// The operator's admin replaces the policy. Requests already at the operator keep their
    /// planned due time until their next change re-plans it under the new policy.
    pub async fn set_sla_policy(&self, actor: &Actor, spec: &PolicySpec) -> Result<PolicySpec> {
        if !(actor.is_operator() && actor.role() == partnerdesk_domain::Role::OperatorAdmin) {
            return Err(AppError::Forbidden);
        }
        let policy = spec.to_policy()?;
        let json = serde_json::to_string(spec).map_err(|e| AppError::Internal(e.to_string()))?;
        let entry = self.audit_entry(
            actor,
            "sla_policy",
            "default",
            "changed",
            serde_json::to_value(spec).unwrap_or_default(),
        );
        self.store
            .save_sla_policy_spec(&json, self.now(), &entry)
            .await?;
        *self.sla_policy.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(policy);
        Ok(PolicySpec::of(&self.sla_policy()))
    }

    /// The SLA of a new request: a running clock if it goes straight to the operator.
    pub(crate) fn opening_sla(
        &self,
        tier: Tier,
        severity: Severity,
        category: Category,
        at: Timestamp,
    ) -> RequestSla {
        let mut sla = RequestSla::default();
        if tier == Tier::Operator {
            sla.clock = Some(SlaClock::start(at));
            self.plan_sla(&mut sla, severity, category);
        }
        sla
    }

    /// The SLA of a request first contacted `waited` after it reached the operator, counted
    /// as open time (synthetic loads).
    pub(crate) fn answered_sla(
        &self,
        severity: Severity,
        category: Category,
        at: Timestamp,
        waited: SignedDuration,
    ) -> RequestSla {
        let mut sla = RequestSla {
            clock: Some(SlaClock {
                consumed: waited,
                running_since: None,
                stopped_at: Some(at + waited),
            }),
            first_contact_at: Some(at + waited),
            ..RequestSla::default()
        };
        self.plan_sla(&mut sla, severity, category);
        sla
    }

    /// Moves the clock for the change from `before` to `request`, made at `now`, and plans its
    /// instants again. A new target (severity or category changed) is a new plan: the sweep may
    /// mark it again.
    pub(crate) fn follow_sla(
        &self,
        before: &ServiceRequest,
        request: &mut ServiceRequest,
        now: Timestamp,
    ) {
        let policy = self.sla_policy();
        let was = policy.target(before.severity, before.category);
        let mut clock = match request.sla.clock {
            Some(clock) => clock,
            None if request.tier == Tier::Operator => SlaClock::start(now),
            None => return,
        };
        let waiting = |r: &ServiceRequest| r.state == State::AwaitingPartner;
        clock = match (waiting(before), waiting(request)) {
            (false, true) => clock.pause(now, &was),
            (true, false) => clock.resume(now),
            _ => clock,
        };
        if matches!(request.state, State::Resolved | State::Closed) {
            clock = clock.stop(now, &was);
        }
        request.sla.clock = Some(clock);
        if (before.severity, before.category) != (request.severity, request.category) {
            request.sla.warned_at = None;
            request.sla.breached_at = None;
        }
        self.plan_sla(&mut request.sla, request.severity, request.category);
    }

    /// Sets the instants the queue orders by and the sweep looks for.
    fn plan_sla(&self, sla: &mut RequestSla, severity: Severity, category: Category) {
        let policy = self.sla_policy();
        let target = policy.target(severity, category);
        let Some(clock) = sla.clock else {
            return;
        };
        sla.due_at = clock.due(&target);
        // A clock stopped past its target was breached when it stopped (the sweep marks only
        // running ones): the scorecards count breaches by this mark.
        if clock.stopped_at.is_some()
            && clock.consumed > target.first_response
            && sla.breached_at.is_none()
        {
            sla.breached_at = clock.stopped_at;
        }
        let warn_after =
            target.first_response * crate::domain::sla::NEAR_BREACH_PERCENT as i32 / 100;
        sla.warn_at = clock.running_since.and_then(|since| {
            let left = warn_after - clock.consumed;
            if left <= SignedDuration::ZERO {
                Some(since)
            } else {
                target.hours.add(since, left)
            }
        });
    }

    /// Where a request's clock stands now (`None`: it never reached the operator).
    pub fn sla_state(&self, request: &ServiceRequest) -> Option<SlaState> {
        let clock = request.sla.clock?;
        let policy = self.sla_policy();
        Some(clock.state(
            self.now(),
            &policy.target(request.severity, request.category),
        ))
    }

    /// Logs a contact with the partner; the first one stops the first-response clock.
    pub async fn log_contact(
        &self,
        actor: &Actor,
        id: &str,
        input: &ContactInput,
    ) -> Result<RequestView> {
        let mut problems = vec![];
        let channel = match input.channel.as_deref().map(ContactChannel::parse_text) {
            None => Err(FieldError::required("channel")),
            Some(parsed) => parsed.map_err(|e| FieldError::not_one_of("channel", e)),
        }
        .map_err(|e| problems.push(e))
        .ok();
        let outcome = fields::required_text("outcome", input.outcome.as_deref(), limits::NOTE)
            .map_err(|e| problems.push(e))
            .ok();
        let now = self.now();
        let at = input.at.unwrap_or(now);
        if at > now {
            problems.push(FieldError::invalid(
                "at",
                "a contact cannot be in the future",
            ));
        }
        let (Some(channel), Some(outcome)) = (channel, outcome) else {
            return Err(AppError::Invalid(problems));
        };
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        self.change_request(actor, id, None, |request, added, history| {
            policy::check_contact(actor, request)?;
            if request.escalated_at.is_some_and(|e| at < e) {
                return Err(
                    FieldError::invalid("at", "before the request reached the operator").into(),
                );
            }
            let first = self.first_contact(request, at);
            added.contact = Some(NewContact {
                channel,
                outcome: outcome.clone(),
                contacted_at: at,
                by_user: actor.id(),
                by_name: actor.name().to_string(),
                at: now,
            });
            history.push(self.history(
                actor,
                request,
                "contact_logged",
                serde_json::json!({ "channel": channel, "at": at, "first": first }),
            ));
            Ok(())
        })
        .await
    }

    /// Records a contact at `at` on the request's clock; true if it was the first (which stops
    /// the clock).
    pub(crate) fn first_contact(&self, request: &mut ServiceRequest, at: Timestamp) -> bool {
        if request.sla.first_contact_at.is_some() {
            return false;
        }
        request.sla.first_contact_at = Some(at);
        let policy = self.sla_policy();
        let target = policy.target(request.severity, request.category);
        request.sla.clock = request.sla.clock.map(|c| c.stop(at, &target));
        true
    }

    /// A request's logged contacts, for those who see it (the partner too: it was contacted).
    pub async fn request_contacts(&self, actor: &Actor, id: &str) -> Result<Vec<ContactRecord>> {
        let request = self.visible_request(actor, id).await?;
        Ok(self.store.request_contacts(request.id).await?)
    }

    /// Marks what has become near breach or breached since the last sweep, once each however
    /// many nodes sweep.
    pub async fn sweep_sla(&self) -> Result<SlaSweep> {
        let now = self.now();
        let mut sweep = SlaSweep::default();
        for mark in [SlaMark::NearBreach, SlaMark::Breached] {
            let marked = self
                .store
                .mark_sla(mark, now, |id| partnerdesk_store::AuditEntry {
                    at: now,
                    actor_id: None,
                    actor_name: "partnerdesk".into(),
                    org_id: None,
                    entity: "service_request",
                    entity_id: id.to_string(),
                    action: mark.action().into(),
                    detail: serde_json::json!({}),
                })
                .await?;
            match mark {
                SlaMark::NearBreach => sweep.near_breaches = marked.len() as u64,
                SlaMark::Breached => sweep.breaches = marked.len() as u64,
            }
        }
        Ok(sweep)
    }
}
