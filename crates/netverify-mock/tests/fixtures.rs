//! The fixtures of `openapi/fixtures/`: each says truly whether its answer
//! conforms to the spec, and the mock serves each one byte for byte, in
//! process and through the binary's `--fixture`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use netverify_api::Operation;
use netverify_mock::{DEFAULT_SECRET, DEFAULT_TOKEN, Fixture, MockServer};
use serde_json::Value;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every fixture, with its file name, in name order.
fn fixtures() -> Vec<(String, Fixture)> {
    let dir = repository().join("openapi/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 16, "the fixtures are there: {files:?}");
    files
        .iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, Fixture::from_file(path).unwrap())
        })
        .collect()
}

/// Why the answer breaks the spec, or `None` when it conforms: a status
/// the operation documents, a JSON content type, and a body (after a
/// leading byte order mark, which JSON parsers may skip) valid under the
/// response's JSON Schema in `openapi/schemas/`.
fn nonconformity(spec: &Value, fixture: &Fixture) -> Option<String> {
    let answer = &fixture.answer;
    let operation = fixture.operation;
    let pointer = format!(
        "/paths/{}/get/responses/{}",
        operation.path().replace('/', "~1"),
        answer.status
    );
    if spec.pointer(&pointer).is_none() {
        return Some(format!("status {} is not documented", answer.status));
    }
    let content_type = answer
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.as_str());
    if content_type != Some("application/json") {
        return Some(format!("content type {content_type:?}"));
    }
    let body = answer
        .body
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(&answer.body);
    let body: Value = match serde_json::from_slice(body) {
        Ok(body) => body,
        Err(e) => return Some(format!("not JSON: {e}")),
    };
    let schema = match (answer.status, operation) {
        (200, Operation::SupportedIdTypes) => "SupportedIdTypesResponse",
        (200, Operation::AcceptedIdTypes) => "AcceptedIdTypesResponse",
        _ => "JumioErrorBody",
    };
    let path = repository().join(format!("openapi/schemas/{schema}.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| e.to_string())
        .collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

#[test]
fn each_fixture_says_truly_whether_it_conforms_to_the_spec() {
    let text = std::fs::read_to_string(repository().join("openapi/netverify.yaml")).unwrap();
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let mut conforming = 0;
    for (name, fixture) in fixtures() {
        let problem = nonconformity(&spec, &fixture);
        assert_eq!(
            problem.is_none(),
            fixture.conforms_to_spec,
            "{name}: conformsToSpec is {}, but: {problem:?}",
            fixture.conforms_to_spec
        );
        conforming += usize::from(problem.is_none());
    }
    assert!(conforming >= 10, "most fixtures conform: {conforming}");
}

#[test]
fn each_fixture_has_one_outcome_of_the_documented_shape() {
    for (name, fixture) in fixtures() {
        let outcome = fixture.outcome.as_object().unwrap();
        assert_eq!(outcome.len(), 1, "{name}");
        if let Some(catalogue) = outcome.get("catalogue") {
            let key = catalogue["listKey"].as_str().unwrap();
            assert!(
                fixture
                    .operation
                    .list_keys()
                    .iter()
                    .any(|k| k.as_str() == key),
                "{name}"
            );
            assert!(catalogue["entries"].is_array(), "{name}");
        } else {
            let error = &outcome["error"];
            let kind = error["kind"].as_str().unwrap();
            assert!(
                ["refused", "temporary", "status", "invalidResponse"].contains(&kind),
                "{name}: {kind}"
            );
            let status = error["status"].as_u64();
            assert_eq!(
                status.is_some(),
                fixture.answer.status != 200,
                "{name}: a status exactly for an unsuccessful answer"
            );
            assert!(
                error.get("trackingId").is_some(),
                "{name}: trackingId, or null"
            );
        }
    }
}

#[tokio::test]
async fn the_mock_serves_each_fixture_byte_for_byte_then_its_catalogue() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let server = MockServer::builder().start().await.unwrap();
    for (name, fixture) in fixtures() {
        server.faults().push(fixture.fault());
        let get = || {
            http.get(format!("{}{}", server.base_url(), fixture.operation.path()))
                .basic_auth(DEFAULT_TOKEN, Some(DEFAULT_SECRET))
                .header("User-Agent", "Acme KYC/1.0")
                .header("Accept", "application/json")
                .send()
        };
        let response = get().await.unwrap();
        let answer = &fixture.answer;
        assert_eq!(response.status().as_u16(), answer.status, "{name}");
        for (header, value) in &answer.headers {
            assert_eq!(
                response.headers()[header.as_str()],
                value.as_str(),
                "{name}"
            );
        }
        assert_eq!(
            response.headers().contains_key("x-trackingid"),
            answer.headers.iter().any(|(h, _)| h == "X-Trackingid"),
            "{name}: the mock adds no tracking id to a fixture"
        );
        assert_eq!(response.bytes().await.unwrap(), answer.body, "{name}");
        assert_eq!(
            get().await.unwrap().status(),
            200,
            "{name}: one request only"
        );
    }
}

#[test]
#[cfg(unix)]
fn the_binary_serves_a_fixture_exactly_then_the_catalogue() {
    let fixture = repository().join("openapi/fixtures/forbidden-html.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_netverify-mock"))
        .args(["--port", "0", "--quiet", "--fixture"])
        .arg(&fixture)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base_url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let get = || {
            client
                .get(format!("{base_url}/api/netverify/v2/acceptedIdTypes"))
                .basic_auth("sandbox-token", Some("sandbox-secret"))
                .header("User-Agent", "Acme KYC/1.0")
                .send()
        };
        let response = get().await.unwrap();
        assert_eq!(response.status(), 403);
        assert_eq!(response.headers()["content-type"], "text/html");
        assert_eq!(
            response.headers()["x-trackingid"],
            "5f4a7d2c-0c1e-4d0b-9a53-8f7f2f1b6c11"
        );
        assert!(response.text().await.unwrap().contains("Access denied"));
        assert_eq!(get().await.unwrap().status(), 200, "one request only");
    });
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_bad_fixture_is_an_error_that_names_the_file() {
    let output = Command::new(env!("CARGO_BIN_EXE_netverify-mock"))
        .args(["--port", "0", "--fixture", "/nonexistent/fixture.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "it never says it listens");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot read /nonexistent/fixture.json"),
        "{stderr}"
    );
}
