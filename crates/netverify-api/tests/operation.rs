//! The one place that names the endpoints and their list keys, and the
//! hand-written `AcceptedIdTypesResponse`'s JSON Schema.

use netverify_api::{AcceptedIdTypesResponse, ListKey, Operation};
use schemars::r#gen::{SchemaGenerator, SchemaSettings};

#[test]
fn each_operation_names_its_list_keys_preferred_first() {
    assert_eq!(
        Operation::SupportedIdTypes.list_keys(),
        [ListKey::SupportedIdTypes]
    );
    assert_eq!(
        Operation::AcceptedIdTypes.list_keys(),
        [ListKey::AcceptedIdTypes, ListKey::SupportedIdTypes]
    );
}

#[test]
fn names_display_and_parse_as_on_the_wire() {
    assert_eq!(Operation::SupportedIdTypes.to_string(), "supportedIdTypes");
    assert_eq!(Operation::AcceptedIdTypes.to_string(), "acceptedIdTypes");
    for key in ListKey::ALL {
        assert_eq!(key.to_string(), key.as_str());
        assert_eq!(ListKey::from_name(key.as_str()), Some(key));
    }
    assert_eq!(ListKey::from_name("acceptedIdType"), None);
    assert_eq!(ListKey::from_name("AcceptedIdTypes"), None);
    assert_eq!(ListKey::from_name(""), None);
}

/// The schema derived now is the one committed in `openapi/schemas/`, with
/// its rule that one of the two list keys is required.
#[test]
fn the_derived_schema_is_the_committed_one() {
    let settings = SchemaSettings::draft07().with(|s| s.option_add_null_type = false);
    let derived = SchemaGenerator::new(settings).into_root_schema_for::<AcceptedIdTypesResponse>();
    let derived = serde_json::to_value(derived).unwrap();
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/openapi/schemas/AcceptedIdTypesResponse.json"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(derived, committed);
    assert_eq!(
        derived["anyOf"],
        serde_json::json!([{"required": ["acceptedIdTypes"]}, {"required": ["supportedIdTypes"]}])
    );
    assert_eq!(derived["title"], "AcceptedIdTypesResponse");
}
