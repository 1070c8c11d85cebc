//! Shared helpers for the integration tests: the reference programme and a JSON runner.
#![allow(dead_code)]

use jifen::{Engine, Operation};
use serde_json::Value;

pub const HONGMI: &str = include_str!("../../examples/hongmi-home.program.json");

pub fn engine() -> Engine {
    Engine::new(HONGMI).expect("the reference programme loads as it is")
}

/// The reference programme with a change applied to its JSON.
pub fn engine_with(edit: impl FnOnce(&mut Value)) -> Engine {
    let mut v: Value = serde_json::from_str(HONGMI).unwrap();
    edit(&mut v);
    Engine::new(&v.to_string()).expect("edited programme is valid")
}

pub fn run(e: &Engine, op: &str, req: Value, at: &str) -> Value {
    let op = Operation::parse(op).expect("known operation");
    let out = e
        .run(op, &req.to_string(), at)
        .unwrap_or_else(|err| panic!("{op:?} failed: {err:?}"));
    serde_json::from_str(&out).unwrap()
}

pub fn run_err(e: &Engine, op: &str, req: Value, at: &str) -> Vec<jifen::Error> {
    let op = Operation::parse(op).expect("known operation");
    e.run(op, &req.to_string(), at)
        .expect_err("expected an error")
}

pub fn codes(errs: &[jifen::Error]) -> Vec<&str> {
    errs.iter().map(|e| e.code.as_str()).collect()
}

/// An instant inside the spring refresh (bedding set at 2,500 points).
pub const SPRING: &str = "2026-03-10T12:00:00+08:00";
/// An instant when no campaign runs.
pub const PLAIN: &str = "2026-07-10T12:00:00+08:00";

/// A cart for a plain member.
pub fn cart(lines: Value) -> Value {
    serde_json::json!({ "member": { "tier": "member" }, "lines": lines })
}
