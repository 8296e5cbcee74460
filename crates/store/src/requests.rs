//! Service requests, their notes and their history.

use std::{collections::HashMap, sync::Arc};

use jiff::{SignedDuration, Timestamp};
use partnerdesk_domain::{
    Category, ContactChannel, EscalationCriterion, Guid, NoteVisibility, RequestId, RequestKind,
    Severity, State, Tier, sla::SlaClock,
};

use crate::{
    AuditEntry, Contact, Created, Engine, IdempotencyKey, NewContact, Note, Page, RequestSla,
    ServiceRequest, Store, StoreError, audit, idempotency,
    request_query::{
        Bind, Conditions, Cursor, RequestFilter, RequestScope, RequestSort, order_by, placeholders,
    },
    rows::{
        Columns, flag, guid, int, micros, opt_guid, opt_text, opt_time, opt_word, text, time,
        timestamp, word,
    },
};
use sqlx::AssertSqlSafe;

/// A request's columns. The names it shows of its organizations, service and topic are not
/// read with it: `Store::name_requests` fills them in from its cache.
const SELECT_REQUEST: &str = "SELECT r.* FROM service_requests r";
const SELECT_REQUEST_AND: &str = "SELECT r.*,";
const FROM_REQUEST: &str = "FROM service_requests r";

const INSERT_REQUEST: &str = "INSERT INTO service_requests (kind, partner_id, customer_id, service_id, topic_id, category, title,
       description, severity, state, tier, holder_org_id, escalation_criterion, troubleshooting,
       escalation_incomplete, contact_first_name, contact_last_name, contact_email, contact_phone,
       contact_channel, contact_locale, contact_time_zone, country_code, agent_locale, created_by,
       last_updated_by, created_at, modified_at, escalated_at, version, sla_consumed_us,
       sla_running_since, sla_stopped_at, sla_due_key, sla_warn_key, sla_warned_at, sla_breached_at,
       first_contact_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
       $21, $22, $23, $24, $25, $26, $27, $27, $28, 1, $29, $30, $31, $32, $33, $34, $35, $36)
     RETURNING id";

