//! The JSON Schema of the programme format, generated from the Rust types so that it cannot
//! drift from what [`crate::Program::load`] accepts. A merchant's editor can check a file
//! against it while typing; `jifen schema` prints it and `schema/program.schema.json` is the
//! committed copy (a test keeps the two equal).

/// The programme schema as pretty JSON.
pub fn program_schema() -> String {
    let schema = schemars::schema_for!(crate::program::Program);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
