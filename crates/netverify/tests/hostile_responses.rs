//! Hostile and broken responses, served byte for byte by a raw loopback
//! server, each pinned to the exact outcome the client gives. The crate
//! README's table ("Hostile responses") is checked against these cases row by
//! row: each case names its row, each row has a case here (or a test of its
//! own, named in `ROWS_WITH_THEIR_OWN_TEST`), and the outcome the row gives
//! is the kind of outcome its cases expect.

mod common;

use std::time::{Duration, Instant};

use common::{SECRET, TOKEN, TRACKING_ID, assert_error_has_no_secret};
use netverify::{Catalogue, Client, ClientBuilder, Error, ErrorBody, IdType, RetryPolicy};
use netverify_mock::scripted::{Script, ScriptedServer};

const TIMESTAMP: &str = "2019-03-01T14:13:38.938Z";

/// One Netherlands entry as Jumio's sample has it.
const NETHERLANDS: &str = r#"{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{"acquisitionConfig":{"backSide":true},"idType":"ID_CARD"},{"acquisitionConfig":{"backSide":false},"idType":"PASSPORT"}]}"#;

/// A supported-IDs document around the given country entries.
fn document(countries: &[&str]) -> String {
    format!(
        r#"{{"timestamp":"{TIMESTAMP}","supportedIdTypes":[{}]}}"#,
        countries.join(",")
    )
}

/// The documents of [`NETHERLANDS`].
const NETHERLANDS_ID_TYPES: &str = r#"[{"acquisitionConfig":{"backSide":true},"idType":"ID_CARD"},{"acquisitionConfig":{"backSide":false},"idType":"PASSPORT"}]"#;

