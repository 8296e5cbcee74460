//! Reading `multipart/form-data` (the API's file uploads and the console's forms with files):
//! the text fields, and each file read to one byte past the size limit so that the use case
//! refuses it by name. The route's body limit bounds the whole.

use axum::extract::{Multipart, multipart::MultipartError};
use bytes::BytesMut;
use partnerdesk_app::{
    AppError,
    attachments::{MAX_FILE_BYTES, MAX_FILES_PER_REQUEST, Upload},
    domain::{FieldError, FieldErrorKind, SizeUnit},
};

/// The body limit of a route that takes files: a few files at the per-file limit, plus the
/// form around them.
pub const MAX_UPLOAD_MEGABYTES: usize = 50;
pub const MAX_UPLOAD_BYTES: usize = MAX_UPLOAD_MEGABYTES * 1024 * 1024 + 64 * 1024;

/// What a multipart body carried.
#[derive(Default)]
pub struct Received {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
    /// Why reading stopped early (too big, malformed): what came before is still here, so a
    /// form shows again with what was typed (forms put the file input last).
    pub problem: Option<AppError>,
}

pub async fn read(multipart: Multipart) -> Received {
    let mut received = Received::default();
    if let Err(problem) = read_into(multipart, &mut received).await {
        received.problem = Some(problem);
    }
    received
}

async fn read_into(mut multipart: Multipart, received: &mut Received) -> Result<(), AppError> {
    while let Some(mut field) = multipart.next_field().await.map_err(refused)? {
        let Some(file_name) = field.file_name().map(str::to_string) else {
            let name = field.name().unwrap_or_default().to_string();
            received
                .fields
                .push((name, field.text().await.map_err(refused)?));
            continue;
        };
        let content_type = field.content_type().unwrap_or_default().to_string();
        let mut bytes = BytesMut::new();
        while let Some(chunk) = field.chunk().await.map_err(refused)? {
            let room = (MAX_FILE_BYTES + 1).saturating_sub(bytes.len());
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        // A file input left empty still sends a part: no name, no bytes.
        if file_name.is_empty() && bytes.is_empty() {
            continue;
        }
        if received.files.len() == MAX_FILES_PER_REQUEST {
            return Err(FieldError {
                field: "file",
                kind: FieldErrorKind::TooLarge {
                    max: MAX_FILES_PER_REQUEST,
                    unit: SizeUnit::Files,
                },
            }
            .into());
        }
        received.files.push(Upload {
            file_name,
            content_type,
            bytes: bytes.freeze(),
        });
    }
    Ok(())
}

fn refused(error: MultipartError) -> AppError {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        FieldError {
            field: "file",
            kind: FieldErrorKind::TooLarge {
                max: MAX_UPLOAD_MEGABYTES,
                unit: SizeUnit::Megabytes,
            },
        }
        .into()
    } else {
        FieldError::invalid("file", error.body_text()).into()
    }
}
