//! Scripted failures: what a proxy, a load balancer or a broken network does
//! to a request on its way to Jumio.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

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
