//! Opening the database named by a URL, with each engine's settings, and migrating it.

use std::{sync::Arc, time::Duration};

use sqlx::{
    AssertSqlSafe, Connection, Database, Executor, any::install_default_drivers, pool::PoolOptions,
};

use crate::{Engine, Store, StoreError, native::NativeReads, request_cache::RequestCache};

/// SQLite's `synchronous` pragma under WAL: `Full` fsyncs every commit (no acknowledged write is
/// lost even on power loss); `Normal` may lose the last commits on power loss, never on a crash
/// of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteSync {
    Normal,
    #[default]
    Full,
}

#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub url: String,
    /// Read connections on SQLite, half of them for the hottest reads (`native.rs`); each of
    /// the two pools on PostgreSQL.
    pub connections: u32,
    pub sqlite_sync: SqliteSync,
    /// How long to wait for a connection before reporting the database unavailable.
    pub acquire_timeout: Duration,
    /// About how much memory the requests remembered between reads may take (`request_cache.rs`).
    pub request_cache_bytes: u64,
}

impl ConnectOptions {
    pub fn new(url: impl Into<String>) -> Self {
        ConnectOptions {
            url: url.into(),
            connections: 8,
            sqlite_sync: SqliteSync::Full,
            acquire_timeout: Duration::from_secs(5),
            request_cache_bytes: 40 << 20,
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which engine a URL names, refusing anything else.
pub fn engine_of(url: &str) -> Result<Engine, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Engine::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Engine::Postgres)
    } else {
        Err(StoreError::BadUrl(format!(
            "`{}` is neither sqlite:PATH nor postgres://…",
            redact(url)
        )))
    }
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// SQLite counts allocations under one process-wide mutex unless told not to before it starts;
/// with several reader threads copying rows, that mutex was the server's hottest lock.
fn disable_sqlite_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is meant to be called before the library is initialized and
        // refuses (SQLITE_MISUSE, ignored: statistics stay on) once it is; the Once keeps calls
        // from racing.
        let status =
            unsafe { libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0) };
        if status != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(
                status,
                "SQLite was initialized already; memory statistics stay on"
            );
        }
    });
}

/// A connection that sat idle this long is pinged before it is handed out.
pub(crate) const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

impl ConnectOptions {
    /// SQLite's read connections are split between its two read pools: every connection keeps
    /// its own page cache and prepared statements, and on a few cores more readers only wait
    /// their turn for a CPU (measured: 4 + 4 read as fast as 8 + 8, in 17 MB less).
    pub(crate) fn sqlite_readers_per_pool(&self) -> u32 {
        (self.connections / 2).max(1)
    }

