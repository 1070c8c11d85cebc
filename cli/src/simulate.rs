//! `jifen simulate … --orders orders.csv`: streams a cohort CSV through the core's simulator,
//! one row at a time, so a file of any size runs in memory that grows with members only.
//! Rows are parsed by the core (`jifen::simulation::cohort`); a bad row stops the run with
//! its line number.

use crate::{flag, read, Failure};
use jifen::simulation::cohort::{check_header, parse_row};
use jifen::simulation::{Assumptions, Period, Promotion, SimulationResult, Simulator};
use jifen::{Engine, Error};
use std::io::{BufRead, BufReader};

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, Failure> {
    Ok(jifen::error::parse_json(text, what)?)
}

pub fn run(args: &[String]) -> Result<String, Failure> {
    let program = flag(args, "--program")?
        .ok_or_else(|| Failure::Usage("--program FILE is required".into()))?;
    let engine = Engine::new(&read(program)?)?;
    let promotion: Promotion = match flag(args, "--promotion")? {
        Some(f) => parse(&read(f)?, "promotion")?,
        None => Promotion::default(),
    };
    let assumptions: Assumptions = match flag(args, "--assumptions")? {
        Some(f) => parse(&read(f)?, "assumptions")?,
        None => Assumptions::default(),
    };
    let period = match flag(args, "--period")? {
        None | Some("month") => Period::Month,
        Some("week") => Period::Week,
        Some(other) => {
            return Err(Failure::Usage(format!(
                "--period must be week or month, not `{other}`"
            )))
        }
    };
    let until = match flag(args, "--until")? {
        Some(d) => Some(jifen::calendar::parse_day(d, "--until")?),
        None => None,
    };
    let orders =
        flag(args, "--orders")?.ok_or_else(|| Failure::Usage("--orders CSV is required".into()))?;
    let mut sim = Simulator::new(&engine.loaded, &promotion, &assumptions, period)?;
    let input: Box<dyn BufRead> = if orders == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(orders).map_err(|e| {
            Failure::Input(vec![Error::new("unreadable_file", orders, e.to_string())])
        })?;
        Box::new(BufReader::with_capacity(1 << 20, file))
    };
    let mut line = String::new();
    let mut reader = input;
    let mut line_no = 0usize;
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| {
            Failure::Input(vec![Error::new("unreadable_file", orders, e.to_string())])
        })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if line_no == 1 {
            check_header(&line)?;
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let order = parse_row(&line, line_no)?;
        sim.push(&order, &format!("line {line_no}"))?;
    }
    if line_no == 0 {
        check_header("")?;
    }
    let result = sim.finish(until);
    match flag(args, "--format")? {
        None | Some("json") => Ok(serde_json::to_string(&result).unwrap_or_default()),
        Some("csv") => Ok(series_csv(&result)),
        Some(other) => Err(Failure::Usage(format!(
            "--format must be json or csv, not `{other}`"
        ))),
    }
}

/// The per-period series as CSV, baseline beside promotion, for a spreadsheet.
fn series_csv(r: &SimulationResult) -> String {
    let v = serde_json::to_value(&r.series).unwrap_or_default();
    let mut out =
        String::from("period,scenario,revenue,issued,redeemed,expired,outstanding,liability\n");
    for point in v.as_array().into_iter().flatten() {
        for scenario in ["baseline", "promotion"] {
            let f = &point[scenario];
            let cell = |k: &str| match &f[k] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push_str(&format!(
                "{},{scenario},{},{},{},{},{},{}\n",
                point["period"].as_str().unwrap_or(""),
                cell("revenue"),
                cell("issued"),
                cell("redeemed"),
                cell("expired"),
                cell("outstanding"),
                cell("liability")
            ));
        }
    }
    out.trim_end().to_string()
}
