//! A catalogue cache a service can lean on: stale-while-revalidate,
//! stale-if-error, one refresh at a time, backoff after failures, an optional
//! last-known-good file, and change events.
//!
//! The design: the good catalogue in an `ArcSwap` (read by every `get`
//! without a lock), one async mutex held by the refresh that runs (waiting
//! for a refresh is waiting for that mutex), and a count of the refreshes
//! that ended, so a waiter can tell an ended refresh from a dropped one.

mod builder;
mod change;
mod status;
mod store;

pub use builder::CachedCatalogueBuilder;
use builder::Source;
pub use change::CatalogueChange;
pub use status::CacheStatus;
pub use store::{CatalogueStore, FileStore, StoreError, StoreFuture};

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use arc_swap::ArcSwapOption;
use chrono::{DateTime, Utc};
use netverify_api::Operation;
use tokio::sync::{OwnedMutexGuard, broadcast};
use tokio::time::Instant;

use crate::catalogue::Catalogue;
use crate::client::{Client, runtime};
use crate::error::Error;
use crate::retry::exponential_backoff;

/// How many change events a subscriber may fall behind before it misses some
/// (it then receives [`broadcast::error::RecvError::Lagged`]).
const CHANGE_CHANNEL_CAPACITY: usize = 16;

/// How long a backoff beyond the clock's range (a `Retry-After` years ahead)
/// lasts.
const YEAR: Duration = Duration::from_secs(365 * 86_400);

/// A catalogue fetched once and then served from memory, refreshed in the
/// background, and served stale when Jumio cannot be reached.
///
/// * **Stale-while-revalidate.** Within the time to live (TTL), [`get`]
///   returns the cached catalogue; after it, it returns the same catalogue at
///   once and starts one background refresh. A `get` waits only when the
///   cache holds nothing servable (nothing fetched yet, [`invalidate`]d, or
///   older than TTL + max staleness, a persisted one included) and no backoff
///   holds the next refresh; callers arriving meanwhile share that one
///   request and its outcome, success or error.
/// * **Stale-if-error.** When refreshes fail, the last good catalogue is
///   served until it is [`max_staleness`] past its TTL (default 24 h); after
///   that, `get` returns the error. Each failure is logged as a `tracing`
///   warning and shows in [`status`].
/// * **Backoff.** After a failed refresh, the next one starts no sooner than
///   the backoff (1 s, doubling up to 5 min by default) or the server's
///   `Retry-After`, whichever is longer, however often `get` is called; in
///   that window a `get` with nothing servable returns the last error at once.
///   [`refresh`] ignores the backoff.
/// * **Last known good on disk** (opt-in, [`persist_to`]): every new good
///   catalogue is written to a file atomically, in the API's JSON shape, and
///   the file is read when the cache is built, so a service restarted while
///   Jumio is down still answers; the catalogue's age is counted from the
///   file's `timestamp`. A corrupt, truncated or unreadable file is logged and
///   ignored, and only catalogues that decoded are ever written.
/// * **A store** (opt-in, [`store`]): where the last good catalogue lives
///   besides memory. With a [`FileStore`] (what [`persist_to`] sets), every
///   guarantee here holds for one process, and a restart reads the file.
///   With a store the replicas of a service share (`netverify-redis`), they
///   hold too, per replica, and: a refresh first looks in the store, and
///   takes a catalogue newer than its own from it (its age counted from its
///   `timestamp`, so every replica's TTL ends at once); only the holder of
///   the store's lease asks Jumio, while the others serve what they have
///   and look again after [`store_poll`]; a replica with nothing to serve,
///   or whose store fails or exceeds [`store_timeout`], asks Jumio itself.
///   A warm `get` never calls the store.
/// * **Changes.** [`subscribe`] returns a receiver of [`CatalogueChange`]s,
///   sent when a refresh brings a catalogue whose entries differ from the
///   previous one. The first time an ID type unknown to this crate appears,
///   one warning is logged for it.
/// * **Sharing.** Clones share everything (the catalogue, the refresh, the
///   subscribers). The cache can be used from many tasks and from several
///   Tokio runtimes at once.
///
/// Refreshes run as tasks spawned on the Tokio runtime of the caller that
/// starts them, so a caller that gives up waiting (a timeout) does not cancel
/// the refresh it shares. A refresh that its runtime drops (a runtime shut
/// down mid-refresh) counts as not done: a caller waiting for it, or the next
/// one, starts another. The cache, like the [`Client`], needs a Tokio
/// runtime: outside one, a `get` that must refresh, and every `refresh`,
/// return [`Error::Runtime`] (a `get` served from memory within the TTL
/// needs none).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = netverify_mock::MockServer::builder().start().await?;
/// # let client = netverify::Client::builder()
/// #     .base_url(sandbox.base_url())
/// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
/// #     .user_agent("Acme KYC/1.0")
/// #     .build()?;
/// use std::time::Duration;
/// let supported = netverify::CachedCatalogue::supported_builder(client)
///     .ttl(Duration::from_secs(3600))
///     .max_staleness(Duration::from_secs(24 * 3600))
///     .build();
/// let catalogue = supported.get().await?; // an Arc<Catalogue>
/// assert!(!catalogue.is_empty());
/// # Ok(()) }
/// ```
///
/// [`get`]: CachedCatalogue::get
/// [`invalidate`]: CachedCatalogue::invalidate
/// [`refresh`]: CachedCatalogue::refresh
/// [`status`]: CachedCatalogue::status
/// [`subscribe`]: CachedCatalogue::subscribe
/// [`max_staleness`]: CachedCatalogueBuilder::max_staleness
/// [`persist_to`]: CachedCatalogueBuilder::persist_to
/// [`store`]: CachedCatalogueBuilder::store
/// [`store_poll`]: CachedCatalogueBuilder::store_poll
/// [`store_timeout`]: CachedCatalogueBuilder::store_timeout
#[derive(Clone)]
pub struct CachedCatalogue {
    shared: Arc<Shared>,
}

