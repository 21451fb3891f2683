//! In-process tests of every rule of the mock: data, auth, errors, faults,
//! recording, and the binary's interface.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use netverify_api::types::{CountryDocuments, JumioErrorBody};
use netverify_api::{CountryCode, Operation};
use netverify_mock::{
    ACCEPTED_PATH, Catalogue, CatalogueError, DEFAULT_SECRET, DEFAULT_TOKEN, Fault, ListKey,
    MockServer, SUPPORTED_PATH,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

const USER_AGENT: &str = "Acme KYC/1.0";

/// reqwest is built without a TLS provider; plain HTTP still needs one set,
/// by every test that builds a client (a test may run alone, in its own
/// process, as under cargo-nextest).
fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn http_client(timeout: Option<Duration>) -> reqwest::Client {
    install_crypto_provider();
    let builder = reqwest::Client::builder();
    let builder = match timeout {
        Some(timeout) => builder.timeout(timeout),
        None => builder,
    };
    builder.build().expect("a reqwest client")
}

/// A request that follows every rule, for the given path.
fn good_request(server: &MockServer, path: &str) -> reqwest::RequestBuilder {
    http_client(None)
        .get(format!("{}{path}", server.base_url()))
        .basic_auth(DEFAULT_TOKEN, Some(DEFAULT_SECRET))
        .header("User-Agent", USER_AGENT)
        .header("Accept", "application/json")
}

async fn start() -> MockServer {
    MockServer::builder()
        .start()
        .await
        .expect("the mock starts")
}

/// The spec, through the crate's `openapi/netverify.yaml` link to the
/// repository's, which `cargo package` copies into the package.
fn spec() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/netverify.yaml");
    let text = std::fs::read_to_string(path).expect("the spec is readable");
    serde_yaml::from_str(&text).expect("the spec is YAML")
}

/// The `documentedSample` example of an operation's 200 response.
/// The documented sample of the operation at `path`, through the one accessor.
fn spec_example(path: &str) -> Value {
    let operation = Operation::from_path(path).expect("an operation's path");
    serde_json::from_str(operation.documented_sample()).unwrap()
}

/// The spec's schemas as a draft-7 JSON Schema document validating
/// `schema_name`: references point at `definitions`, and the OpenAPI-only
/// keywords (`example`, `x-*`) are dropped.
fn validator(spec: &Value, schema_name: &str) -> jsonschema::Validator {
    fn convert(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| key != "example" && !key.starts_with("x-"));
                if let Some(Value::String(reference)) = map.get_mut("$ref") {
                    *reference = reference.replace("#/components/schemas/", "#/definitions/");
                }
                map.values_mut().for_each(convert);
            }
            Value::Array(items) => items.iter_mut().for_each(convert),
            _ => {}
        }
    }
    let mut definitions = spec["components"]["schemas"].clone();
    assert!(
        definitions.get(schema_name).is_some(),
        "the spec defines {schema_name}"
    );
    convert(&mut definitions);
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": definitions,
        "allOf": [{ "$ref": format!("#/definitions/{schema_name}") }],
    });
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the converted schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, body: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the body breaks the spec's schema: {errors:#?}"
    );
}

/// Checks the headers every response carries and returns the tracking id.
fn tracking_id(response: &reqwest::Response) -> uuid::Uuid {
    let value = response
        .headers()
        .get("x-trackingid")
        .expect("every response has X-Trackingid");
    let id = uuid::Uuid::parse_str(value.to_str().unwrap()).expect("X-Trackingid is a UUID");
    assert_eq!(id.get_version_num(), 4, "a random (v4) UUID");
    id
}

fn assert_fresh_millisecond_timestamp(body: &Value) {
    let timestamp = body["timestamp"].as_str().expect("a timestamp string");
    assert_eq!(timestamp.len(), 24, "YYYY-MM-DDThh:mm:ss.SSSZ: {timestamp}");
    let parsed = chrono::NaiveDateTime::parse_from_str(timestamp, "%Y-%m-%dT%H:%M:%S%.3fZ")
        .unwrap_or_else(|e| panic!("{timestamp} is not a millisecond UTC timestamp: {e}"))
        .and_utc();
    let age = chrono::Utc::now() - parsed;
    assert!(
        age >= chrono::TimeDelta::zero() && age < chrono::TimeDelta::minutes(5),
        "fresh: {timestamp}"
    );
}