    /// Options of every pool: at most `max` connections, and a ping before use only for a
    /// connection that sat idle. sqlx pings by default at every acquire, and again at every
    /// release: on PostgreSQL two extra round trips per statement, on SQLite two extra hand-offs
    /// to the connection's thread. The ping at release stays (sqlx always makes it), so a
    /// connection handed out within a second of its last use was answering then.
    pub(crate) fn pool<DB: Database>(&self, max: u32) -> PoolOptions<DB> {
        PoolOptions::new()
            .max_connections(max)
            .acquire_timeout(self.acquire_timeout)
            .test_before_acquire(false)
            .before_acquire(|conn: &mut DB::Connection, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_BEFORE_PING {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
    }
}

impl Store {
    pub async fn connect(options: &ConnectOptions) -> Result<Store, StoreError> {
        install_default_drivers();
        let engine = engine_of(&options.url)?;
        let unreachable = |err: sqlx::Error| match StoreError::from(err) {
            StoreError::Other(err) => {
                StoreError::Unavailable(format!("cannot open {}: {err}", redact(&options.url)))
            }
            StoreError::Unavailable(msg) => {
                StoreError::Unavailable(format!("cannot reach {}: {msg}", redact(&options.url)))
            }
            other => other,
        };
        match engine {
            Engine::Postgres => {
                let pool = options
                    .pool::<sqlx::Any>(options.connections.max(2))
                    .connect(&options.url)
                    .await
                    .map_err(unreachable)?;
                let native = NativeReads::postgres(options).await.map_err(unreachable)?;
                Ok(Store {
                    write: pool.clone(),
                    read: pool,
                    engine,
                    native,
                    names: Default::default(),
                    request_cache: Arc::new(RequestCache::new(options.request_cache_bytes)),
                })
            }
            Engine::Sqlite => {
                disable_sqlite_memory_statistics();
                let url = sqlite_url(&options.url, "rwc");
                let sync = match options.sqlite_sync {
                    SqliteSync::Normal => "NORMAL",
                    SqliteSync::Full => "FULL",
                };
                let writer_setup = format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; \
                     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;"
                );
                let write = options
                    .pool::<sqlx::Any>(1)
                    .after_connect(move |conn, _| {
                        let setup = writer_setup.clone();
                        Box::pin(async move {
                            sqlx::raw_sql(AssertSqlSafe(setup)).execute(conn).await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await
                    .map_err(unreachable)?;
                if options.url.contains(":memory:") {
                    // Every connection to :memory: is a database of its own: use just the one.
                    return Ok(Store {
                        read: write.clone(),
                        write,
                        engine,
                        native: NativeReads::None,
                        names: Default::default(),
                        request_cache: Arc::new(RequestCache::new(options.request_cache_bytes)),
                    });
                }
                let read = options
                    .pool::<sqlx::Any>(options.sqlite_readers_per_pool())
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA busy_timeout = 10000; PRAGMA query_only = ON;")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(&sqlite_url(&options.url, "ro"))
                    .await
                    .map_err(unreachable)?;
                let native = NativeReads::sqlite(options, &sqlite_url(&options.url, "ro"))
                    .await
                    .map_err(unreachable)?;
                Ok(Store {
                    write,
                    read,
                    engine,
                    native,
                    names: Default::default(),
                    request_cache: Arc::new(RequestCache::new(options.request_cache_bytes)),
                })
            }
        }
    }

    /// Applies the engine's migrations (idempotent).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.write).await?;
        if self.engine == Engine::Sqlite {
            // Refreshes the planner's statistics where they are missing or stale (bounded work);
            // without them SQLite picks broad indexes for narrow listings.
            sqlx::raw_sql("PRAGMA optimize = 0x10002")
                .execute(&self.write)
                .await?;
        }
        Ok(())
    }

    /// Merges SQLite's full-text index a step at a time, for at most `max_steps` steps, and
    /// returns how many did work. Every created request adds an index segment and a search
    /// looks in each: after 6,000 creates searches ran at a third of their speed. Each step
    /// is its own short write, so requests are not held up for long.
    pub async fn tidy_search_index(&self, max_steps: u32) -> Result<u32, StoreError> {
        if self.engine != Engine::Sqlite {
            return Ok(0); // PostgreSQL's trigram index is kept by autovacuum.
        }
        let mut steps = 0;
        while steps < max_steps {
            let mut conn = self.write.acquire().await?;
            let total = "SELECT total_changes()";
            let before: i64 = sqlx::query_scalar(total).fetch_one(&mut *conn).await?;
            sqlx::query(
                "INSERT INTO service_requests_fts (service_requests_fts, rank) VALUES ('merge', -500)",
            )
            .execute(&mut *conn)
            .await?;
            let after: i64 = sqlx::query_scalar(total).fetch_one(&mut *conn).await?;
            // FTS5 counts the pages it wrote: fewer than two means there was nothing to merge.
            if after - before < 2 {
                break;
            }
            steps += 1;
        }
        Ok(steps)
    }

    /// After a bulk load: recomputes the planner's statistics (and the visibility map on
    /// PostgreSQL) and, on SQLite, merges the
    /// full-text index's segments (one per loaded batch) as a long-lived index would be, and
    /// checkpoints its write-ahead log.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        if self.engine == Engine::Sqlite {
            sqlx::raw_sql(
                "INSERT INTO service_requests_fts (service_requests_fts) VALUES ('optimize')",
            )
            .execute(&self.write)
            .await?;
        }
        // PostgreSQL: VACUUM also marks the freshly written pages all-visible, so counts are
        // answered from the indexes alone instead of visiting every row.
        let statement = match self.engine {
            Engine::Sqlite => "ANALYZE",
            Engine::Postgres => "VACUUM (ANALYZE)",
        };
        sqlx::raw_sql(statement).execute(&self.write).await?;
        if self.engine == Engine::Sqlite {
            // The load sits in the write-ahead log until a checkpoint moves it into the database
            // file; until then every read looks it up there (a 95 MB log after 100,000 requests
            // made listing a customer's requests a sixth slower).
            sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.write)
                .await?;
        }
        Ok(())
    }
}

/// The SQLite URL with `mode` set, unless the URL already sets one.
fn sqlite_url(url: &str, mode: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        return url.to_string();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}mode={mode}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_by_scheme() {
        assert_eq!(
            engine_of("sqlite://partnerdesk.db").unwrap(),
            Engine::Sqlite
        );
        assert_eq!(engine_of("postgres://u@h/db").unwrap(), Engine::Postgres);
        assert_eq!(engine_of("postgresql://u@h/db").unwrap(), Engine::Postgres);
        assert!(
            matches!(engine_of("mysql://u:secret@h/db"), Err(StoreError::BadUrl(m)) if m.contains("***"))
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://pd:s3cret@db:5432/pd"),
            "postgres://pd:***@db:5432/pd"
        );
        assert_eq!(redact("postgres://pd@db/pd"), "postgres://pd@db/pd");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
