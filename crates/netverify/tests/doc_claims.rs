//! The claims with a number, a default or a message shape in the crate
//! README, openapi/README.md and docs/settings.md, each read from the
//! document and checked against the public API, so that a doc that drifts
//! from the code fails here. (The hostile-input table is checked by
//! hostile_responses.rs, the quick start by readme.rs.)

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use netverify::{Client, ClientBuilder, Error, Region, RetryPolicy};
use netverify_mock::Fault;
use wiremock::MockServer;

const README: &str = include_str!("../README.md");
const OPENAPI_README: &str = include_str!("../../../openapi/README.md");
const SETTINGS: &str = include_str!("../../../docs/settings.md");

/// The text of `document` from `start` to the next `end`, as one line.
fn between(document: &str, start: &str, end: &str) -> String {
    let from = document
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in the document"));
    let rest = &document[from + start.len()..];
    let text = &rest[..rest.find(end).unwrap_or(rest.len())];
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The three-digit numbers (HTTP statuses) in `text`.
fn statuses(text: &str) -> BTreeSet<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|word| word.len() == 3)
        .map(|word| word.parse().unwrap())
        .collect()
}

/// The number right before `unit` in `text`, as in "up to 3 attempts".
fn number_before(text: &str, unit: &str) -> u64 {
    let at = text
        .find(unit)
        .unwrap_or_else(|| panic!("no {unit:?} in {text:?}"));
    let word = text[..at].split_whitespace().last().unwrap();
    word.parse()
        .unwrap_or_else(|_| panic!("{word:?} before {unit:?}"))
}

/// How many requests one call makes when the server always answers `code`.
async fn requests_for_status(code: u16) -> usize {
    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, status(code, "", "text/plain")).await;
    let error = client(&server).supported_id_types().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(code));
    request_count(&server).await
}

/// The statuses the crate retries and the ones it does not, as one call
/// against a server that keeps answering each status shows.
async fn check_statuses(retried: &BTreeSet<u16>, not_retried: &BTreeSet<u16>, source: &str) {
    let attempts = fast_retries().attempt_limit() as usize;
    for &code in retried {
        assert_eq!(
            requests_for_status(code).await,
            attempts,
            "{source} says {code} is retried"
        );
    }
    for &code in not_retried {
        assert_eq!(
            requests_for_status(code).await,
            1,
            "{source} says {code} is not retried"
        );
    }
}

/// The statuses the crate retries, for the documents to agree on.
const RETRIED: [u16; 4] = [429, 502, 503, 504];

#[tokio::test]
async fn the_readmes_retry_rules_are_the_crates() {
    let section = between(README, "## Retries", "\n## ");
    let (retried, returned) = section
        .split_once("Other statuses")
        .expect("the README's Retries section");
    let listed = retried.split("the statuses").nth(1).expect("the statuses");
    let retried_statuses = statuses(listed.split(" with ").next().unwrap());
    assert_eq!(retried_statuses, BTreeSet::from(RETRIED), "{section}");
    let returned = statuses(returned);
    assert!(returned.contains(&500), "{section}");
    check_statuses(&retried_statuses, &returned, "the README").await;

    // The defaults the section gives.
    let defaults = RetryPolicy::default()
        .max_attempts(number_before(&section, "attempts") as u32)
        .initial_backoff(Duration::from_millis(number_before(&section, "ms up to")))
        .max_backoff(Duration::from_secs(number_before(&section, "s and jitter")))
        .max_retry_after(Duration::from_secs(number_before(&section, "s, it waits")));
    assert_eq!(RetryPolicy::default(), defaults, "{section}");
    assert_eq!(RetryPolicy::none().attempt_limit(), 1);

    // Connection failures, cut-off bodies and timeouts are retried.
    for (what, fault) in [
        ("a cut-off body", Fault::Disconnect),
        ("a timeout", Fault::Stall(Duration::from_secs(60))),
    ] {
        let server = netverify_mock::MockServer::builder().start().await.unwrap();
        server.faults().push_n(2, fault);
        let client = mock_builder(&server)
            .retry_policy(fast_retries())
            .attempt_timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        client
            .supported_id_types()
            .await
            .unwrap_or_else(|error| panic!("{what}: {error}"));
        assert_eq!(server.request_count(), 3, "{what}");
    }
    // A port nothing listens on refuses every connection.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let error = Client::builder()
        .base_url(url)
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(fast_retries())
        .build()
        .unwrap()
        .supported_id_types()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert_eq!(error.attempts(), 3, "{error}");
}

