//! The same binding tests, run in headless Chromium.
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "node.rs"]
mod node;