/// SQLite's full-text index learns new requests here rather than by trigger: written last in the
/// transaction, in one statement. FTS5 flushes its pending terms to disk at every statement
/// savepoint after it was first written, so a trigger made a bulk load write (and merge) one
/// index segment per row.
async fn index_new_requests(
    engine: Engine,
    conn: &mut sqlx::AnyConnection,
    first: RequestId,
    last: RequestId,
) -> Result<(), StoreError> {
    if engine == Engine::Sqlite {
        sqlx::query(
            "INSERT INTO service_requests_fts (rowid, title, description)
             SELECT id, title, description FROM service_requests WHERE id BETWEEN $1 AND $2",
        )
        .bind(first.get())
        .bind(last.get())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A request as its page shows it: its notes, and whether files and a review are there to read.
#[derive(Debug, Clone)]
pub struct RequestRead {
    pub request: ServiceRequest,
    pub notes: Vec<Note>,
    pub has_files: bool,
    pub has_review: bool,
}

/// A request to create. Names of the joined organization, service and topic are looked up.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub kind: RequestKind,
    pub partner_id: Guid,
    pub customer_id: Option<Guid>,
    pub service_id: Option<String>,
    pub topic_id: Option<String>,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub state: State,
    pub tier: Tier,
    pub holder_org_id: Guid,
    pub escalation_criterion: Option<EscalationCriterion>,
    pub troubleshooting: Option<String>,
    pub escalation_incomplete: bool,
    pub contact: Contact,
    pub country_code: Option<String>,
    pub agent_locale: String,
    pub created_by: Guid,
    pub last_updated_by: String,
    pub at: Timestamp,
    /// The first-response clock, when it reaches the operator at once.
    pub sla: RequestSla,
}

#[derive(Debug, Clone)]
pub struct NewNote {
    pub author_id: Guid,
    pub author_name: String,
    pub visibility: NoteVisibility,
    pub body: String,
    pub at: Timestamp,
}

/// The mutable part of a request, as `save_request` writes it.
pub type RequestChange = ServiceRequest;

/// A request from its row, without the names it shows (`Store::name_requests` adds them).
fn request(row: &(impl Columns + ?Sized)) -> Result<ServiceRequest, StoreError> {
    let id = int(row, "id")?;
    Ok(ServiceRequest {
        id: RequestId::new(id).ok_or_else(|| StoreError::Corrupt(format!("request id {id}")))?,
        kind: word(row, "kind")?,
        partner_id: guid(row, "partner_id")?,
        partner_name: String::new(),
        customer_id: opt_guid(row, "customer_id")?,
        organization_name: String::new(),
        organization_phone: None,
        service_id: opt_text(row, "service_id")?,
        service_name: None,
        topic_id: opt_text(row, "topic_id")?,
        topic_name: None,
        category: word(row, "category")?,
        title: text(row, "title")?,
        description: text(row, "description")?,
        severity: severity(int(row, "severity")?)?,
        state: word(row, "state")?,
        tier: word(row, "tier")?,
        holder_org_id: guid(row, "holder_org_id")?,
        assigned_to: opt_guid(row, "assigned_to")?,
        escalation_criterion: opt_word(row, "escalation_criterion")?,
        troubleshooting: opt_text(row, "troubleshooting")?,
        escalation_incomplete: flag(row, "escalation_incomplete")?,
        contact: Contact {
            first_name: opt_text(row, "contact_first_name")?,
            last_name: opt_text(row, "contact_last_name")?,
            email: opt_text(row, "contact_email")?,
            phone: opt_text(row, "contact_phone")?,
            channel: opt_word::<ContactChannel>(row, "contact_channel")?,
            locale: opt_text(row, "contact_locale")?,
            time_zone: opt_text(row, "contact_time_zone")?,
        },
        country_code: opt_text(row, "country_code")?,
        agent_locale: text(row, "agent_locale")?,
        created_by: guid(row, "created_by")?,
        last_updated_by: text(row, "last_updated_by")?,
        created_at: time(row, "created_at")?,
        modified_at: time(row, "modified_at")?,
        escalated_at: opt_time(row, "escalated_at")?,
        resolved_at: opt_time(row, "resolved_at")?,
        closed_at: opt_time(row, "closed_at")?,
        incident_id: row.opt_int("incident_id")?,
        merged_into: row.opt_int("merged_into")?.and_then(RequestId::new),
        sla: sla(row)?,
        version: int(row, "version")?,
    })
}

/// Up to how many requests holding the words a PostgreSQL search reads through the trigram
/// index before it sorts them (see `list_text_hits`).
const TEXT_HITS: i64 = 2000;

/// What `sla_due_key` and `sla_warn_key` hold when there is no such instant.
const NO_INSTANT: i64 = i64::MAX;

fn key(at: Option<Timestamp>) -> i64 {
    at.map(micros).unwrap_or(NO_INSTANT)
}

fn instant(row: &(impl Columns + ?Sized), column: &str) -> Result<Option<Timestamp>, StoreError> {
    match int(row, column)? {
        NO_INSTANT => Ok(None),
        at => timestamp(at).map(Some),
    }
}

fn sla(row: &(impl Columns + ?Sized)) -> Result<RequestSla, StoreError> {
    let consumed = row.opt_int("sla_consumed_us")?;
    Ok(RequestSla {
        clock: match consumed {
            Some(consumed) => Some(SlaClock {
                consumed: SignedDuration::from_micros(consumed),
                running_since: opt_time(row, "sla_running_since")?,
                stopped_at: opt_time(row, "sla_stopped_at")?,
            }),
            None => None,
        },
        due_at: instant(row, "sla_due_key")?,
        warn_at: instant(row, "sla_warn_key")?,
        warned_at: opt_time(row, "sla_warned_at")?,
        breached_at: opt_time(row, "sla_breached_at")?,
        first_contact_at: opt_time(row, "first_contact_at")?,
    })
}

/// The SLA columns' values: consumed, running since, stopped at, due key, warn key, warned at,
/// breached at, first contact at.
fn sla_values(sla: &RequestSla) -> [Option<i64>; 8] {
    let clock = sla.clock.as_ref();
    [
        clock.map(|c| c.consumed.as_micros() as i64),
        clock.and_then(|c| c.running_since).map(micros),
        clock.and_then(|c| c.stopped_at).map(micros),
        Some(key(sla.due_at)),
        Some(key(sla.warn_at)),
        sla.warned_at.map(micros),
        sla.breached_at.map(micros),
        sla.first_contact_at.map(micros),
    ]
}

fn severity(rank: i64) -> Result<Severity, StoreError> {
    match rank {
        1 => Ok(Severity::Critical),
        2 => Ok(Severity::Moderate),
        3 => Ok(Severity::Minimal),
        other => Err(StoreError::Corrupt(format!("severity {other}"))),
    }
}

/// A note from columns named `note_id`, `note_request_id`, `note_author_id`, … .
fn note(row: &(impl Columns + ?Sized)) -> Result<Note, StoreError> {
    let request_id = int(row, "note_request_id")?;
    Ok(Note {
        id: int(row, "note_id")?,
        request_id: RequestId::new(request_id)
            .ok_or_else(|| StoreError::Corrupt("note request id".into()))?,
        author_id: guid(row, "note_author_id")?,
        author_name: text(row, "note_author_name")?,
        visibility: word(row, "note_visibility")?,
        body: text(row, "note_body")?,
        created_at: time(row, "note_created_at")?,
    })
}

const NOTE_COLUMNS: &str =
    "n.id AS note_id, n.request_id AS note_request_id, n.author_id AS note_author_id,
    n.author_name AS note_author_name, n.visibility AS note_visibility, n.body AS note_body,
    n.created_at AS note_created_at";

impl Store {
    /// Creates a request and records its first history event in one transaction. The event's
    /// `entity_id` is set to the new request's id. With an idempotency key that already made a
    /// live request, nothing is written and that request is returned.
    pub async fn create_request_with_history(
        &self,
        new: &NewRequest,
        created: &AuditEntry,
        key: Option<&IdempotencyKey<'_>>,
    ) -> Result<Created, StoreError> {
        self.create_request_with_files(new, created, key, &[]).await
    }

    /// Creates a request as `create_request_with_history` does, attaching in the same
    /// transaction the files its filer staged (each with a `file_attached` event).
    pub async fn create_request_with_files(
        &self,
        new: &NewRequest,
        created: &AuditEntry,
        key: Option<&IdempotencyKey<'_>>,
        staged_files: &[Guid],
    ) -> Result<Created, StoreError> {
        if self.engine == Engine::Postgres && key.is_none() && staged_files.is_empty() {
            let mut conn = self.write.acquire().await?;
            let request = insert_request_returning(self.engine, &mut conn, new, created).await?;
            drop(conn);
            return Ok(Created::New(Box::new(self.named(request).await?)));
        }
        let mut tx = self.write.begin().await?;
        let request = insert_request_returning(self.engine, &mut tx, new, created).await?;
        let id = request.id;
        if let Some(key) = key
            && !idempotency::claim(&mut tx, key, id, new.at).await?
        {
            tx.rollback().await?;
            return self
                .idempotent_request(key)
                .await?
                .map(Created::Existing)
                .ok_or(StoreError::Concurrent);
        }
        let attached = AuditEntry {
            action: "file_attached".into(),
            ..created.clone()
        };
        if !crate::files::attach_staged(&mut tx, staged_files, new.created_by, id, &attached)
            .await?
        {
            // A staged file expired between the check and now.
            tx.rollback().await?;
            return Err(StoreError::Concurrent);
        }
        index_new_requests(self.engine, &mut tx, id, id).await?;
        tx.commit().await?;
        Ok(Created::New(Box::new(self.named(request).await?)))
    }

    /// Creates many requests, each with its history event, in one transaction (bulk loads).
    pub async fn create_requests_with_history(
        &self,
        requests: &[(NewRequest, AuditEntry)],
    ) -> Result<Vec<RequestId>, StoreError> {
        let mut tx = self.write.begin().await?;
        let mut ids = Vec::with_capacity(requests.len());
        for (new, created) in requests {
            ids.push(insert_request(&mut tx, new, created).await?);
        }
        // One transaction, one writer: the new ids are one unbroken range.
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            index_new_requests(self.engine, &mut tx, *first, *last).await?;
        }
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn request(&self, id: RequestId) -> Result<ServiceRequest, StoreError> {
        let found = self
            .read_row(
                format!("{SELECT_REQUEST} WHERE r.id = $1"),
                &[Bind::Int(id.get())],
                |row| request(row),
            )
            .await?;
        self.named(found).await
    }

    /// Reads a request from the primary: for read-modify-write, where a replica could be behind.
    pub async fn request_for_update(&self, id: RequestId) -> Result<ServiceRequest, StoreError> {
        let row = sqlx::query(AssertSqlSafe(format!("{SELECT_REQUEST} WHERE r.id = $1")))
            .bind(id.get())
            .fetch_optional(&self.write)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.named(request(&row)?).await
    }

    /// `request` with the names it shows.
    async fn named(&self, mut request: ServiceRequest) -> Result<ServiceRequest, StoreError> {
        self.name_requests(std::slice::from_mut(&mut request))
            .await?;
        Ok(request)
    }

    /// The requests of a page, by id and version, in that order, with their names: each from
    /// the cache where it holds that version, the others read in one statement; those read or
    /// renamed are remembered.
    async fn requests_at(
        &self,
        page: &[(i64, i64)],
    ) -> Result<Vec<Arc<ServiceRequest>>, StoreError> {
        let mut items: Vec<Option<Arc<ServiceRequest>>> = page
            .iter()
            .map(|&(id, version)| self.request_cache.at_version(id, version))
            .collect();
        // What the cache handed out: a request not among these is to be remembered.
        let cached: Vec<Arc<ServiceRequest>> = items.iter().flatten().cloned().collect();
        let missing: Vec<Bind> = page
            .iter()
            .zip(&items)
            .filter(|(_, cached)| cached.is_none())
            .map(|(&(id, _), _)| Bind::Int(id))
            .collect();
        if !missing.is_empty() {
            let sql = format!(
                "{SELECT_REQUEST} WHERE r.id IN ({})",
                placeholders(1, missing.len())
            );
            let read = self.read_rows(sql, &missing, |row| request(row)).await?;
            let mut read: HashMap<i64, ServiceRequest> =
                read.into_iter().map(|r| (r.id.get(), r)).collect();
            for (&(id, _), item) in page.iter().zip(&mut items) {
                if item.is_none() {
                    *item = read.remove(&id).map(Arc::new);
                }
            }
        }
        let mut items: Vec<Arc<ServiceRequest>> = items.into_iter().flatten().collect();
        self.name_requests(&mut items).await?;
        let changed: Vec<Arc<ServiceRequest>> = items
            .iter()
            .filter(|item| !cached.iter().any(|c| Arc::ptr_eq(c, item)))
            .cloned()
            .collect();
        self.request_cache.remember(&changed);
        Ok(items)
    }

    /// Writes a changed request, its new notes and its history in one transaction, if nobody else
    /// changed it since `request.version` was read (`Concurrent` otherwise). Returns the new version.
    pub async fn save_request(
        &self,
        request: &RequestChange,
        notes: &[NewNote],
        history: &[AuditEntry],
    ) -> Result<i64, StoreError> {
        self.save_request_with(request, notes, None, history).await
    }

    /// `save_request`, also recording a contact with the partner.
    pub async fn save_request_with(
        &self,
        request: &RequestChange,
        notes: &[NewNote],
        contact: Option<&NewContact>,
        history: &[AuditEntry],
    ) -> Result<i64, StoreError> {
        let mut tx = self.write.begin().await?;
        write_request(&mut tx, request).await?;
        if let Some(contact) = contact {
            crate::contacts::insert_contact(&mut tx, request.id, contact).await?;
        }
        for note in notes {
            insert_note(&mut tx, request.id, note).await?;
        }
        for entry in history {
            audit::record(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok(request.version + 1)
    }

    /// Adds notes to requests, in one transaction, without history: for loading data in bulk.
    pub async fn add_notes(&self, notes: &[(RequestId, NewNote)]) -> Result<(), StoreError> {
        let mut tx = self.write.begin().await?;
        for (request_id, note) in notes {
            insert_note(&mut tx, *request_id, note).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The requests merged into this one, oldest first.
    pub async fn merged_into(&self, id: RequestId) -> Result<Vec<RequestId>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM service_requests WHERE merged_into = $1 ORDER BY id",
        )
        .bind(id.get())
        .fetch_all(&self.read)
        .await?;
        Ok(ids.into_iter().filter_map(RequestId::new).collect())
    }

    /// A request and its notes (internal ones only if asked), oldest note first, and whether it
    /// has files and a review — in one query, so that reading a request without either is one
    /// round trip.
    pub async fn request_with_notes(
        &self,
        id: RequestId,
        include_internal: bool,
    ) -> Result<RequestRead, StoreError> {
        let sql = format!(
            "{SELECT_REQUEST_AND} {NOTE_COLUMNS},
               CAST(CASE WHEN EXISTS (SELECT 1 FROM request_files f WHERE f.request_id = r.id)
                 THEN 1 ELSE 0 END AS BIGINT) AS has_files,
               CAST(CASE WHEN EXISTS (SELECT 1 FROM escalation_reviews v WHERE v.request_id = r.id)
                 THEN 1 ELSE 0 END AS BIGINT) AS has_review
             {FROM_REQUEST}
             LEFT JOIN request_notes n ON n.request_id = r.id AND ($2 = 1 OR n.visibility = 'public')
             WHERE r.id = $1 ORDER BY n.id"
        );
        let binds = [Bind::Int(id.get()), Bind::Int(i64::from(include_internal))];
        // Every row repeats the request: it is read from the first.
        let mut first = None;
        let notes = self
            .read_rows(sql, &binds, |row| {
                if first.is_none() {
                    first = Some((
                        request(row)?,
                        flag(row, "has_files")?,
                        flag(row, "has_review")?,
                    ));
                }
                row.opt_int("note_id")?.map(|_| note(row)).transpose()
            })
            .await?;
        let (request, has_files, has_review) = first.ok_or(StoreError::NotFound)?;
        Ok(RequestRead {
            request: self.named(request).await?,
            notes: notes.into_iter().flatten().collect(),
            has_files,
            has_review,
        })
    }

    /// One page of the requests in `scope` that match `filter`, in `sort` order, starting after
    /// `cursor` if given (else after `offset` rows), with the number that match in all.
    pub async fn list_requests(
        &self,
        scope: &RequestScope,
        filter: &RequestFilter,
        sort: RequestSort,
        cursor: Option<Cursor>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Arc<ServiceRequest>>, StoreError> {
        let count = |mut conditions: Conditions, table: &str, count: &str| {
            conditions.scope(scope);
            conditions.filter(filter, self.engine);
            let sql = format!(
                "SELECT CAST(COALESCE({count}, 0) AS BIGINT) AS n FROM {table} r {}",
                conditions.where_clause()
            );
            (sql, conditions.binds)
        };
        let by_hits = if self.engine == Engine::Postgres && !filter.text.is_empty() {
            self.list_text_hits(scope, filter, sort, cursor, offset, limit)
                .await?
        } else {
            None
        };
        let (items, tallied_total) = match by_hits {
            Some(items) => (items, None),
            None => {
                let mut conditions = Conditions::default();
                conditions.scope(scope);
                conditions.filter(filter, self.engine);
                let offset = conditions.start_at(sort, cursor, offset);
                let n = conditions.binds.len();
                // A count from the tallies is a few rows: it comes with the page, one
                // statement (its placeholders numbered after the page's).
                let tallied = filter.is_tallied().then(|| {
                    count(
                        Conditions::on_counts().numbered_after(n + 2),
                        "request_counts",
                        "SUM(r.n)",
                    )
                });
                let page_sql = format!(
                    "SELECT r.id, r.version, ({}) AS total_count {FROM_REQUEST} {} {} LIMIT ${} OFFSET ${}",
                    tallied.as_ref().map_or("NULL", |(sql, _)| sql.as_str()),
                    conditions.where_clause(),
                    order_by(sort),
                    n + 1,
                    n + 2
                );
                conditions.binds.push(Bind::Int(limit));
                conditions.binds.push(Bind::Int(offset));
                if let Some((_, binds)) = tallied {
                    conditions.binds.extend(binds);
                }
                let mut total = None;
                let page = self
                    .read_rows(page_sql, &conditions.binds, |row| {
                        if filter.is_tallied() {
                            total = row.opt_int("total_count")?;
                        }
                        Ok((int(row, "id")?, int(row, "version")?))
                    })
                    .await?;
                let items = self.requests_at(&page).await?;
                (items, total)
            }
        };
        let total = match tallied_total {
            Some(total) => total,
            // A first page that is not full holds every match: no need to count them.
            None if cursor.is_none() && offset == 0 && (items.len() as i64) < limit => {
                items.len() as i64
            }
            None => {
                let (sql, binds) = count(Conditions::default(), "service_requests", "COUNT(*)");
                let counted = self.read_rows(sql, &binds, |row| int(row, "n")).await?;
                counted.into_iter().next().unwrap_or(0)
            }
        };
        Ok(Page { total, items })
    }

    /// PostgreSQL: the page of a full-text search found through the trigram index first, or
    /// `None` when the words are in more than `TEXT_HITS` requests (then the requests, walked in
    /// page order, soon show enough matches). The planner cannot tell how many requests hold a
    /// word: guessing a rare one common, it walked every request of a partner in date order
    /// to find the one that held it (0.5–4 s), where the index finds it in milliseconds.
    async fn list_text_hits(
        &self,
        scope: &RequestScope,
        filter: &RequestFilter,
        sort: RequestSort,
        cursor: Option<Cursor>,
        offset: i64,
        limit: i64,
    ) -> Result<Option<Vec<Arc<ServiceRequest>>>, StoreError> {
        let mut conditions = Conditions::default();
        conditions.scope(scope);
        // The words are matched by the hits (all of them, or this path is not taken).
        conditions.filter(
            &RequestFilter {
                text: vec![],
                ..filter.clone()
            },
            self.engine,
        );
        let offset = conditions.start_at(sort, cursor, offset);
        conditions.sql.push("r.id IN (SELECT id FROM hits)".into());
        let n = conditions.binds.len();
        let mut text = Conditions::default().numbered_after(n + 2);
        text.text(&filter.text, self.engine, true);
        // The hits are counted even when none is in scope: one row always comes back.
        let sql = format!(
            "WITH hits AS MATERIALIZED (SELECT r.id FROM service_requests r {} LIMIT {})
             SELECT r.id, r.version, h.hit_count FROM (SELECT COUNT(*) AS hit_count FROM hits) h
             LEFT JOIN LATERAL (SELECT r.id, r.version, r.{} {FROM_REQUEST} {} {} LIMIT ${} OFFSET ${}) r
               ON true
             {}",
            text.where_clause(),
            TEXT_HITS + 1,
            // What the page is ordered by, for the order it comes back in.
            sort.keys().0,
            conditions.where_clause(),
            order_by(sort),
            n + 1,
            n + 2,
            order_by(sort),
        );
        conditions.binds.push(Bind::Int(limit));
        conditions.binds.push(Bind::Int(offset));
        conditions.binds.extend(text.binds);
        let mut hits = 0;
        let found = self
            .read_rows(sql, &conditions.binds, |row| {
                hits = int(row, "hit_count")?;
                row.opt_int("id")?
                    .map(|id| Ok((id, int(row, "version")?)))
                    .transpose()
            })
            .await?;
        if hits > TEXT_HITS {
            return Ok(None);
        }
        let page: Vec<_> = found.into_iter().flatten().collect();
        Ok(Some(self.requests_at(&page).await?))
    }

    /// How many requests in `scope` match `filter` (its states aside), per state: the
    /// counts beside a list's status choices.
    pub async fn count_requests_by_state(
        &self,
        scope: &RequestScope,
        filter: &RequestFilter,
    ) -> Result<Vec<(State, i64)>, StoreError> {
        let any_state = RequestFilter {
            states: vec![],
            ..filter.clone()
        };
        let (mut conditions, table, count) = if any_state.is_tallied() {
            (Conditions::on_counts(), "request_counts", "SUM(r.n)")
        } else {
            (Conditions::default(), "service_requests", "COUNT(*)")
        };
        conditions.scope(scope);
        conditions.filter(&any_state, self.engine);
        let sql = format!(
            "SELECT r.state, CAST({count} AS BIGINT) AS n FROM {table} r {} GROUP BY r.state",
            conditions.where_clause()
        );
        self.read_rows(sql, &conditions.binds, |row| {
            Ok((word(row, "state")?, int(row, "n")?))
        })
        .await
    }
}

async fn insert_note(
    conn: &mut sqlx::AnyConnection,
    request_id: RequestId,
    note: &NewNote,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO request_notes (request_id, author_id, author_name, visibility, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id.get())
    .bind(note.author_id.to_string())
    .bind(&note.author_name)
    .bind(note.visibility.to_string())
    .bind(&note.body)
    .bind(micros(note.at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Updates a request's row if its version is still `request.version` (`Concurrent` otherwise).
async fn write_request(
    conn: &mut sqlx::AnyConnection,
    request: &RequestChange,
) -> Result<(), StoreError> {
    let query = sqlx::query(
        "UPDATE service_requests SET service_id = $3, topic_id = $4, category = $5, title = $6,
           description = $7, severity = $8, state = $9, tier = $10, holder_org_id = $11, assigned_to = $12,
           escalation_criterion = $13, troubleshooting = $14, escalation_incomplete = $15,
           contact_first_name = $16, contact_last_name = $17, contact_email = $18, contact_phone = $19,
           contact_channel = $20, contact_locale = $21, contact_time_zone = $22, country_code = $23,
           last_updated_by = $24, modified_at = $25, escalated_at = $26, resolved_at = $27, closed_at = $28,
           incident_id = $29, sla_consumed_us = $30, sla_running_since = $31, sla_stopped_at = $32,
           sla_due_key = $33, sla_warn_key = $34, sla_warned_at = $35, sla_breached_at = $36,
           first_contact_at = $37, merged_into = $38, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(request.id.get())
    .bind(request.version)
    .bind(&request.service_id)
    .bind(&request.topic_id)
    .bind(request.category.to_string())
    .bind(&request.title)
    .bind(&request.description)
    .bind(request.severity.rank())
    .bind(request.state.to_string())
    .bind(request.tier.to_string())
    .bind(request.holder_org_id.to_string())
    .bind(request.assigned_to.map(|a| a.to_string()))
    .bind(request.escalation_criterion.map(|c| c.to_string()))
    .bind(&request.troubleshooting)
    .bind(i64::from(request.escalation_incomplete))
    .bind(&request.contact.first_name)
    .bind(&request.contact.last_name)
    .bind(&request.contact.email)
    .bind(&request.contact.phone)
    .bind(request.contact.channel.map(|c| c.to_string()))
    .bind(&request.contact.locale)
    .bind(&request.contact.time_zone)
    .bind(&request.country_code)
    .bind(&request.last_updated_by)
    .bind(micros(request.modified_at))
    .bind(request.escalated_at.map(micros))
    .bind(request.resolved_at.map(micros))
    .bind(request.closed_at.map(micros))
    .bind(request.incident_id);
    let done = sla_values(&request.sla)
        .into_iter()
        .fold(query, |query, value| query.bind(value))
        .bind(request.merged_into.map(|m| m.get()))
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Concurrent);
    }
    Ok(())
}

/// `INSERT_REQUEST` (or a statement built on it) with its 36 values bound.
fn bind_new_request<'q>(
    sql: impl sqlx::SqlSafeStr,
    new: &'q NewRequest,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let escalated_at = (new.tier == Tier::Operator).then_some(micros(new.at));
    let query = sqlx::query(sql)
        .bind(new.kind.to_string())
        .bind(new.partner_id.to_string())
        .bind(new.customer_id.map(|c| c.to_string()))
        .bind(&new.service_id)
        .bind(&new.topic_id)
        .bind(new.category.to_string())
        .bind(&new.title)
        .bind(&new.description)
        .bind(new.severity.rank())
        .bind(new.state.to_string())
        .bind(new.tier.to_string())
        .bind(new.holder_org_id.to_string())
        .bind(new.escalation_criterion.map(|c| c.to_string()))
        .bind(&new.troubleshooting)
        .bind(i64::from(new.escalation_incomplete))
        .bind(&new.contact.first_name)
        .bind(&new.contact.last_name)
        .bind(&new.contact.email)
        .bind(&new.contact.phone)
        .bind(new.contact.channel.map(|c| c.to_string()))
        .bind(&new.contact.locale)
        .bind(&new.contact.time_zone)
        .bind(&new.country_code)
        .bind(&new.agent_locale)
        .bind(new.created_by.to_string())
        .bind(&new.last_updated_by)
        .bind(micros(new.at))
        .bind(escalated_at);
    sla_values(&new.sla)
        .into_iter()
        .fold(query, |query, value| query.bind(value))
}

/// Inserts a request and its `created` event; returns the new id.
async fn insert_request(
    conn: &mut sqlx::AnyConnection,
    new: &NewRequest,
    created: &AuditEntry,
) -> Result<RequestId, StoreError> {
    let row = bind_new_request(INSERT_REQUEST, new)
        .fetch_one(&mut *conn)
        .await?;
    let id = int(&row, "id")?;
    audit::record_created(conn, created, id).await?;
    RequestId::new(id).ok_or_else(|| StoreError::Corrupt(format!("new request id {id}")))
}

/// Inserts a request and its `created` event and reads the request back as `request` does. On
/// PostgreSQL this is one statement — its own transaction when run outside one —, so a create
/// costs one round trip instead of five (begin, insert, event, commit, read).
async fn insert_request_returning(
    engine: Engine,
    conn: &mut sqlx::AnyConnection,
    new: &NewRequest,
    created: &AuditEntry,
) -> Result<ServiceRequest, StoreError> {
    if engine == Engine::Sqlite {
        let id = insert_request(conn, new, created).await?;
        let row = sqlx::query(AssertSqlSafe(format!("{SELECT_REQUEST} WHERE r.id = $1")))
            .bind(id.get())
            .fetch_one(&mut *conn)
            .await?;
        return request(&row);
    }
    let sql = format!(
        "WITH r AS ({} RETURNING *),
         event AS (INSERT INTO audit_events (at, actor_id, actor_name, org_id, entity, entity_id, action, detail)
           SELECT $37, $38, $39, $40, $41, CAST(r.id AS TEXT), $42, $43 FROM r)
         SELECT * FROM r",
        INSERT_REQUEST.trim_end_matches("RETURNING id").trim_end(),
    );
    let row = bind_new_request(AssertSqlSafe(sql), new)
        .bind(micros(created.at))
        .bind(created.actor_id.map(|id| id.to_string()))
        .bind(&created.actor_name)
        .bind(created.org_id.map(|id| id.to_string()))
        .bind(created.entity)
        .bind(&created.action)
        .bind(created.detail.to_string())
        .fetch_one(&mut *conn)
        .await?;
    request(&row)
}
