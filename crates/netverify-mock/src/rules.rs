//! Jumio's request rules, as the mock enforces them: which requests are
//! answered with the catalogue and which with 403.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT, AUTHORIZATION, USER_AGENT};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

/// `user:password` in base64, as a correct `Authorization: Basic` carries it.
/// Deliberately not `Debug`, so that no derived `Debug` can print it.
pub(crate) struct Credentials(String);

impl Credentials {
    pub(crate) fn new(token: &str, secret: &str) -> Self {
        Credentials(BASE64.encode(format!("{token}:{secret}")))
    }
}

/// Jumio's rules for a catalogue request's headers: Basic credentials that
/// match, a User-Agent, and an `Accept` that allows JSON. The error is the
/// reason the 403 answer gives.
pub(crate) fn check_headers(
    expected: &Credentials,
    headers: &HeaderMap,
) -> Result<(), &'static str> {
    let authorization = headers
        .get(AUTHORIZATION)
        .ok_or("no HTTP Basic credentials")?;
    // The scheme name is case-insensitive (RFC 9110, section 11.1).
    let credentials_match = match authorization.as_bytes().split_at_checked(6) {
        Some((scheme, credentials)) => {
            scheme.eq_ignore_ascii_case(b"basic ")
                && credentials.trim_ascii() == expected.0.as_bytes()
        }
        None => false,
    };
    if !credentials_match {
        return Err("wrong API token or secret");
    }
    let user_agent = headers.get(USER_AGENT).map(|ua| ua.as_bytes().trim_ascii());
    if user_agent.is_none_or(<[u8]>::is_empty) {
        return Err(
            "missing User-Agent header (name your company and application, such as \"Acme KYC/1.0\")",
        );
    }
    let mut accepts = headers.get_all(ACCEPT).iter().peekable();
    if accepts.peek().is_none() {
        return Err("missing Accept header (send \"Accept: application/json\")");
    }
    if !accepts.any(|value| value.to_str().is_ok_and(accepts_json)) {
        return Err("the Accept header does not allow application/json");
    }
    Ok(())
}

/// Whether one `Accept` header value allows a JSON answer: `application/json`,
/// `application/*` or `*/*`, unless refused with `q=0`.
pub(crate) fn accepts_json(accept: &str) -> bool {
    accept.split(',').any(|range| {
        let mut parts = range.split(';');
        let media_type = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|parameter| {
            parameter.split_once('=').is_some_and(|(name, value)| {
                name.trim().eq_ignore_ascii_case("q")
                    && value.trim().parse::<f32>().is_ok_and(|q| q == 0.0)
            })
        });
        !refused
            && ["application/json", "application/*", "*/*"]
                .iter()
                .any(|allowed| media_type.eq_ignore_ascii_case(allowed))
    })
}

#[cfg(test)]
mod tests {
    use super::accepts_json;

    #[test]
    fn accept_values_that_allow_json() {
        for accept in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "*/*",
            "application/*",
            "text/html, application/json;q=0.5",
            "text/html,*/*;q=0.8",
        ] {
            assert!(accepts_json(accept), "{accept:?} allows JSON");
        }
    }

    #[test]
    fn accept_values_that_exclude_json() {
        for accept in [
            "text/html",
            "application/xml",
            "",
            "application/json;q=0",
            "text/*",
            "*/*; q=0.0",
        ] {
            assert!(!accepts_json(accept), "{accept:?} excludes JSON");
        }
    }
}
