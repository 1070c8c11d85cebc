//! The HTTP API. Each handler reads the member's state from the ledger, asks the core (the
//! same `Engine` the browser runs), and writes what the core decided as ledger entries —
//! inside one transaction, with an idempotency key where a retry could apply twice. No domain
//! rule lives here: points, costs, expiry days and who may transfer what come from the core.

use crate::auth;
use crate::db::{self, Entry};
use crate::error::ApiError;
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jifen::calendar::{add_days, Instant};
use jifen::Operation;
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 256 * 1024;

type Shared = State<Arc<AppState>>;

fn ok(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn body_json(body: Body) -> Result<Value, ApiError> {
    let bytes = to_bytes(body, BODY_LIMIT).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "",
            "the request body is larger than 256 KiB",
        )
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "",
            "the body is not UTF-8",
        )
    })?;
    let v: Value = jifen::error::parse_json(if text.trim().is_empty() { "{}" } else { text }, "")
        .map_err(|e| ApiError {
        status: StatusCode::BAD_REQUEST,
        errors: e,
    })?;
    if !v.is_object() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "",
            "the body must be a JSON object",
        ));
    }
    Ok(v)
}

/// Fields a client may send to an endpoint; anything else is refused (a client cannot slip
/// in its own points, wallet or tier).
fn only(v: &Value, allowed: &[&str]) -> Result<(), ApiError> {
    for k in v.as_object().into_iter().flatten().map(|(k, _)| k) {
        if !allowed.contains(&k.as_str()) {
            return Err(ApiError::bad(vec![jifen::Error::new(
                "unknown_field",
                k,
                &format!(
                    "`{k}` is not accepted here; expected one of {}",
                    allowed.join(", ")
                ),
            )]));
        }
    }
    Ok(())
}

impl AppState {
    /// The instant of a request: the clock, or `X-Jifen-At` when the server allows it (tests
    /// and the demo, which replay the programme's 2026 campaigns).
    fn now(&self, headers: &HeaderMap) -> Result<Instant, ApiError> {
        if self.config.allow_clock_override {
            if let Some(at) = headers.get("x-jifen-at").and_then(|v| v.to_str().ok()) {
                return Instant::parse(at, "X-Jifen-At").map_err(ApiError::bad);
            }
        }
        let now = chrono::Utc::now().fixed_offset();
        Ok(Instant(now))
    }

    fn engine(&self) -> Arc<jifen::Engine> {
        self.engine
            .read()
            .map(|e| e.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    fn member(&self, headers: &HeaderMap, at: Instant) -> Result<String, ApiError> {
        auth::member(
            headers,
            &self.config.secret,
            at.0.timestamp().max(chrono::Utc::now().timestamp()),
        )
    }
}

fn run(engine: &jifen::Engine, op: Operation, req: &Value, at: Instant) -> Result<Value, ApiError> {
    let out = engine.run(op, &req.to_string(), &at.to_rfc3339())?;
    serde_json::from_str(&out).map_err(|e| ApiError::internal(&e.to_string()))
}

/// What the core needs to know about a member, from the ledger: tier stats over the window
/// and the wallet.
fn snapshot(
    c: &Connection,
    engine: &jifen::Engine,
    member: &str,
    at: Instant,
) -> Result<Value, ApiError> {
    let p = &engine.loaded;
    let day = at.day_in(p.offset);
    let from = add_days(day, -i64::from(p.program.tier_window_days), "at")?;
    let (spends, orders) = db::window(c, member, &from.to_string(), &day.to_string())?;
    let spend: Decimal = spends
        .iter()
        .filter_map(|s| s.parse::<Decimal>().ok())
        .sum();
    let lots = db::lots(c, member)?;
    Ok(
        json!({ "id": member, "tier_stats": { "spend": spend.to_string(), "orders": orders }, "wallet": lots }),
    )
}

fn ensure_member(c: &Connection, member: &str) -> Result<(), ApiError> {
    if db::member_exists(c, member)? {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_member",
            "",
            "no such member",
        ))
    }
}

