//! Every fixture of `openapi/fixtures/`, the scenarios shared with the
//! clients of other languages, through the public API: netverify-mock
//! answers exactly as the fixture says, and the client concludes what the
//! fixture's `outcome` says (the catalogue's entries, or the kind of error,
//! `Error::kind().as_str()`, with its status, tracking id and
//! `Retry-After`).

use std::path::{Path, PathBuf};

use netverify::{Client, Error, Operation, RetryPolicy};
use netverify_mock::{DEFAULT_SECRET, DEFAULT_TOKEN, Fixture, MockServer};
use serde_json::{Value, json};

fn fixture_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// What the client concluded, in the fixtures' `outcome` shape.
fn outcome(result: Result<netverify::Catalogue, Error>) -> Value {
    match result {
        Ok(catalogue) => {
            let entries: Vec<Value> = catalogue
                .entries()
                .map(|(country, document)| {
                    json!({
                        "country": country.code().as_str(),
                        "idType": document.id_type().as_str(),
                        "backSide": document.back_side_required(),
                    })
                })
                .collect();
            json!({ "catalogue": {
                "listKey": catalogue.list_key().as_str(),
                "entries": entries,
            }})
        }
        Err(error) => {
            let mut concluded = json!({
                "kind": error.kind().as_str(),
                "status": error.status().map(|status| status.as_u16()),
                "trackingId": error.tracking_id(),
            });
            if let Some(wait) = error.retry_after() {
                concluded["retryAfterSeconds"] = json!(wait.as_secs());
            }
            json!({ "error": concluded })
        }
    }
}

#[tokio::test]
async fn the_client_concludes_what_every_fixture_says() {
    let files = fixture_files();
    assert!(files.len() >= 16, "the fixtures are there: {files:?}");
    let server = MockServer::builder().start().await.unwrap();
    // One attempt: the fixture is one answer. A client that retries the
    // temporary ones, as this one does by default, concludes the same
    // when every attempt gets that answer.
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(DEFAULT_TOKEN, DEFAULT_SECRET)
        .user_agent("netverify-rs fixtures/1.0")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for file in &files {
        let fixture = Fixture::from_file(file).unwrap();
        server.faults().push(fixture.fault());
        let result = match fixture.operation {
            Operation::SupportedIdTypes => client.supported_id_types().await,
            Operation::AcceptedIdTypes => client.accepted_id_types().await,
        };
        let concluded = outcome(result);
        if concluded != fixture.outcome {
            failures.push(format!(
                "{}:\n  expected {}\n  concluded {concluded}",
                file.display(),
                fixture.outcome
            ));
        }
    }
    assert!(server.faults().is_empty(), "one request per fixture");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