async fn assert_jumio_error(response: reqwest::Response, status: StatusCode, path: &str) -> String {
    assert_eq!(response.status(), status);
    tracking_id(&response);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.expect("a JSON error body");
    assert_valid(&validator(&spec(), "JumioErrorBody"), &body);
    let body: JumioErrorBody = serde_json::from_value(body).unwrap();
    assert_eq!(body.http_status.as_deref(), Some(status.as_str()));
    assert_eq!(body.request_uri.as_deref(), Some(path));
    body.message.expect("a message")
}

/// A fresh directory under the target's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("netverify-mock-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

#[tokio::test]
async fn every_200_body_validates_against_the_spec() {
    let spec = spec();
    let supported_schema = validator(&spec, "SupportedIdTypesResponse");
    let accepted_schema = validator(&spec, "AcceptedIdTypesResponse");
    let mut tracking_ids = std::collections::HashSet::new();
    for (catalogue, key) in [
        (Catalogue::sample(), ListKey::AcceptedIdTypes),
        (Catalogue::sample(), ListKey::SupportedIdTypes),
        (Catalogue::documented_samples(), ListKey::AcceptedIdTypes),
    ] {
        let server = MockServer::builder()
            .catalogue(catalogue)
            .accepted_key(key)
            .start()
            .await
            .unwrap();
        for (path, schema, list_key) in [
            (SUPPORTED_PATH, &supported_schema, "supportedIdTypes"),
            (
                ACCEPTED_PATH,
                &accepted_schema,
                if key == ListKey::AcceptedIdTypes {
                    "acceptedIdTypes"
                } else {
                    "supportedIdTypes"
                },
            ),
        ] {
            let response = good_request(&server, path).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert!(
                tracking_ids.insert(tracking_id(&response)),
                "a fresh tracking id per response"
            );
            assert_eq!(response.headers()["content-type"], "application/json");
            let body: Value = response.json().await.unwrap();
            assert_valid(schema, &body);
            assert_fresh_millisecond_timestamp(&body);
            let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), 2, "timestamp and {list_key} only: {keys:?}");
            assert!(
                !body[list_key].as_array().unwrap().is_empty(),
                "{path} lists countries under {list_key}"
            );
        }
    }
}

#[tokio::test]
async fn the_generated_client_reads_both_endpoints() {
    let server = start().await;
    let catalogue = Catalogue::sample();
    install_crypto_provider();
    let http = reqwest::Client::builder()
        .default_headers(
            [(reqwest::header::AUTHORIZATION, {
                use base64::Engine;
                let credentials = base64::engine::general_purpose::STANDARD
                    .encode(format!("{DEFAULT_TOKEN}:{DEFAULT_SECRET}"));
                format!("Basic {credentials}").parse().unwrap()
            })]
            .into_iter()
            .collect(),
        )
        .build()
        .unwrap();
    let api = netverify_api::Client::new_with_client(
        &server.base_url(),
        http,
        netverify_api::ClientContext::new(),
    );
    let supported = api
        .supported_id_types()
        .user_agent(USER_AGENT)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(supported.supported_id_types, catalogue.supported());
    let accepted = api
        .accepted_id_types()
        .user_agent(USER_AGENT)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(accepted.countries, catalogue.accepted());
    assert_eq!(accepted.list_key, ListKey::AcceptedIdTypes);
}