/// A document with one Netherlands entry whose `field` has `value` (raw
/// JSON, or not even that) instead of its own.
fn netherlands_with(field: &str, value: &str) -> String {
    let fields = [
        ("countryCode", r#""NLD""#),
        ("countryName", r#""Netherlands""#),
        ("idTypes", NETHERLANDS_ID_TYPES),
    ];
    assert!(fields.iter().any(|(name, _)| *name == field), "{field}");
    let entry: Vec<String> = fields
        .iter()
        .map(|&(name, own)| format!(r#""{name}":{}"#, if name == field { value } else { own }))
        .collect();
    document(&[&format!("{{{}}}", entry.join(","))])
}

/// The first document of Netherlands with `acquisitionConfig` or `idType`
/// replaced by `value`.
fn document_entry_with(field: &str, value: &str) -> String {
    let entry = match field {
        "acquisitionConfig" => format!(r#"{{"acquisitionConfig":{value},"idType":"ID_CARD"}}"#),
        "idType" => format!(r#"{{"acquisitionConfig":{{"backSide":true}},"idType":{value}}}"#),
        "backSide" => {
            format!(r#"{{"acquisitionConfig":{{"backSide":{value}}},"idType":"ID_CARD"}}"#)
        }
        _ => unreachable!("{field}"),
    };
    document(&[&format!(
        r#"{{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{entry}]}}"#
    )])
}

/// A complete HTTP/1.1 response with `Content-Length`.
fn response(status: &str, content_type: &str, body: impl AsRef<[u8]>) -> Vec<u8> {
    let body = body.as_ref();
    let mut bytes = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         X-Trackingid: {TRACKING_ID}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn ok_json(body: impl AsRef<[u8]>) -> Vec<u8> {
    response("200 OK", "application/json", body)
}

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(url)
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none())
        .attempt_timeout(Duration::from_secs(10))
}

/// Serves `bytes` once and fetches the supported catalogue.
async fn fetch(bytes: Vec<u8>) -> Result<Catalogue, Error> {
    let server = ScriptedServer::start(Script::Raw(bytes)).await.unwrap();
    let result = builder(server.base_url())
        .build()
        .unwrap()
        .supported_id_types()
        .await;
    if let Err(error) = &result {
        assert_error_has_no_secret(error);
    }
    result
}

const README: &str = include_str!("../README.md");

/// The README rows that several cases share.
const WRONG_TYPE: &str = "a wrong type for any field (`timestamp`, `supportedIdTypes`, `countryCode`, `countryName`, `idTypes`, `acquisitionConfig`, `backSide`, `idType`)";
const TIMESTAMP_BROKEN: &str = "`timestamp` missing, invalid, or without a zone";
const IN_AN_UNKNOWN_FIELD: &str = "invalid UTF-8, or 10,000 levels of nesting, in an unknown field";
const NO_CONTENT_LENGTH: &str = "no `Content-Length`, or a chunked body";

/// Rows pinned by a test of their own below, and the test.
const ROWS_WITH_THEIR_OWN_TEST: &[(&str, &str)] = &[
    (
        "a body over `max_response_bytes` (default 8 MiB), whatever `Content-Length` says",
        "the_default_limit_is_8_mib_even_when_content_length_announces_more",
    ),
    (
        "a slow drip (one byte a second), of the head or of the body",
        "a_slow_drip_hits_the_attempt_timeout",
    ),
];

/// The README's table: each row's response and outcome cells.
fn readme_rows() -> Vec<(&'static str, &'static str)> {
    let table = README
        .split("## Hostile responses")
        .nth(1)
        .expect("the README's hostile-input table")
        .split("\n## ")
        .next()
        .unwrap();
    table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| ---"))
        .skip(1) // the header
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            let [response, outcome] = cells[..] else {
                panic!("a row has two cells: {line}")
            };
            (response, outcome)
        })
        .collect()
}

/// The kind of outcome a row's outcome cell names first: `Decode`,
/// `Incomplete`… or `catalogue`.
fn kind_in_readme(outcome: &str) -> &str {
    match outcome.strip_prefix('`') {
        Some(rest) => &rest[..rest.find('`').unwrap()],
        None if outcome.contains("catalogue") => "catalogue",
        None => panic!("an outcome that names no kind: {outcome}"),
    }
}

/// The outcome a case must have.
#[derive(Debug)]
enum Outcome {
    /// A catalogue with these countries, each with this many documents.
    Catalogue(&'static [(&'static str, usize)]),
    /// `Error::Decode` at this path, its message containing this text, with
    /// the tracking id.
    Decode(&'static str, &'static str),
    /// `Error::Api` with this status and an unparsed body.
    Api(u16),
    /// `Error::Connect`: the response was not HTTP.
    Connect,
    /// `Error::Incomplete`: the body was cut off after this many bytes.
    Incomplete(usize),
}

fn check(case: &str, result: Result<Catalogue, Error>, expected: &Outcome) {
    match (expected, result) {
        (Outcome::Catalogue(countries), Ok(catalogue)) => {
            let got: Vec<(String, usize)> = catalogue
                .countries()
                .iter()
                .map(|c| (c.code().as_str().to_owned(), c.documents().len()))
                .collect();
            let want: Vec<(String, usize)> = countries
                .iter()
                .map(|(c, n)| ((*c).to_owned(), *n))
                .collect();
            assert_eq!(got, want, "{case}");
        }
        (
            Outcome::Decode(want_path, want_message),
            Err(Error::Decode {
                path,
                message,
                excerpt,
                tracking_id,
                ..
            }),
        ) => {
            assert_eq!(path, *want_path, "{case}: {message}");
            assert!(
                message.contains(want_message),
                "{case}: {message:?} lacks {want_message:?}"
            );
            assert!(
                excerpt.chars().count() <= netverify::Error::EXCERPT_MAX_CHARS,
                "{case}: {excerpt}"
            );
            assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID), "{case}");
        }
        (
            Outcome::Api(want),
            Err(Error::Api {
                status,
                body: ErrorBody::Unparsed(_),
                tracking_id,
                ..
            }),
        ) => {
            assert_eq!(status.as_u16(), *want, "{case}");
            assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID), "{case}");
        }
        (Outcome::Connect, Err(Error::Connect { .. })) => {}
        (Outcome::Incomplete(want), Err(error @ Error::Incomplete { received, .. })) => {
            assert_eq!(received, *want, "{case}");
            assert_eq!(error.tracking_id(), Some(TRACKING_ID), "{case}");
            let message = error.to_string();
            assert!(
                message.contains(&format!("the connection closed after {want} bytes"))
                    && !message.contains("no.url.provided")
                    && std::error::Error::source(&error).is_none(),
                "{case}: {message}"
            );
        }
        (expected, got) => panic!("{case}: expected {expected:?}, got {got:?}"),
    }
}

