//! WebAssembly bindings of the jifen core: a thin `Engine` class for JavaScript.
//!
//! JS values go in, are turned into JSON text with `JSON.stringify`, and the core's own
//! parser reads them — the same path as the native CLI, so the browser and the server give
//! byte-identical answers. Results come back through `JSON.parse`. Nothing here knows a domain
//! rule. Errors become a JS `Error` carrying `code`, `path` and the full `errors` list; no
//! input can panic (a panic would abort the module for the whole page).

use jifen::{Error, Operation};
use js_sys::{Array, Date, Error as JsError, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

/// Talc instead of Rust's default dlmalloc in the checkout build: smaller code for the
/// checkout page (the `talc` feature; see Cargo.toml).
// SAFETY: the module is single-threaded WebAssembly (no atomics feature), as talc requires.
#[cfg(all(target_arch = "wasm32", feature = "talc"))]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

/// The promotion simulator: only in the `simulator` build (the package's `jifen/simulator`
/// entry and Node), never in the checkout widget's.
#[cfg(feature = "simulator")]
mod simulation;

/// A programme loaded once: parsed, validated and fingerprinted, then reused for every call.
#[wasm_bindgen]
pub struct Engine {
    inner: jifen::Engine,
}

/// Turns the core's errors into one JS `Error` (the first error's message) with `code`,
/// `path` and `errors` set.
fn to_js_error(errors: Vec<Error>) -> JsValue {
    let first = errors
        .first()
        .cloned()
        .unwrap_or_else(|| Error::new("internal", "", "unknown error"));
    let err = JsError::new(&first.message);
    let list = Array::new();
    for e in &errors {
        let o = Object::new();
        let _ = Reflect::set(&o, &"code".into(), &e.code.as_str().into());
        let _ = Reflect::set(&o, &"path".into(), &e.path.as_str().into());
        let _ = Reflect::set(&o, &"message".into(), &e.message.as_str().into());
        list.push(&o);
    }
    let _ = Reflect::set(&err, &"code".into(), &first.code.as_str().into());
    let _ = Reflect::set(&err, &"path".into(), &first.path.as_str().into());
    let _ = Reflect::set(&err, &"errors".into(), &list);
    err.into()
}

fn one(code: &str, path: &str, message: &str) -> JsValue {
    to_js_error(vec![Error::new(code, path, message)])
}

/// JSON text of a request: a string is taken as JSON already; anything else is stringified.
fn json_of(value: &JsValue, path: &str) -> Result<String, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if value.is_undefined() {
        return Ok("{}".into());
    }
    // JSON.stringify throws on BigInt and cycles; both become typed errors.
    match JSON::stringify(value) {
        Ok(s) => s.as_string().ok_or_else(|| {
            one(
                "invalid_request",
                path,
                "the value cannot be written as JSON",
            )
        }),
        Err(_) => Err(one(
            "invalid_request",
            path,
            "the value cannot be written as JSON (BigInt or a cycle?)",
        )),
    }
}

/// The instant: an RFC 3339 string, a `Date`, or now when absent.
fn instant_of(at: &JsValue) -> Result<String, JsValue> {
    if at.is_undefined() || at.is_null() {
        return Ok(String::from(Date::new_0().to_iso_string()));
    }
    if let Some(s) = at.as_string() {
        return Ok(s);
    }
    if let Some(d) = at.dyn_ref::<Date>() {
        if d.get_time().is_nan() {
            return Err(one("invalid_instant", "at", "the Date is invalid"));
        }
        return Ok(String::from(d.to_iso_string()));
    }
    Err(one(
        "invalid_instant",
        "at",
        "`at` must be an RFC 3339 string or a Date",
    ))
}

#[wasm_bindgen]
impl Engine {
    /// Loads a programme (object or JSON text). Throws a typed error when it is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(program: JsValue) -> Result<Engine, JsValue> {
        let json = json_of(&program, "program")?;
        jifen::Engine::new(&json)
            .map(|inner| Engine { inner })
            .map_err(to_js_error)
    }

    /// `{id, version, fingerprint}` of the loaded programme.
    #[wasm_bindgen(getter, js_name = programRef)]
    pub fn program_ref(&self) -> JsValue {
        let r = &self.inner.program_ref;
        let o = Object::new();
        let _ = Reflect::set(&o, &"id".into(), &r.id.as_str().into());
        let _ = Reflect::set(&o, &"version".into(), &r.version.as_str().into());
        let _ = Reflect::set(&o, &"fingerprint".into(), &r.fingerprint.as_str().into());
        o.into()
    }

    /// Runs an operation by name and returns the result as JSON text (what the CLI prints).
    #[wasm_bindgen(js_name = runJson)]
    pub fn run_json(&self, op: &str, request: JsValue, at: JsValue) -> Result<String, JsValue> {
        let Some(op) = Operation::parse(op) else {
            return Err(one(
                "unknown_operation",
                "",
                &format!(
                    "`{}` is not an operation",
                    op.chars().take(40).collect::<String>()
                ),
            ));
        };
        let json = json_of(&request, "")?;
        let at = instant_of(&at)?;
        self.inner.run(op, &json, &at).map_err(to_js_error)
    }

    /// Runs an operation by name and returns the result as a plain object.
    pub fn run(&self, op: &str, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        let text = self.run_json(op, request, at)?;
        JSON::parse(&text).map_err(|_| one("internal", "", "result is not JSON"))
    }

    pub fn quote(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("quote", request, at)
    }
    pub fn rewards(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("rewards", request, at)
    }
    pub fn offset(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("offset", request, at)
    }
    pub fn redeem(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("redeem", request, at)
    }
    pub fn transfer(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("transfer", request, at)
    }
    pub fn expiry(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("expiry", request, at)
    }
    #[wasm_bindgen(js_name = "return")]
    pub fn return_(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("return", request, at)
    }
    pub fn project(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("project", request, at)
    }
    pub fn disclose(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("disclose", request, at)
    }
    #[wasm_bindgen(js_name = checkChange)]
    pub fn check_change(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("check_change", request, at)
    }
}

/// Names of every operation, for generic callers.
#[wasm_bindgen]
pub fn operations() -> Array {
    Operation::ALL
        .iter()
        .map(|(n, _)| JsValue::from_str(n))
        .collect()
}
