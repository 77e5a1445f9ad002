//! The database: SQLite (embedded default) or PostgreSQL (production), through one pool and the
//! same SQL. Queries use `$1` placeholders, which both backends understand; where SQL must
//! differ, code asks [`Db::backend`] and says why.

use std::path::Path;
use std::str::FromStr;
use std::sync::Once;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, ConnectOptions, Executor, Transaction};

/// The migrations of `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// SQLite's recommended statistics upkeep (<https://sqlite.org/pragma.html#pragma_optimize>,
/// SQLite ≥ 3.46, bundled by sqlx): on opening a long-lived connection, and periodically,
/// `PRAGMA optimize=0x10002` runs `ANALYZE` (with an automatic analysis limit, so it stays
/// quick on large databases) on every table whose statistics are missing or whose size changed
/// tenfold since its last analysis, and does nothing otherwise. Without statistics the planner
/// guessed that walking the whole journal in order beat a selective index (issue 11).
pub const SQLITE_OPTIMIZE: &str = "PRAGMA optimize=0x10002";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// Why the database could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The SQLite file does not exist and this command may not create it.
    #[error("the SQLite database {0} does not exist (run `pli migrate` to create it)")]
    Missing(String),
    /// The directory for a new SQLite file could not be created.
    #[error("cannot create the directory for {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    /// The server refused the connection or the URL is malformed.
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed; the database was left at the last good version.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// Opens a pool on `url`. A missing SQLite file is created only if `create` is true.
    pub async fn connect(url: &str, max_connections: u32, create: bool) -> Result<Db, DbError> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let mut url = url.to_owned();
        if backend == Backend::Sqlite {
            let path = sqlite_path(&url);
            if path != ":memory:" && !Path::new(path).exists() {
                if !create {
                    return Err(DbError::Missing(path.to_owned()));
                }
                if let Some(dir) = Path::new(path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(dir).map_err(|source| DbError::Directory {
                        path: path.to_owned(),
                        source,
                    })?;
                }
                url.push_str(if url.contains('?') {
                    "&mode=rwc"
                } else {
                    "?mode=rwc"
                });
            }
        }
        let options = AnyConnectOptions::from_str(&url)
            .map_err(DbError::Connect)?
            .log_statements(tracing::log::LevelFilter::Trace);
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite {
                max_connections.min(4)
            } else {
                max_connections
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers work during a write; FULL sync keeps every committed
                        // transaction across a power loss; busy_timeout queues writers.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                        // The planner's statistics (issue 11), as SQLite recommends for
                        // long-lived connections: see [`SQLITE_OPTIMIZE`].
                        conn.execute(SQLITE_OPTIMIZE).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Db { pool, backend })
    }

    /// Applies the pending migrations (safe with several instances: they take a lock), then
    /// refreshes the planner's statistics if any was applied (new tables and indexes have
    /// none).
    pub async fn migrate(&self) -> Result<(), DbError> {
        let before = self.applied_migrations().await;
        MIGRATOR.run(&self.pool).await?;
        if self.applied_migrations().await != before {
            self.analyze().await.map_err(DbError::Connect)?;
        }
        Ok(())
    }

    /// How many migrations the database holds (none before the first run).
    async fn applied_migrations(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&self.pool)
            .await
            .unwrap_or(0)
    }

    /// Refreshes the query planner's statistics where they are missing or out of date, so that
    /// queries use their selective indexes as tables grow (issue 11). SQLite computes none by
    /// itself: [`SQLITE_OPTIMIZE`] analyses only the tables that need it, within a time limit,
    /// and is cheap when none does; it runs on each new connection, after migrations, every
    /// hour ([`crate::start`]) and at shutdown. PostgreSQL's autovacuum keeps statistics
    /// current; here a plain `ANALYZE` (after migrations only).
    pub async fn analyze(&self) -> Result<(), sqlx::Error> {
        let sql = match self.backend {
            Backend::Sqlite => SQLITE_OPTIMIZE,
            Backend::Postgres => "ANALYZE",
        };
        sqlx::raw_sql(sql).execute(&self.pool).await.map(|_| ())
    }

    /// SQLite's periodic statistics refresh (a no-op on PostgreSQL, whose autovacuum does it).
    pub async fn optimize(&self) -> Result<(), sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.analyze().await,
            Backend::Postgres => Ok(()),
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Begins a transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a
    /// deferred transaction that reads, then writes, fails at once with `SQLITE_BUSY` when
    /// another connection committed in between (a WAL read snapshot cannot become a write),
    /// and `busy_timeout` does not help it; an immediate one waits its turn. PostgreSQL's
    /// plain `BEGIN` has no such failure.
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A round trip to the database, for `/readyz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Closes the pool; on SQLite after a last statistics refresh, as SQLite recommends.
    pub async fn close(&self) {
        if let Err(error) = self.optimize().await {
            tracing::warn!(%error, "PRAGMA optimize at shutdown failed");
        }
        self.pool.close().await;
    }
}

/// The file path of a `sqlite://PATH[?options]` URL.
fn sqlite_path(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_paths() {
        assert_eq!(
            super::sqlite_path("sqlite://var/pli.sqlite3"),
            "var/pli.sqlite3"
        );
        assert_eq!(
            super::sqlite_path("sqlite:///tmp/x.db?mode=rwc"),
            "/tmp/x.db"
        );
        assert_eq!(super::sqlite_path("sqlite::memory:"), ":memory:");
    }

    /// Transactions that read, then write, while others commit in between: on SQLite a
    /// deferred transaction would fail with `SQLITE_BUSY` (what CI saw as a 500 on a role
    /// request under load); every one of them commits.
    #[tokio::test]
    async fn concurrent_read_then_write_transactions_all_commit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/t.sqlite3", dir.path().display());
        let db = super::Db::connect(&url, 4, true).await.expect("connect");
        sqlx::query("CREATE TABLE t (n INTEGER NOT NULL)")
            .execute(db.pool())
            .await
            .expect("table");
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin().await?;
                    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
                        .fetch_one(&mut *tx)
                        .await?;
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    sqlx::query("INSERT INTO t (n) VALUES (?)")
                        .bind(n)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("task").expect("transaction");
        }
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
            .fetch_one(db.pool())
            .await
            .expect("count");
        assert_eq!(rows, 12);
    }
}
