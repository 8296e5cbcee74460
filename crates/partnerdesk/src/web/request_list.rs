//! Support requests › Customer requests: the requests the user may see, with the API's filters
//! (same parameter names, same parser), status choices with counts, sort and paging.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use jiff::Timestamp;
use partnerdesk_app::{
    Actor, AppError,
    domain::{
        Category, EnumText, FieldError, OrgKind, PublicStatus, RequestKind, Severity,
        State as RequestState, Tier, sla::SlaState,
    },
    policy,
    requests::parse_sort,
    store::{RequestFilter, RequestSort, ServiceRequest},
};

use super::{
    page::{Frame, OnPage, PageError, Section, shown_time},
    visitor::{TokenOnlyForm, Visitor},
};
use crate::{
    api::AppState,
    i18n::Locale,
    query::{ListQuery, apply_queue_filters, parse_filter},
};

const PAGE_SIZE: i64 = 25;

#[derive(Template)]
#[template(path = "web/request_list.html")]
struct RequestListPage {
    frame: Frame,
    /// This list's address (filters and paging stay on it).
    path: &'static str,
    /// Whether to offer filing a new one (the partner's own requests).
    may_file: bool,
    form: FilterForm,
    /// What is wrong with the filters, field by field.
    errors: Vec<String>,
    tabs: Vec<Tab>,
    rows: Vec<Row>,
    customers: Vec<Choice>,
    services: Vec<Choice>,
    severities: Vec<Choice>,
    sorts: Vec<Choice>,
    /// The operator's queue: its own filters, and "take" on unassigned rows.
    queue: bool,
    categories: Vec<Choice>,
    summary: String,
    previous: Option<String>,
    next: Option<String>,
}

/// The filters as typed, to show them back.
#[derive(Default)]
struct FilterForm {
    q: String,
    status: String,
    severity: String,
    customer_id: String,
    service_id: String,
    created_after: String,
    created_before: String,
    sort: String,
    mine: bool,
    category: String,
    language: String,
    unassigned: bool,
    breached: bool,
}

struct Tab {
    label: String,
    count: i64,
    href: String,
    current: bool,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

struct Row {
    id: String,
    title: String,
    customer: String,
    service: String,
    severity: Severity,
    severity_label: String,
    status: PublicStatus,
    state_label: String,
    created: Moment,
    modified: Moment,
    /// Where the first response stands, and how urgent that looks.
    sla: String,
    sla_class: &'static str,
    /// The signed-in user may take it (queue, unassigned).
    may_take: bool,
}

struct Moment {
    machine: String,
    shown: String,
}

fn moment(at: Timestamp) -> Moment {
    Moment {
        machine: at.to_string(),
        shown: shown_time(at),
    }
}

/// Per public status: its label and how many of `counts` (per state) it covers.
pub fn status_tallies(
    locale: Locale,
    counts: &[(RequestState, i64)],
) -> Vec<(PublicStatus, String, i64)> {
    // The order work flows in, not the enum's.
    [
        PublicStatus::Open,
        PublicStatus::AttentionNeeded,
        PublicStatus::Closed,
    ]
    .iter()
    .map(|status| {
        let n = counts
            .iter()
            .filter(|(state, _)| state.public_status() == *status)
            .map(|(_, n)| n)
            .sum();
        (*status, locale.text(&format!("status-{status}")), n)
    })
    .collect()
}

/// The page's own parameters after the API's: `mine` and `page`.
fn filter_of(
    actor: &Actor,
    q: &ListQuery,
    listing: Listing,
    now: Timestamp,
) -> Result<RequestFilter, FieldError> {
    let mut filter = parse_filter(q)?;
    // A partner's two lists split its requests by kind; the operator's and a customer's hold
    // one kind of work each already.
    if actor.org_kind() == OrgKind::Partner {
        filter.kind = Some(match listing {
            Listing::Partner => RequestKind::Partner,
            Listing::Customer | Listing::Queue => RequestKind::Customer,
        });
    }
    if listing == Listing::Queue {
        apply_queue_filters(q, &mut filter, now)?;
    }
    // The form's "created until" is a day, and that day counts.
    if let Some(day) = q
        .get("createdbefore")
        .and_then(|v| v.trim().parse::<jiff::civil::Date>().ok())
        && let Some(next) = day
            .tomorrow()
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
    {
        filter.created_before = Some(next.timestamp());
    }
    if q.get("mine").is_some() {
        // An operator's requests are those assigned to them; a partner's or customer's, those
        // they filed.
        if actor.org_kind() == OrgKind::Operator {
            filter.assigned_to = Some(actor.id());
        } else {
            filter.created_by = Some(actor.id());
        }
    }
    Ok(filter)
}

fn page_number(q: &ListQuery) -> Result<i64, FieldError> {
    match q.get("page") {
        None => Ok(1),
        Some(p) => p
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| FieldError::invalid("page", "a page number from 1")),
    }
}

