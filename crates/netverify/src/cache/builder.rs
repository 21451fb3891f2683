//! How a [`CachedCatalogue`] is configured.

use std::path::PathBuf;
use std::time::Duration;

use netverify_api::Operation;

use super::{CachedCatalogue, persist};
use crate::client::Client;

/// Configures a [`CachedCatalogue`]; from
/// [`CachedCatalogue::supported_builder`] or
/// [`CachedCatalogue::accepted_builder`].
///
/// ```
/// use std::time::Duration;
/// # let client = netverify::Client::builder().credentials("t", "s")
/// #     .user_agent("Acme KYC/1.0").build()?;
/// let cache = netverify::CachedCatalogue::accepted_builder(client)
///     .ttl(Duration::from_secs(600))
///     .max_staleness(Duration::from_secs(6 * 3600))
///     .failure_backoff(Duration::from_secs(2), Duration::from_secs(120))
///     .build();
/// assert_eq!(cache.ttl(), Duration::from_secs(600));
/// # Ok::<(), netverify::Error>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
#[must_use = "a builder does nothing until built"]
pub struct CachedCatalogueBuilder {
    pub(super) client: Client,
    pub(super) operation: Operation,
    pub(super) ttl: Duration,
    pub(super) max_staleness: Duration,
    pub(super) min_backoff: Duration,
    pub(super) max_backoff: Duration,
    pub(super) persist_path: Option<PathBuf>,
}

impl CachedCatalogueBuilder {
    pub(super) fn new(client: Client, operation: Operation) -> Self {
        CachedCatalogueBuilder {
            client,
            operation,
            ttl: Duration::from_secs(3600),
            max_staleness: Duration::from_secs(24 * 3600),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
            persist_path: None,
        }
    }

    /// How long a catalogue is fresh (default 1 h); after that, `get` returns
    /// it and refreshes it in the background.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client)
    ///     .ttl(std::time::Duration::from_secs(900))
    ///     .build();
    /// assert_eq!(cache.ttl(), std::time::Duration::from_secs(900));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How long past its TTL a catalogue is still served while refreshes
    /// fail (default 24 h; `Duration::ZERO` serves no stale catalogue).
    /// Counted, like RFC 5861's `stale-if-error`, from the end of the TTL.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// // Never serve a catalogue more than an hour past its TTL.
    /// let cache = netverify::CachedCatalogue::supported_builder(client)
    ///     .max_staleness(std::time::Duration::from_secs(3600))
    ///     .build();
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn max_staleness(mut self, staleness: Duration) -> Self {
        self.max_staleness = staleness;
        self
    }

    /// The wait after a failed refresh before the next one starts on its own:
    /// `initial` after the first failure, doubling with each further one up
    /// to `max` (defaults 1 s and 5 min). A longer `Retry-After` from the
    /// server wins. A success resets it.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// use std::time::Duration;
    /// let cache = netverify::CachedCatalogue::supported_builder(client)
    ///     .failure_backoff(Duration::from_secs(5), Duration::from_secs(600))
    ///     .build();
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn failure_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.min_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Keeps the last good catalogue in this file (off by default): read
    /// when the cache is built, rewritten atomically (a temporary file in the
    /// same directory, fsync, rename) after each successful refresh, in the
    /// API's JSON shape (`Catalogue::from_json` reads it). A catalogue loaded
    /// from it is as old as its `timestamp` says.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client)
    ///     .persist_to(std::env::temp_dir().join("doc-netverify-supported.json"))
    ///     .build();
    /// // No file yet: nothing cached until the first get().
    /// assert_eq!(cache.status().age(), None);
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn persist_to(mut self, path: impl Into<PathBuf>) -> Self {
        self.persist_path = Some(path.into());
        self
    }

    /// Builds the cache, reading the persisted file if one is configured and
    /// readable (synchronously: this is start-up work). A missing file is
    /// normal; a corrupt, truncated or unreadable one, or one holding the
    /// other list, is logged as a warning and ignored. Nothing is fetched
    /// until the first [`get`](CachedCatalogue::get).
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// let cache: netverify::CachedCatalogue =
    ///     netverify::CachedCatalogue::accepted_builder(client).build();
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn build(self) -> CachedCatalogue {
        let persisted = self
            .persist_path
            .as_deref()
            .and_then(|path| persist::load(path, self.operation));
        CachedCatalogue::new(self, persisted)
    }
}
