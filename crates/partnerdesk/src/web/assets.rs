//! The console's stylesheet and script, compiled into the binary and served under a name that
//! changes with their content, so browsers may keep them for a year.

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

const CSS: &str = include_str!("../../assets/console.css");
const SCRIPT: &str = include_str!("../../assets/console.js");

fn versioned(stem: &str, ext: &str, content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    let short = hex::encode(&digest[..6]);
    format!("/assets/{stem}.{short}.{ext}")
}

pub static CSS_URL: LazyLock<String> = LazyLock::new(|| versioned("console", "css", CSS));
pub static SCRIPT_URL: LazyLock<String> = LazyLock::new(|| versioned("console", "js", SCRIPT));

pub async fn serve(Path(name): Path<String>) -> Response {
    let path = format!("/assets/{name}");
    let (body, kind) = if path == *CSS_URL {
        (CSS, "text/css; charset=utf-8")
    } else if path == *SCRIPT_URL {
        (SCRIPT, "text/javascript; charset=utf-8")
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
