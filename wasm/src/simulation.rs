//! The promotion simulator for JavaScript: `engine.simulate(request)` in one call, and a
//! `Simulation` fed in chunks so a Web Worker can report progress and be cancelled.

use crate::{json_of, one, to_js_error, Engine};
use js_sys::JSON;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Engine {
    pub fn simulate(&self, request: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
        self.run("simulate", request, at)
    }
}

/// A promotion simulation fed in chunks, so a Web Worker can report progress and be
/// cancelled between chunks. The rules are the core's `Simulator`; this only feeds it.
#[wasm_bindgen]
pub struct Simulation {
    inner: Option<jifen::simulation::Simulator>,
}

#[wasm_bindgen]
impl Simulation {
    /// `setup`: `{promotion, assumptions, period}` as in the `simulate` operation.
    #[wasm_bindgen(constructor)]
    pub fn new(engine: &Engine, setup: JsValue) -> Result<Simulation, JsValue> {
        let json = json_of(&setup, "")?;
        let req: jifen::simulation::SimulateRequest =
            jifen::error::parse_json(&json, "").map_err(to_js_error)?;
        let sim = jifen::simulation::Simulator::new(
            &engine.inner.loaded,
            &req.promotion,
            &req.assumptions,
            req.period,
        )
        .map_err(to_js_error)?;
        Ok(Simulation { inner: Some(sim) })
    }

    /// Feeds CSV data rows (no header); `first_line` is the file line number of the first row.
    #[wasm_bindgen(js_name = pushCsv)]
    pub fn push_csv(&mut self, rows: &str, first_line: usize) -> Result<u32, JsValue> {
        let sim = self
            .inner
            .as_mut()
            .ok_or_else(|| one("finished", "", "the simulation has finished"))?;
        let mut n = 0;
        for (i, line) in rows.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let line_no = first_line + i;
            let order = jifen::simulation::cohort::parse_row(line, line_no).map_err(to_js_error)?;
            sim.push(&order, &format!("line {line_no}"))
                .map_err(to_js_error)?;
            n += 1;
        }
        Ok(n)
    }

    /// Checks a CSV header line.
    #[wasm_bindgen(js_name = checkHeader)]
    pub fn check_header(line: &str) -> Result<(), JsValue> {
        jifen::simulation::cohort::check_header(line).map_err(to_js_error)
    }

    /// Feeds orders `from..from+count` of a synthetic cohort `{members, orders_per_member,
    /// start, days, seed}`; returns how many were fed.
    #[wasm_bindgen(js_name = pushSynthetic)]
    pub fn push_synthetic(&mut self, spec: JsValue, from: f64, count: f64) -> Result<u32, JsValue> {
        let sim = self
            .inner
            .as_mut()
            .ok_or_else(|| one("finished", "", "the simulation has finished"))?;
        let spec: jifen::simulation::cohort::Synthetic =
            jifen::error::parse_json(&json_of(&spec, "synthetic")?, "synthetic")
                .map_err(to_js_error)?;
        spec.check().map_err(to_js_error)?;
        let mut n = 0;
        for order in spec
            .orders()
            .skip(from.max(0.0) as usize)
            .take(count.max(0.0) as usize)
        {
            sim.push(&order, "synthetic").map_err(to_js_error)?;
            n += 1;
        }
        Ok(n)
    }

    /// Closes the simulation (`until`: `YYYY-MM-DD` or undefined) and returns the result.
    pub fn finish(&mut self, until: JsValue) -> Result<JsValue, JsValue> {
        let sim = self
            .inner
            .take()
            .ok_or_else(|| one("finished", "", "the simulation has finished"))?;
        let until = match until.as_string() {
            Some(d) => Some(jifen::calendar::parse_day(&d, "until").map_err(to_js_error)?),
            None => None,
        };
        let text = jifen::error::to_json(&sim.finish(until)).map_err(to_js_error)?;
        JSON::parse(&text).map_err(|_| one("internal", "", "result is not JSON"))
    }
}
