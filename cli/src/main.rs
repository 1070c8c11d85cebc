//! `jifen`: the command-line host of the core. JSON files in, JSON on stdout; on bad input a
//! JSON error list on stderr and exit status 2. The CLI reads files and the clock; the core
//! does neither.

use jifen::{Engine, Error, Operation};
use std::io::Read;
use std::process::ExitCode;

mod alloc;
mod serve;
mod simulate;

#[global_allocator]
static ALLOCATOR: alloc::Mimalloc = alloc::Mimalloc;

const USAGE: &str = "usage:
  jifen <operation> --program FILE [--input FILE|-] [--at RFC3339]
  jifen simulate --program FILE --promotion FILE (--orders CSV | --synthetic SPEC.json)
                 [--assumptions FILE] [--period week|month] [--until YYYY-MM-DD]
                 [--format json|csv] [--threads N (default: every core)]
  jifen check FILE            validate and lint a programme
  jifen schema [--api]        print the JSON Schema of the programme format
                              (--api: every operation's request and result)
  jifen serve [--program FILE] [--db FILE|postgres://URL] [--addr HOST:PORT] [--demo]
      (the store: --db, else DATABASE_URL, else ./jifen.db)
                              the authority server (JIFEN_SECRET, JIFEN_ADMIN_KEY)
  jifen expire [--program FILE] [--db FILE|postgres://URL] [--at RFC3339]
                              expire due lots in the ledger, list reminders due
  jifen batch --program FILE  JSON lines {\"op\",\"at\",\"request\"} on stdin → one result line each
operations: ";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            use std::io::Write;
            // A closed pipe (`jifen quote … | head`) is not an error worth a panic.
            let mut stdout = std::io::stdout().lock();
            if !out.is_empty() {
                let _ = writeln!(stdout, "{out}");
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Input(errors)) => {
            eprintln!(
                "{}",
                serde_json::to_string_pretty(&errors).unwrap_or_default()
            );
            ExitCode::from(2)
        }
        Err(Failure::Usage(msg)) => {
            let ops: Vec<&str> = Operation::ALL.iter().map(|(n, _)| *n).collect();
            eprintln!("{msg}\n{USAGE}{}", ops.join(", "));
            ExitCode::from(64)
        }
    }
}

pub(crate) enum Failure {
    Input(Vec<Error>),
    Usage(String),
}

impl From<Vec<Error>> for Failure {
    fn from(e: Vec<Error>) -> Self {
        Failure::Input(e)
    }
}

pub(crate) fn read(path: &str) -> Result<String, Failure> {
    let mut s = String::new();
    let res = if path == "-" {
        std::io::stdin().read_to_string(&mut s).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| s = t)
    };
    res.map_err(|e| Failure::Input(vec![Error::new("unreadable_file", path, e.to_string())]))?;
    Ok(s)
}

pub(crate) fn flag<'a>(args: &'a [String], name: &str) -> Result<Option<&'a str>, Failure> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .map(|s| Some(s.as_str()))
            .ok_or_else(|| Failure::Usage(format!("{name} needs a value"))),
    }
}

fn run(args: &[String]) -> Result<String, Failure> {
    let Some(cmd) = args.first() else {
        return Err(Failure::Usage("no operation given".into()));
    };
    match cmd.as_str() {
        "check" => {
            let file = args
                .get(1)
                .ok_or_else(|| Failure::Usage("check needs a FILE".into()))?;
            let engine = Engine::new(&read(file)?)?;
            let report = jifen::lint::lint(&engine.loaded);
            Ok(serde_json::json!({
                "valid": true,
                "program": engine.program_ref.id,
                "version": engine.program_ref.version,
                "fingerprint": engine.program_ref.fingerprint,
                "warnings": report,
            })
            .to_string())
        }
        "schema" if args.get(1).map(String::as_str) == Some("--api") => {
            Ok(jifen::schema::api_schema())
        }
        "schema" => Ok(jifen::schema::program_schema()),
        "batch" => batch(args),
        "serve" => serve::serve(args),
        "expire" => serve::expire(args),
        "simulate" if flag(args, "--orders")?.is_some() || flag(args, "--promotion")?.is_some() => {
            simulate::run(args)
        }
        "-h" | "--help" | "help" => Err(Failure::Usage(String::new())),
        name => {
            let op = Operation::parse(name)
                .ok_or_else(|| Failure::Usage(format!("unknown operation `{name}`")))?;
            let program = flag(args, "--program")?
                .ok_or_else(|| Failure::Usage("--program FILE is required".into()))?;
            let engine = Engine::new(&read(program)?)?;
            let input = match flag(args, "--input")? {
                Some(f) => read(f)?,
                None => "{}".to_string(),
            };
            let at = match flag(args, "--at")? {
                Some(at) => at.to_string(),
                None => chrono::Local::now().fixed_offset().to_rfc3339(),
            };
            Ok(engine.run(op, &input, &at)?)
        }
    }
}

/// `jifen batch`: one JSON line per request on stdin, one line out per request —
/// `{"ok": result}` or `{"errors": [...]}` — so many requests share one programme load.
fn batch(args: &[String]) -> Result<String, Failure> {
    use std::io::{BufRead, Write};
    let program = flag(args, "--program")?
        .ok_or_else(|| Failure::Usage("--program FILE is required".into()))?;
    let engine = Engine::new(&read(program)?)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (i, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.map_err(|e| {
            Failure::Input(vec![Error::new(
                "unreadable_input",
                format!("line {}", i + 1),
                e.to_string(),
            )])
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(v) => {
                let op = v["op"].as_str().unwrap_or("");
                let at = v["at"].as_str().unwrap_or("");
                match Operation::parse(op) {
                    None => format!(
                        r#"{{"errors":[{{"code":"unknown_operation","path":"op","message":"`{}` is not an operation"}}]}}"#,
                        op.chars()
                            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect::<String>()
                    ),
                    Some(op) => match engine.run(op, &v["request"].to_string(), at) {
                        Ok(result) => format!(r#"{{"ok":{result}}}"#),
                        Err(errors) => format!(
                            r#"{{"errors":{}}}"#,
                            serde_json::to_string(&errors).unwrap_or_default()
                        ),
                    },
                }
            }
            Err(e) => format!(
                r#"{{"errors":[{{"code":"invalid_json","path":"line {}","message":{}}}]}}"#,
                i + 1,
                serde_json::Value::from(e.to_string())
            ),
        };
        let _ = writeln!(out, "{answer}");
    }
    let _ = out.flush();
    Ok(String::new())
}
