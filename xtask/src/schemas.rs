//! JSON Schema documents for the response models, for those who only want the
//! models: `openapi/schemas/<Model>.json`, derived with schemars from the
//! generated types and drift-checked with the generated code.
//!
//! The xtask must build when the generated code is stale or broken, so it does
//! not depend on netverify-api; it runs that crate's `json_schemas` example,
//! which prints a JSON object of model name to schema.

use std::collections::BTreeMap;

use crate::tools::step;
use crate::workspace::{self, Mode};

const DIR: &str = "openapi/schemas";

pub fn run(mode: Mode) -> Result<(), String> {
    step("deriving JSON Schemas");
    let printed = workspace::example_output("netverify-api", "json_schemas")?;
    let schemas: BTreeMap<String, serde_json::Value> = serde_json::from_str(&printed)
        .map_err(|e| format!("the json_schemas example printed no JSON object of schemas: {e}"))?;
    if schemas.is_empty() {
        return Err("the json_schemas example printed no schema".to_owned());
    }

    let files: BTreeMap<String, String> = schemas
        .iter()
        .map(|(name, schema)| {
            let text = serde_json::to_string_pretty(schema).expect("a JSON value serializes");
            (format!("{name}.json"), text + "\n")
        })
        .collect();
    workspace::write_or_check_dir(mode, DIR, &files)
}
