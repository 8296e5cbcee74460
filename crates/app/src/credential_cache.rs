//! Who an API token belongs to, remembered for a few seconds so that a busy client does not
//! cost a database read per call. The price is bounded staleness: a token revoked, or a user
//! disabled, on another node keeps working there for at most `LIFETIME`; on the node that made
//! the change it stops at once (`forget_all`). Keys are token hashes, never secrets.

use std::{collections::HashMap, sync::Mutex};

use jiff::{SignedDuration, Timestamp};

use crate::Actor;

/// How long a looked-up token is trusted without asking the database again.
pub const LIFETIME: SignedDuration = SignedDuration::from_secs(5);

/// Beyond this many tokens the cache starts over (only valid tokens are ever cached).
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub(crate) struct CredentialCache {
    entries: Mutex<HashMap<String, (Actor, Timestamp)>>,
}

impl CredentialCache {
    pub(crate) fn get(&self, token_hash: &str, now: Timestamp) -> Option<Actor> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(token_hash)
            .filter(|(_, at)| now.duration_since(*at) < LIFETIME && *at <= now)
            .map(|(actor, _)| actor.clone())
    }

    pub(crate) fn put(&self, token_hash: String, actor: Actor, now: Timestamp) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.retain(|_, (_, at)| now.duration_since(*at) < LIFETIME);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(token_hash, (actor, now));
    }

    /// After any change to who a credential stands for (revocation, a user disabled or given
    /// another role).
    pub(crate) fn forget_all(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
