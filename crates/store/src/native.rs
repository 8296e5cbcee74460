//! The hottest reads — a request, a page of requests — through each engine's own driver. sqlx's
//! `Any` driver copies every row into a row of its own (each value, and each column's name and
//! type) before it is read: on a page of 25 requests that copying took a third of the server's
//! time. The statements are the same; only the pool that runs them differs.

use deadpool::{
    Runtime,
    managed::{self, Metrics, Object, PoolError, RecycleResult},
};
use sqlx::{
    AssertSqlSafe, ConnectOptions as _, Connection, Database, Encode, Executor, IntoArguments,
    SqlSafeStr, Type,
    postgres::{PgConnectOptions, Postgres},
    query::Query,
    sqlite::{Sqlite, SqliteConnectOptions},
};

use crate::{
    Store, StoreError,
    connect::{ConnectOptions, IDLE_BEFORE_PING},
    request_query::Bind,
    rows::Columns,
};

/// A second read pool, of the engine's own driver. Not sqlx's pool: that one pings every
/// connection it takes back (a round trip to PostgreSQL, a hand-off to SQLite's connection
/// thread, for every statement); this one pings only a connection that sat idle.
#[derive(Clone)]
pub(crate) enum NativeReads {
    Sqlite(managed::Pool<Connector<Sqlite>>),
    Postgres(managed::Pool<Connector<Postgres>>),
    /// An in-memory SQLite database is one connection's own: its reads stay on `Any`.
    None,
}

/// Opens the native pool's connections, and checks one that sat idle before handing it out.
pub(crate) struct Connector<DB: Database> {
    connect: <DB::Connection as Connection>::Options,
}

impl<DB: Database> managed::Manager for Connector<DB> {
    type Type = DB::Connection;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<DB::Connection, sqlx::Error> {
        self.connect.connect().await
    }

    async fn recycle(
        &self,
        conn: &mut DB::Connection,
        metrics: &Metrics,
    ) -> RecycleResult<sqlx::Error> {
        if metrics.last_used() >= IDLE_BEFORE_PING {
            conn.ping().await?;
        }
        Ok(())
    }
}

fn pool<DB: Database>(
    options: &ConnectOptions,
    connect: <DB::Connection as Connection>::Options,
    size: u32,
) -> managed::Pool<Connector<DB>> {
    managed::Pool::builder(Connector { connect })
        .max_size(size as usize)
        .wait_timeout(Some(options.acquire_timeout))
        .runtime(Runtime::Tokio1)
        .build()
        .expect("a pool with a runtime for its timeout builds")
}

impl NativeReads {
    pub(crate) async fn postgres(options: &ConnectOptions) -> Result<NativeReads, sqlx::Error> {
        let connect = options.url.parse::<PgConnectOptions>()?;
        Ok(NativeReads::Postgres(pool(
            options,
            connect,
            options.connections.max(2),
        )))
    }

    /// Read-only connections beside the writer, as the `Any` read pool's.
    pub(crate) async fn sqlite(
        options: &ConnectOptions,
        url: &str,
    ) -> Result<NativeReads, sqlx::Error> {
        let connect = url
            .parse::<SqliteConnectOptions>()?
            .read_only(true)
            .busy_timeout(std::time::Duration::from_secs(10))
            .pragma("query_only", "ON");
        Ok(NativeReads::Sqlite(pool(
            options,
            connect,
            options.sqlite_readers_per_pool(),
        )))
    }

    pub(crate) async fn close(&self) {
        match self {
            NativeReads::Sqlite(pool) => close(pool).await,
            NativeReads::Postgres(pool) => close(pool).await,
            NativeReads::None => {}
        }
    }
}

/// Closes the idle connections politely (PostgreSQL's `Terminate`; SQLite's thread joined).
async fn close<DB: Database>(pool: &managed::Pool<Connector<DB>>) {
    let idle = pool.retain(|_, _| false).removed;
    pool.close();
    for conn in idle {
        let _ = conn.close().await;
    }
}

/// A connection of the native pool, or why there is none.
async fn connection<DB: Database>(
    pool: &managed::Pool<Connector<DB>>,
) -> Result<Object<Connector<DB>>, sqlx::Error> {
    pool.get().await.map_err(|err| match err {
        PoolError::Backend(err) => err,
        PoolError::Timeout(_) => sqlx::Error::PoolTimedOut,
        _ => sqlx::Error::PoolClosed,
    })
}

/// Binds `binds`, in order, to a statement of any driver.
fn bind_all<'q, DB: Database>(
    mut query: Query<'q, DB, DB::Arguments>,
    binds: &[Bind],
) -> Query<'q, DB, DB::Arguments>
where
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> &'t str: Encode<'t, DB> + Type<DB>,
{
    for bind in binds {
        query = match bind {
            Bind::Int(v) => query.bind(*v),
            Bind::Text(v) => query.bind(v.as_str()),
        };
    }
    query
}

/// Runs the read on `executor` and decodes each row: the same for every driver.
async fn fetch_decoded<'e, DB: Database, T>(
    executor: impl Executor<'e, Database = DB>,
    sql: impl SqlSafeStr,
    binds: &[Bind],
    mut decode: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError>
where
    DB::Arguments: IntoArguments<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> &'t str: Encode<'t, DB> + Type<DB>,
    DB::Row: Columns,
{
    bind_all(sqlx::query(sql), binds)
        .fetch_all(executor)
        .await?
        .iter()
        .map(|row| decode(row))
        .collect()
}

/// `fetch_decoded` on a connection of the native pool. A connection that failed below SQL (its
/// socket, its protocol, its thread: the server restarted, or ended it) is not given back, and
/// the read — it changes nothing — is tried once more on another.
async fn fetch_native<DB: Database, T>(
    pool: &managed::Pool<Connector<DB>>,
    sql: &str,
    binds: &[Bind],
    mut decode: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> &'t str: Encode<'t, DB> + Type<DB>,
    DB::Row: Columns,
{
    let mut retried = false;
    loop {
        let mut conn = connection(pool).await?;
        let read = fetch_decoded(&mut *conn, AssertSqlSafe(sql), binds, &mut decode).await;
        match read {
            Err(err) if broken(&err) => {
                drop(Object::take(conn));
                if retried {
                    return Err(err);
                }
                retried = true;
            }
            read => return read,
        }
    }
}

/// The connection itself failed (its socket, its protocol, its thread, the server ended its
/// session), or the database was busy: either way a fresh connection is the better bet.
fn broken(err: &StoreError) -> bool {
    matches!(
        err,
        StoreError::Unavailable(_)
            | StoreError::Other(
                sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed
            )
    )
}

impl Store {
    /// Runs a read (`$N` placeholders, bound in order) on the read pool of the engine's own
    /// driver and decodes each row.
    pub(crate) async fn read_rows<T>(
        &self,
        sql: String,
        binds: &[Bind],
        decode: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        match &self.native {
            NativeReads::Postgres(pool) => fetch_native(pool, &sql, binds, decode).await,
            NativeReads::Sqlite(pool) => fetch_native(pool, &sql, binds, decode).await,
            NativeReads::None => fetch_decoded(&self.read, AssertSqlSafe(sql), binds, decode).await,
        }
    }

    /// `read_rows` for a read of one row: its first, or `NotFound`.
    pub(crate) async fn read_row<T>(
        &self,
        sql: String,
        binds: &[Bind],
        decode: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let rows = self.read_rows(sql, binds, decode).await?;
        rows.into_iter().next().ok_or(StoreError::NotFound)
    }
}
