//! What the server received: the count of requests and the most recent ones.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, Method, Uri, request};

/// How many of the most recent requests [`MockServer::requests`](crate::MockServer::requests) keeps; older
/// ones are forgotten so that a long benchmark does not grow memory.
pub const RECORDED_REQUESTS_LIMIT: usize = 1000;

/// One request as the server received it.
///
/// Every header is kept, including `Authorization`, so a test can check the
/// credentials a client sent; that value is marked sensitive, so `Debug`
/// output (and therefore a failed assertion's message) shows `Sensitive`
/// instead of it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

impl RecordedRequest {
    /// The request method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request target (path and query).
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    /// Every header the request carried.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header's value, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

#[derive(Default)]
pub(crate) struct Recorder {
    pub(crate) count: AtomicU64,
    recent: Mutex<VecDeque<RecordedRequest>>,
}

impl Recorder {
    pub(crate) fn record(&self, parts: &request::Parts) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let mut headers = parts.headers.clone();
        if let Some(value) = headers.get_mut(AUTHORIZATION) {
            value.set_sensitive(true);
        }
        let mut recent = self.lock();
        if recent.len() == RECORDED_REQUESTS_LIMIT {
            recent.pop_front();
        }
        recent.push_back(RecordedRequest {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            headers,
        });
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<RecordedRequest>> {
        // Recording only pushes and pops whole values; a poisoned lock holds
        // consistent data.
        self.recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
