#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

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
/// the client emits, for a subscriber or layer that picks them out (as the
/// CLI's `-v` does). Their fields are the ones listed here; none holds a
/// header, a body or a credential.
pub mod tracing_names {
    /// The span around one request attempt (level INFO), with the fields
    /// `operation` (`supportedIdTypes` or `acceptedIdTypes`), `attempt`
    /// (from 1), and, once known, `status`, `duration_ms` and `tracking_id`.
    pub const ATTEMPT_SPAN: &str = "netverify_request";
    /// The event before the client waits to retry a transient failure
    /// (level INFO), with the fields `operation`, `attempt` (the one that
    /// failed), `wait_ms` and `status` (absent without a response).
    pub const RETRY_EVENT: &str = "netverify_retry";
}

/// The `chrono` types of [`Catalogue::timestamp`] and
/// [`CacheStatus::last_success`], so that callers need no `chrono` dependency
/// of their own.
pub use chrono::{DateTime, Utc};

/// The `reqwest` version this crate is built with, for
/// [`ClientBuilder::http_client_builder`] and
/// [`ClientBuilder::add_root_certificate`].
pub use reqwest;
