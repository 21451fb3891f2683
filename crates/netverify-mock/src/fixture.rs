//! The language-neutral fixtures of `openapi/fixtures/`: what the server
//! answers to one request (status, headers, body) and what a correct client
//! concludes from it. The mock serves a fixture's answer as a [`Fault::Answer`];
//! the format is described in `openapi/README.md`.

use std::path::Path;

use netverify_api::Operation;
use serde::Deserialize;

use crate::Fault;

/// One scenario of `openapi/fixtures/`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fixture {
    /// The operation the client calls.
    pub operation: Operation,
    /// What the server answers.
    pub answer: Answer,
    /// Whether the body conforms to the spec's schema for its status.
    pub conforms_to_spec: bool,
    /// What a correct client concludes, as the file states it (a
    /// `catalogue` or an `error` object).
    pub outcome: serde_json::Value,
}

/// An exact answer: status, headers in order, and body bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// The headers, in the file's order.
    pub headers: Vec<(String, String)>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct File {
    #[allow(dead_code)] // for the reader of the file
    description: String,
    operation: String,
    response: FileResponse,
    conforms_to_spec: bool,
    outcome: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileResponse {
    status: u16,
    headers: serde_json::Map<String, serde_json::Value>,
    body: Option<serde_json::Value>,
    body_text: Option<String>,
}

impl Fixture {
    /// Reads a fixture file.
    pub fn from_file(path: &Path) -> Result<Fixture, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Fixture::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses a fixture from its JSON text.
    pub fn from_json(text: &str) -> Result<Fixture, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let operation = Operation::ALL
            .into_iter()
            .find(|operation| operation.operation_id() == file.operation)
            .ok_or_else(|| format!("unknown operation {:?}", file.operation))?;
        let response = file.response;
        let body = match (response.body, response.body_text) {
            (Some(json), None) => serde_json::to_vec(&json).expect("JSON serializes"),
            (None, Some(text)) => text.into_bytes(),
            _ => return Err("the response needs exactly one of body and bodyText".into()),
        };
        let headers = response
            .headers
            .into_iter()
            .map(|(name, value)| match value {
                serde_json::Value::String(value) => Ok((name, value)),
                other => Err(format!("header {name} is not a string: {other}")),
            })
            .collect::<Result<_, _>>()?;
        Ok(Fixture {
            operation,
            answer: Answer {
                status: response.status,
                headers,
                body,
            },
            conforms_to_spec: file.conforms_to_spec,
            outcome: file.outcome,
        })
    }

    /// The fault that makes the mock answer a request with this fixture's
    /// answer.
    pub fn fault(&self) -> Fault {
        Fault::Answer(self.answer.clone())
    }
}
