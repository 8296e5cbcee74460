//! Sending an attached file back (the API's and the console's downloads): always as a download,
//! never rendered in the product's origin, with a name no browser can misread.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use partnerdesk_app::store::FileRecord;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// Types sent as themselves; anything else (HTML, SVG, scripts…) goes out as opaque bytes.
const PLAIN_TYPES: &[&str] = &[
    "application/json",
    "application/pdf",
    "application/zip",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/csv",
    "text/plain",
];

pub fn file_response(record: &FileRecord, bytes: Bytes) -> Response {
    let declared = record.file.content_type.as_str();
    let served = if PLAIN_TYPES.contains(&declared) {
        declared
    } else {
        "application/octet-stream"
    };
    let disposition = content_disposition(&record.file.file_name);
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    let fixed = |value: &'static str| HeaderValue::from_static(value);
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(served).unwrap_or_else(|_| fixed("application/octet-stream")),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or_else(|_| fixed("attachment")),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, fixed("nosniff"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        fixed("default-src 'none'; sandbox"),
    );
    headers.insert(header::CACHE_CONTROL, fixed("private, no-store"));
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", record.file.sha256)) {
        headers.insert(header::ETAG, etag);
    }
    response
}

/// `attachment` with an ASCII fallback name and the exact name in RFC 5987 encoding.
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let exact = utf8_percent_encode(name, NON_ALPHANUMERIC);
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{exact}")
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn names_cannot_break_out_of_the_header() {
        assert_eq!(
            content_disposition("a\"b\\c.txt"),
            "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%5Cc%2Etxt"
        );
        assert_eq!(
            content_disposition("日志.log"),
            "attachment; filename=\"__.log\"; filename*=UTF-8''%E6%97%A5%E5%BF%97%2Elog"
        );
    }
}
