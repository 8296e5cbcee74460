//! `/openapi.json` and `/docs`: the document, and a plain page to read it in a browser (no
//! script, nothing fetched from elsewhere).

use askama::Template;
use axum::{
    http::header,
    response::{Html, IntoResponse, Response},
};
use serde_json::Value;

use super::{ApiError, openapi};
use partnerdesk_app::AppError;

pub async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi::document_text(),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    title: String,
    version: String,
    description: String,
    tags: Vec<Tag>,
    schemas: Vec<SchemaView>,
}

struct Tag {
    name: String,
    operations: Vec<Operation>,
}

struct Operation {
    method: String,
    path: String,
    anchor: String,
    summary: String,
    description: String,
    parameters: Vec<Field>,
    body: String,
    responses: Vec<(String, String)>,
}

struct SchemaView {
    name: String,
    description: String,
    properties: Vec<Field>,
}

/// A parameter or a property: name, where or type, whether required, description.
struct Field {
    name: String,
    kind: String,
    required: bool,
    description: String,
}

fn text(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// A schema in a few words: `ServiceRequest`, `string (critical | moderate | minimal)`, `[Note]`.
fn describe_type(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            return options
                .iter()
                .map(describe_type)
                .filter(|t| t != "null")
                .collect::<Vec<_>>()
                .join(" | ");
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let words: Vec<String> = values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        return format!("string ({})", words.join(" | "));
    }
    let kind = match schema.get("type") {
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .filter(|k| *k != "null")
            .collect::<Vec<_>>()
            .join(" | "),
        Some(Value::String(kind)) => kind.clone(),
        _ => "any".to_string(),
    };
    match kind.as_str() {
        "array" => format!(
            "[{}]",
            describe_type(schema.get("items").unwrap_or(&Value::Null))
        ),
        _ => match schema.get("format").and_then(Value::as_str) {
            Some(format) => format!("{kind} ({format})"),
            None => kind,
        },
    }
}

fn body_type(content_holder: &Value) -> String {
    content_holder
        .get("content")
        .and_then(Value::as_object)
        .and_then(|content| content.values().next())
        .and_then(|media| media.get("schema"))
        .map(describe_type)
        .unwrap_or_default()
}

fn operation(method: &str, path: &str, op: &Value) -> Operation {
    let parameters = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| Field {
            name: text(p, "/name"),
            kind: format!(
                "{} · {}",
                text(p, "/in"),
                describe_type(p.get("schema").unwrap_or(&Value::Null))
            ),
            required: p.get("required").and_then(Value::as_bool) == Some(true),
            description: text(p, "/description"),
        })
        .collect();
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(status, response)| (status.clone(), body_type(response)))
        .collect();
    Operation {
        method: method.to_uppercase(),
        path: path.to_string(),
        anchor: format!("{method}-{path}")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect(),
        summary: text(op, "/summary"),
        description: text(op, "/description"),
        parameters,
        body: op.get("requestBody").map(body_type).unwrap_or_default(),
        responses,
    }
}

fn page_of(document: &Value) -> DocsPage {
    let mut tags: Vec<Tag> = vec![];
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let tag = text(op, "/tags/0");
            let operation = operation(method, path, op);
            match tags.iter_mut().find(|t| t.name == tag) {
                Some(t) => t.operations.push(operation),
                None => tags.push(Tag {
                    name: tag,
                    operations: vec![operation],
                }),
            }
        }
    }
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, schema)| {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            SchemaView {
                name: name.clone(),
                description: text(schema, "/description"),
                properties: schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(property, s)| Field {
                        name: property.clone(),
                        kind: describe_type(s),
                        required: required.contains(&property.as_str()),
                        description: text(s, "/description"),
                    })
                    .collect(),
            }
        })
        .collect();
    DocsPage {
        title: text(document, "/info/title"),
        version: text(document, "/info/version"),
        description: text(document, "/info/description"),
        tags,
        schemas,
    }
}

pub async fn page() -> Result<Html<String>, ApiError> {
    page_of(&openapi::document_json())
        .render()
        .map(Html)
        .map_err(|e| ApiError::App(AppError::Internal(format!("docs page: {e}"))))
}