struct Shared {
    config: CachedCatalogueBuilder,
    /// TTL + max staleness: a catalogue younger than this is served.
    serve_limit: Duration,
    /// The last good catalogue.
    good: ArcSwapOption<Good>,
    /// Held by the one refresh that runs, from its start to its end.
    running: Arc<tokio::sync::Mutex<()>>,
    history: Mutex<History>,
    changes: broadcast::Sender<CatalogueChange>,
}

/// A good catalogue and how old it is.
struct Good {
    catalogue: Arc<Catalogue>,
    /// When this process got it (the tokio clock, so paused-clock tests work).
    obtained_at: Instant,
    /// Its age at `obtained_at`: zero from the network, counted from the
    /// catalogue's timestamp when loaded from the file.
    age_when_obtained: Duration,
    /// When its TTL ends (far in the future for a TTL beyond the clock's
    /// range): a warm `get` compares two instants.
    fresh_until: Instant,
}

impl Good {
    fn new(catalogue: Arc<Catalogue>, age_when_obtained: Duration, ttl: Duration) -> Arc<Good> {
        let obtained_at = Instant::now();
        let fresh_for = ttl.saturating_sub(age_when_obtained);
        Arc::new(Good {
            catalogue,
            obtained_at,
            age_when_obtained,
            fresh_until: obtained_at
                .checked_add(fresh_for)
                .unwrap_or(obtained_at + YEAR * 100),
        })
    }

    fn age(&self, now: Instant) -> Duration {
        self.age_when_obtained + now.saturating_duration_since(self.obtained_at)
    }
}

/// What the refreshes have done.
#[derive(Default)]
struct History {
    /// Refreshes that ended (not dropped): a waiter compares it before and
    /// after its wait.
    ended: u64,
    /// The last refresh's error; `None` once one succeeds.
    last_error: Option<Error>,
    last_success: Option<DateTime<Utc>>,
    failures: u32,
    /// No refresh starts on its own before this: the backoff after a
    /// failure, or the wait for another replica's refresh.
    not_before: Option<Instant>,
    /// The last store call's failure; `None` once one succeeds.
    store_error: Option<StoreError>,
    unknown_seen: HashSet<String>,
}

impl History {
    /// The last error, while the backoff after it holds the next refresh.
    fn backoff_error(&self, now: Instant) -> Option<&Error> {
        self.not_before
            .filter(|&at| now < at)
            .and(self.last_error.as_ref())
    }

