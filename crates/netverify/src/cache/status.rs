//! What [`CachedCatalogue::status`](super::CachedCatalogue::status) reports.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::StoreError;
use crate::error::Error;

/// What a [`CachedCatalogue`](crate::CachedCatalogue) holds and how its refreshes went; from
/// [`CachedCatalogue::status`](crate::CachedCatalogue::status).
///
/// ```
/// # let client = netverify::Client::builder().credentials("t", "s")
/// #     .user_agent("Acme KYC/1.0").build()?;
/// let cache = netverify::CachedCatalogue::supported_builder(client).build();
/// let status = cache.status();
/// assert_eq!(status.age(), None); // nothing fetched yet
/// assert!(status.last_error().is_none());
/// # Ok::<(), netverify::Error>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CacheStatus {
    pub(super) age: Option<Duration>,
    pub(super) servable: bool,
    pub(super) last_success: Option<DateTime<Utc>>,
    pub(super) last_error: Option<Error>,
    pub(super) consecutive_failures: u32,
    pub(super) refreshing: bool,
    pub(super) store_error: Option<StoreError>,
}

impl CacheStatus {
    /// The age of the cached catalogue (since it was fetched, or since its
    /// timestamp when it came from the persisted file); `None` when there is
    /// none.
    ///
    /// ```
    /// # fn check(cache: &netverify::CachedCatalogue) {
    /// if let Some(age) = cache.status().age() {
    ///     println!("catalogue age: {} s", age.as_secs());
    /// }
    /// # }
    /// ```
    pub fn age(&self) -> Option<Duration> {
        self.age
    }

    /// Whether [`CachedCatalogue::get`](crate::CachedCatalogue::get) would return the cached catalogue
    /// (it is within TTL + max staleness).
    ///
    /// ```
    /// # fn ready(cache: &netverify::CachedCatalogue) -> bool {
    /// // A readiness probe: get() would answer without the network.
    /// cache.status().is_servable()
    /// # }
    /// ```
    pub fn is_servable(&self) -> bool {
        self.servable
    }

    /// When the last successful refresh of this process ended.
    ///
    /// ```
    /// # fn check(cache: &netverify::CachedCatalogue) {
    /// let last: Option<netverify::DateTime<netverify::Utc>> = cache.status().last_success();
    /// # }
    /// ```
    pub fn last_success(&self) -> Option<DateTime<Utc>> {
        self.last_success
    }

    /// The error of the last refresh, if it failed; cleared by a success.
    ///
    /// ```
    /// # fn check(cache: &netverify::CachedCatalogue) {
    /// if let Some(error) = cache.status().last_error() {
    ///     eprintln!("the last refresh failed: {error}");
    /// }
    /// # }
    /// ```
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_ref()
    }

    /// How many refreshes in a row have failed.
    ///
    /// ```
    /// # fn check(cache: &netverify::CachedCatalogue) {
    /// if cache.status().consecutive_failures() >= 3 {
    ///     eprintln!("Jumio has failed three refreshes in a row");
    /// }
    /// # }
    /// ```
    pub fn consecutive_failures(&self) -> u32 {
        self.consecutive_failures
    }

    /// Whether a refresh is running now.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// assert!(!cache.status().is_refreshing());
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn is_refreshing(&self) -> bool {
        self.refreshing
    }

    /// The failure of the last call to the cache's
    /// [store](crate::CachedCatalogueBuilder::store), if it failed (or took
    /// longer than the store timeout); cleared by a call that succeeds. The
    /// cache goes on without the store meanwhile.
    ///
    /// ```
    /// # fn check(cache: &netverify::CachedCatalogue) {
    /// if let Some(error) = cache.status().store_error() {
    ///     eprintln!("the shared catalogue store is failing: {error}");
    /// }
    /// # }
    /// ```
    pub fn store_error(&self) -> Option<&StoreError> {
        self.store_error.as_ref()
    }
}
