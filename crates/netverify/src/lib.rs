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
pub use config::{Region, env_vars};
pub use diff::{BackSideChange, CatalogueDiff, DiffEntry};
pub use error::{ConfigError, Error, ErrorBody};
pub use netverify_api::types::JumioErrorBody;
pub use netverify_api::{CountryCode, IdType, InvalidCountryCode, ListKey, MissingList, Operation};
pub use retry::RetryPolicy;

/// The `chrono` types of [`Catalogue::timestamp`] and
/// [`CacheStatus::last_success`], so that callers need no `chrono` dependency
/// of their own.
pub use chrono::{DateTime, Utc};

/// The `reqwest` version this crate is built with, for
/// [`ClientBuilder::http_client_builder`] and
/// [`ClientBuilder::add_root_certificate`].
pub use reqwest;
