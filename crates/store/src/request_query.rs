//! Which requests a listing returns: the actor's scope (decided by the authorization policy),
//! the user's filters, the sort order and the page.

use jiff::Timestamp;
use partnerdesk_domain::{Category, Guid, RequestKind, Severity, State, Tier};

use crate::{Engine, ServiceRequest, rows::micros};

/// `count` placeholders numbered from `first`, for an `IN (…)` list: "$3, $4, $5".
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The requests an actor may see, as the policy decided. Every field narrows; the default is
/// everything. The same value filters listings (in SQL) and single reads (`contains`), so the two
/// can never disagree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestScope {
    pub partner_id: Option<Guid>,
    pub customer_id: Option<Guid>,
    pub kind: Option<RequestKind>,
    pub category: Option<Category>,
    /// Only requests that have reached the operator (the operator's view).
    pub reached_operator: bool,
}

impl RequestScope {
    pub fn contains(&self, request: &ServiceRequest) -> bool {
        self.partner_id.is_none_or(|p| request.partner_id == p)
            && self
                .customer_id
                .is_none_or(|c| request.customer_id == Some(c))
            && self.kind.is_none_or(|k| request.kind == k)
            && self.category.is_none_or(|c| request.category == c)
            && (!self.reached_operator || request.escalated_at.is_some())
    }
}

/// What the user asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestFilter {
    /// Any of these states; empty means any state.
    pub states: Vec<State>,
    pub severity: Option<Severity>,
    pub customer_id: Option<Guid>,
    pub service_id: Option<String>,
    pub topic_id: Option<String>,
    pub created_after: Option<Timestamp>,
    pub created_before: Option<Timestamp>,
    /// Words that must all appear in the title or description (substrings, any script).
    pub text: Vec<String>,
    pub tier: Option<Tier>,
    pub kind: Option<RequestKind>,
    pub assigned_to: Option<Guid>,
    /// Filed by this user.
    pub created_by: Option<Guid>,
    pub unassigned: bool,
    /// Linked to this incident.
    pub incident_id: Option<i64>,
    pub category: Option<Category>,
    /// The partner contact's language: a tag or its prefix (`zh` matches `zh-CN`).
    pub contact_language: Option<String>,
    /// First response due at or before this instant and not given (breached by then).
    pub due_by: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestSort {
    #[default]
    CreatedDesc,
    CreatedAsc,
    ModifiedDesc,
    ModifiedAsc,
    /// Most severe first, newest first within a severity.
    Severity,
    /// The operator's queue: the first response due soonest first; then those whose clock does
    /// not run (paused, answered), oldest first.
    Urgency,
}

impl RequestSort {
    /// (sort column, its direction is descending, the id tiebreak is descending)
    pub(crate) fn keys(self) -> (&'static str, bool, bool) {
        match self {
            RequestSort::CreatedDesc => ("created_at", true, true),
            RequestSort::CreatedAsc => ("created_at", false, false),
            RequestSort::ModifiedDesc => ("modified_at", true, true),
            RequestSort::ModifiedAsc => ("modified_at", false, false),
            RequestSort::Severity => ("severity", false, true),
            RequestSort::Urgency => ("sla_due_key", false, false),
        }
    }

    /// Where a listing in this order continues after `request`.
    pub fn cursor_after(self, request: &ServiceRequest) -> Cursor {
        let key = match self {
            RequestSort::CreatedDesc | RequestSort::CreatedAsc => micros(request.created_at),
            RequestSort::ModifiedDesc | RequestSort::ModifiedAsc => micros(request.modified_at),
            RequestSort::Severity => request.severity.rank(),
            RequestSort::Urgency => request.sla.due_at.map(micros).unwrap_or(i64::MAX),
        };
        Cursor {
            key,
            id: request.id.get(),
        }
    }
}

/// A position in a sorted listing: the sort key and id of the last row seen. Unlike an offset it
/// stays put when requests are added or removed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub key: i64,
    pub id: i64,
}

#[derive(Clone)]
pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// A WHERE clause under construction, with its placeholders numbered as they are added. It is
/// written for `service_requests r`, or, for counting, for `request_counts r`, whose columns
/// are those of the requests it tallies (see `RequestFilter::is_tallied`).
#[derive(Default)]
pub(crate) struct Conditions {
    pub sql: Vec<String>,
    pub binds: Vec<Bind>,
    on_counts: bool,
    /// Placeholders already taken by the statement these conditions are part of.
    first_placeholder: usize,
}

impl RequestFilter {
    /// Whether only columns that `request_counts` tallies by (severity included) are filtered on, so the number of
    /// matches is a sum of tallies.
    pub fn is_tallied(&self) -> bool {
        self.service_id.is_none()
            && self.topic_id.is_none()
            && self.created_after.is_none()
            && self.created_before.is_none()
            && self.text.is_empty()
            && self.assigned_to.is_none()
            && self.created_by.is_none()
            && !self.unassigned
            && self.incident_id.is_none()
            && self.contact_language.is_none()
            && self.due_by.is_none()
    }
}

impl Conditions {
    /// Conditions on `request_counts r`, for a filter that `is_tallied`.
    pub fn on_counts() -> Self {
        Conditions {
            on_counts: true,
            ..Conditions::default()
        }
    }

    /// These conditions as part of a statement whose first `taken` placeholders are bound
    /// already: theirs are numbered from `taken + 1`, their binds go after the statement's.
    pub fn numbered_after(mut self, taken: usize) -> Self {
        self.first_placeholder = taken;
        self
    }

