//! The README's "JSON shapes" table, row by row, against the serializer and
//! back; and the `schemars` feature's schemas, which describe those shapes.

use netverify::{Catalogue, CatalogueDiff, Country, CountryCode, Document, IdType, ListKey, Utc};
use serde_json::Value;

const README: &str = include_str!("../README.md");

/// The table's rows: type name to its JSON example.
fn documented() -> Vec<(String, Value)> {
    let section = README
        .split("## JSON shapes")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|line| {
            let (name, rest) = line.split_once('`')?;
            let json = rest.split('`').nth(1)?;
            Some((name.to_owned(), serde_json::from_str(json).unwrap()))
        })
        .collect()
}

fn diff() -> CatalogueDiff {
    let nld = CountryCode::new("NLD").unwrap();
    let with = |documents| {
        Catalogue::new(
            Utc::now(),
            ListKey::SupportedIdTypes,
            vec![Country::new(nld, "Netherlands", documents)],
        )
    };
    let before = with(vec![Document::new(IdType::IdCard, false)]);
    let after = with(vec![
        Document::new(IdType::IdCard, true),
        Document::new(IdType::Passport, false),
    ]);
    let mut diff = before.diff(&after);
    // One added entry, with the table's values.
    let mut added = diff.only_in_right.remove(0);
    added.id_type = IdType::IdCard;
    added.back_side = true;
    diff.only_in_right = vec![added];
    diff
}

#[test]
fn each_documented_shape_is_what_the_type_writes_and_reads() {
    let nld = CountryCode::new("NLD").unwrap();
    let document = Document::new(IdType::IdCard, true);
    let country = Country::new(nld, "Netherlands", vec![document.clone()]);
    let diff = diff();
    let rows = documented();
    let names: Vec<&str> = rows.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "CountryCode",
            "IdType",
            "Document",
            "Country",
            "DiffEntry",
            "BackSideChange"
        ]
    );
    for (name, json) in rows {
        let written = match name.as_str() {
            "CountryCode" => serde_json::to_value(nld),
            "IdType" => serde_json::to_value(IdType::IdCard),
            "Document" => serde_json::to_value(&document),
            "Country" => serde_json::to_value(&country),
            "DiffEntry" => serde_json::to_value(&diff.only_in_right[0]),
            "BackSideChange" => serde_json::to_value(&diff.back_side_changed[0]),
            other => panic!("{other}"),
        }
        .unwrap();
        assert_eq!(written, json, "{name}");
    }
    assert_eq!(
        serde_json::from_value::<Document>(serde_json::to_value(&document).unwrap()).unwrap(),
        document
    );
    assert_eq!(
        serde_json::from_value::<Country>(serde_json::to_value(&country).unwrap()).unwrap(),
        country
    );
    assert_eq!(
        serde_json::to_value(IdType::Unknown("RESIDENCE_PERMIT".into())).unwrap(),
        "RESIDENCE_PERMIT"
    );
}

#[test]
fn the_schemars_feature_describes_the_same_shapes() {
    use schemars::schema_for;
    let properties = |schema: schemars::schema::RootSchema| -> Vec<String> {
        let mut names: Vec<String> = schema
            .schema
            .object
            .expect("an object schema")
            .properties
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        properties(schema_for!(Document)),
        ["acquisitionConfig", "idType"]
    );
    assert_eq!(
        properties(schema_for!(Country)),
        ["countryCode", "countryName", "idTypes"]
    );
    assert_eq!(
        properties(schema_for!(netverify::DiffEntry)),
        ["backSide", "countryCode", "countryName", "idType"]
    );
    let root = schema_for!(Country);
    assert_eq!(
        root.schema.metadata.unwrap().title.as_deref(),
        Some("Country")
    );
    for (schema, kind) in [
        (schema_for!(CountryCode), "string"),
        (schema_for!(IdType), "string"),
    ] {
        let json = serde_json::to_value(schema).unwrap();
        assert_eq!(json["type"], kind, "{json}");
    }
    let _ = schema_for!(Catalogue);
    let _ = schema_for!(CatalogueDiff);
}
