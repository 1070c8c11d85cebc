//! The ledger: an append-only table of point entries in SQLite, and what is derived from it.
//!
//! Every change to a member's points is an entry (`delta` on a lot). A lot's balance is the
//! sum of its entries; a wallet is the lots with a positive balance. Nothing is ever updated
//! in place, so a crash can lose only an unacknowledged transaction, never half of one.
//! All writes go through [`Db::write`]: one `BEGIN IMMEDIATE` transaction on one connection,
//! which serializes writers the way SQLite wants.

use crate::error::ApiError;
use jifen::wallet::Lot;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::sync::Mutex;

const MIGRATIONS: &[&str] = &[
    // 1: members, orders, the ledger, idempotency keys, programme versions.
    "CREATE TABLE members (
        id TEXT PRIMARY KEY,
        household TEXT
    );
    CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        member_id TEXT NOT NULL REFERENCES members(id),
        at TEXT NOT NULL,
        day TEXT NOT NULL,
        spend TEXT NOT NULL,
        total_points INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        lines TEXT NOT NULL
    );
    CREATE INDEX orders_member_day ON orders(member_id, day);
    CREATE TABLE entries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        member_id TEXT NOT NULL REFERENCES members(id),
        lot TEXT NOT NULL,
        kind TEXT NOT NULL,
        delta INTEGER NOT NULL,
        earned TEXT NOT NULL,
        available TEXT NOT NULL,
        expires TEXT,
        reason TEXT NOT NULL,
        ref TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX entries_member_lot ON entries(member_id, lot);
    CREATE TABLE idempotency (
        key TEXT NOT NULL,
        member_id TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (key, member_id)
    );
    CREATE TABLE returns (
        order_id TEXT NOT NULL REFERENCES orders(id),
        line TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        points INTEGER NOT NULL,
        owed INTEGER NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE programs (
        version TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        body TEXT NOT NULL,
        effective TEXT NOT NULL
    );",
];

pub struct Db {
    conn: Mutex<Connection>,
}

/// One ledger entry to append.
pub struct Entry<'a> {
    pub member: &'a str,
    pub lot: &'a str,
    pub kind: &'a str,
    pub delta: i64,
    pub earned: &'a str,
    pub available: &'a str,
    pub expires: Option<&'a str>,
    pub reason: &'a str,
    pub reference: &'a str,
    pub at: &'a str,
}

fn internal(e: rusqlite::Error) -> ApiError {
    ApiError::internal(&e.to_string())
}

impl Db {
    /// Opens (creating if needed) the database and applies pending migrations.
    pub fn open(path: &str) -> Result<Db, String> {
        let conn = Connection::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;")
            .map_err(|e| e.to_string())?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
        )
        .map_err(|e| e.to_string())?;
        let done: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(|e| e.to_string())?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done as usize) {
            let tx = conn.unchecked_transaction().map_err(|e| e.to_string())?;
            tx.execute_batch(sql)
                .map_err(|e| format!("migration {}: {e}", i + 1))?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES (?1)",
                [i as i64 + 1],
            )
            .map_err(|e| e.to_string())?;
            tx.commit().map_err(|e| e.to_string())?;
        }
        Ok(Db {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `f` in one immediate transaction; commits only when it returns `Ok`.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Transaction) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| ApiError::internal("database lock poisoned"))?;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(internal)?;
        let out = f(&tx)?;
        tx.commit().map_err(internal)?;
        Ok(out)
    }

    /// Reads with the same connection (reads see every committed write).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| ApiError::internal("database lock poisoned"))?;
        f(&conn)
    }
}

pub fn member_exists(c: &Connection, id: &str) -> Result<bool, ApiError> {
    c.query_row("SELECT 1 FROM members WHERE id = ?1", [id], |_| Ok(()))
        .optional()
        .map(|o| o.is_some())
        .map_err(internal)
}

pub fn household_of(c: &Connection, id: &str) -> Result<Option<String>, ApiError> {
    c.query_row("SELECT household FROM members WHERE id = ?1", [id], |r| {
        r.get::<_, Option<String>>(0)
    })
    .optional()
    .map(|o| o.flatten())
    .map_err(internal)
}

pub fn household_members(c: &Connection, household: &str) -> Result<Vec<String>, ApiError> {
    let mut st = c
        .prepare("SELECT id FROM members WHERE household = ?1 ORDER BY id")
        .map_err(internal)?;
    let rows = st.query_map([household], |r| r.get(0)).map_err(internal)?;
    rows.collect::<Result<_, _>>().map_err(internal)
}

