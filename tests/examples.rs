//! Every example request under `examples/requests/` runs through the engine as the README
//! shows it, so the documented shapes cannot drift from what the engine accepts.

mod common;
use common::*;

#[test]
fn every_documented_example_request_runs() {
    let e = engine();
    for (name, op) in jifen::Operation::ALL {
        let path = format!(
            "{}/examples/requests/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let req = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path} is missing"));
        let out = e.run(*op, &req, "2026-03-10T12:00:00+08:00");
        assert!(out.is_ok(), "{name}: {:?}", out.err());
    }
}
