//! How the generated client decodes a JSON body (hand-written; `cargo xtask
//! generate` points progenitor's calls of `ResponseValue::from_response` here).
//!
//! progenitor's own version decodes with `serde_json::from_slice`, which
//! checks every string for UTF-8 as it goes: about a fifth of a catalogue's
//! decode. This checks the whole body once and decodes the `str`, which
//! serde_json then reads without checking again. A body that is not UTF-8 is
//! decoded as bytes, so the error names the position of the bad byte, as
//! before.

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// `ResponseValue::from_response`, with the body's UTF-8 checked once.
pub(crate) async fn from_response<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let full = response.bytes().await.map_err(Error::ResponseBodyError)?;
    let decoded = match std::str::from_utf8(&full) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(&full),
    };
    match decoded {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(Error::InvalidResponsePayload(full, error)),
    }
}
