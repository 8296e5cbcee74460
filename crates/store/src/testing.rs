//! Fresh databases for tests: a SQLite file always, and a new PostgreSQL database when
//! `PARTNERDESK_TEST_DATABASE_URL` names a server. Used by this crate's conformance suite and by
//! the other crates' tests.

use sqlx::{AnyConnection, AssertSqlSafe, Connection};

use crate::{ConnectOptions, Engine, Store, StoreError};

/// The environment variable naming a PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "PARTNERDESK_TEST_DATABASE_URL";

/// The engines to test on: SQLite always, PostgreSQL when configured.
pub fn engines() -> Vec<Engine> {
    let mut engines = vec![Engine::Sqlite];
    if std::env::var(POSTGRES_ENV).is_ok_and(|url| !url.is_empty()) {
        engines.push(Engine::Postgres);
    }
    engines
}

/// A name no other test's database or directory has: this process's id (so that what it leaves
/// behind can be told apart once it has exited), then a random part.
fn unique_name() -> String {
    format!("{}_{:x}", std::process::id(), rand_u64())
}

/// Whether a test process that made `name` (see `unique_name`, after `prefix`) has exited:
/// names of another shape are from before the process id was in them, so abandoned too.
fn abandoned(name: &str, prefix: &str) -> bool {
    let owner = name
        .strip_prefix(prefix)
        .and_then(|rest| rest.split_once('_'))
        .and_then(|(pid, _)| pid.parse::<u32>().ok());
    owner.is_none_or(|pid| {
        pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
    })
}

/// Where tests keep their SQLite files and attached files.
fn test_dir() -> std::path::PathBuf {
    std::env::temp_dir().join("partnerdesk-tests")
}

/// Removes what test processes that have exited left behind — their SQLite files, file
/// directories and PostgreSQL databases —, once per process: every test run makes dozens,
/// and nothing else would ever remove them.
async fn sweep_abandoned(engine: Engine) {
    static SQLITE: std::sync::Once = std::sync::Once::new();
    static POSTGRES: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    match engine {
        Engine::Sqlite => SQLITE.call_once(|| {
            let Ok(entries) = std::fs::read_dir(test_dir()) else {
                return;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let prefix = if name.starts_with("files-") {
                    "files-"
                } else {
                    ""
                };
                if abandoned(&name, prefix) {
                    // Best effort: another sweeper may have taken it first.
                    let path = entry.path();
                    let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
                }
            }
        }),
        Engine::Postgres => {
            POSTGRES
                .get_or_init(|| async {
                    let Ok(server) = std::env::var(POSTGRES_ENV) else {
                        return;
                    };
                    let Ok(mut conn) = AnyConnection::connect(&server).await else {
                        return;
                    };
                    let names: Vec<String> = sqlx::query_scalar(
                        "SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE 'pd\\_test\\_%'",
                    )
                    .fetch_all(&mut conn)
                    .await
                    .unwrap_or_default();
                    for name in names.iter().filter(|n| abandoned(n, "pd_test_")) {
                        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = sqlx::raw_sql(AssertSqlSafe(drop)).execute(&mut conn).await;
                    }
                    let _ = conn.close().await;
                })
                .await;
        }
    }
}

/// The URL of a new, empty database on `engine`.
pub async fn fresh_database_url(engine: Engine) -> Result<String, StoreError> {
    sqlx::any::install_default_drivers();
    sweep_abandoned(engine).await;
    let unique = unique_name();
    match engine {
        Engine::Sqlite => {
            let dir = test_dir();
            std::fs::create_dir_all(&dir).map_err(|e| StoreError::Unavailable(e.to_string()))?;
            Ok(format!(
                "sqlite://{}",
                dir.join(format!("{unique}.db")).display()
            ))
        }
        Engine::Postgres => {
            let server =
                std::env::var(POSTGRES_ENV).map_err(|_| StoreError::BadUrl(POSTGRES_ENV.into()))?;
            let name = format!("pd_test_{unique}");
            let mut conn = AnyConnection::connect(&server).await?;
            sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await?;
            conn.close().await?;
            Ok(replace_database(&server, &name))
        }
    }
}

