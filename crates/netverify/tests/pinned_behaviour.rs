//! Behaviour users rely on that a mutation of the code once changed without
//! any test noticing (cargo-mutants; see `cargo xtask mutants`). Each test
//! compares against values built independently of the code under test.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use netverify::{
    Catalogue, Client, ConfigError, Country, CountryCode, Document, Error, IdType, ListKey,
};

fn code(text: &str) -> CountryCode {
    CountryCode::new(text).unwrap()
}

fn catalogue(timestamp_ms: i64, key: ListKey, countries: Vec<Country>) -> Catalogue {
    Catalogue::new(
        Utc.timestamp_millis_opt(timestamp_ms).unwrap(),
        key,
        countries,
    )
}

fn netherlands(back_side: bool) -> Country {
    Country::new(
        code("NLD"),
        "Netherlands",
        vec![Document::new(IdType::IdCard, back_side)],
    )
}

#[test]
fn catalogues_that_differ_are_not_equal() {
    let base = catalogue(1_000, ListKey::SupportedIdTypes, vec![netherlands(true)]);
    assert_eq!(
        base,
        catalogue(1_000, ListKey::SupportedIdTypes, vec![netherlands(true)])
    );
    for different in [
        catalogue(2_000, ListKey::SupportedIdTypes, vec![netherlands(true)]),
        catalogue(1_000, ListKey::AcceptedIdTypes, vec![netherlands(true)]),
        catalogue(1_000, ListKey::SupportedIdTypes, vec![netherlands(false)]),
        catalogue(1_000, ListKey::SupportedIdTypes, vec![]),
    ] {
        assert_ne!(base, different);
    }
}

#[test]
fn debug_shows_the_timestamp_the_key_and_the_countries() {
    let shown = format!(
        "{:?}",
        catalogue(0, ListKey::AcceptedIdTypes, vec![netherlands(true)])
    );
    for part in [
        "Catalogue",
        "1970-01-01T00:00:00Z",
        "AcceptedIdTypes",
        "NLD",
        "Netherlands",
        "IdCard",
    ] {
        assert!(shown.contains(part), "{part} missing from {shown}");
    }
}

#[test]
fn a_country_listing_many_documents_keeps_the_first_of_each_repeated_type() {
    // More than 16 documents takes the hash-set path of the de-duplication.
    let mut documents: Vec<Document> = (0..20)
        .map(|n| Document::new(IdType::Unknown(format!("TYPE_{n}")), n % 2 == 0))
        .collect();
    documents.push(Document::new(IdType::Unknown("TYPE_3".into()), true));
    documents.push(Document::new(IdType::Passport, false));
    documents.push(Document::new(IdType::Passport, true));
    let catalogue = catalogue(
        0,
        ListKey::SupportedIdTypes,
        vec![Country::new(code("NLD"), "Netherlands", documents)],
    );
    let kept: Vec<(String, bool)> = catalogue.countries()[0]
        .documents()
        .iter()
        .map(|d| (d.id_type().to_string(), d.back_side_required()))
        .collect();
    let mut expected: Vec<(String, bool)> =
        (0..20).map(|n| (format!("TYPE_{n}"), n % 2 == 0)).collect();
    expected.push(("PASSPORT".into(), false));
    assert_eq!(kept, expected);
    assert_eq!(
        catalogue.back_side_required(code("NLD"), &IdType::Unknown("TYPE_3".into())),
        Some(false),
        "the first TYPE_3 wins"
    );
}

#[test]
fn a_country_listing_a_few_documents_keeps_the_first_of_each_repeated_type() {
    let documents = vec![
        Document::new(IdType::Passport, true),
        Document::new(IdType::IdCard, true),
        Document::new(IdType::Passport, false),
    ];
    let catalogue = catalogue(
        0,
        ListKey::SupportedIdTypes,
        vec![Country::new(code("NLD"), "Netherlands", documents)],
    );
    assert_eq!(
        catalogue.countries()[0].documents(),
        [
            Document::new(IdType::Passport, true),
            Document::new(IdType::IdCard, true)
        ]
    );
}

#[test]
fn a_country_listing_one_document_twice_keeps_it_once() {
    let twice = vec![
        Document::new(IdType::Passport, false),
        Document::new(IdType::Passport, true),
    ];
    let catalogue = catalogue(
        0,
        ListKey::SupportedIdTypes,
        vec![Country::new(code("NLD"), "Netherlands", twice)],
    );
    assert_eq!(
        catalogue.countries()[0].documents(),
        [Document::new(IdType::Passport, false)]
    );
}

