//! Look-ups, diffs and the saved JSON shape, on Jumio's documented samples.

mod common;

use common::{ACCEPTED, SUPPORTED};
use netverify::{
    BackSideChange, Catalogue, Country, CountryCode, Document, IdType, ListKey, Operation,
};

fn code(value: &str) -> CountryCode {
    CountryCode::new(value).unwrap()
}

fn supported() -> Catalogue {
    Catalogue::from_json(SUPPORTED.as_bytes()).unwrap()
}

fn accepted() -> Catalogue {
    Catalogue::from_json(ACCEPTED.as_bytes()).unwrap()
}

#[test]
fn look_ups_on_the_supported_sample() {
    let catalogue = supported();
    assert_eq!(catalogue.len(), 2);
    assert_eq!(
        catalogue.country(code("FRO")).unwrap().name(),
        "Faroe Islands"
    );
    assert!(catalogue.country(code("DEU")).is_none());

    assert!(catalogue.contains(code("NLD"), &IdType::IdCard));
    assert!(!catalogue.contains(code("FRO"), &IdType::IdCard));
    assert_eq!(
        catalogue.back_side_required(code("NLD"), &IdType::DrivingLicense),
        Some(true)
    );
    assert_eq!(
        catalogue.back_side_required(code("NLD"), &IdType::Passport),
        Some(false)
    );
    assert_eq!(
        catalogue.back_side_required(code("FRO"), &IdType::DrivingLicense),
        Some(false)
    );
    assert_eq!(
        catalogue.back_side_required(code("FRO"), &IdType::Visa),
        None
    );
    let document = catalogue.document(code("NLD"), &IdType::IdCard).unwrap();
    assert_eq!(
        (document.id_type(), document.back_side_required()),
        (&IdType::IdCard, true)
    );

    let offering = |id_type: IdType| -> Vec<String> {
        catalogue
            .countries_offering(&id_type)
            .map(|c| c.code().to_string())
            .collect()
    };
    assert_eq!(offering(IdType::Passport), ["NLD", "FRO"]);
    assert_eq!(offering(IdType::IdCard), ["NLD"]);
    assert!(offering(IdType::Visa).is_empty());

    let entries: Vec<String> = catalogue
        .entries()
        .map(|(c, d)| format!("{}/{}", c.code(), d.id_type()))
        .collect();
    assert_eq!(
        entries,
        [
            "NLD/ID_CARD",
            "NLD/DRIVING_LICENSE",
            "NLD/PASSPORT",
            "FRO/DRIVING_LICENSE",
            "FRO/PASSPORT"
        ]
    );
    assert_eq!((&catalogue).into_iter().count(), 2);
    let mut kinds: Vec<String> = catalogue.id_types().map(ToString::to_string).collect();
    kinds.sort();
    assert_eq!(kinds, ["DRIVING_LICENSE", "ID_CARD", "PASSPORT"]);
}

#[test]
fn a_repeated_country_is_merged_into_its_first_entry() {
    let catalogue = Catalogue::new(
        chrono::Utc::now(),
        ListKey::SupportedIdTypes,
        vec![
            Country::new(
                code("NLD"),
                "Netherlands",
                vec![Document::new(IdType::Passport, false)],
            ),
            Country::new(code("FRO"), "Faroe Islands", vec![]),
            Country::new(
                code("NLD"),
                "Nederland",
                vec![
                    Document::new(IdType::Passport, true),
                    Document::new(IdType::IdCard, true),
                ],
            ),
        ],
    );
    // Look-ups and iteration agree: one NLD, the first name, the first entry
    // of a repeated pair, the documents of both entries.
    assert_eq!(catalogue.len(), 2);
    let netherlands = catalogue.country(code("NLD")).unwrap();
    assert_eq!(netherlands.name(), "Netherlands");
    assert_eq!(
        netherlands.documents(),
        [
            Document::new(IdType::Passport, false),
            Document::new(IdType::IdCard, true)
        ]
    );
    assert_eq!(
        catalogue.back_side_required(code("NLD"), &IdType::Passport),
        Some(false)
    );
    assert_eq!(
        catalogue.back_side_required(code("NLD"), &IdType::IdCard),
        Some(true)
    );
    assert_eq!(catalogue.countries_offering(&IdType::Passport).count(), 1);
    assert_eq!(catalogue.entries().count(), 2);
}

