//! The HTTP server: routing, Jumio's request rules, fault injection and the
//! request recorder.

use std::convert::Infallible;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, HeaderName, USER_AGENT};
use axum::http::{HeaderValue, Method, StatusCode, request};
use axum::response::Response;
use axum::serve::ListenerExt;
use netverify_api::{ListKey, Operation};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::recorder::Recorder;
use crate::response::{document_head, json_response, jumio_error};
use crate::rules::{Credentials, check_headers};
use crate::{Catalogue, Fault, FaultQueue, RecordedRequest};

/// The API token the server accepts unless told otherwise. A public sample
/// value, not a secret.
pub const DEFAULT_TOKEN: &str = "sandbox-token";
/// The API secret the server accepts unless told otherwise. A public sample
/// value, not a secret.
pub const DEFAULT_SECRET: &str = "sandbox-secret";
/// The path of the supported catalogue.
pub const SUPPORTED_PATH: &str = Operation::SupportedIdTypes.path();
/// The path of the accepted catalogue.
pub const ACCEPTED_PATH: &str = Operation::AcceptedIdTypes.path();

const TRACKING_ID: HeaderName = HeaderName::from_static("x-trackingid");
/// Configures and starts a [`MockServer`]; see [`MockServer::builder`].
#[must_use]
pub struct MockServerBuilder {
    addr: SocketAddr,
    token: String,
    secret: String,
    catalogue: Catalogue,
    accepted_key: ListKey,
    latency: Duration,
}

impl fmt::Debug for MockServerBuilder {
    // The secret stays out of logs and panics, even a sample one: callers may
    // pass real-looking values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServerBuilder")
            .field("addr", &self.addr)
            .field("token", &self.token)
            .field("secret", &"[redacted]")
            .field("catalogue", &self.catalogue)
            .field("accepted_key", &self.accepted_key)
            .field("latency", &self.latency)
            .finish()
    }
}

impl MockServerBuilder {
    /// The Basic credentials to accept (default [`DEFAULT_TOKEN`] and
    /// [`DEFAULT_SECRET`]).
    pub fn credentials(mut self, token: impl Into<String>, secret: impl Into<String>) -> Self {
        self.token = token.into();
        self.secret = secret.into();
        self
    }

    /// The data to serve (default [`Catalogue::sample`]).
    pub fn catalogue(mut self, catalogue: Catalogue) -> Self {
        self.catalogue = catalogue;
        self
    }

    /// The key of the accepted endpoint's list (default
    /// [`ListKey::AcceptedIdTypes`], as in Jumio's sample response;
    /// [`ListKey::SupportedIdTypes`] is what Jumio's parameter table says, so a
    /// client can be tested against both).
    pub fn accepted_key(mut self, key: ListKey) -> Self {
        self.accepted_key = key;
        self
    }

    /// A delay before every response (default none).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, a free loopback port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Binds the address and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<MockServer> {
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let supported_tail =
            document_tail(ListKey::SupportedIdTypes, self.catalogue.supported_json());
        let accepted_tail = document_tail(self.accepted_key, self.catalogue.accepted_json());
        let shared = Arc::new(Shared {
            credentials: Credentials::new(&self.token, &self.secret),
            supported_tail,
            accepted_tail,
            latency: self.latency,
            faults: FaultQueue::default(),
            recorder: Recorder::default(),
            stopped: stopped.clone(),
        });

        let router = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        // The body goes out in two writes (timestamp, then the catalogue):
        // without TCP_NODELAY, Nagle's algorithm would hold the second back.
        let listener = listener.tap_io(|stream| {
            let _ = stream.set_nodelay(true);
        });
        let mut stopped = stopped;
        let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
            // Also ends when the MockServer is dropped (the sender goes away).
            let _ = stopped.wait_for(|stop| *stop).await;
        });
        let task = tokio::spawn(async move { serve.await });
        Ok(MockServer {
            addr,
            shared,
            stop,
            task,
        })
    }
}

/// A running mock of Jumio's ID-type endpoints.
///
/// The server stops when [`MockServer::shutdown`] is awaited or the value is
/// dropped; a pending [`Fault::Stall`] ends at once either way.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: JoinHandle<io::Result<()>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// A builder with the defaults: `127.0.0.1:0`, the default credentials,
    /// the sample catalogue, the `acceptedIdTypes` key, no latency.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            token: DEFAULT_TOKEN.to_owned(),
            secret: DEFAULT_SECRET.to_owned(),
            catalogue: Catalogue::sample(),
            accepted_key: ListKey::AcceptedIdTypes,
            latency: Duration::ZERO,
        }
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give a client, such as `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The queue of faults for the next requests.
    pub fn faults(&self) -> &FaultQueue {
        &self.shared.faults
    }

    /// How many requests the server has received, on any path.
    pub fn request_count(&self) -> u64 {
        self.shared.recorder.count.load(Ordering::Relaxed)
    }

    /// The most recent requests (at most [`RECORDED_REQUESTS_LIMIT`](crate::RECORDED_REQUESTS_LIMIT)), oldest
    /// first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.recorder.lock().iter().cloned().collect()
    }

    /// Stops accepting connections, lets the requests in progress finish
    /// (ending stalls at once) and waits until the server has stopped.
    pub async fn shutdown(self) -> io::Result<()> {
        self.stop.send_replace(true);
        self.task.await.map_err(io::Error::other)?
    }
}

struct Shared {
    credentials: Credentials,
    /// `","<key>":[…]}`: everything after the timestamp, serialized once.
    supported_tail: Bytes,
    accepted_tail: Bytes,
    latency: Duration,
    faults: FaultQueue,
    recorder: Recorder,
    stopped: watch::Receiver<bool>,
}

