//! The hottest reads — a request, a page of requests — through each engine's own driver. sqlx's
//! `Any` driver copies every row into a row of its own (each value, and each column's name and
//! type) before it is read: on a page of 25 requests that copying took a third of the server's
//! time. The statements are the same; only the pool that runs them differs.

use sqlx::{
    AssertSqlSafe, Database, Encode, Executor, IntoArguments, Pool, Type,
    postgres::PgPool,
    query::Query,
    sqlite::{SqliteConnectOptions, SqlitePool},
};

use crate::{Store, StoreError, connect::ConnectOptions, request_query::Bind, rows::Columns};

/// A second read pool, of the engine's own driver.
#[derive(Clone)]
pub(crate) enum NativeReads {
    Sqlite(SqlitePool),
    Postgres(PgPool),
    /// An in-memory SQLite database is one connection's own: its reads stay on `Any`.
    None,
}

impl NativeReads {
    pub(crate) async fn postgres(options: &ConnectOptions) -> Result<NativeReads, sqlx::Error> {
        let pool = options
            .pool(options.connections.max(2))
            .connect(&options.url)
            .await?;
        Ok(NativeReads::Postgres(pool))
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
        let pool = options
            .pool(options.connections.max(1))
            .connect_with(connect)
            .await?;
        Ok(NativeReads::Sqlite(pool))
    }

    pub(crate) async fn close(&self) {
        match self {
            NativeReads::Sqlite(pool) => pool.close().await,
            NativeReads::Postgres(pool) => pool.close().await,
            NativeReads::None => {}
        }
    }
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

/// Runs the read on `pool` and decodes each row: the same for every driver.
async fn fetch_decoded<DB: Database, T>(
    pool: &Pool<DB>,
    sql: AssertSqlSafe<String>,
    binds: &[Bind],
    mut decode: impl FnMut(&dyn Columns) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError>
where
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> &'t str: Encode<'t, DB> + Type<DB>,
    DB::Row: Columns,
{
    bind_all(sqlx::query(sql), binds)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| decode(row))
        .collect()
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
        let sql = AssertSqlSafe(sql);
        match &self.native {
            NativeReads::Postgres(pool) => fetch_decoded(pool, sql, binds, decode).await,
            NativeReads::Sqlite(pool) => fetch_decoded(pool, sql, binds, decode).await,
            NativeReads::None => fetch_decoded(&self.read, sql, binds, decode).await,
        }
    }
}
