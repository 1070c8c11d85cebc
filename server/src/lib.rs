//! `jifen serve`: the authority. The browser only previews; this server recomputes every
//! figure with the same core, keeps the append-only ledger (SQLite, created on first start),
//! and applies redemptions, orders, returns, transfers and expiry atomically and at most once.

pub mod api;
pub mod auth;
pub mod db;
pub mod demo;
pub mod error;

use axum::routing::{get, post};
use axum::Router;
use db::Db;
use error::ApiError;
use jifen::calendar::Instant;
use jifen::wallet::Spend;
use jifen::Operation;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tower_http::services::ServeDir;

/// What the server is configured with.
#[derive(Clone, Debug)]
pub struct Config {
    /// HMAC secret shared with the merchant's backend, which mints member tokens.
    pub secret: String,
    /// Bearer key of the admin endpoints.
    pub admin_key: String,
    /// Honour `X-Jifen-At` (demo and tests only): replaying the programme's dated campaigns.
    pub allow_clock_override: bool,
    /// Folder of the storefront (`www/`) and of the wasm package (`pkg/`), when present.
    pub static_root: Option<PathBuf>,
}

pub struct AppState {
    pub engine: RwLock<Arc<jifen::Engine>>,
    pub program_json: RwLock<Arc<String>>,
    pub db: Db,
    pub config: Config,
}

impl AppState {
    /// Opens the database and loads the newest programme version in effect (a published
    /// version stored in the database wins over the file once its effective day has come).
    pub fn new(program_json: &str, db: Db, config: Config) -> Result<AppState, String> {
        let mut text = program_json.to_string();
        let engine = jifen::Engine::new(&text).map_err(|e| {
            format!(
                "invalid programme: {}",
                serde_json::to_string(&e).unwrap_or_default()
            )
        })?;
        let today = Instant(chrono::Utc::now().fixed_offset())
            .day_in(engine.loaded.offset)
            .to_string();
        let stored: Option<String> = db
            .read(|c| db::program_in_effect(c, &today))
            .map_err(|e| format!("{:?}", e.errors))?;
        let engine = match stored.and_then(|s| jifen::Engine::new(&s).ok().map(|e| (s, e))) {
            Some((s, e)) => {
                text = s;
                e
            }
            None => engine,
        };
        Ok(AppState {
            engine: RwLock::new(Arc::new(engine)),
            program_json: RwLock::new(Arc::new(text)),
            db,
            config,
        })
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    let mut app = Router::new()
        .route("/api/program", get(api::program))
        .route("/api/me", get(api::me))
        .route("/api/quote", post(api::quote))
        .route("/api/orders", post(api::orders))
        .route("/api/redemptions", post(api::redemptions))
        .route("/api/transfers", post(api::transfers))
        .route("/api/returns", post(api::returns))
        .route("/api/admin/expire", post(api::expire))
        .route("/api/admin/ledger", get(api::ledger_check))
        .route("/api/admin/program", post(api::publish));
    if state.config.allow_clock_override {
        app = app.route("/api/demo", get(demo::tokens));
    }
    if let Some(root) = &state.config.static_root {
        if root.join("pkg").is_dir() {
            app = app.nest_service("/pkg", ServeDir::new(root.join("pkg")));
        }
        if root.join("examples").is_dir() {
            app = app.nest_service("/examples", ServeDir::new(root.join("examples")));
        }
        if root.join("www").is_dir() {
            app = app.fallback_service(ServeDir::new(root.join("www")));
        }
    }
    app.with_state(state)
}

/// Expires every lot whose last day is before the day of `at`, and lists reminders due.
pub fn expire_due(s: &AppState, at: Instant) -> Result<Value, ApiError> {
    let engine = s
        .engine
        .read()
        .map(|e| e.clone())
        .map_err(|_| ApiError::internal("engine lock"))?;
    let day = at.day_in(engine.loaded.offset);
    let stamp = api::stamp(&engine, at);
    let reference = format!("expire:{day}");
    let (expired, reminders) = s.db.write(|tx| {
        let members = db::member_ids(tx)?;
        let mut expired = 0i64;
        let mut reminders = Vec::new();
        for m in members {
            let lots = db::lots(tx, &m)?;
            let schedule: Value = serde_json::from_str(&engine.run(Operation::Expiry, &json!({ "wallet": lots }).to_string(), &stamp)?).map_err(|e| ApiError::internal(&e.to_string()))?;
            for lot in lots.iter().filter(|l| l.lapsed_by(day)) {
                let (earned, available, expires) = (lot.earned.to_string(), lot.available_day().to_string(), lot.expires.map(|d| d.to_string()));
                db::append(tx, &db::Entry { member: &m, lot: lot.id.as_deref().unwrap_or(""), kind: &lot.kind, delta: -lot.points, earned: &earned, available: &available, expires: expires.as_deref(), reason: "expired", reference: &reference, at: &stamp })?;
                expired += lot.points;
            }
            for r in schedule["reminders_due"].as_array().into_iter().flatten() {
                reminders.push(json!({ "member_id": m, "expires": r["expires"], "points": r["points"], "days_before": r["days_before"] }));
            }
        }
        Ok((expired, reminders))
    })?;
    Ok(json!({ "day": day.to_string(), "expired_points": expired, "reminders": reminders }))
}

/// Binds and serves until the process is stopped.
pub async fn serve(state: Arc<AppState>, addr: &str) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    axum::serve(listener, router(state))
        .await
        .map_err(|e| e.to_string())
}