/// Replays an earlier answer for the same idempotency key, or runs `f` and remembers it.
fn idempotent(
    state: &AppState,
    headers: &HeaderMap,
    member: &str,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<(StatusCode, Value), ApiError>,
) -> Result<Response, ApiError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "missing_idempotency_key",
                "Idempotency-Key",
                "send an Idempotency-Key header so a retry never applies twice",
            )
        })?
        .to_string();
    state.db.write(|tx| {
        if let Some((status, body)) = db::idempotent(tx, &key, member)? {
            let mut r = (
                StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                [("content-type", "application/json")],
                body,
            )
                .into_response();
            r.headers_mut()
                .insert("idempotent-replay", "true".parse().expect("static header"));
            return Ok(r);
        }
        let (status, body) = f(tx)?;
        let text = body.to_string();
        db::remember(tx, &key, member, status.as_u16(), &text)?;
        Ok((status, [("content-type", "application/json")], text).into_response())
    })
}

pub async fn program(State(s): Shared, headers: HeaderMap) -> Response {
    let engine = s.engine();
    let etag = format!("\"{}\"", engine.program_ref.fingerprint);
    if headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [("etag", etag)]).into_response();
    }
    let body = s
        .program_json
        .read()
        .map(|p| p.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    (
        StatusCode::OK,
        [
            ("content-type", "application/json".to_string()),
            ("etag", etag),
            ("cache-control", "no-cache".to_string()),
        ],
        body.as_str().to_owned(),
    )
        .into_response()
}

pub async fn me(State(s): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let engine = s.engine();
    let (snap, household) = s.db.read(|c| {
        ensure_member(c, &member)?;
        let household = match db::household_of(c, &member)? {
            Some(h) => json!({ "id": h, "members": db::household_members(c, &h)? }),
            None => Value::Null,
        };
        Ok((snapshot(c, &engine, &member, at)?, household))
    })?;
    let expiry = run(
        &engine,
        Operation::Expiry,
        &json!({ "wallet": snap["wallet"] }),
        at,
    )?;
    let tier = run(
        &engine,
        Operation::Quote,
        &json!({ "member": { "tier_stats": snap["tier_stats"] }, "lines": [{ "category": "-", "unit_price": "0", "quantity": 1 }] }),
        at,
    )?;
    Ok(ok(
        StatusCode::OK,
        &json!({ "member": snap, "tier": tier["tier"], "household": household, "expiry": expiry, "program": engine.program_ref.fingerprint }),
    ))
}

pub async fn quote(State(s): Shared, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let mut req = body_json(body).await?;
    only(&req, &["lines", "order_discount", "offset_points"])?;
    let engine = s.engine();
    let snap = s.db.read(|c| {
        ensure_member(c, &member)?;
        snapshot(c, &engine, &member, at)
    })?;
    req["member"] = snap;
    Ok(ok(
        StatusCode::OK,
        &run(&engine, Operation::Quote, &req, at)?,
    ))
}

