//! How a [`CachedCatalogue`] is configured.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use netverify_api::Operation;

use super::{CachedCatalogue, CatalogueStore, FileStore};
use crate::catalogue::Catalogue;
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
    pub(super) source: Source,
    pub(super) operation: Operation,
    pub(super) ttl: Duration,
    pub(super) max_staleness: Duration,
    pub(super) min_backoff: Duration,
    pub(super) max_backoff: Duration,
    pub(super) store: Option<Arc<dyn CatalogueStore>>,
    pub(super) store_timeout: Duration,
    pub(super) store_poll: Duration,
}

impl CachedCatalogueBuilder {
    pub(super) fn new(source: Source, operation: Operation) -> Self {
        CachedCatalogueBuilder {
            source,
            operation,
            ttl: Duration::from_secs(3600),
            max_staleness: Duration::from_secs(24 * 3600),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
            store: None,
            store_timeout: Duration::from_secs(1),
            store_poll: Duration::from_secs(1),
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
    pub fn persist_to(self, path: impl Into<PathBuf>) -> Self {
        self.store(FileStore::new(path))
    }

    /// Keeps the last good catalogue in `store` (off by default): a
    /// [`FileStore`] for one process, or a store the replicas of a service
    /// share (`netverify-redis`), which also lets one replica at a time
    /// refresh from Jumio while the others take the catalogue it stored.
    /// See [`CatalogueStore`] for the contract and which guarantees hold.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// let store = netverify::FileStore::new(std::env::temp_dir().join("doc-netverify-store.json"));
    /// let cache = netverify::CachedCatalogue::supported_builder(client).store(store).build();
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn store(mut self, store: impl CatalogueStore) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// The longest a call to the [store](Self::store) may take (default
    /// 1 s); a later answer counts as a failed call, and the cache goes on
    /// without the store. Each store call of a refresh (a load, perhaps a
    /// lease, a save) is bounded by it, so a store that hangs delays a `get`
    /// with nothing to serve by a few times this (2 s with the default when
    /// the store answers nothing: a load and a save); a `get` with a
    /// catalogue to serve never waits for the store.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client)
    ///     .store_timeout(std::time::Duration::from_millis(200))
    ///     .build();
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn store_timeout(mut self, timeout: Duration) -> Self {
        self.store_timeout = timeout;
        self
    }

    /// How soon a cache whose [store](Self::store) refused it the lease (another
    /// replica is refreshing from Jumio) looks at the store again for the
    /// new catalogue, serving its own meanwhile (default 1 s).
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client)
    ///     .store_poll(std::time::Duration::from_millis(500))
    ///     .build();
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn store_poll(mut self, interval: Duration) -> Self {
        self.store_poll = interval;
        self
    }

    /// Builds the cache, reading the store if it can be read at once (a
    /// [`FileStore`], synchronously: this is start-up work; a network store
    /// is read at the first refresh). A missing file is normal; a corrupt,
    /// truncated or unreadable one, or one holding the other list, is logged
    /// as a warning and ignored. Nothing is fetched until the first
    /// [`get`](CachedCatalogue::get).
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s").user_agent("Acme KYC/1.0").build()?;
    /// let cache: netverify::CachedCatalogue =
    ///     netverify::CachedCatalogue::accepted_builder(client).build();
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn build(self) -> CachedCatalogue {
        let stored = (self.store.as_ref()).and_then(|store| store.load_at_start(self.operation));
        CachedCatalogue::new(self, stored)
    }
}

/// Where a cache's catalogues come from.
#[derive(Debug)]
pub(super) enum Source {
    /// Jumio, through this client.
    Jumio(Client),
    /// Always this catalogue ([`CachedCatalogue::fixed`]).
    Fixed(Arc<Catalogue>),
}
