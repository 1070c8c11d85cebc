//! Every query the server runs, written once in the SQL that SQLite and PostgreSQL both
//! speak: `$1` parameters, `ON CONFLICT`, and sums cast to `BIGINT` (PostgreSQL sums
//! integers into `NUMERIC`).

use super::{Row, Sql};
use crate::args;
use crate::error::ApiError;
use jifen::wallet::Lot;

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

/// An order as recorded: the authoritative quote's figures, never the client's.
pub struct Order<'a> {
    pub id: &'a str,
    pub member: &'a str,
    pub at: &'a str,
    pub day: &'a str,
    pub spend: &'a str,
    pub total_points: i64,
    pub fingerprint: &'a str,
    pub lines: &'a str,
}

pub fn member_exists(c: &mut dyn Sql, id: &str) -> Result<bool, ApiError> {
    Ok(
        c.query_opt("SELECT id FROM members WHERE id = $1", args![id])?
            .is_some(),
    )
}

pub fn member_ids(c: &mut dyn Sql) -> Result<Vec<String>, ApiError> {
    c.query("SELECT id FROM members ORDER BY id", args![])?
        .iter()
        .map(|r| r.text(0))
        .collect()
}

pub fn household_of(c: &mut dyn Sql, id: &str) -> Result<Option<String>, ApiError> {
    match c.query_opt("SELECT household FROM members WHERE id = $1", args![id])? {
        Some(r) => r.opt_text(0),
        None => Ok(None),
    }
}