#[tokio::test]
async fn openapi_readmes_retry_advice_is_what_the_crate_does() {
    let bullet = between(OPENAPI_README, "- **Retries**", "\n- **");
    let (retry, never) = bullet
        .split_once("Do not retry")
        .expect("the openapi README's Retries bullet");
    let retried = statuses(retry);
    assert_eq!(retried, BTreeSet::from(RETRIED), "{bullet}");
    let never = statuses(never.split(':').next().unwrap());
    assert_eq!(never, BTreeSet::from([400, 401, 403, 404, 500]), "{bullet}");
    assert!(
        retry.contains("connection failures and timeouts"),
        "{bullet}"
    );
    check_statuses(&retried, &never, "openapi/README.md").await;
}

#[tokio::test]
async fn a_forbidden_message_names_the_host_and_region_then_the_reason_then_what_to_check() {
    let claim = "the message names the configured host and region, then gives the server's own \
                 reason, then what to check";
    assert!(
        between(README, "## Errors", "\n## ").contains(claim),
        "the README's claim changed: update this test with it"
    );
    let server = MockServer::start().await;
    let body = r#"{"httpStatus":"403","message":"Forbidden: wrong API token or secret"}"#;
    serve(
        &server,
        SUPPORTED_PATH,
        status(403, body, "application/json"),
    )
    .await;
    let message = client(&server)
        .supported_id_types()
        .await
        .unwrap_err()
        .to_string();
    let host = format!(
        "403 forbidden by {} (custom base URL, no region): ",
        server.uri()
    );
    let reason = r#""Forbidden: wrong API token or secret" (httpStatus "403"); "#;
    let check = "check the API token and secret, and that the account belongs to this region";
    assert!(message.starts_with(&host), "{message}");
    assert!(message[host.len()..].starts_with(reason), "{message}");
    assert!(message.contains(check), "{message}");
    assert!(
        message.ends_with(&format!(" [X-Trackingid: {TRACKING_ID}]")),
        "{message}"
    );

    let eu = Error::forbidden(Region::Eu, body).to_string();
    assert!(
        eu.starts_with("403 forbidden by https://lon.netverify.com (region eu): \"Forbidden: "),
        "{eu}"
    );
}

/// The variants of `Error`, read from its source.
fn error_variants() -> BTreeSet<String> {
    let source = include_str!("../src/error.rs");
    let body = &source[source.find("pub enum Error {").unwrap()..];
    let body = &body[..body.find("\n}").unwrap()];
    body.lines()
        .filter_map(|line| line.strip_prefix("    "))
        .filter(|line| line.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|line| {
            line.split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_readme_lists_every_error_variant() {
    let section = between(
        README,
        "`netverify::Error` is one",
        "`Error::tracking_id()`",
    );
    let listed: BTreeSet<String> = section
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|word| {
            word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && word.chars().all(char::is_alphanumeric)
        })
        .map(str::to_owned)
        .collect();
    assert_eq!(listed, error_variants(), "{section}");
}

/// The `JUMIO_*` variables `netverify::env_vars` names, read from its source.
fn env_vars() -> BTreeSet<String> {
    jumio_names(include_str!("../src/env_vars.rs"))
}

fn jumio_names(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_uppercase() || c == '_'))
        .filter(|word| word.starts_with("JUMIO_"))
        .map(str::to_owned)
        .collect()
}

fn from_env(vars: &[(&str, &str)]) -> Result<ClientBuilder, Error> {
    ClientBuilder::from_env_with(|name| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
    })
}

const CREDENTIALS: [(&str, &str); 3] = [
    ("JUMIO_API_TOKEN", "token"),
    ("JUMIO_API_SECRET", "secret"),
    ("JUMIO_USER_AGENT", "Acme KYC/1.0"),
];

#[test]
fn the_readme_names_every_variable_from_env_reads() {
    let sentence = between(README, "`ClientBuilder::from_env()` reads", ".\n");
    assert_eq!(jumio_names(&sentence), env_vars(), "{sentence}");
    for region in ["us", "eu", "sgp"] {
        assert!(sentence.contains(&format!("`{region}`")), "{sentence}");
        let vars = [CREDENTIALS.as_slice(), &[("JUMIO_REGION", region)]].concat();
        let client = from_env(&vars).unwrap().build().unwrap();
        assert_eq!(
            client.region().map(|r| r.to_string()).as_deref(),
            Some(region)
        );
    }
}

