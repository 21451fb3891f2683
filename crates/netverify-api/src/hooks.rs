//! Request hooks for the generated client (hand-written; progenitor calls them
//! around every request because the generator sets `HooksMode::Expected`).

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body::Frame;
use http_body_util::BodyExt;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::Client;

/// The UTF-8 byte-order mark, which serde_json rejects at the start of a document.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Drops a UTF-8 byte-order mark at the start of a body, so that every
/// decoder of the generated client (success and error bodies alike) reads
/// the JSON behind it. Only the first data frame is looked at: the mark is
/// three bytes and arrives with the first read, and the frames after it pass
/// untouched, without a copy.
fn without_leading_bom() -> impl FnMut(Frame<Bytes>) -> Frame<Bytes> {
    let mut at_start = true;
    move |frame| {
        if !at_start {
            return frame;
        }
        match frame.into_data() {
            Ok(data) if data.is_empty() => Frame::data(data),
            Ok(data) => {
                at_start = false;
                match data.strip_prefix(UTF8_BOM) {
                    Some(_) => Frame::data(data.slice(UTF8_BOM.len()..)),
                    None => Frame::data(data),
                }
            }
            Err(frame) => frame,
        }
    }
}

/// Jumio's per-request identifier header; support asks for its value.
const TRACKING_ID: &str = "x-trackingid";

// Why a side channel. progenitor 0.15 reports a body that does not decode as
// `Error::InvalidResponsePayload(bytes, serde_json::Error)` and a body that
// fails mid-read as `Error::ResponseBodyError(reqwest::Error)`: neither keeps
// the status or the headers (`X-Trackingid`, `Retry-After`) that a useful error
// needs. Its hooks (`pre`, `exec`, `post`) see the response but return nothing
// into that error, and the only per-request state they can reach is the
// client's inner type. So `exec` records the head in the `ClientContext`, and a
// caller that runs requests concurrently gives each its own context, which means
// its own `Client` (cheap: `Client::new_with_client` clones the `reqwest::Client`
// handle, and the connection pool is shared). If progenitor ever carries the
// response head in its errors, this record can go.

/// What the hooks keep of the latest response's head.
#[derive(Debug, Default)]
struct ResponseHead {
    status: Option<http::StatusCode>,
    tracking_id: Option<String>,
    retry_after: Option<String>,
}

/// Per-client settings and observations of the request hooks.
///
/// * Bounds how many bytes of a response body are read: a real catalogue is
///   well under 1 MiB, so a larger body is a fault (or an attack), and reading
///   stops at the limit with [`ResponseTooLarge`] in the error's source chain.
/// * Records the status, `X-Trackingid` and `Retry-After` of the latest
///   response, because progenitor's error for a body that cannot be decoded
///   (an HTML page from a proxy answering 503, say) keeps the body but not the
///   status or headers. Clones share the record; give each call its own context (a
///   [`Client`] is cheap to make with [`Client::new_with_client`]) when calls
///   run concurrently.
#[derive(Clone, Debug)]
pub struct ClientContext {
    max_response_bytes: usize,
    /// Set on every request by the hooks, so that a shared
    /// `reqwest::Client` need not carry credentials in its default headers.
    authorization: Option<http::HeaderValue>,
    last_response: Arc<Mutex<ResponseHead>>,
    /// Bytes of the latest response's body received so far (after a
    /// byte-order mark is dropped), so that a body cut off mid-read can be
    /// reported with how much of it arrived.
    body_bytes: Arc<AtomicUsize>,
}

impl ClientContext {
    /// The default body limit: 8 MiB, some fifty times a full catalogue.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

    /// A context with the default body limit.
    pub fn new() -> Self {
        ClientContext {
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
            authorization: None,
            last_response: Arc::default(),
            body_bytes: Arc::default(),
        }
    }

