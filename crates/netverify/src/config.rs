//! Regions, endpoints and the validation of what users configure.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use crate::error::ConfigError;

/// One of Jumio's regional deployments. An account lives in one region;
/// credentials of one region are refused (403) by the others.
///
/// ```
/// let region: netverify::Region = "EU".parse()?;
/// assert_eq!(region, netverify::Region::Eu);
/// assert_eq!(region.to_string(), "eu");
/// # Ok::<(), netverify::ConfigError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Region {
    /// United States: `https://netverify.com`.
    Us,
    /// European Union (London): `https://lon.netverify.com`.
    Eu,
    /// Singapore: `https://core-sgp.jumio.com`.
    Sgp,
}

impl Region {
    /// Every region.
    ///
    /// ```
    /// let names: Vec<_> = netverify::Region::ALL.iter().map(|r| r.as_str()).collect();
    /// assert_eq!(names, ["us", "eu", "sgp"]);
    /// ```
    pub const ALL: [Region; 3] = [Region::Us, Region::Eu, Region::Sgp];

    /// The region's base URL.
    ///
    /// ```
    /// assert_eq!(netverify::Region::Sgp.base_url(), "https://core-sgp.jumio.com");
    /// ```
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://netverify.com",
            Region::Eu => "https://lon.netverify.com",
            Region::Sgp => "https://core-sgp.jumio.com",
        }
    }

    /// The region's name as `FromStr` and `JUMIO_REGION` accept it.
    ///
    /// ```
    /// assert_eq!(netverify::Region::Us.as_str(), "us");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Sgp => "sgp",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Accepts `us`, `eu` and `sgp` in any case.
impl FromStr for Region {
    type Err = ConfigError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|region| region.as_str().eq_ignore_ascii_case(value.trim()))
            .ok_or_else(|| ConfigError::InvalidRegion {
                value: value.to_owned(),
            })
    }
}

/// Where requests go: a region's host, or a custom base URL (a proxy, a test
/// server).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Region(Region),
    Custom(String),
}

impl Endpoint {
    pub(crate) fn region(&self) -> Option<Region> {
        match self {
            Endpoint::Region(region) => Some(*region),
            Endpoint::Custom(_) => None,
        }
    }
}

/// Names region and host, for error hints: a wrong region looks exactly like
/// wrong credentials.
impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Region(region) => write!(f, "{} (region {region})", region.base_url()),
            Endpoint::Custom(url) => write!(f, "{url} (custom base URL, no region)"),
        }
    }
}

/// Checks a custom base URL and returns it without a trailing slash (the
/// generated client appends `/api/...`).
pub(crate) fn validate_base_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: without_userinfo(url),
        reason: reason.to_owned(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "credentials do not belong in the URL; give them as the API token and secret",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    let host = parsed.host_str().ok_or_else(|| invalid("no host"))?;
    if parsed
        .path()
        .contains(netverify_api::Operation::PATH_PREFIX)
    {
        return Err(invalid(
            "it already holds the API path /api/netverify/v2, which the client adds itself: \
             give only the scheme, host and port (and a proxy's own path prefix, if any)",
        ));
    }
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(ConfigError::InsecureBaseUrl {
                host: host.to_owned(),
            });
        }
        _ => {
            return Err(invalid(
                "the scheme must be https (or http for a loopback address)",
            ));
        }
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// The URL with everything before the last `@` replaced, but for a scheme
/// that comes before it, so that an error never echoes credentials someone
/// put in a URL, parsable or not, even before the scheme. (A usable base URL
/// has no `@` at all.)
fn without_userinfo(url: &str) -> String {
    let Some(at) = url.rfind('@') else {
        return url.to_owned();
    };
    let kept = url[..at].find("://").map_or(0, |scheme_end| scheme_end + 3);
    format!("{}[redacted]{}", &url[..kept], &url[at..])
}

/// `localhost`, 127.0.0.0/8 or `::1` (the URL parser already normalised the
/// host to lower case and IPv6 to its bracketed form).
fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare == "localhost" || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Checks the customer's part of the User-Agent.
///
/// Jumio asks for the business and application, in the form
/// `Company App/1.0`. RFC 9110 makes a User-Agent a list of products
/// (`token` or `token/version`) and comments (`(...)`); this requires that
/// shape, visible ASCII only, and at least one product with a version.
pub(crate) fn validate_user_agent(value: &str) -> Result<(), ConfigError> {
    let invalid = |reason| {
        Err(ConfigError::InvalidUserAgent {
            value: shortened(value, USER_AGENT_SHOWN_CHARS),
            reason,
        })
    };
    if value.trim().is_empty() {
        return Err(ConfigError::MissingUserAgent);
    }
    if value.len() > MAX_USER_AGENT_LEN {
        return invalid("longer than 200 characters");
    }
    if !value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        return invalid("only visible ASCII characters and spaces are allowed");
    }
    if value.starts_with(' ') || value.ends_with(' ') {
        return invalid("leading or trailing space");
    }
    let mut rest = value;
    let mut has_version = false;
    while !rest.is_empty() {
        rest = rest.trim_start_matches(' ');
        if let Some(comment) = rest.strip_prefix('(') {
            let Some(end) = comment.find(')') else {
                return invalid("unclosed comment");
            };
            rest = &comment[end + 1..];
            continue;
        }
        let end = rest.find(' ').unwrap_or(rest.len());
        let (product, tail) = rest.split_at(end);
        rest = tail;
        let mut parts = product.split('/');
        let name = parts.next().unwrap_or_default();
        let version = parts.next();
        if parts.next().is_some() {
            return invalid("a product has more than one '/'");
        }
        if !is_token(name) || version.is_some_and(|v| !is_token(v)) {
            return invalid(
                "a product must be a name or name/version made of letters, digits and -._+!",
            );
        }
        has_version |= version.is_some();
    }
    if !has_version {
        return invalid("no product with a version, such as \"App/1.0\"");
    }
    Ok(())
}