/// Which list: the requests about customers, the partner's own, or the operator's queue.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    Customer,
    Partner,
    Queue,
}

impl Listing {
    fn path(self) -> &'static str {
        match self {
            Listing::Customer => "/requests",
            Listing::Partner => "/partner-requests",
            Listing::Queue => "/queue",
        }
    }
}

/// This list's address with `changes` made to its parameters (`None` removes one).
fn link(
    listing: Listing,
    raw: &HashMap<String, String>,
    changes: &[(&str, Option<&str>)],
) -> String {
    let mut pairs: Vec<(&str, &str)> = raw
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && !changes.iter().any(|(c, _)| c == k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.extend(changes.iter().filter_map(|(k, v)| v.map(|v| (*k, v))));
    pairs.sort();
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    let query = query.finish();
    if query.is_empty() {
        listing.path().into()
    } else {
        format!("{}?{query}", listing.path())
    }
}

/// Support requests › Customer requests.
pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    render(&state, visitor, raw, Listing::Customer).await
}

/// The operator's queue: the requests it holds, most urgent first.
pub async fn queue(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    render(&state, visitor, raw, Listing::Queue).await
}

/// Takes a request from the queue: it is the user's now.
pub async fn take(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::Form(form): axum::Form<TokenOnlyForm>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    if !visitor.sent_form_token(&form.csrf) {
        return Err(visitor.fail(AppError::Forbidden));
    }
    let me = actor.id().to_string();
    let view = state.app.assign(actor, &id, &me).await.on_page(&visitor)?;
    Ok(visitor.redirect(
        &format!("/requests/{}", view.request.id),
        Some("flash-taken"),
    ))
}

/// Support requests › Partner requests: the partner's own problems with the platform.
pub async fn partner_requests(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    render(&state, visitor, raw, Listing::Partner).await
}

