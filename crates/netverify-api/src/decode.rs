//! How the generated client decodes (hand-written; `cargo xtask generate`
//! points progenitor's calls here).
//!
//! progenitor's `ResponseValue::from_response` decodes with
//! `serde_json::from_slice`, which checks every string for UTF-8 as it goes:
//! about a fifth of a catalogue's decode. [`from_response`] checks the whole
//! body once and decodes the `str`, which serde_json then reads without
//! checking again. A body that is not UTF-8 is decoded as bytes, so the error
//! names the position of the bad byte, as before.
//!
//! typify's newtypes for constrained strings (`countryName`, at most 100
//! characters) decode a `String`, then `parse` it, and their `FromStr` copies
//! it: two allocations and a copy per value where one does. [`parse_str`]
//! hands `FromStr` the text where the decoder has it.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use progenitor_client::{Error, ResponseValue};
use serde::de::{self, DeserializeOwned, Visitor};

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

/// Decodes a string as `T` through `T::from_str`, without decoding a `String`
/// first: the `Deserialize` of typify's constrained-string newtypes. Errors
/// read as before: `FromStr`'s message, or serde's for a value that is not a
/// string ("expected a string").
pub(crate) fn parse_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: FromStr<Err: fmt::Display>,
{
    struct Parse<T>(PhantomData<T>);
    impl<T: FromStr<Err: fmt::Display>> Visitor<'_> for Parse<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            text.parse().map_err(E::custom)
        }
    }
    deserializer.deserialize_str(Parse(PhantomData))
}
