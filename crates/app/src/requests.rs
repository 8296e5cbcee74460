//! Service requests: filing (on behalf of a customer, a partner's own, a customer's to its
//! partner), reading, listing, changing, escalating, and the operator's basics.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::sla::SlaState;
use partnerdesk_domain::{
    Action, Category, ContactChannel, EnumText, EscalationCriterion, FieldError, Guid,
    NoteVisibility, OrgKind, PublicStatus, RequestId, RequestKind, Role, Severity, State, Tier,
    fields, fields::limits, lifecycle,
};
use partnerdesk_store::{
    AuditEntry, AuditEvent, Contact, Created, Cursor, FileRecord, IdempotencyKey, NewNote,
    NewRequest, Note, Page, RequestFilter, RequestSort, ServiceRequest, StoreError,
};

use crate::{
    Actor, App, AppError, Result, policy,
    validation::{Errors, parse_word},
};

/// An enum as a client sent it: a word or Partner Center's legacy integer.
#[derive(Debug, Clone, PartialEq)]
pub enum RawEnum {
    Text(String),
    Number(i64),
}

impl RawEnum {
    fn parts(&self) -> (Option<&str>, Option<i64>) {
        match self {
            RawEnum::Text(t) => (Some(t.as_str()), None),
            RawEnum::Number(n) => (None, Some(*n)),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub preferred_channel: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

/// A new request as submitted.
#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub severity: Option<RawEnum>,
    pub support_topic_id: Option<String>,
    pub escalation_criterion: Option<String>,
    pub troubleshooting: Option<String>,
    pub contact: Option<ContactInput>,
    pub country_code: Option<String>,
    /// A customer filing to its partner, when it has several.
    pub partner_id: Option<String>,
    /// `MS-RequestId` (or a form's submission id): a repeat within a day returns the request
    /// the first submission made instead of making another.
    pub idempotency_key: Option<String>,
    /// The console's form asks for everything product.md's flow requires (escalation
    /// criterion, troubleshooting done); the API, like Partner Center, only flags their absence.
    pub require_escalation_details: bool,
    /// Files the filer staged with the form (`App::stage_files`), attached with the request.
    pub attachments: Vec<String>,
}

/// A PATCH: each field present is a change; `unknown`/`none` enums mean no change.
#[derive(Debug, Clone, Default)]
pub struct RequestPatch {
    pub title: Option<String>,
    pub severity: Option<RawEnum>,
    pub status: Option<RawEnum>,
    pub new_note: Option<String>,
    pub note_visibility: Option<String>,
    /// Link to this incident; empty to unlink.
    pub incident_id: Option<String>,
    /// Why the operator changes the severity of a request it holds (required then: the SLA
    /// clock is re-planned against the new target).
    pub severity_reason: Option<String>,
}

/// What a change adds beside the request's own fields.
#[derive(Default)]
pub(crate) struct Additions {
    pub notes: Vec<NewNote>,
    /// A contact with the partner (see `App::log_contact`).
    pub contact: Option<partnerdesk_store::NewContact>,
}

/// A request with the notes the reader may see, and its attached files.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub request: ServiceRequest,
    pub notes: Vec<Note>,
    pub files: Vec<FileRecord>,
    /// Where its first-response clock stands (`None`: it never reached the operator).
    pub sla: Option<SlaState>,
    /// The operator's verdict on its escalation, with any dispute.
    pub review: Option<partnerdesk_domain::review::Review>,
}

/// The user as a request's contact.
fn contact_of(actor: &Actor) -> Contact {
    let mut names = actor.name().splitn(2, ' ');
    Contact {
        first_name: names.next().map(str::to_string),
        last_name: names.next().map(str::to_string),
        email: Some(actor.user.email.clone()),
        phone: actor.user.phone.clone(),
        channel: None,
        locale: actor.user.locale.clone(),
        time_zone: None,
    }
}

/// The public status a PATCH sets to take `action` (escalating is not a status change).
fn status_for(action: Action) -> PublicStatus {
    match action {
        Action::Start | Action::ProvideInfo | Action::Reopen => PublicStatus::Open,
        Action::AwaitCustomer | Action::AwaitPartner => PublicStatus::AttentionNeeded,
        Action::Resolve | Action::Close | Action::Escalate => PublicStatus::Closed,
    }
}

/// Parses the API's `sort` parameter.
pub fn parse_sort(value: Option<&str>) -> Result<RequestSort, FieldError> {
    Ok(match value.map(str::trim) {
        None | Some("") | Some("-created") => RequestSort::CreatedDesc,
        Some("created") => RequestSort::CreatedAsc,
        Some("-modified") => RequestSort::ModifiedDesc,
        Some("modified") => RequestSort::ModifiedAsc,
        Some("severity") => RequestSort::Severity,
        Some("urgency") => RequestSort::Urgency,
        Some(_) => {
            return Err(FieldError {
                field: "sort",
                kind: partnerdesk_domain::FieldErrorKind::NotOneOf {
                    allowed: vec![
                        "created",
                        "-created",
                        "modified",
                        "-modified",
                        "severity",
                        "urgency",
                    ],
                },
            });
        }
    })
}

pub fn parse_status(
    field: &'static str,
    raw: &RawEnum,
) -> Result<Option<PublicStatus>, FieldError> {
    let (text, number) = raw.parts();
    PublicStatus::parse_input(text, number).map_err(|e| FieldError::not_one_of(field, e))
}

pub fn parse_severity(field: &'static str, raw: &RawEnum) -> Result<Option<Severity>, FieldError> {
    let (text, number) = raw.parts();
    Severity::parse_input(text, number).map_err(|e| FieldError::not_one_of(field, e))
}

/// The validated parts of a `RequestInput`.
struct Validated {
    title: String,
    description: String,
    severity: Severity,
    topic: partnerdesk_store::SupportTopic,
    criterion: Option<EscalationCriterion>,
    troubleshooting: Option<String>,
    contact: Contact,
    country_code: Option<String>,
    idempotency_key: Option<String>,
    files: Vec<Guid>,
}

impl App {
    async fn validate(&self, actor: &Actor, input: &RequestInput) -> Result<Validated> {
        let mut errors = Errors::default();
        let title = errors.take(fields::required_text(
            "title",
            input.title.as_deref(),
            limits::TITLE,
        ));
        let description = errors.take(fields::required_text(
            "description",
            input.description.as_deref(),
            limits::DESCRIPTION,
        ));
        let severity = match &input.severity {
            None => errors.take(Err(FieldError::required("severity"))),
            Some(raw) => match errors.take(parse_severity("severity", raw)) {
                Some(None) => errors.take(Err(FieldError::required("severity"))),
                other => other.flatten(),
            },
        };
        let topic = match fields::optional_text(
            "supportTopicId",
            input.support_topic_id.as_deref(),
            limits::SHORT,
        ) {
            Ok(Some(id)) => match self.store.topic(&id).await {
                Ok(topic) => Some(topic),
                Err(StoreError::NotFound) => errors.take(Err(FieldError::invalid(
                    "supportTopicId",
                    "no such support topic",
                ))),
                Err(e) => return Err(e.into()),
            },
            Ok(None) => errors.take(Err(FieldError::required("supportTopicId"))),
            Err(e) => errors.take(Err(e)),
        };
        if let (Some(Severity::Critical), Some(topic)) = (severity, &topic)
            && topic.category == Category::Billing
        {
            errors.take::<()>(Err(FieldError::invalid(
                "severity",
                "billing requests are at most moderate",
            )));
        }
        let criterion = errors
            .take(parse_word::<EscalationCriterion>(
                "escalationCriterion",
                input.escalation_criterion.as_deref(),
            ))
            .flatten();
        let troubleshooting = errors
            .take(fields::optional_text(
                "troubleshooting",
                input.troubleshooting.as_deref(),
                limits::TROUBLESHOOTING,
            ))
            .flatten();
        if input.require_escalation_details {
            let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
            if blank(&input.escalation_criterion) {
                errors.take::<()>(Err(FieldError::required("escalationCriterion")));
            }
            if blank(&input.troubleshooting) {
                errors.take::<()>(Err(FieldError::required("troubleshooting")));
            }
        }
        let country_code = errors
            .take(fields::country_code(
                "countryCode",
                input.country_code.as_deref(),
            ))
            .flatten();
        let contact = self.contact(actor, input.contact.as_ref(), &mut errors);
        let files = match self.check_staged(actor, &input.attachments).await {
            Ok(files) => files,
            Err(AppError::Invalid(problems)) => {
                for problem in problems {
                    errors.take::<()>(Err(problem));
                }
                vec![]
            }
            Err(e) => return Err(e),
        };
        errors.finish()?;
        match (title, description, severity, topic) {
            (Some(title), Some(description), Some(severity), Some(topic)) => Ok(Validated {
                title,
                description,
                severity,
                topic,
                criterion,
                troubleshooting,
                contact,
                country_code,
                idempotency_key: input.idempotency_key.clone(),
                files,
            }),
            _ => Err(AppError::Internal("validation left a field unset".into())),
        }
    }

