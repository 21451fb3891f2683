#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
compile_error!(
    "netverify needs a TLS crypto provider: enable its `ring` (default) or `aws-lc-rs` feature"
);

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod builder;
mod cache;
mod catalogue;
mod client;
mod config;
mod diff;
pub mod env_vars;
mod error;
mod error_mapping;
mod filter;
mod retry;
mod serde_support;
mod testing;

pub use builder::ClientBuilder;
pub use cache::{
    CacheStatus, CachedCatalogue, CachedCatalogueBuilder, CatalogueChange, CatalogueStore,
    FileStore, StoreError, StoreFuture,
};
pub use catalogue::{Catalogue, Country, Document};
pub use client::Client;
pub use config::Region;
pub use diff::{BackSideChange, CatalogueDiff, DiffEntry};
pub use error::{ConfigError, Error, ErrorBody, ErrorKind};
pub use netverify_api::types::JumioErrorBody;
pub use netverify_api::{CountryCode, IdType, InvalidCountryCode, ListKey, MissingList, Operation};
pub use retry::RetryPolicy;

/// The names of the [`tracing`](https://docs.rs/tracing) spans and events
/// the client and the cache emit, for a subscriber or layer that picks them
/// out (as the CLI's `-v` does). Their fields are the ones listed here, and
/// stable; none holds a header, a body or a credential.
///
/// The attempt span follows the OpenTelemetry HTTP client semantic
/// conventions, so that `tracing-opentelemetry` exports it as an HTTP client
/// span with no glue (`otel.name` and `otel.kind` are the fields it reads
/// for the span's name and kind).
pub mod tracing_names {
    /// The span around one request attempt (level INFO), with the fields
    /// `otel.name` (`GET /api/netverify/v2/supportedIdTypes`), `otel.kind`
    /// (`client`), `http.request.method` (`GET`), `server.address` and
    /// `server.port` (of the base URL), `url.template` (the operation's
    /// path), `operation` (`supportedIdTypes` or `acceptedIdTypes`),
    /// `attempt` (from 1), `http.request.resend_count` (`attempt - 1`, on
    /// retries only), and, once known, `http.response.status_code`,
    /// `error.type` (the status code of an error status, else the
    /// [`ErrorKind`](crate::ErrorKind) name, such as `temporary`),
    /// `duration_ms` and `tracking_id`.
    pub const ATTEMPT_SPAN: &str = "netverify_request";
    /// The event before the client waits to retry a transient failure
    /// (level INFO), with the fields `operation`, `attempt` (the one that
    /// failed), `wait_ms` and `http.response.status_code` (absent without a
    /// response).
    pub const RETRY_EVENT: &str = "netverify_retry";
    /// A cache refresh brought a catalogue (level INFO): fields `list` (the
    /// operation id) and `age_secs` (0 from Jumio; the stored catalogue's
    /// age from a [`CatalogueStore`](crate::CatalogueStore)).
    pub const CACHE_REFRESHED: &str = "netverify_cache_refreshed";
    /// A cache refresh failed (level WARN): fields `list`, `error.type`
    /// (the [`ErrorKind`](crate::ErrorKind) name), `error` (the message),
    /// `consecutive_failures`, `retry_in_ms`, `cached_age_secs` (absent with
    /// nothing cached) and `serving_stale`.
    pub const CACHE_REFRESH_FAILED: &str = "netverify_cache_refresh_failed";
    /// A `get` was served a catalogue past its TTL, within its max staleness,
    /// while a refresh runs (level DEBUG): fields `list` and `age_secs`.
    pub const CACHE_STALE_SERVED: &str = "netverify_cache_stale_served";
    /// A [`CatalogueStore`](crate::CatalogueStore) call failed or timed out
    /// (level WARN): fields `list` and `error`.
    pub const CACHE_STORE_FAILED: &str = "netverify_cache_store_failed";
}

/// The `chrono` types of [`Catalogue::timestamp`] and
/// [`CacheStatus::last_success`], so that callers need no `chrono` dependency
/// of their own.
pub use chrono::{DateTime, Utc};

/// The `reqwest` version this crate is built with, for
/// [`ClientBuilder::http_client_builder`] and [`ClientBuilder::http_client`].
pub use reqwest;

/// The certificate types of [`ClientBuilder::add_root_certificate`]
/// (`CertificateDer`, and `pem::PemObject` to read PEM), so that callers
/// need no `rustls-pki-types` dependency of their own.
pub use rustls::pki_types;
