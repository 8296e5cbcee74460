//! Files on the request page: attach (a small form under the list) and download.

use axum::{
    extract::{Path, State},
    response::Response,
};

use super::{
    form_with_files::FormWithFiles,
    page::{OnPage, PageError},
    request_page::{explain, render},
    visitor::{TokenOnlyForm, Visitor},
};
use crate::{api::AppState, download};

/// Attaches the chosen files; a refusal shows the request page with what was wrong.
pub async fn upload(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    sent: FormWithFiles<TokenOnlyForm>,
) -> Result<Response, PageError> {
    let refused = |message: String| render(&state, &visitor, &id, String::new(), Some(message));
    if !visitor.sent_form_token(&sent.form.csrf) {
        return refused(visitor.locale.text("error-bad_form")).await;
    }
    let actor = visitor.actor()?;
    let attached = match sent.problem {
        Some(problem) => Err(problem),
        None if sent.files.is_empty() => {
            Err(partnerdesk_app::domain::FieldError::required("file").into())
        }
        None => state.app.attach_files(actor, &id, &sent.files, None).await,
    };
    match attached {
        Ok(_) => Ok(visitor.redirect(&format!("/requests/{id}"), Some("flash-files-attached"))),
        Err(e) => refused(explain(&visitor, e)?).await,
    }
}

/// One attached file, as a download.
pub async fn download(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let actor = visitor.actor()?;
    let (record, bytes) = state
        .app
        .download_file(actor, &id, &file_id)
        .await
        .on_page(&visitor)?;
    Ok(download::file_response(&record, bytes))
}
