//! The store's errors, already sorted by what the caller should do about them.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write (e.g. an e-mail already taken).
    #[error("already exists: {0}")]
    Duplicate(String),
    /// Another writer changed the row first (optimistic concurrency).
    #[error("changed concurrently")]
    Concurrent,
    /// The database cannot be reached or is overloaded: worth retrying later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("invalid database URL: {0}")]
    BadUrl(String),
    /// Data in the database that the domain does not accept (a bug or a manual edit).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The file store refused or cannot be reached (or is misconfigured, at start).
    #[error("file store: {0}")]
    Files(String),
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(err.to_string())
            }
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Duplicate(db.message().to_string())
            }
            sqlx::Error::Database(db)
                if is_busy(db.message())
                    || db.code().is_some_and(|code| connection_lost(&code)) =>
            {
                StoreError::Unavailable(db.message().to_string())
            }
            _ => StoreError::Other(err),
        }
    }
}

fn is_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database is busy")
}

/// PostgreSQL ended the session (SQLSTATE class 08, connection exception; 57P, an administrator
/// or a crash shut it down): the statement never ran, and a new connection may well succeed.
fn connection_lost(sqlstate: &str) -> bool {
    sqlstate.starts_with("08") || sqlstate.starts_with("57P")
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        StoreError::Other(sqlx::Error::Migrate(Box::new(err)))
    }
}
