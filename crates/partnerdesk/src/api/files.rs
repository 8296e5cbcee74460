//! Attachments of a service request: `POST|GET /v1/servicerequests/{id}/files`,
//! `GET /v1/servicerequests/{id}/files/{file-id}`.

use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use partnerdesk_app::store::FileRecord;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    AppState,
    auth::Caller,
    error::{ApiError, ErrorBody},
    shapes::{self, Collection, Date},
};
use crate::{download, uploads};

/// The file routes, with the body limit of uploads (the rest of the API takes small JSON).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_files, list_files))
        .routes(routes!(download_file))
        .layer(DefaultBodyLimit::max(uploads::MAX_UPLOAD_BYTES))
}

/// An upload's body (documentation only: the handler reads the parts as they stream in).
#[derive(ToSchema)]
#[schema(as = FileUpload)]
#[allow(dead_code)]
pub struct UploadBody {
    /// One part per file, each with its file name and media type.
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
    /// About the files of this upload (optional).
    comment: Option<String>,
}

/// A file attached to a request: Partner Center's `FileInfo`, plus who uploaded it, when, and
/// its checksum.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = FileInfo)]
pub struct FileShape<'a> {
    id: String,
    comment: Option<&'a str>,
    /// With its dot (`.log`); empty when the name has none.
    file_extension: &'a str,
    file_name_without_extension: &'a str,
    /// Bytes.
    file_size: i64,
    /// As the uploader declared it; downloads of types that a browser could run are sent as
    /// `application/octet-stream`.
    content_type: &'a str,
    /// Where to download it.
    uri: String,
    /// Hex SHA-256 of the bytes (also the download's ETag).
    sha256: &'a str,
    uploaded_by: &'a str,
    uploaded_date: Date,
}

/// `trace.log` → (`trace`, `.log`); a leading dot alone (`.bashrc`) is not an extension.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    }
}

fn file_shape<'a>(request_id: &str, f: &'a FileRecord) -> FileShape<'a> {
    let (stem, extension) = split_extension(&f.file.file_name);
    FileShape {
        id: f.file.id.to_string(),
        comment: f.file.comment.as_deref(),
        file_extension: extension,
        file_name_without_extension: stem,
        file_size: f.file.size_bytes,
        content_type: &f.file.content_type,
        uri: shapes::file_uri(request_id, f),
        sha256: &f.file.sha256,
        uploaded_by: &f.uploader_name,
        uploaded_date: Date::from(f.file.at),
    }
}

/// The files as a collection (serialized here, while the shapes can borrow from them).
fn files_response(status: StatusCode, request_id: &str, files: &[FileRecord]) -> Response {
    let items = files.iter().map(|f| file_shape(request_id, f)).collect();
    (status, Json(shapes::whole(items))).into_response()
}

#[utoipa::path(post, path = "/servicerequests/{id}/files", tag = "service requests",
    summary = "Attach files to a request",
    description = "`multipart/form-data`; every part with a file name is a file (at most 10 MB each, 20 per request, 50 MB per upload). Whoever may add a note may attach; not to a closed request.",
    params(("id" = String, Path, description = "The request id")),
    request_body(content_type = "multipart/form-data", content = UploadBody),
    responses((status = 201, body = Collection<FileShape>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn upload_files(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let fail = |e| ApiError::from(e).in_locale(caller.locale);
    let received = uploads::read(multipart).await;
    if let Some(problem) = received.problem {
        return Err(fail(problem));
    }
    let comment = received
        .fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("comment"))
        .map(|(_, text)| text.as_str());
    if received.files.is_empty() {
        return Err(fail(
            partnerdesk_app::domain::FieldError::required("file").into(),
        ));
    }
    let kept = state
        .app
        .attach_files(&caller.actor, &id, &received.files, comment)
        .await
        .map_err(fail)?;
    Ok(files_response(StatusCode::CREATED, &id, &kept))
}

#[utoipa::path(get, path = "/servicerequests/{id}/files", tag = "service requests",
    summary = "The files attached to a request, oldest first",
    params(("id" = String, Path, description = "The request id")),
    responses((status = 200, body = Collection<FileShape>), (status = 404, body = ErrorBody)))]
pub async fn list_files(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let files = state
        .app
        .request_files(&caller.actor, &id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(files_response(StatusCode::OK, &id, &files))
}

#[utoipa::path(get, path = "/servicerequests/{id}/files/{file_id}", tag = "service requests",
    summary = "Download an attached file",
    description = "Always sent as an attachment (`Content-Disposition`), with `nosniff` and a sandboxing CSP.",
    params(("id" = String, Path, description = "The request id"), ("file_id" = String, Path, description = "The file id")),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn download_file(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (record, bytes) = state
        .app
        .download_file(&caller.actor, &id, &file_id)
        .await
        .map_err(|e| ApiError::from(e).in_locale(caller.locale))?;
    Ok(download::file_response(&record, bytes))
}

#[cfg(test)]
mod tests {
    use super::split_extension;

    #[test]
    fn extensions_are_the_last_dotted_part() {
        assert_eq!(split_extension("trace.log"), ("trace", ".log"));
        assert_eq!(split_extension("a.tar.gz"), ("a.tar", ".gz"));
        assert_eq!(split_extension(".bashrc"), (".bashrc", ""));
        assert_eq!(split_extension("README"), ("README", ""));
    }
}
