//! Every failure of a call becomes one [`Error`]: the generated client's
//! errors, statuses, transport failures and bodies that do not decode (the
//! last through [`decode_error`], which saved catalogues share).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use netverify_api::types::JumioErrorBody;
use netverify_api::{ClientContext, ResponseTooLarge};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::catalogue::decode_error;
use crate::config::Endpoint;
use crate::error::{ConfigError, Error, ErrorBody};
use crate::retry::parse_retry_after;

/// Where a call went and its timeouts: what its errors say besides the
/// response.
#[derive(Clone, Copy)]
pub(crate) struct CallSettings<'a> {
    pub(crate) endpoint: &'a Endpoint,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
}

impl CallSettings<'_> {
    /// The error of one failed attempt that was to decode its body as `T`.
    pub(crate) async fn map_error<T: DeserializeOwned>(
        self,
        error: netverify_api::Error<JumioErrorBody>,
        context: &ClientContext,
    ) -> Error {
        use netverify_api::Error as Api;
        let tracking_id = context.last_tracking_id();
        let retry_after = context
            .last_retry_after()
            .and_then(|value| parse_retry_after(&value, SystemTime::now()));
        match error {
            Api::ErrorResponse(response) => {
                let status = response.status();
                self.status_error(
                    status,
                    ErrorBody::jumio(response.into_inner()),
                    retry_after,
                    tracking_id,
                )
            }
            Api::UnexpectedResponse(response) => {
                let status = response.status();
                match response.bytes().await {
                    Ok(body) => {
                        self.status_error(status, ErrorBody::parse(&body), retry_after, tracking_id)
                    }
                    Err(error) => self.transport_error(error, context),
                }
            }
            // progenitor also reports an error status whose body is not JSON
            // (a proxy's HTML page) this way; the hooks kept the status.
            Api::InvalidResponsePayload(body, error) => match context.last_status() {
                Some(status) if !status.is_success() => {
                    self.status_error(status, ErrorBody::parse(&body), retry_after, tracking_id)
                }
                _ => decode_error::<T>(&body, error, tracking_id),
            },
            Api::CommunicationError(error)
            | Api::ResponseBodyError(error)
            | Api::InvalidUpgrade(error) => self.transport_error(error, context),
            Api::InvalidRequest(message) | Api::Custom(message) => {
                Error::Config(ConfigError::Http(message))
            }
        }
    }

    fn status_error(
        self,
        status: StatusCode,
        body: ErrorBody,
        retry_after: Option<Duration>,
        tracking_id: Option<String>,
    ) -> Error {
        let endpoint = || self.endpoint.to_string();
        let attempts = 1;
        match status {
            StatusCode::UNAUTHORIZED => Error::Unauthorized {
                endpoint: endpoint(),
                body,
                tracking_id,
                attempts,
            },
            StatusCode::FORBIDDEN => Error::Forbidden {
                endpoint: endpoint(),
                body,
                tracking_id,
                attempts,
            },
            StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
                retry_after,
                body,
                tracking_id,
                attempts,
            },
            status => Error::Api {
                status,
                retry_after,
                body,
                tracking_id,
                attempts,
            },
        }
    }

    /// A failure below HTTP: the body limit, a timeout, a body cut off
    /// after the response head, or a connection that failed before it.
    fn transport_error(self, error: reqwest::Error, context: &ClientContext) -> Error {
        let tracking_id = context.last_tracking_id();
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        while let Some(cause) = source {
            if let Some(too_large) = cause.downcast_ref::<ResponseTooLarge>() {
                return Error::ResponseTooLarge {
                    limit: too_large.limit,
                    tracking_id,
                };
            }
            source = cause.source();
        }
        if error.is_timeout() {
            let after = if error.is_connect() {
                self.connect_timeout
            } else {
                self.attempt_timeout
            };
            return Error::Timeout {
                after,
                elapsed: after,
                attempts: 1,
                tracking_id,
            };
        }
        if context.last_status().is_some() {
            // The response head arrived, so the connection failed while the
            // body was read. reqwest's error for that names a placeholder URL
            // and repeats itself; the count of bytes says more.
            return Error::Incomplete {
                received: context.last_body_bytes(),
                tracking_id,
                attempts: 1,
            };
        }
        Error::Connect {
            endpoint: self.endpoint.to_string(),
            source: Arc::new(error),
            attempts: 1,
        }
    }
}
