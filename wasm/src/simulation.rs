//! The promotion simulator for JavaScript: `engine.simulate(request)` in one call, and a
//! `Simulation` fed in chunks so a Web Worker can report progress and be cancelled. Several
//! workers can share a cohort: each takes one part of the members (`setPart`), the others
//! `close` theirs and one `finish`es with their parts — the result of a single run.

use crate::{json_of, one, to_js_error, Engine};
use jifen::simulation::cohort::{parse_line, part_of, Synthetic};
use jifen::simulation::{Partial, Simulator};
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
    inner: Option<Simulator>,
    /// This worker's part of the members: (index, of).
    part: (usize, usize),
}

fn finished() -> JsValue {
    one("finished", "", "the simulation has finished")
}

fn day(value: &JsValue, path: &str) -> Result<Option<jifen::calendar::Day>, JsValue> {
    match value.as_string() {
        Some(d) => Ok(Some(
            jifen::calendar::parse_day(&d, path).map_err(to_js_error)?,
        )),
        None => Ok(None),
    }
}

/// A result's JSON text as a JS value.
fn to_js(text: Result<String, jifen::Errors>) -> Result<JsValue, JsValue> {
    JSON::parse(&text.map_err(to_js_error)?).map_err(|_| one("internal", "", "result is not JSON"))
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
        Ok(Simulation {
            inner: Some(sim),
            part: (0, 1),
        })
    }

    /// Takes only the members of part `index` of `of`; the orders of other members are skipped.
    /// A CSV cohort is split by member id (`jifen::simulation::cohort::part_of`), a synthetic
    /// one by member number (`Synthetic::each_in_part`, which does not generate the others'
    /// orders). Either way the parts' results merge into the whole run's.
    #[wasm_bindgen(js_name = setPart)]
    pub fn set_part(&mut self, index: u32, of: u32) -> Result<(), JsValue> {
        if of == 0 || index >= of {
            return Err(one("invalid_part", "", "the part must be 0 ≤ index < of"));
        }
        self.part = (index as usize, of as usize);
        Ok(())
    }

    fn mine(&self, member_id: &str) -> bool {
        self.part.1 == 1 || part_of(member_id, self.part.1) == self.part.0
    }

    /// Feeds CSV data rows (no header); `first_line` is the file line number of the first row.
    /// Returns how many of this part's orders were fed.
    #[wasm_bindgen(js_name = pushCsv)]
    pub fn push_csv(&mut self, rows: &str, first_line: usize) -> Result<u32, JsValue> {
        let mut n = 0;
        for (i, line) in rows.lines().enumerate() {
            let line_no = first_line + i;
            let Some(order) = parse_line(line, line_no) else {
                continue;
            };
            let order = order.map_err(to_js_error)?;
            if !self.mine(&order.member_id) {
                continue;
            }
            let sim = self.inner.as_mut().ok_or_else(finished)?;
            sim.push(&order, "")
                .map_err(|e| to_js_error(jifen::error::under(e, &format!("line {line_no}"))))?;
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
    /// start, days, seed}`; returns how many of this part's orders were fed.
    #[wasm_bindgen(js_name = pushSynthetic)]
    pub fn push_synthetic(&mut self, spec: JsValue, from: f64, count: f64) -> Result<u32, JsValue> {
        let spec: Synthetic = jifen::error::parse_json(&json_of(&spec, "synthetic")?, "synthetic")
            .map_err(to_js_error)?;
        spec.check().map_err(to_js_error)?;
        let part = (self.part.0 as u64, self.part.1 as u64);
        let sim = self.inner.as_mut().ok_or_else(finished)?;
        let (from, count) = (from.max(0.0) as u64, count.max(0.0) as u64);
        let n = spec
            .push_into(sim, from, count, part, |_| "synthetic".into())
            .map_err(to_js_error)?;
        Ok(n as u32)
    }

    /// The day a run split over workers closes on (`YYYY-MM-DD`, or undefined without
    /// orders): `until` when given, else the latest of the parts' `lastDay()`s.
    #[wasm_bindgen(js_name = runEnd)]
    pub fn run_end(until: JsValue, last_days: Vec<String>) -> Result<Option<String>, JsValue> {
        let days = last_days
            .iter()
            .map(|d| jifen::calendar::parse_day(d, "lastDays").map(Some))
            .collect::<Result<Vec<_>, _>>()
            .map_err(to_js_error)?;
        Ok(jifen::simulation::run_end(day(&until, "until")?, days).map(|d| d.to_string()))
    }

    /// The day of the latest order fed so far (`YYYY-MM-DD`), or undefined.
    #[wasm_bindgen(js_name = lastDay)]
    pub fn last_day(&self) -> Result<Option<String>, JsValue> {
        let sim = self.inner.as_ref().ok_or_else(finished)?;
        Ok(sim.last_day().map(|d| d.to_string()))
    }

    /// Closes this part on `end` (the whole run's end day, the same for every part) and
    /// returns it, for the worker that finishes.
    pub fn close(&mut self, end: JsValue) -> Result<JsValue, JsValue> {
        let sim = self.inner.take().ok_or_else(finished)?;
        to_js(jifen::error::to_json(&sim.close(day(&end, "end")?)))
    }

    /// Closes the simulation (`until`: `YYYY-MM-DD` or undefined: the last order's day) and
    /// returns the result; `parts`: the other workers' closed parts, closed on `until`.
    pub fn finish(&mut self, until: JsValue, parts: JsValue) -> Result<JsValue, JsValue> {
        let sim = self.inner.take().ok_or_else(finished)?;
        let until = day(&until, "until")?;
        if parts.is_undefined() || parts.is_null() {
            return to_js(jifen::error::to_json(&sim.finish(until)));
        }
        let parts: Vec<Partial> =
            jifen::error::parse_json(&json_of(&parts, "parts")?, "parts").map_err(to_js_error)?;
        to_js(jifen::error::to_json(&sim.finish_with(until, parts)))
    }
}
