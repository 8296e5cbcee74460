//! Partner scorecards: `GET /v1/partners/{id}/scorecard` and the operator's `GET /v1/scorecards`.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Path, Query, State},
    response::{IntoResponse, Response},
};
use jiff::SignedDuration;
use partnerdesk_app::{
    domain::scorecard::Scorecard,
    scorecards::{PartnerScorecard, WeekCounts},
    store::Organization,
};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    requests::{parse_guid, time_param},
    shapes::{self, Collection, Date},
};

/// The period: trailing 90 days unless given.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PeriodParams {
    /// Start (RFC 3339 or a date); default 90 days before `until`.
    from: Option<String>,
    /// End, exclusive; default now.
    until: Option<String>,
}

/// A partner's escalation quality over a period.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Scorecard)]
pub struct ScorecardShape<'a> {
    partner_id: String,
    partner_name: &'a str,
    escalations: i64,
    deflections: i64,
    /// Percent of (deflections + escalations).
    deflection_rate: Option<f64>,
    improper: i64,
    /// Percent of escalations.
    improper_rate: Option<f64>,
    disputes: i64,
    disputes_won: i64,
    median_minutes_to_first_contact: Option<i64>,
    p90_minutes_to_first_contact: Option<i64>,
    sla_met: i64,
    sla_breached: i64,
    /// Percent of first responses within target, of those decided.
    sla_attainment: Option<f64>,
    /// At or over the remediation threshold.
    over_threshold: bool,
}

/// One partner's card with its period, threshold and weeks.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PartnerScorecard)]
pub struct PartnerScorecardShape<'a> {
    #[serde(flatten)]
    card: ScorecardShape<'a>,
    from: Date,
    until: Date,
    threshold_improper_percent: i64,
    threshold_min_escalations: i64,
    weeks: Vec<WeekShape>,
}

/// One week of escalations.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ScorecardWeek)]
pub struct WeekShape {
    week_start: Date,
    critical: i64,
    moderate: i64,
    minimal: i64,
    improper: i64,
    sla_met: i64,
    sla_breached: i64,
}

fn minutes(d: Option<SignedDuration>) -> Option<i64> {
    d.map(|d| d.as_secs().div_euclid(60))
}

fn card_shape<'a>(partner: &'a Organization, card: &Scorecard) -> ScorecardShape<'a> {
    let c = &card.counts;
    ScorecardShape {
        partner_id: partner.id.to_string(),
        partner_name: &partner.name,
        escalations: c.escalations,
        deflections: c.deflections,
        deflection_rate: card.deflection_rate,
        improper: c.improper,
        improper_rate: card.improper_rate,
        disputes: c.disputes,
        disputes_won: c.disputes_won,
        median_minutes_to_first_contact: minutes(card.median_first_contact),
        p90_minutes_to_first_contact: minutes(card.p90_first_contact),
        sla_met: c.sla_met,
        sla_breached: c.sla_breached,
        sla_attainment: card.sla_attainment,
        over_threshold: card.over_threshold,
    }
}

fn week_shape(s: &PartnerScorecard, w: &WeekCounts) -> WeekShape {
    WeekShape {
        week_start: Date::from(s.from + SignedDuration::from_hours(24 * 7 * w.week)),
        critical: w.by_severity[0],
        moderate: w.by_severity[1],
        minimal: w.by_severity[2],
        improper: w.improper,
        sla_met: w.sla_met,
        sla_breached: w.sla_breached,
    }
}

fn period(
    raw: &HashMap<String, String>,
) -> Result<(Option<jiff::Timestamp>, Option<jiff::Timestamp>), ApiError> {
    Ok((
        time_param("from", raw.get("from").map(String::as_str))?,
        time_param("until", raw.get("until").map(String::as_str))?,
    ))
}

#[utoipa::path(get, path = "/partners/{partner_id}/scorecard", tag = "partners",
    summary = "A partner's escalation quality over a period",
    description = "The operator's support people read any partner's; a partner's global admins and admin agents their own.",
    params(("partner_id" = String, Path), PeriodParams),
    responses((status = 200, body = PartnerScorecardShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn scorecard(
    State(state): State<AppState>,
    caller: Caller,
    Path(partner_id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let run = async {
        let (from, until) = period(&raw)?;
        let partner = parse_guid(&partner_id)?;
        let s = state
            .app
            .scorecard(&caller.actor, partner, from, until)
            .await?;
        let shape = PartnerScorecardShape {
            card: card_shape(&s.partner, &s.card),
            from: Date::from(s.from),
            until: Date::from(s.until),
            threshold_improper_percent: s.threshold.improper_percent,
            threshold_min_escalations: s.threshold.min_escalations,
            weeks: s.weeks.iter().map(|w| week_shape(&s, w)).collect(),
        };
        Ok(Json(shape).into_response())
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[utoipa::path(get, path = "/scorecards", tag = "partners",
    summary = "Every partner's scorecard (the operator)",
    params(PeriodParams),
    responses((status = 200, body = Collection<ScorecardShape>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn scorecards(
    State(state): State<AppState>,
    caller: Caller,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let run = async {
        let (from, until) = period(&raw)?;
        let cards = state.app.scorecards(&caller.actor, from, until).await?;
        let items = cards.iter().map(|(p, c)| card_shape(p, c)).collect();
        Ok(Json(shapes::whole(items)).into_response())
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}