    /// Logs one warning per unknown ID type value, the first time this cache
    /// sees it.
    fn note_unknown_id_types(&mut self, operation: Operation, catalogue: &Catalogue) {
        for id_type in catalogue.id_types() {
            if id_type.is_unknown() && self.unknown_seen.insert(id_type.as_str().to_owned()) {
                tracing::warn!(
                    list = operation.operation_id(),
                    id_type = id_type.as_str(),
                    "the catalogue lists an ID type this version of netverify does not know; \
                     it is kept as IdType::Unknown (a newer netverify may know it)"
                );
            }
        }
    }
}

impl CachedCatalogue {
    /// Caches [`Client::supported_id_types`] with this TTL and the other
    /// defaults of [`CachedCatalogueBuilder`].
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s")
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// use std::time::Duration;
    /// let cache = netverify::CachedCatalogue::supported(client, Duration::from_secs(3600));
    /// assert_eq!(cache.ttl(), Duration::from_secs(3600));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn supported(client: Client, ttl: Duration) -> Self {
        CachedCatalogue::supported_builder(client).ttl(ttl).build()
    }

    /// Caches [`Client::accepted_id_types`] with this TTL and the other
    /// defaults of [`CachedCatalogueBuilder`].
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s")
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// use std::time::Duration;
    /// let cache = netverify::CachedCatalogue::accepted(client, Duration::from_secs(600));
    /// assert_eq!(cache.ttl(), Duration::from_secs(600));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn accepted(client: Client, ttl: Duration) -> Self {
        CachedCatalogue::accepted_builder(client).ttl(ttl).build()
    }

    /// A builder for a cache of [`Client::supported_id_types`].
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s")
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// assert_eq!(cache.ttl(), std::time::Duration::from_secs(3600)); // the default
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn supported_builder(client: Client) -> CachedCatalogueBuilder {
        CachedCatalogueBuilder::new(Source::Jumio(client), Operation::SupportedIdTypes)
    }

    /// A builder for a cache of [`Client::accepted_id_types`].
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s")
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::accepted_builder(client).build();
    /// assert!(cache.status().age().is_none());
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn accepted_builder(client: Client) -> CachedCatalogueBuilder {
        CachedCatalogueBuilder::new(Source::Jumio(client), Operation::AcceptedIdTypes)
    }

    /// A cache that always holds `catalogue` and never calls Jumio: for the
    /// tests of code that takes a `CachedCatalogue` (a handler, say), with
    /// no server. Its list is `catalogue`'s
    /// [`endpoint`](Catalogue::endpoint); its TTL never ends, and [`refresh`]
    /// returns the same catalogue.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use netverify::{CachedCatalogue, Catalogue, CountryCode, IdType};
    /// let catalogue = Catalogue::from_json(br#"{"timestamp":"2026-12-01T00:00:00.000Z",
    ///     "acceptedIdTypes":[{"countryCode":"NLD","countryName":"Netherlands",
    ///     "idTypes":[{"idType":"PASSPORT","acquisitionConfig":{"backSide":false}}]}]}"#)?;
    /// let cache = CachedCatalogue::fixed(catalogue);
    /// let served = cache.get().await?;
    /// assert!(served.contains(CountryCode::new("NLD")?, &IdType::Passport));
    /// # Ok(()) }
    /// ```
    ///
    /// [`refresh`]: CachedCatalogue::refresh
    pub fn fixed(catalogue: Catalogue) -> Self {
        let operation = catalogue.endpoint();
        let catalogue = Arc::new(catalogue);
        let config = CachedCatalogueBuilder::new(Source::Fixed(catalogue.clone()), operation)
            .ttl(Duration::MAX)
            .max_staleness(Duration::ZERO);
        CachedCatalogue::new(config, Some(Catalogue::clone(&catalogue)))
    }

    /// Waits until the cache can serve, or until `within` has passed,
    /// whichever comes first, and returns its status either way: for a
    /// service's start-up or readiness probe, so that it reports "not ready"
    /// instead of answering with errors. Failed refreshes are retried as
    /// the backoff allows until then.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = netverify_mock::MockServer::builder().start().await?;
    /// # let client = netverify::Client::builder().base_url(sandbox.base_url())
    /// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// let status = cache.warm_up(std::time::Duration::from_secs(10)).await;
    /// if !status.is_servable() {
    ///     eprintln!("not ready: {:?}", status.last_error());
    /// }
    /// # assert!(status.is_servable());
    /// # Ok(()) }
    /// ```
    pub async fn warm_up(&self, within: Duration) -> CacheStatus {
        if runtime().is_err() {
            return self.status();
        }
        let now = Instant::now();
        let deadline = now.checked_add(within).unwrap_or(now + YEAR);
        loop {
            match tokio::time::timeout_at(deadline, self.get()).await {
                Ok(Err(_)) => {
                    // Until the backoff lets the next refresh start.
                    let next = self.shared.history().not_before;
                    tokio::time::sleep_until(next.map_or(Instant::now(), |at| at.min(deadline)))
                        .await;
                    if Instant::now() >= deadline {
                        return self.status();
                    }
                }
                _ => return self.status(),
            }
        }
    }

    /// The time to live.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s")
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// # use std::time::Duration;
    /// let cache = netverify::CachedCatalogue::supported(client, Duration::from_secs(60));
    /// assert_eq!(cache.ttl(), Duration::from_secs(60));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn ttl(&self) -> Duration {
        self.shared.config.ttl
    }

    /// The cached catalogue.
    ///
    /// Within the TTL, the cached catalogue; after it, still the cached
    /// catalogue, at once, while one background refresh starts (unless one
    /// runs or the backoff after a failure has not passed). Past TTL + max
    /// staleness, or with nothing cached, the caller waits for a refresh
    /// (shared with every caller arriving meanwhile) and gets its outcome;
    /// during the backoff after a failure it gets that failure at once.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = netverify_mock::MockServer::builder().start().await?;
    /// # let client = netverify::Client::builder().base_url(sandbox.base_url())
    /// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// let first = cache.get().await?; // fetches
    /// let again = cache.get().await?; // from memory
    /// assert!(std::sync::Arc::ptr_eq(&first, &again));
    /// # Ok(()) }
    /// ```
    /// The cached catalogue.
    ///
    /// Within the TTL, the cached catalogue; after it, still the cached
    /// catalogue, at once, while one background refresh starts (unless one
    /// runs or the backoff after a failure has not passed). With nothing
    /// servable (nothing cached, or older than TTL + max staleness), the
    /// caller waits for a refresh (shared with every caller arriving
    /// meanwhile) and gets its outcome; during the backoff after a failure it
    /// gets that failure at once.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = netverify_mock::MockServer::builder().start().await?;
    /// # let client = netverify::Client::builder().base_url(sandbox.base_url())
    /// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// let first = cache.get().await?; // fetches
    /// let again = cache.get().await?; // from memory
    /// assert!(std::sync::Arc::ptr_eq(&first, &again));
    /// # Ok(()) }
    /// ```
    pub async fn get(&self) -> Result<Arc<Catalogue>, Error> {
        match self.shared.fresh() {
            Some(catalogue) => Ok(catalogue),
            None => self.shared.get_not_fresh().await,
        }
    }

    /// Refreshes now, whatever the TTL and the backoff, and returns the
    /// outcome; joins a refresh that is already running. A failure leaves
    /// the cached catalogue in place (still served within max staleness).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = netverify_mock::MockServer::builder().start().await?;
    /// # let client = netverify::Client::builder().base_url(sandbox.base_url())
    /// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// cache.get().await?;
    /// let fresh = cache.refresh().await?;
    /// assert_eq!(sandbox.request_count(), 2);
    /// # Ok(()) }
    /// ```
    pub async fn refresh(&self) -> Result<Arc<Catalogue>, Error> {
        self.shared.wait_for_refresh(true).await
    }

    /// Drops the cached catalogue and the backoff: the next [`get`] waits
    /// for a fresh one. The persisted file is kept.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = netverify_mock::MockServer::builder().start().await?;
    /// # let client = netverify::Client::builder().base_url(sandbox.base_url())
    /// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// cache.get().await?;
    /// cache.invalidate();
    /// assert_eq!(cache.status().age(), None);
    /// cache.get().await?; // fetched again
    /// assert_eq!(sandbox.request_count(), 2);
    /// # Ok(()) }
    /// ```
    ///
    /// [`get`]: CachedCatalogue::get
    pub fn invalidate(&self) {
        let mut history = self.shared.history();
        self.shared.good.store(None);
        history.not_before = None;
        history.failures = 0;
    }

    /// Subscribes to [`CatalogueChange`]s: one per refresh that brings a
    /// catalogue whose entries differ from the previous one (the persisted
    /// one included), none for the first catalogue. A `tokio::sync::broadcast`
    /// channel holding 16 events: a receiver that falls further behind gets
    /// `RecvError::Lagged` once, then the newer events, and can call
    /// [`get`](CachedCatalogue::get) for the current catalogue.
    ///
    /// ```
    /// # let client = netverify::Client::builder().credentials("t", "s")
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// let mut changes = cache.subscribe();
    /// assert!(changes.try_recv().is_err()); // nothing changed yet
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn subscribe(&self) -> broadcast::Receiver<CatalogueChange> {
        self.shared.changes.subscribe()
    }

    /// The cached catalogue's age and the refreshes' recent history.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = netverify_mock::MockServer::builder().start().await?;
    /// # let client = netverify::Client::builder().base_url(sandbox.base_url())
    /// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
    /// #     .user_agent("Acme KYC/1.0").build()?;
    /// let cache = netverify::CachedCatalogue::supported_builder(client).build();
    /// cache.get().await?;
    /// let status = cache.status();
    /// assert!(status.is_servable() && status.last_success().is_some());
    /// assert_eq!(status.consecutive_failures(), 0);
    /// # Ok(()) }
    /// ```
    pub fn status(&self) -> CacheStatus {
        let shared = &self.shared;
        let history = shared.history();
        let age = shared
            .good
            .load()
            .as_ref()
            .map(|good| good.age(Instant::now()));
        CacheStatus {
            age,
            servable: age.is_some_and(|age| age < shared.serve_limit),
            last_success: history.last_success,
            last_error: history.last_error.clone(),
            consecutive_failures: history.failures,
            refreshing: shared.running.try_lock().is_err(),
            store_error: history.store_error.clone(),
        }
    }

    /// The cache of `config`, holding `persisted` (read from its file) if
    /// there is one.
    fn new(config: CachedCatalogueBuilder, persisted: Option<Catalogue>) -> Self {
        let (changes, _) = broadcast::channel(CHANGE_CHANNEL_CAPACITY);
        let shared = Shared {
            serve_limit: config.ttl.saturating_add(config.max_staleness),
            config,
            good: ArcSwapOption::empty(),
            running: Arc::default(),
            history: Mutex::default(),
            changes,
        };
        if let Some(catalogue) = persisted {
            let age = (Utc::now() - catalogue.timestamp())
                .to_std()
                .unwrap_or(Duration::ZERO);
            if age >= shared.serve_limit {
                tracing::warn!(
                    list = shared.config.operation.operation_id(),
                    store = ?shared.config.store,
                    age_secs = age.as_secs(),
                    "the persisted catalogue is older than TTL + max staleness: \
                     kept only to compare the next catalogue with, never served"
                );
            }
            let catalogue = Arc::new(catalogue);
            shared
                .history()
                .note_unknown_id_types(shared.config.operation, &catalogue);
            shared
                .good
                .store(Some(Good::new(catalogue, age, shared.config.ttl)));
        }
        CachedCatalogue {
            shared: Arc::new(shared),
        }
    }
}