impl Outcome {
    /// How the README names this outcome.
    fn kind(&self) -> &'static str {
        match self {
            Outcome::Catalogue(_) => "catalogue",
            Outcome::Decode(..) => "Decode",
            Outcome::Api(_) => "Api",
            Outcome::Connect => "Connect",
            Outcome::Incomplete(_) => "Incomplete",
        }
    }
}

/// Each row of the README's table has cases (or a test of its own), each
/// case's row is in the table, and the row gives the kind of outcome its
/// cases expect; a `Decode` row that names a path has a case failing there.
fn check_readme_table(cases: &[(Option<&str>, &str, Vec<u8>, Outcome)]) {
    let own = include_str!("hostile_responses.rs");
    for (row, outcome) in readme_rows() {
        let of_row: Vec<&Outcome> = cases
            .iter()
            .filter(|(case_row, ..)| *case_row == Some(row))
            .map(|(.., expected)| expected)
            .collect();
        if of_row.is_empty() {
            let (_, test) = ROWS_WITH_THEIR_OWN_TEST
                .iter()
                .find(|(own_row, _)| *own_row == row)
                .unwrap_or_else(|| panic!("README row without a case: {row}"));
            assert!(own.contains(&format!("async fn {test}(")), "{test}");
            continue;
        }
        for expected in &of_row {
            assert_eq!(
                expected.kind(),
                kind_in_readme(outcome),
                "README row {row:?} says {outcome:?}, a case expects {expected:?}"
            );
        }
        if let Some(path) = outcome
            .strip_prefix("`Decode` at `")
            .map(|rest| &rest[..rest.find('`').unwrap()])
        {
            let suffix = path.trim_start_matches('…');
            assert!(
                of_row.iter().any(
                    |expected| matches!(expected, Outcome::Decode(at, _) if at.ends_with(suffix))
                ),
                "README row {row:?}: no case fails at {path}"
            );
        }
    }
    let rows = readme_rows();
    for (row, case, ..) in cases {
        if let Some(row) = row {
            assert!(
                rows.iter().any(|(readme_row, _)| readme_row == row),
                "case {case:?} names a row the README lacks: {row}"
            );
        }
    }
    for (row, _) in ROWS_WITH_THEIR_OWN_TEST {
        assert!(
            rows.iter().any(|(readme_row, _)| readme_row == row),
            "{row}"
        );
    }
}