#[test]
fn accepted_vs_supported() {
    let diff = accepted().diff(&supported());
    // Accepted entries the supported sample does not list.
    let left: Vec<String> = diff
        .only_in_left
        .iter()
        .map(|e| format!("{}/{}", e.country_code, e.id_type))
        .collect();
    assert_eq!(
        left,
        [
            "GAB/PASSPORT",
            "SGP/ID_CARD",
            "SGP/DRIVING_LICENSE",
            "SGP/PASSPORT"
        ]
    );
    // Supported entries the account could still enable.
    let right: Vec<String> = diff
        .only_in_right
        .iter()
        .map(|e| format!("{}/{}", e.country_code, e.id_type))
        .collect();
    assert_eq!(
        right,
        [
            "NLD/ID_CARD",
            "NLD/DRIVING_LICENSE",
            "NLD/PASSPORT",
            "FRO/DRIVING_LICENSE",
            "FRO/PASSPORT"
        ]
    );
    assert_eq!(diff.only_in_right[0].country_name, "Netherlands");
    assert!(diff.only_in_right[0].back_side);
    assert!(diff.back_side_changed.is_empty());
    assert!(!diff.is_empty());
}

#[test]
fn yesterday_vs_today() {
    let yesterday = supported();
    let mut today: serde_json::Value = serde_json::from_str(SUPPORTED).unwrap();
    let countries = today["supportedIdTypes"].as_array_mut().unwrap();
    // FRO drops its driving licence; NLD's passport now needs its back side,
    // and NLD adds a visa.
    assert_eq!(countries[1]["idTypes"][0]["idType"], "DRIVING_LICENSE");
    countries[1]["idTypes"].as_array_mut().unwrap().remove(0);
    assert_eq!(countries[0]["idTypes"][2]["idType"], "PASSPORT");
    countries[0]["idTypes"][2]["acquisitionConfig"]["backSide"] = true.into();
    countries[0]["idTypes"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"acquisitionConfig": {"backSide": false}, "idType": "VISA"}));
    let today_json = today.to_string();
    let today = Catalogue::from_json(today_json.as_bytes()).unwrap();
    let diff = yesterday.diff(&today);
    let removed: Vec<String> = diff
        .only_in_left
        .iter()
        .map(|e| format!("{}/{}", e.country_code, e.id_type))
        .collect();
    assert_eq!(removed, ["FRO/DRIVING_LICENSE"]);
    let added: Vec<String> = diff
        .only_in_right
        .iter()
        .map(|e| format!("{}/{}", e.country_code, e.id_type))
        .collect();
    assert_eq!(added, ["NLD/VISA"]);
    assert_eq!(diff.back_side_changed.len(), 1);
    let BackSideChange {
        country_code,
        id_type,
        left,
        right,
        ..
    } = &diff.back_side_changed[0];
    assert_eq!(
        (country_code.as_str(), id_type, *left, *right),
        ("NLD", &IdType::Passport, false, true)
    );

    assert!(yesterday.diff(&supported()).is_empty());
    let json = serde_json::to_value(&diff).unwrap();
    assert_eq!(json["backSideChanged"][0]["countryCode"], "NLD");
    assert_eq!(json["onlyInRight"][0]["idType"], "VISA");
}

#[test]
fn saved_catalogues_have_the_api_shape_and_load_back_equal() {
    for (sample, key) in [
        (SUPPORTED, "supportedIdTypes"),
        (ACCEPTED, "acceptedIdTypes"),
    ] {
        let catalogue = Catalogue::from_json(sample.as_bytes()).unwrap();
        let saved = serde_json::to_string_pretty(&catalogue).unwrap();
        // Same document as Jumio's sample, key for key.
        let original: serde_json::Value = serde_json::from_str(sample).unwrap();
        let written: serde_json::Value = serde_json::from_str(&saved).unwrap();
        assert_eq!(written, original);
        assert!(
            saved.find("timestamp").unwrap() < saved.find(key).unwrap(),
            "timestamp first"
        );
        // Loaded back: the same catalogue, and the same document again (so an
        // equality that always holds cannot pass this test).
        let loaded = Catalogue::from_json(saved.as_bytes()).unwrap();
        assert_eq!(loaded, catalogue);
        assert_eq!(serde_json::to_value(&loaded).unwrap(), original);
        let via_serde: Catalogue = serde_json::from_str(&saved).unwrap();
        assert_eq!(via_serde, catalogue);
        assert_eq!(serde_json::to_value(&via_serde).unwrap(), original);
    }
}

