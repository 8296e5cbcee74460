//! Files attached to service requests: attached to a request, or staged with a form that is
//! not submitted yet (so that a failed submit keeps them); listed; downloaded. Whoever may add
//! a note to a request may attach a file to it, and whoever sees the request sees its files.

use bytes::Bytes;
use jiff::SignedDuration;
use partnerdesk_domain::{
    FieldError, FieldErrorKind, Guid, RequestId, SizeUnit, State,
    fields::{self, limits},
};
use partnerdesk_store::{FileRecord, NewFile, ServiceRequest, blob_key};
use sha2::{Digest, Sha256};

use crate::{Actor, App, AppError, Result, policy};

/// The largest file accepted.
pub const MAX_FILE_MEGABYTES: usize = 10;
pub const MAX_FILE_BYTES: usize = MAX_FILE_MEGABYTES * 1024 * 1024;
/// The most files one request holds (and one upload carries).
pub const MAX_FILES_PER_REQUEST: usize = 20;
/// How long a file uploaded with a form that was never submitted is kept.
pub const STAGED_FILE_LIFETIME: SignedDuration = SignedDuration::from_hours(24);
const MAX_NAME_CHARS: usize = 200;

/// A file as it arrived: the name and type its sender gave, and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Bytes,
}

/// The name a file is kept under: the last part of what the browser sent (some send a
/// whole path), without control characters, at most 200 characters; never empty.
pub fn clean_file_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    match name.trim() {
        "" | "." | ".." => "file".to_string(),
        trimmed => trimmed.to_string(),
    }
}

/// The media type as sent, lower-cased, without parameters; `application/octet-stream` when
/// it is missing or malformed. Downloads never trust it (see the edges), it only informs.
pub fn clean_content_type(sent: &str) -> String {
    let essence = sent.split(';').next().unwrap_or_default().trim();
    let valid_part = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    match essence.split_once('/') {
        Some((kind, sub)) if valid_part(kind) && valid_part(sub) => essence.to_ascii_lowercase(),
        _ => "application/octet-stream".to_string(),
    }
}

/// Whether the actor may attach files to the request now: whoever may add a note, until the
/// request is closed.
pub fn may_attach(actor: &Actor, request: &ServiceRequest) -> bool {
    policy::check_note(actor, request).is_ok() && request.state != State::Closed
}

fn too_large(max: usize, unit: SizeUnit) -> FieldError {
    FieldError {
        field: "file",
        kind: FieldErrorKind::TooLarge { max, unit },
    }
}

/// Refuses an upload that is empty, over the size limit, or more files than allowed.
fn check_uploads(uploads: &[Upload], already_attached: usize) -> Result<()> {
    if uploads.len() + already_attached > MAX_FILES_PER_REQUEST {
        return Err(too_large(MAX_FILES_PER_REQUEST, SizeUnit::Files).into());
    }
    for upload in uploads {
        if upload.bytes.len() > MAX_FILE_BYTES {
            return Err(too_large(MAX_FILE_MEGABYTES, SizeUnit::Megabytes).into());
        }
        if upload.bytes.is_empty() {
            return Err(FieldError::invalid("file", "the file is empty").into());
        }
    }
    Ok(())
}