#[test]
fn a_decode_error_quotes_the_text_where_it_failed_in_a_long_body() {
    let padding: String = padding_countries(40).concat();
    // Some 2,000 characters of valid entries, then the one that fails.
    let body = format!(
        r#"{{"timestamp":"2019-03-01T14:13:38.938Z","supportedIdTypes":[{padding}{{"countryCode":"XYZ","countryName":"Bad","idTypes":[{{"idType":"PASSPORT","acquisitionConfig":{{"backSide":"maybe"}}}}]}}]}}"#
    );
    assert!(body.len() > 1_500, "{}", body.len());
    let Err(Error::Decode { excerpt, path, .. }) = Catalogue::from_json(body.as_bytes()) else {
        panic!("decoded")
    };
    assert_eq!(
        path,
        "supportedIdTypes[40].idTypes[0].acquisitionConfig.backSide"
    );
    assert!(excerpt.contains(r#""backSide":"maybe""#), "{excerpt}");
    assert!(
        excerpt.starts_with('…'),
        "the excerpt starts mid-body: {excerpt}"
    );
}

#[test]
fn a_decode_error_excerpt_is_centred_on_the_failure_on_a_later_line() {
    // One entry per line, no other whitespace: the excerpt turns each
    // newline into one space, so its text can be computed from the body.
    let lines = padding_countries(30);
    let body = format!(
        "{{\"timestamp\":\"2019-03-01T14:13:38.938Z\",\"supportedIdTypes\":[\n{}\n{}]}}",
        lines.join("\n"),
        r#"{"countryCode":"XYZ","countryName":"Bad","idTypes":[{"idType":"PASSPORT","acquisitionConfig":{"backSide":"maybe"},"more":"text after the failure to fill the second half of the excerpt, and then some more, and more still, to be sure"}]}"#
    );
    let Err(Error::Decode { excerpt, .. }) = Catalogue::from_json(body.as_bytes()) else {
        panic!("decoded")
    };
    // serde_json reports the failure at the closing quote of the string it
    // refused.
    let failure = body.find(r#""maybe""#).unwrap() + r#""maybe""#.len() - 1;
    let expected = format!(
        "…{}…",
        body[failure - 100..failure + 100].replace('\n', " ")
    );
    assert_eq!(excerpt, expected);
    // The longest an excerpt gets: 200 characters and an ellipsis each side.
    assert_eq!(Error::EXCERPT_MAX_CHARS, 202);
    assert_eq!(excerpt.chars().count(), Error::EXCERPT_MAX_CHARS);
}

/// `count` valid country entries (codes QAA, QAB, …), each followed by a
/// comma, to put a failure far into a document.
fn padding_countries(count: u8) -> Vec<String> {
    (0..count)
        .map(|n| {
            let code = format!(
                "Q{}{}",
                char::from(b'A' + n / 26),
                char::from(b'A' + n % 26)
            );
            format!(r#"{{"countryCode":"{code}","countryName":"Padding","idTypes":[]}},"#)
        })
        .collect()
}

fn builder() -> netverify::ClientBuilder {
    Client::builder().credentials("token", "secret")
}

#[test]
fn user_agents_are_checked_at_their_boundaries() {
    let refused = |agent: &str| {
        matches!(
            builder().user_agent(agent).build(),
            Err(Error::Config(ConfigError::InvalidUserAgent { .. }))
        )
    };
    // 200 characters is the longest allowed.
    let longest = format!("Acme/{}", "1".repeat(195));
    assert_eq!(longest.len(), 200);
    assert!(!refused(&longest));
    assert!(refused(&format!("{longest}1")));
    // A product name is an RFC 9110 token: `@`, `,` or `"` are not allowed.
    for agent in [
        "Ac@me/1.0",
        "Acme,KYC/1.0",
        "Acme/1\"0",
        "Acme//1.0",
        "/1.0",
    ] {
        assert!(refused(agent), "{agent:?} was accepted");
    }
    for agent in ["Acme/1.0", "Acme-KYC_2.x/1.0+b!", "A/1"] {
        assert!(!refused(agent), "{agent:?} was refused");
    }
}

#[test]
fn a_base_url_with_only_a_user_or_only_a_password_is_refused() {
    for url in ["https://user@proxy.example", "https://:pw@proxy.example"] {
        let error = builder()
            .user_agent("Acme KYC/1.0")
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(
            matches!(error, Error::Config(ConfigError::InvalidBaseUrl { .. })),
            "{url}: {error:?}"
        );
        assert!(!error.to_string().contains("pw"), "{error}");
    }
}

#[test]
fn a_builders_debug_shows_its_settings_but_not_its_credentials() {
    let builder = Client::builder()
        .credentials("tok-7d1e", "sec-5a9f")
        .user_agent("Acme KYC/1.0")
        .region(netverify::Region::Eu);
    let shown = format!("{builder:?}");
    for part in [
        "ClientBuilder",
        "Region(Eu)",
        "token_set: true",
        "secret_set: true",
        "Acme KYC/1.0",
    ] {
        assert!(shown.contains(part), "{part:?} missing from {shown}");
    }
    for secret in ["tok-7d1e", "sec-5a9f"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let shown = format!("{:?}", Client::builder());
    assert!(shown.contains("token_set: false"), "{shown}");
}

#[test]
fn a_base_url_error_never_echoes_what_comes_before_its_last_at_sign() {
    for (url, shown) in [
        (
            "https://tk-4a2b:pw-9c1d@x.example",
            "https://[redacted]@x.example",
        ),
        // Credentials written before the scheme.
        (
            "tk-4a2b:pw-9c1d@https://x.example",
            "[redacted]@https://x.example",
        ),
        ("https://tk-4a2b:pw-9c1d@", "https://[redacted]@"),
        ("https://@", "https://[redacted]@"),
    ] {
        let error = builder()
            .user_agent("Acme KYC/1.0")
            .base_url(url)
            .build()
            .unwrap_err();
        let Error::Config(ConfigError::InvalidBaseUrl { url: echoed, .. }) = &error else {
            panic!("{url}: {error:?}");
        };
        assert_eq!(echoed, shown, "{url}");
        for credential in ["tk-4a2b", "pw-9c1d"] {
            assert!(!error.to_string().contains(credential), "{error}");
        }
    }
}

#[test]
fn a_decode_error_excerpt_ends_with_an_ellipsis_only_when_the_body_goes_on() {
    let excerpt = |body: &str| match Catalogue::from_json(body.as_bytes()) {
        Err(Error::Decode { excerpt, .. }) => excerpt,
        other => panic!("{other:?}"),
    };
    // Fails at its first byte; 200 characters are all an excerpt holds.
    let exactly = format!("x{}", "y".repeat(199));
    assert_eq!(excerpt(&exactly), exactly);
    let longer = format!("{exactly}z");
    assert_eq!(excerpt(&longer), format!("{exactly}…"));
}

#[test]
fn a_decode_error_excerpt_starts_at_the_character_holding_its_first_byte() {
    // Three-byte characters before the failure, so that 100 bytes back from
    // it falls inside one of them.
    let body = format!(
        r#"{{"timestamp":"2019-03-01T14:13:38.938Z","supportedIdTypes":[{{"countryCode":"NLD","countryName":"{}","idTypes":[{{"idType":"PASSPORT","acquisitionConfig":{{"backSide":"maybe"}}}}]}}]}}"#,
        "€".repeat(60)
    );
    let failure = body.find(r#""maybe""#).unwrap() + r#""maybe""#.len() - 1;
    assert!(!body.is_char_boundary(failure - 100));
    let Err(Error::Decode { excerpt, .. }) = Catalogue::from_json(body.as_bytes()) else {
        panic!("decoded")
    };
    // The character that holds byte `failure - 100` begins the excerpt.
    let first = (0..=failure - 100)
        .rev()
        .find(|&at| body.is_char_boundary(at))
        .unwrap();
    let expected: String = body[first..].chars().take(200).collect();
    assert_eq!(excerpt, format!("…{expected}"));
}

#[test]
fn a_timeout_shows_milliseconds_below_a_second_and_seconds_from_one() {
    for (after, shown) in [
        (
            Duration::from_millis(999),
            "within 999 ms per attempt (999 ms in total)",
        ),
        (
            Duration::from_millis(1000),
            "within 1.0 s per attempt (1.0 s in total)",
        ),
        (Duration::from_millis(1250), "within 1.2 s per attempt"),
    ] {
        let message = Error::timeout(after).to_string();
        assert!(message.contains(shown), "{message}");
    }
}
