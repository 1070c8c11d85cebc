//! The expiry policy's errors: each mode takes its own fields, and a bad policy names the
//! field, the rule and the path, whatever order the fields come in.

use jifen::Engine;

const PROGRAM: &str = include_str!("../examples/hongmi-home.program.json");

/// The programme with its expiry policy replaced by `policy` (JSON text).
fn load(policy: &str) -> Result<(), (String, String, String)> {
    let text = PROGRAM.replace(
        r#""expiry": { "mode": "rolling_months", "months": 24, "round": "month_end" }"#,
        &format!(r#""expiry": {policy}"#),
    );
    assert_ne!(
        text, PROGRAM,
        "the reference programme's expiry policy moved"
    );
    Engine::new(&text)
        .map(|_| ())
        .map_err(|e| (e[0].code.clone(), e[0].path.clone(), e[0].message.clone()))
}

#[test]
fn each_expiry_mode_reads_its_own_fields() {
    for ok in [
        r#"{ "mode": "rolling_months", "months": 24 }"#,
        r#"{ "months": 24, "round": "month_end", "mode": "rolling_months" }"#,
        r#"{ "mode": "rolling_days", "days": 400 }"#,
        r#"{ "mode": "end_of_year" }"#,
        r#"{ "after_years": 1, "mode": "end_of_year" }"#,
        r#"{ "mode": "never" }"#,
        r#"{ "mode": "rolling_months", "months": 24, "round": null }"#,
    ] {
        assert_eq!(load(ok), Ok(()), "{ok}");
    }
}

#[test]
fn a_bad_expiry_policy_is_a_typed_error_naming_the_field() {
    let cases = [
        (r#"{ "mode": "rolling_months" }"#, "missing_field", "expiry", "missing field `months`"),
        (r#"{ "months": 24 }"#, "missing_field", "expiry", "missing field `mode`"),
        (r#"{}"#, "missing_field", "expiry", "missing field `mode`"),
        (r#"{ "mode": "rolling_months", "months": 24, "days": 3 }"#, "unknown_field", "expiry.days", "unknown field `days`, expected `months` or `round`"),
        // A field before the mode is checked when the mode arrives.
        (r#"{ "days": 3, "mode": "rolling_months", "months": 24 }"#, "unknown_field", "expiry.mode", "unknown field `days`, expected `months` or `round`"),
        (r#"{ "mode": "end_of_year", "days": 1 }"#, "unknown_field", "expiry.days", "unknown field `days`, expected `after_years`"),
        (r#"{ "mode": "rolling_days", "days": 3, "foo": 1 }"#, "unknown_field", "expiry.foo", "unknown field `foo`, expected `days`"),
        (r#"{ "mode": "never", "after_years": 1 }"#, "unknown_field", "expiry.after_years", "unknown field `after_years`, there are no fields"),
        (r#"{ "mode": "weekly" }"#, "invalid_value", "expiry.mode", "unknown variant `weekly`, expected one of `rolling_months`, `rolling_days`, `end_of_year`, `never`"),
        (r#"{ "mode": 5 }"#, "invalid_value", "expiry.mode", "invalid type: integer `5`, expected a string"),
        (r#"{ "mode": "never", "mode": "never" }"#, "invalid_value", "expiry.mode", "duplicate field `mode`"),
        (r#"{ "mode": "rolling_months", "months": "x" }"#, "invalid_value", "expiry.months", "invalid type: string \"x\", expected u32"),
        (r#"{ "mode": "rolling_months", "months": 24, "months": 25 }"#, "invalid_value", "expiry.months", "duplicate field `months`"),
        (r#"{ "mode": "rolling_days", "days": -1 }"#, "invalid_value", "expiry.days", "invalid value: integer `-1`, expected u32"),
        (r#"{ "mode": "rolling_months", "months": 24, "round": "week_end" }"#, "invalid_value", "expiry.round", "unknown variant `week_end`, expected `month_end`"),
        (r#"{ "mode": "end_of_year", "after_years": null }"#, "invalid_value", "expiry.after_years", "invalid type: null, expected u32"),
        (r#""never""#, "invalid_value", "expiry", "invalid type: string \"never\", expected internally tagged enum ExpiryPolicy"),
        (r#"[ "never" ]"#, "invalid_value", "expiry", "invalid type: sequence, expected internally tagged enum ExpiryPolicy"),
    ];
    for (policy, code, path, message) in cases {
        let got = load(policy).expect_err(policy);
        assert_eq!(
            got,
            (code.to_string(), path.to_string(), message.to_string()),
            "{policy}"
        );
    }
}
