//! The SQLite store: one file; one writer connection, writers serialized by `BEGIN
//! IMMEDIATE`, and a few read-only connections so quotes and snapshots run side by side with
//! writes (WAL lets readers go on while a writer commits). `synchronous=FULL`: an
//! acknowledged transaction survives a crash.

use super::{schema, Cell, Param, Pool, Row, Sql};
use crate::error::ApiError;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};
use std::sync::Mutex;

pub struct Store {
    conn: Mutex<Connection>,
    readers: Pool<Connection>,
}

/// Read-only connections per server.
const READERS: usize = 4;

fn connect(path: &str) -> Result<Connection, String> {
    let conn = Connection::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;")
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

fn internal(e: rusqlite::Error) -> ApiError {
    ApiError::internal(&e.to_string())
}

impl Store {
    pub fn open(path: &str) -> Result<Store, String> {
        let mut conn = connect(path)?;
        conn.execute_batch(schema::CREATE_VERSIONS)
            .map_err(|e| e.to_string())?;
        let done: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(|e| e.to_string())?;
        for (version, sql) in schema::pending(done, "INTEGER PRIMARY KEY AUTOINCREMENT") {
            let tx = conn.transaction().map_err(|e| e.to_string())?;
            tx.execute_batch(&sql)
                .and_then(|_| {
                    tx.execute(
                        "INSERT INTO schema_migrations (version) VALUES (?1)",
                        [version],
                    )
                })
                .and_then(|_| tx.commit())
                .map_err(|e| format!("migration {version}: {e}"))?;
        }
        // An in-memory database is private to its connection: it reads on the writer's.
        let readers = if path == ":memory:" || path.is_empty() {
            Vec::new()
        } else {
            (0..READERS)
                .map(|_| {
                    let c = connect(path)?;
                    c.execute_batch("PRAGMA query_only=ON;")
                        .map_err(|e| e.to_string())?;
                    Ok(c)
                })
                .collect::<Result<_, String>>()?
        };
        Ok(Store {
            conn: Mutex::new(conn),
            readers: Pool::new(readers),
        })
    }

    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| ApiError::internal("database lock poisoned"))?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(internal)?;
        let out = f(&mut Conn(&tx))?;
        tx.commit().map_err(internal)?;
        Ok(out)
    }

    /// Reads in one read transaction (one snapshot) on a free reader connection.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut conn = if self.readers.is_empty() {
            self.conn
                .lock()
                .map_err(|_| ApiError::internal("database lock poisoned"))?
        } else {
            self.readers.get()?
        };
        let tx = conn.transaction().map_err(internal)?;
        let out = f(&mut Conn(&tx))?;
        tx.commit().map_err(internal)?;
        Ok(out)
    }
}

/// A connection (or transaction) running the shared queries; `$1` becomes SQLite's `?1`.
struct Conn<'a>(&'a Connection);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Param::Null => ValueRef::Null,
            Param::Int(n) => ValueRef::Integer(*n),
            Param::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

impl Sql for Conn<'_> {
    fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64, ApiError> {
        let mut st = self
            .0
            .prepare_cached(&sql.replace('$', "?"))
            .map_err(internal)?;
        st.execute(rusqlite::params_from_iter(params))
            .map(|n| n as u64)
            .map_err(internal)
    }

    fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Row>, ApiError> {
        let mut st = self
            .0
            .prepare_cached(&sql.replace('$', "?"))
            .map_err(internal)?;
        let columns = st.column_count();
        let mut rows = st
            .query(rusqlite::params_from_iter(params))
            .map_err(internal)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(internal)? {
            let mut cells = Vec::with_capacity(columns);
            for i in 0..columns {
                cells.push(match r.get_ref(i).map_err(internal)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(n) => Cell::Int(n),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    other => {
                        return Err(ApiError::internal(&format!(
                            "column {i}: unexpected {:?}",
                            other.data_type()
                        )))
                    }
                });
            }
            out.push(Row(cells));
        }
        Ok(out)
    }
}