#[test]
fn the_sample_catalogue_covers_every_country_and_the_documented_samples() {
    let catalogue = Catalogue::sample();
    let supported = catalogue.supported();
    let countries: Vec<(CountryCode, &str)> = CountryCode::iso_countries().collect();
    assert_eq!(countries.len(), 250, "249 ISO 3166-1 countries plus XKX");
    assert_eq!(supported.len(), countries.len());
    for (entry, (code, name)) in supported.iter().zip(&countries) {
        let code = code.as_str();
        assert_eq!(entry.country_code.as_str(), code);
        if !["NLD", "FRO", "GAB", "SGP"].contains(&code) {
            assert_eq!(entry.country_name.as_str(), *name);
        }
        assert!(!entry.id_types.is_empty(), "{code} has documents");
    }
    assert!(
        supported
            .iter()
            .any(|entry| entry.country_code.as_str() == "XKX" && *entry.country_name == "Kosovo")
    );

    let entries = |path: &str, key: &str| -> Vec<CountryDocuments> {
        serde_json::from_value(spec_example(path)[key].clone()).unwrap()
    };
    let find = |list: &[CountryDocuments], code: &str| {
        list.iter()
            .find(|entry| entry.country_code.as_str() == code)
            .cloned()
            .unwrap()
    };
    for documented in entries(SUPPORTED_PATH, "supportedIdTypes") {
        assert_eq!(
            find(supported, documented.country_code.as_str()),
            documented
        );
    }
    for documented in entries(ACCEPTED_PATH, "acceptedIdTypes") {
        assert_eq!(
            find(catalogue.accepted(), documented.country_code.as_str()),
            documented
        );
        assert_eq!(
            find(supported, documented.country_code.as_str()),
            documented
        );
    }

    // Accepted is a proper, non-empty subset of supported.
    let accepted = catalogue.accepted();
    assert!(!accepted.is_empty() && accepted.len() < supported.len());
    for entry in accepted {
        let supported_entry = find(supported, entry.country_code.as_str());
        for document in &entry.id_types {
            assert!(
                supported_entry.id_types.contains(document),
                "{document:?} of {:?}",
                entry.country_code
            );
        }
    }
    // Deterministic: the same data every time.
    let again = Catalogue::sample();
    assert_eq!((again.supported(), again.accepted()), (supported, accepted));
}

#[tokio::test]
async fn the_documented_samples_are_served_verbatim() {
    let dir = temp_dir("documented-samples");
    let mut raw_lists = Vec::new();
    for (file_name, path, key) in [
        ("supportedIdTypes.json", SUPPORTED_PATH, "supportedIdTypes"),
        ("acceptedIdTypes.json", ACCEPTED_PATH, "acceptedIdTypes"),
    ] {
        let example = spec_example(path);
        // Pretty-printed and indented differently from what the mock would
        // produce, so a match proves the bytes come from the file.
        let raw_list = serde_json::to_string_pretty(&example[key]).unwrap();
        let file = format!(
            "{{\n  \"timestamp\": {},\n  \"{key}\": {raw_list}\n}}\n",
            example["timestamp"]
        );
        std::fs::write(dir.join(file_name), file).unwrap();
        raw_lists.push((path, key, raw_list, example));
    }
    let server = MockServer::builder()
        .catalogue(Catalogue::from_dir(&dir).unwrap())
        .start()
        .await
        .unwrap();
    for (path, key, raw_list, example) in raw_lists {
        let text = good_request(&server, path)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            text.ends_with(&format!(",\"{key}\":{raw_list}}}")),
            "the list is served byte for byte as in the file: {text}"
        );
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body[key], example[key]);
        assert_ne!(
            body["timestamp"], example["timestamp"],
            "the timestamp is fresh"
        );
        assert_fresh_millisecond_timestamp(&body);
    }
}

