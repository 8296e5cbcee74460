//! Requests as last decoded, by id, trusted only at the version they were read at. A page of
//! requests reads just the ids and versions of its rows; only the rows changed since (or never
//! seen) are read whole. Reading and decoding forty-odd columns a row was the larger part of a
//! page's work.
//!
//! A version names one content of a row: every write of a request bumps it (`write_request`,
//! the SLA marks, a review's bump) and requests are never deleted, so a match is valid whatever
//! node wrote the row. A request is kept with the names it showed when read; every read checks
//! them against `Store::name_requests`'s, so a rename shows as it did before, and a request is
//! handed out shared, copied only when a name changed.

use std::sync::Arc;

use quick_cache::{Weighter, sync::Cache};

use crate::ServiceRequest;

/// What one request is guessed to weigh, for sizing the table.
const TYPICAL_BYTES: u64 = 1024;

pub(crate) struct RequestCache {
    /// None when no memory is given to it.
    requests: Option<Cache<i64, Arc<ServiceRequest>, ByBytes>>,
}

/// A request's weight: its own size and what its text holds.
#[derive(Clone)]
struct ByBytes;

impl Weighter<i64, Arc<ServiceRequest>> for ByBytes {
    fn weight(&self, _id: &i64, request: &Arc<ServiceRequest>) -> u64 {
        let texts = [
            Some(&request.title),
            Some(&request.description),
            Some(&request.agent_locale),
            Some(&request.last_updated_by),
            request.service_id.as_ref(),
            request.topic_id.as_ref(),
            request.troubleshooting.as_ref(),
            request.country_code.as_ref(),
            request.contact.first_name.as_ref(),
            request.contact.last_name.as_ref(),
            request.contact.email.as_ref(),
            request.contact.phone.as_ref(),
            request.contact.locale.as_ref(),
            request.contact.time_zone.as_ref(),
            Some(&request.partner_name),
            Some(&request.organization_name),
            request.organization_phone.as_ref(),
            request.service_name.as_ref(),
            request.topic_name.as_ref(),
        ];
        let text: usize = texts.into_iter().flatten().map(String::capacity).sum();
        (std::mem::size_of::<ServiceRequest>() + text) as u64
    }
}

impl RequestCache {
    /// Remembers requests up to about `budget_bytes` of memory (none with 0).
    pub(crate) fn new(budget_bytes: u64) -> RequestCache {
        RequestCache {
            requests: (budget_bytes > 0).then(|| {
                Cache::with_weighter(
                    (budget_bytes / TYPICAL_BYTES).max(1) as usize,
                    budget_bytes,
                    ByBytes,
                )
            }),
        }
    }

    /// The request as it was at `version`, if that is what is remembered.
    pub(crate) fn at_version(&self, id: i64, version: i64) -> Option<Arc<ServiceRequest>> {
        self.requests
            .as_ref()?
            .get(&id)
            .filter(|request| request.version == version)
    }

    /// Remembers requests as read, with their names.
    pub(crate) fn remember(&self, requests: &[Arc<ServiceRequest>]) {
        let Some(cache) = &self.requests else { return };
        for request in requests {
            cache.insert(request.id.get(), Arc::clone(request));
        }
    }
}
