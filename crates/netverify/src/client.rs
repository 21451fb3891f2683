//! The client: the calls, and the loop of attempts with retries. Turning
//! failures into errors is in `error_mapping.rs`, below it; building a
//! client (and `Client::builder`) in `builder.rs`, above it.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use netverify_api::types::{JumioErrorBody, SupportedIdTypesResponse};
use netverify_api::{ClientContext, ListKey, Operation, ResponseValue};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::catalogue::Catalogue;
use crate::config::{Endpoint, Region};
use crate::error::Error;
use crate::error_mapping::CallSettings;
use crate::retry::RetryPolicy;

/// A client for Jumio's ID-document catalogue endpoints.
///
/// Cheap to clone (the clones share one connection pool). Build one with
/// [`Client::builder`] or [`ClientBuilder::from_env`](crate::ClientBuilder::from_env). Its `Debug` shows
/// the region, host and User-Agent, never the credentials.
///
/// ```
/// let client = netverify::Client::builder()
///     .region(netverify::Region::Eu)
///     .credentials("token", "secret")
///     .user_agent("Acme KYC/1.0")
///     .build()?;
/// let for_a_task = client.clone(); // shares the connection pool
/// # Ok::<(), netverify::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) endpoint: Endpoint,
    pub(crate) base_url: String,
    /// The host and port of `base_url`, for the attempt span.
    pub(crate) server: (String, u16),
    pub(crate) user_agent: String,
    /// Sent with each request, not as a default header of `http`, which
    /// may be the caller's shared client.
    pub(crate) authorization: reqwest::header::HeaderValue,
    pub(crate) http: reqwest::Client,
    /// `None` for a client the caller built: its connect timeout is unknown.
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
}

impl Client {
    /// Every ID document Jumio can verify (`GET /api/netverify/v2/supportedIdTypes`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = netverify_mock::MockServer::builder().start().await?;
    /// let client = netverify::Client::builder()
    ///     .base_url(sandbox.base_url())
    ///     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    ///     .user_agent("Acme KYC/1.0")
    ///     .build()?;
    /// let supported = client.supported_id_types().await?;
    /// assert!(supported.contains(netverify::CountryCode::new("NLD")?, &netverify::IdType::Passport));
    /// # Ok(()) }
    /// ```
    pub async fn supported_id_types(&self) -> Result<Catalogue, Error> {
        self.call(Operation::SupportedIdTypes).await
    }

    /// The ID documents this account accepts
    /// (`GET /api/netverify/v2/acceptedIdTypes`).
    ///
    /// Jumio's documentation shows the list under two keys; it is read with
    /// the one rule of [`ListKey::select`](crate::ListKey::select):
    /// `acceptedIdTypes` when the response has that key (even empty), else
    /// `supportedIdTypes`. A response with neither key fails with
    /// [`Error::Decode`] naming both; it never reads as an empty catalogue.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = netverify_mock::MockServer::builder().start().await?;
    /// let client = netverify::Client::builder()
    ///     .base_url(sandbox.base_url())
    ///     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    ///     .user_agent("Acme KYC/1.0")
    ///     .build()?;
    /// let accepted = client.accepted_id_types().await?;
    /// let supported = client.supported_id_types().await?;
    /// assert!(accepted.diff(&supported).only_in_left.is_empty()); // all accepted are supported
    /// # Ok(()) }
    /// ```
    pub async fn accepted_id_types(&self) -> Result<Catalogue, Error> {
        self.call(Operation::AcceptedIdTypes).await
    }

