//! `CountryCode`: the ISO table, alpha-2 look-ups, and what an invalid code
//! says to the person who typed it.

use netverify_api::CountryCode;

fn code(text: &str) -> CountryCode {
    CountryCode::new(text).unwrap()
}

#[test]
fn the_iso_table_lists_every_country_once_in_code_order() {
    let countries: Vec<_> = CountryCode::iso_countries().collect();
    // 249 ISO 3166-1 countries and Jumio's XKX for Kosovo.
    assert_eq!(countries.len(), 250);
    assert!(countries.windows(2).all(|pair| pair[0].0 < pair[1].0));
    assert_eq!(countries[0], (code("ABW"), "Aruba"));
    assert!(countries.contains(&(code("NLD"), "Netherlands")));
    assert!(countries.contains(&(code("XKX"), "Kosovo")));
}

#[test]
fn iso_names_and_alpha2_codes_are_looked_up() {
    assert_eq!(code("NLD").iso_name(), Some("Netherlands"));
    assert_eq!(code("GBR").iso_name(), Some("United Kingdom"));
    assert_eq!(code("XKX").iso_name(), Some("Kosovo"));
    assert_eq!(
        code("QZZ").iso_name(),
        None,
        "well-formed, not in ISO 3166-1"
    );
    assert_eq!(CountryCode::from_alpha2("NL"), Some(code("NLD")));
    assert_eq!(CountryCode::from_alpha2("gb"), Some(code("GBR")));
    assert_eq!(CountryCode::from_alpha2("XK"), Some(code("XKX")));
    assert_eq!(CountryCode::from_alpha2("QZ"), None);
}

#[test]
fn a_code_shows_as_its_three_letters() {
    let nld = code("NLD");
    assert_eq!(nld.to_string(), "NLD");
    assert_eq!(AsRef::<str>::as_ref(&nld), "NLD");
    assert_eq!(format!("{nld:?}"), "CountryCode(NLD)");
}

#[test]
fn an_alpha2_code_is_answered_with_its_alpha3_code() {
    let error = CountryCode::parse_lenient("nl").unwrap_err();
    assert_eq!(error.alpha3_suggestion(), Some(code("NLD")));
    assert_eq!(
        error.to_string(),
        "invalid country code \"nl\": expected an ISO 3166-1 alpha-3 code (three letters, \
         any case) such as \"NLD\"; \"nl\" is the alpha-2 code of Netherlands, whose \
         alpha-3 code is NLD"
    );
    let error = CountryCode::new("nld").unwrap_err();
    assert_eq!(error.alpha3_suggestion(), None);
    assert_eq!(
        error.to_string(),
        "invalid country code \"nld\": expected three upper-case letters such as \"NLD\""
    );
}

#[test]
fn an_invalid_code_is_echoed_up_to_sixteen_characters() {
    let sixteen = "ABCDEFGHIJKLMNOP";
    let shown = CountryCode::new(sixteen).unwrap_err().to_string();
    assert!(
        shown.starts_with(&format!("invalid country code {sixteen:?}: ")),
        "{shown}"
    );
    let longer = format!("{sixteen}Q");
    let shown = CountryCode::new(&longer).unwrap_err().to_string();
    assert!(
        shown.starts_with(&format!("invalid country code {sixteen:?}…: ")),
        "{shown}"
    );
}

#[test]
fn decoding_anything_but_a_string_says_what_was_expected() {
    let error = serde_json::from_str::<CountryCode>("42").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `42`, expected a three-letter upper-case country code \
         such as \"NLD\" at line 1 column 2"
    );
}

#[test]
fn the_lenient_reading_trims_and_upper_cases_and_nothing_else() {
    for typed in ["NLD", "nld", " NLD ", "\tnLd\n"] {
        assert_eq!(
            CountryCode::parse_lenient(typed).unwrap(),
            code("NLD"),
            "{typed:?}"
        );
    }
    let long = "N".repeat(10_000);
    for refused in ["12", "", "   ", "NL", "NLDX", "N D", "ÑLD", long.as_str()] {
        assert!(CountryCode::parse_lenient(refused).is_err(), "{refused:?}");
    }
    assert!(CountryCode::new(" NLD").is_err() && "nld".parse::<CountryCode>().is_err());
}
