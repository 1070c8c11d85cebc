//! Crash safety: the real `jifen serve --demo` binary is killed with SIGKILL in the middle of a run
//! of orders; after a restart on the same database every acknowledged order is there (its
//! idempotency key replays the same answer), and the ledger invariants hold — no partial
//! order, no lot below zero.

use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_jifen");

fn spawn(db: &str, port: u16) -> Child {
    Command::new(BIN)
        .args([
            "serve",
            "--demo",
            "--db",
            db,
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env_remove("JIFEN_SECRET")
        .env_remove("JIFEN_ADMIN_KEY")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("server starts")
}

async fn call(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &str,
) -> Option<(u16, Value)> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nhost: t\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.ok()?;
    s.write_all(body.as_bytes()).await.ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.ok()?;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status: u16 = text.get(9..12)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    Some((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

async fn wait_up(addr: &str) {
    let start = Instant::now();
    while call(addr, "GET", "/api/program", &[], "").await.is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn member_headers(key: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "authorization",
            format!(
                "Bearer {}",
                jifen_server::auth::member_token("demo-secret", "demo-member", 4_000_000_000)
            ),
        ),
        ("x-jifen-at", "2026-03-10T12:00:00+08:00".into()),
        ("idempotency-key", key.to_string()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_load_loses_no_acknowledged_order_and_leaves_no_partial_one() {
    // An SQLite file, or a fresh PostgreSQL database with JIFEN_TEST_DATABASE_URL.
    let store = jifen_server::db::scratch::Scratch::new("crash").unwrap();
    let db = store.target.clone();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let mut server = spawn(&db, port);
    wait_up(&addr).await;

    // Eight clients place orders as fast as they can; the server is killed after 1.5 s.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, String)>::new()));
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut clients = Vec::new();
    for c in 0..8 {
        let (addr, acked) = (addr.clone(), acked.clone());
        clients.push(tokio::spawn(async move {
            let mut i = 0;
            while Instant::now() < deadline {
                let key = format!("c{c}-{i}");
                i += 1;
                let body = json!({ "lines": [{ "category": "bedding", "unit_price": format!("{}.00", 100 + i), "quantity": 1 }] }).to_string();
                match call(&addr, "POST", "/api/orders", &member_headers(&key), &body).await {
                    Some((201, v)) => acked.lock().unwrap().push((key, v["order_id"].as_str().unwrap_or("").to_string())),
                    Some(_) => {}
                    None => break,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().expect("SIGKILL");
    let _ = server.wait();
    for c in clients {
        let _ = c.await;
    }
    let acked = acked.lock().unwrap().clone();
    eprintln!("{} orders acknowledged before SIGKILL", acked.len());
    assert!(
        acked.len() > 10,
        "the load ran ({} orders acknowledged)",
        acked.len()
    );

    let mut server = spawn(&db, port);
    wait_up(&addr).await;
    for (key, order_id) in &acked {
        let (status, v) = call(
            &addr,
            "POST",
            "/api/orders",
            &member_headers(key),
            "{\"lines\":[]}",
        )
        .await
        .expect("server answers");
        assert_eq!(
            (status, v["order_id"].as_str().unwrap_or("")),
            (201, order_id.as_str()),
            "acknowledged order {order_id} ({key}) is kept"
        );
    }
    let (status, check) = call(
        &addr,
        "GET",
        "/api/admin/ledger",
        &[("authorization", "Bearer demo-admin-key".into())],
        "",
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{check}");
    server.kill().ok();
    let _ = server.wait();
}
