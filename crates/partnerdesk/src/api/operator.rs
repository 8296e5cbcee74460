//! The operator's basics: assign and resolve (the queue listing shares the request listing).

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use serde_json::Value;

use super::{
    AppState,
    auth::Caller,
    error::ApiError,
    json::{ApiJson, ApiJsonOrEmpty},
    shapes,
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignBody {
    assignee: Option<String>,
}

pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssignBody>,
) -> Result<Json<Value>, ApiError> {
    let run = async {
        let assignee = body
            .assignee
            .ok_or(partnerdesk_app::domain::FieldError::required("assignee"))?;
        let view = state.app.assign(&caller.actor, &id, &assignee).await?;
        Ok(Json(shapes::request_view(&view)))
    };
    run.await.map_err(|e: ApiError| e.in_locale(caller.locale))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResolveBody {
    note: Option<String>,
}

pub async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJsonOrEmpty(body): ApiJsonOrEmpty<ResolveBody>,
) -> Result<Json<Value>, ApiError> {
    let note = body.note;
    let view = state
        .app
        .resolve(&caller.actor, &id, note.as_deref())
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(Json(shapes::request_view(&view)))
}