    /// Sets how many bytes of a response body are read at most.
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sends `value` as the `Authorization` header of every request, marked
    /// sensitive (so that HTTP logging layers leave it out), replacing any
    /// `Authorization` default header of the `reqwest::Client`.
    pub fn with_authorization(mut self, mut value: http::HeaderValue) -> Self {
        value.set_sensitive(true);
        self.authorization = Some(value);
        self
    }

    /// How many bytes of a response body are read at most.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// The `X-Trackingid` header of the latest response, if it had one.
    pub fn last_tracking_id(&self) -> Option<String> {
        self.head().tracking_id.clone()
    }

    /// The status of the latest response, if one arrived.
    pub fn last_status(&self) -> Option<http::StatusCode> {
        self.head().status
    }

    /// The `Retry-After` header of the latest response, if it had one.
    pub fn last_retry_after(&self) -> Option<String> {
        self.head().retry_after.clone()
    }

    /// How many bytes of the latest response's body have been received.
    pub fn last_body_bytes(&self) -> usize {
        self.body_bytes.load(Ordering::Relaxed)
    }

    fn head(&self) -> std::sync::MutexGuard<'_, ResponseHead> {
        self.last_response.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for ClientContext {
    fn default() -> Self {
        ClientContext::new()
    }
}

/// The error in a body-read failure's source chain when a response body was
/// larger than [`ClientContext::max_response_bytes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseTooLarge {
    /// The limit that was exceeded, in bytes.
    pub limit: usize,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "response body exceeds the limit of {} bytes", self.limit)
    }
}

impl std::error::Error for ResponseTooLarge {}

impl ClientHooks<ClientContext> for Client {
    async fn exec(
        &self,
        mut request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let context = self.inner();
        if let Some(authorization) = &context.authorization {
            request
                .headers_mut()
                .insert(http::header::AUTHORIZATION, authorization.clone());
        }
        let response = self.client().execute(request).await?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        *context.head() = ResponseHead {
            status: Some(response.status()),
            tracking_id: header(TRACKING_ID),
            retry_after: header(http::header::RETRY_AFTER.as_str()),
        };

        context.body_bytes.store(0, Ordering::Relaxed);
        let body_bytes = context.body_bytes.clone();
        let count = move |frame: Frame<Bytes>| {
            if let Some(data) = frame.data_ref() {
                body_bytes.fetch_add(data.len(), Ordering::Relaxed);
            }
            frame
        };
        let limit = context.max_response_bytes;
        let response: http::Response<reqwest::Body> = response.into();
        Ok(response
            .map(|body| {
                let limited = http_body_util::Limited::new(body, limit).map_err(
                    move |error| -> Box<dyn std::error::Error + Send + Sync> {
                        if error.is::<http_body_util::LengthLimitError>() {
                            Box::new(ResponseTooLarge { limit })
                        } else {
                            error
                        }
                    },
                );
                let mut strip_bom = without_leading_bom();
                reqwest::Body::wrap(limited.map_frame(move |frame| count(strip_bom(frame))))
            })
            .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames as a body would yield them, through the BOM filter.
    fn filtered(frames: &[&'static [u8]]) -> Vec<Bytes> {
        let mut strip = without_leading_bom();
        frames
            .iter()
            .map(|data| {
                strip(Frame::data(Bytes::from_static(data)))
                    .into_data()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn the_mark_is_dropped_from_the_first_frame_with_data_only() {
        assert_eq!(
            filtered(&[b"\xEF\xBB\xBF{}", b"\xEF\xBB\xBF"]),
            [&b"{}"[..], UTF8_BOM]
        );
        // An empty frame first (a layer may yield one) leaves the start open.
        assert_eq!(filtered(&[b"", b"\xEF\xBB\xBF{}"]), [&b""[..], b"{}"]);
        assert_eq!(filtered(&[b"{}", b"\xEF\xBB\xBF"]), [&b"{}"[..], UTF8_BOM]);
    }
}