#[test]
fn the_settings_table_is_what_the_library_reads() {
    let table = between(SETTINGS, "| setting |", "The rules:");
    // The library's variables: the table's, without the CLI's own.
    let library: BTreeSet<String> = table
        .split(" | ")
        .flat_map(|cell| cell.split(", "))
        .filter(|name| !name.contains("(CLI only)"))
        .flat_map(jumio_names)
        .collect();
    assert_eq!(library, env_vars(), "{table}");

    // The default region, and region names in any case.
    let region_row = between(SETTINGS, "| region (", "\n");
    assert!(region_row.ends_with("| `us` |"), "{region_row}");
    let client = from_env(&CREDENTIALS).unwrap().build().unwrap();
    assert_eq!(client.region(), Some(Region::Us));
    for (name, region) in [
        ("EU", Region::Eu),
        ("eu", Region::Eu),
        ("Eu", Region::Eu),
        ("SGP", Region::Sgp),
    ] {
        assert_eq!(name.parse::<Region>().unwrap(), region);
    }

    // Empty means unset; a region and a base URL together are refused.
    let empty = [
        CREDENTIALS.as_slice(),
        &[("JUMIO_REGION", ""), ("JUMIO_BASE_URL", "")],
    ]
    .concat();
    assert_eq!(
        from_env(&empty).unwrap().build().unwrap().region(),
        Some(Region::Us)
    );
    let both = [
        CREDENTIALS.as_slice(),
        &[
            ("JUMIO_REGION", "eu"),
            ("JUMIO_BASE_URL", "https://proxy.example"),
        ],
    ]
    .concat();
    let error = from_env(&both).unwrap_err().to_string();
    assert!(
        error.contains("JUMIO_REGION and JUMIO_BASE_URL are both set"),
        "{error}"
    );
    let no_secret = [
        ("JUMIO_API_TOKEN", "token"),
        ("JUMIO_API_SECRET", ""),
        ("JUMIO_USER_AGENT", "Acme KYC/1.0"),
    ];
    let error = from_env(&no_secret)
        .unwrap()
        .build()
        .unwrap_err()
        .to_string();
    assert!(error.contains("secret"), "{error}");
}

#[test]
fn the_base_url_rules_of_the_settings_doc_hold() {
    let rules = between(SETTINGS, "## Base URLs", "\n## ");
    for phrase in [
        "`https://`, or `http://` to a loopback address only",
        "no credentials, query or fragment",
        "(`/api/netverify/v2`)",
    ] {
        assert!(
            rules.contains(phrase),
            "{phrase:?} left docs/settings.md: update this test"
        );
    }
    let builds = |url: &str| {
        Client::builder()
            .base_url(url)
            .credentials("token", "secret")
            .user_agent("Acme KYC/1.0")
            .build()
            .is_ok()
    };
    for url in [
        "https://proxy.example",
        "http://127.0.0.1:8080",
        "http://[::1]:8080",
        "http://localhost:8080",
    ] {
        assert!(builds(url), "{url} is refused");
    }
    for url in [
        "http://proxy.example",
        "ftp://proxy.example",
        "https://user:pw@proxy.example",
        "https://proxy.example/?region=eu",
        "https://proxy.example/#eu",
        "https://proxy.example/api/netverify/v2",
    ] {
        assert!(!builds(url), "{url} builds");
    }
}

#[test]
fn the_hosts_of_the_regions_are_the_ones_the_docs_give() {
    let bullet = between(OPENAPI_README, "- **Regions**", "\n- **");
    let hosts: Vec<&str> = bullet
        .split('`')
        .filter(|word| word.starts_with("https://"))
        .collect();
    let ours: Vec<String> = [Region::Us, Region::Eu, Region::Sgp]
        .into_iter()
        .map(|region| {
            Client::builder()
                .region(region)
                .credentials("token", "secret")
                .user_agent("Acme KYC/1.0")
                .build()
                .unwrap()
                .base_url()
                .to_owned()
        })
        .collect();
    assert_eq!(hosts, ours, "{bullet}");
    assert!(README.contains("Regions US, EU and SGP"));
}

#[test]
fn the_builders_documented_defaults_are_its_defaults() {
    // `Client::builder`'s documentation: 10 s, 30 s, the default policy,
    // 8 MiB (the 8 MiB limit is also met by a response in
    // hostile_responses.rs).
    let shown = format!("{:?}", Client::builder());
    for part in [
        "Region(Us)",
        "connect_timeout: 10s",
        "attempt_timeout: 30s",
        "max_response_bytes: 8388608",
    ] {
        assert!(shown.contains(part), "{part} missing from {shown}");
    }
    assert!(
        shown.contains(&format!("retry: {:?}", RetryPolicy::default())),
        "{shown}"
    );
}

