//! The PostgreSQL store, for merchants who run more than one server on one database.
//!
//! Each write transaction first takes `LOCK TABLE entries IN EXCLUSIVE MODE`: writers (from
//! any number of servers) take turns, exactly as SQLite's `BEGIN IMMEDIATE` makes them, while
//! plain reads go on. Reads run in a read-only `REPEATABLE READ` transaction, so a snapshot
//! (tier stats, then lots) comes from one moment.
//!
//! The `postgres` client blocks on its own small runtime, which must not run on a tokio
//! worker: [`off_runtime`] moves the call off it.

use super::{schema, Cell, Param, Pool, Row, Sql};
use crate::error::ApiError;
use postgres::types::{ToSql, Type};
use postgres::{Client, IsolationLevel, NoTls, Statement};
use std::collections::HashMap;

/// A few connections, so reads run side by side (writers still take turns on the lock).
pub struct Store {
    pool: Pool<Session>,
}

/// Connections per server: enough for both cores' workers and the requests waiting on I/O.
const POOL: usize = 8;

impl Drop for Store {
    /// Closing a client blocks too, and a store is often dropped on a tokio worker.
    fn drop(&mut self) {
        let sessions = self.pool.drain();
        std::thread::scope(|s| {
            s.spawn(move || drop(sessions));
        });
    }
}

/// The connection and its prepared statements (one round trip fewer per query).
struct Session {
    client: Client,
    statements: HashMap<String, Statement>,
}

fn internal(e: postgres::Error) -> ApiError {
    ApiError::internal(&e.to_string())
}

/// Runs blocking client code outside tokio's workers: `block_in_place` on a multi-thread
/// runtime, a scoped thread on a current-thread one, directly outside any runtime.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        Ok(_) => std::thread::scope(|s| match s.spawn(f).join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }),
        Err(_) => f(),
    }
}

impl Store {
    pub fn open(url: &str) -> Result<Store, String> {
        off_runtime(|| {
            let mut client = Client::connect(url, NoTls)
                .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
            let mut tx = client.transaction().map_err(|e| e.to_string())?;
            // Two servers starting at once: one migrates, the other waits and finds it done.
            tx.batch_execute(schema::CREATE_VERSIONS)
                .and_then(|_| tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE"))
                .map_err(|e| e.to_string())?;
            let done: i64 = tx
                .query_one(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    &[],
                )
                .and_then(|r| r.try_get(0))
                .map_err(|e| e.to_string())?;
            for (version, sql) in schema::pending(done, "BIGSERIAL PRIMARY KEY") {
                tx.batch_execute(&sql)
                    .and_then(|_| {
                        tx.execute(
                            "INSERT INTO schema_migrations (version) VALUES ($1)",
                            &[&version],
                        )
                    })
                    .map_err(|e| format!("migration {version}: {e}"))?;
            }
            tx.commit().map_err(|e| e.to_string())?;
            let mut pool = vec![Session {
                client,
                statements: HashMap::new(),
            }];
            for _ in 1..POOL {
                let client = Client::connect(url, NoTls)
                    .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
                pool.push(Session {
                    client,
                    statements: HashMap::new(),
                });
            }
            Ok(Store {
                pool: Pool::new(pool),
            })
        })
    }

    pub fn write<T: Send>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        self.transaction(false, f)
    }

    pub fn read<T: Send>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        self.transaction(true, f)
    }

    fn transaction<T: Send>(
        &self,
        read_only: bool,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        off_runtime(|| {
            let mut session = self.pool.get()?;
            let Session { client, statements } = &mut *session;
            let mut tx = if read_only {
                client
                    .build_transaction()
                    .isolation_level(IsolationLevel::RepeatableRead)
                    .read_only(true)
                    .start()
            } else {
                client.transaction()
            }
            .map_err(internal)?;
            if !read_only {
                tx.batch_execute("LOCK TABLE entries IN EXCLUSIVE MODE")
                    .map_err(internal)?;
            }
            let out = f(&mut Conn {
                tx: &mut tx,
                statements,
            })?;
            tx.commit().map_err(internal)?;
            Ok(out)
        })
    }
}

struct Conn<'a, 'c> {
    tx: &'a mut postgres::Transaction<'c>,
    statements: &'a mut HashMap<String, Statement>,
}

impl Conn<'_, '_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, ApiError> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.prepare(sql).map_err(internal)?;
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

/// The parameters as the client takes them. A NULL is sent as a text NULL: the only
/// nullable columns are text.
fn bind<'p>(params: &'p [Param<'p>], nulls: &'p Option<&'p str>) -> Vec<&'p (dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| -> &(dyn ToSql + Sync) {
            match p {
                Param::Null => nulls,
                Param::Int(n) => n,
                Param::Text(s) => s,
            }
        })
        .collect()
}

impl Sql for Conn<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64, ApiError> {
        let st = self.statement(sql)?;
        self.tx.execute(&st, &bind(params, &None)).map_err(internal)
    }

    fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Row>, ApiError> {
        let st = self.statement(sql)?;
        let rows = self.tx.query(&st, &bind(params, &None)).map_err(internal)?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        let ty = r.columns()[i].type_();
                        let cell = if *ty == Type::INT8 {
                            r.try_get::<_, Option<i64>>(i).map(|v| v.map(Cell::Int))
                        } else if *ty == Type::INT4 {
                            r.try_get::<_, Option<i32>>(i)
                                .map(|v| v.map(|n| Cell::Int(n.into())))
                        } else {
                            r.try_get::<_, Option<String>>(i).map(|v| v.map(Cell::Text))
                        };
                        cell.map(|c| c.unwrap_or(Cell::Null)).map_err(internal)
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Row)
            })
            .collect()
    }
}

/// A throwaway database on the server of `url` (tests and benchmarks: each gets its own,
/// so they run in parallel). Returns its URL; [`drop_database`] removes it.
pub fn create_database(url: &str, name: &str) -> Result<String, String> {
    off_runtime(|| {
        let mut client = Client::connect(url, NoTls).map_err(|e| e.to_string())?;
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .map_err(|e| e.to_string())?;
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
        Ok(match query {
            "" => format!("{server}/{name}"),
            q => format!("{server}/{name}?{q}"),
        })
    })
}

pub fn drop_database(url: &str, name: &str) -> Result<(), String> {
    off_runtime(|| {
        let mut client = Client::connect(url, NoTls).map_err(|e| e.to_string())?;
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .map_err(|e| e.to_string())
    })
}