    /// The partner's contact: as given, else the filing user.
    fn contact(&self, actor: &Actor, input: Option<&ContactInput>, errors: &mut Errors) -> Contact {
        let Some(c) = input else {
            return contact_of(actor);
        };
        let text = |errors: &mut Errors, field, value: &Option<String>, max| {
            errors
                .take(fields::optional_text(field, value.as_deref(), max))
                .flatten()
        };
        Contact {
            first_name: text(
                errors,
                "primaryContact.firstName",
                &c.first_name,
                limits::NAME,
            ),
            last_name: text(
                errors,
                "primaryContact.lastName",
                &c.last_name,
                limits::NAME,
            ),
            email: errors
                .take(fields::email("primaryContact.email", c.email.as_deref()))
                .flatten(),
            phone: text(
                errors,
                "primaryContact.phoneNumber",
                &c.phone,
                limits::PHONE,
            ),
            channel: errors
                .take(parse_word::<ContactChannel>(
                    "primaryContact.preferredChannel",
                    c.preferred_channel.as_deref(),
                ))
                .flatten(),
            locale: match c.locale.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
                Some(l) => errors.take(fields::locale("primaryContact.locale", l)),
                None => None,
            },
            time_zone: text(
                errors,
                "primaryContact.timeZone",
                &c.time_zone,
                limits::SHORT,
            ),
        }
    }

