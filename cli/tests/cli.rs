//! The CLI as a user runs it: JSON on stdout, a JSON error list on stderr with exit status 2,
//! and no panic on any input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const PROGRAM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../examples/hongmi-home.program.json"
);
const AT: &str = "2026-03-10T12:00:00+08:00";

fn jifen(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).ok();
    child.wait_with_output().unwrap()
}

fn op(name: &str, input: &str) -> Output {
    jifen(
        &[name, "--program", PROGRAM, "--input", "-", "--at", AT],
        input,
    )
}

#[test]
fn quote_prints_json_on_stdout() {
    let out = op(
        "quote",
        r#"{"lines":[{"category":"bedding","unit_price":"399","quantity":2}]}"#,
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total_points"], 798);
}

#[test]
fn bad_input_prints_a_typed_error_list_and_exits_2() {
    let out = op(
        "quote",
        r#"{"lines":[{"category":"bedding","unit_price":"abc","quantity":1}]}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(v[0]["code"], "invalid_value");
    assert_eq!(v[0]["path"], "lines[0].unit_price");
}

#[test]
fn check_validates_and_fingerprints_a_programme() {
    let out = jifen(&["check", PROGRAM], "");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert!(v["fingerprint"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn check_reports_an_invalid_programme_with_exit_2() {
    let out = jifen(&["check", "-"], r#"{"format":"jifen.program/1"}"#);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(v[0]["code"], "missing_field");
}

#[test]
fn a_bad_instant_is_a_typed_error() {
    let out = jifen(&["disclose", "--program", PROGRAM, "--at", "yesterday"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_instant"));
}

#[test]
fn the_committed_schema_is_the_one_the_types_generate() {
    let out = jifen(&["schema"], "");
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/program.schema.json"
    ))
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        committed.trim(),
        "run `jifen schema > schema/program.schema.json`"
    );
}

#[test]
fn hostile_input_never_crashes_the_cli() {
    let huge = "9".repeat(1_000_000);
    let many: Vec<String> = (0..10_001)
        .map(|_| r#"{"category":"bedding","unit_price":"1","quantity":1}"#.to_string())
        .collect();
    let cases = [
        String::new(),
        "null".into(),
        "[1]".into(),
        "{".into(),
        format!(r#"{{"lines":[{{"category":"bedding","unit_price":"{huge}","quantity":1}}]}}"#),
        r#"{"lines":[{"category":"bedding","unit_price":1e30,"quantity":1}]}"#.into(),
        r#"{"lines":[{"category":"bedding","unit_price":"1","quantity":-3}]}"#.into(),
        format!(r#"{{"lines":[{}]}}"#, many.join(",")),
    ];
    for (i, case) in cases.iter().enumerate() {
        for name in [
            "quote",
            "rewards",
            "offset",
            "redeem",
            "transfer",
            "expiry",
            "return",
            "project",
            "check_change",
        ] {
            let out = op(name, case);
            assert_eq!(
                out.status.code(),
                Some(2),
                "case {i} {name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let v: serde_json::Value = serde_json::from_slice(&out.stderr)
                .unwrap_or_else(|_| panic!("case {i} {name}: stderr is not JSON"));
            assert!(v[0]["code"].is_string());
        }
    }
}

#[test]
fn simulate_streams_a_csv_cohort_and_writes_csv_series() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/");
    let out = jifen(
        &[
            "simulate",
            "--program",
            PROGRAM,
            "--promotion",
            &format!("{dir}promotion.json"),
            "--orders",
            &format!("{dir}orders.csv"),
            "--format",
            "csv",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("period,scenario,revenue,issued,redeemed,expired,outstanding,liability\n2026-01,baseline,2399.00,2399,"));
    let json = jifen(
        &[
            "simulate",
            "--program",
            PROGRAM,
            "--promotion",
            &format!("{dir}promotion.json"),
            "--orders",
            &format!("{dir}orders.csv"),
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["orders"], 11);
    assert_eq!(v["members"], 3);
}

#[test]
fn simulate_reads_crlf_blank_lines_and_a_last_line_without_a_break_as_plain_rows() {
    let run = |csv: &str| {
        jifen(
            &[
                "simulate",
                "--program",
                PROGRAM,
                "--orders",
                "-",
                "--threads",
                "1",
            ],
            csv,
        )
    };
    let lf = "member_id,at,amount,category\nm1,2026-01-05T10:00:00+08:00,10,kitchen\nm2,2026-01-06T10:00:00+08:00,20.50,bedding\n";
    let crlf = "member_id,at,amount,category\r\nm1,2026-01-05T10:00:00+08:00,10,kitchen\r\n\r\nm2,2026-01-06T10:00:00+08:00,20.50,bedding";
    let (a, b) = (run(lf), run(crlf));
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    // Blank lines still count: the bad row is the file's fifth line.
    let bad = run("member_id,at,amount,category\r\nm1,2026-01-05T10:00:00+08:00,10,kitchen\r\n\r\n\nm2,yesterday,20,bedding\r\n");
    let v: serde_json::Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert_eq!(
        (v[0]["code"].as_str(), v[0]["path"].as_str()),
        (Some("invalid_csv_row"), Some("line 5"))
    );
}

/// `jifen simulate` of the reference programme and promotion on a CSV read from stdin.
fn simulate_csv(extra: &[&str], csv: &str) -> Output {
    let promotion = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/promotion.json");
    let mut args = vec!["simulate", "--program", PROGRAM, "--promotion", promotion];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--orders", "-"]);
    jifen(&args, csv)
}

#[test]
fn simulate_reports_a_bad_csv_row_by_line_number() {
    let csv = "member_id,at,amount,category\nm1,2026-01-05T10:00:00+08:00,10,kitchen\nm1,2026-01-06T10:00:00+08:00,abc,kitchen\n";
    let out = simulate_csv(&[], csv);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(v[0]["path"], "line 3");
    let no_header = jifen(
        &["simulate", "--program", PROGRAM, "--orders", "-"],
        "m1,2026-01-05T10:00:00+08:00,10,kitchen\n",
    );
    assert_eq!(no_header.status.code(), Some(2));
}

/// A row the simulator refuses (here an amount the promotion's spend uplift takes past
/// 10^13) is named by its line, with the field after one dot.
#[test]
fn simulate_names_a_refused_rows_field_under_its_line() {
    let dir = std::env::temp_dir().join(format!("jifen-uplift-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let assumptions = dir.join("assumptions.json");
    std::fs::write(&assumptions, r#"{"spend_uplift":"10"}"#).unwrap();
    let out = simulate_csv(
        &["--assumptions", assumptions.to_str().unwrap()],
        "member_id,at,amount,category\nm1,2026-04-08T10:00:00+08:00,9999999999999,bedding\n",
    );
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(
        (v[0]["code"].as_str(), v[0]["path"].as_str()),
        (Some("invalid_amount"), Some("line 2.amount"))
    );
}

#[test]
fn simulate_on_one_thread_or_several_gives_the_same_result_and_the_same_first_error() {
    let promotion = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/promotion.json");
    let dir = std::env::temp_dir().join(format!("jifen-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("spec.json");
    std::fs::write(&spec, r#"{"members":500,"orders_per_member":8,"start":"2026-01-01T00:00:00+08:00","days":400,"seed":3}"#).unwrap();
    let run = |threads: &str, source: &[&str], stdin: &str| {
        let mut args = vec![
            "simulate",
            "--program",
            PROGRAM,
            "--promotion",
            promotion,
            "--threads",
            threads,
        ];
        args.extend_from_slice(source);
        jifen(&args, stdin)
    };
    let spec = spec.to_str().unwrap();
    let one = run("1", &["--synthetic", spec], "");
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&one.stdout).unwrap()["orders"],
        4000
    );
    for threads in ["2", "3", "7"] {
        assert_eq!(
            run(threads, &["--synthetic", spec], "").stdout,
            one.stdout,
            "{threads} threads"
        );
    }
    // Member m2's second order is out of time order (line 5), and line 7 does not parse: the
    // earliest wins however the members are spread over threads.
    let csv = "member_id,at,amount,category\nm1,2026-01-05T10:00:00+08:00,10,kitchen\nm2,2026-01-06T10:00:00+08:00,10,kitchen\nm3,2026-01-06T10:00:00+08:00,10,kitchen\nm2,2026-01-01T10:00:00+08:00,10,kitchen\nm4,2026-01-07T10:00:00+08:00,10,kitchen\nm4,2026-01-08T10:00:00+08:00,abc,kitchen\n";
    for threads in ["1", "2", "4"] {
        let out = run(threads, &["--orders", "-"], csv);
        assert_eq!(out.status.code(), Some(2));
        let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(
            (v[0]["code"].as_str(), v[0]["path"].as_str()),
            (Some("orders_out_of_order"), Some("line 5")),
            "{threads} threads"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
