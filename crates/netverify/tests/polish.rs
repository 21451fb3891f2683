//! The common traits and small helpers of the public API: serde for
//! regions, countries, documents and diffs; `Catalogue::filter`.

mod common;

use common::*;
use netverify::{Catalogue, CatalogueDiff, Country, CountryCode, Document, IdType, Region};

#[test]
fn regions_round_trip_through_serde_in_any_case() {
    for region in Region::ALL {
        let json = serde_json::to_string(&region).unwrap();
        assert_eq!(json, format!("\"{}\"", region.as_str()));
        assert_eq!(serde_json::from_str::<Region>(&json).unwrap(), region);
        let upper = json.to_uppercase();
        assert_eq!(serde_json::from_str::<Region>(&upper).unwrap(), region);
    }
    assert_eq!("Eu".parse::<Region>().unwrap(), Region::Eu);
    let error = serde_json::from_str::<Region>("\"apac\"").unwrap_err();
    assert!(
        error.to_string().contains("unknown region \"apac\""),
        "{error}"
    );
    assert!(serde_json::from_str::<Region>("1").is_err());
}

#[test]
fn countries_documents_and_diffs_round_trip_through_serde() {
    let supported = Catalogue::from_json(SUPPORTED.as_bytes()).unwrap();
    let accepted = Catalogue::from_json(ACCEPTED.as_bytes()).unwrap();
    for country in supported.countries().iter().chain(accepted.countries()) {
        let json = serde_json::to_string(country).unwrap();
        assert_eq!(&serde_json::from_str::<Country>(&json).unwrap(), country);
        for document in country.documents() {
            let json = serde_json::to_string(document).unwrap();
            assert_eq!(&serde_json::from_str::<Document>(&json).unwrap(), document);
        }
    }
    let diff = accepted.diff(&supported);
    assert!(!diff.is_empty());
    let json = serde_json::to_string(&diff).unwrap();
    assert_eq!(serde_json::from_str::<CatalogueDiff>(&json).unwrap(), diff);
    // A country decodes with the catalogue's rules: a bad code names itself.
    let error = serde_json::from_str::<Country>(
        r#"{"countryCode":"nld","countryName":"Netherlands","idTypes":[]}"#,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("invalid country code"),
        "{error}"
    );
}

#[test]
fn filter_keeps_server_order_and_the_documented_rules() {
    let supported = Catalogue::from_json(SUPPORTED.as_bytes()).unwrap();
    let codes: Vec<CountryCode> = supported.countries().iter().map(Country::code).collect();
    assert!(codes.len() >= 2);
    assert_eq!(supported.filter(&[], &[]), supported);

    // Country filter in reverse order: server order wins.
    let reversed: Vec<_> = codes.iter().rev().copied().collect();
    let both = supported.filter(&reversed, &[]);
    assert_eq!(both.countries(), supported.countries());

    // ID-type filter drops countries without the type.
    let passports = supported.filter(&[], &[IdType::Passport]);
    assert!(
        passports
            .entries()
            .all(|(_, d)| *d.id_type() == IdType::Passport)
    );
    assert_eq!(
        passports.entries().count(),
        supported.countries_offering(&IdType::Passport).count()
    );
    assert_eq!(passports.timestamp(), supported.timestamp());
    assert_eq!(passports.list_key(), supported.list_key());
    let none = supported.filter(&[], &[IdType::from("NO_SUCH_TYPE".to_owned())]);
    assert!(none.is_empty());
    // An unknown country is no error.
    let unknown = supported.filter(&[CountryCode::new("ZZZ").unwrap()], &[]);
    assert!(unknown.is_empty());
}