pub fn household_members(c: &mut dyn Sql, household: &str) -> Result<Vec<String>, ApiError> {
    c.query(
        "SELECT id FROM members WHERE household = $1 ORDER BY id",
        args![household],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

pub fn add_member(c: &mut dyn Sql, id: &str, household: Option<&str>) -> Result<(), ApiError> {
    c.execute(
        "INSERT INTO members (id, household) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        args![id, household],
    )
    .map(|_| ())
}

/// The member's wallet: lots with a positive balance, with the days they were created with.
pub fn lots(c: &mut dyn Sql, member: &str) -> Result<Vec<Lot>, ApiError> {
    let rows = c.query(
        "SELECT lot, MIN(kind), CAST(SUM(delta) AS BIGINT), MIN(earned), MIN(available), MIN(expires), MIN(CASE WHEN delta > 0 THEN ref END)
         FROM entries WHERE member_id = $1 GROUP BY lot HAVING SUM(delta) > 0 ORDER BY MIN(seq)",
        args![member],
    )?;
    let day = |s: String| {
        jifen::calendar::parse_day(&s, "ledger")
            .map_err(|_| ApiError::internal("bad day in ledger"))
    };
    rows.into_iter()
        .map(|r: Row| {
            Ok(Lot {
                id: Some(r.text(0)?),
                kind: r.text(1)?,
                points: r.int(2)?,
                earned: day(r.text(3)?)?,
                available: Some(day(r.text(4)?)?),
                expires: r.opt_text(5)?.map(day).transpose()?,
                source: r.opt_text(6)?,
            })
        })
        .collect()
}

pub fn append(c: &mut dyn Sql, e: &Entry) -> Result<(), ApiError> {
    c.execute(
        "INSERT INTO entries (member_id, lot, kind, delta, earned, available, expires, reason, ref, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![e.member, e.lot, e.kind, e.delta, e.earned, e.available, e.expires, e.reason, e.reference, e.at],
    )
    .map(|_| ())
}

/// Spend of each of the member's orders on days in `(from, to]` (their count is the
/// number of orders).
pub fn window(
    c: &mut dyn Sql,
    member: &str,
    from: &str,
    to: &str,
) -> Result<Vec<String>, ApiError> {
    c.query(
        "SELECT spend FROM orders WHERE member_id = $1 AND day > $2 AND day <= $3",
        args![member, from, to],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

/// The number the next order gets (`o-7`); writers are serialized, so it is unique.
pub fn next_order_number(c: &mut dyn Sql) -> Result<i64, ApiError> {
    c.query_one("SELECT COUNT(*) + 1 FROM orders", args![])?
        .int(0)
}

pub fn insert_order(c: &mut dyn Sql, o: &Order) -> Result<(), ApiError> {
    c.execute(
        "INSERT INTO orders (id, member_id, at, day, spend, total_points, fingerprint, lines) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![o.id, o.member, o.at, o.day, o.spend, o.total_points, o.fingerprint, o.lines],
    )
    .map(|_| ())
}

/// The member and recorded lines of an order.
pub fn order(c: &mut dyn Sql, id: &str) -> Result<Option<(String, String)>, ApiError> {
    match c.query_opt(
        "SELECT member_id, lines FROM orders WHERE id = $1",
        args![id],
    )? {
        Some(r) => Ok(Some((r.text(0)?, r.text(1)?))),
        None => Ok(None),
    }
}

/// Quantities returned so far from an order, by line.
pub fn returned(c: &mut dyn Sql, order: &str) -> Result<Vec<(String, i64)>, ApiError> {
    c.query(
        "SELECT line, CAST(SUM(quantity) AS BIGINT) FROM returns WHERE order_id = $1 GROUP BY line",
        args![order],
    )?
    .iter()
    .map(|r| Ok((r.text(0)?, r.int(1)?)))
    .collect()
}

pub fn insert_return(
    c: &mut dyn Sql,
    order: &str,
    line: &str,
    quantity: i64,
    points: i64,
    owed: i64,
    at: &str,
) -> Result<(), ApiError> {
    c.execute(
        "INSERT INTO returns (order_id, line, quantity, points, owed, at) VALUES ($1, $2, $3, $4, $5, $6)",
        args![order, line, quantity, points, owed, at],
    )
    .map(|_| ())
}

/// The next reference (`r-7`, `t-3`) for ledger entries of one reason.
pub fn next_reference(c: &mut dyn Sql, reason: &str, prefix: &str) -> Result<String, ApiError> {
    let n = c
        .query_one(
            "SELECT COUNT(DISTINCT ref) + 1 FROM entries WHERE reason = $1",
            args![reason],
        )?
        .int(0)?;
    Ok(format!("{prefix}-{n}"))
}

/// Points the member sent to their household since `since` (a day; entries are stamped in
/// the programme's offset, so their first ten characters are its calendar day).
pub fn sent_since(c: &mut dyn Sql, member: &str, since: &str) -> Result<i64, ApiError> {
    c.query_one(
        "SELECT CAST(COALESCE(-SUM(delta), 0) AS BIGINT) FROM entries WHERE member_id = $1 AND reason = 'transfer_out' AND substr(at, 1, 10) >= $2",
        args![member, since],
    )?
    .int(0)
}

/// A stored answer for an idempotency key, if the key was used before by this member.
pub fn idempotent(
    c: &mut dyn Sql,
    key: &str,
    member: &str,
) -> Result<Option<(u16, String)>, ApiError> {
    match c.query_opt(
        "SELECT status, body FROM idempotency WHERE key = $1 AND member_id = $2",
        args![key, member],
    )? {
        Some(r) => Ok(Some((r.int(0)? as u16, r.text(1)?))),
        None => Ok(None),
    }
}

pub fn remember(
    c: &mut dyn Sql,
    key: &str,
    member: &str,
    status: u16,
    body: &str,
) -> Result<(), ApiError> {
    c.execute(
        "INSERT INTO idempotency (key, member_id, status, body) VALUES ($1, $2, $3, $4)",
        args![key, member, i64::from(status), body],
    )
    .map(|_| ())
}

/// Stores a programme version (republishing a version replaces it).
pub fn publish_program(
    c: &mut dyn Sql,
    version: &str,
    fingerprint: &str,
    body: &str,
    effective: &str,
) -> Result<(), ApiError> {
    c.execute(
        "INSERT INTO programs (version, fingerprint, body, effective) VALUES ($1, $2, $3, $4)
         ON CONFLICT (version) DO UPDATE SET fingerprint = excluded.fingerprint, body = excluded.body, effective = excluded.effective",
        args![version, fingerprint, body, effective],
    )
    .map(|_| ())
}

/// The newest stored programme in effect on `day`.
pub fn program_in_effect(c: &mut dyn Sql, day: &str) -> Result<Option<String>, ApiError> {
    match c.query_opt(
        "SELECT body FROM programs WHERE effective <= $1 ORDER BY effective DESC LIMIT 1",
        args![day],
    )? {
        Some(r) => r.text(0).map(Some),
        None => Ok(None),
    }
}

/// Ledger invariants: no lot below zero, every lot's entries agree on kind and days, and
/// every order's earned entries add up to the points it was quoted. Returns the violations.
pub fn check_invariants(c: &mut dyn Sql) -> Result<Vec<String>, ApiError> {
    let mut problems = Vec::new();
    let lots = c.query(
        "SELECT member_id, lot, CAST(SUM(delta) AS BIGINT), COUNT(DISTINCT kind), COUNT(DISTINCT earned), COUNT(DISTINCT COALESCE(expires, '')) FROM entries GROUP BY member_id, lot",
        args![],
    )?;
    for r in lots {
        let (member, lot, sum) = (r.text(0)?, r.text(1)?, r.int(2)?);
        if sum < 0 {
            problems.push(format!("{member}/{lot}: balance {sum} is negative"));
        }
        if r.int(3)? != 1 || r.int(4)? != 1 || r.int(5)? != 1 {
            problems.push(format!("{member}/{lot}: entries disagree on kind or days"));
        }
    }
    // An order and its earned points are written in one transaction: never one without the other.
    let orders = c.query(
        "SELECT o.id, o.total_points, CAST(COALESCE((SELECT SUM(delta) FROM entries e WHERE e.ref = o.id AND e.reason = 'earned'), 0) AS BIGINT)
         FROM orders o WHERE o.fingerprint <> 'demo-seed'",
        args![],
    )?;
    for r in orders {
        let (order, total, earned) = (r.text(0)?, r.int(1)?, r.int(2)?);
        if total != earned {
            problems.push(format!(
                "order {order}: {total} points quoted but {earned} recorded"
            ));
        }
    }
    Ok(problems)
}
