//! The HTTP API. Each handler reads the member's state from the ledger, asks the core (the
//! same `Engine` the browser runs), and writes what the core decided as ledger entries —
//! inside one transaction, with an idempotency key where a retry could apply twice. No domain
//! rule lives here: points, costs, expiry days and who may transfer what come from the core.
//! `ledger` holds the writes (orders, redemptions, transfers, returns); `admin` the
//! merchant's endpoints.

mod admin;
mod ledger;

pub use admin::{expire, ledger_check, publish};
pub use ledger::{orders, redemptions, returns, transfers};

use crate::auth;
use crate::db;
use crate::db::Sql;
use crate::error::ApiError;
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jifen::calendar::Instant;
use jifen::Operation;
use rust_decimal::Decimal;
use serde_json::{json, Value};
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
                format!(
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

/// The time written on ledger entries: in the programme's offset, so the first ten
/// characters are the programme's calendar day (per-month limits count on it).
pub(crate) fn stamp(engine: &jifen::Engine, at: Instant) -> String {
    Instant(at.0.with_timezone(&engine.loaded.offset)).to_rfc3339()
}

fn run(engine: &jifen::Engine, op: Operation, req: &Value, at: Instant) -> Result<Value, ApiError> {
    let out = engine.run(op, &req.to_string(), &at.to_rfc3339())?;
    serde_json::from_str(&out).map_err(|e| ApiError::internal(&e.to_string()))
}

/// What the core needs to know about a member, from the ledger: tier stats over the window
/// and the wallet.
fn snapshot(
    c: &mut dyn Sql,
    engine: &jifen::Engine,
    member: &str,
    at: Instant,
) -> Result<Value, ApiError> {
    let p = &engine.loaded;
    let day = at.day_in(p.offset);
    let from = jifen::tiers::window_start(p, day)?;
    let spends = db::window(c, member, &from.to_string(), &day.to_string())?;
    let orders = spends.len();
    let spend: Decimal = spends
        .iter()
        .filter_map(|s| s.parse::<Decimal>().ok())
        .sum();
    let lots = db::lots(c, member)?;
    Ok(
        json!({ "id": member, "tier_stats": { "spend": spend.to_string(), "orders": orders }, "wallet": lots }),
    )
}

/// Points the member gave to their household this calendar month, in the programme's offset:
/// what the core's `transfer` weighs against `max_transfer_per_month`, and what the widget
/// shows before a gift.
fn sent_this_month(
    c: &mut dyn Sql,
    engine: &jifen::Engine,
    member: &str,
    at: Instant,
) -> Result<i64, ApiError> {
    let (year, month) = jifen::calendar::month_key(at.day_in(engine.loaded.offset));
    db::sent_since(c, member, &format!("{year:04}-{month:02}-01"))
}

fn ensure_member(c: &mut dyn Sql, member: &str) -> Result<(), ApiError> {
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
    f: impl FnOnce(&mut dyn Sql) -> Result<(StatusCode, Value), ApiError> + Send,
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
            Some(h) => json!({
                "id": h,
                "members": db::household_members(c, &h)?,
                "sent_this_month": sent_this_month(c, &engine, &member, at)?,
            }),
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
