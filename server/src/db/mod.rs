//! The ledger store: an append-only table of point entries, in SQLite (one file, the
//! default) or PostgreSQL (a `postgres://` URL, for merchants who outgrow one machine).
//!
//! Every change to a member's points is an entry (`delta` on a lot). A lot's balance is the
//! sum of its entries; a wallet is the lots with a positive balance. Nothing is ever updated
//! in place, so a crash can lose only an unacknowledged transaction, never half of one.
//!
//! The queries (`db/queries.rs`) are written once, in the SQL both databases speak, against
//! the small [`Sql`] trait; `db/sqlite.rs` and `db/postgres.rs` only run them. All writes go
//! through [`Db::write`]: one transaction that excludes every other writer (SQLite's
//! `BEGIN IMMEDIATE`, PostgreSQL's `LOCK TABLE entries IN EXCLUSIVE MODE`), so two servers on
//! one PostgreSQL database can never both spend the same points.

mod postgres;
mod queries;
mod schema;
pub mod scratch;
mod sqlite;

pub use queries::*;

use crate::error::ApiError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Connections shared by requests: a free one if there is one, else the next in turn.
pub(crate) struct Pool<C> {
    conns: Vec<Mutex<C>>,
    next: AtomicUsize,
}

impl<C> Pool<C> {
    pub(crate) fn new(conns: Vec<C>) -> Pool<C> {
        Pool {
            conns: conns.into_iter().map(Mutex::new).collect(),
            next: AtomicUsize::new(0),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.conns.is_empty()
    }

    pub(crate) fn get(&self) -> Result<MutexGuard<'_, C>, ApiError> {
        let n = self.conns.len();
        if n == 0 {
            return Err(ApiError::internal("no database connection"));
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        match (0..n).find_map(|i| self.conns[(start + i) % n].try_lock().ok()) {
            Some(c) => Ok(c),
            None => self.conns[start % n]
                .lock()
                .map_err(|_| ApiError::internal("database lock poisoned")),
        }
    }

    /// Every connection, for closing them.
    pub(crate) fn drain(&mut self) -> Vec<C> {
        std::mem::take(&mut self.conns)
            .into_iter()
            .filter_map(|c| c.into_inner().ok())
            .collect()
    }
}

/// A parameter of a query.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(s: &'a str) -> Self {
        Param::Text(s)
    }
}
impl<'a> From<&'a String> for Param<'a> {
    fn from(s: &'a String) -> Self {
        Param::Text(s)
    }
}
impl From<i64> for Param<'_> {
    fn from(n: i64) -> Self {
        Param::Int(n)
    }
}
impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Param::Null, Into::into)
    }
}

/// The parameters of one query: `args![member, day]`.
#[macro_export]
macro_rules! args {
    ($($p:expr),* $(,)?) => { &[$($crate::db::Param::from($p)),*][..] };
}

/// A value read back: the store's columns are only integers and text.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
}

/// One row of a result.
#[derive(Debug)]
pub struct Row(pub Vec<Cell>);

impl Row {
    pub fn int(&self, i: usize) -> Result<i64, ApiError> {
        match self.0.get(i) {
            Some(Cell::Int(n)) => Ok(*n),
            other => Err(ApiError::internal(&format!(
                "column {i}: expected an integer, found {other:?}"
            ))),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, ApiError> {
        self.opt_text(i)?
            .ok_or_else(|| ApiError::internal(&format!("column {i}: unexpected NULL")))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, ApiError> {
        match self.0.get(i) {
            Some(Cell::Text(s)) => Ok(Some(s.clone())),
            Some(Cell::Null) => Ok(None),
            other => Err(ApiError::internal(&format!(
                "column {i}: expected text, found {other:?}"
            ))),
        }
    }
}

/// What a query needs from a database: statements with `$1`-style parameters.
pub trait Sql {
    /// Runs a statement; returns the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64, ApiError>;
    /// Runs a query and returns every row.
    fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Row>, ApiError>;

    /// The first row, if any.
    fn query_opt(&mut self, sql: &str, params: &[Param]) -> Result<Option<Row>, ApiError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Exactly one row (aggregates).
    fn query_one(&mut self, sql: &str, params: &[Param]) -> Result<Row, ApiError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| ApiError::internal("query returned no row"))
    }
}

/// The store: an SQLite file or a PostgreSQL database.
pub enum Db {
    Sqlite(sqlite::Store),
    Postgres(postgres::Store),
}

impl Db {
    /// Opens (creating if needed) the database and applies pending migrations: a
    /// `postgres://` or `postgresql://` URL, otherwise the path of an SQLite file.
    pub fn open(target: &str) -> Result<Db, String> {
        if target.starts_with("postgres://") || target.starts_with("postgresql://") {
            postgres::Store::open(target).map(Db::Postgres)
        } else {
            sqlite::Store::open(target).map(Db::Sqlite)
        }
    }

    /// Which database this is, for logs: `sqlite` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Runs `f` in one transaction that excludes other writers; commits only when it
    /// returns `Ok`.
    pub fn write<T: Send>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        match self {
            Db::Sqlite(s) => s.write(f),
            Db::Postgres(p) => p.write(f),
        }
    }

    /// Reads from one consistent snapshot that sees every committed write.
    pub fn read<T: Send>(
        &self,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, ApiError> + Send,
    ) -> Result<T, ApiError> {
        match self {
            Db::Sqlite(s) => s.read(f),
            Db::Postgres(p) => p.read(f),
        }
    }
}
