//! `jifen simulate … --orders orders.csv` (or `--synthetic spec.json`): streams a cohort
//! through the core's simulator, one row at a time, so a file of any size runs in memory that
//! grows with members only. Rows are parsed by the core (`jifen::simulation::cohort`); a bad
//! row stops the run with its line number.
//!
//! With `--threads N` (default: every core) the cohort is split by member: each thread runs
//! its members' orders in its own `Simulator`, and the core adds the closed parts up
//! (`Simulator::close`, `finish_with`), which gives the single-thread result exactly (tests
//! hold it to that).

use crate::{flag, read, Failure};
use jifen::simulation::cohort::{check_header, parse_line, part_of, CohortOrder, Synthetic};
use jifen::simulation::{run_end, Assumptions, Period, Promotion, SimulationResult, Simulator};
use jifen::{Engine, Error, Errors};
use std::io::{BufRead, BufReader};
use std::sync::mpsc;

/// Orders are handed to the threads in batches of this many.
const BATCH: usize = 4096;

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
    let threads = match flag(args, "--threads")? {
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=256).contains(n))
            .ok_or_else(|| Failure::Usage("--threads must be 1 to 256".into()))?,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let new = || Simulator::new(&engine.loaded, &promotion, &assumptions, period);
    let parts = match (flag(args, "--orders")?, flag(args, "--synthetic")?) {
        (Some(orders), None) => {
            let mut rows = csv_rows(orders)?;
            drive(&new, threads, "line", &mut rows)?
        }
        (None, Some(spec)) => {
            let spec: Synthetic = parse(&read(spec)?, "synthetic")?;
            spec.check()?;
            synthetic(&new, threads, &spec)?
        }
        _ => {
            return Err(Failure::Usage(
                "give --orders CSV or --synthetic SPEC.json".into(),
            ))
        }
    };
    // Every part closes on the run's end day; the first reports on the whole cohort.
    let end = run_end(until, parts.iter().map(Simulator::last_day));
    let mut parts = parts.into_iter();
    let first = parts.next().map_or_else(new, Ok)?;
    // The other parts close on their own threads while this one closes the first.
    let result = std::thread::scope(|scope| {
        let others: Vec<_> = parts.map(|p| scope.spawn(move || p.close(end))).collect();
        first.finish_with(end, others.into_iter().map(joined))
    });
    match flag(args, "--format")? {
        None | Some("json") => Ok(serde_json::to_string(&result).unwrap_or_default()),
        Some("csv") => Ok(series_csv(&result)),
        Some(other) => Err(Failure::Usage(format!(
            "--format must be json or csv, not `{other}`"
        ))),
    }
}

/// A scoped thread's result; a panic in the thread goes on in this one.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// A synthetic cohort on `threads` threads: each generates its part of the members' orders
/// itself (generating is cheap; handing orders between threads is not).
fn synthetic(
    new: &(dyn Fn() -> Result<Simulator, Errors> + Sync),
    threads: usize,
    spec: &Synthetic,
) -> Result<Vec<Simulator>, Failure> {
    let run = |part: usize| -> Result<Simulator, Errors> {
        let mut sim = new()?;
        let part = (part as u64, threads as u64);
        spec.push_into(&mut sim, 0, spec.len(), part, |i| {
            format!("synthetic order {}", i + 1)
        })?;
        Ok(sim)
    };
    // One thread: this one, so the simulator is freed by the thread that allocated it (freeing
    // 200,000 member states from another thread was a twentieth of a run).
    if threads == 1 {
        return Ok(vec![run(0)?]);
    }
    let parts: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|t| scope.spawn(move || run(t))).collect();
        handles.into_iter().map(joined).collect()
    });
    Ok(parts.into_iter().collect::<Result<_, _>>()?)
}

/// The rows of a cohort CSV with their line numbers; the header is checked first.
fn csv_rows(
    orders: &str,
) -> Result<impl Iterator<Item = Result<(usize, CohortOrder), Failure>> + '_, Failure> {
    let input: Box<dyn BufRead> = if orders == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(orders).map_err(|e| unreadable(orders, e))?;
        Box::new(BufReader::with_capacity(1 << 20, file))
    };
    let mut rows = CsvRows {
        name: orders,
        input,
        line: String::new(),
        number: 0,
    };
    match rows.next_line() {
        Some(header) => check_header(header?.1)?,
        None => check_header("")?,
    }
    Ok(rows)
}

fn unreadable(name: &str, e: std::io::Error) -> Failure {
    Failure::Input(vec![Error::new("unreadable_file", name, e.to_string())])
}