async fn render(
    state: &AppState,
    visitor: Visitor,
    raw: HashMap<String, String>,
    listing: Listing,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    policy::request_scope(actor).on_page(&visitor)?;
    if listing == Listing::Queue && actor.org_kind() != OrgKind::Operator {
        return Err(visitor.fail(AppError::NotFound));
    }
    if listing == Listing::Partner {
        // The partner's own requests are its filers' (global and billing admins).
        if actor.org_kind() != OrgKind::Partner {
            return Err(visitor.fail(AppError::NotFound));
        }
        if !policy::may_file_own_requests(actor) {
            return Err(visitor.fail(AppError::Forbidden));
        }
    }
    let locale = visitor.locale;
    let q = ListQuery::new(raw.clone());
    let form = FilterForm {
        q: q.get("q").unwrap_or_default().to_string(),
        status: q.get("status").unwrap_or_default().to_string(),
        severity: q.get("severity").unwrap_or_default().to_string(),
        customer_id: q.get("customerid").unwrap_or_default().to_string(),
        service_id: q.get("serviceid").unwrap_or_default().to_string(),
        created_after: q.get("createdafter").unwrap_or_default().to_string(),
        created_before: q.get("createdbefore").unwrap_or_default().to_string(),
        sort: q.get("sort").unwrap_or_default().to_string(),
        mine: q.get("mine").is_some(),
        category: q.get("category").unwrap_or_default().to_string(),
        language: q.get("language").unwrap_or_default().to_string(),
        unassigned: q.get("unassigned").is_some(),
        breached: q.get("breached").is_some(),
    };
    let app = &state.app;
    let sort_of = |q: &ListQuery| match q.get("sort").filter(|s| !s.is_empty()) {
        None if listing == Listing::Queue => Ok(RequestSort::Urgency),
        given => parse_sort(given),
    };
    let parsed = filter_of(actor, &q, listing, app.now())
        .and_then(|filter| Ok((filter, sort_of(&q)?, page_number(&q)?)));
    let (errors, rows, total, counts, page_no) = match parsed {
        Ok((mut filter, sort, page_no)) => {
            let offset = (page_no - 1) * PAGE_SIZE;
            if listing == Listing::Queue {
                filter.tier = Some(Tier::Operator);
            }
            let listed = async {
                if listing == Listing::Queue {
                    app.queue(actor, filter.clone(), sort, None, offset, PAGE_SIZE)
                        .await
                } else {
                    app.requests(actor, None, filter.clone(), sort, None, offset, PAGE_SIZE)
                        .await
                }
            };
            let found = tokio::try_join!(listed, app.request_state_counts(actor, &filter));
            match found {
                Ok((page, counts)) => (vec![], page.items, page.total, counts, page_no),
                Err(AppError::Invalid(fields)) => (
                    fields.iter().map(|f| locale.field_message(f)).collect(),
                    vec![],
                    0,
                    vec![],
                    1,
                ),
                Err(e) => return Err(visitor.fail(e)),
            }
        }
        Err(field) => (vec![locale.field_message(&field)], vec![], 0, vec![], 1),
    };
    let (customers, services) = tokio::try_join!(
        async {
            if policy::may_see_customers(actor) {
                app.customers(actor, None, 0, 500).await.map(|p| p.items)
            } else {
                Ok(vec![])
            }
        },
        app.services(),
    )
    .on_page(&visitor)?;

    let all_label = locale.text("status-all");
    let mut tabs = vec![Tab {
        label: all_label,
        count: status_tallies(locale, &counts).iter().map(|t| t.2).sum(),
        href: link(listing, &raw, &[("status", None), ("page", None)]),
        current: form.status.is_empty(),
    }];
    for (status, label, count) in status_tallies(locale, &counts) {
        tabs.push(Tab {
            label,
            count,
            href: link(
                listing,
                &raw,
                &[("status", Some(status.as_str())), ("page", None)],
            ),
            current: form.status.eq_ignore_ascii_case(status.as_str()),
        });
    }
    let shown = rows.len() as i64;
    let first = (page_no - 1) * PAGE_SIZE + 1;
    let summary = if shown == 0 {
        locale.text("requests-none")
    } else {
        locale.text_with(
            "requests-range",
            &[
                ("from", first.into()),
                ("to", (first + shown - 1).into()),
                ("total", total.into()),
            ],
        )
    };
    let page_link = |n: i64| link(listing, &raw, &[("page", Some(&n.to_string()))]);
    let page = RequestListPage {
        frame: match listing {
            Listing::Customer => visitor.frame("requests-title", Section::CustomerRequests),
            Listing::Partner => visitor.frame("partner-requests-title", Section::PartnerRequests),
            Listing::Queue => visitor.frame("queue-title", Section::Queue),
        },
        queue: listing == Listing::Queue,
        categories: Category::ALL
            .iter()
            .map(|c| Choice {
                value: c.as_str().to_string(),
                label: locale.text(&format!("category-{c}")),
                selected: form.category.eq_ignore_ascii_case(c.as_str()),
            })
            .collect(),
        path: listing.path(),
        may_file: listing == Listing::Partner && policy::may_file_own_requests(actor),
        errors,
        tabs,
        rows: rows
            .iter()
            .map(|r| Row {
                may_take: listing == Listing::Queue
                    && r.assigned_to.is_none()
                    && policy::check_assign(actor, r, true).is_ok(),
                ..row(locale, r, app.sla_state(r))
            })
            .collect(),
        customers: customers
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: form.customer_id.eq_ignore_ascii_case(&c.id.to_string()),
            })
            .collect(),
        services: services
            .iter()
            .map(|s| Choice {
                value: s.id.clone(),
                label: s.name.clone(),
                selected: form.service_id == s.id,
            })
            .collect(),
        severities: Severity::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str().to_string(),
                label: locale.text(&format!("severity-{s}")),
                selected: form.severity.eq_ignore_ascii_case(s.as_str()),
            })
            .collect(),
        sorts: {
            let default = if listing == Listing::Queue {
                "urgency"
            } else {
                "-created"
            };
            let mut sorts = vec![
                ("-created", "sort-newest"),
                ("created", "sort-oldest"),
                ("-modified", "sort-modified"),
                ("severity", "sort-severity"),
            ];
            if listing == Listing::Queue {
                sorts.insert(0, ("urgency", "sort-urgency"));
            }
            sorts
                .iter()
                .map(|(value, key)| Choice {
                    value: value.to_string(),
                    label: locale.text(key),
                    selected: form.sort == *value || (form.sort.is_empty() && *value == default),
                })
                .collect()
        },
        summary,
        previous: (page_no > 1).then(|| page_link(page_no - 1)),
        next: (first + shown - 1 < total).then(|| page_link(page_no + 1)),
        form,
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