pub async fn orders(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let mut req = body_json(body).await?;
    only(
        &req,
        &["lines", "order_discount", "offset_points", "preview"],
    )?;
    let preview = req.as_object_mut().and_then(|o| o.remove("preview"));
    let engine = s.engine();
    idempotent(&s, &headers, &member, |tx| {
        ensure_member(tx, &member)?;
        let snap = snapshot(tx, &engine, &member, at)?;
        let stamp = at.to_rfc3339();
        let seq: i64 = tx.query_row("SELECT COUNT(*) + 1 FROM orders", [], |r| r.get(0))?;
        let order_id = format!("o-{seq}");
        // Points paid as a bill offset are spent first, from the soonest-expiring lots.
        let offset_points = req["offset_points"].as_i64().unwrap_or(0);
        if offset_points != 0 {
            let q = run(
                &engine,
                Operation::Quote,
                &json!({ "member": snap, "lines": req["lines"], "order_discount": req["order_discount"] }),
                at,
            )?;
            let spent = run(
                &engine,
                Operation::Redeem,
                &json!({ "member": snap, "offset": { "points": offset_points, "order_amount": q["amount_due"] } }),
                at,
            )?;
            spend_lots(
                tx,
                &member,
                &spent["consumed"],
                "bill_offset",
                &order_id,
                &stamp,
            )?;
        }
        let mut quote_req = req.clone();
        quote_req["member"] = snap;
        let q = run(&engine, Operation::Quote, &quote_req, at)?;
        let recorded: Vec<Value> = q["lines"].as_array().into_iter().flatten().enumerate().map(|(i, l)| {
            json!({ "line": l["id"].as_str().map(str::to_string).unwrap_or_else(|| format!("{i}")), "kind": l["kind"], "points": l["points"], "quantity": req["lines"][i]["quantity"] })
        }).collect();
        tx.execute(
            "INSERT INTO orders (id, member_id, at, day, spend, total_points, fingerprint, lines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![order_id, member, stamp, q["day"].as_str(), q["eligible_spend"].as_str(), q["total_points"].as_i64(), engine.program_ref.fingerprint, Value::from(recorded).to_string()],
        )?;
        for (kind, points) in q["points"].as_object().into_iter().flatten() {
            let points = points.as_i64().unwrap_or(0);
            if points > 0 {
                db::append(
                    tx,
                    &Entry {
                        member: &member,
                        lot: &format!("{order_id}:{kind}"),
                        kind,
                        delta: points,
                        earned: q["day"].as_str().unwrap_or(""),
                        available: q["available_on"].as_str().unwrap_or(""),
                        expires: q["expires_on"].as_str(),
                        reason: "earned",
                        reference: &order_id,
                        at: &stamp,
                    },
                )?;
            }
        }
        let matches = preview.as_ref().map(|p| {
            p["fingerprint"] == json!(engine.program_ref.fingerprint)
                && p["total_points"] == q["total_points"]
        });
        Ok((
            StatusCode::CREATED,
            json!({ "order_id": order_id, "authoritative": true, "preview_matches": matches, "quote": q }),
        ))
    })
}

/// The next reference (`r-7`, `t-3`) for ledger entries of one reason.
fn next_reference(
    tx: &rusqlite::Transaction,
    reason: &str,
    prefix: &str,
) -> Result<String, ApiError> {
    let seq: i64 = tx.query_row(
        "SELECT COUNT(DISTINCT ref) + 1 FROM entries WHERE reason = ?1",
        [reason],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}-{seq}"))
}

/// Appends the negative entries for lot parts the core consumed.
fn spend_lots(
    tx: &rusqlite::Transaction,
    member: &str,
    consumed: &Value,
    reason: &str,
    reference: &str,
    at: &str,
) -> Result<(), ApiError> {
    for part in consumed.as_array().into_iter().flatten() {
        let lot = part["id"]
            .as_str()
            .ok_or_else(|| ApiError::internal("consumed lot without id"))?;
        db::append(
            tx,
            &Entry {
                member,
                lot,
                kind: part["kind"].as_str().unwrap_or(""),
                delta: -part["points"].as_i64().unwrap_or(0),
                earned: part["earned"].as_str().unwrap_or(""),
                available: part["available"]
                    .as_str()
                    .unwrap_or(part["earned"].as_str().unwrap_or("")),
                expires: part["expires"].as_str(),
                reason,
                reference,
                at,
            },
        )?;
    }
    Ok(())
}

pub async fn redemptions(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let req = body_json(body).await?;
    only(&req, &["reward_id"])?;
    let engine = s.engine();
    idempotent(&s, &headers, &member, |tx| {
        ensure_member(tx, &member)?;
        let snap = snapshot(tx, &engine, &member, at)?;
        let r = run(
            &engine,
            Operation::Redeem,
            &json!({ "member": snap, "reward_id": req["reward_id"] }),
            at,
        )?;
        let reference = next_reference(tx, "redeemed", "r")?;
        spend_lots(
            tx,
            &member,
            &r["consumed"],
            "redeemed",
            &reference,
            &at.to_rfc3339(),
        )?;
        Ok((
            StatusCode::CREATED,
            json!({ "redemption_id": reference, "result": r }),
        ))
    })
}