fn document_tail(key: ListKey, list: &Bytes) -> Bytes {
    let key = key.as_str();
    let mut tail = Vec::with_capacity(key.len() + list.len() + 6);
    tail.extend_from_slice(b"\",\"");
    tail.extend_from_slice(key.as_bytes());
    tail.extend_from_slice(b"\":");
    tail.extend_from_slice(list);
    tail.push(b'}');
    Bytes::from(tail)
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let started = Instant::now();
    let (parts, _body) = request.into_parts();
    shared.recorder.record(&parts);
    if !shared.latency.is_zero() {
        shared.pause(shared.latency).await;
    }
    let (mut response, fault) = shared.respond(&parts).await;
    let tracking_id =
        uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut tracking_id = tracking_id.hyphenated().to_string();
    // A fixture's answer is exact: it carries its own tracking id, or none.
    if let Some(Fault::Answer(_)) = fault {
        tracking_id = response
            .headers()
            .get(TRACKING_ID)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("none")
            .to_owned();
    } else {
        response.headers_mut().insert(
            TRACKING_ID,
            HeaderValue::from_str(&tracking_id).expect("a UUID is a valid header value"),
        );
    }
    // Never the credentials: only the method, path, outcome and User-Agent.
    tracing::info!(
        "{} {} -> {} in {:.1} ms (fault: {}, user-agent: {}, tracking id: {})",
        parts.method,
        parts.uri.path(),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
        fault.as_ref().map_or("none", Fault::name),
        QuotedHeader(parts.headers.get(USER_AGENT)),
        tracking_id,
    );
    response
}

/// A header value for a log line: quoted with escapes (`HeaderValue`'s
/// `Debug`), so a hostile value cannot forge lines, or `none`.
struct QuotedHeader<'a>(Option<&'a HeaderValue>);

impl fmt::Display for QuotedHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(value) => write!(f, "{value:?}"),
            None => f.write_str("none"),
        }
    }
}

impl Shared {
    async fn respond(&self, parts: &request::Parts) -> (Response, Option<Fault>) {
        let path = parts.uri.path();
        let Some(endpoint) = Operation::from_path(path) else {
            return (
                jumio_error(StatusCode::NOT_FOUND, format!("Not found: {path}"), path),
                None,
            );
        };
        if parts.method != Method::GET {
            let mut response = jumio_error(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("Method Not Allowed: {}", parts.method),
                path,
            );
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET"));
            return (response, None);
        }

        let fault = self.faults.pop();
        let response = match &fault {
            None => self.checked_catalogue(endpoint, parts),
            Some(Fault::Stall(duration)) => {
                self.pause(*duration).await;
                self.checked_catalogue(endpoint, parts)
            }
            Some(fault) => fault.response(path, || self.whole_document(endpoint)),
        };
        (response, fault)
    }

    /// The normal answer, or 403 when the request breaks Jumio's rules.
    fn checked_catalogue(&self, endpoint: Operation, parts: &request::Parts) -> Response {
        if let Err(reason) = check_headers(&self.credentials, &parts.headers) {
            return jumio_error(
                StatusCode::FORBIDDEN,
                format!("Forbidden: {reason}"),
                parts.uri.path(),
            );
        }
        let (head, tail) = self.document(endpoint);
        // Two chunks and no Content-Length, as Jumio sends it (chunked): the
        // shared catalogue bytes are never copied.
        let chunks = [Ok::<_, Infallible>(head), Ok(tail)];
        json_response(Body::from_stream(futures::stream::iter(chunks)))
    }

    /// The response document in two parts: the head with a fresh timestamp,
    /// and the catalogue that follows it.
    fn document(&self, endpoint: Operation) -> (Bytes, Bytes) {
        let head = document_head();
        let tail = match endpoint {
            Operation::SupportedIdTypes => self.supported_tail.clone(),
            Operation::AcceptedIdTypes => self.accepted_tail.clone(),
        };
        (head, tail)
    }

    fn whole_document(&self, endpoint: Operation) -> Bytes {
        let (head, tail) = self.document(endpoint);
        let mut whole = Vec::with_capacity(head.len() + tail.len());
        whole.extend_from_slice(&head);
        whole.extend_from_slice(&tail);
        Bytes::from(whole)
    }

    /// Waits, unless the server is stopping.
    async fn pause(&self, duration: Duration) {
        let mut stopped = self.stopped.clone();
        tokio::select! {
            () = tokio::time::sleep(duration) => {}
            _ = stopped.wait_for(|stop| *stop) => {}
        }
    }
}