impl Shared {
    fn history(&self) -> MutexGuard<'_, History> {
        // Every update under the lock is complete before anything that can
        // panic, so a poisoned lock still holds consistent state.
        self.history.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The catalogue, if it is within its TTL: the whole of a warm `get`.
    #[inline]
    fn fresh(&self) -> Option<Arc<Catalogue>> {
        let good = self.good.load();
        let good = good.as_ref()?;
        (Instant::now() < good.fresh_until).then(|| good.catalogue.clone())
    }

    /// The rest of `get`: a stale catalogue and a background refresh, or a
    /// wait for a refresh.
    async fn get_not_fresh(self: &Arc<Self>) -> Result<Arc<Catalogue>, Error> {
        if let Some(good) = &*self.good.load()
            && good.age(Instant::now()) < self.serve_limit
        {
            tracing::debug!(
                name: crate::tracing_names::CACHE_STALE_SERVED,
                list = self.config.operation.operation_id(),
                age_secs = good.age(Instant::now()).as_secs(),
                "serving a catalogue past its TTL while it is refreshed"
            );
            self.start_in_background()?;
            return Ok(good.catalogue.clone());
        }
        self.wait_for_refresh(false).await
    }

    /// Starts a refresh that nobody waits for, unless one runs or the
    /// backoff holds it.
    fn start_in_background(self: &Arc<Self>) -> Result<(), Error> {
        let Ok(running) = self.running.clone().try_lock_owned() else {
            return Ok(());
        };
        if (self.history().not_before).is_some_and(|at| Instant::now() < at) {
            return Ok(());
        }
        self.spawn(running)
    }