#[tokio::test]
async fn loaded_files_keep_unknown_values_and_either_accepted_key() {
    let dir = temp_dir("unknown-values");
    let list = r#"[{"countryCode":"USA","countryName":"United States","idTypes":[{"acquisitionConfig":{"backSide":true},"idType":"DRIVER_LICENSE","extra":1}],"region":"AMER"}]"#;
    std::fs::write(
        dir.join("supportedIdTypes.json"),
        format!(r#"{{"timestamp":"2020-01-01T00:00:00.000Z","supportedIdTypes":{list}}}"#),
    )
    .unwrap();
    // Saved from an account whose accepted endpoint used the other key.
    std::fs::write(
        dir.join("acceptedIdTypes.json"),
        format!(r#"{{"supportedIdTypes":{list}}}"#),
    )
    .unwrap();
    let catalogue = Catalogue::from_dir(&dir).unwrap();
    assert_eq!(
        catalogue.accepted()[0].id_types[0].id_type.as_str(),
        "DRIVER_LICENSE"
    );
    let server = MockServer::builder()
        .catalogue(catalogue)
        .start()
        .await
        .unwrap();
    for (path, key) in [
        (SUPPORTED_PATH, "supportedIdTypes"),
        (ACCEPTED_PATH, "acceptedIdTypes"),
    ] {
        let text = good_request(&server, path)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(text.ends_with(&format!(",\"{key}\":{list}}}")), "{text}");
    }
}

#[test]
fn bad_catalogue_files_are_reported_with_the_file_and_json_path() {
    let dir = temp_dir("bad-files");
    let error = Catalogue::from_dir(&dir).unwrap_err();
    assert!(matches!(error, CatalogueError::Read { .. }), "{error:?}");
    assert!(
        error.to_string().contains("supportedIdTypes.json"),
        "{error}"
    );

    std::fs::write(
        dir.join("supportedIdTypes.json"),
        r#"{"supportedIdTypes":[{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{"idType":"PASSPORT","acquisitionConfig":{}}]}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("acceptedIdTypes.json"),
        r#"{"timestamp":"2020-01-01T00:00:00.000Z"}"#,
    )
    .unwrap();
    let error = Catalogue::from_dir(&dir).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, CatalogueError::Invalid { .. }), "{error:?}");
    assert!(
        message.contains("supportedIdTypes[0].idTypes[0].acquisitionConfig"),
        "{message}"
    );
    assert!(message.contains("backSide"), "{message}");

    std::fs::write(
        dir.join("supportedIdTypes.json"),
        r#"{"supportedIdTypes":[]}"#,
    )
    .unwrap();
    let error = Catalogue::from_dir(&dir).unwrap_err();
    assert!(
        matches!(error, CatalogueError::MissingList { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn credentials_user_agent_and_accept_follow_jumios_rules() {
    let server = MockServer::builder()
        .credentials("token-1", "secret-1")
        .start()
        .await
        .unwrap();
    let client = http_client(None);
    let url = format!("{}{SUPPORTED_PATH}", server.base_url());
    // Built at run time: no credential, not even a made-up one, is committed
    // in encoded form (xtask/tests/no_credentials_committed.rs checks).
    let basic = |pair: &str| format!("Basic {}", BASE64.encode(pair));
    let lower_case_scheme = format!("basic {}", BASE64.encode("token-1:secret-1"));
    let (good, default, wrong) = (
        basic("token-1:secret-1"),
        basic("sandbox-token:sandbox-secret"),
        basic("token-1:secret-2"),
    );
    let (good, default, wrong) = (good.as_str(), default.as_str(), wrong.as_str());
    let json = Some("application/json");
    let ua = Some(USER_AGENT);
    // (what is special, Authorization, User-Agent, Accept, the expected 403
    // message or None for 200)
    let cases = [
        ("nothing", Some(good), ua, json, None),
        (
            "a lower-case scheme",
            Some(lower_case_scheme.as_str()),
            ua,
            json,
            None,
        ),
        (
            "no credentials",
            None,
            ua,
            json,
            Some("no HTTP Basic credentials"),
        ),
        (
            "the default credentials",
            Some(default),
            ua,
            json,
            Some("wrong API token or secret"),
        ),
        (
            "a wrong secret",
            Some(wrong),
            ua,
            json,
            Some("wrong API token or secret"),
        ),
        (
            "a bearer token",
            Some("Bearer dG9rZW4tMQ=="),
            ua,
            json,
            Some("wrong API token or secret"),
        ),
        (
            "no User-Agent",
            Some(good),
            None,
            json,
            Some("missing User-Agent"),
        ),
        (
            "a blank User-Agent",
            Some(good),
            Some(" "),
            json,
            Some("missing User-Agent"),
        ),
        (
            "Accept: text/html",
            Some(good),
            ua,
            Some("text/html"),
            Some("does not allow application/json"),
        ),
        ("Accept: */*", Some(good), ua, Some("*/*"), None),
        (
            "Accept: application/*",
            Some(good),
            ua,
            Some("application/*"),
            None,
        ),
    ];
    for (case, authorization, user_agent, accept, expected) in cases {
        let mut request = client.get(&url);
        for (name, value) in [
            ("Authorization", authorization),
            ("User-Agent", user_agent),
            ("Accept", accept),
        ] {
            if let Some(value) = value {
                request = request.header(name, value);
            }
        }
        let response = request.send().await.unwrap();
        match expected {
            None => {
                assert_eq!(response.status(), StatusCode::OK, "{case}");
                tracking_id(&response);
            }
            Some(fragment) => {
                assert_eq!(response.status(), StatusCode::FORBIDDEN, "{case}");
                let message =
                    assert_jumio_error(response, StatusCode::FORBIDDEN, SUPPORTED_PATH).await;
                assert!(
                    message.starts_with("Forbidden: ") && message.contains(fragment),
                    "{case}: {message}"
                );
            }
        }
    }
}

#[tokio::test]
async fn unknown_paths_get_404_and_other_methods_405() {
    let server = start().await;
    server.faults().push(Fault::InternalServerError);
    for path in [
        "/api/netverify/v2/supportedIdType",
        "/api/netverify/v2/supportedIdTypes/",
        "/",
    ] {
        let response = good_request(&server, path).send().await.unwrap();
        let message = assert_jumio_error(response, StatusCode::NOT_FOUND, path).await;
        assert_eq!(message, format!("Not found: {path}"));
    }
    let client = http_client(None);
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::HEAD,
    ] {
        let response = client
            .request(
                method.clone(),
                format!("{}{ACCEPTED_PATH}", server.base_url()),
            )
            .basic_auth(DEFAULT_TOKEN, Some(DEFAULT_SECRET))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        assert_eq!(response.headers()["allow"], "GET");
        tracking_id(&response);
        if method != reqwest::Method::HEAD {
            let message =
                assert_jumio_error(response, StatusCode::METHOD_NOT_ALLOWED, ACCEPTED_PATH).await;
            assert_eq!(message, format!("Method Not Allowed: {method}"));
        }
    }
    assert_eq!(
        server.faults().len(),
        1,
        "only catalogue requests consume faults"
    );
}

#[tokio::test]
async fn the_accepted_endpoint_can_use_the_supported_key() {
    let server = MockServer::builder()
        .accepted_key(ListKey::SupportedIdTypes)
        .start()
        .await
        .unwrap();
    let body: Value = good_request(&server, ACCEPTED_PATH)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body.get("acceptedIdTypes").is_none());
    let served: Vec<CountryDocuments> =
        serde_json::from_value(body["supportedIdTypes"].clone()).unwrap();
    assert_eq!(served, Catalogue::sample().accepted());
}

#[tokio::test]
async fn status_faults_answer_the_next_requests_before_auth() {
    let server = start().await;
    let faults = server.faults();
    faults.push(Fault::TooManyRequests {
        retry_after_secs: Some(0),
    });
    faults.push(Fault::TooManyRequests {
        retry_after_secs: None,
    });
    faults.push(Fault::InternalServerError);
    faults.push(Fault::BadGateway);
    faults.push_n(
        2,
        Fault::ServiceUnavailable {
            retry_after_secs: Some(7),
        },
    );
    assert_eq!(faults.len(), 6);

    let expected = [
        (StatusCode::TOO_MANY_REQUESTS, Some("0")),
        (StatusCode::TOO_MANY_REQUESTS, None),
        (StatusCode::INTERNAL_SERVER_ERROR, None),
        (StatusCode::BAD_GATEWAY, None),
        (StatusCode::SERVICE_UNAVAILABLE, Some("7")),
        (StatusCode::SERVICE_UNAVAILABLE, Some("7")),
    ];
    let client = http_client(None);
    for (status, retry_after) in expected {
        // No credentials at all: a proxy answers before Jumio checks them.
        let response = client
            .get(format!("{}{SUPPORTED_PATH}", server.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap()),
            retry_after,
            "{status}"
        );
        if status == StatusCode::BAD_GATEWAY {
            assert_eq!(response.status(), status);
            tracking_id(&response);
            assert_eq!(response.headers()["content-type"], "text/html");
            let body = response.text().await.unwrap();
            assert!(
                body.starts_with("<html>") && body.contains("502 Bad Gateway"),
                "{body}"
            );
        } else {
            assert_jumio_error(response, status, SUPPORTED_PATH).await;
        }
    }
    assert!(faults.is_empty());
    assert_eq!(
        good_request(&server, SUPPORTED_PATH)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    faults.push_n(3, Fault::InternalServerError);
    faults.clear();
    assert_eq!(
        good_request(&server, ACCEPTED_PATH)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn body_faults_break_the_json_or_the_connection() {
    let server = start().await;
    let normal = |path| {
        let request = good_request(&server, path);
        async move { request.send().await.unwrap().bytes().await.unwrap() }
    };
    let supported = normal(SUPPORTED_PATH).await;
    let accepted = normal(ACCEPTED_PATH).await;
    // What follows the timestamp, which each response stamps anew.
    let after_timestamp =
        |body: &[u8]| body[body.iter().position(|&b| b == b',').unwrap()..].to_vec();

    server.faults().push(Fault::TruncatedJson);
    server.faults().push(Fault::MalformedJson);
    server.faults().push(Fault::Disconnect);
    assert_eq!(server.faults().len(), 3);
    assert!(!server.faults().is_empty());

    // The first half of the document, as a complete HTTP message.
    let response = good_request(&server, SUPPORTED_PATH).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let length: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body = response.bytes().await.expect("a complete HTTP message");
    assert_eq!(body.len(), length);
    assert_eq!(body.len(), supported.len() / 2);
    assert_eq!(
        after_timestamp(&body),
        after_timestamp(&supported[..supported.len() / 2])
    );
    let error = serde_json::from_slice::<Value>(&body).unwrap_err();
    assert!(error.is_eof(), "cut short: {error}");

    // The whole document with a trailing comma before its final `}`.
    let response = good_request(&server, ACCEPTED_PATH).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.bytes().await.expect("a complete HTTP message");
    let malformed = [&accepted[..accepted.len() - 1], b",}"].concat();
    assert_eq!(after_timestamp(&body), after_timestamp(&malformed));
    let error = serde_json::from_slice::<Value>(&body).unwrap_err();
    assert!(error.is_syntax(), "malformed: {error}");

    // The whole length announced, half of it sent, then the connection closes.
    let mut response = good_request(&server, SUPPORTED_PATH).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    tracking_id(&response);
    let announced: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        announced,
        supported.len(),
        "the whole catalogue is announced"
    );
    let mut received = 0;
    let error = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => panic!("the body ended normally"),
            Err(error) => break error,
        }
    };
    assert!(error.is_body() || error.is_decode(), "{error:?}");
    assert_eq!(received, announced / 2);
    assert!(server.faults().is_empty());

    // The server itself is unharmed.
    let body: Value = good_request(&server, SUPPORTED_PATH)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["supportedIdTypes"].as_array().unwrap().len(), 250);
}

#[tokio::test]
async fn a_stall_outlasts_the_client_timeout_and_ends_on_shutdown() {
    let server = start().await;
    server.faults().push(Fault::Stall(Duration::from_secs(600)));
    let error = http_client(Some(Duration::from_millis(300)))
        .get(format!("{}{SUPPORTED_PATH}", server.base_url()))
        .send()
        .await
        .expect_err("the client gives up");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        good_request(&server, SUPPORTED_PATH)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // A stall in progress does not keep the server from stopping.
    server.faults().push(Fault::Stall(Duration::from_secs(600)));
    let stalled = tokio::spawn(good_request(&server, SUPPORTED_PATH).send());
    while server.request_count() < 3 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::timeout(Duration::from_secs(60), server.shutdown())
        .await
        .expect("shutdown ends the stall")
        .expect("the server stops cleanly");
    let response = stalled
        .await
        .unwrap()
        .expect("the stalled request is answered");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn latency_delays_every_response() {
    let server = MockServer::builder()
        .latency(Duration::from_millis(250))
        .start()
        .await
        .unwrap();
    for path in [SUPPORTED_PATH, "/missing"] {
        let started = Instant::now();
        good_request(&server, path).send().await.unwrap();
        assert!(started.elapsed() >= Duration::from_millis(250), "{path}");
    }
}

#[tokio::test]
async fn requests_are_counted_and_recorded_with_their_headers() {
    let server = start().await;
    good_request(&server, SUPPORTED_PATH).send().await.unwrap();
    http_client(None)
        .post(format!("{}/other?x=1", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(server.request_count(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method(), "GET");
    assert_eq!(requests[0].uri().path(), SUPPORTED_PATH);
    assert_eq!(requests[0].header("user-agent"), Some(USER_AGENT));
    assert_eq!(requests[0].header("accept"), Some("application/json"));
    // sandbox-token:sandbox-secret
    let sent = "Basic c2FuZGJveC10b2tlbjpzYW5kYm94LXNlY3JldA==";
    assert_eq!(requests[0].header("authorization"), Some(sent));
    let headers = requests[0].headers();
    assert_eq!(headers["user-agent"], USER_AGENT);
    assert!(headers["authorization"].is_sensitive());
    let debug = format!("{requests:?}");
    assert!(
        !debug.contains("c2FuZGJveC10b2tlbjpzYW5kYm94LXNlY3JldA"),
        "Debug hides credentials: {debug}"
    );
    assert_eq!(requests[1].method(), "POST");
    assert_eq!(requests[1].uri(), "/other?x=1");
    assert_eq!(requests[1].header("authorization"), None);
}

/// reqwest always sends `Accept: */*`; a request without any Accept needs a
/// raw connection.
#[tokio::test]
async fn a_request_without_accept_is_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = start().await;
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let request = format!(
        "GET {SUPPORTED_PATH} HTTP/1.1\r\nHost: {}\r\nAuthorization: Basic c2FuZGJveC10b2tlbjpzYW5kYm94LXNlY3JldA==\r\n\
         User-Agent: {USER_AGENT}\r\nConnection: close\r\n\r\n",
        server.addr()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(
        response.starts_with("HTTP/1.1 403 Forbidden\r\n"),
        "{response}"
    );
    assert!(
        response.to_ascii_lowercase().contains("\r\nx-trackingid: "),
        "{response}"
    );
    assert!(
        response.contains(r#""message":"Forbidden: missing Accept header"#),
        "{response}"
    );
}

/// The sample catalogue the sandbox shows, pinned country by country: it is
/// invented from a hash of each code, and must not change by itself (a
/// change is reviewed in the snapshot).
#[test]
fn the_sample_catalogue_is_pinned() {
    let catalogue = Catalogue::sample();
    let lines = |countries: &[CountryDocuments]| -> String {
        countries
            .iter()
            .map(|country| {
                let documents: Vec<String> = country
                    .id_types
                    .iter()
                    .map(|document| {
                        let back = if document.acquisition_config.back_side {
                            "+back"
                        } else {
                            ""
                        };
                        format!("{}{back}", document.id_type)
                    })
                    .collect();
                format!(
                    "{} {}: {}",
                    country.country_code,
                    *country.country_name,
                    documents.join(" ")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    insta::assert_snapshot!("sample_supported", lines(catalogue.supported()));
    insta::assert_snapshot!("sample_accepted", lines(catalogue.accepted()));
}

#[tokio::test]
async fn debug_shows_the_settings_but_never_the_secret() {
    let builder = MockServer::builder().credentials("tok-3b1c", "sec-8d2a");
    let shown = format!("{builder:?}");
    for part in [
        "MockServerBuilder",
        "127.0.0.1:0",
        "tok-3b1c",
        "[redacted]",
        "AcceptedIdTypes",
    ] {
        assert!(shown.contains(part), "{part:?} missing from {shown}");
    }
    assert!(!shown.contains("sec-8d2a"), "{shown}");
    let server = builder.start().await.unwrap();
    let shown = format!("{server:?}");
    assert!(shown.starts_with("MockServer"), "{shown}");
    assert!(shown.contains(&server.addr().to_string()), "{shown}");
    assert!(!shown.contains("sec-8d2a"), "{shown}");
}

#[tokio::test]
async fn shutdown_answers_a_request_in_progress_and_returns_once_nothing_listens() {
    let server = MockServer::builder()
        .latency(Duration::from_secs(5))
        .start()
        .await
        .unwrap();
    let addr = server.addr();
    let in_progress = tokio::spawn(good_request(&server, SUPPORTED_PATH).send());
    for _ in 0..400 {
        if server.request_count() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(server.request_count(), 1, "the request arrived");
    server.shutdown().await.unwrap();
    // Checked before anything else runs on this runtime: the listener is
    // closed by the time shutdown returns.
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening after shutdown returned"
    );
    // The request in progress was answered, its latency cut short.
    let response = in_progress.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[test]
fn the_documented_samples_catalogue_holds_jumios_samples_exactly() {
    let catalogue = Catalogue::documented_samples();
    for (path, key, list) in [
        (SUPPORTED_PATH, "supportedIdTypes", catalogue.supported()),
        (ACCEPTED_PATH, "acceptedIdTypes", catalogue.accepted()),
    ] {
        assert_eq!(serde_json::to_value(list).unwrap(), spec_example(path)[key]);
    }
    let codes = |list: &[CountryDocuments]| -> Vec<String> {
        list.iter().map(|c| c.country_code.to_string()).collect()
    };
    assert_eq!(codes(catalogue.supported()), ["NLD", "FRO"]);
    assert_eq!(codes(catalogue.accepted()), ["GAB", "SGP"]);
}

#[test]
fn a_catalogues_debug_gives_the_sizes_of_its_lists() {
    let sample = Catalogue::sample();
    assert_eq!(
        format!("{sample:?}"),
        format!(
            "Catalogue {{ supported_countries: 250, accepted_countries: {} }}",
            sample.accepted().len()
        )
    );
    assert!(sample.accepted().len() > 100);
}
