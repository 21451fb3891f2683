//! Shared by the netverify-api tests: the spec, read from the repository, so
//! the samples the tests pin are the ones the spec publishes.

#![allow(dead_code)]

use serde_json::Value;

pub const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/netverify.yaml");

pub fn spec_text() -> String {
    std::fs::read_to_string(SPEC_PATH).expect("openapi/netverify.yaml is readable")
}

/// The spec as plain JSON, for walking into places openapiv3 types make awkward.
pub fn spec_json() -> Value {
    serde_yaml::from_str(&spec_text()).expect("the spec is valid YAML")
}

/// The documented sample of an operation's 200 response, through the one
/// accessor (`cargo xtask generate --check` keeps it equal to the spec's
/// example).
pub fn documented_sample(path: &str) -> Value {
    let operation = netverify_api::Operation::from_path(path).expect("an operation's path");
    serde_json::from_str(operation.documented_sample()).expect("the sample is JSON")
}

pub const SUPPORTED_PATH: &str = netverify_api::Operation::SupportedIdTypes.path();
pub const ACCEPTED_PATH: &str = netverify_api::Operation::AcceptedIdTypes.path();
