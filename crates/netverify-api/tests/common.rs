//! Shared by the netverify-api tests: the spec, so the samples the tests pin
//! are the ones the spec publishes. The crate's `openapi/` folder holds
//! symbolic links to the repository's `openapi/` files, which `cargo package`
//! copies into the package, so these tests also run from the published crate.

#![allow(dead_code)]

use serde_json::Value;

pub const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/netverify.yaml");

pub fn spec_text() -> String {
    std::fs::read_to_string(SPEC_PATH).expect("openapi/netverify.yaml is readable")
}

/// The spec as plain JSON, for walking into places openapiv3 types make awkward.
pub fn spec_json() -> Value {
    serde_yaml::from_str(&spec_text()).expect("the spec is valid YAML")
}

/// The documented sample of an operation's 200 response, as the spec embeds it.
pub fn documented_sample(path: &str) -> Value {
    let spec = spec_json();
    let pointer = format!(
        "/paths/{}/get/responses/200/content/application~1json/examples/documentedSample/value",
        path.replace('~', "~0").replace('/', "~1")
    );
    spec.pointer(&pointer)
        .unwrap_or_else(|| panic!("the spec has no documented sample at {pointer}"))
        .clone()
}

pub const SUPPORTED_PATH: &str = "/api/netverify/v2/supportedIdTypes";
pub const ACCEPTED_PATH: &str = "/api/netverify/v2/acceptedIdTypes";
