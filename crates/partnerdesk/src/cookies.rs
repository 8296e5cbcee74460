//! The cookies partnerdesk sets: the session's (shared by the API and the console) and the
//! console's small ones (language, form token, one-time message). All HttpOnly and SameSite.

use axum::http::{HeaderMap, HeaderValue, header};

/// The session: its value is the secret whose hash names the session row.
pub const SESSION: &str = "pd_session";

/// The value of cookie `name` in a request's headers.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
}

/// A `Set-Cookie` value; `max_age` 0 deletes the cookie. Values are ours (random tokens,
/// language tags, message keys), never a user's text.
pub fn set(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether a token sent back equals the one expected, in time that does not depend on where
/// they differ.
pub fn same_token(sent: &str, expected: &str) -> bool {
    let (a, b) = (sent.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
