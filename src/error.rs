//! The one error type of the core.
//!
//! Every bad input becomes an [`Error`] with a stable machine `code`, the JSON `path` of the
//! offending field and a human `message`. Operations return [`Errors`] (a non-empty list) so
//! that validation can report every problem at once instead of the first one only. Nothing in
//! the core panics on input: in WebAssembly a panic would kill the module for the whole page.

use serde::Serialize;
use std::fmt;

/// One problem with an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Error {
    /// Stable, snake_case identifier a program can match on (`unknown_reward`).
    pub code: String,
    /// JSON path of the offending field (`lines[2].unit_price`); empty for the whole input.
    pub path: String,
    /// Plain-English explanation for a developer or merchant.
    pub message: String,
}

impl Error {
    pub fn new(code: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            code: code.to_string(),
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.code, self.message)
        } else {
            write!(f, "{} at {}: {}", self.code, self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// A non-empty list of problems; what every fallible operation returns.
pub type Errors = Vec<Error>;

/// Shorthand for a single-error failure.
pub fn fail<T>(
    code: &str,
    path: impl Into<String>,
    message: impl Into<String>,
) -> Result<T, Errors> {
    Err(vec![Error::new(code, path, message)])
}

/// Turns a serde_json error into a typed error, naming the JSON path of the offending field.
///
/// serde_json reports where in the text it failed (line and column); [`path_at`] walks the
/// text up to that point and says which field it was in. This keeps error paths without
/// tracking them in every deserializer (`serde_path_to_error` tripled the size of the
/// WebAssembly build).
fn from_serde(err: serde_json::Error, text: &str, prefix: &str) -> Error {
    let message = err.to_string();
    let code = if message.starts_with("unknown field") {
        "unknown_field"
    } else if message.starts_with("missing field") {
        "missing_field"
    } else if err.is_syntax() || err.is_eof() {
        "invalid_json"
    } else {
        "invalid_value"
    };
    let offset = offset_of(text, err.line(), err.column());
    let mut path = path_at(text, offset, code == "missing_field");
    if !prefix.is_empty() {
        path = if path.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{path}")
        };
    }
    // The path says where; the line and column only matter for broken JSON. (serde_json
    // writes them as this suffix; stripping it costs no substring search code.)
    let located = format!(" at line {} column {}", err.line(), err.column());
    let message = match message.strip_suffix(located.as_str()) {
        Some(bare) if code != "invalid_json" => bare.to_string(),
        _ => message,
    };
    Error::new(code, path, message)
}

/// Byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (offset + column).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

enum Frame {
    Object(Option<String>),
    Array(usize),
}

/// The JSON path (`lines[2].unit_price`) of the value being read at byte `offset`. With
/// `container`, the path of the enclosing object instead (a missing field belongs to it).
pub(crate) fn path_at(text: &str, offset: usize, container: bool) -> String {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let mut expect_key = false;
    while i < end {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                // The error is at this closing bracket: the container is still open.
                if i + 1 >= end {
                    break;
                }
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(_)) => expect_key = true,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if expect_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        *key = Some(
                            String::from_utf8_lossy(&bytes[start..i.min(bytes.len())]).into_owned(),
                        );
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut frames = stack.len();
    if container {
        frames = frames.saturating_sub(1);
    }
    let mut path = String::new();
    for frame in &stack[..frames] {
        match frame {
            Frame::Object(Some(k)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    if container {
        // A missing field's path is its object's; drop the object's own last key only.
        return path;
    }
    path
}

/// Places errors under `path`: `line 12` + `amount` → `line 12.amount`. Under an empty path
/// they stay where they are, so a caller that names its input only on error (the simulator's
/// feeds push with an empty path) gets `line 12.amount`, not `line 12..amount`.
pub fn under(errors: Errors, path: &str) -> Errors {
    errors
        .into_iter()
        .map(|mut e| {
            e.path = match (path.is_empty(), e.path.is_empty()) {
                (true, _) => e.path,
                (false, true) => path.to_string(),
                (false, false) => format!("{path}.{}", e.path),
            };
            e
        })
        .collect()
}

/// Serializes a result to JSON text (an `internal` error if a value cannot be written).
pub fn to_json<T: Serialize>(value: &T) -> Result<String, Errors> {
    serde_json::to_string(value).map_err(|e| vec![Error::new("internal", "", e.to_string())])
}

/// Parses JSON text into `T`, reporting the JSON path of any mismatch. Structs are read from
/// JSON objects only (see `objects_only.rs`: a positional array where a struct belongs is
/// refused).
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, prefix: &str) -> Result<T, Errors> {
    crate::objects_only::from_str(text).map_err(|e| vec![from_serde(e, text, prefix)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_under_a_path_join_it_with_one_dot_and_stay_put_under_none() {
        let e = |path: &str| vec![Error::new("x", path, "m")];
        let paths = |errors: Errors| errors.into_iter().map(|e| e.path).collect::<Vec<_>>();
        assert_eq!(paths(under(e("amount"), "line 12")), ["line 12.amount"]);
        assert_eq!(paths(under(e(""), "line 12")), ["line 12"]);
        assert_eq!(
            paths(under(under(e("amount"), ""), "line 12")),
            ["line 12.amount"]
        );
        assert_eq!(paths(under(e(""), "")), [""]);
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        category: String,
        quantity: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Cart {
        lines: Vec<Line>,
    }

    fn err(text: &str) -> (String, String) {
        let e = parse_json::<Cart>(text, "").unwrap_err();
        (e[0].code.clone(), e[0].path.clone())
    }

    #[test]
    fn errors_name_the_path_of_the_offending_field() {
        assert_eq!(
            err(r#"{"lines":[{"category":"a","quantity":1},{"category":"b","quantity":"x"}]}"#),
            ("invalid_value".into(), "lines[1].quantity".into())
        );
        assert_eq!(
            err("{\n  \"lines\": [\n    {\"category\": 5, \"quantity\": 1}\n  ]\n}"),
            ("invalid_value".into(), "lines[0].category".into())
        );
        assert_eq!(
            err(r#"{"lines":[{"category":"a"}]}"#),
            ("missing_field".into(), "lines[0]".into())
        );
        assert_eq!(
            err(r#"{"lines":[],"extra":{"deep":[1,2]}}"#),
            ("unknown_field".into(), "extra".into())
        );
        assert_eq!(
            err(r#"{"lines":[{"category":"a\"]","quantity":true}]}"#),
            ("invalid_value".into(), "lines[0].quantity".into())
        );
        assert_eq!(err(r#"{"lines":"#).0, "invalid_json");
        assert_eq!(err(r#"{}"#), ("missing_field".into(), "".into()));
    }
}
