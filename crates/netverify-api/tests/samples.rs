//! Pins the generated models against the documented samples, read from the
//! spec's `examples`, so spec and tests cannot drift apart.

mod common;

use common::{ACCEPTED_PATH, SUPPORTED_PATH, documented_sample};
use netverify_api::AcceptedIdTypesResponse;
use netverify_api::types::{JumioErrorBody, SupportedIdTypesResponse};
use netverify_api::{CountryCode, IdType, ListKey};
use serde_json::{Value, json};

/// Deserializes `sample`, and checks that serializing the typed value gives
/// the same JSON back.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(sample: &Value) -> T {
    let typed: T = serde_json::from_value(sample.clone()).expect("the sample deserializes");
    assert_eq!(
        &serde_json::to_value(&typed).unwrap(),
        sample,
        "re-serialized JSON differs"
    );
    typed
}

#[test]
fn supported_sample() {
    let typed: SupportedIdTypesResponse = round_trip(&documented_sample(SUPPORTED_PATH));
    insta::assert_debug_snapshot!(typed);
}

#[test]
fn accepted_sample() {
    let typed: AcceptedIdTypesResponse = round_trip(&documented_sample(ACCEPTED_PATH));
    assert_eq!(typed.list_key, ListKey::AcceptedIdTypes);
    insta::assert_debug_snapshot!(typed);
}

#[test]
fn accepted_response_under_the_supported_key_parses() {
    // Jumio's parameter table names the accepted list `supportedIdTypes`.
    let mut sample = documented_sample(ACCEPTED_PATH);
    let list = sample
        .as_object_mut()
        .unwrap()
        .remove("acceptedIdTypes")
        .unwrap();
    sample["supportedIdTypes"] = list;
    let typed: AcceptedIdTypesResponse = round_trip(&sample);
    assert_eq!(typed.list_key, ListKey::SupportedIdTypes);
    assert_eq!(typed.countries.len(), 2);
    insta::assert_debug_snapshot!(typed);
}

#[test]
fn accepted_response_without_its_list_is_an_error_not_an_empty_list() {
    for document in [
        json!({ "timestamp": "2019-03-01T14:13:38.938Z" }),
        json!({ "timestamp": "2019-03-01T14:13:38.938Z", "acceptedIdType": [] }),
        json!({ "timestamp": "2019-03-01T14:13:38.938Z", "AcceptedIdTypes": [] }),
    ] {
        let error = serde_json::from_value::<AcceptedIdTypesResponse>(document.clone())
            .expect_err("a document without a list decoded");
        let message = error.to_string();
        assert!(
            message.contains("`acceptedIdTypes`") && message.contains("`supportedIdTypes`"),
            "{document}: {message}"
        );
    }
}

#[test]
fn accepted_key_wins_over_supported_key_even_when_empty() {
    let mut sample = documented_sample(ACCEPTED_PATH);
    let list = sample["acceptedIdTypes"].clone();
    sample["supportedIdTypes"] = list;
    sample["acceptedIdTypes"] = json!([]);
    let typed: AcceptedIdTypesResponse = serde_json::from_value(sample).unwrap();
    assert_eq!(typed.list_key, ListKey::AcceptedIdTypes);
    assert_eq!(typed.countries, vec![]);
}

#[test]
fn unknown_id_type_is_kept_and_unknown_fields_are_ignored() {
    let sample = documented_sample(SUPPORTED_PATH);
    let mut response = sample.clone();
    response["apiRevision"] = json!(7);
    response["supportedIdTypes"][0]["region"] = json!("Europe");
    response["supportedIdTypes"][0]["idTypes"][1]["idType"] = json!("RESIDENCE_PERMIT");
    response["supportedIdTypes"][0]["idTypes"][1]["acquisitionConfig"]["frontSide"] = json!(true);
    response["supportedIdTypes"][1]["idTypes"][0]["issuedSince"] = json!("2001");

    let typed: SupportedIdTypesResponse =
        serde_json::from_value(response).expect("still deserializes");
    let netherlands = &typed.supported_id_types[0];
    let kinds: Vec<&IdType> = netherlands.id_types.iter().map(|d| &d.id_type).collect();
    assert_eq!(
        kinds,
        [
            &IdType::IdCard,
            &IdType::Unknown("RESIDENCE_PERMIT".into()),
            &IdType::Passport
        ]
    );
    assert_eq!(
        typed.supported_id_types[1].country_code,
        CountryCode::new("FRO").unwrap()
    );

    // Unknown fields are dropped; the unknown ID type is written back verbatim.
    let mut expected = sample;
    expected["supportedIdTypes"][0]["idTypes"][1]["idType"] = json!("RESIDENCE_PERMIT");
    assert_eq!(serde_json::to_value(&typed).unwrap(), expected);
    insta::assert_debug_snapshot!(typed);
}

#[test]
fn visa_is_a_known_id_type() {
    let mut sample = documented_sample(ACCEPTED_PATH);
    sample["acceptedIdTypes"][1]["idTypes"][2]["idType"] = json!("VISA");
    let typed: AcceptedIdTypesResponse = round_trip(&sample);
    assert_eq!(typed.countries[1].id_types[2].id_type, IdType::Visa);
}

#[test]
fn invalid_country_code_names_the_value() {
    let mut sample = documented_sample(SUPPORTED_PATH);
    sample["supportedIdTypes"][1]["countryCode"] = json!("fro");
    let error = serde_json::from_value::<SupportedIdTypesResponse>(sample).unwrap_err();
    assert!(
        error.to_string().contains("invalid country code \"fro\""),
        "{error}"
    );
}

#[test]
fn error_body_keeps_http_status_as_a_string() {
    let recorded = json!({
        "httpStatus": "404",
        "message": "Not found: /api/netverify/v2/supportedIdType",
        "requestURI": "/api/netverify/v2/supportedIdType"
    });
    let typed: JumioErrorBody = round_trip(&recorded);
    insta::assert_debug_snapshot!(typed);

    // Lenient: no field is required, unknown ones are ignored.
    let sparse: JumioErrorBody = serde_json::from_value(json!({"error": "proxy"})).unwrap();
    assert_eq!(
        sparse,
        JumioErrorBody {
            http_status: None,
            message: None,
            request_uri: None
        }
    );
}