    /// Waits for a refresh and returns its outcome: the one that runs, or
    /// one it starts. A `get` (`forced` false) is served a catalogue that
    /// became servable meanwhile, and during the backoff the last error.
    async fn wait_for_refresh(self: &Arc<Self>, forced: bool) -> Result<Arc<Catalogue>, Error> {
        loop {
            let ended = {
                let history = self.history();
                let now = Instant::now();
                if !forced
                    && let Some(good) = &*self.good.load()
                    && good.age(now) < self.serve_limit
                {
                    return Ok(good.catalogue.clone());
                }
                let ended = history.ended;
                if let Ok(running) = self.running.clone().try_lock_owned() {
                    // None runs: start one, or during the backoff answer
                    // with the failure that set it.
                    if let (false, Some(error)) = (forced, history.backoff_error(now)) {
                        return Err(error.clone());
                    }
                    drop(history);
                    self.spawn(running)?;
                }
                ended
            };
            let _ended_or_dropped = self.running.lock().await;
            let history = self.history();
            if history.ended == ended {
                continue; // dropped unfinished (its runtime shut down)
            }
            let good = self.good.load();
            let servable =
                (good.as_ref()).filter(|good| good.age(Instant::now()) < self.serve_limit);
            match (&history.last_error, servable) {
                // A get is served what it can be, even after a failure.
                (Some(error), _) if forced => return Err(error.clone()),
                (_, Some(good)) => return Ok(good.catalogue.clone()),
                (Some(error), None) => return Err(error.clone()),
                (None, None) => continue, // invalidated meanwhile
            }
        }
    }

