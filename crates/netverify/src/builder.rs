//! Configuring and building a [`Client`]: settings, their checks, and the
//! HTTP client that carries the credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use netverify_api::ClientContext;
use reqwest::header::HeaderValue;
use rustls::pki_types::CertificateDer;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};

use crate::client::{Client, Inner};
use crate::config::{Endpoint, Region, validate_base_url, validate_user_agent};
use crate::env_vars;
use crate::error::{ConfigError, Error};
use crate::retry::RetryPolicy;

/// Appended to the customer's User-Agent, so Jumio can tell SDK versions apart.
const SDK_USER_AGENT: &str = concat!("netverify-rs/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]. Nothing is checked until [`build`](Self::build),
/// which reports every problem as [`Error::Config`].
///
/// ```
/// use std::time::Duration;
/// let client = netverify::ClientBuilder::new()
///     .region(netverify::Region::Eu)
///     .credentials("token", "secret")
///     .user_agent("Acme KYC/1.0")
///     .retry_policy(netverify::RetryPolicy::default().max_attempts(5))
///     .build()?;
/// # Ok::<(), netverify::Error>(())
/// ```
pub struct ClientBuilder {
    endpoint: Endpoint,
    token: Option<SecretString>,
    secret: Option<SecretString>,
    user_agent: Option<String>,
    /// `None`: the default, 10 s (and not set, which a client the caller
    /// built requires).
    connect_timeout: Option<Duration>,
    attempt_timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: usize,
    http: Http,
    root_certificates: Vec<CertificateDer<'static>>,
}

/// Where the HTTP client comes from.
enum Http {
    /// Built by [`ClientBuilder::build`], from a default builder or the
    /// caller's.
    Builder(Option<Box<reqwest::ClientBuilder>>),
    /// The caller's, used as it is.
    Built(reqwest::Client),
}

/// The connect timeout of a client netverify builds.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The builder's way in, here rather than in `client.rs`, so that the
/// client does not import its builder back.
impl Client {
    /// A builder with the defaults: region [`Region::Us`], 10 s connect
    /// timeout, 30 s attempt timeout, [`RetryPolicy::default`], 8 MiB body
    /// limit. Credentials and a User-Agent are required.
    ///
    /// ```
    /// let builder: netverify::ClientBuilder = netverify::Client::builder();
    /// let client = builder.credentials("token", "secret").user_agent("Acme KYC/1.0").build()?;
    /// assert_eq!(client.region(), Some(netverify::Region::Us));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// The same as [`Client::builder`].
    ///
    /// ```
    /// let client = netverify::ClientBuilder::new()
    ///     .credentials("token", "secret").user_agent("Acme KYC/1.0").build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn new() -> Self {
        ClientBuilder {
            endpoint: Endpoint::Region(Region::Us),
            token: None,
            secret: None,
            user_agent: None,
            connect_timeout: None,
            attempt_timeout: Duration::from_secs(30),
            deadline: None,
            retry: RetryPolicy::default(),
            max_response_bytes: ClientContext::DEFAULT_MAX_RESPONSE_BYTES,
            http: Http::Builder(None),
            root_certificates: Vec::new(),
        }
    }

    /// A builder configured from the process environment; see
    /// [`from_env_with`](Self::from_env_with).
    ///
    /// ```
    /// // With JUMIO_API_TOKEN, JUMIO_API_SECRET, JUMIO_REGION and JUMIO_USER_AGENT set:
    /// let builder = netverify::ClientBuilder::from_env()?;
    /// // Settings made in code still apply on top.
    /// let client = builder.credentials("token", "secret").user_agent("Acme KYC/1.0").build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    /// A builder configured from variables read with `var`:
    ///
    /// | variable | meaning |
    /// | --- | --- |
    /// | `JUMIO_API_TOKEN`, `JUMIO_API_SECRET` | credentials |
    /// | `JUMIO_REGION` | `us`, `eu` or `sgp` (any case) |
    /// | `JUMIO_BASE_URL` | a custom base URL instead of a region |
    /// | `JUMIO_USER_AGENT` | your company and app, such as `Acme KYC/1.0` |
    /// | `JUMIO_TIMEOUT` | the [attempt timeout](Self::attempt_timeout), in seconds (`2.5`: fractions too) |
    /// | `JUMIO_RETRIES` | attempts after the first ([`RetryPolicy::max_attempts`] less one; `0` turns retries off) |
    /// | `JUMIO_DEADLINE` | the call's [deadline](Self::deadline), in seconds |
    ///
    /// The names are in [`env_vars`]. The precedence is: a value `var`
    /// returns, then the default; the `netverify` CLI passes a `var` that
    /// returns a flag's value when the flag was given and the variable's
    /// otherwise, so that both resolve settings with this one rule (see
    /// [docs/settings.md](https://github.com/netverify-rs/netverify-rs/blob/main/docs/settings.md)).
    ///
    /// Unset and empty variables leave the defaults. Fails for an unknown
    /// region, when both `JUMIO_REGION` and `JUMIO_BASE_URL` are set, or for
    /// a number that does not read (a timeout or deadline that is not more
    /// than 0 seconds, retries that are not a whole number);
    /// missing credentials are reported by [`build`](Self::build), so they
    /// can still be set on the returned builder.
    ///
    /// ```
    /// let vars = [("JUMIO_API_TOKEN", "token"), ("JUMIO_API_SECRET", "secret"),
    ///             ("JUMIO_REGION", "EU"), ("JUMIO_USER_AGENT", "Acme KYC/1.0")];
    /// let client = netverify::ClientBuilder::from_env_with(|name| {
    ///     vars.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string())
    /// })?
    /// .build()?;
    /// assert_eq!(client.region(), Some(netverify::Region::Eu));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let var = |name: &str| var(name).filter(|value| !value.is_empty());
        let mut builder = ClientBuilder::new();
        match (var(env_vars::REGION), var(env_vars::BASE_URL)) {
            (Some(_), Some(_)) => return Err(ConfigError::RegionAndBaseUrl.into()),
            (Some(region), None) => builder = builder.region(region.parse()?),
            (None, Some(url)) => builder = builder.base_url(url),
            (None, None) => {}
        }
        builder.token = var(env_vars::API_TOKEN).map(SecretString::from);
        builder.secret = var(env_vars::API_SECRET).map(SecretString::from);
        builder.user_agent = var(env_vars::USER_AGENT);
        if let Some(value) = var(env_vars::TIMEOUT) {
            builder.attempt_timeout = seconds(env_vars::TIMEOUT, &value)?;
        }
        if let Some(value) = var(env_vars::DEADLINE) {
            builder.deadline = Some(seconds(env_vars::DEADLINE, &value)?);
        }
        if let Some(value) = var(env_vars::RETRIES) {
            let retries: u32 = value
                .trim()
                .parse()
                .map_err(|_| ConfigError::InvalidNumber {
                    variable: env_vars::RETRIES,
                    value: value.clone(),
                    expected: "a whole number of retries, 0 or more",
                })?;
            builder.retry = match retries {
                0 => RetryPolicy::none(),
                retries => RetryPolicy::default().max_attempts(retries.saturating_add(1)),
            };
        }
        Ok(builder)
    }

    /// Sends requests to a region's host (replaces a base URL set before).
    ///
    /// ```
    /// let client = netverify::Client::builder().region(netverify::Region::Eu)
    ///     .credentials("token", "secret").user_agent("Acme KYC/1.0").build()?;
    /// assert_eq!(client.base_url(), netverify::Region::Eu.base_url());
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn region(mut self, region: Region) -> Self {
        self.endpoint = Endpoint::Region(region);
        self
    }

    /// Sends requests to a custom base URL, such as a proxy or a test server
    /// (replaces a region set before). It must be `https://`, or `http://` to
    /// a loopback address (`localhost`, 127.0.0.0/8, `::1`).
    ///
    /// ```
    /// let client = netverify::Client::builder()
    ///     .base_url("http://127.0.0.1:8080") // a local mock: plain http is for loopback only
    ///     .credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .build()?;
    /// assert_eq!(client.region(), None);
    /// let refused = netverify::Client::builder().base_url("http://proxy.example")
    ///     .credentials("token", "secret").user_agent("Acme KYC/1.0").build();
    /// assert!(refused.is_err());
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Endpoint::Custom(url.into());
        self
    }

    /// The API token (the Basic-auth user-id) and secret (the password).
    ///
    /// ```
    /// let client = netverify::Client::builder()
    ///     .credentials("api-token", "api-secret") // kept secret, never in Debug or errors
    ///     .user_agent("Acme KYC/1.0")
    ///     .build()?;
    /// assert!(!format!("{client:?}").contains("api-secret"));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn credentials(
        mut self,
        token: impl Into<SecretString>,
        secret: impl Into<SecretString>,
    ) -> Self {
        self.token = Some(token.into());
        self.secret = Some(secret.into());
        self
    }

    /// Your business and application, in the form `Company App/1.0`; the
    /// client sends it followed by `netverify-rs/<version>`.
    ///
    /// ```
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme Onboarding/2.1").build()?;
    /// assert!(client.user_agent().starts_with("Acme Onboarding/2.1 "));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How long to wait for a connection (default 10 s). Not with
    /// [`http_client`](Self::http_client): set it on your client instead.
    ///
    /// ```
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .connect_timeout(std::time::Duration::from_secs(3))
    ///     .build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt, body included, may take (default 30 s). Retries
    /// get the same time again each.
    ///
    /// ```
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .attempt_timeout(std::time::Duration::from_secs(10))
    ///     .build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The most time one call may take, every attempt, backoff and retry
    /// included (default: none, and then a call can take up to its attempts
    /// times the attempt timeout, plus the waits between them). An attempt
    /// still running when the deadline passes is cut off, and a retry whose
    /// wait would end after it is not made: the call fails with
    /// [`Error::Deadline`] in the first case, and with the last attempt's
    /// error in the second. A zero deadline is refused by
    /// [`build`](Self::build).
    ///
    /// ```
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .deadline(std::time::Duration::from_secs(90))
    ///     .build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How failed attempts are retried (default [`RetryPolicy::default`];
    /// [`RetryPolicy::none`] turns retries off).
    ///
    /// ```
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .retry_policy(netverify::RetryPolicy::none())
    ///     .build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The most bytes of a response body that are read (default 8 MiB); a
    /// larger body fails with [`Error::ResponseTooLarge`].
    ///
    /// ```
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .max_response_bytes(1 << 20) // 1 MiB
    ///     .build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Trusts an extra root certificate besides the platform's (for a
    /// TLS-inspecting proxy or a test server). Not with
    /// [`http_client`](Self::http_client): your client's TLS settings are
    /// its own.
    ///
    /// ```
    /// use netverify::pki_types::{CertificateDer, pem::PemObject as _};
    /// # fn with_proxy_ca(pem: &[u8]) -> Result<netverify::Client, Box<dyn std::error::Error>> {
    /// let certificate = CertificateDer::from_pem_slice(pem)?;
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .add_root_certificate(certificate)
    ///     .build()?;
    /// # Ok(client) }
    /// ```
    pub fn add_root_certificate(mut self, certificate: CertificateDer<'static>) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    /// Starts the HTTP client from your own `reqwest::ClientBuilder` (for a
    /// proxy, a resolver, pool settings).
    ///
    /// On top of your settings, [`build`](Self::build) sets the connect
    /// timeout, no redirects (a redirect is reported as an [`Error::Api`]
    /// instead of followed), no verbose connection logging, and its own TLS
    /// configuration: rustls with the crate's crypto provider (the `ring` or
    /// `aws-lc-rs` feature), the platform's roots and
    /// [`add_root_certificate`](Self::add_root_certificate)'s, which replaces
    /// any TLS setting of your builder. Proxies you set (`reqwest::Proxy`)
    /// and the `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY` variables, which reqwest
    /// reads unless you call `no_proxy()`, apply.
    ///
    /// ```
    /// let http = netverify::reqwest::Client::builder().pool_max_idle_per_host(4);
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .http_client_builder(http)
    ///     .build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn http_client_builder(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Http::Builder(Some(Box::new(builder)));
        self
    }

    /// Sends requests through a `reqwest::Client` you built and share with
    /// other code (its pool, proxy, resolver and TLS settings).
    ///
    /// The credentials are not put into the client: each request gets its
    /// `Authorization` header (marked sensitive) from netverify, so that no
    /// other request of your client carries them. What is yours, not
    /// netverify's, with such a client:
    ///
    /// * **Redirects** follow your client's policy (reqwest's default
    ///   follows up to 10). reqwest drops `Authorization` when a redirect
    ///   leaves the host, so the credentials do not follow it; Jumio does not
    ///   redirect these endpoints, and with
    ///   `redirect(reqwest::redirect::Policy::none())` a redirect is reported
    ///   as an [`Error::Api`], as with a client netverify builds.
    /// * **TLS**: your client's crypto provider and roots;
    ///   [`add_root_certificate`](Self::add_root_certificate) and
    ///   [`connect_timeout`](Self::connect_timeout) are refused by
    ///   [`build`](Self::build) ([`ConfigError::NotWithHttpClient`]). A
    ///   timeout of your client is reported as [`Error::Timeout`] with the
    ///   attempt timeout as `after`.
    /// * **Proxies**: `reqwest::Proxy` and the `HTTPS_PROXY` variables as you
    ///   configured them.
    /// * **Logging**: `connection_verbose(true)` would trace the raw request;
    ///   leave it off.
    ///
    /// The attempt timeout, retries and the response size limit still apply.
    ///
    /// A `reqwest::Client` with rustls needs a crypto provider: reqwest's
    /// default features bring aws-lc-rs; without them (as netverify depends
    /// on reqwest), the application installs its choice first, as here.
    ///
    /// ```
    /// let _ = rustls::crypto::ring::default_provider().install_default();
    /// let shared = netverify::reqwest::Client::builder()
    ///     .redirect(netverify::reqwest::redirect::Policy::none())
    ///     .build()?;
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0")
    ///     .http_client(shared.clone())
    ///     .build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Http::Built(client);
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] for missing credentials, a zero timeout,
    /// a missing, malformed or over-long User-Agent, an unusable base URL
    /// (one that already holds the API path included), plain `http://` to a
    /// host that is not a loopback address, or an HTTP client that cannot be
    /// built.
    ///
    /// ```
    /// let missing = netverify::Client::builder().credentials("token", "secret").build();
    /// assert!(matches!(missing, Err(netverify::Error::Config(netverify::ConfigError::MissingUserAgent))));
    /// let client = netverify::Client::builder().credentials("token", "secret")
    ///     .user_agent("Acme KYC/1.0").build()?;
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let given = |value: Option<SecretString>| value.filter(|v| !v.expose_secret().is_empty());
        let (token, secret) = match (given(self.token), given(self.secret)) {
            (Some(token), Some(secret)) => (token, secret),
            (None, None) => return Err(ConfigError::MissingCredentials.into()),
            (None, Some(_)) => return Err(ConfigError::MissingToken.into()),
            (Some(_), None) => return Err(ConfigError::MissingSecret.into()),
        };
        if token.expose_secret().contains(':') {
            return Err(ConfigError::TokenContainsColon.into());
        }
        for (setting, timeout) in [
            (
                "connect timeout",
                self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            ),
            ("attempt timeout", self.attempt_timeout),
            ("deadline", self.deadline.unwrap_or(Duration::MAX)),
        ] {
            if timeout.is_zero() {
                return Err(ConfigError::ZeroTimeout { setting }.into());
            }
        }
        let customer_agent = self.user_agent.ok_or(ConfigError::MissingUserAgent)?;
        validate_user_agent(&customer_agent)?;
        let base_url = match &self.endpoint {
            Endpoint::Region(region) => region.base_url().to_owned(),
            Endpoint::Custom(url) => validate_base_url(url)?,
        };

        let credentials = Zeroizing::new(format!(
            "{}:{}",
            token.expose_secret(),
            secret.expose_secret()
        ));
        let header = Zeroizing::new(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(&*credentials)
        ));
        let authorization = HeaderValue::from_str(&header)
            .map_err(|_| ConfigError::Http("invalid Authorization header".into()))?;

        let (http, connect_timeout) = match self.http {
            Http::Built(client) => {
                let given = [
                    ("connect_timeout", self.connect_timeout.is_some()),
                    ("add_root_certificate", !self.root_certificates.is_empty()),
                ];
                if let Some((setting, _)) = given.into_iter().find(|(_, set)| *set) {
                    return Err(ConfigError::NotWithHttpClient { setting }.into());
                }
                (client, None)
            }
            Http::Builder(builder) => {
                let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
                let tls = tls_config(self.root_certificates)?;
                let http = builder
                    .map_or_else(reqwest::ClientBuilder::new, |builder| *builder)
                    .tls_backend_preconfigured(tls)
                    .connect_timeout(connect_timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    // Verbose connection logging traces the raw request, the
                    // Authorization header included.
                    .connection_verbose(false)
                    .build()
                    .map_err(|error| ConfigError::Http(error.to_string()))?;
                (http, Some(connect_timeout))
            }
        };

        Ok(Client {
            inner: Arc::new(Inner {
                endpoint: match self.endpoint {
                    Endpoint::Custom(_) => Endpoint::Custom(base_url.clone()),
                    region => region,
                },
                server: server_address(&base_url),
                base_url,
                user_agent: format!("{customer_agent} {SDK_USER_AGENT}"),
                authorization,
                http,
                connect_timeout,
                attempt_timeout: self.attempt_timeout,
                deadline: self.deadline,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

/// Shows the settings; the credentials only as whether they are set.
impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("token_set", &self.token.is_some())
            .field("secret_set", &self.secret.is_some())
            .field("user_agent", &self.user_agent)
            .field(
                "connect_timeout",
                &self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            )
            .field("attempt_timeout", &self.attempt_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// A number of seconds more than 0 from `variable`, as `Duration`.
fn seconds(variable: &'static str, value: &str) -> Result<Duration, ConfigError> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
        .filter(|duration| !duration.is_zero())
        .ok_or_else(|| ConfigError::InvalidNumber {
            variable,
            value: value.to_owned(),
            expected: "a number of seconds greater than zero",
        })
}

/// The host and port of a base URL that passed its checks.
fn server_address(base_url: &str) -> (String, u16) {
    let url = reqwest::Url::parse(base_url).ok();
    let host = url
        .as_ref()
        .and_then(|url| url.host_str())
        .unwrap_or_default();
    let port = url.as_ref().and_then(|url| url.port_or_known_default());
    (host.to_owned(), port.unwrap_or(443))
}

/// The crypto provider of the crate's feature: `aws-lc-rs` when enabled
/// (it is never on by default, so enabling it is a choice), else `ring`.
fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "aws-lc-rs")]
    return Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    #[cfg(not(feature = "aws-lc-rs"))]
    return Arc::new(rustls::crypto::ring::default_provider());
}

/// The TLS configuration of a client netverify builds, with the crate's
/// provider handed over explicitly: the process-wide default provider is
/// neither read nor installed, so an application installs its own (or none)
/// before or after building a client. The platform's roots, and the extra
/// ones, are trusted; every TLS version rustls has stays enabled (Jumio's
/// documented suites are TLS 1.2).
fn tls_config(extra_roots: Vec<CertificateDer<'static>>) -> Result<rustls::ClientConfig, Error> {
    let fail = |error: rustls::Error| ConfigError::Http(format!("TLS: {error}"));
    let provider = crypto_provider();
    let verifier = if extra_roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())
    } else {
        with_extra_roots(extra_roots, provider.clone())
    }
    .map_err(fail)?;
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(fail)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

#[cfg(not(target_os = "android"))]
fn with_extra_roots(
    roots: Vec<CertificateDer<'static>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider)
}

#[cfg(target_os = "android")]
fn with_extra_roots(
    _roots: Vec<CertificateDer<'static>>,
    _provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    Err(rustls::Error::General(
        "extra root certificates are not supported on Android".into(),
    ))
}
