//! Load benchmark of the authority on loopback: authoritative quotes per second with p50/p99
//! latency, then orders per second, on SQLite (or PostgreSQL with JIFEN_TEST_DATABASE_URL). Bounded in time; talks to 127.0.0.1 only.
//! `make bench-server` (release build).

use jifen_server::{auth, db, AppState, Config};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PROGRAM: &str = include_str!("../../examples/hongmi-home.program.json");
const CLIENTS: usize = 32;
const SECONDS: u64 = 5;

/// Sends one request on a kept-alive connection and reads one response (by Content-Length).
async fn request(s: &mut TcpStream, buf: &mut Vec<u8>, raw: &[u8]) -> u16 {
    s.write_all(raw).await.expect("write");
    buf.clear();
    loop {
        let mut chunk = [0u8; 8192];
        let n = s.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return head[9..12].parse().unwrap_or(0);
            }
        }
    }
}

async fn run(
    addr: &str,
    path: &str,
    body: String,
    member: &str,
    keyed: bool,
) -> (usize, Vec<Duration>) {
    let token = auth::member_token("bench", member, 4_000_000_000);
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (addr, path, body, token) = (
            addr.to_string(),
            path.to_string(),
            body.clone(),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(&addr).await.expect("connect");
            s.set_nodelay(true).ok();
            let mut buf = Vec::new();
            let mut lat = Vec::new();
            let mut i = 0;
            while Instant::now() < deadline {
                i += 1;
                let key = if keyed { format!("idempotency-key: c{c}-{i}\r\n") } else { String::new() };
                let raw = format!("POST {path} HTTP/1.1\r\nhost: b\r\ncontent-type: application/json\r\nauthorization: Bearer {token}\r\nx-jifen-at: 2026-03-10T12:00:00+08:00\r\n{key}content-length: {}\r\n\r\n{body}", body.len());
                let t = Instant::now();
                let status = request(&mut s, &mut buf, raw.as_bytes()).await;
                assert!(status == 200 || status == 201, "status {status}");
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("client"));
    }
    all.sort();
    (all.len(), all)
}

fn pct(l: &[Duration], p: f64) -> f64 {
    l[((l.len() as f64 * p) as usize).min(l.len() - 1)].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    // SQLite by default; JIFEN_TEST_DATABASE_URL=postgres://… measures PostgreSQL.
    let store = db::scratch::Scratch::new("load").unwrap();
    let db = db::Db::open(&store.target).unwrap();
    let kind = db.kind();
    println!("store: {kind}");
    let state = Arc::new(
        AppState::new(
            PROGRAM,
            db,
            Config {
                secret: "bench".into(),
                admin_key: "bench-admin".into(),
                allow_clock_override: true,
                static_root: None,
            },
        )
        .unwrap(),
    );
    jifen_server::demo::seed(&state).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        axum::serve(listener, jifen_server::router(state))
            .await
            .unwrap()
    });

    let cart = r#"{"lines":[{"category":"bedding","unit_price":"399.00","quantity":2},{"category":"curtains","unit_price":"259.00","quantity":1},{"category":"energy-saving","unit_price":"1299.00","quantity":1},{"category":"pillows","unit_price":"129.00","quantity":2},{"category":"gift-card","unit_price":"200.00","quantity":1}]}"#;
    let (n, lat) = run(&addr, "/api/quote", cart.to_string(), "demo-gold", false).await;
    println!("quotes: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms ({CLIENTS} connections, {SECONDS} s, 5-line cart)", n as f64 / SECONDS as f64, pct(&lat, 0.5), pct(&lat, 0.99));
    let (n, lat) = run(&addr, "/api/orders", cart.to_string(), "demo-silver", true).await;
    println!(
        "orders: {:.0}/s, p50 {:.2} ms, p99 {:.2} ms ({})",
        n as f64 / SECONDS as f64,
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        match kind {
            "sqlite" => "SQLite, synchronous=FULL",
            _ => "PostgreSQL 15, one writer at a time",
        }
    );
}