#[test]
fn timestamps_are_written_with_milliseconds() {
    let json = r#"{"timestamp":"2020-01-02T03:04:05Z","supportedIdTypes":[]}"#;
    let saved = serde_json::to_string(&Catalogue::from_json(json.as_bytes()).unwrap()).unwrap();
    assert_eq!(
        saved,
        r#"{"timestamp":"2020-01-02T03:04:05.000Z","supportedIdTypes":[]}"#
    );
    let json = r#"{"timestamp":"2020-01-02T03:04:05.100Z","acceptedIdTypes":[]}"#;
    let saved = serde_json::to_string(&Catalogue::from_json(json.as_bytes()).unwrap()).unwrap();
    assert_eq!(
        saved,
        r#"{"timestamp":"2020-01-02T03:04:05.100Z","acceptedIdTypes":[]}"#
    );
}

#[test]
fn loading_reports_where_a_file_is_wrong() {
    let Err(netverify::Error::Decode { path, .. }) =
        Catalogue::from_json(br#"{"supportedIdTypes":[]}"#)
    else {
        panic!("a document without timestamp loaded")
    };
    assert_eq!(path, ".");
    let Err(netverify::Error::Decode { path, excerpt, .. }) =
        Catalogue::from_json(b"{\"timestamp\": 5}")
    else {
        panic!("decoded")
    };
    assert_eq!(path, "timestamp");
    assert_eq!(excerpt, "{\"timestamp\": 5}");
}

/// A catalogue knows the endpoint it came from, whatever key the server
/// sent: the accepted list under `supportedIdTypes` is saved under
/// `acceptedIdTypes` (by `Serialize`, hence by the CLI's `-f json` and the
/// cache's `persist_to`) and reads back as the accepted list, equal.
#[tokio::test]
async fn the_accepted_list_under_supported_id_types_is_saved_as_the_accepted_list() {
    let server = netverify_mock::MockServer::builder()
        .accepted_key(ListKey::SupportedIdTypes)
        .start()
        .await
        .unwrap();
    let client = common::mock_builder(&server).build().unwrap();
    let accepted = client.accepted_id_types().await.unwrap();
    assert_eq!(accepted.endpoint(), Operation::AcceptedIdTypes);
    assert_eq!(
        accepted.list_key(),
        ListKey::SupportedIdTypes,
        "the key sent"
    );

    let saved = serde_json::to_value(&accepted).unwrap();
    assert!(saved.get("supportedIdTypes").is_none(), "{saved}");
    assert!(saved["acceptedIdTypes"].as_array().unwrap().len() > 1);
    let loaded = Catalogue::from_json(saved.to_string().as_bytes()).unwrap();
    assert_eq!(loaded.endpoint(), Operation::AcceptedIdTypes);
    assert_eq!(loaded, accepted);
    let via_serde: Catalogue = serde_json::from_value(saved).unwrap();
    assert_eq!(via_serde, accepted);

    // A filtered catalogue is still the list it was.
    let nld = code("NLD");
    let filtered = accepted.filter(&[nld], &[]);
    assert_eq!(filtered.endpoint(), Operation::AcceptedIdTypes);
    assert!(
        serde_json::to_value(&filtered)
            .unwrap()
            .get("acceptedIdTypes")
            .is_some()
    );

    let supported = client.supported_id_types().await.unwrap();
    assert_eq!(supported.endpoint(), Operation::SupportedIdTypes);
    assert_ne!(supported.endpoint(), accepted.endpoint());
}

/// Files written by 0.2 (under the key the server used) still read, with
/// the answer 0.2 gave: the key names the endpoint.
#[test]
fn files_of_0_2_read_as_their_key_names() {
    for (sample, endpoint) in [
        (SUPPORTED, Operation::SupportedIdTypes),
        (ACCEPTED, Operation::AcceptedIdTypes),
    ] {
        let catalogue = Catalogue::from_json(sample.as_bytes()).unwrap();
        assert_eq!(catalogue.endpoint(), endpoint);
    }
}
