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

/// Turns a serde error (with its path) into a typed error.
pub(crate) fn from_serde(
    err: serde_path_to_error::Error<serde_json::Error>,
    prefix: &str,
) -> Error {
    let inner = err.inner();
    let mut path = err.path().to_string();
    if path == "." {
        path.clear();
    }
    let path = match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path,
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}.{path}"),
    };
    let text = inner.to_string();
    let code = if text.starts_with("unknown field") {
        "unknown_field"
    } else if text.starts_with("missing field") {
        "missing_field"
    } else if inner.is_syntax() || inner.is_eof() {
        "invalid_json"
    } else {
        "invalid_value"
    };
    // serde_json appends " at line X column Y"; the path says where already.
    let message = match text.find(" at line ") {
        Some(i) if inner.line() > 0 && code != "invalid_json" => text[..i].to_string(),
        _ => text,
    };
    Error::new(code, path, message)
}

/// Parses JSON text into `T`, reporting the JSON path of any mismatch.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, prefix: &str) -> Result<T, Errors> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(de).map_err(|e| vec![from_serde(e, prefix)])?;
    Ok(value)
}

/// Converts an already-parsed JSON value into `T`, reporting the JSON path of any mismatch.
pub fn from_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, Errors> {
    serde_path_to_error::deserialize(value).map_err(|e| vec![from_serde(e, prefix)])
}