const MAX_USER_AGENT_LEN: usize = 200;

/// How much of a refused User-Agent an error quotes.
pub(crate) const USER_AGENT_SHOWN_CHARS: usize = 40;

/// The first `chars` characters of `value`, with `…` when there were more.
fn shortened(value: &str, chars: usize) -> String {
    match value.char_indices().nth(chars) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

/// RFC 9110 `token`.
fn is_token(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_parse_in_any_case() {
        assert_eq!("EU".parse::<Region>().unwrap(), Region::Eu);
        assert_eq!("sgp".parse::<Region>().unwrap(), Region::Sgp);
        assert_eq!(" Us ".parse::<Region>().unwrap(), Region::Us);
        assert_eq!(
            "apac".parse::<Region>(),
            Err(ConfigError::InvalidRegion {
                value: "apac".into()
            })
        );
        assert_eq!(Region::Sgp.base_url(), "https://core-sgp.jumio.com");
    }

    #[test]
    fn endpoints_name_region_and_host_for_hints() {
        assert_eq!(
            Endpoint::Region(Region::Eu).to_string(),
            "https://lon.netverify.com (region eu)"
        );
        assert_eq!(
            Endpoint::Custom("https://proxy.example".into()).to_string(),
            "https://proxy.example (custom base URL, no region)"
        );
    }

    #[test]
    fn plain_http_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.5.0.1",
            "http://[::1]:9",
            "http://LOCALHOST/",
            "https://proxy.example/",
        ] {
            assert!(validate_base_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            validate_base_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            validate_base_url("http://netverify.com"),
            Err(ConfigError::InsecureBaseUrl {
                host: "netverify.com".into()
            })
        );
        assert!(matches!(
            validate_base_url("http://10.0.0.1"),
            Err(ConfigError::InsecureBaseUrl { .. })
        ));
        assert!(matches!(
            validate_base_url("http://localhost.evil.com"),
            Err(ConfigError::InsecureBaseUrl { .. })
        ));
        for bad in [
            "netverify.com",
            "ftp://x",
            "https://u:p@x",
            "https://x/?a=1",
            "",
        ] {
            assert!(
                matches!(
                    validate_base_url(bad),
                    Err(ConfigError::InvalidBaseUrl { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn credentials_in_a_url_are_not_echoed() {
        for (url, shown) in [
            (
                "https://tok:se/cret@x.example",
                "https://[redacted]@x.example",
            ),
            ("https://tok:secret@[::1", "https://[redacted]@[::1"),
            ("tok:secret@x.example", "[redacted]@x.example"),
            (
                "tok:secret@https://x.example",
                "[redacted]@https://x.example",
            ),
            ("https://@x.example", "https://[redacted]@x.example"),
            ("https://x.example/a", "https://x.example/a"),
        ] {
            assert_eq!(without_userinfo(url), shown);
        }
        let Err(ConfigError::InvalidBaseUrl { url, .. }) = validate_base_url("https://t:s3@x")
        else {
            panic!("accepted")
        };
        assert_eq!(url, "https://[redacted]@x");
    }

    #[test]
    fn user_agents_need_the_documented_form() {
        for ok in [
            "Acme KYC/1.0",
            "AcmeKYC/2",
            "Acme Onboarding/1.2.3 (ops@acme.example)",
        ] {
            assert_eq!(validate_user_agent(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            validate_user_agent("  "),
            Err(ConfigError::MissingUserAgent)
        );
        for bad in [
            "Acme",
            "Acme KYC",
            " Acme/1",
            "Acme/1 ",
            "Acme\tKYC/1",
            "Äcme/1",
            "Acme/1/2",
            "Acme/ (x",
            "A/1\r\nX: y",
        ] {
            assert!(
                matches!(
                    validate_user_agent(bad),
                    Err(ConfigError::InvalidUserAgent { .. })
                ),
                "{bad:?}"
            );
        }
        assert!(validate_user_agent(&format!("A/{}", "1".repeat(300))).is_err());
    }
}