/// Where the first response stands, as the list shows it: the text and its urgency class.
pub(super) fn sla_cell(
    locale: Locale,
    r: &ServiceRequest,
    sla: Option<SlaState>,
) -> (String, &'static str) {
    let minutes = |d: jiff::SignedDuration| d.as_secs().div_euclid(60).max(0);
    match sla {
        None => (locale.text("sla-at-partner"), ""),
        Some(SlaState::Running {
            due,
            left,
            near_breach,
        }) => (
            locale.text_with(
                "sla-running",
                &[
                    ("due", shown_time(due).into()),
                    ("minutes", minutes(left).into()),
                ],
            ),
            if near_breach {
                "urgency-near"
            } else {
                "urgency-ok"
            },
        ),
        Some(SlaState::Paused { left }) => (
            locale.text_with("sla-paused", &[("minutes", minutes(left).into())]),
            "urgency-paused",
        ),
        Some(SlaState::Breached { .. }) => (locale.text("sla-breached"), "urgency-over"),
        Some(SlaState::Met) => (
            locale.text_with(
                "sla-met",
                &[(
                    "at",
                    r.sla
                        .first_contact_at
                        .map(shown_time)
                        .unwrap_or_default()
                        .into(),
                )],
            ),
            "",
        ),
        Some(SlaState::MetLate { .. }) => (locale.text("sla-met-late"), "urgency-over"),
    }
}

fn row(locale: Locale, r: &ServiceRequest, sla: Option<SlaState>) -> Row {
    let (sla, sla_class) = sla_cell(locale, r, sla);
    Row {
        id: r.id.to_string(),
        title: r.title.clone(),
        customer: r.organization_name.clone(),
        service: r.service_name.clone().unwrap_or_default(),
        severity: r.severity,
        severity_label: locale.text(&format!("severity-{}", r.severity)),
        status: r.state.public_status(),
        state_label: locale.text(&format!("state-{}", r.state)),
        created: moment(r.created_at),
        modified: moment(r.modified_at),
        sla,
        sla_class,
        may_take: false,
    }
}
