//! The bytes of the answers: Jumio's error document, JSON responses, and the
//! head of a catalogue document.

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{SecondsFormat, Utc};
use netverify_api::types::JumioErrorBody;

const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// `{"timestamp":"<now>`: the start of every catalogue document, with a fresh
/// timestamp in Jumio's format (UTC, milliseconds). The rest follows it.
pub(crate) fn document_head() -> Bytes {
    let timestamp = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
    Bytes::from(format!("{{\"timestamp\":\"{timestamp}"))
}

pub(crate) fn json_response(body: Body) -> Response {
    let mut response = Response::new(body);
    response.headers_mut().insert(CONTENT_TYPE, JSON);
    response
}

/// Jumio's error document, built from the generated model so it has the
/// spec's shape (`httpStatus` is a string).
pub(crate) fn jumio_error(status: StatusCode, message: String, path: &str) -> Response {
    let body: JumioErrorBody = JumioErrorBody::builder()
        .http_status(Some(status.as_u16().to_string()))
        .message(Some(message))
        .request_uri(Some(path.to_owned()))
        .try_into()
        .expect("every field is optional");
    let body = serde_json::to_vec(&body).expect("the error model always serializes");
    let mut response = json_response(Body::from(body));
    *response.status_mut() = status;
    response
}

pub(crate) fn with_retry_after(mut response: Response, seconds: Option<u64>) -> Response {
    if let Some(seconds) = seconds {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}