    /// The next placeholder, bound to `value`.
    fn param(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.first_placeholder + self.binds.len())
    }

    fn eq_text(&mut self, column: &str, value: impl ToString) {
        let p = self.param(Bind::Text(value.to_string()));
        self.sql.push(format!("r.{column} = {p}"));
    }

    fn int_cmp(&mut self, column: &str, op: &str, value: i64) {
        let p = self.param(Bind::Int(value));
        self.sql.push(format!("r.{column} {op} {p}"));
    }

    pub fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }

    pub fn scope(&mut self, scope: &RequestScope) {
        if let Some(p) = scope.partner_id {
            self.eq_text("partner_id", p);
        }
        if let Some(c) = scope.customer_id {
            self.eq_text("customer_id", c);
        }
        if let Some(k) = scope.kind {
            self.eq_text("kind", k);
        }
        if let Some(c) = scope.category {
            self.eq_text("category", c);
        }
        if scope.reached_operator {
            self.sql.push(if self.on_counts {
                "r.reached_operator = 1".into()
            } else {
                "r.escalated_at IS NOT NULL".into()
            });
        }
    }

    pub fn filter(&mut self, filter: &RequestFilter, engine: Engine) {
        if !filter.states.is_empty() {
            let params: Vec<String> = filter
                .states
                .iter()
                .map(|s| self.param(Bind::Text(s.to_string())))
                .collect();
            self.sql.push(format!("r.state IN ({})", params.join(", ")));
        }
        if let Some(s) = filter.severity {
            self.int_cmp("severity", "=", s.rank());
        }
        if let Some(c) = filter.customer_id {
            self.eq_text("customer_id", c);
        }
        if let Some(s) = &filter.service_id {
            self.eq_text("service_id", s);
        }
        if let Some(t) = &filter.topic_id {
            self.eq_text("topic_id", t);
        }
        if let Some(at) = filter.created_after {
            self.int_cmp("created_at", ">=", micros(at));
        }
        if let Some(at) = filter.created_before {
            self.int_cmp("created_at", "<", micros(at));
        }
        if let Some(t) = filter.tier {
            self.eq_text("tier", t);
        }
        if let Some(k) = filter.kind {
            self.eq_text("kind", k);
        }
        if let Some(a) = filter.assigned_to {
            self.eq_text("assigned_to", a);
        }
        if let Some(u) = filter.created_by {
            self.eq_text("created_by", u);
        }
        if filter.unassigned {
            self.sql.push("r.assigned_to IS NULL".into());
        }
        if let Some(incident) = filter.incident_id {
            self.int_cmp("incident_id", "=", incident);
        }
        if let Some(c) = filter.category {
            self.eq_text("category", c);
        }
        if let Some(language) = &filter.contact_language {
            // The primary subtag is a column of its own, indexed in queue order; a tag with a
            // region (`zh-CN`) narrows it further.
            let primary = language
                .split('-')
                .next()
                .unwrap_or_default()
                .to_lowercase();
            let primary = self.param(Bind::Text(primary));
            self.sql.push(format!("r.contact_language = {primary}"));
            if language.contains('-') {
                let exact = self.param(Bind::Text(language.clone()));
                let prefix = self.param(Bind::Text(format!("{language}-%")));
                self.sql.push(format!(
                    "(r.contact_locale = {exact} OR r.contact_locale LIKE {prefix})"
                ));
            }
        }
        if let Some(at) = filter.due_by {
            self.int_cmp("sla_due_key", "<=", micros(at));
        }
        self.text(&filter.text, engine, false);
    }

    /// Every one of `terms` in the title or description. `opaque` hides the terms from the
    /// planner (a subquery yields each): it then plans without weighing each pattern against
    /// its statistics (milliseconds per search) and keeps one plan for every search.
    pub fn text(&mut self, terms: &[String], engine: Engine, opaque: bool) {
        for term in terms {
            let p = self.param(Bind::Text(engine.search_term_value(term)));
            let value = if opaque {
                format!("(SELECT CAST({p} AS TEXT))")
            } else {
                p
            };
            self.sql
                .push(engine.text_condition(&crate::engine::REQUESTS, term, &value));
        }
    }

    /// Where a page starts: after `cursor` if given (then the offset is 0, returned), else at
    /// `offset`.
    pub fn start_at(&mut self, sort: RequestSort, cursor: Option<Cursor>, offset: i64) -> i64 {
        match cursor {
            Some(cursor) => {
                self.after(sort, cursor);
                0
            }
            None => offset,
        }
    }

    /// Rows after `cursor` in `sort` order.
    pub fn after(&mut self, sort: RequestSort, cursor: Cursor) {
        let (column, desc, id_desc) = sort.keys();
        let key = self.param(Bind::Int(cursor.key));
        let id = self.param(Bind::Int(cursor.id));
        let (key_op, id_op) = (
            if desc { "<" } else { ">" },
            if id_desc { "<" } else { ">" },
        );
        self.sql.push(format!(
            "(r.{column} {key_op} {key} OR (r.{column} = {key} AND r.id {id_op} {id}))"
        ));
    }
}

pub(crate) fn order_by(sort: RequestSort) -> String {
    let (column, desc, id_desc) = sort.keys();
    let dir = |d: bool| if d { "DESC" } else { "ASC" };
    format!("ORDER BY r.{column} {}, r.id {}", dir(desc), dir(id_desc))
}
