//! The names a request shows of its organizations, service and topic, remembered for a while.
//! Reading them with every request was half the database's work on a page of 25 (five lookups a
//! row). The price is bounded staleness: a rename made through another node shows here after at
//! most `LIFETIME`; one made through this store shows at once (`forget_all` on every write of
//! a name).

use std::{
    borrow::Borrow,
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use partnerdesk_domain::Guid;
use sqlx::AssertSqlSafe;

use crate::{
    ServiceRequest, Store, StoreError,
    request_query::placeholders,
    rows::{opt_text, text},
};

/// How long a name is trusted without asking the database again.
pub const LIFETIME: Duration = Duration::from_secs(60);

/// Beyond this many names the cache starts over.
const CAPACITY: usize = 50_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Named {
    Organization(Guid),
    Service(String),
    Topic(String),
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Organization,
    Service,
    Topic,
}

impl Kind {
    /// The table the names are in, and what its phone column is.
    fn source(self) -> (&'static str, &'static str) {
        match self {
            Kind::Organization => ("organizations", "phone"),
            Kind::Service => ("services", "NULL"),
            Kind::Topic => ("support_topics", "NULL"),
        }
    }

    fn id_of(self, key: &Named) -> Option<String> {
        match (self, key) {
            (Kind::Organization, Named::Organization(id)) => Some(id.to_string()),
            (Kind::Service, Named::Service(id)) | (Kind::Topic, Named::Topic(id)) => {
                Some(id.clone())
            }
            _ => None,
        }
    }

    fn key(self, id: String) -> Result<Named, StoreError> {
        Ok(match self {
            Kind::Organization => Named::Organization(
                id.parse()
                    .map_err(|_| StoreError::Corrupt(format!("bad GUID {id:?}")))?,
            ),
            Kind::Service => Named::Service(id),
            Kind::Topic => Named::Topic(id),
        })
    }
}

#[derive(Debug, Clone)]
struct Naming {
    name: String,
    /// Organizations only.
    phone: Option<String>,
}

#[derive(Default)]
pub(crate) struct NameCache {
    entries: Mutex<HashMap<Named, (Naming, Instant)>>,
}

impl NameCache {
    fn get(&self, key: &Named, now: Instant) -> Option<Naming> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(_, at)| now.duration_since(*at) < LIFETIME)
            .map(|(naming, _)| naming.clone())
    }

    fn put(&self, found: impl IntoIterator<Item = (Named, Naming)>, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for (key, naming) in found {
            if entries.len() >= CAPACITY {
                entries.retain(|_, (_, at)| now.duration_since(*at) < LIFETIME);
                if entries.len() >= CAPACITY {
                    entries.clear();
                }
            }
            entries.insert(key, (naming, now));
        }
    }

    /// After any write of an organization's, a service's or a topic's name.
    pub(crate) fn forget_all(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// What a request shows by name: its partner, the organization it is for (its customer, or the
/// partner for its own), its service and its topic.
fn wanted(request: &ServiceRequest) -> impl Iterator<Item = Named> {
    [
        Some(Named::Organization(request.partner_id)),
        request.customer_id.map(Named::Organization),
        request.service_id.clone().map(Named::Service),
        request.topic_id.clone().map(Named::Topic),
    ]
    .into_iter()
    .flatten()
}

/// A request whose names can be filled in: one just read, or a copy shared with the cache of
/// requests (copied only when one of its names changed).
pub(crate) trait Nameable: Borrow<ServiceRequest> {
    fn to_mut(&mut self) -> &mut ServiceRequest;
}

impl Nameable for ServiceRequest {
    fn to_mut(&mut self) -> &mut ServiceRequest {
        self
    }
}

impl Nameable for Arc<ServiceRequest> {
    fn to_mut(&mut self) -> &mut ServiceRequest {
        Arc::make_mut(self)
    }
}

impl Store {
    /// Fills in the names `requests` show, from the cache or, for those it lacks, the database:
    /// one query per kind of object missing. A request that already shows them is left as it is.
    pub(crate) async fn name_requests(
        &self,
        requests: &mut [impl Nameable],
    ) -> Result<(), StoreError> {
        let now = Instant::now();
        let mut known: HashMap<Named, Naming> = HashMap::new();
        let mut missing: HashSet<Named> = HashSet::new();
        for key in requests.iter().flat_map(|r| wanted(r.borrow())) {
            if known.contains_key(&key) || missing.contains(&key) {
                continue;
            }
            match self.names.get(&key, now) {
                Some(naming) => {
                    known.insert(key, naming);
                }
                None => {
                    missing.insert(key);
                }
            }
        }
        if !missing.is_empty() {
            let found = self.read_names(&missing).await?;
            self.names.put(found.clone(), now);
            known.extend(found);
        }
        let name = |key: Named| known.get(&key).map(|n| n.name.as_str());
        for request in requests.iter_mut() {
            let shown: &ServiceRequest = (*request).borrow();
            let organization = shown.customer_id.unwrap_or(shown.partner_id);
            let partner_name = name(Named::Organization(shown.partner_id))
                .ok_or_else(|| StoreError::Corrupt(format!("no partner {}", shown.partner_id)))?;
            let organization_name = name(Named::Organization(organization))
                .ok_or_else(|| StoreError::Corrupt(format!("no organization of {}", shown.id)))?;
            let organization_phone = known
                .get(&Named::Organization(organization))
                .and_then(|n| n.phone.as_deref());
            let service_name = shown
                .service_id
                .clone()
                .and_then(|id| name(Named::Service(id)));
            let topic_name = shown.topic_id.clone().and_then(|id| name(Named::Topic(id)));
            let current = (
                partner_name,
                organization_name,
                organization_phone,
                service_name,
                topic_name,
            );
            if current
                != (
                    shown.partner_name.as_str(),
                    shown.organization_name.as_str(),
                    shown.organization_phone.as_deref(),
                    shown.service_name.as_deref(),
                    shown.topic_name.as_deref(),
                )
            {
                let request = request.to_mut();
                request.partner_name = partner_name.to_string();
                request.organization_name = organization_name.to_string();
                request.organization_phone = organization_phone.map(str::to_string);
                request.service_name = service_name.map(str::to_string);
                request.topic_name = topic_name.map(str::to_string);
            }
        }
        Ok(())
    }

    async fn read_names(&self, keys: &HashSet<Named>) -> Result<Vec<(Named, Naming)>, StoreError> {
        let mut found = Vec::with_capacity(keys.len());
        for kind in [Kind::Organization, Kind::Service, Kind::Topic] {
            let ids: Vec<String> = keys.iter().filter_map(|key| kind.id_of(key)).collect();
            if ids.is_empty() {
                continue;
            }
            let placeholders = placeholders(1, ids.len());
            let (table, phone) = kind.source();
            let sql = format!(
                "SELECT id, name, CAST({phone} AS TEXT) AS phone FROM {table} WHERE id IN ({placeholders})"
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in &ids {
                query = query.bind(id.as_str());
            }
            for row in query.fetch_all(&self.read).await? {
                let naming = Naming {
                    name: text(&row, "name")?,
                    phone: opt_text(&row, "phone")?,
                };
                found.push((kind.key(text(&row, "id")?)?, naming));
            }
        }
        Ok(found)
    }
}