    async fn operator_id(&self) -> Result<Guid> {
        self.operator_id
            .get_or_try_init(|| async {
                Ok(self
                    .store
                    .operator()
                    .await?
                    .ok_or_else(|| AppError::Internal("no operator organization".into()))?
                    .id)
            })
            .await
            .copied()
    }

    pub(crate) fn history(
        &self,
        actor: &Actor,
        request: &ServiceRequest,
        action: &str,
        detail: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            org_id: Some(request.partner_id),
            ..self.audit_entry(actor, "service_request", request.id, action, detail)
        }
    }

    /// Files a request about a customer: a partner agent on the customer's behalf (straight to
    /// the operator), or the customer's admin to its partner (held by the partner, state `new`).
    pub async fn create_customer_request(
        &self,
        actor: &Actor,
        customer_id: Guid,
        agent_locale: &str,
        input: &RequestInput,
    ) -> Result<RequestView> {
        let customer = self.customer(actor, customer_id).await?;
        if let Some(view) = self.replay(actor, input).await? {
            return Ok(view);
        }
        let agent_locale = fields::locale("agentLocale", agent_locale)?;
        let v = self.validate(actor, input).await?;
        let (partner_id, state, tier, holder) = match actor.org_kind() {
            OrgKind::Partner => {
                if !policy::may_file_for_customer(actor, v.topic.category) {
                    return Err(AppError::Forbidden);
                }
                (
                    actor.org_id(),
                    State::Escalated,
                    Tier::Operator,
                    self.operator_id().await?,
                )
            }
            OrgKind::Customer => {
                let partners = self.store.partners_of_customer(customer_id).await?;
                let partner = match input.partner_id.as_deref() {
                    Some(id) => id
                        .parse::<Guid>()
                        .ok()
                        .filter(|p| partners.contains(p))
                        .ok_or(FieldError::invalid("partnerId", "not one of your partners"))?,
                    None => *partners
                        .first()
                        .ok_or(FieldError::invalid("partnerId", "you have no partner"))?,
                };
                (partner, State::New, Tier::Partner, partner)
            }
            OrgKind::Operator => return Err(AppError::Forbidden),
        };
        let country_code = v.country_code.clone().or(customer.country.clone());
        self.insert_request(
            actor,
            RequestKind::Customer,
            partner_id,
            Some(customer_id),
            state,
            tier,
            holder,
            agent_locale,
            v,
            country_code,
        )
        .await
    }

    /// Files the partner's own request (platform, billing or account) with the operator.
    pub async fn create_partner_request(
        &self,
        actor: &Actor,
        agent_locale: &str,
        input: &RequestInput,
    ) -> Result<RequestView> {
        if actor.org_kind() != OrgKind::Partner {
            return Err(AppError::Forbidden);
        }
        if let Some(view) = self.replay(actor, input).await? {
            return Ok(view);
        }
        let agent_locale = fields::locale("agentLocale", agent_locale)?;
        let v = self.validate(actor, input).await?;
        if !policy::may_file_for_partner(actor, v.topic.category) {
            return Err(AppError::Forbidden);
        }
        let operator = self.operator_id().await?;
        let partner = self.organization_of(actor).await?;
        let country_code = v.country_code.clone().or(partner.country);
        self.insert_request(
            actor,
            RequestKind::Partner,
            actor.org_id(),
            None,
            State::Escalated,
            Tier::Operator,
            operator,
            agent_locale,
            v,
            country_code,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_request(
        &self,
        actor: &Actor,
        kind: RequestKind,
        partner_id: Guid,
        customer_id: Option<Guid>,
        state: State,
        tier: Tier,
        holder_org_id: Guid,
        agent_locale: String,
        v: Validated,
        country_code: Option<String>,
    ) -> Result<RequestView> {
        let now = self.now();
        let new = NewRequest {
            kind,
            partner_id,
            customer_id,
            service_id: Some(v.topic.service_id.clone()),
            topic_id: Some(v.topic.id.clone()),
            category: v.topic.category,
            escalation_incomplete: tier == Tier::Operator
                && (v.criterion.is_none() || v.troubleshooting.is_none()),
            title: v.title,
            description: v.description,
            severity: v.severity,
            state,
            tier,
            holder_org_id,
            escalation_criterion: v.criterion,
            troubleshooting: v.troubleshooting,
            contact: v.contact,
            country_code,
            agent_locale,
            created_by: actor.id(),
            last_updated_by: actor.name().to_string(),
            at: now,
            sla: self.opening_sla(tier, v.severity, v.topic.category, now),
        };
        let detail = serde_json::json!({
            "state": state, "tier": tier, "holder": holder_org_id.to_string(), "severity": new.severity,
        });
        let created = AuditEntry {
            org_id: Some(partner_id),
            ..self.audit_entry(actor, "service_request", "", "created", detail)
        };
        let key = self.idempotency_key(actor, v.idempotency_key.as_deref())?;
        let created = self
            .store
            .create_request_with_files(&new, &created, key.as_ref(), &v.files)
            .await?;
        match created {
            Created::New(request) => {
                let request = *request;
                let files = if v.files.is_empty() {
                    vec![]
                } else {
                    self.store.request_files(request.id).await?
                };
                Ok(RequestView {
                    sla: self.sla_state(&request),
                    request,
                    notes: vec![],
                    files,
                    review: None,
                })
            }
            Created::Existing(id) => self.request(actor, &id.to_string()).await,
        }
    }

    /// How long an idempotency key names the request it made.
    pub(crate) const IDEMPOTENCY_WINDOW: SignedDuration = SignedDuration::from_hours(24);

    fn idempotency_key<'a>(
        &self,
        actor: &Actor,
        key: Option<&'a str>,
    ) -> Result<Option<IdempotencyKey<'a>>> {
        let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else {
            return Ok(None);
        };
        fields::optional_text("MS-RequestId", Some(key), limits::IDEMPOTENCY_KEY)?;
        Ok(Some(IdempotencyKey {
            actor_id: actor.id(),
            key,
            live_after: self.now() - Self::IDEMPOTENCY_WINDOW,
        }))
    }

    /// The request an earlier submission with the same idempotency key made, if any.
    async fn replay(&self, actor: &Actor, input: &RequestInput) -> Result<Option<RequestView>> {
        let Some(key) = self.idempotency_key(actor, input.idempotency_key.as_deref())? else {
            return Ok(None);
        };
        match self.store.idempotent_request(&key).await? {
            Some(id) => Ok(Some(self.request(actor, &id.to_string()).await?)),
            None => Ok(None),
        }
    }

    /// One request, if the actor may see it.
    pub async fn request(&self, actor: &Actor, id: &str) -> Result<RequestView> {
        let id = id.parse::<RequestId>().map_err(|_| AppError::NotFound)?;
        let read = self
            .store
            .request_with_notes(id, policy::sees_internal_notes(actor))
            .await?;
        let (request, notes) = (read.request, read.notes);
        policy::check_can_see(actor, &request)?;
        let (files, review) = tokio::try_join!(
            async {
                match read.has_files {
                    true => self.store.request_files(request.id).await,
                    false => Ok(vec![]),
                }
            },
            async {
                match read.has_review {
                    true => self.store.review(request.id).await,
                    false => Ok(None),
                }
            }
        )?;
        Ok(RequestView {
            sla: self.sla_state(&request),
            request,
            notes,
            files,
            review: review.map(|(review, _)| review),
        })
    }

    /// One request reached through a customer's path: it must be that customer's.
    pub async fn customer_request(
        &self,
        actor: &Actor,
        customer_id: Guid,
        id: &str,
    ) -> Result<RequestView> {
        let view = self.request(actor, id).await?;
        if view.request.customer_id != Some(customer_id) {
            return Err(AppError::NotFound);
        }
        Ok(view)
    }

    /// The audit trail of one request, oldest first.
    pub async fn request_history(&self, actor: &Actor, id: &str) -> Result<Vec<AuditEvent>> {
        let view = self.request(actor, id).await?;
        let mut events = self
            .store
            .audit_events("service_request", &view.request.id.to_string())
            .await?;
        // Who may not read internal notes does not learn when they were written either.
        if !policy::sees_internal_notes(actor) {
            events.retain(|e| {
                !(e.action == "note_added"
                    && e.detail["visibility"] == NoteVisibility::Internal.as_str())
            });
        }
        Ok(events)
    }

    /// The actions the actor may take on the request now (its role, and what the request's
    /// state allows): what the request page offers.
    pub fn available_actions(&self, actor: &Actor, request: &ServiceRequest) -> Vec<Action> {
        let now = self.now();
        Action::ALL
            .iter()
            .copied()
            .filter(|action| {
                // What `act` would do for this button is this very action.
                let same = *action == Action::Escalate
                    || Self::action_for_status(actor, request, status_for(*action))
                        == Some(*action);
                same && policy::check_action(actor, request, *action).is_ok()
                    && lifecycle::transition_at(
                        request.state,
                        request.tier,
                        *action,
                        request.resolved_at,
                        now,
                    )
                    .is_ok()
            })
            .collect()
    }

    /// Takes `action` on a request (with a public note, if given), as the request page's
    /// buttons do: escalating hands it to the operator; the others are status changes.
    pub async fn act(
        &self,
        actor: &Actor,
        id: &str,
        action: Action,
        note: Option<String>,
        expected_version: Option<i64>,
    ) -> Result<RequestView> {
        if action == Action::Escalate {
            if let Some(note) = note.filter(|n| !n.trim().is_empty()) {
                let patch = RequestPatch {
                    new_note: Some(note),
                    ..RequestPatch::default()
                };
                self.update_request(actor, id, &patch, expected_version)
                    .await?;
            }
            return self.escalate(actor, id, None, None).await;
        }
        let patch = RequestPatch {
            status: Some(RawEnum::Text(status_for(action).as_str().to_string())),
            new_note: note.filter(|n| !n.trim().is_empty()),
            ..RequestPatch::default()
        };
        self.update_request(actor, id, &patch, expected_version)
            .await
    }

    /// Requests the actor may see that match `filter`. With `customer_id`, only that customer's,
    /// which must be visible to the actor.
    #[allow(clippy::too_many_arguments)]
    pub async fn requests(
        &self,
        actor: &Actor,
        customer_id: Option<Guid>,
        mut filter: RequestFilter,
        sort: RequestSort,
        cursor: Option<Cursor>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Arc<ServiceRequest>>> {
        let scope = policy::request_scope(actor)?;
        for term in &filter.text {
            fields::required_text("q", Some(term), limits::SEARCH)?;
        }
        let Some(customer_id) = customer_id else {
            return Ok(self
                .store
                .list_requests(&scope, &filter, sort, cursor, offset, limit)
                .await?);
        };
        let page = if filter.customer_id.is_some_and(|c| c != customer_id) {
            Page {
                total: 0,
                items: vec![],
            }
        } else {
            filter.customer_id = Some(customer_id);
            self.store
                .list_requests(&scope, &filter, sort, cursor, offset, limit)
                .await?
        };
        // The customer must be one the actor may see (else 404). Requests found within the
        // actor's scope already show it may, so only an empty page needs the check.
        if page.items.is_empty() {
            self.customer(actor, customer_id).await?;
        }
        Ok(page)
    }

    /// How many requests the actor may see match `filter` (its states aside), per state.
    pub async fn request_state_counts(
        &self,
        actor: &Actor,
        filter: &RequestFilter,
    ) -> Result<Vec<(State, i64)>> {
        let scope = policy::request_scope(actor)?;
        Ok(self.store.count_requests_by_state(&scope, filter).await?)
    }

    /// The operator's queue: requests the operator holds that are not resolved or closed.
    pub async fn queue(
        &self,
        actor: &Actor,
        mut filter: RequestFilter,
        sort: RequestSort,
        cursor: Option<Cursor>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Arc<ServiceRequest>>> {
        if !actor.is_operator() {
            return Err(AppError::Forbidden);
        }
        filter.tier = Some(Tier::Operator);
        if filter.states.is_empty() {
            filter.states = vec![State::Escalated, State::InProgress, State::AwaitingPartner];
        }
        self.requests(actor, None, filter, sort, cursor, offset, limit)
            .await
    }

    /// Loads a request, lets `change` modify it (and its SLA clock follow), and saves it with
    /// what it added and its history. Without
    /// `expected_version` a concurrent writer just means trying again on the fresh row.
    pub(crate) async fn change_request<F>(
        &self,
        actor: &Actor,
        id: &str,
        expected_version: Option<i64>,
        change: F,
    ) -> Result<RequestView>
    where
        F: Fn(&mut ServiceRequest, &mut Additions, &mut Vec<AuditEntry>) -> Result<()>,
    {
        let id = id.parse::<RequestId>().map_err(|_| AppError::NotFound)?;
        for _attempt in 0..3 {
            let mut request = self.store.request_for_update(id).await?;
            policy::check_can_see(actor, &request)?;
            if expected_version.is_some_and(|v| v != request.version) {
                return Err(AppError::PreconditionFailed);
            }
            let before = request.clone();
            let (mut added, mut history) = (Additions::default(), vec![]);
            change(&mut request, &mut added, &mut history)?;
            if added.notes.is_empty() && added.contact.is_none() && history.is_empty() {
                return self.request(actor, &id.to_string()).await;
            }
            let now = self.now();
            self.follow_sla(&before, &mut request, now);
            request.modified_at = now;
            request.last_updated_by = actor.name().to_string();
            let saved = self
                .store
                .save_request_with(&request, &added.notes, added.contact.as_ref(), &history)
                .await;
            match saved {
                Ok(_) => return self.request(actor, &id.to_string()).await,
                Err(StoreError::Concurrent) if expected_version.is_none() => continue,
                Err(StoreError::Concurrent) => return Err(AppError::PreconditionFailed),
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Unavailable(
            "the request is being changed by others; try again".into(),
        ))
    }

    /// Moves `request` by `action` if the actor may and the lifecycle allows, recording the move.
    fn apply(
        &self,
        actor: &Actor,
        request: &mut ServiceRequest,
        action: Action,
        operator_id: Option<Guid>,
        history: &mut Vec<AuditEntry>,
    ) -> Result<()> {
        policy::check_action(actor, request, action)?;
        self.move_request(actor, request, action, operator_id, history)
    }

    /// Moves `request` by `action` if the lifecycle allows, recording the move (who may is the
    /// caller's to check).
    pub(crate) fn move_request(
        &self,
        actor: &Actor,
        request: &mut ServiceRequest,
        action: Action,
        operator_id: Option<Guid>,
        history: &mut Vec<AuditEntry>,
    ) -> Result<()> {
        let now = self.now();
        let (state, tier) = lifecycle::transition_at(
            request.state,
            request.tier,
            action,
            request.resolved_at,
            now,
        )?;
        let from = (request.state, request.tier, request.holder_org_id);
        if tier == Tier::Operator && request.tier == Tier::Partner {
            request.holder_org_id =
                operator_id.ok_or_else(|| AppError::Internal("operator unknown".into()))?;
            request.escalated_at = Some(now);
            request.escalation_incomplete =
                request.escalation_criterion.is_none() || request.troubleshooting.is_none();
        }
        match action {
            Action::Resolve => request.resolved_at = Some(now),
            Action::Close => request.closed_at = Some(now),
            _ => {}
        }
        request.state = state;
        request.tier = tier;
        history.push(self.history(
            actor,
            request,
            action.as_str(),
            serde_json::json!({
                "from": { "state": from.0, "tier": from.1, "org": from.2.to_string() },
                "to": { "state": state, "tier": tier, "org": request.holder_org_id.to_string() },
            }),
        ));
        Ok(())
    }

    /// What a public status asks of this request, from this actor; `None` if it is already there.
    fn action_for_status(
        actor: &Actor,
        request: &ServiceRequest,
        status: PublicStatus,
    ) -> Option<Action> {
        if request.state.public_status() == status && request.state != State::Resolved {
            return None;
        }
        Some(match status {
            PublicStatus::Closed if actor.is_operator() && request.state != State::Resolved => {
                Action::Resolve
            }
            PublicStatus::Closed => Action::Close,
            PublicStatus::Open => match request.state {
                State::Resolved | State::Closed => Action::Reopen,
                State::AwaitingCustomer | State::AwaitingPartner => Action::ProvideInfo,
                _ => Action::Start,
            },
            PublicStatus::AttentionNeeded if request.tier == Tier::Operator => Action::AwaitPartner,
            PublicStatus::AttentionNeeded => Action::AwaitCustomer,
        })
    }

    /// PATCH: title, severity, status and a new note, all or nothing.
    pub async fn update_request(
        &self,
        actor: &Actor,
        id: &str,
        patch: &RequestPatch,
        expected_version: Option<i64>,
    ) -> Result<RequestView> {
        let mut errors = Errors::default();
        let title = match &patch.title {
            Some(t) => errors.take(fields::required_text("title", Some(t), limits::TITLE)),
            None => None,
        };
        let severity = patch
            .severity
            .as_ref()
            .and_then(|raw| errors.take(parse_severity("severity", raw)))
            .flatten();
        let status = patch
            .status
            .as_ref()
            .and_then(|raw| errors.take(parse_status("status", raw)))
            .flatten();
        let note = errors
            .take(fields::optional_text(
                "newNote",
                patch.new_note.as_deref(),
                limits::NOTE,
            ))
            .flatten();
        let severity_reason = errors
            .take(fields::optional_text(
                "severityReason",
                patch.severity_reason.as_deref(),
                limits::NOTE,
            ))
            .flatten();
        let visibility = errors
            .take(parse_word::<NoteVisibility>(
                "newNote.visibility",
                patch.note_visibility.as_deref(),
            ))
            .flatten()
            .unwrap_or(NoteVisibility::Public);
        errors.finish()?;
        if visibility == NoteVisibility::Internal && !actor.is_operator() {
            return Err(FieldError::invalid(
                "newNote.visibility",
                "only operator staff write internal notes",
            )
            .into());
        }
        let operator_id = if status.is_some() {
            Some(self.operator_id().await?)
        } else {
            None
        };
        let incident = match &patch.incident_id {
            Some(incident) => Some(self.incident_to_link(actor, id, incident).await?),
            None => None,
        };
        let now = self.now();
        self.change_request(actor, id, expected_version, |request, added, history| {
            if title.is_some() || severity.is_some() || incident.is_some() {
                policy::check_edit(actor, request)?;
            }
            if let Some(incident) = incident
                && incident != request.incident_id
            {
                history.push(self.history(
                    actor,
                    request,
                    "incident_linked",
                    serde_json::json!({ "from": request.incident_id, "to": incident }),
                ));
                request.incident_id = incident;
            }
            if let Some(title) = &title
                && *title != request.title
            {
                history.push(self.history(
                    actor,
                    request,
                    "title_changed",
                    serde_json::json!({ "from": request.title, "to": title }),
                ));
                request.title = title.clone();
            }
            if let Some(severity) = severity
                && severity != request.severity
            {
                if severity == Severity::Critical && request.category == Category::Billing {
                    return Err(FieldError::invalid(
                        "severity",
                        "billing requests are at most moderate",
                    )
                    .into());
                }
                if actor.is_operator()
                    && request.tier == Tier::Operator
                    && severity_reason.is_none()
                {
                    return Err(FieldError::required("severityReason").into());
                }
                history.push(self.history(
                    actor,
                    request,
                    "severity_changed",
                    serde_json::json!({
                        "from": request.severity, "to": severity, "reason": severity_reason,
                    }),
                ));
                request.severity = severity;
            }
            if let Some(body) = &note {
                policy::check_note(actor, request)?;
                added.notes.push(NewNote {
                    author_id: actor.id(),
                    author_name: actor.name().to_string(),
                    visibility,
                    body: body.clone(),
                    at: now,
                });
                history.push(self.history(
                    actor,
                    request,
                    "note_added",
                    serde_json::json!({ "visibility": visibility }),
                ));
            }
            if let Some(status) = status
                && let Some(action) = Self::action_for_status(actor, request, status)
            {
                self.apply(actor, request, action, operator_id, history)?;
            }
            Ok(())
        })
        .await
    }

    /// The incident a request may be linked to (`None` to unlink): one the actor can see that
    /// reaches the request's customer (any the actor can see, for a partner's own request).
    async fn incident_to_link(
        &self,
        actor: &Actor,
        request_id: &str,
        incident: &str,
    ) -> Result<Option<i64>> {
        if incident.trim().is_empty() {
            return Ok(None);
        }
        let unknown = || {
            FieldError::invalid(
                "incidentId",
                "no incident that reaches this request's customer",
            )
        };
        let found = match self.incident(actor, incident).await {
            Ok(found) => found,
            Err(AppError::NotFound) => return Err(unknown().into()),
            Err(e) => return Err(e),
        };
        let request = self.request(actor, request_id).await?.request;
        if let Some(customer) = request.customer_id
            && !self
                .store
                .incident_in_scope(
                    found.id,
                    partnerdesk_store::IncidentScope::Customer(customer),
                )
                .await?
        {
            return Err(unknown().into());
        }
        Ok(Some(found.id))
    }

    /// A partner hands a customer-filed request to the operator, keeping its history; criterion
    /// and troubleshooting may be added on the way.
    pub async fn escalate(
        &self,
        actor: &Actor,
        id: &str,
        criterion: Option<&str>,
        troubleshooting: Option<&str>,
    ) -> Result<RequestView> {
        let mut errors = Errors::default();
        let criterion = errors
            .take(parse_word::<EscalationCriterion>(
                "escalationCriterion",
                criterion,
            ))
            .flatten();
        let troubleshooting = errors
            .take(fields::optional_text(
                "troubleshooting",
                troubleshooting,
                limits::TROUBLESHOOTING,
            ))
            .flatten();
        errors.finish()?;
        let operator_id = Some(self.operator_id().await?);
        self.change_request(actor, id, None, |request, _, history| {
            if criterion.is_some() {
                request.escalation_criterion = criterion;
            }
            if troubleshooting.is_some() {
                request.troubleshooting = troubleshooting.clone();
            }
            // The operator calls the partner, not the customer who filed it (product.md).
            request.contact = contact_of(actor);
            self.apply(actor, request, Action::Escalate, operator_id, history)
        })
        .await
    }

    /// Assigns an operator-held request to an operator engineer (leads: anyone; engineers: self).
    pub async fn assign(&self, actor: &Actor, id: &str, assignee: &str) -> Result<RequestView> {
        let assignee_id = assignee
            .parse::<Guid>()
            .map_err(|_| FieldError::invalid("assignee", "not a user id"))?;
        let assignee = match self.store.user(assignee_id).await {
            Ok(user)
                if user.org_kind == OrgKind::Operator
                    && !user.disabled
                    && works_requests(user.role) =>
            {
                user
            }
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(FieldError::invalid("assignee", "not an operator engineer").into());
            }
            Err(e) => return Err(e.into()),
        };
        self.change_request(actor, id, None, |request, _, history| {
            policy::check_assign(actor, request, assignee.id == actor.id())?;
            if !may_work(&assignee, request) {
                return Err(FieldError::invalid("assignee", "works billing requests only").into());
            }
            if request.tier != Tier::Operator || matches!(request.state, State::Closed) {
                return Err(AppError::IllegalTransition(lifecycle::IllegalTransition::NotFromHere {
                    state: request.state,
                    tier: request.tier,
                    action: Action::Start,
                }));
            }
            if request.assigned_to == Some(assignee.id) {
                return Ok(());
            }
            history.push(self.history(actor, request, "assigned", serde_json::json!({
                "from": request.assigned_to.map(|a| a.to_string()), "to": assignee.id.to_string(), "name": assignee.name,
            })));
            request.assigned_to = Some(assignee.id);
            Ok(())
        })
        .await
    }

    /// Resolves a request with an optional public note saying how.
    pub async fn resolve(
        &self,
        actor: &Actor,
        id: &str,
        note: Option<&str>,
    ) -> Result<RequestView> {
        let note = fields::optional_text("note", note, limits::NOTE)?;
        let now: Timestamp = self.now();
        self.change_request(actor, id, None, |request, added, history| {
            self.apply(actor, request, Action::Resolve, None, history)?;
            if let Some(body) = &note {
                added.notes.push(public_note(actor, body, now));
            }
            Ok(())
        })
        .await
    }
}

/// A public note by `actor`.
pub(crate) fn public_note(actor: &Actor, body: &str, at: Timestamp) -> NewNote {
    NewNote {
        author_id: actor.id(),
        author_name: actor.name().to_string(),
        visibility: NoteVisibility::Public,
        body: body.to_string(),
        at,
    }
}

/// Whether this operator user may be given this request: billing specialists work billing
/// requests only.
fn may_work(user: &partnerdesk_store::User, request: &ServiceRequest) -> bool {
    works_requests(user.role)
        && (user.role != Role::BillingSpecialist || request.category == Category::Billing)
}

impl App {
    /// Whom a lead may give this request to: the operator's people who may work it, by name
    /// (empty for those who may not assign others).
    pub async fn assignees(
        &self,
        actor: &Actor,
        request: &ServiceRequest,
    ) -> Result<Vec<partnerdesk_store::User>> {
        if policy::check_assign(actor, request, false).is_err() {
            return Ok(vec![]);
        }
        let mut users: Vec<_> = self
            .store
            .users_of(actor.org_id())
            .await?
            .into_iter()
            .filter(|u| !u.disabled && may_work(u, request))
            .collect();
        users.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(users)
    }
}

fn works_requests(role: Role) -> bool {
    matches!(
        role,
        Role::OperatorAdmin | Role::SupportLead | Role::SupportEngineer | Role::BillingSpecialist
    )
}
