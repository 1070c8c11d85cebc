//! Criterion benchmarks of the core with the programme parsed once.
//! `make bench` (or `cargo bench --bench core`); figures go in the README.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use jifen::calendar::Instant;
use jifen::{Engine, Operation};
use serde_json::{json, Value};

const HONGMI: &str = include_str!("../examples/hongmi-home.program.json");
const AT: &str = "2026-06-05T12:00:00+08:00";
const CATS: &[&str] = &[
    "bedding",
    "curtains",
    "energy-saving",
    "pillows",
    "gift-card",
];

fn cart(n: usize) -> Value {
    let lines: Vec<Value> = (0..n)
        .map(|i| json!({ "category": CATS[i % CATS.len()], "unit_price": format!("{}.{:02}", 10 + i * 7, i % 100), "quantity": 1 + i % 3 }))
        .collect();
    json!({ "member": { "tier": "silver", "tier_stats": { "spend": "3500", "orders": 5 } }, "lines": lines, "order_discount": "5.00" })
}

fn quote(c: &mut Criterion) {
    let engine = Engine::new(HONGMI).unwrap();
    let at = Instant::parse(AT, "").unwrap();
    let mut g = c.benchmark_group("quote");
    for n in [1usize, 20, 200] {
        let req: jifen::earning::QuoteRequest = serde_json::from_value(cart(n)).unwrap();
        g.bench_with_input(BenchmarkId::new("typed", n), &req, |b, req| {
            b.iter(|| engine.quote(black_box(req), at).unwrap())
        });
    }
    let json20 = cart(20).to_string();
    g.bench_function("json_in_json_out/20", |b| {
        b.iter(|| {
            engine
                .run(Operation::Quote, black_box(&json20), AT)
                .unwrap()
        })
    });
    g.finish();
}

fn rewards(c: &mut Criterion) {
    let mut program: Value = serde_json::from_str(HONGMI).unwrap();
    let rewards: Vec<Value> = (0..50)
        .map(|i| json!({ "id": format!("r{i}"), "name": { "zh-CN": format!("礼品{i}"), "en": format!("Gift {i}") }, "type": "goods", "cost": 500 + i * 100, "value": format!("{}.00", 40 + i * 9), "kinds": if i % 5 == 0 { json!(["green"]) } else { json!(["standard", "green"]) } }))
        .collect();
    program["rewards"] = Value::Array(rewards);
    program["campaigns"][0]["reward_costs"] = json!({ "r3": 600 });
    let engine = Engine::new(&program.to_string()).unwrap();
    let at = Instant::parse("2026-03-10T12:00:00+08:00", "").unwrap();
    let wallet: Vec<Value> = (0..20).map(|i| json!({ "kind": if i % 4 == 0 { "green" } else { "standard" }, "points": 150 + i * 10, "earned": format!("2025-{:02}-10", 1 + i % 12) })).collect();
    let req: jifen::rewards::RewardsRequest =
        serde_json::from_value(json!({ "member": { "tier": "gold", "wallet": wallet } })).unwrap();
    c.bench_function("rewards/50_catalogue", |b| {
        b.iter(|| jifen::rewards::options(&engine.loaded, black_box(&req), at).unwrap())
    });
}

fn transfer(c: &mut Criterion) {
    let engine = Engine::new(HONGMI).unwrap();
    let at = Instant::parse(AT, "").unwrap();
    let lots: Vec<Value> = (0..100).map(|i| json!({ "kind": "green", "points": 40 + i, "earned": format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28) })).collect();
    let req: jifen::household::TransferRequest = serde_json::from_value(json!({ "household": ["a", "b"], "from": { "id": "a", "wallet": lots }, "to": { "id": "b", "wallet": [] }, "points": 3000 })).unwrap();
    c.bench_function("transfer/100_lots", |b| {
        b.iter(|| jifen::household::transfer(&engine.loaded, black_box(&req), at).unwrap())
    });
}

criterion_group!(benches, quote, rewards, transfer);
criterion_main!(benches);
