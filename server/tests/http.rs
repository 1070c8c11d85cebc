//! The authority over real HTTP on loopback: the seed article's scenario end to end, tampered
//! requests, concurrency, idempotency and bad input. Each test starts its own server on
//! 127.0.0.1 with a fresh store: an SQLite file, or with `JIFEN_TEST_DATABASE_URL` a fresh
//! PostgreSQL database (`make test` runs this file both ways).

use jifen_server::{auth, db, AppState, Config};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PROGRAM: &str = include_str!("../../examples/hongmi-home.program.json");
const SECRET: &str = "test-secret";
const ADMIN: &str = "test-admin";

struct Server {
    addr: String,
    state: Arc<AppState>,
    _store: db::scratch::Scratch,
}

async fn start() -> Server {
    let store = db::scratch::Scratch::new("http").unwrap();
    let (addr, state) = serve_on(&store.target).await;
    Server {
        addr,
        state,
        _store: store,
    }
}

/// A server on the store at `target` (several may share one).
async fn serve_on(target: &str) -> (String, Arc<AppState>) {
    let db = db::Db::open(target).unwrap();
    let expected = match std::env::var(db::scratch::ENV) {
        Ok(url) if !url.is_empty() => "postgres",
        _ => "sqlite",
    };
    assert_eq!(
        db.kind(),
        expected,
        "the suite runs on the store it was asked for"
    );
    let config = Config {
        secret: SECRET.into(),
        admin_key: ADMIN.into(),
        allow_clock_override: true,
        static_root: None,
    };
    let state = Arc::new(AppState::new(PROGRAM, db, config).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let app = jifen_server::router(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, state)
}

fn token(member: &str) -> String {
    auth::member_token(SECRET, member, 4_000_000_000)
}

/// One HTTP/1.1 request; returns status and parsed JSON body (Null when empty).
async fn call(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &str,
) -> (u16, Value) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let status: u16 = text[9..12].parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

async fn as_member(
    addr: &str,
    member: &str,
    method: &str,
    path: &str,
    at: &str,
    key: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut h = vec![
        ("authorization", format!("Bearer {}", token(member))),
        ("x-jifen-at", at.to_string()),
    ];
    if let Some(k) = key {
        h.push(("idempotency-key", k.to_string()));
    }
    call(addr, method, path, &h, &body.to_string()).await
}

fn add_member(s: &Server, id: &str, household: Option<&str>, lots: &[(&str, i64, &str)]) {
    s.state
        .db
        .write(|tx| {
            db::add_member(tx, id, household)?;
            for (i, (kind, points, earned)) in lots.iter().enumerate() {
                let expires = jifen::expiry::expiry_day(
                    &s.state.engine.read().unwrap().loaded,
                    jifen::calendar::parse_day(earned, "").unwrap(),
                    "",
                )
                .unwrap()
                .map(|d| d.to_string());
                db::append(
                    tx,
                    &db::Entry {
                        member: id,
                        lot: &format!("{id}-seed-{i}"),
                        kind,
                        delta: *points,
                        earned,
                        available: earned,
                        expires: expires.as_deref(),
                        reason: "opening_balance",
                        reference: "test",
                        at: "2026-01-01T00:00:00+08:00",
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
}

async fn ledger_ok(s: &Server) {
    let (status, body) = call(
        &s.addr,
        "GET",
        "/api/admin/ledger",
        &[("authorization", format!("Bearer {ADMIN}"))],
        "",
    )
    .await;
    assert_eq!((status, &body["ok"]), (200, &json!(true)), "{body}");
}

#[tokio::test]
async fn the_seed_scenario_earn_pending_available_redeem_in_spring_expire_and_remind() {
    let s = start().await;
    add_member(&s, "mei", None, &[]);
    // Earn: ¥800 of bedding and ¥1,900 of curtains on 2024-03-02, then ¥400 more.
    let at = "2024-03-02T10:00:00+08:00";
    let (st, o) = as_member(&s.addr, "mei", "POST", "/api/orders", at, Some("o1"), json!({ "lines": [{ "id": "a", "category": "bedding", "unit_price": "800", "quantity": 1 }, { "id": "b", "category": "curtains", "unit_price": "1900", "quantity": 1 }] })).await;
    assert_eq!(st, 201, "{o}");
    assert_eq!(o["quote"]["total_points"], 2700);
    // Pending for 7 days: nothing usable yet.
    let (_, me) = as_member(
        &s.addr,
        "mei",
        "GET",
        "/api/me",
        "2024-03-05T10:00:00+08:00",
        None,
        json!({}),
    )
    .await;
    assert_eq!(me["member"]["wallet"][0]["available"], "2024-03-09");
    let (st, e) = as_member(
        &s.addr,
        "mei",
        "POST",
        "/api/redemptions",
        "2024-03-05T10:00:00+08:00",
        Some("r0"),
        json!({ "reward_id": "curtain-cleaning" }),
    )
    .await;
    assert_eq!(
        (st, e["errors"][0]["code"].as_str()),
        (422, Some("insufficient_points"))
    );
    // Spring refresh 2026: the bedding set costs 2,500 and the points (expiring 2026-03-31) are usable.
    let (st, r) = as_member(
        &s.addr,
        "mei",
        "POST",
        "/api/redemptions",
        "2026-03-10T10:00:00+08:00",
        Some("r1"),
        json!({ "reward_id": "bedding-set" }),
    )
    .await;
    assert_eq!(st, 201, "{r}");
    assert_eq!(r["result"]["points_spent"], 2500);
    // Reminder 30 days before expiry of the remaining 200 points, and expiry after 31 March.
    let (st, x) = call(
        &s.addr,
        "POST",
        "/api/admin/expire?at=2026-03-01T09:00:00%2B08:00",
        &[("authorization", format!("Bearer {ADMIN}"))],
        "",
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(x["reminders"][0]["days_before"], 30);
    let (_, x) = call(
        &s.addr,
        "POST",
        "/api/admin/expire?at=2026-04-01T00:00:00%2B08:00",
        &[("authorization", format!("Bearer {ADMIN}"))],
        "",
    )
    .await;
    assert_eq!(x["expired_points"], 200);
    let (_, again) = call(
        &s.addr,
        "POST",
        "/api/admin/expire?at=2026-04-01T00:00:00%2B08:00",
        &[("authorization", format!("Bearer {ADMIN}"))],
        "",
    )
    .await;
    assert_eq!(again["expired_points"], 0, "expiry is idempotent per day");
    ledger_ok(&s).await;
}

#[tokio::test]
async fn tampered_requests_are_refused() {
    let s = start().await;
    add_member(&s, "a", Some("h1"), &[("green", 1000, "2026-01-05")]);
    add_member(&s, "b", Some("h2"), &[]);
    let at = "2026-03-10T10:00:00+08:00";
    // A client claiming its own points or wallet.
    let (st, e) = as_member(&s.addr, "a", "POST", "/api/orders", at, Some("x1"), json!({ "lines": [{ "category": "bedding", "unit_price": "1", "quantity": 1 }], "total_points": 99999 })).await;
    assert_eq!(
        (st, e["errors"][0]["code"].as_str()),
        (422, Some("unknown_field"))
    );
    let (st, _) = as_member(&s.addr, "a", "POST", "/api/quote", at, None, json!({ "lines": [{ "category": "bedding", "unit_price": "1", "quantity": 1 }], "member": { "wallet": [{ "kind": "standard", "points": 99999, "earned": "2026-01-01" }] } })).await;
    assert_eq!(st, 422);
    // Another household's member.
    let (st, _) = as_member(
        &s.addr,
        "a",
        "POST",
        "/api/transfers",
        at,
        Some("t1"),
        json!({ "to": "b", "points": 200 }),
    )
    .await;
    assert_eq!(st, 403);
    // A forged token.
    let forged = token("a").replacen("a.", "b.", 1);
    let (st, e) = call(
        &s.addr,
        "GET",
        "/api/me",
        &[("authorization", format!("Bearer {forged}"))],
        "",
    )
    .await;
    assert_eq!(
        (st, e["errors"][0]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    let (st, _) = call(
        &s.addr,
        "POST",
        "/api/admin/expire",
        &[("authorization", format!("Bearer {}", token("a")))],
        "",
    )
    .await;
    assert_eq!(st, 401);
    ledger_ok(&s).await;
}

#[tokio::test]
async fn gifts_this_month_show_in_me_and_count_against_the_monthly_limit_until_the_month_turns() {
    let s = start().await;
    add_member(&s, "a", Some("h1"), &[("green", 9000, "2026-03-01")]);
    add_member(&s, "b", Some("h1"), &[]);
    let sent = |me: &Value| me["household"]["sent_this_month"].clone();
    let march = "2026-03-10T10:00:00+08:00";
    let (_, me) = as_member(&s.addr, "a", "GET", "/api/me", march, None, json!({})).await;
    assert_eq!(sent(&me), json!(0), "{me}");
    let gift = |points: i64, at: &'static str, key: &'static str| {
        let addr = s.addr.clone();
        async move {
            as_member(
                &addr,
                "a",
                "POST",
                "/api/transfers",
                at,
                Some(key),
                json!({ "to": "b", "points": points }),
            )
            .await
        }
    };
    let (st, t) = gift(3000, march, "g1").await;
    assert_eq!((st, &t["remaining_this_month"]), (201, &json!(2000)), "{t}");
    let (_, me) = as_member(&s.addr, "a", "GET", "/api/me", march, None, json!({})).await;
    assert_eq!(sent(&me), json!(3000), "{me}");
    let (st, e) = gift(2500, march, "g2").await;
    assert_eq!(
        (st, e["errors"][0]["code"].as_str()),
        (422, Some("monthly_limit_exceeded"))
    );
    // 31 March 16:30 UTC is already 1 April in the programme's +08:00: a new month.
    let april = "2026-03-31T16:30:00Z";
    let (_, me) = as_member(&s.addr, "a", "GET", "/api/me", april, None, json!({})).await;
    assert_eq!(sent(&me), json!(0), "{me}");
    let (st, t) = gift(2500, april, "g3").await;
    assert_eq!((st, &t["remaining_this_month"]), (201, &json!(2500)), "{t}");
    // A member with no household has none to report.
    add_member(&s, "c", None, &[]);
    let (_, me) = as_member(&s.addr, "c", "GET", "/api/me", april, None, json!({})).await;
    assert_eq!(me["household"], Value::Null);
    ledger_ok(&s).await;
}

/// Sends `n` donation redemptions for member `c` at once, spread over `servers`; returns how
/// many succeeded (every other one must be refused for want of points).
async fn redeem_at_once(servers: &[String], n: usize) -> usize {
    let at = "2026-07-10T10:00:00+08:00";
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let addr = servers[i % servers.len()].clone();
            tokio::spawn(async move {
                let body = json!({ "reward_id": "eco-donation" });
                as_member(
                    &addr,
                    "c",
                    "POST",
                    "/api/redemptions",
                    at,
                    Some(&format!("k{i}")),
                    body,
                )
                .await
            })
        })
        .collect();
    let mut ok = 0;
    for h in handles {
        let (st, body) = h.await.unwrap();
        match st {
            201 => ok += 1,
            422 => assert_eq!(body["errors"][0]["code"], "insufficient_points"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    ok
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_redemptions_against_a_wallet_for_ten_let_exactly_ten_through() {
    let s = start().await;
    // 5,000 green points; the environmental donation costs 500: ten of them, no more.
    add_member(&s, "c", None, &[("green", 5000, "2026-01-05")]);
    assert_eq!(redeem_at_once(std::slice::from_ref(&s.addr), 50).await, 10);
    let at = "2026-07-10T10:00:00+08:00";
    let (_, me) = as_member(&s.addr, "c", "GET", "/api/me", at, None, json!({})).await;
    assert_eq!(me["member"]["wallet"], json!([]));
    ledger_ok(&s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_servers_on_one_store_never_spend_the_same_points_twice() {
    let s = start().await;
    let mut servers = vec![s.addr.clone()];
    for _ in 0..3 {
        servers.push(serve_on(&s._store.target).await.0);
    }
    add_member(&s, "c", None, &[("green", 5000, "2026-01-05")]);
    assert_eq!(
        redeem_at_once(&servers, 80).await,
        10,
        "5,000 points buy ten 500-point donations, across four servers"
    );
    ledger_ok(&s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_idempotency_key_twenty_times_at_once_applies_once() {
    let s = start().await;
    add_member(&s, "d", None, &[("standard", 9000, "2026-01-05")]);
    let at = "2026-07-10T10:00:00+08:00";
    let mut handles = Vec::new();
    for _ in 0..20 {
        let addr = s.addr.clone();
        handles.push(tokio::spawn(async move {
            as_member(
                &addr,
                "d",
                "POST",
                "/api/redemptions",
                at,
                Some("same-key"),
                json!({ "reward_id": "bedding-set" }),
            )
            .await
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for h in handles {
        let (st, body) = h.await.unwrap();
        assert_eq!(st, 201, "{body}");
        ids.insert(body["redemption_id"].to_string());
    }
    assert_eq!(ids.len(), 1);
    let (_, me) = as_member(&s.addr, "d", "GET", "/api/me", at, None, json!({})).await;
    let total: i64 = me["member"]["wallet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["points"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 6000);
    ledger_ok(&s).await;
}

#[tokio::test]
async fn bad_requests_get_a_4xx_with_typed_errors_never_a_500() {
    let s = start().await;
    add_member(&s, "e", None, &[]);
    let at = "2026-07-10T10:00:00+08:00";
    let auth = vec![
        ("authorization", format!("Bearer {}", token("e"))),
        ("x-jifen-at", at.to_string()),
        ("idempotency-key", "bad".to_string()),
    ];
    let huge = format!(
        r#"{{"lines":[{{"category":"{}","unit_price":"1","quantity":1}}]}}"#,
        "x".repeat(300_000)
    );
    let cases = [
        ("/api/quote", "{not json".to_string(), 400),
        ("/api/quote", "[1,2]".to_string(), 400),
        ("/api/quote", huge, 413),
        (
            "/api/quote",
            r#"{"lines":[],"coupon":"FREE"}"#.to_string(),
            422,
        ),
        (
            "/api/quote",
            r#"{"lines":[{"category":"bedding","unit_price":"1","quantity":"two"}]}"#.to_string(),
            422,
        ),
        (
            "/api/orders",
            r#"{"lines":[{"category":"bedding","unit_price":1e30,"quantity":1}]}"#.to_string(),
            422,
        ),
        (
            "/api/redemptions",
            r#"{"reward_id":"yacht"}"#.to_string(),
            422,
        ),
        (
            "/api/returns",
            r#"{"order_id":"nope","lines":[]}"#.to_string(),
            404,
        ),
    ];
    for (path, body, want) in cases {
        let (st, v) = call(&s.addr, "POST", path, &auth, &body).await;
        assert_eq!(st, want, "{path} {}: {v}", &body[..body.len().min(60)]);
        assert!(v["errors"][0]["code"].is_string(), "{path}: {v}");
    }
}
