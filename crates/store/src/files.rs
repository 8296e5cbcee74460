//! What the files attached to service requests are: name, type, size, checksum, who uploaded
//! them and when. Their bytes are in the blob store (`blobs.rs`) under `FileRecord::blob_key`.

use jiff::Timestamp;
use partnerdesk_domain::{Guid, RequestId};
use sqlx::{AssertSqlSafe, any::AnyRow};

use crate::{
    AuditEntry, Store, StoreError, audit,
    rows::{guid, int, micros, opt_text, text, time},
};

/// A file as uploaded, before its row exists.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFile {
    pub id: Guid,
    pub uploaded_by: Guid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// What the uploader said about the files of one upload.
    pub comment: Option<String>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileRecord {
    pub file: NewFile,
    /// None while the file is staged (uploaded with a form that has not been submitted yet).
    pub request_id: Option<RequestId>,
    pub uploader_name: String,
}

impl FileRecord {
    pub fn blob_key(&self) -> String {
        blob_key(self.file.id)
    }
}

/// Where a file's bytes are kept: by its id alone, never by anything the uploader chose.
pub fn blob_key(id: Guid) -> String {
    format!("files/{id}")
}

const SELECT_FILE: &str = "SELECT f.id, f.request_id, f.uploaded_by, f.file_name, f.content_type,
       f.size_bytes, f.sha256, f.comment, f.created_at, COALESCE(u.name, '') AS uploader_name
     FROM request_files f LEFT JOIN users u ON u.id = f.uploaded_by";

fn file(row: &AnyRow) -> Result<FileRecord, StoreError> {
    let request_id: Option<i64> = sqlx::Row::try_get(row, "request_id")?;
    Ok(FileRecord {
        file: NewFile {
            id: guid(row, "id")?,
            uploaded_by: guid(row, "uploaded_by")?,
            file_name: text(row, "file_name")?,
            content_type: text(row, "content_type")?,
            size_bytes: int(row, "size_bytes")?,
            sha256: text(row, "sha256")?,
            comment: opt_text(row, "comment")?,
            at: time(row, "created_at")?,
        },
        request_id: request_id
            .map(|id| {
                RequestId::new(id).ok_or_else(|| StoreError::Corrupt(format!("request id {id}")))
            })
            .transpose()?,
        uploader_name: text(row, "uploader_name")?,
    })
}

pub(crate) async fn insert_file(
    conn: &mut sqlx::AnyConnection,
    new: &NewFile,
    request_id: Option<RequestId>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO request_files (id, request_id, uploaded_by, file_name, content_type,
           size_bytes, sha256, comment, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new.id.to_string())
    .bind(request_id.map(RequestId::get))
    .bind(new.uploaded_by.to_string())
    .bind(&new.file_name)
    .bind(&new.content_type)
    .bind(new.size_bytes)
    .bind(&new.sha256)
    .bind(&new.comment)
    .bind(micros(new.at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Attaches files `uploaded_by` staged to a request, with one history event each; false if one
/// of them is not (or no longer) staged by that user.
pub(crate) async fn attach_staged(
    conn: &mut sqlx::AnyConnection,
    ids: &[Guid],
    uploaded_by: Guid,
    request_id: RequestId,
    attached: &AuditEntry,
) -> Result<bool, StoreError> {
    for id in ids {
        let name: Option<String> = sqlx::query_scalar(
            "UPDATE request_files SET request_id = $1
             WHERE id = $2 AND uploaded_by = $3 AND request_id IS NULL RETURNING file_name",
        )
        .bind(request_id.get())
        .bind(id.to_string())
        .bind(uploaded_by.to_string())
        .fetch_optional(&mut *conn)
        .await?;
        let Some(name) = name else {
            return Ok(false);
        };
        let entry = AuditEntry {
            entity_id: request_id.to_string(),
            detail: serde_json::json!({ "file": id.to_string(), "name": name }),
            ..attached.clone()
        };
        audit::record(conn, &entry).await?;
    }
    Ok(true)
}

impl Store {
    /// Records a file: attached to a request (with its history event), or staged.
    pub async fn insert_file(
        &self,
        new: &NewFile,
        attach: Option<(RequestId, &AuditEntry)>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        insert_file(&mut tx, new, attach.map(|(id, _)| id)).await?;
        if let Some((_, attached)) = attach {
            audit::record(&mut tx, attached).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One file's record.
    pub async fn file(&self, id: Guid) -> Result<FileRecord, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!("{SELECT_FILE} WHERE f.id = $1")))
            .bind(id.to_string())
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        file(&row)
    }

    /// The files attached to a request, oldest first.
    pub async fn request_files(
        &self,
        request_id: RequestId,
    ) -> Result<Vec<FileRecord>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{SELECT_FILE} WHERE f.request_id = $1 ORDER BY f.seq"
        )))
        .bind(request_id.get())
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(file).collect()
    }

    /// Of `ids`, the files `uploaded_by` has staged and not yet attached.
    pub async fn staged_files(
        &self,
        uploaded_by: Guid,
        ids: &[Guid],
    ) -> Result<Vec<FileRecord>, StoreError> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            match self.file(*id).await {
                Ok(f) if f.request_id.is_none() && f.file.uploaded_by == uploaded_by => {
                    found.push(f)
                }
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(found)
    }

    /// Forgets files staged before `before` that no request took; returns their blob keys, for
    /// the caller to remove the bytes (after the rows, so no row ever names missing bytes).
    pub async fn purge_staged_files(&self, before: Timestamp) -> Result<Vec<String>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "DELETE FROM request_files WHERE request_id IS NULL AND created_at < $1 RETURNING id",
        )
        .bind(micros(before))
        .fetch_all(&self.write)
        .await?;
        ids.iter()
            .map(|id| {
                id.parse::<Guid>()
                    .map(blob_key)
                    .map_err(|_| StoreError::Corrupt(format!("bad file id {id:?}")))
            })
            .collect()
    }
}