pub async fn transfers(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let req = body_json(body).await?;
    only(&req, &["to", "points", "kind"])?;
    let to = req["to"]
        .as_str()
        .ok_or_else(|| {
            ApiError::bad(vec![jifen::Error::new(
                "missing_field",
                "to",
                "name the receiving member",
            )])
        })?
        .to_string();
    let engine = s.engine();
    idempotent(&s, &headers, &member, |tx| {
        ensure_member(tx, &member)?;
        let household = db::household_of(tx, &member)?
            .ok_or_else(|| ApiError::forbidden("you are not in a household"))?;
        // Only members of the sender's own household are visible: another household's
        // wallet is never read, let alone moved.
        let members = db::household_members(tx, &household)?;
        if !members.contains(&to) {
            return Err(ApiError::forbidden("the receiver is not in your household"));
        }
        let day = at.day_in(engine.loaded.offset);
        let month_start = format!("{}-01", &day.to_string()[..7]);
        let sent: i64 = tx
            .query_row("SELECT COALESCE(-SUM(delta), 0) FROM entries WHERE member_id = ?1 AND reason = 'transfer_out' AND substr(at, 1, 10) >= ?2", rusqlite::params![member, month_start], |r| r.get(0))?;
        let from = snapshot(tx, &engine, &member, at)?;
        let to_snap = snapshot(tx, &engine, &to, at)?;
        let t = run(
            &engine,
            Operation::Transfer,
            &json!({ "household": members, "from": from, "to": to_snap, "points": req["points"], "kind": req["kind"], "sent_this_month": sent }),
            at,
        )?;
        let reference = next_reference(tx, "transfer_out", "t")?;
        let stamp = at.to_rfc3339();
        spend_lots(tx, &member, &t["moved"], "transfer_out", &reference, &stamp)?;
        for (i, part) in t["moved"].as_array().into_iter().flatten().enumerate() {
            let lot = format!("{reference}:{i}");
            db::append(
                tx,
                &Entry {
                    member: &to,
                    lot: &lot,
                    kind: part["kind"].as_str().unwrap_or(""),
                    delta: part["points"].as_i64().unwrap_or(0),
                    earned: part["earned"].as_str().unwrap_or(""),
                    available: part["available"]
                        .as_str()
                        .unwrap_or(part["earned"].as_str().unwrap_or("")),
                    expires: part["expires"].as_str(),
                    reason: "transfer_in",
                    reference: &reference,
                    at: &stamp,
                },
            )?;
        }
        Ok((
            StatusCode::CREATED,
            json!({ "transfer_id": reference, "points": t["points"], "kind": t["kind"], "moved": t["moved"], "remaining_this_month": t["remaining_this_month"] }),
        ))
    })
}