#[tokio::test]
async fn each_row_of_the_readme_table_gives_its_outcome() {
    use Outcome::*;
    let valid = document(&[NETHERLANDS]);
    let nested = format!(
        r#"{{"timestamp":"{TIMESTAMP}","supportedIdTypes":[],"nested":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(valid.as_bytes());
    let mut invalid_utf8_name =
        netherlands_with("countryName", "\"Nether\u{1}lands\"").into_bytes();
    let at = invalid_utf8_name.iter().position(|&b| b == 1).unwrap();
    invalid_utf8_name[at] = 0xFF;
    let mut invalid_utf8_unknown = format!(
        r#"{{"timestamp":"{TIMESTAMP}","note":"x{}y","supportedIdTypes":[]}}"#,
        '\u{1}'
    )
    .into_bytes();
    let at = invalid_utf8_unknown.iter().position(|&b| b == 1).unwrap();
    invalid_utf8_unknown[at] = 0xFE;
    let unknown_fields = format!(
        r#"{{"timestamp":"{TIMESTAMP}","next":null,"supportedIdTypes":[{{"countryCode":"NLD","region":"EU",
        "countryName":"Netherlands","idTypes":[{{"acquisitionConfig":{{"backSide":true,"glare":1}},
        "idType":"ID_CARD","since":[1,{{"a":{{}}}}]}}]}}],"version":2}}"#
    );
    let html = "<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>";

    let cases: Vec<(Option<&str>, &str, Vec<u8>, Outcome)> = vec![
        (None, "the documented shape", ok_json(&valid), Catalogue(&[("NLD", 2)])),
        (Some("empty body"), "empty body", ok_json(""), Decode(".", "EOF while parsing a value")),
        (Some("`null`, `[]`, a JSON string"), "null", ok_json("null"), Decode(".", "invalid type: null, expected struct")),
        (Some("`null`, `[]`, a JSON string"), "[]", ok_json("[]"), Decode(".", "invalid length 0, expected struct")),
        (Some("`null`, `[]`, a JSON string"), "a JSON string", ok_json(r#""supportedIdTypes""#), Decode(".", "invalid type: string")),
        (
            Some("truncated JSON"),
            "truncated JSON",
            ok_json(&valid[..valid.len() / 2]),
            Decode("supportedIdTypes[0].idTypes[0].?", "EOF while parsing an object"),
        ),
        (
            Some(WRONG_TYPE),
            "timestamp: a number",
            ok_json(r#"{"timestamp":1551449618938,"supportedIdTypes":[]}"#),
            Decode("timestamp", "invalid type: integer"),
        ),
        (
            Some(WRONG_TYPE),
            "supportedIdTypes: an object",
            ok_json(format!(r#"{{"timestamp":"{TIMESTAMP}","supportedIdTypes":{{}}}}"#)),
            Decode("supportedIdTypes", "invalid type: map, expected a sequence"),
        ),
        (
            Some(WRONG_TYPE),
            "supportedIdTypes: null",
            ok_json(format!(r#"{{"timestamp":"{TIMESTAMP}","supportedIdTypes":null}}"#)),
            Decode("supportedIdTypes", "invalid type: null, expected a sequence"),
        ),
        (
            Some(WRONG_TYPE),
            "countryCode: a number",
            ok_json(netherlands_with("countryCode", "528")),
            Decode("supportedIdTypes[0].countryCode", "invalid type: integer"),
        ),
        (
            Some(WRONG_TYPE),
            "countryName: null",
            ok_json(netherlands_with("countryName", "null")),
            Decode("supportedIdTypes[0].countryName", "invalid type: null"),
        ),
        (
            Some(WRONG_TYPE),
            "idTypes: a string",
            ok_json(netherlands_with("idTypes", r#""PASSPORT""#)),
            Decode("supportedIdTypes[0].idTypes", "invalid type: string"),
        ),
        (
            Some(WRONG_TYPE),
            "acquisitionConfig: a boolean",
            ok_json(document_entry_with("acquisitionConfig", "true")),
            Decode("supportedIdTypes[0].idTypes[0].acquisitionConfig", "invalid type: boolean"),
        ),
        (
            Some("`acquisitionConfig` missing"),
            "acquisitionConfig missing",
            ok_json(document(&[
                r#"{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{"idType":"PASSPORT"}]}"#,
            ])),
            Decode("supportedIdTypes[0].idTypes[0]", "missing field `acquisitionConfig`"),
        ),
        (
            Some(WRONG_TYPE),
            "backSide: a string",
            ok_json(document_entry_with("backSide", r#""true""#)),
            Decode(
                "supportedIdTypes[0].idTypes[0].acquisitionConfig.backSide",
                "invalid type: string",
            ),
        ),
        (
            Some(WRONG_TYPE),
            "backSide: 1",
            ok_json(document_entry_with("backSide", "1")),
            Decode(
                "supportedIdTypes[0].idTypes[0].acquisitionConfig.backSide",
                "invalid type: integer",
            ),
        ),
        (
            Some(WRONG_TYPE),
            "idType: a number",
            ok_json(document_entry_with("idType", "7")),
            Decode("supportedIdTypes[0].idTypes[0].idType", "invalid type: integer"),
        ),
        (
            Some(TIMESTAMP_BROKEN),
            "timestamp missing",
            ok_json(r#"{"supportedIdTypes":[]}"#),
            Decode(".", "missing field `timestamp`"),
        ),
        (
            Some(TIMESTAMP_BROKEN),
            "timestamp invalid",
            ok_json(r#"{"timestamp":"yesterday","supportedIdTypes":[]}"#),
            Decode("timestamp", "input contains invalid characters"),
        ),
        (
            Some(TIMESTAMP_BROKEN),
            "timestamp without a zone",
            ok_json(r#"{"timestamp":"2019-03-01T14:13:38.938","supportedIdTypes":[]}"#),
            Decode("timestamp", "premature end of input"),
        ),
        (
            Some("`timestamp` with an offset, or with more than 3 fraction digits"),
            "timestamp with an offset",
            ok_json(r#"{"timestamp":"2019-03-01T15:13:38.938+01:00","supportedIdTypes":[]}"#),
            Catalogue(&[]),
        ),
        (
            Some("a key twice in one object"),
            "timestamp twice",
            ok_json(format!(
                r#"{{"timestamp":"{TIMESTAMP}","timestamp":"{TIMESTAMP}","supportedIdTypes":[]}}"#
            )),
            Decode(".", "duplicate field `timestamp`"),
        ),
        (
            Some("a 4-letter or lower-case country code"),
            "a 4-letter country code",
            ok_json(netherlands_with("countryCode", r#""NLDX""#)),
            Decode("supportedIdTypes[0].countryCode", r#"invalid country code "NLDX""#),
        ),
        (
            Some("a 4-letter or lower-case country code"),
            "a lower-case country code",
            ok_json(netherlands_with("countryCode", r#""nld""#)),
            Decode("supportedIdTypes[0].countryCode", r#"invalid country code "nld""#),
        ),
        (
            Some("a country name over 100 characters"),
            "a country name over 100 characters",
            ok_json(netherlands_with("countryName", &format!("\"{}\"", "N".repeat(101)))),
            Decode("supportedIdTypes[0].countryName", "longer than 100 characters"),
        ),
        (
            Some("an empty `idTypes`"),
            "an empty idTypes",
            ok_json(netherlands_with("idTypes", "[]")),
            Catalogue(&[("NLD", 0)]),
        ),
        (
            Some("an empty `supportedIdTypes`"),
            "an empty supportedIdTypes",
            ok_json(document(&[])),
            Catalogue(&[]),
        ),
        (
            Some("a country listed twice"),
            "a country listed twice",
            ok_json(document(&[
                NETHERLANDS,
                r#"{"countryCode":"FRO","countryName":"Faroe Islands","idTypes":[]}"#,
                r#"{"countryCode":"NLD","countryName":"Nederland","idTypes":[{"acquisitionConfig":{"backSide":true},"idType":"DRIVING_LICENSE"}]}"#,
            ])),
            Catalogue(&[("NLD", 3), ("FRO", 0)]),
        ),
        (
            Some("an ID type listed twice for one country"),
            "an ID type listed twice in a country",
            ok_json(document(&[
                r#"{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{"acquisitionConfig":{"backSide":false},"idType":"PASSPORT"},{"acquisitionConfig":{"backSide":true},"idType":"PASSPORT"}]}"#,
            ])),
            Catalogue(&[("NLD", 1)]),
        ),
        (
            Some("an unknown ID type"),
            "an unknown ID type",
            ok_json(document_entry_with("idType", r#""RESIDENCE_PERMIT""#)),
            Catalogue(&[("NLD", 1)]),
        ),
        (Some("unknown fields at any level"), "unknown fields at every level", ok_json(&unknown_fields), Catalogue(&[("NLD", 1)])),
        (
            Some(IN_AN_UNKNOWN_FIELD),
            "10,000 levels of nesting in an unknown field",
            ok_json(&nested),
            Catalogue(&[]),
        ),
        (
            Some("a body of 10,000 nested arrays"),
            "10,000 levels of nesting, the whole body",
            ok_json("[".repeat(10_000)),
            // serde reads a struct from an array too: positionally, the
            // first field is the list, whose first entry's first field is
            // the country code.
            Decode("[0][0][0]", "invalid type: sequence, expected a three-letter"),
        ),
        (
            Some("invalid UTF-8 in a field the client reads"),
            "invalid UTF-8 in a country name",
            ok_json(&invalid_utf8_name),
            Decode("supportedIdTypes[0].countryName", "invalid unicode code point"),
        ),
        (
            Some(IN_AN_UNKNOWN_FIELD),
            "invalid UTF-8 in an unknown field",
            ok_json(&invalid_utf8_unknown),
            Catalogue(&[]),
        ),
        (Some("a UTF-8 byte-order mark"), "a UTF-8 BOM", ok_json(&bom), Catalogue(&[("NLD", 2)])),
        (
            Some("an HTML page"),
            "an HTML page with status 200",
            response("200 OK", "text/html", html),
            Decode(".", "expected value at line 1 column 1"),
        ),
        (
            Some("`Content-Type: text/html` with a JSON body"),
            "Content-Type: text/html with a JSON body",
            response("200 OK", "text/html; charset=utf-8", &valid),
            Catalogue(&[("NLD", 2)]),
        ),
        (
            Some(NO_CONTENT_LENGTH),
            "no Content-Length (the body ends with the connection)",
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                 X-Trackingid: {TRACKING_ID}\r\nConnection: close\r\n\r\n{valid}"
            )
            .into_bytes(),
            Catalogue(&[("NLD", 2)]),
        ),
        (
            Some(NO_CONTENT_LENGTH),
            "a chunked body",
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\
                 X-Trackingid: {TRACKING_ID}\r\n\r\n5\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
                &valid[..5],
                valid.len() - 5,
                &valid[5..]
            )
            .into_bytes(),
            Catalogue(&[("NLD", 2)]),
        ),
        (
            Some("`Content-Length` longer than the body, then the connection closes"),
            "Content-Length longer than the body, then the connection closes",
            [
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                     X-Trackingid: {TRACKING_ID}\r\n\r\n",
                    valid.len() * 2
                )
                .into_bytes(),
                valid.clone().into_bytes(),
            ]
            .concat(),
            Incomplete(valid.len()),
        ),
        (Some("not HTTP at all"), "not HTTP at all", b"SSH-2.0-OpenSSH_9.6\r\n".to_vec(), Connect),
        (
            Some("an error status with a non-JSON or deeply nested body"),
            "a 503 whose body nests 10,000 levels",
            response("503 Service Unavailable", "application/json", "[".repeat(10_000)),
            Api(503),
        ),
        (
            Some("an error status with a non-JSON or deeply nested body"),
            "a 502 with a proxy's HTML page",
            response("502 Bad Gateway", "text/html", html),
            Api(502),
        ),
    ];
    check_readme_table(&cases);
    for (_, case, bytes, expected) in &cases {
        let result = fetch(bytes.clone()).await;
        check(case, result, expected);
    }
}

#[tokio::test]
async fn lenient_cases_keep_the_data_meaningful() {
    // An unknown ID type keeps its exact string.
    let catalogue = fetch(ok_json(document_entry_with(
        "idType",
        r#""RESIDENCE_PERMIT""#,
    )))
    .await
    .unwrap();
    let nld = catalogue.countries()[0].code();
    let permit = IdType::Unknown("RESIDENCE_PERMIT".into());
    assert_eq!(catalogue.back_side_required(nld, &permit), Some(true));
    assert!(
        serde_json::to_string(&catalogue)
            .unwrap()
            .contains(r#""idType":"RESIDENCE_PERMIT""#)
    );

    // A repeated country is merged; a repeated pair keeps its first entry.
    let catalogue = fetch(ok_json(document(&[
        r#"{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{"acquisitionConfig":{"backSide":false},"idType":"PASSPORT"}]}"#,
        r#"{"countryCode":"NLD","countryName":"Nederland","idTypes":[{"acquisitionConfig":{"backSide":true},"idType":"PASSPORT"},{"acquisitionConfig":{"backSide":true},"idType":"ID_CARD"}]}"#,
    ])))
    .await
    .unwrap();
    assert_eq!(catalogue.countries()[0].name(), "Netherlands");
    assert_eq!(
        catalogue.back_side_required(nld, &IdType::Passport),
        Some(false)
    );
    assert_eq!(
        catalogue.back_side_required(nld, &IdType::IdCard),
        Some(true)
    );

    // Microseconds survive saving and loading.
    let catalogue = fetch(ok_json(
        r#"{"timestamp":"2019-03-01T14:13:38.938123Z","supportedIdTypes":[]}"#,
    ))
    .await
    .unwrap();
    let saved = serde_json::to_string(&catalogue).unwrap();
    assert!(
        saved.contains(r#""timestamp":"2019-03-01T14:13:38.938123Z""#),
        "{saved}"
    );
    let loaded = Catalogue::from_json(saved.as_bytes()).unwrap();
    assert_eq!(
        loaded.timestamp().to_rfc3339(),
        "2019-03-01T14:13:38.938123+00:00"
    );
    assert_eq!(loaded, catalogue);

    // An offset timestamp is the same instant in UTC.
    let catalogue = fetch(ok_json(
        r#"{"timestamp":"2019-03-01T15:13:38.938+01:00","supportedIdTypes":[]}"#,
    ))
    .await
    .unwrap();
    assert_eq!(
        catalogue.timestamp().to_rfc3339(),
        "2019-03-01T14:13:38.938+00:00"
    );
}

#[tokio::test]
async fn an_endless_body_stops_at_the_configured_limit_and_the_connection_closes() {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Trackingid: {TRACKING_ID}\r\n\
         Connection: close\r\n\r\n{{\"timestamp\":\"{TIMESTAMP}\",\"supportedIdTypes\":["
    );
    let chunk = format!("{NETHERLANDS},").repeat(256).into_bytes();
    let mut server = ScriptedServer::start(Script::Endless {
        head: head.into_bytes(),
        chunk,
    })
    .await
    .unwrap();
    let limit = 256 * 1024;
    let error = builder(server.base_url())
        .max_response_bytes(limit)
        .build()
        .unwrap()
        .supported_id_types()
        .await
        .unwrap_err();
    let Error::ResponseTooLarge {
        limit: reported,
        tracking_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*reported, limit);
    assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
    assert!(
        error
            .to_string()
            .contains("exceeds the limit of 262144 bytes"),
        "{error}"
    );
    // The client hung up: the server's writes failed. What it managed to
    // write is the limit plus what the kernel's socket buffers absorbed.
    let closed = tokio::time::timeout(Duration::from_secs(30), server.client_hung_up())
        .await
        .expect("the server is still writing: the client kept reading");
    assert!(closed);
    let written = server.bytes_written();
    assert!(written < 64 * 1024 * 1024, "{written} bytes were written");
}

#[tokio::test]
async fn the_default_limit_is_8_mib_even_when_content_length_announces_more() {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\
         X-Trackingid: {TRACKING_ID}\r\n\r\n{{\"timestamp\":\"{TIMESTAMP}\",\"supportedIdTypes\":["
    );
    let mut server = ScriptedServer::start(Script::Endless {
        head: head.into_bytes(),
        chunk: format!("{NETHERLANDS},").repeat(256).into_bytes(),
    })
    .await
    .unwrap();
    let error = builder(server.base_url())
        .build()
        .unwrap()
        .supported_id_types()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 8 * 1024 * 1024),
        "{error:?}"
    );
    assert!(server.client_hung_up().await, "the client hung up");
}

#[tokio::test]
async fn a_slow_drip_hits_the_attempt_timeout() {
    let body = document(&[NETHERLANDS]);
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         X-Trackingid: {TRACKING_ID}\r\n\r\n",
        body.len()
    );
    let attempt_timeout = Duration::from_millis(1500);
    // The head arrives at once, then the body at one byte a second.
    let body_drip = async {
        let server = ScriptedServer::start(Script::Drip {
            head: head.into_bytes(),
            body: body.into_bytes(),
            every: Duration::from_secs(1),
        })
        .await
        .unwrap();
        let started = Instant::now();
        let result = builder(server.base_url())
            .attempt_timeout(attempt_timeout)
            .build()
            .unwrap()
            .supported_id_types()
            .await;
        server.abort();
        (result, started.elapsed())
    };
    // Even the status line drips.
    let head_drip = async {
        let server = ScriptedServer::start(Script::Drip {
            head: Vec::new(),
            body: ok_json(document(&[NETHERLANDS])),
            every: Duration::from_secs(1),
        })
        .await
        .unwrap();
        let started = Instant::now();
        let result = builder(server.base_url())
            .attempt_timeout(attempt_timeout)
            .build()
            .unwrap()
            .supported_id_types()
            .await;
        server.abort();
        (result, started.elapsed())
    };
    let ((body_result, body_took), (head_result, head_took)) = tokio::join!(body_drip, head_drip);
    match body_result {
        Err(Error::Timeout {
            after, tracking_id, ..
        }) => {
            assert_eq!(after, attempt_timeout);
            assert_eq!(
                tracking_id.as_deref(),
                Some(TRACKING_ID),
                "the head had arrived"
            );
        }
        other => panic!("{other:?}"),
    }
    match head_result {
        Err(Error::Timeout {
            after, tracking_id, ..
        }) => {
            assert_eq!(after, attempt_timeout);
            assert_eq!(tracking_id, None, "no head arrived");
        }
        other => panic!("{other:?}"),
    }
    // Generous bounds: the point is that neither waits for the whole drip
    // (over 200 seconds).
    assert!(body_took < Duration::from_secs(20), "{body_took:?}");
    assert!(head_took < Duration::from_secs(20), "{head_took:?}");
}
