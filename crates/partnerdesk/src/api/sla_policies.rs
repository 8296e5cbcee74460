//! The SLA policy: `GET /v1/operator/slapolicies`, `GET|PUT /v1/operator/slapolicies/default`.

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use partnerdesk_app::{
    AppError,
    domain::sla::{HoursSpec, MinutesSpec, PolicySpec},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    json::ApiJson,
    shapes::{self, Collection},
};

/// When a kind of request's clock runs.
#[derive(Serialize, Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SlaHours)]
pub struct HoursShape {
    /// Every minute of every day (the rest is then ignored).
    #[serde(default)]
    around_the_clock: bool,
    /// `mon` … `sun`.
    #[serde(default)]
    days: Vec<String>,
    /// `HH:MM`.
    #[serde(default)]
    from: String,
    /// `HH:MM`, up to `24:00`.
    #[serde(default)]
    until: String,
    /// `YYYY-MM-DD`, closed all day.
    #[serde(default)]
    holidays: Vec<String>,
}

/// First-response minutes per severity.
#[derive(Serialize, Deserialize, Default, ToSchema)]
#[schema(as = SlaMinutes)]
pub struct MinutesShape {
    #[serde(default)]
    critical: i64,
    #[serde(default)]
    moderate: i64,
    #[serde(default)]
    minimal: i64,
}

/// The operator's SLA policy: targets, and the hours they are counted in (critical requests,
/// other technical and account requests, billing requests).
#[derive(Serialize, Deserialize, Default, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = SlaPolicy)]
pub struct PolicyShape {
    #[serde(default)]
    id: String,
    /// An IANA time zone.
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    first_response_minutes: MinutesShape,
    #[serde(default)]
    critical_hours: HoursShape,
    #[serde(default)]
    standard_hours: HoursShape,
    #[serde(default)]
    billing_hours: HoursShape,
}

fn hours_shape(h: HoursSpec) -> HoursShape {
    HoursShape {
        around_the_clock: h.around_the_clock,
        days: h.days,
        from: h.from,
        until: h.until,
        holidays: h.holidays,
    }
}

fn hours_spec(h: HoursShape) -> HoursSpec {
    HoursSpec {
        around_the_clock: h.around_the_clock,
        days: h.days,
        from: h.from,
        until: h.until,
        holidays: h.holidays,
    }
}

fn shape(spec: PolicySpec) -> PolicyShape {
    let m = spec.first_response_minutes;
    PolicyShape {
        id: "default".into(),
        time_zone: spec.time_zone,
        first_response_minutes: MinutesShape {
            critical: m.critical,
            moderate: m.moderate,
            minimal: m.minimal,
        },
        critical_hours: hours_shape(spec.critical_hours),
        standard_hours: hours_shape(spec.standard_hours),
        billing_hours: hours_shape(spec.billing_hours),
    }
}

fn only_default(id: &str) -> Result<(), AppError> {
    if id == "default" {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[utoipa::path(get, path = "/operator/slapolicies", tag = "operator",
    summary = "The SLA policies (one: `default`)",
    responses((status = 200, body = Collection<PolicyShape>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let spec = state
        .app
        .sla_policy_spec(&caller.actor)
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::whole(vec![shape(spec)])).into_response())
}

#[utoipa::path(get, path = "/operator/slapolicies/{id}", tag = "operator",
    summary = "The SLA policy",
    params(("id" = String, Path, description = "`default`")),
    responses((status = 200, body = PolicyShape), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let run = || {
        let spec = state.app.sla_policy_spec(&caller.actor)?;
        only_default(&id)?;
        Ok::<_, AppError>(spec)
    };
    let spec = run().map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shape(spec)).into_response())
}

#[utoipa::path(put, path = "/operator/slapolicies/{id}", tag = "operator",
    summary = "Replace the SLA policy (the operator's admin)",
    description = "New requests follow it at once on this node, on the others within a minute; requests already at the operator keep their due time until their next change re-plans it.",
    params(("id" = String, Path, description = "`default`")),
    request_body = PolicyShape,
    responses((status = 200, body = PolicyShape), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PolicyShape>,
) -> Result<Response, ApiError> {
    let spec = PolicySpec {
        time_zone: body.time_zone,
        first_response_minutes: MinutesSpec {
            critical: body.first_response_minutes.critical,
            moderate: body.first_response_minutes.moderate,
            minimal: body.first_response_minutes.minimal,
        },
        critical_hours: hours_spec(body.critical_hours),
        standard_hours: hours_spec(body.standard_hours),
        billing_hours: hours_spec(body.billing_hours),
    };
    let run = async {
        only_default(&id)?;
        state.app.set_sla_policy(&caller.actor, &spec).await
    };
    let saved = run
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shape(saved)).into_response())
}
