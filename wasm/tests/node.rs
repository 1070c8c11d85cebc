//! The bindings under wasm-bindgen-test, in Node (and in headless Chromium through
//! `tests/browser.rs`): operations answer, errors are typed, the module survives bad input.

use jifen_wasm::Engine;
use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

const PROGRAM: &str = include_str!("../../examples/hongmi-home.program.json");
const AT: &str = "2026-03-10T12:00:00+08:00";

fn engine() -> Engine {
    Engine::new(JsValue::from_str(PROGRAM)).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn js(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

#[wasm_bindgen_test]
fn a_quote_from_a_plain_object_earns_points() {
    let q = engine()
        .quote(
            js(r#"{"lines":[{"category":"bedding","unit_price":"399","quantity":2}]}"#),
            AT.into(),
        )
        .unwrap();
    assert_eq!(get(&q, "total_points").as_f64(), Some(798.0));
}

#[wasm_bindgen_test]
fn a_date_is_accepted_as_the_instant() {
    let date = js_sys::Date::new(&JsValue::from_str("2026-03-10T04:00:00Z"));
    let r = engine().rewards(js("{}"), date.into()).unwrap();
    let first = Reflect::get_u32(&get(&r, "options"), 0).unwrap();
    assert_eq!(get(&first, "cost").as_f64(), Some(2500.0));
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_code_and_path_and_the_engine_keeps_working() {
    let e = engine();
    let err = e
        .redeem(js(r#"{"reward_id":"yacht"}"#), AT.into())
        .unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "code").as_string().unwrap(), "unknown_reward");
    assert_eq!(get(&err, "path").as_string().unwrap(), "reward_id");
    assert!(e.disclose(js("{}"), AT.into()).is_ok());
}

#[wasm_bindgen_test]
fn hostile_javascript_values_give_typed_errors() {
    let e = engine();
    let cases = [
        js_sys::eval(r#"({lines:[{category:"bedding",unit_price:NaN,quantity:1}]})"#).unwrap(),
        js_sys::eval(r#"({lines:[{category:"bedding",unit_price:Infinity,quantity:1}]})"#).unwrap(),
        js_sys::eval(r#"({lines:[{category:"bedding",unit_price:"1",quantity:2**53+2}]})"#)
            .unwrap(),
        js_sys::eval(r#"({lines:[{category:undefined,unit_price:"1",quantity:1}]})"#).unwrap(),
        js_sys::eval(r#"({lines:"bedding"})"#).unwrap(),
        js_sys::eval(r#"({lines:[{category:"x".repeat(1<<20),unit_price:"1",quantity:1}]})"#)
            .unwrap(),
        js_sys::eval(r#"({lines:[{category:"bedding",unit_price:10n,quantity:1}]})"#).unwrap(),
        js_sys::eval(r#"(() => { const o = {}; o.self = o; return o; })()"#).unwrap(),
    ];
    for (i, case) in cases.iter().enumerate() {
        let err = e
            .quote(case.clone(), AT.into())
            .expect_err(&format!("case {i} should fail"));
        assert!(get(&err, "code").as_string().is_some(), "case {i}");
    }
    assert!(e
        .quote(
            js(r#"{"lines":[{"category":"bedding","unit_price":"1","quantity":1}]}"#),
            AT.into()
        )
        .is_ok());
}

#[wasm_bindgen_test]
fn an_invalid_programme_is_a_typed_error() {
    let err = Engine::new(js(r#"{"format":"jifen.program/1"}"#))
        .err()
        .unwrap();
    assert_eq!(get(&err, "code").as_string().unwrap(), "missing_field");
}