/// A new, empty directory for a test's attached files.
pub fn fresh_files_dir() -> String {
    test_dir()
        .join(format!("files-{}", unique_name()))
        .display()
        .to_string()
}

/// A blob store in a new, empty directory.
pub fn fresh_files() -> std::sync::Arc<crate::ObjectBlobs> {
    std::sync::Arc::new(crate::ObjectBlobs::open(&fresh_files_dir()).expect("test file store"))
}

/// A migrated store on a new database of `engine`.
pub async fn fresh_store(engine: Engine) -> Store {
    let url = fresh_database_url(engine).await.expect("test database");
    let mut options = ConnectOptions::new(url);
    options.connections = 4;
    // Tests do not need to survive power loss; fsync on every commit only slows them.
    options.sqlite_sync = crate::SqliteSync::Normal;
    let store = Store::connect(&options)
        .await
        .expect("connect test database");
    store.migrate().await.expect("migrate test database");
    store
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    format!("{base}/{name}{query}")
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.finish()
}

/// The scorecard rollups as the triggers kept them, and as counted afresh from every request
/// and review: (partner, day, severity, shard, escalations, met, breached, improper, disputes,
/// won) and (partner, day, waited minutes, how many), without empty rows, in key order.
pub async fn score_rollups(store: &Store) -> Result<[Vec<Vec<String>>; 4], StoreError> {
    let read = |sql: &'static str| async move {
        let rows = sqlx::query(sql).fetch_all(&store.write).await?;
        rows.iter()
            .map(|row| {
                (0..sqlx::Row::len(row))
                    .map(|i| {
                        sqlx::Row::try_get::<i64, _>(row, i)
                            .map(|v| v.to_string())
                            .or_else(|_| sqlx::Row::try_get::<String, _>(row, i))
                    })
                    .collect::<Result<Vec<String>, _>>()
                    .map_err(StoreError::from)
            })
            .collect::<Result<Vec<_>, StoreError>>()
    };
    Ok([
        read(
            "SELECT partner_id, day, severity, shard, escalations, sla_met, sla_breached, improper,
               disputes, disputes_won FROM score_days WHERE escalations <> 0 ORDER BY 1, 2, 3, 4",
        )
        .await?,
        read(
            "SELECT partner_id, day, severity, shard, CAST(COUNT(*) AS BIGINT),
               CAST(SUM(sla_met) AS BIGINT), CAST(SUM(sla_breached) AS BIGINT),
               CAST(SUM(improper) AS BIGINT), CAST(SUM(disputes) AS BIGINT),
               CAST(SUM(disputes_won) AS BIGINT)
             FROM request_scores GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        )
        .await?,
        read(
            "SELECT partner_id, day, waited, n FROM first_contact_days WHERE n <> 0
             ORDER BY 1, 2, 3",
        )
        .await?,
        read(
            "SELECT partner_id, day, waited, COUNT(*) FROM request_scores
             WHERE waited IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
        .await?,
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_exited_test_processes_left_is_abandoned() {
        let mine = format!("pd_test_{}", super::unique_name());
        assert!(!super::abandoned(&mine, "pd_test_"));
        // Process ids stop well below this on Linux (pid_max is at most 2^22).
        assert!(super::abandoned("pd_test_4294967295_ab12", "pd_test_"));
        assert!(super::abandoned("pd_test_c6a3598b44baa3b9ecd", "pd_test_"));
        assert!(!super::abandoned(
            &format!("files-{}", super::unique_name()),
            "files-"
        ));
        // A process that is running (pid 1 always is) keeps what it made.
        assert!(!super::abandoned("1_ff.db", ""));
    }

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::replace_database("postgres://u@h:5432/test", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            super::replace_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(
            super::replace_database("postgres://u@h", "x"),
            "postgres://u@h/x"
        );
    }
}
