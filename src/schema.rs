//! The JSON Schema of the programme format, generated from the Rust types so that it cannot
//! drift from what [`crate::Program::load`] accepts. A merchant's editor can check a file
//! against it while typing; `jifen schema` prints it and `schema/program.schema.json` is the
//! committed copy (a test keeps the two equal).

/// The programme schema as pretty JSON.
pub fn program_schema() -> String {
    let schema = schemars::schema_for!(crate::program::Program);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// The request and result schema of every operation (and the shared definitions), from which
/// `scripts/gen-types.mjs` writes the package's TypeScript types.
pub fn api_schema() -> String {
    use crate::{
        change, disclosure, earning, expiry, household, offset, projection, returns, rewards,
        simulation,
    };
    use schemars::gen::SchemaSettings;
    let mut gen = SchemaSettings::draft07().into_generator();
    let mut ops = serde_json::Map::new();
    macro_rules! op {
        ($name:literal, $req:ty, $res:ty) => {{
            let req = serde_json::to_value(gen.subschema_for::<$req>()).unwrap_or_default();
            let res = serde_json::to_value(gen.subschema_for::<$res>()).unwrap_or_default();
            ops.insert($name.into(), serde_json::json!({ "request": req, "result": res }));
        }};
    }
    op!("quote", earning::QuoteRequest, earning::Quote);
    op!("rewards", rewards::RewardsRequest, rewards::RewardsResult);
    op!("offset", offset::OffsetRequest, offset::OffsetResult);
    op!("redeem", rewards::RedeemRequest, rewards::RedeemResult);
    op!(
        "transfer",
        household::TransferRequest,
        household::TransferResult
    );
    op!("expiry", expiry::ExpiryRequest, expiry::ExpiryResult);
    op!("return", returns::ReturnRequest, returns::ReturnResult);
    op!(
        "project",
        projection::ProjectRequest,
        projection::ProjectResult
    );
    op!(
        "disclose",
        crate::engine::EmptyRequest,
        disclosure::Disclosure
    );
    op!("check_change", change::ChangeRequest, change::ChangeResult);
    op!(
        "simulate",
        simulation::SimulateRequest,
        simulation::SimulationResult
    );
    let program =
        serde_json::to_value(gen.subschema_for::<crate::program::Program>()).unwrap_or_default();
    let program_ref =
        serde_json::to_value(gen.subschema_for::<crate::engine::ProgramRef>()).unwrap_or_default();
    let error =
        serde_json::to_value(gen.subschema_for::<crate::error::Error>()).unwrap_or_default();
    let defs = serde_json::to_value(gen.definitions()).unwrap_or_default();
    serde_json::to_string_pretty(&serde_json::json!({ "operations": ops, "program": program, "program_ref": program_ref, "error": error, "definitions": defs })).unwrap_or_default()
}