    fn spawn(self: &Arc<Self>, running: OwnedMutexGuard<()>) -> Result<(), Error> {
        runtime()?.spawn(self.clone().run(running));
        Ok(())
    }

    /// One refresh, from the request to the published outcome. Dropped
    /// unfinished, it publishes nothing and lets the next caller start one.
    async fn run(self: Arc<Self>, _running: OwnedMutexGuard<()>) {
        if let Some(store) = &self.config.store
            && self.refreshed_from(store.as_ref()).await
        {
            return;
        }
        let fetched = match &self.config.source {
            Source::Jumio(client) => client.call(self.config.operation).await,
            Source::Fixed(catalogue) => Ok(Catalogue::clone(catalogue)),
        };
        match fetched {
            Ok(catalogue) => {
                let catalogue = Arc::new(catalogue);
                if let Some(store) = &self.config.store {
                    self.save(store.as_ref(), &catalogue).await;
                }
                self.succeeded(catalogue, Duration::ZERO);
            }
            Err(error) => self.failed(error),
        }
    }

    /// The store's part of a refresh: takes a newer catalogue from it, writes
    /// ours back when the store lacks it, and asks for the lease. `true` when
    /// that ends the refresh: the store had a catalogue within its TTL, or
    /// another replica holds the lease while this cache has one to serve.
    async fn refreshed_from(&self, store: &dyn CatalogueStore) -> bool {
        let list = self.config.operation;
        let ours = self.good.load_full();
        match self.store_call(store.load(list)).await {
            Some(Some(stored))
                if (ours.as_ref())
                    .is_none_or(|ours| stored.timestamp() > ours.catalogue.timestamp()) =>
            {
                let age = (Utc::now() - stored.timestamp())
                    .to_std()
                    .unwrap_or_default();
                if age < self.config.ttl {
                    self.succeeded(Arc::new(stored), age);
                    return true;
                }
                self.install(Arc::new(stored), age);
            }
            // The store lacks what this cache holds (it was down, or empty).
            Some(_) => {
                if let Some(ours) = ours {
                    self.save(store, &ours.catalogue).await;
                }
            }
            None => {}
        }
        if self.has_servable()
            && self.store_call(store.lease(list, self.config.ttl)).await == Some(false)
        {
            let mut history = self.history();
            history.ended += 1;
            history.not_before = Some(Instant::now() + self.config.store_poll);
            return true;
        }
        false
    }

