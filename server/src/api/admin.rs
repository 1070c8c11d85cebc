//! The merchant's endpoints (admin API key): the expiry job, the ledger check, publishing a
//! programme version.

use super::{body_json, ok, only, run, Shared};
use crate::auth;
use crate::db;
use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jifen::calendar::Instant;
use jifen::Operation;
use serde_json::json;
use std::sync::Arc;

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
        db::publish_program(
            tx,
            &next.program_ref.version,
            &next.program_ref.fingerprint,
            &text,
            req["effective"].as_str().unwrap_or(""),
        )
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
