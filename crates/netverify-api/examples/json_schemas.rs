//! Prints the JSON Schemas of the response models as one JSON object, model
//! name to schema. `cargo xtask generate` runs this and writes each schema to
//! `openapi/schemas/<Model>.json` (the xtask cannot depend on this crate,
//! because it must build while the generated code is stale).

use netverify_api::AcceptedIdTypesResponse;
use netverify_api::types::{JumioErrorBody, SupportedIdTypesResponse};
use schemars::r#gen::{SchemaGenerator, SchemaSettings};
use schemars::schema::RootSchema;

fn main() {
    let schemas = serde_json::json!({
        "SupportedIdTypesResponse": schema_for::<SupportedIdTypesResponse>(),
        "AcceptedIdTypesResponse": schema_for::<AcceptedIdTypesResponse>(),
        "JumioErrorBody": schema_for::<JumioErrorBody>(),
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&schemas).expect("schemas serialize")
    );
}

/// `schemars::schema_for!` (JSON Schema draft 7), except that an optional
/// field does not also allow `null`: the spec's optional fields are absent or
/// a value, never null, and the schemas must say what the spec says.
fn schema_for<T: schemars::JsonSchema>() -> RootSchema {
    let settings = SchemaSettings::draft07().with(|s| s.option_add_null_type = false);
    SchemaGenerator::new(settings).into_root_schema_for::<T>()
}
