//! Random secrets and their stored hashes.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random secret: `prefix` and 32 random bytes in hex.
pub(crate) fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// What the database keeps of a high-entropy secret (token, session id): its SHA-256. A slow
/// hash is for low-entropy passwords; these cannot be guessed, so a fast one is enough.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