#[test]
fn every_example_the_readme_names_exists() {
    let section = between(README, "## Examples", "\n## ");
    let named: Vec<&str> = section
        .split("--example ")
        .skip(1)
        .map(|rest| rest.split([' ', '`']).next().unwrap())
        .collect();
    assert_eq!(named.len(), 3, "{section}");
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    for name in named {
        assert!(
            examples.join(format!("{name}.rs")).exists(),
            "no example {name}"
        );
    }
}

#[test]
fn the_mocks_faults_are_the_ones_the_readme_lists() {
    let list = between(
        README,
        "answers the next requests with scripted failures (",
        ")",
    );
    for code in statuses(&list) {
        let fault = match code {
            429 => Fault::TooManyRequests {
                retry_after_secs: None,
            },
            500 => Fault::InternalServerError,
            502 => Fault::BadGateway,
            503 => Fault::ServiceUnavailable {
                retry_after_secs: None,
            },
            other => panic!("the README lists a fault {other} the mock lacks"),
        };
        assert_eq!(fault.name(), code.to_string());
    }
    for fault in ["truncated", "malformed", "dropped connection", "stall"] {
        assert!(list.contains(fault), "{list}");
    }
}

/// A file of the workspace, by its path from the root.
fn workspace_file(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn openapi_readmes_tools_and_commands_are_the_xtasks() {
    // The TypeScript generator's pinned version.
    let npx = between(OPENAPI_README, "npx openapi-typescript@", " ");
    let package = workspace_file("openapi/tools/package.json");
    assert!(
        package.contains(&format!("\"openapi-typescript\": \"{npx}\"")),
        "openapi/README.md runs openapi-typescript {npx}, the tools pin another"
    );
    // The Python the xtask requires.
    let python = between(OPENAPI_README, "Both need Python ", "+");
    let (major, minor) = python.split_once('.').unwrap();
    assert!(
        workspace_file("xtask/src/tools.rs")
            .contains(&format!("MIN_PYTHON: (u32, u32) = ({major}, {minor});")),
        "Python {python}"
    );
    // "What `spec-smoke` runs": the README's command has the xtask's flags.
    let command = between(OPENAPI_README, "openapi-python-client generate", "```");
    let smoke = workspace_file("xtask/src/spec_smoke.rs");
    for flag in command
        .split_whitespace()
        .filter(|word| word.starts_with("--"))
    {
        assert!(smoke.contains(&format!("\"{flag}\"")), "{flag} is not run");
    }
    assert!(smoke.contains(&format!("\"{}\"", between(&command, "--config ", " "))));
    // The snippet's client set-up is the tested example's.
    let snippet = between(OPENAPI_README, "```python", "```");
    let tested = workspace_file("openapi/smoke/smoke.py");
    for part in [
        "from netverify_client import Client",
        "headers={\"Accept\": \"application/json\"},",
        "httpx_args={\"auth\": (",
    ] {
        assert!(snippet.contains(part) && tested.contains(part), "{part}");
    }
}

#[test]
fn the_json_schemas_are_draft_7_one_per_response_model() {
    let row = between(OPENAPI_README, "| `schemas/*.json` |", "\n");
    assert!(
        row.contains("(draft 7) of the three response models"),
        "{row}"
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/schemas");
    let schemas: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(schemas.len(), 3, "{schemas:?}");
    for schema in schemas {
        let text = std::fs::read_to_string(&schema).unwrap();
        assert!(
            text.contains(r#""$schema": "http://json-schema.org/draft-07/schema#""#),
            "{schema:?}"
        );
    }
}

#[test]
fn no_openssl_anywhere_in_the_workspace() {
    assert!(README.contains("rustls (TLS 1.2 and 1.3); no OpenSSL."));
    // TLS 1.2 and 1.3 are met in tls.rs; here, no crate of the lockfile
    // (dev-dependencies included) links OpenSSL.
    let lock = workspace_file("Cargo.lock");
    for name in ["openssl", "openssl-sys", "native-tls"] {
        assert!(
            !lock.contains(&format!("name = \"{name}\"\n")),
            "{name} is in Cargo.lock"
        );
    }
}