    /// Whether the cache holds a catalogue it may serve now.
    fn has_servable(&self) -> bool {
        (self.good.load().as_ref()).is_some_and(|good| good.age(Instant::now()) < self.serve_limit)
    }

    /// A store call bounded by the store timeout; `None`, logged and kept
    /// for `status()`, when it fails or is late.
    async fn store_call<T>(&self, call: StoreFuture<'_, T>) -> Option<T> {
        let outcome = match tokio::time::timeout(self.config.store_timeout, call).await {
            Ok(outcome) => outcome,
            Err(_) => Err(StoreError::new(format_args!(
                "no answer within the store timeout of {:?}",
                self.config.store_timeout
            ))),
        };
        let mut history = self.history();
        match outcome {
            Ok(value) => {
                history.store_error = None;
                Some(value)
            }
            Err(error) => {
                tracing::warn!(
                    name: crate::tracing_names::CACHE_STORE_FAILED,
                    list = self.config.operation.operation_id(),
                    error = %error,
                    "the catalogue store failed; going on without it"
                );
                history.store_error = Some(error);
                None
            }
        }
    }

    async fn save(&self, store: &dyn CatalogueStore, catalogue: &Arc<Catalogue>) {
        self.store_call(store.save(self.config.operation, catalogue.clone()))
            .await;
    }

    /// A refresh brought `catalogue`, `age` old.
    fn succeeded(&self, catalogue: Arc<Catalogue>, age: Duration) {
        {
            let mut history = self.history();
            history.ended += 1;
            history.last_success = Some(Utc::now());
            history.last_error = None;
            history.failures = 0;
            history.not_before = None;
        }
        tracing::info!(
            name: crate::tracing_names::CACHE_REFRESHED,
            list = self.config.operation.operation_id(),
            age_secs = age.as_secs(),
            "catalogue refreshed"
        );
        self.install(catalogue, age);
    }

    /// Serves `catalogue` from now on, and tells subscribers what changed.
    fn install(&self, catalogue: Arc<Catalogue>, age: Duration) {
        let previous = {
            let mut history = self.history();
            history.note_unknown_id_types(self.config.operation, &catalogue);
            (self.good).swap(Some(Good::new(catalogue.clone(), age, self.config.ttl)))
        };
        if let Some(previous) = previous {
            let diff = previous.catalogue.diff(&catalogue);
            if !diff.is_empty() {
                // No subscriber is not an error.
                let _ = self.changes.send(CatalogueChange {
                    previous: previous.catalogue.clone(),
                    current: catalogue,
                    diff,
                });
            }
        }
    }

    fn failed(&self, error: Error) {
        let now = Instant::now();
        let mut history = self.history();
        history.ended += 1;
        history.failures = history.failures.saturating_add(1);
        let backoff = exponential_backoff(
            self.config.min_backoff,
            self.config.max_backoff,
            history.failures,
        );
        let backoff = error
            .retry_after()
            .map_or(backoff, |asked| asked.max(backoff));
        history.not_before = Some(now.checked_add(backoff).unwrap_or(now + YEAR));
        let age = self.good.load().as_ref().map(|good| good.age(now));
        let serving = age.is_some_and(|age| age < self.serve_limit);
        tracing::warn!(
            name: crate::tracing_names::CACHE_REFRESH_FAILED,
            list = self.config.operation.operation_id(),
            error.type = error.kind().as_str(),
            error = %error,
            consecutive_failures = history.failures,
            retry_in_ms = backoff.as_millis() as u64,
            cached_age_secs = age.map(|age| age.as_secs()),
            serving_stale = serving,
            "catalogue refresh failed; {}",
            if serving {
                "serving the last good catalogue"
            } else {
                "no catalogue young enough to serve"
            }
        );
        history.last_error = Some(error);
    }
}

impl fmt::Debug for CachedCatalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("CachedCatalogue")
            .field("list", &shared.config.operation.operation_id())
            .field("ttl", &shared.config.ttl)
            .field("max_staleness", &shared.config.max_staleness)
            .field("store", &shared.config.store)
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}