pub async fn returns(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let at = s.now(&headers)?;
    let member = s.member(&headers, at)?;
    let req = body_json(body).await?;
    only(&req, &["order_id", "lines"])?;
    let order_id = req["order_id"].as_str().unwrap_or("").to_string();
    let engine = s.engine();
    idempotent(&s, &headers, &member, |tx| {
        let (owner, lines): (String, String) = tx
            .query_row(
                "SELECT member_id, lines FROM orders WHERE id = ?1",
                [&order_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|_| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "unknown_order",
                    "order_id",
                    "no such order",
                )
            })?;
        if owner != member {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_order",
                "order_id",
                "no such order",
            ));
        }
        let mut recorded: Vec<Value> = serde_json::from_str(&lines).unwrap_or_default();
        let mut st = tx
            .prepare("SELECT line, SUM(quantity) FROM returns WHERE order_id = ?1 GROUP BY line")?;
        let returned: HashMap<String, i64> = st
            .query_map([&order_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .filter_map(Result::ok)
            .collect();
        for line in &mut recorded {
            line["returned"] = json!(returned
                .get(line["line"].as_str().unwrap_or(""))
                .copied()
                .unwrap_or(0));
        }
        let snap = snapshot(tx, &engine, &member, at)?;
        let mut wallet = snap["wallet"].clone();
        for lot in wallet.as_array_mut().into_iter().flatten() {
            if lot["id"]
                .as_str()
                .is_some_and(|id| id.starts_with(&format!("{order_id}:")))
            {
                lot["source"] = json!(order_id);
            }
        }
        let r = run(
            &engine,
            Operation::Return,
            &json!({ "member": { "wallet": wallet }, "order_id": order_id, "recorded": recorded, "lines": req["lines"] }),
            at,
        )?;
        let stamp = at.to_rfc3339();
        let reference = format!("return:{order_id}:{}", returned.values().sum::<i64>() + 1);
        spend_lots(tx, &member, &r["taken"], "returned", &reference, &stamp)?;
        let owed_total: i64 = r["points_owed"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, v)| v.as_i64())
            .sum();
        for l in r["lines"].as_array().into_iter().flatten() {
            tx.execute("INSERT INTO returns (order_id, line, quantity, points, owed, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", rusqlite::params![order_id, l["line"].as_str(), l["quantity"].as_i64(), l["points"].as_i64(), owed_total, stamp])?;
        }
        Ok((
            StatusCode::CREATED,
            json!({ "lines": r["lines"], "taken": r["taken"], "points_owed": r["points_owed"] }),
        ))
    })
}

#[derive(serde::Deserialize)]
pub struct AtQuery {
    at: Option<String>,
}

/// Expires every lot whose last day is before the given day; running it twice for a day
/// changes nothing the second time. Answers with the reminders due that day.
pub async fn expire(
    State(s): Shared,
    headers: HeaderMap,
    Query(q): Query<AtQuery>,
) -> Result<Response, ApiError> {
    auth::admin(&headers, &s.config.admin_key)?;
    let at = match q.at {
        Some(a) => Instant::parse(&a, "at").map_err(ApiError::bad)?,
        None => s.now(&headers)?,
    };
    Ok(ok(StatusCode::OK, &crate::expire_due(&s, at)?))
}

pub async fn ledger_check(State(s): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    auth::admin(&headers, &s.config.admin_key)?;
    let problems = s.db.read(db::check_invariants)?;
    Ok(ok(
        if problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::CONFLICT
        },
        &json!({ "ok": problems.is_empty(), "problems": problems }),
    ))
}

/// Publishes a new programme version after the core's change check.
pub async fn publish(
    State(s): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    auth::admin(&headers, &s.config.admin_key)?;
    let at = s.now(&headers)?;
    let req = body_json(body).await?;
    only(&req, &["program", "announced", "effective"])?;
    let engine = s.engine();
    let check = run(&engine, Operation::CheckChange, &req, at)?;
    if check["allowed"] != json!(true) {
        return Ok(ok(
            StatusCode::CONFLICT,
            &json!({ "errors": [check["reason"]], "check": check }),
        ));
    }
    let text = req["program"].to_string();
    let next = jifen::Engine::new(&text)?;
    s.db.write(|tx| {
        tx.execute("INSERT OR REPLACE INTO programs (version, fingerprint, body, effective) VALUES (?1, ?2, ?3, ?4)", rusqlite::params![next.program_ref.version, next.program_ref.fingerprint, text, req["effective"].as_str()])
            .map(|_| ())
            .map_err(|e| ApiError::internal(&e.to_string()))
    })?;
    // A version takes effect on its effective day, not before: activating it early would
    // shorten expiry inside the notice period. Later versions are picked up at start.
    let today = at.day_in(engine.loaded.offset).to_string();
    let active = req["effective"]
        .as_str()
        .is_some_and(|d| d <= today.as_str());
    if active {
        if let (Ok(mut e), Ok(mut p)) = (s.engine.write(), s.program_json.write()) {
            *e = Arc::new(next);
            *p = Arc::new(text);
        }
    }
    Ok(ok(
        if active {
            StatusCode::OK
        } else {
            StatusCode::ACCEPTED
        },
        &json!({ "published": true, "active": active, "check": check }),
    ))
}
