//! Every failure of a call becomes one [`Error`]: the generated client's
//! errors, statuses, transport failures and bodies that do not decode.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use netverify_api::types::JumioErrorBody;
use netverify_api::{ClientContext, ResponseTooLarge};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{ConfigError, Error, ErrorBody, excerpt, mask_basic_credentials};
use crate::retry::parse_retry_after;

impl Client {
    pub(crate) async fn map_error<T: DeserializeOwned>(
        &self,
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
        &self,
        status: StatusCode,
        body: ErrorBody,
        retry_after: Option<Duration>,
        tracking_id: Option<String>,
    ) -> Error {
        let endpoint = || self.inner.endpoint.to_string();
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
    fn transport_error(&self, error: reqwest::Error, context: &ClientContext) -> Error {
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
                self.inner.connect_timeout
            } else {
                self.inner.attempt_timeout
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
            endpoint: self.inner.endpoint.to_string(),
            source: Arc::new(error),
            attempts: 1,
        }
    }
}

/// Turns a failed decode of `body` as `T` into [`Error::Decode`]: decodes
/// again with `serde_path_to_error` (only on this slow path) to learn the JSON
/// path, and keeps an excerpt around the failing position.
pub(crate) fn decode_error<T: DeserializeOwned>(
    body: &[u8],
    error: serde_json::Error,
    tracking_id: Option<String>,
) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, error) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(traced) => (traced.path().to_string(), traced.into_inner()),
        Ok(_) => (".".to_owned(), error),
    };
    let offset = byte_offset(body, error.line(), error.column());
    Error::Decode {
        path,
        // serde quotes offending strings, which may be an echoed header.
        message: mask_basic_credentials(&error.to_string()),
        excerpt: excerpt(body, offset),
        tracking_id,
    }
}

/// serde_json reports 1-based lines and columns counted in bytes.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}
