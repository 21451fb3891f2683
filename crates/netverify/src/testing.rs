//! Constructors of [`Error`] values, so that users can test their own error
//! handling: the variants are `#[non_exhaustive]`, so code outside this
//! crate cannot build them with struct syntax.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;

use crate::config::Endpoint;
use crate::config::Region;
use crate::error::Error;
use crate::error::ErrorBody;

/// Constructors for tests. Each builds the value the client would return for
/// the same failure after one attempt, with no tracking id (add one with
/// [`with_tracking_id`](Error::with_tracking_id)). Bodies are read as the
/// client reads them: Jumio's JSON error shape, or else an excerpt of the
/// text.
impl Error {
    /// A `401 Unauthorized` from `region`'s host.
    ///
    /// ```
    /// let error = netverify::Error::unauthorized(netverify::Region::Us, "");
    /// assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    /// assert!(!error.is_retryable());
    /// ```
    pub fn unauthorized(region: Region, body: &str) -> Error {
        Error::Unauthorized {
            endpoint: Endpoint::Region(region).to_string(),
            body: ErrorBody::parse(body.as_bytes()),
            tracking_id: None,
            attempts: 1,
        }
    }

    /// A `403 Forbidden` from `region`'s host: Jumio's answer to bad
    /// credentials.
    ///
    /// ```
    /// let body = r#"{"httpStatus":"403","message":"Forbidden","requestURI":"/api/netverify/v2/supportedIdTypes"}"#;
    /// let error = netverify::Error::forbidden(netverify::Region::Eu, body);
    /// assert!(matches!(error, netverify::Error::Forbidden { .. }));
    /// assert_eq!(error.body().and_then(|b| b.message()), Some("Forbidden"));
    /// assert!(error.to_string().contains("lon.netverify.com"));
    /// ```
    pub fn forbidden(region: Region, body: &str) -> Error {
        Error::Forbidden {
            endpoint: Endpoint::Region(region).to_string(),
            body: ErrorBody::parse(body.as_bytes()),
            tracking_id: None,
            attempts: 1,
        }
    }

    /// A `429 Too Many Requests`, with the `Retry-After` the server sent.
    ///
    /// ```
    /// use std::time::Duration;
    /// let error = netverify::Error::rate_limited(Some(Duration::from_secs(30)));
    /// assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
    /// assert!(error.is_retryable());
    /// ```
    pub fn rate_limited(retry_after: Option<Duration>) -> Error {
        Error::RateLimited {
            retry_after,
            body: ErrorBody::Unparsed(String::new()),
            tracking_id: None,
            attempts: 1,
        }
    }

    /// Any other unsuccessful status, such as 500 or 503.
    ///
    /// # Panics
    ///
    /// For a status below 400, and for 401, 403 and 429, which have their
    /// own constructors (the client never reports them as [`Error::Api`]).
    ///
    /// ```
    /// let error = netverify::Error::api(503, "<h1>Service Unavailable</h1>");
    /// assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    /// assert!(error.is_retryable());
    /// ```
    pub fn api(status: u16, body: &str) -> Error {
        let status = StatusCode::from_u16(status)
            .unwrap_or_else(|_| panic!("Error::api: {status} is not an HTTP status"));
        assert!(
            status.as_u16() >= 400 && !matches!(status.as_u16(), 401 | 403 | 429),
            "Error::api({status}): use Error::unauthorized, Error::forbidden or \
             Error::rate_limited for 401, 403 and 429; statuses below 400 are no error"
        );
        Error::Api {
            status,
            retry_after: None,
            body: ErrorBody::parse(body.as_bytes()),
            tracking_id: None,
            attempts: 1,
        }
    }

    /// An attempt that did not complete within `after`.
    ///
    /// ```
    /// let error = netverify::Error::timeout(std::time::Duration::from_secs(30));
    /// assert!(error.is_retryable() && error.status().is_none());
    /// ```
    pub fn timeout(after: Duration) -> Error {
        Error::Timeout {
            after,
            elapsed: after,
            tracking_id: None,
            attempts: 1,
        }
    }

    /// A connection to `region`'s host that failed with `source`.
    ///
    /// ```
    /// let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    /// let error = netverify::Error::connect(netverify::Region::Us, refused);
    /// assert!(error.to_string().starts_with("connection to https://netverify.com (region us) failed"));
    /// ```
    pub fn connect(
        region: Region,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Connect {
            endpoint: Endpoint::Region(region).to_string(),
            source: Arc::new(source),
            attempts: 1,
        }
    }

    /// A response whose body was cut off after `received` bytes.
    ///
    /// ```
    /// let error = netverify::Error::incomplete(388);
    /// assert!(error.to_string().starts_with("the connection closed after 388 bytes"));
    /// assert!(error.is_retryable());
    /// ```
    pub fn incomplete(received: usize) -> Error {
        Error::Incomplete {
            received,
            tracking_id: None,
            attempts: 1,
        }
    }

    /// A response body that did not decode at the JSON `path`.
    ///
    /// ```
    /// let error = netverify::Error::decode("supportedIdTypes[0].countryCode",
    ///     "invalid country code \"nld\"", r#"{"countryCode":"nld"}"#);
    /// assert!(error.to_string().contains("supportedIdTypes[0].countryCode"));
    /// ```
    pub fn decode(
        path: impl Into<String>,
        message: impl Into<String>,
        excerpt: impl Into<String>,
    ) -> Error {
        Error::Decode {
            path: path.into(),
            message: message.into(),
            excerpt: excerpt.into(),
            tracking_id: None,
        }
    }

    /// A response body over `limit` bytes.
    ///
    /// ```
    /// let error = netverify::Error::response_too_large(8 << 20);
    /// assert!(matches!(error, netverify::Error::ResponseTooLarge { limit, .. } if limit == 8 << 20));
    /// ```
    pub fn response_too_large(limit: usize) -> Error {
        Error::ResponseTooLarge {
            limit,
            tracking_id: None,
        }
    }

    /// The same error with the `X-Trackingid` the response would have
    /// carried.
    ///
    /// # Panics
    ///
    /// For [`Error::Connect`], [`Error::Config`] and [`Error::Runtime`],
    /// which never come with a response and so never carry one.
    ///
    /// ```
    /// let error = netverify::Error::api(500, "").with_tracking_id("5f4a7d2c");
    /// assert_eq!(error.tracking_id(), Some("5f4a7d2c"));
    /// ```
    pub fn with_tracking_id(mut self, id: impl Into<String>) -> Error {
        match self.tracking_id_mut() {
            Some(slot) => *slot = Some(id.into()),
            None => panic!("Error::with_tracking_id: {self:?} never carries a tracking id"),
        }
        self
    }
}
