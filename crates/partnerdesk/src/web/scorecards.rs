//! Scorecards in the console: every partner's (the operator's comparison) and one partner's
//! card with its weekly charts — the operator's support people see any, a partner's global
//! admin and admin agents their own.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use jiff::{SignedDuration, Timestamp};
use partnerdesk_app::{
    AppError,
    domain::{FieldError, Guid, scorecard::Scorecard},
};

use super::{
    charts::{BarChart, stacked},
    page::{Frame, OnPage, PageError, Section},
    visitor::Visitor,
};
use crate::{api::AppState, query::time_param};

/// A card's numbers as shown.
struct Figures {
    escalations: i64,
    deflections: i64,
    deflection_rate: String,
    improper: i64,
    improper_rate: String,
    disputes_won: String,
    median: String,
    p90: String,
    attainment: String,
    over_threshold: bool,
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".into(), |v| format!("{v:.1} %"))
}

fn minutes(value: Option<SignedDuration>) -> String {
    value.map_or_else(
        || "—".into(),
        |d| format!("{} min", d.as_secs().div_euclid(60)),
    )
}

fn figures(card: &Scorecard) -> Figures {
    let c = &card.counts;
    Figures {
        escalations: c.escalations,
        deflections: c.deflections,
        deflection_rate: percent(card.deflection_rate),
        improper: c.improper,
        improper_rate: percent(card.improper_rate),
        disputes_won: format!("{} / {}", c.disputes_won, c.disputes),
        median: minutes(card.median_first_contact),
        p90: minutes(card.p90_first_contact),
        attainment: percent(card.sla_attainment),
        over_threshold: card.over_threshold,
    }
}

/// The period asked for (`from`, `until`, dates or instants): as typed, and as read.
struct Period {
    from: String,
    until: String,
    from_at: Option<Timestamp>,
    until_at: Option<Timestamp>,
}

fn period(raw: &HashMap<String, String>) -> Result<Period, FieldError> {
    let typed = |key: &str| raw.get(key).cloned().unwrap_or_default();
    let (from, until) = (typed("from"), typed("until"));
    let read = |field, value: &str| time_param(field, Some(value).filter(|v| !v.trim().is_empty()));
    Ok(Period {
        from_at: read("from", &from)?,
        until_at: read("until", &until)?,
        from,
        until,
    })
}

#[derive(Template)]
#[template(path = "web/scorecards.html")]
struct ListPage {
    frame: Frame,
    from: String,
    until: String,
    error: Option<String>,
    rows: Vec<(String, String, Figures)>,
}

/// Every partner's card, for the operator, in the order asked (`sort`).
pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let locale = visitor.locale;
    let asked = period(&raw);
    let found = match &asked {
        Ok(p) => state.app.scorecards(actor, p.from_at, p.until_at).await,
        Err(field) => Err(field.clone().into()),
    };
    let (error, mut cards) = match found {
        Ok(cards) => (None, cards),
        Err(AppError::Invalid(fields)) => {
            let words: Vec<String> = fields.iter().map(|f| locale.field_message(f)).collect();
            (Some(words.join(" ")), vec![])
        }
        Err(e) => return Err(visitor.fail(e)),
    };
    let (from, until) = asked.map(|p| (p.from, p.until)).unwrap_or_default();
    match raw.get("sort").map(String::as_str) {
        Some("escalations") => cards.sort_by_key(|(_, c)| std::cmp::Reverse(c.counts.escalations)),
        Some("improper") => cards.sort_by(|(_, a), (_, b)| {
            b.improper_rate
                .partial_cmp(&a.improper_rate)
                .unwrap_or(std::cmp::Ordering::Equal)
        }),
        Some("attainment") => cards.sort_by(|(_, a), (_, b)| {
            a.sla_attainment
                .partial_cmp(&b.sla_attainment)
                .unwrap_or(std::cmp::Ordering::Equal)
        }),
        _ => cards.sort_by(|(a, _), (b, _)| a.name.cmp(&b.name)),
    }
    let page = ListPage {
        frame: visitor.frame("scorecards-title", Section::Scorecards),
        from,
        until,
        error,
        rows: cards
            .iter()
            .map(|(p, c)| (p.id.to_string(), p.name.clone(), figures(c)))
            .collect(),
    };
    Ok(visitor.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "web/scorecard.html")]
struct CardPage {
    frame: Frame,
    partner: String,
    period: String,
    figures: Figures,
    threshold: String,
    volume: BarChart,
    attainment: BarChart,
    improper: BarChart,
    operator: bool,
}

fn week_label(from: Timestamp, week: i64) -> String {
    (from + SignedDuration::from_hours(24 * 7 * week))
        .strftime("%m-%d")
        .to_string()
}

/// One partner's card and its weekly charts.
pub async fn card(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(partner): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let locale = visitor.locale;
    let partner: Guid = partner
        .parse()
        .map_err(|_| visitor.fail(AppError::NotFound))?;
    let asked = period(&raw).map_err(|e| visitor.fail(e))?;
    let s = state
        .app
        .scorecard(actor, partner, asked.from_at, asked.until_at)
        .await
        .on_page(&visitor)?;
    let percent_of = |part: i64, whole: i64| {
        if whole > 0 {
            part as f64 * 100.0 / whole as f64
        } else {
            0.0
        }
    };
    let volume = stacked(
        s.weeks
            .iter()
            .map(|w| {
                let [c, m, n] = w.by_severity;
                (
                    week_label(s.from, w.week),
                    vec![
                        ("critical", c as f64),
                        ("moderate", m as f64),
                        ("minimal", n as f64),
                    ],
                    locale.text_with(
                        "chart-volume-bar",
                        &[
                            ("critical", c.into()),
                            ("moderate", m.into()),
                            ("minimal", n.into()),
                        ],
                    ),
                )
            })
            .collect(),
        None,
        None,
        "",
    );
    let attainment = stacked(
        s.weeks
            .iter()
            .map(|w| {
                let rate = percent_of(w.sla_met, w.sla_met + w.sla_breached);
                (
                    week_label(s.from, w.week),
                    vec![("met", rate)],
                    format!("{rate:.0} %"),
                )
            })
            .collect(),
        Some(100.0),
        None,
        " %",
    );
    let threshold = s.threshold.improper_percent as f64;
    let improper = stacked(
        s.weeks
            .iter()
            .map(|w| {
                let all: i64 = w.by_severity.iter().sum();
                let rate = percent_of(w.improper, all);
                (
                    week_label(s.from, w.week),
                    vec![(if rate >= threshold { "over" } else { "under" }, rate)],
                    format!("{rate:.0} %"),
                )
            })
            .collect(),
        Some(100.0),
        Some((threshold, format!("{threshold:.0} %"))),
        " %",
    );
    let page = CardPage {
        frame: visitor.frame("scorecard-title", Section::Scorecards),
        partner: s.partner.name.clone(),
        period: format!(
            "{} – {}",
            s.from.strftime("%Y-%m-%d"),
            s.until.strftime("%Y-%m-%d")
        ),
        figures: figures(&s.card),
        threshold: locale.text_with(
            "scorecard-threshold",
            &[
                ("percent", s.threshold.improper_percent.into()),
                ("escalations", s.threshold.min_escalations.into()),
            ],
        ),
        volume,
        attainment,
        improper,
        operator: actor.is_operator(),
    };
    Ok(visitor.render(StatusCode::OK, &page))
}
