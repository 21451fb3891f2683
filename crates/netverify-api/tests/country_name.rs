//! `countryName`: at most 100 characters (the spec's `maxLength`), counted in
//! characters, not bytes, and what a decode error says about a bad one. The
//! generated model reads it through `decode::parse_str`, in place.

use netverify_api::types::CountryDocuments;

fn country(name: &str) -> Result<CountryDocuments, String> {
    let json = format!(r#"{{"countryCode":"CUW","countryName":{name},"idTypes":[]}}"#);
    serde_json::from_str(&json).map_err(|e| e.to_string())
}

#[test]
fn a_name_of_up_to_100_characters_is_kept_as_sent() {
    let longest = "é".repeat(100); // 200 bytes
    assert_eq!(
        *country(&format!("\"{longest}\"")).unwrap().country_name,
        longest
    );
    // An escape is decoded (the text is not where the document has it).
    assert_eq!(
        *country(r#""Cura\u00e7ao""#).unwrap().country_name,
        "Curaçao"
    );
}

#[test]
fn a_longer_name_or_one_that_is_not_a_string_is_an_error_that_says_so() {
    for (name, message) in [
        (
            format!("\"{}\"", "é".repeat(101)),
            "longer than 100 characters",
        ),
        (
            "5".to_owned(),
            "invalid type: integer `5`, expected a string",
        ),
        ("null".to_owned(), "invalid type: null, expected a string"),
    ] {
        let error = country(&name).unwrap_err();
        assert!(
            error.starts_with(&format!("{message} at line 1 column ")),
            "{error}"
        );
    }
}