impl App {
    /// Keeps the bytes, then the record: a crash between the two leaves unnamed bytes, never a
    /// record without its file.
    async fn keep(
        &self,
        actor: &Actor,
        upload: &Upload,
        comment: Option<&str>,
        attach_to: Option<&ServiceRequest>,
    ) -> Result<FileRecord> {
        let new = NewFile {
            id: Guid::new_random(),
            uploaded_by: actor.id(),
            file_name: clean_file_name(&upload.file_name),
            content_type: clean_content_type(&upload.content_type),
            size_bytes: upload.bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(&upload.bytes)),
            comment: comment.map(str::to_string),
            at: self.now(),
        };
        self.files
            .put(&blob_key(new.id), upload.bytes.clone())
            .await?;
        let attached = attach_to.map(|request| {
            let detail = serde_json::json!({ "file": new.id.to_string(), "name": new.file_name });
            (
                request.id,
                self.history(actor, request, "file_attached", detail),
            )
        });
        self.store
            .insert_file(&new, attached.as_ref().map(|(id, entry)| (*id, entry)))
            .await?;
        Ok(FileRecord {
            file: new,
            request_id: attach_to.map(|r| r.id),
            uploader_name: actor.name().to_string(),
        })
    }

    /// Attaches files to a request the actor may add notes to (not a closed one), with an
    /// optional comment about them.
    pub async fn attach_files(
        &self,
        actor: &Actor,
        request_id: &str,
        uploads: &[Upload],
        comment: Option<&str>,
    ) -> Result<Vec<FileRecord>> {
        let comment = fields::optional_text("comment", comment, limits::NOTE)?;
        let request = self.visible_request(actor, request_id).await?;
        policy::check_note(actor, &request)?;
        if request.state == State::Closed {
            return Err(FieldError::invalid("file", "the request is closed").into());
        }
        let attached = self.store.request_files(request.id).await?;
        check_uploads(uploads, attached.len())?;
        let mut kept = Vec::with_capacity(uploads.len());
        for upload in uploads {
            kept.push(
                self.keep(actor, upload, comment.as_deref(), Some(&request))
                    .await?,
            );
        }
        Ok(kept)
    }

    /// Keeps files sent with a request form, for the request the form will make (see
    /// `RequestInput::attachments`). Unused ones expire after `STAGED_FILE_LIFETIME`.
    pub async fn stage_files(
        &self,
        actor: &Actor,
        uploads: &[Upload],
        already_staged: usize,
    ) -> Result<Vec<FileRecord>> {
        check_uploads(uploads, already_staged)?;
        let mut kept = Vec::with_capacity(uploads.len());
        for upload in uploads {
            kept.push(self.keep(actor, upload, None, None).await?);
        }
        Ok(kept)
    }

    /// Of the ids a form carries, the files the actor staged and still has.
    pub async fn staged_files(&self, actor: &Actor, ids: &[String]) -> Result<Vec<FileRecord>> {
        let ids: Vec<Guid> = ids.iter().filter_map(|id| id.parse().ok()).collect();
        Ok(self.store.staged_files(actor.id(), &ids).await?)
    }

    /// Checks that a form's staged files are all still the actor's to attach.
    pub(crate) async fn check_staged(&self, actor: &Actor, ids: &[String]) -> Result<Vec<Guid>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        if ids.len() > MAX_FILES_PER_REQUEST {
            return Err(too_large(MAX_FILES_PER_REQUEST, SizeUnit::Files).into());
        }
        let staged = self.staged_files(actor, ids).await?;
        if staged.len() != ids.len() {
            return Err(FieldError::invalid(
                "attachments",
                "a file is no longer available; attach it again",
            )
            .into());
        }
        Ok(staged.iter().map(|f| f.file.id).collect())
    }

    /// The files attached to a request the actor sees, oldest first.
    pub async fn request_files(&self, actor: &Actor, request_id: &str) -> Result<Vec<FileRecord>> {
        let request = self.visible_request(actor, request_id).await?;
        Ok(self.store.request_files(request.id).await?)
    }

    /// One attached file and its bytes, if the actor sees its request.
    pub async fn download_file(
        &self,
        actor: &Actor,
        request_id: &str,
        file_id: &str,
    ) -> Result<(FileRecord, Bytes)> {
        let request = self.visible_request(actor, request_id).await?;
        let file_id: Guid = file_id.parse().map_err(|_| AppError::NotFound)?;
        let record = self.store.file(file_id).await?;
        if record.request_id != Some(request.id) {
            return Err(AppError::NotFound);
        }
        let bytes = self.files.get(&record.blob_key()).await?;
        Ok((record, bytes))
    }

    /// Forgets staged files older than their lifetime: rows first, then bytes.
    pub(crate) async fn purge_staged_files(&self) -> Result<u64> {
        let keys = self
            .store
            .purge_staged_files(self.now() - STAGED_FILE_LIFETIME)
            .await?;
        for key in &keys {
            self.files.delete(key).await?;
        }
        Ok(keys.len() as u64)
    }

    /// A request's row, if the actor may see it (without its notes and files).
    pub(crate) async fn visible_request(&self, actor: &Actor, id: &str) -> Result<ServiceRequest> {
        let id = id.parse::<RequestId>().map_err(|_| AppError::NotFound)?;
        let request = self.store.request(id).await?;
        policy::check_can_see(actor, &request)?;
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_only_their_last_part_without_control_characters() {
        assert_eq!(clean_file_name(r"C:\fakepath\report.pdf"), "report.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\r\nc.txt"), "abc.txt");
        assert_eq!(clean_file_name("日志 2026.log"), "日志 2026.log");
        assert_eq!(clean_file_name(".."), "file");
        assert_eq!(clean_file_name("dir/"), "file");
        assert_eq!(clean_file_name(&"x".repeat(500)).chars().count(), 200);
    }

    #[test]
    fn content_types_are_lower_cased_essences_or_octet_stream() {
        assert_eq!(clean_content_type("Image/PNG; q=1"), "image/png");
        assert_eq!(clean_content_type("text/html"), "text/html");
        assert_eq!(clean_content_type(""), "application/octet-stream");
        assert_eq!(
            clean_content_type("text/<script>"),
            "application/octet-stream"
        );
        assert_eq!(clean_content_type("nonsense"), "application/octet-stream");
    }

    #[test]
    fn uploads_over_the_limits_are_refused_naming_the_field() {
        let file = |len: usize| Upload {
            file_name: "a".into(),
            content_type: "text/plain".into(),
            bytes: Bytes::from(vec![b'x'; len]),
        };
        assert!(check_uploads(&[file(MAX_FILE_BYTES)], 0).is_ok());
        let code = |r: Result<()>| match r {
            Err(AppError::Invalid(fields)) => (fields[0].field, fields[0].kind.code()),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            code(check_uploads(&[file(MAX_FILE_BYTES + 1)], 0)),
            ("file", "too_large")
        );
        assert_eq!(code(check_uploads(&[file(0)], 0)), ("file", "invalid"));
        assert_eq!(
            code(check_uploads(&[file(1)], MAX_FILES_PER_REQUEST)),
            ("file", "too_large")
        );
    }
}
