//! Properties of the catalogue decoder, over generated input: it never
//! panics, it fails only with `Error::Decode`, and every catalogue it
//! accepts round-trips. (`fuzz/` runs the same checks for hours, on demand.)

use chrono::{DateTime, SecondsFormat};
use netverify::{Catalogue, Error};
use proptest::prelude::*;
use serde_json::{Value, json};

/// What must hold for any input: no panic; `Decode` or a catalogue that
/// serializes to JSON which decodes back equal and serializes identically.
fn decode_and_round_trip(bytes: &[u8]) -> Result<Option<Catalogue>, TestCaseError> {
    match Catalogue::from_json(bytes) {
        Ok(catalogue) => {
            let saved = serde_json::to_vec(&catalogue).unwrap();
            let loaded = Catalogue::from_json(&saved)
                .map_err(|e| TestCaseError::fail(format!("own JSON rejected: {e}")))?;
            prop_assert_eq!(&loaded, &catalogue);
            prop_assert_eq!(serde_json::to_vec(&loaded).unwrap(), saved);
            for country in &catalogue {
                prop_assert_eq!(catalogue.country(country.code()), Some(country));
                for document in country.documents() {
                    prop_assert_eq!(
                        catalogue.document(country.code(), document.id_type()),
                        Some(document)
                    );
                }
            }
            Ok(Some(catalogue))
        }
        Err(Error::Decode { excerpt, .. }) => {
            prop_assert!(
                excerpt.chars().count() <= netverify::Error::EXCERPT_MAX_CHARS,
                "{}",
                excerpt
            );
            Ok(None)
        }
        Err(other) => Err(TestCaseError::fail(format!(
            "not a Decode error: {other:?}"
        ))),
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 192,
        ..ProptestConfig::default()
    }
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("\\PC{0,8}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// A value that is usually of the right shape for a field and sometimes
/// anything at all.
fn or_anything(right: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![8 => right, 1 => any_json()].boxed()
}

fn timestamp_millis() -> impl Strategy<Value = i64> {
    // From 1970 to the end of year 9999, where RFC 3339 has four-digit years.
    0i64..253_402_300_800_000
}

fn timestamp_text() -> impl Strategy<Value = String> {
    (timestamp_millis(), 0u32..1_000_000, any::<bool>()).prop_map(|(millis, nanos, finer)| {
        let at = DateTime::from_timestamp_millis(millis).unwrap();
        if finer {
            (at + chrono::Duration::nanoseconds(nanos.into()))
                .to_rfc3339_opts(SecondsFormat::AutoSi, true)
        } else {
            at.to_rfc3339_opts(SecondsFormat::Millis, true)
        }
    })
}

fn id_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("PASSPORT".to_owned()),
        Just("DRIVING_LICENSE".to_owned()),
        Just("ID_CARD".to_owned()),
        Just("VISA".to_owned()),
        "[A-Z_]{1,16}",
        "\\PC{0,12}",
    ]
}

fn document() -> impl Strategy<Value = Value> {
    (id_type(), any::<bool>())
        .prop_map(|(id_type, back_side)| {
            json!({"acquisitionConfig": {"backSide": back_side}, "idType": id_type})
        })
}

fn country() -> impl Strategy<Value = Value> {
    (
        "[A-Z]{3}",
        "\\PC{0,100}",
        prop::collection::vec(document(), 0..5),
    )
        .prop_map(|(code, name, documents)| {
            json!({"countryCode": code, "countryName": name, "idTypes": documents})
        })
}

/// A catalogue as the API sends it, with unique countries and unique ID
/// types per country (repeats are merged on decoding, by design).
fn valid_catalogue() -> impl Strategy<Value = Value> {
    (
        timestamp_text(),
        prop_oneof![Just("supportedIdTypes"), Just("acceptedIdTypes")],
        prop::collection::vec(country(), 0..12),
    )
        .prop_map(|(timestamp, key, countries)| {
            let mut seen = std::collections::HashSet::new();
            let countries: Vec<Value> = countries
                .into_iter()
                .filter(|c| seen.insert(c["countryCode"].clone()))
                .map(|mut country| {
                    let mut types = std::collections::HashSet::new();
                    let documents = country["idTypes"].as_array_mut().unwrap();
                    documents.retain(|d| types.insert(d["idType"].clone()));
                    country
                })
                .collect();
            json!({"timestamp": timestamp, key: countries})
        })
}

/// The response's shape with any field possibly wrong, missing, or joined
/// by unknown ones.
fn shaped_like_a_response() -> impl Strategy<Value = Value> {
    let document = (
        or_anything(any::<bool>().prop_map(|b| json!({ "backSide": b }))),
        or_anything(id_type().prop_map(Value::from)),
        prop::option::of(any_json()),
    )
        .prop_map(|(config, id_type, extra)| {
            let mut object = json!({"acquisitionConfig": config, "idType": id_type});
            if let Some(extra) = extra {
                object["extra"] = extra;
            }
            object
        });
    let country = (
        or_anything("[A-Za-z]{2,4}".prop_map(Value::from)),
        or_anything("\\PC{0,110}".prop_map(Value::from)),
        or_anything(prop::collection::vec(document, 0..4).prop_map(Value::from)),
        prop::sample::subsequence(vec!["countryCode", "countryName", "idTypes"], 0..=3),
    )
        .prop_map(|(code, name, documents, dropped)| {
            let mut object =
                json!({"countryCode": code, "countryName": name, "idTypes": documents});
            for key in dropped {
                object.as_object_mut().unwrap().remove(key);
            }
            object
        });
    (
        or_anything(timestamp_text().prop_map(Value::from)),
        or_anything(prop::collection::vec(country.clone(), 0..6).prop_map(Value::from)),
        prop::option::of(or_anything(
            prop::collection::vec(country, 0..6).prop_map(Value::from),
        )),
        any::<bool>(),
    )
        .prop_map(|(timestamp, supported, accepted, drop_timestamp)| {
            let mut object = json!({"timestamp": timestamp, "supportedIdTypes": supported});
            if let Some(accepted) = accepted {
                object["acceptedIdTypes"] = accepted;
            }
            if drop_timestamp {
                object.as_object_mut().unwrap().remove("timestamp");
            }
            object
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_and_round_trip(&bytes)?;
    }

    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        decode_and_round_trip(&serde_json::to_vec(&value).unwrap())?;
    }

    #[test]
    fn values_shaped_like_a_response_decode_or_fail_with_decode(value in shaped_like_a_response()) {
        decode_and_round_trip(&serde_json::to_vec(&value).unwrap())?;
    }

    #[test]
    fn every_valid_catalogue_round_trips_to_equal_json(value in valid_catalogue()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        let catalogue = decode_and_round_trip(&bytes)?;
        prop_assert!(catalogue.is_some(), "valid catalogue refused: {}", value);
        let catalogue = catalogue.unwrap();
        let saved: Value = serde_json::to_value(&catalogue).unwrap();
        prop_assert_eq!(saved, value);
    }
}