/// Reads a CSV line by line into one buffer (a row costs no allocation of its own).
struct CsvRows<'a> {
    name: &'a str,
    input: Box<dyn BufRead>,
    line: String,
    number: usize,
}

impl CsvRows<'_> {
    /// The next line's number and text without its line break; `None` at the end.
    fn next_line(&mut self) -> Option<Result<(usize, &str), Failure>> {
        self.line.clear();
        match self.input.read_line(&mut self.line) {
            Ok(0) => None,
            Ok(_) => {
                self.number += 1;
                Some(Ok((self.number, self.line.trim_end_matches(['\n', '\r']))))
            }
            Err(e) => Some(Err(unreadable(self.name, e))),
        }
    }
}

impl Iterator for CsvRows<'_> {
    type Item = Result<(usize, CohortOrder), Failure>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.next_line()? {
                Ok((n, l)) => match parse_line(l, n) {
                    Some(row) => return Some(row.map(|o| (n, o)).map_err(Into::into)),
                    None => continue,
                },
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Runs the orders (`(line or index, order)`) through one simulator, or splits them by
/// member over `threads` simulators; returns the parts. On errors, the one of the earliest
/// row wins, as in a single-thread run.
fn drive(
    new: &(dyn Fn() -> Result<Simulator, Errors> + Sync),
    threads: usize,
    what: &str,
    rows: &mut dyn Iterator<Item = Result<(usize, CohortOrder), Failure>>,
) -> Result<Vec<Simulator>, Failure> {
    // The row's name is written into an error only when there is one (not once per row).
    let push = |sim: &mut Simulator, (n, order): &(usize, CohortOrder)| {
        sim.push(order, "")
            .map_err(|e| (*n, jifen::error::under(e, &format!("{what} {n}"))))
    };
    if threads == 1 {
        let mut sim = new()?;
        // One row ahead (a bad one's error waits its turn), to hint the simulator.
        let mut rows = rows.peekable();
        while let Some(row) = rows.next() {
            let row = row?;
            sim.prefetch(rows.peek().and_then(|r| r.as_ref().ok()).map(|(_, o)| o));
            push(&mut sim, &row).map_err(|(_, e)| e)?;
        }
        return Ok(vec![sim]);
    }
    let sims = (0..threads).map(|_| new()).collect::<Result<Vec<_>, _>>()?;
    let (outcomes, stopped) = std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut workers = Vec::new();
        for mut sim in sims {
            let (tx, rx) = mpsc::sync_channel::<Vec<(usize, CohortOrder)>>(4);
            senders.push(tx);
            workers.push(scope.spawn(move || {
                for batch in rx {
                    for (i, row) in batch.iter().enumerate() {
                        sim.prefetch(batch.get(i + 1).map(|(_, o)| o));
                        push(&mut sim, row)?;
                    }
                }
                Ok::<_, (usize, Errors)>(sim)
            }));
        }
        let mut batches: Vec<Vec<_>> = (0..threads).map(|_| Vec::with_capacity(BATCH)).collect();
        let mut stopped = None;
        for row in rows {
            match row {
                Ok((n, order)) => {
                    let t = part_of(&order.member_id, threads);
                    batches[t].push((n, order));
                    if batches[t].len() == BATCH {
                        let full = std::mem::replace(&mut batches[t], Vec::with_capacity(BATCH));
                        // A worker that stopped on an error has hung up; its error is reported.
                        let _ = senders[t].send(full);
                    }
                }
                Err(e) => {
                    stopped = Some(e);
                    break;
                }
            }
        }
        for (tx, batch) in senders.into_iter().zip(batches) {
            let _ = tx.send(batch);
        }
        let outcomes: Vec<_> = workers.into_iter().map(joined).collect();
        (outcomes, stopped)
    });
    let mut parts = Vec::new();
    let mut first_error: Option<(usize, Errors)> = None;
    for outcome in outcomes {
        match outcome {
            Ok(sim) => parts.push(sim),
            Err((n, e)) if first_error.as_ref().is_none_or(|(m, _)| n < *m) => {
                first_error = Some((n, e))
            }
            Err(_) => {}
        }
    }
    // A row that failed to parse stopped the reading: every row before it was handed out,
    // so a worker's error, if any, comes from an earlier row.
    if let Some((_, e)) = first_error {
        return Err(e.into());
    }
    if let Some(e) = stopped {
        return Err(e);
    }
    Ok(parts)
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
