//! The SLA policy page: the operator's support people read the policy; its admin changes it
//! (time zone, first-response minutes per severity, and the hours each kind of request is
//! counted in, with holidays). A refused change comes back as typed, each bad field named.

use askama::Template;
use axum::{Form, extract::State, response::Response};
use partnerdesk_app::{
    AppError,
    domain::{
        Role,
        sla::{HoursSpec, MinutesSpec, PolicySpec},
    },
};

use super::{
    page::{Frame, OnPage, PageError, Section, check_form_token, field_messages},
    visitor::Visitor,
};
use crate::api::AppState;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// The kinds of hours, as the form names them.
const KINDS: [&str; 3] = ["critical", "standard", "billing"];

#[derive(Template)]
#[template(path = "web/sla_policy.html")]
struct PolicyPage {
    frame: Frame,
    editable: bool,
    time_zone: String,
    minutes: MinutesSpec,
    hours: Vec<HoursRow>,
    errors: Vec<String>,
}

struct HoursRow {
    kind: &'static str,
    label: String,
    around_the_clock: bool,
    /// (day, label, on)
    days: Vec<(&'static str, String, bool)>,
    from: String,
    until: String,
    /// One date a line.
    holidays: String,
}

fn hours_of(spec: &PolicySpec, kind: &str) -> HoursSpec {
    match kind {
        "critical" => spec.critical_hours.clone(),
        "standard" => spec.standard_hours.clone(),
        _ => spec.billing_hours.clone(),
    }
}

fn render(
    visitor: &Visitor,
    spec: &PolicySpec,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let locale = visitor.locale;
    let page = PolicyPage {
        frame: visitor.frame("sla-policy-title", Section::SlaPolicy),
        editable: actor.is_operator() && actor.role() == Role::OperatorAdmin,
        time_zone: spec.time_zone.clone(),
        minutes: spec.first_response_minutes.clone(),
        hours: KINDS
            .iter()
            .map(|kind| {
                let h = hours_of(spec, kind);
                HoursRow {
                    kind,
                    label: locale.text(&format!("sla-policy-hours-{kind}")),
                    around_the_clock: h.around_the_clock,
                    days: DAYS
                        .iter()
                        .map(|d| {
                            let on = h.days.iter().any(|x| x.eq_ignore_ascii_case(d));
                            (*d, locale.text(&format!("sla-policy-day-{d}")), on)
                        })
                        .collect(),
                    from: h.from,
                    until: h.until,
                    holidays: h.holidays.join("\n"),
                }
            })
            .collect(),
        errors,
    };
    Ok(visitor.render_form(!page.errors.is_empty(), &page))
}

pub async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let spec = state.app.sla_policy_spec(actor).on_page(&visitor)?;
    render(&visitor, &spec, vec![])
}

/// The policy the form describes (unparsable numbers become 0, which the policy refuses by
/// name).
fn spec_of(pairs: &[(String, String)]) -> PolicySpec {
    let one = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let minutes = |name: &str| one(name).parse().unwrap_or(0);
    let hours = |kind: &str| HoursSpec {
        around_the_clock: !one(&format!("{kind}_around_the_clock")).is_empty(),
        days: pairs
            .iter()
            .filter(|(k, _)| *k == format!("{kind}_days"))
            .map(|(_, v)| v.clone())
            .collect(),
        from: one(&format!("{kind}_from")),
        until: one(&format!("{kind}_until")),
        holidays: one(&format!("{kind}_holidays"))
            .split(['\n', ','])
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect(),
    };
    PolicySpec {
        time_zone: one("time_zone"),
        first_response_minutes: MinutesSpec {
            critical: minutes("critical_minutes"),
            moderate: minutes("moderate_minutes"),
            minimal: minutes("minimal_minutes"),
        },
        critical_hours: hours("critical"),
        standard_hours: hours("standard"),
        billing_hours: hours("billing"),
    }
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let token = pairs
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    check_form_token(&visitor, token)?;
    let actor = visitor.actor()?;
    let spec = spec_of(&pairs);
    match state.app.set_sla_policy(actor, &spec).await {
        Ok(_) => Ok(visitor.redirect("/admin/sla-policy", Some("flash-sla-policy-saved"))),
        Err(AppError::Invalid(fields)) => {
            let errors = field_messages(&visitor, AppError::Invalid(fields))?;
            render(&visitor, &spec, errors)
        }
        Err(e) => Err(visitor.fail(e)),
    }
}