    /// The configured region; `None` for a custom base URL.
    ///
    /// ```
    /// let client = netverify::Client::builder().region(netverify::Region::Sgp)
    ///     .credentials("token", "secret").user_agent("Acme KYC/1.0").build()?;
    /// assert_eq!(client.region(), Some(netverify::Region::Sgp));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn region(&self) -> Option<Region> {
        self.inner.endpoint.region()
    }

    /// The base URL requests go to.
    ///
    /// ```
    /// let client = netverify::Client::builder().region(netverify::Region::Eu)
    ///     .credentials("token", "secret").user_agent("Acme KYC/1.0").build()?;
    /// assert_eq!(client.base_url(), "https://lon.netverify.com");
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The full User-Agent sent: the customer's, then `netverify-rs/<version>`.
    ///
    /// ```
    /// let client = netverify::Client::builder()
    ///     .credentials("token", "secret").user_agent("Acme KYC/1.0").build()?;
    /// assert!(client.user_agent().starts_with("Acme KYC/1.0 netverify-rs/"));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    pub(crate) async fn call(&self, operation: Operation) -> Result<Catalogue, Error> {
        runtime()?;
        let started = Instant::now();
        // The clock of Tokio's timers, so that a paused test clock moves it.
        let deadline = self
            .inner
            .deadline
            .map(|deadline| tokio::time::Instant::now() + deadline);
        let mut attempt = 1;
        loop {
            let error = match self.attempt(operation, attempt, deadline).await {
                Ok(catalogue) => return Ok(catalogue),
                Err(error) => error,
            };
            let wait = self.inner.retry.wait_after(attempt, &error);
            // A retry that could not start before the deadline is not made.
            let wait = wait.filter(|&wait| {
                deadline.is_none_or(|deadline| tokio::time::Instant::now() + wait < deadline)
            });
            let Some(wait) = wait else {
                return Err(error.after_attempts(attempt, started.elapsed()));
            };
            tracing::info!(
                name: crate::tracing_names::RETRY_EVENT,
                operation = operation.operation_id(),
                attempt,
                wait_ms = wait.as_millis() as u64,
                // The status, not the error: its body may be anything.
                http.response.status_code = error.status().map(|status| status.as_u16()),
                "retrying a transient failure"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One attempt, through the generated client. Each attempt gets its own
    /// [`ClientContext`], so the status and tracking id it records are this
    /// attempt's even when calls run concurrently.
    /// The attempt ends at its timeout or at the call's `deadline`,
    /// whichever comes first.
    async fn attempt(
        &self,
        operation: Operation,
        attempt: u32,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<Catalogue, Error> {
        let inner = &*self.inner;
        let context = ClientContext::new()
            .with_max_response_bytes(inner.max_response_bytes)
            .with_authorization(inner.authorization.clone());
        let api = netverify_api::Client::new_with_client(
            &inner.base_url,
            inner.http.clone(),
            context.clone(),
        );
        let span = tracing::info_span!(
            crate::tracing_names::ATTEMPT_SPAN,
            otel.name = %format_args!("GET {}", operation.path()),
            otel.kind = "client",
            http.request.method = "GET",
            server.address = inner.server.0.as_str(),
            server.port = inner.server.1,
            url.template = operation.path(),
            operation = operation.operation_id(),
            attempt,
            http.request.resend_count = Empty,
            http.response.status_code = Empty,
            error.type = Empty,
            duration_ms = Empty,
            tracking_id = Empty,
        );
        if attempt > 1 {
            span.record("http.request.resend_count", attempt - 1);
        }
        let started = Instant::now();
        let user_agent = inner.user_agent.as_str();
        let exchange = async {
            match operation {
                Operation::SupportedIdTypes => {
                    let sent = api.supported_id_types().user_agent(user_agent).send();
                    self.decode(
                        sent.await,
                        &context,
                        |response: SupportedIdTypesResponse| {
                            Catalogue::from_wire(
                                response.timestamp,
                                Operation::SupportedIdTypes,
                                ListKey::SupportedIdTypes,
                                response.supported_id_types,
                            )
                        },
                    )
                    .await
                }
                Operation::AcceptedIdTypes => {
                    let sent = api.accepted_id_types().user_agent(user_agent).send();
                    let accepted = |document: netverify_api::AcceptedIdTypesResponse| {
                        Catalogue::from_document(document).with_endpoint(operation)
                    };
                    self.decode(sent.await, &context, accepted).await
                }
            }
        };
        let timeout = tokio::time::Instant::now() + inner.attempt_timeout;
        let (end, cut_by_deadline) = match deadline {
            Some(deadline) if deadline < timeout => (deadline, true),
            _ => (timeout, false),
        };
        let result = match tokio::time::timeout_at(end, exchange)
            .instrument(span.clone())
            .await
        {
            Ok(result) => result,
            Err(_elapsed) if cut_by_deadline => Err(Error::Deadline {
                deadline: inner.deadline.unwrap_or_default(),
                attempts: 1,
                tracking_id: context.last_tracking_id(),
            }),
            Err(_elapsed) => Err(Error::Timeout {
                after: inner.attempt_timeout,
                elapsed: started.elapsed(),
                attempts: 1,
                tracking_id: context.last_tracking_id(),
            }),
        };
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Some(status) = context.last_status() {
            span.record("http.response.status_code", status.as_u16());
        }
        if let Err(error) = &result {
            match error.status() {
                Some(status) => span.record("error.type", status.as_str()),
                None => span.record("error.type", error.kind().as_str()),
            };
        }
        if let Some(tracking_id) = context.last_tracking_id() {
            span.record("tracking_id", tracking_id);
        }
        result
    }

    /// The catalogue of a successful response, or the error of a failed one.
    async fn decode<T: DeserializeOwned>(
        &self,
        sent: Result<ResponseValue<T>, netverify_api::Error<JumioErrorBody>>,
        context: &ClientContext,
        catalogue: impl FnOnce(T) -> Catalogue,
    ) -> Result<Catalogue, Error> {
        match sent {
            Ok(response) => Ok(catalogue(response.into_inner())),
            Err(error) => {
                let inner = &*self.inner;
                let settings = CallSettings {
                    endpoint: &inner.endpoint,
                    connect_timeout: inner.connect_timeout.unwrap_or(inner.attempt_timeout),
                    attempt_timeout: inner.attempt_timeout,
                };
                Err(settings.map_error::<T>(error, context).await)
            }
        }
    }
}

/// Shows region, host and User-Agent; the credentials are left out on
/// purpose (they live only inside the HTTP client's sensitive header).
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.inner.endpoint.region())
            .field("base_url", &self.inner.base_url)
            .field("user_agent", &self.inner.user_agent)
            .finish_non_exhaustive()
    }
}

/// The Tokio runtime of the caller: the client's timers and I/O need one,
/// and outside one a call is this error rather than a panic.
pub(crate) fn runtime() -> Result<tokio::runtime::Handle, Error> {
    tokio::runtime::Handle::try_current().map_err(|_| Error::Runtime {
        reason: "netverify's client and cache need a Tokio runtime (for timers and I/O): call \
                 them from within one (#[tokio::main], Runtime::block_on), or use \
                 netverify::blocking::Client (cargo feature `blocking`)"
            .to_owned(),
    })
}
