//! The ledger's tables, as numbered migrations both databases apply in order. Written once:
//! only the ledger's sequence column is spelled differently (`{serial}`).

const MIGRATIONS: &[&str] = &[
    // 1: members, orders, the ledger, idempotency keys, returns, programme versions.
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
        total_points BIGINT NOT NULL,
        fingerprint TEXT NOT NULL,
        lines TEXT NOT NULL
    );
    CREATE INDEX orders_member_day ON orders(member_id, day);
    CREATE TABLE entries (
        seq {serial},
        member_id TEXT NOT NULL REFERENCES members(id),
        lot TEXT NOT NULL,
        kind TEXT NOT NULL,
        delta BIGINT NOT NULL,
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
        status BIGINT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (key, member_id)
    );
    CREATE TABLE returns (
        order_id TEXT NOT NULL REFERENCES orders(id),
        line TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        points BIGINT NOT NULL,
        owed BIGINT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE programs (
        version TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        body TEXT NOT NULL,
        effective TEXT NOT NULL
    );",
    // 2: the per-reason reference counters and monthly transfer sums look entries up by
    // reason; the order check by reference.
    "CREATE INDEX entries_reason_ref ON entries(reason, ref);",
];

pub const CREATE_VERSIONS: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)";

/// The migrations after the first `done`, numbered from 1, with `serial` spelling the
/// ledger's auto-incrementing key.
pub fn pending(done: i64, serial: &str) -> impl Iterator<Item = (i64, String)> + '_ {
    MIGRATIONS
        .iter()
        .enumerate()
        .skip(done.max(0) as usize)
        .map(move |(i, sql)| (i as i64 + 1, sql.replace("{serial}", serial)))
}
