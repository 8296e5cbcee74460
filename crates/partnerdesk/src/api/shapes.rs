//! What the API returns: Partner Center's resource shapes in camelCase. Unset dates are omitted.

use jiff::Timestamp;
use partnerdesk_app::{
    customers::ManagedService,
    domain::EnumText,
    requests::RequestView,
    store::{Note, Organization, ServiceRequest, SupportProfile, SupportTopic, User},
};
use serde::Serialize;
use serde_json::{Value, json};

fn date(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn opt_date(at: Option<Timestamp>) -> Option<String> {
    at.map(date)
}

/// An ETag for a versioned object.
pub fn etag(id: impl std::fmt::Display, version: i64) -> String {
    format!("\"{id}-{version}\"")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteShape {
    created_by_name: String,
    created_date: String,
    text: String,
    visibility: &'static str,
}

fn note(n: &Note) -> NoteShape {
    NoteShape {
        created_by_name: n.author_name.clone(),
        created_date: date(n.created_at),
        text: n.body.clone(),
        visibility: n.visibility.as_str(),
    }
}

/// A ServiceRequest; `notes` only when read one at a time.
pub fn service_request(r: &ServiceRequest, notes: Option<&[Note]>) -> Value {
    let mut v = json!({
        "id": r.id.to_string(),
        "title": r.title,
        "description": r.description,
        "severity": r.severity,
        "supportTopicId": r.topic_id,
        "supportTopicName": r.topic_name,
        "status": r.state.public_status(),
        "internalStatus": r.state,
        "kind": r.kind,
        "tier": r.tier,
        "category": r.category,
        "organization": {
            "id": r.customer_id.unwrap_or(r.partner_id).to_string(),
            "name": r.organization_name,
            "phoneNumber": r.organization_phone,
        },
        "partner": { "id": r.partner_id.to_string(), "name": r.partner_name },
        "primaryContact": {
            "organization": { "id": r.partner_id.to_string(), "name": r.partner_name },
            "firstName": r.contact.first_name,
            "lastName": r.contact.last_name,
            "email": r.contact.email,
            "phoneNumber": r.contact.phone,
            "preferredChannel": r.contact.channel,
            "locale": r.contact.locale,
            "timeZone": r.contact.time_zone,
        },
        "lastUpdatedBy": r.last_updated_by,
        "productName": r.service_name,
        "productId": r.service_id,
        "createdDate": date(r.created_at),
        "lastModifiedDate": date(r.modified_at),
        "countryCode": r.country_code,
        "agentLocale": r.agent_locale,
        "escalationCriterion": r.escalation_criterion,
        "troubleshooting": r.troubleshooting,
        "escalationIncomplete": r.escalation_incomplete,
        "assignedTo": r.assigned_to.map(|a| a.to_string()),
        "fileLinks": [],
        "attributes": { "objectType": "ServiceRequest", "etag": etag(r.id, r.version) },
    });
    let object = v.as_object_mut().expect("object");
    for (key, at) in [
        ("lastClosedDate", r.closed_at),
        ("escalatedDate", r.escalated_at),
        ("resolvedDate", r.resolved_at),
    ] {
        if let Some(at) = opt_date(at) {
            object.insert(key.into(), json!(at));
        }
    }
    if let Some(notes) = notes {
        object.insert(
            "notes".into(),
            json!(notes.iter().map(note).collect::<Vec<_>>()),
        );
    }
    v
}

pub fn request_view(view: &RequestView) -> Value {
    service_request(&view.request, Some(&view.notes))
}

pub fn topic(t: &SupportTopic) -> Value {
    json!({ "id": t.id, "name": t.name, "description": t.description, "serviceId": t.service_id, "category": t.category })
}

pub fn organization(o: &Organization) -> Value {
    let mut v = json!({
        "id": o.id.to_string(), "kind": o.kind, "name": o.name, "country": o.country, "phoneNumber": o.phone,
    });
    if let Some(domain) = &o.domain {
        v["domain"] = json!(domain);
        v["tenantId"] = json!(o.id.to_string());
    }
    v
}

pub fn managed_service(customer_id: &str, m: &ManagedService) -> Value {
    json!({
        "id": m.service.id,
        "name": m.service.name,
        "links": {
            "adminService": { "uri": m.admin_url, "method": "GET" },
            "serviceHealth": { "uri": format!("/v1/customers/{customer_id}/serviceincidents?serviceId={}", m.service.id), "method": "GET" },
            "serviceTicket": { "uri": format!("/v1/customers/{customer_id}/servicerequests?serviceId={}", m.service.id), "method": "GET" },
        },
    })
}

pub fn user(u: &User) -> Value {
    json!({ "id": u.id.to_string(), "email": u.email, "name": u.name, "locale": u.locale })
}

pub fn me(u: &User) -> Value {
    json!({
        "user": user(u),
        "organization": { "id": u.org_id.to_string(), "kind": u.org_kind, "name": u.org_name },
        "roles": [u.role],
    })
}

pub fn support_profile(p: &SupportProfile) -> Value {
    json!({ "email": p.email, "telephone": p.phone, "website": p.website, "hours": p.hours })
}

pub fn audit_event(e: &partnerdesk_app::store::AuditEvent) -> Value {
    json!({
        "at": date(e.at), "actorName": e.actor_name, "actorId": e.actor_id.map(|a| a.to_string()),
        "action": e.action, "detail": e.detail,
    })
}