pub fn add_member(c: &Connection, id: &str, household: Option<&str>) -> Result<(), ApiError> {
    c.execute(
        "INSERT OR IGNORE INTO members (id, household) VALUES (?1, ?2)",
        params![id, household],
    )
    .map(|_| ())
    .map_err(internal)
}

/// The member's wallet: lots with a positive balance, with the days they were created with.
pub fn lots(c: &Connection, member: &str) -> Result<Vec<Lot>, ApiError> {
    let mut st = c
        .prepare(
            "SELECT lot, kind, SUM(delta), MIN(earned), MIN(available), MIN(expires), MIN(CASE WHEN delta > 0 THEN ref END)
             FROM entries WHERE member_id = ?1 GROUP BY lot HAVING SUM(delta) > 0 ORDER BY MIN(seq)",
        )
        .map_err(internal)?;
    let rows = st
        .query_map([member], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })
        .map_err(internal)?;
    let mut out = Vec::new();
    for row in rows {
        let (lot, kind, points, earned, available, expires, source) = row.map_err(internal)?;
        let day = |s: &str| {
            jifen::calendar::parse_day(s, "ledger")
                .map_err(|_| ApiError::internal("bad day in ledger"))
        };
        out.push(Lot {
            id: Some(lot),
            kind,
            points,
            earned: day(&earned)?,
            available: Some(day(&available)?),
            expires: expires.as_deref().map(day).transpose()?,
            source,
        });
    }
    Ok(out)
}

pub fn append(tx: &Transaction, e: &Entry) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO entries (member_id, lot, kind, delta, earned, available, expires, reason, ref, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![e.member, e.lot, e.kind, e.delta, e.earned, e.available, e.expires, e.reason, e.reference, e.at],
    )
    .map(|_| ())
    .map_err(internal)
}

/// Spend and order count of the member's orders on days in `(from, to]`.
pub fn window(
    c: &Connection,
    member: &str,
    from: &str,
    to: &str,
) -> Result<(Vec<String>, u32), ApiError> {
    let mut st = c
        .prepare("SELECT spend FROM orders WHERE member_id = ?1 AND day > ?2 AND day <= ?3")
        .map_err(internal)?;
    let rows: Vec<String> = st
        .query_map(params![member, from, to], |r| r.get(0))
        .map_err(internal)?
        .collect::<Result<_, _>>()
        .map_err(internal)?;
    let n = rows.len() as u32;
    Ok((rows, n))
}

/// A stored answer for an idempotency key, if the key was used before by this member.
pub fn idempotent(
    c: &Connection,
    key: &str,
    member: &str,
) -> Result<Option<(u16, String)>, ApiError> {
    c.query_row(
        "SELECT status, body FROM idempotency WHERE key = ?1 AND member_id = ?2",
        params![key, member],
        |r| Ok((r.get::<_, i64>(0)? as u16, r.get(1)?)),
    )
    .optional()
    .map_err(internal)
}

pub fn remember(
    tx: &Transaction,
    key: &str,
    member: &str,
    status: u16,
    body: &str,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO idempotency (key, member_id, status, body) VALUES (?1, ?2, ?3, ?4)",
        params![key, member, status as i64, body],
    )
    .map(|_| ())
    .map_err(internal)
}

/// Ledger invariants: no lot below zero, every lot's entries agree on kind and days, and
/// each member's balance equals the sum of their entries. Returns the violations.
pub fn check_invariants(c: &Connection) -> Result<Vec<String>, ApiError> {
    let mut problems = Vec::new();
    let mut st = c
        .prepare("SELECT member_id, lot, SUM(delta), COUNT(DISTINCT kind), COUNT(DISTINCT earned), COUNT(DISTINCT COALESCE(expires, '')) FROM entries GROUP BY member_id, lot")
        .map_err(internal)?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })
        .map_err(internal)?;
    for row in rows {
        let (member, lot, sum, kinds, earned, expires) = row.map_err(internal)?;
        if sum < 0 {
            problems.push(format!("{member}/{lot}: balance {sum} is negative"));
        }
        if kinds != 1 || earned != 1 || expires != 1 {
            problems.push(format!("{member}/{lot}: entries disagree on kind or days"));
        }
    }
    // An order and its earned points are written in one transaction: never one without the other.
    let mut st = c
        .prepare(
            "SELECT o.id, o.total_points, COALESCE((SELECT SUM(delta) FROM entries e WHERE e.ref = o.id AND e.reason = 'earned'), 0)
             FROM orders o WHERE o.fingerprint <> 'demo-seed'",
        )
        .map_err(internal)?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .map_err(internal)?;
    for row in rows {
        let (order, total, earned) = row.map_err(internal)?;
        if total != earned {
            problems.push(format!(
                "order {order}: {total} points quoted but {earned} recorded"
            ));
        }
    }
    Ok(problems)
}
