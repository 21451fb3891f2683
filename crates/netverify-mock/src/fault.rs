//! Scripted failures: what a proxy, a load balancer or a broken network does
//! to a request on its way to Jumio.

use std::collections::VecDeque;
use std::io;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use futures::StreamExt;

use crate::fixture::Answer;
use crate::response::{document_head, json_response, jumio_error, with_retry_after};

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
    <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// One failure, answered to one request for a catalogue endpoint instead of
/// (or, for [`Fault::Stall`], before) the normal answer.
///
/// Faults act like a proxy in front of the API: they are applied before the
/// credentials and headers are checked, and only requests for the two
/// catalogue endpoints consume them (a 404 or 405 never does).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `429 Too Many Requests` with Jumio's error body and, when set,
    /// `Retry-After` in seconds (0 is allowed).
    TooManyRequests {
        /// The `Retry-After` value in seconds; `None` leaves the header out.
        retry_after_secs: Option<u64>,
    },
    /// `500 Internal Server Error` with Jumio's error body.
    InternalServerError,
    /// `502 Bad Gateway` with an HTML body, as a reverse proxy sends it.
    BadGateway,
    /// `503 Service Unavailable` with Jumio's error body and, when set,
    /// `Retry-After` in seconds.
    ServiceUnavailable {
        /// The `Retry-After` value in seconds; `None` leaves the header out.
        retry_after_secs: Option<u64>,
    },
    /// `200 OK` whose JSON body stops halfway; the HTTP message itself is
    /// complete (its `Content-Length` matches what is sent).
    TruncatedJson,
    /// `200 OK` with a complete body that is not valid JSON (a trailing comma
    /// before the final `}`).
    MalformedJson,
    /// `200 OK` with a complete, valid document that holds only the
    /// timestamp: no list under either key, as a misspelled or dropped list
    /// key would look to a client.
    MissingList,
    /// `200 OK` headers announcing the whole body in `Content-Length`, half of
    /// the body, then the connection is closed.
    Disconnect,
    /// Nothing at all for this long, then the normal answer: longer than a
    /// client's timeout, it makes the client time out. Stopping the server
    /// ends a stall at once.
    Stall(Duration),
    /// Exactly this answer (status, headers, body), as a fixture of
    /// `openapi/fixtures/` gives it; see [`Fixture`](crate::Fixture). The
    /// server adds no `X-Trackingid`: a fixture without one has none.
    Answer(Answer),
}

impl Fault {
    /// A short name for logs, the same as the binary's `--fault` value.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::TooManyRequests { .. } => "429",
            Fault::InternalServerError => "500",
            Fault::BadGateway => "502",
            Fault::ServiceUnavailable { .. } => "503",
            Fault::TruncatedJson => "truncated",
            Fault::MalformedJson => "malformed",
            Fault::MissingList => "missing-list",
            Fault::Disconnect => "disconnect",
            Fault::Stall(_) => "stall",
            Fault::Answer(_) => "fixture",
        }
    }
}

impl Fault {
    /// The answer this fault gives instead of the catalogue to a request for
    /// `path`; `whole_document` makes the normal answer's bytes, for the
    /// faults that damage it. [`Fault::Stall`] answers normally after its
    /// pause, which the server handles.
    pub(crate) fn response(&self, path: &str, whole_document: impl FnOnce() -> Bytes) -> Response {
        match self {
            Fault::Stall(_) => unreachable!("the server pauses, then answers normally"),
            Fault::TooManyRequests { retry_after_secs } => with_retry_after(
                jumio_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too Many Requests".into(),
                    path,
                ),
                *retry_after_secs,
            ),
            Fault::InternalServerError => jumio_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error".into(),
                path,
            ),
            Fault::BadGateway => Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .header(CONTENT_TYPE, "text/html")
                .body(Body::from(BAD_GATEWAY_HTML))
                .expect("a valid response"),
            Fault::ServiceUnavailable { retry_after_secs } => with_retry_after(
                jumio_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Service Unavailable".into(),
                    path,
                ),
                *retry_after_secs,
            ),
            Fault::Answer(answer) => {
                let mut response = Response::builder().status(answer.status);
                for (name, value) in &answer.headers {
                    response = response.header(name, value);
                }
                response
                    .body(Body::from(answer.body.clone()))
                    .expect("a fixture's status and headers are valid")
            }
            Fault::TruncatedJson => {
                let whole = whole_document();
                json_response(Body::from(whole.slice(..whole.len() / 2)))
            }
            Fault::MalformedJson => {
                let whole = whole_document();
                let mut malformed = Vec::with_capacity(whole.len() + 1);
                malformed.extend_from_slice(&whole[..whole.len() - 1]);
                malformed.extend_from_slice(b",}");
                json_response(Body::from(malformed))
            }
            Fault::MissingList => {
                let mut document = document_head().to_vec();
                document.extend_from_slice(b"\"}");
                json_response(Body::from(document))
            }
            Fault::Disconnect => {
                let whole = whole_document();
                let half = whole.slice(..whole.len() / 2);
                // hyper sends the announced length and the half; the pause
                // lets it flush them before the failing body closes the
                // connection.
                let failure = async {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "fault injection: disconnect",
                    ))
                };
                let chunks =
                    futures::stream::iter([Ok(half)]).chain(futures::stream::once(failure));
                let mut response = json_response(Body::from_stream(chunks));
                response
                    .headers_mut()
                    .insert(CONTENT_LENGTH, HeaderValue::from(whole.len()));
                response
            }
        }
    }
}

/// The faults waiting for the next catalogue requests, first in first out.
/// Each request takes at most one; an empty queue means normal answers.
#[derive(Debug, Default)]
pub struct FaultQueue {
    queue: Mutex<VecDeque<Fault>>,
}

impl FaultQueue {
    /// Queues `fault` for one request.
    pub fn push(&self, fault: Fault) {
        self.push_n(1, fault);
    }

    /// Queues `fault` for each of the next `count` requests.
    pub fn push_n(&self, count: usize, fault: Fault) {
        let mut queue = self.lock();
        queue.extend(std::iter::repeat_n(fault, count));
    }

    /// Drops every queued fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// How many faults are still queued.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no fault is queued.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    pub(crate) fn pop(&self) -> Option<Fault> {
        self.lock().pop_front()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Fault>> {
        // The queue holds plain values, so a panic elsewhere cannot leave it
        // half-updated; keep serving rather than poison every later request.
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
