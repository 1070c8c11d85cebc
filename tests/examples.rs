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

/// The demo shop runs `examples/demo.program.json`: the reference programme as it is, plus
/// display names for the ids its rules mention. Nothing else may differ, and every name must
/// be one the rules use (the lint flags a misspelt id).
#[test]
fn the_demo_programme_is_the_reference_programme_plus_display_names() {
    let demo_text = include_str!("../examples/demo.program.json");
    let mut demo: serde_json::Value = serde_json::from_str(demo_text).unwrap();
    let names = demo.as_object_mut().unwrap().remove("display_names");
    assert!(names.is_some_and(|n| n.as_object().is_some_and(|n| !n.is_empty())));
    let reference: serde_json::Value = serde_json::from_str(HONGMI).unwrap();
    assert_eq!(demo, reference);
    let loaded = jifen::Engine::new(demo_text).unwrap().loaded;
    assert_eq!(jifen::lint::lint(&loaded), []);
}
