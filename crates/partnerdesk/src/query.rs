//! Query parameters as both edges read them: keys in any case, dates, and the request-list
//! filter of api.md (which the console's list pages take too).

use std::collections::HashMap;

use jiff::Timestamp;
use partnerdesk_app::{
    domain::{Category, EnumText, FieldError, PublicStatus},
    requests::{self, RawEnum},
    store::RequestFilter,
};
use serde::Deserialize;
use serde_json::Value;

/// Query parameters, keys in any case.
pub struct ListQuery(pub HashMap<String, String>);

impl ListQuery {
    pub fn new(raw: HashMap<String, String>) -> Self {
        ListQuery(
            raw.into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        )
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

pub fn time_param(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<Timestamp>, FieldError> {
    value
        .map(|v| {
            v.trim()
                .parse::<Timestamp>()
                .or_else(|_| {
                    v.trim().parse::<jiff::civil::Date>().map(|d| {
                        d.to_zoned(jiff::tz::TimeZone::UTC)
                            .map(|z| z.timestamp())
                            .unwrap_or_default()
                    })
                })
                .map_err(|_| FieldError::invalid(field, "an RFC 3339 date-time or a date"))
        })
        .transpose()
}

/// The filter of api.md: plain parameters plus Partner Center's JSON `filter`.
pub fn parse_filter(q: &ListQuery) -> Result<RequestFilter, FieldError> {
    let mut filter = RequestFilter::default();
    let mut statuses = vec![];
    if let Some(s) = q.get("status") {
        statuses.push(RawEnum::Text(s.to_string()));
    }
    if let Some(s) = q.get("severity") {
        filter.severity = requests::parse_severity("severity", &RawEnum::Text(s.to_string()))?;
    }
    if let Some(raw) = q.get("filter") {
        #[derive(Deserialize)]
        struct PcFilter {
            field: String,
            value: Value,
            operator: Option<String>,
        }
        let pc: PcFilter = crate::api::json_parse(raw.as_bytes()).map_err(|_| {
            FieldError::invalid(
                "filter",
                r#"expected {"Field":…,"Value":…,"Operator":"equals"}"#,
            )
        })?;
        if pc.operator.as_deref().is_some_and(|o| {
            !o.eq_ignore_ascii_case("equals") && !o.eq_ignore_ascii_case("contains")
        }) {
            return Err(FieldError::invalid(
                "filter",
                "Operator must be equals or contains",
            ));
        }
        let value = match pc.value {
            Value::Number(n) => RawEnum::Number(n.as_i64().unwrap_or(-1)),
            Value::String(s) => RawEnum::Text(s),
            _ => {
                return Err(FieldError::invalid(
                    "filter",
                    "Value must be a string or number",
                ));
            }
        };
        match pc.field.to_ascii_lowercase().as_str() {
            "status" => statuses.push(value),
            "severity" => filter.severity = requests::parse_severity("filter", &value)?,
            "title" | "description" => {
                if let RawEnum::Text(t) = value {
                    filter.text.push(t);
                }
            }
            _ => {
                return Err(FieldError::invalid(
                    "filter",
                    "Field must be Status, Severity or Title",
                ));
            }
        }
    }
    for raw in statuses {
        if let Some(status) = requests::parse_status("status", &raw)? {
            filter
                .states
                .extend_from_slice(PublicStatus::states(status));
        }
    }
    if let Some(c) = q.get("customerid") {
        filter.customer_id = Some(
            c.parse()
                .map_err(|_| FieldError::invalid("customerId", "not a GUID"))?,
        );
    }
    filter.service_id = q.get("serviceid").map(str::to_string);
    filter.topic_id = q.get("topicid").map(str::to_string);
    if let Some(incident) = q.get("incidentid") {
        filter.incident_id = Some(
            incident
                .trim()
                .parse()
                .map_err(|_| FieldError::invalid("incidentId", "an incident id"))?,
        );
    }
    filter.created_after = time_param("createdAfter", q.get("createdafter"))?;
    filter.created_before = time_param("createdBefore", q.get("createdbefore"))?;
    if let Some(text) = q.get("q") {
        filter
            .text
            .extend(text.split_whitespace().map(str::to_string));
    }
    Ok(filter)
}

/// The operator queue's own filters: `category`, `language` (the partner contact's, a tag or its
/// prefix), `unassigned` and `breached` (past the first-response target by `now`).
pub fn apply_queue_filters(
    q: &ListQuery,
    filter: &mut RequestFilter,
    now: Timestamp,
) -> Result<(), FieldError> {
    let flag = |name: &str| {
        q.get(name)
            .is_some_and(|v| matches!(v.trim(), "true" | "1" | "on"))
    };
    filter.category = q
        .get("category")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| Category::parse_text(c).map_err(|e| FieldError::not_one_of("category", e)))
        .transpose()?;
    filter.contact_language = q
        .get("language")
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    filter.unassigned = flag("unassigned");
    if flag("breached") {
        filter.due_by = Some(now);
    }
    Ok(())
}
