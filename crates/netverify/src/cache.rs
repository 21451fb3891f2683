//! A catalogue cache a service can lean on: stale-while-revalidate,
//! stale-if-error, one refresh at a time, backoff after failures, an optional
//! last-known-good file, and change events.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use arc_swap::ArcSwapOption;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, broadcast};
use tokio::time::Instant;

use crate::catalogue::Catalogue;
use crate::client::Client;
use crate::diff::CatalogueDiff;
use crate::error::Error;
use netverify_api::Operation;

/// How many change events a subscriber may fall behind before it misses some
/// (it then receives [`broadcast::error::RecvError::Lagged`]).
const CHANGE_CHANNEL_CAPACITY: usize = 16;

/// A catalogue fetched once and then served from memory, refreshed in the
/// background, and served stale when Jumio cannot be reached.
///
/// * **Stale-while-revalidate.** Once the cache holds a catalogue, [`get`]
///   never waits on the network: within the time to live (TTL) it returns the
///   catalogue; after it, it returns the same catalogue at once and starts
///   one background refresh. Only a `get` with nothing servable cached (the
///   very first one, say) waits, and callers arriving meanwhile share that one
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
/// * **Changes.** [`subscribe`] returns a receiver of [`CatalogueChange`]s,
///   sent when a refresh brings a catalogue whose entries differ from the
///   previous one. The first time an ID type unknown to this crate appears,
///   one warning is logged for it.
/// * **Sharing.** Clones share everything (the catalogue, the refresh, the
///   subscribers). The cache can be used from many tasks and from several
///   Tokio runtimes at once.
///
/// Background refreshes run as tasks spawned on the Tokio runtime of the
/// `get` that starts them. A refresh that its runtime drops (a runtime shut
/// down mid-refresh) counts as not done: the next caller starts another. With
/// no Tokio runtime at all (another executor), the caller that starts a
/// refresh runs it itself, and so waits for it.
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
/// [`refresh`]: CachedCatalogue::refresh
/// [`status`]: CachedCatalogue::status
/// [`subscribe`]: CachedCatalogue::subscribe
/// [`max_staleness`]: CachedCatalogueBuilder::max_staleness
/// [`persist_to`]: CachedCatalogueBuilder::persist_to
#[derive(Clone)]
pub struct CachedCatalogue {
    shared: Arc<Shared>,
}

struct Shared {
    client: Client,
    operation: Operation,
    ttl: Duration,
    max_staleness: Duration,
    /// TTL + max staleness: a catalogue younger than this is served.
    serve_limit: Duration,
    min_backoff: Duration,
    max_backoff: Duration,
    persist_path: Option<PathBuf>,
    /// Copies of `Control::in_flight` and `Control::not_before` (in
    /// nanoseconds since `base`, 0 for none), written under the lock and read
    /// without it, so that serving a stale catalogue while a refresh runs or
    /// during the backoff takes no lock at all. Only a caller that finds a
    /// refresh may start takes the control lock, where the decision is made
    /// again.
    in_flight_hint: AtomicBool,
    not_before_hint: AtomicU64,
    base: Instant,
    /// The last good catalogue; read on every `get` without a lock (and
    /// without touching `Good`'s reference count), written by refreshes.
    value: ArcSwapOption<Good>,
    control: Mutex<Control>,
    /// Woken when a refresh ends (or is dropped).
    done: Notify,
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
    /// When the TTL ends (`None`: beyond what the clock can represent), so
    /// that the fast path compares two instants instead of subtracting.
    fresh_until: Option<Instant>,
}

impl Good {
    fn new(catalogue: Arc<Catalogue>, age_when_obtained: Duration, ttl: Duration) -> Good {
        let obtained_at = Instant::now();
        Good {
            catalogue,
            obtained_at,
            age_when_obtained,
            fresh_until: obtained_at.checked_add(ttl.saturating_sub(age_when_obtained)),
        }
    }

    fn age(&self, now: Instant) -> Duration {
        self.age_when_obtained + now.saturating_duration_since(self.obtained_at)
    }
}

#[derive(Default)]
struct Control {
    in_flight: bool,
    /// Refreshes ended, dropped ones included; a waiter waits for this to
    /// pass the number it was given.
    ended: u64,
    /// The outcome of refresh number `ended`; `None` when it was dropped.
    last_outcome: Option<Result<Arc<Catalogue>, Error>>,
    last_error: Option<Error>,
    last_success: Option<DateTime<Utc>>,
    failures: u32,
    /// No refresh starts on its own before this (backoff after failures).
    not_before: Option<Instant>,
    unknown_seen: HashSet<String>,
}

impl Control {
    fn may_start(&self, now: Instant) -> bool {
        !self.in_flight && self.not_before.is_none_or(|at| now >= at)
    }
}

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
    client: Client,
    operation: Operation,
    ttl: Duration,
    max_staleness: Duration,
    min_backoff: Duration,
    max_backoff: Duration,
    persist_path: Option<PathBuf>,
}

impl CachedCatalogueBuilder {
    fn new(client: Client, operation: Operation) -> Self {
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
    /// API's JSON shape (`Catalogue::from_json` reads it).
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
        let (changes, _) = broadcast::channel(CHANGE_CHANNEL_CAPACITY);
        let shared = Arc::new(Shared {
            client: self.client,
            operation: self.operation,
            ttl: self.ttl,
            max_staleness: self.max_staleness,
            serve_limit: self.ttl.saturating_add(self.max_staleness),
            min_backoff: self.min_backoff,
            max_backoff: self.max_backoff,
            persist_path: self.persist_path,
            in_flight_hint: AtomicBool::new(false),
            not_before_hint: AtomicU64::new(0),
            base: Instant::now(),
            value: ArcSwapOption::empty(),
            control: Mutex::new(Control::default()),
            done: Notify::new(),
            changes,
        });
        if let Some(path) = &shared.persist_path
            && let Some(catalogue) = load_persisted(path, shared.operation)
        {
            let age = (Utc::now() - catalogue.timestamp())
                .to_std()
                .unwrap_or(Duration::ZERO);
            if age >= shared.serve_limit {
                tracing::warn!(
                    list = shared.operation.operation_id(),
                    path = %path.display(),
                    age_secs = age.as_secs(),
                    "the persisted catalogue is older than TTL + max staleness: \
                     kept only to compare the next catalogue with, never served"
                );
            }
            let catalogue = Arc::new(catalogue);
            shared.note_unknown_id_types(&mut shared.lock_control(), &catalogue);
            shared
                .value
                .store(Some(Arc::new(Good::new(catalogue, age, shared.ttl))));
        }
        CachedCatalogue { shared }
    }
}

/// A refresh brought a catalogue whose entries differ from the previous one;
/// from [`CachedCatalogue::subscribe`].
///
/// ```
/// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = netverify_mock::MockServer::builder().start().await?;
/// # let client = netverify::Client::builder().base_url(sandbox.base_url())
/// #     .credentials(netverify_mock::DEFAULT_TOKEN, netverify_mock::DEFAULT_SECRET)
/// #     .user_agent("Acme KYC/1.0").build()?;
/// let cache = netverify::CachedCatalogue::supported_builder(client).build();
/// let mut changes = cache.subscribe();
/// tokio::spawn(async move {
///     while let Ok(change) = changes.recv().await {
///         for added in &change.diff().only_in_right {
///             println!("Jumio now supports {} {}", added.country_code, added.id_type);
///         }
///     }
/// });
/// # cache.get().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CatalogueChange {
    previous: Arc<Catalogue>,
    current: Arc<Catalogue>,
    diff: CatalogueDiff,
}

impl CatalogueChange {
    /// The catalogue served before the refresh.
    ///
    /// ```
    /// # fn on_change(change: &netverify::CatalogueChange) {
    /// let before = change.previous().len();
    /// let after = change.current().len();
    /// println!("{before} countries before, {after} now");
    /// # }
    /// ```
    pub fn previous(&self) -> &Arc<Catalogue> {
        &self.previous
    }

    /// The catalogue served from now on.
    ///
    /// ```
    /// # fn on_change(change: &netverify::CatalogueChange) {
    /// println!("the catalogue of {}", change.current().timestamp());
    /// # }
    /// ```
    pub fn current(&self) -> &Arc<Catalogue> {
        &self.current
    }

    /// `previous.diff(&current)`: `only_in_right` was added,
    /// `only_in_left` removed.
    ///
    /// ```
    /// # fn on_change(change: &netverify::CatalogueChange) {
    /// for removed in &change.diff().only_in_left {
    ///     println!("no longer offered: {} {}", removed.country_code, removed.id_type);
    /// }
    /// # }
    /// ```
    pub fn diff(&self) -> &CatalogueDiff {
        &self.diff
    }
}

/// What a [`CachedCatalogue`] holds and how its refreshes went; from
/// [`CachedCatalogue::status`].
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
    age: Option<Duration>,
    servable: bool,
    last_success: Option<DateTime<Utc>>,
    last_error: Option<Error>,
    consecutive_failures: u32,
    refreshing: bool,
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

    /// Whether [`CachedCatalogue::get`] would return the cached catalogue
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
        CachedCatalogueBuilder::new(client, Operation::SupportedIdTypes)
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
        CachedCatalogueBuilder::new(client, Operation::AcceptedIdTypes)
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
        self.shared.ttl
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
    pub async fn get(&self) -> Result<Arc<Catalogue>, Error> {
        if let Some(catalogue) = self.shared.served_from_memory() {
            return Ok(catalogue);
        }
        self.get_slow().await
    }

    async fn get_slow(&self) -> Result<Arc<Catalogue>, Error> {
        let shared = &self.shared;
        loop {
            let step = {
                let mut control = shared.lock_control();
                let now = Instant::now();
                match shared.current() {
                    Some(good) if good.age(now) < shared.ttl => {
                        Step::Serve(good.catalogue.clone(), None)
                    }
                    Some(good) if good.age(now) < shared.serve_limit => {
                        // Nobody waits for this refresh: it runs on the
                        // runtime, or (no Tokio runtime) in this caller.
                        let task = match control.may_start(now) {
                            true => shared.start(&mut control),
                            false => None,
                        };
                        let inline =
                            task.and_then(|task| match tokio::runtime::Handle::try_current() {
                                Ok(runtime) => {
                                    runtime.spawn(task);
                                    None
                                }
                                Err(_) => Some(Box::pin(task) as Task),
                            });
                        Step::Serve(good.catalogue.clone(), inline)
                    }
                    _ => match &control.last_error {
                        Some(error) if !control.in_flight && !control.may_start(now) => {
                            Step::Fail(error.clone())
                        }
                        _ => Step::Wait(self.begin(&mut control)),
                    },
                }
            };
            match step {
                Step::Serve(catalogue, inline) => {
                    if let Some(task) = inline {
                        task.await;
                    }
                    return Ok(catalogue);
                }
                Step::Fail(error) => return Err(error),
                Step::Wait(pending) => {
                    if let Some(outcome) = self.wait_for(pending).await {
                        return outcome;
                    }
                }
            }
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
        loop {
            let ticket = self.begin(&mut self.shared.lock_control());
            if let Some(outcome) = self.wait_for(ticket).await {
                return outcome;
            }
        }
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
        let mut control = self.shared.lock_control();
        self.shared.value.store(None);
        control.not_before = None;
        control.failures = 0;
        self.shared.publish_hints(&control);
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
        let control = shared.lock_control();
        let age = shared.current().map(|good| good.age(Instant::now()));
        CacheStatus {
            age,
            servable: age.is_some_and(|age| age < shared.serve_limit),
            last_success: control.last_success,
            last_error: control.last_error.clone(),
            consecutive_failures: control.failures,
            refreshing: control.in_flight,
        }
    }

    /// Starts a refresh if none runs, and returns the number of the refresh
    /// to wait for.
    fn begin(&self, control: &mut MutexGuard<'_, Control>) -> Pending {
        let ticket = control.ended + 1;
        let task = self.shared.start(control);
        match task {
            Some(task) => match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    runtime.spawn(task);
                    Pending { ticket, task: None }
                }
                Err(_) => Pending {
                    ticket,
                    task: Some(Box::pin(task)),
                },
            },
            None => Pending { ticket, task: None },
        }
    }

    /// Waits until refresh `ticket` has ended; its outcome, or `None` when it
    /// was dropped unfinished.
    async fn wait_for(&self, pending: Pending) -> Option<Result<Arc<Catalogue>, Error>> {
        let shared = &self.shared;
        if let Some(task) = pending.task {
            task.await;
        }
        loop {
            let notified = shared.done.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            {
                let control = shared.lock_control();
                if control.ended >= pending.ticket {
                    return control.last_outcome.clone();
                }
            }
            notified.await;
        }
    }
}

/// A refresh to wait for, and the refresh itself when the caller must drive
/// it (no Tokio runtime to spawn it on).
struct Pending {
    ticket: u64,
    task: Option<Task>,
}

type Task = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;

/// What a `get` does once the lock is released.
enum Step {
    Serve(Arc<Catalogue>, Option<Task>),
    Fail(Error),
    Wait(Pending),
}

impl Shared {
    fn current(&self) -> Option<Arc<Good>> {
        self.value.load_full()
    }

    /// The fast path of `get`: the catalogue if it is within the TTL, or
    /// servable and no refresh may start now (one runs, or the backoff has
    /// not passed). No lock: a load of the value, a clock read, a reference
    /// count increment.
    fn served_from_memory(&self) -> Option<Arc<Catalogue>> {
        let value = self.value.load();
        let good = value.as_ref()?;
        let now = Instant::now();
        let serve = good.fresh_until.is_none_or(|until| now < until)
            || (good.age(now) < self.serve_limit && !self.may_start_hint(now));
        serve.then(|| good.catalogue.clone())
    }

    fn may_start_hint(&self, now: Instant) -> bool {
        if self.in_flight_hint.load(Ordering::Acquire) {
            return false;
        }
        let not_before = self.not_before_hint.load(Ordering::Acquire);
        not_before == 0 || self.nanos_since_base(now) >= not_before
    }

    fn nanos_since_base(&self, at: Instant) -> u64 {
        // At least 1, so that 0 can mean "none"; u64 nanoseconds last 584 years.
        (at.saturating_duration_since(self.base).as_nanos() as u64).max(1)
    }

    /// Copies what the fast path reads out of the control state; called under
    /// the control lock after each change.
    fn publish_hints(&self, control: &Control) {
        self.in_flight_hint
            .store(control.in_flight, Ordering::Release);
        let not_before = control.not_before.map_or(0, |at| self.nanos_since_base(at));
        self.not_before_hint.store(not_before, Ordering::Release);
    }

    fn lock_control(&self) -> MutexGuard<'_, Control> {
        // Every update under the lock is complete before anything that can
        // panic, so a poisoned lock still holds consistent state.
        self.control.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks a refresh as running and returns it, or `None` when one runs.
    fn start(
        self: &Arc<Self>,
        control: &mut Control,
    ) -> Option<impl Future<Output = ()> + Send + 'static + use<>> {
        if control.in_flight {
            return None;
        }
        control.in_flight = true;
        self.publish_hints(control);
        let shared = self.clone();
        Some(async move {
            let mut running = Running {
                shared: &shared,
                ended: false,
            };
            let outcome = shared.client.call(shared.operation).await.map(Arc::new);
            if let Ok(catalogue) = &outcome {
                shared.persist(catalogue).await;
            }
            running.end(outcome);
        })
    }

    /// Writes a good catalogue to the persisted file, off the runtime's
    /// threads when there is a runtime.
    async fn persist(&self, catalogue: &Arc<Catalogue>) {
        let Some(path) = self.persist_path.clone() else {
            return;
        };
        let catalogue = catalogue.clone();
        let write = move || write_atomically(&path, &catalogue).map_err(|e| (path, e));
        let result = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => match runtime.spawn_blocking(write).await {
                Ok(result) => result,
                Err(join) => {
                    tracing::warn!(error = %join, "persisting the catalogue did not finish");
                    return;
                }
            },
            Err(_) => write(),
        };
        if let Err((path, error)) = result {
            tracing::warn!(
                list = self.operation.operation_id(),
                path = %path.display(),
                error = %error,
                "cannot persist the catalogue; the previous file, if any, is unchanged"
            );
        }
    }

    /// Logs one warning per unknown ID type value, the first time this cache
    /// sees it.
    fn note_unknown_id_types(&self, control: &mut Control, catalogue: &Catalogue) {
        for id_type in catalogue.id_types() {
            if id_type.is_unknown() && control.unknown_seen.insert(id_type.as_str().to_owned()) {
                tracing::warn!(
                    list = self.operation.operation_id(),
                    id_type = id_type.as_str(),
                    "the catalogue lists an ID type this version of netverify does not know; \
                     it is kept as IdType::Unknown (a newer netverify may know it)"
                );
            }
        }
    }

    fn backoff(&self, failures: u32, error: &Error) -> Duration {
        let exponential = self
            .min_backoff
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
            .min(self.max_backoff);
        error
            .retry_after()
            .map_or(exponential, |asked| asked.max(exponential))
    }
}

/// Ends a refresh: publishes its outcome, or on drop (the task was
/// cancelled, its runtime shut down) lets the next caller start another.
struct Running<'a> {
    shared: &'a Arc<Shared>,
    ended: bool,
}

impl Running<'_> {
    fn end(&mut self, outcome: Result<Arc<Catalogue>, Error>) {
        self.ended = true;
        let shared = self.shared;
        let mut change = None;
        {
            let mut control = shared.lock_control();
            let now = Instant::now();
            match &outcome {
                Ok(catalogue) => {
                    shared.note_unknown_id_types(&mut control, catalogue);
                    let previous = shared.value.swap(Some(Arc::new(Good::new(
                        catalogue.clone(),
                        Duration::ZERO,
                        shared.ttl,
                    ))));
                    change =
                        previous.map(|previous| (previous.catalogue.clone(), catalogue.clone()));
                    control.last_success = Some(Utc::now());
                    control.last_error = None;
                    control.failures = 0;
                    control.not_before = None;
                }
                Err(error) => {
                    control.failures = control.failures.saturating_add(1);
                    let backoff = shared.backoff(control.failures, error);
                    // A backoff beyond the clock's range (a Retry-After years
                    // ahead) is a year.
                    control.not_before = Some(
                        now.checked_add(backoff)
                            .unwrap_or(now + Duration::from_secs(365 * 86_400)),
                    );
                    control.last_error = Some(error.clone());
                    let age = shared.current().map(|good| good.age(now));
                    let serving = age.is_some_and(|age| age < shared.serve_limit);
                    tracing::warn!(
                        list = shared.operation.operation_id(),
                        error = %error,
                        consecutive_failures = control.failures,
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
                }
            }
            control.in_flight = false;
            control.ended += 1;
            control.last_outcome = Some(outcome);
            shared.publish_hints(&control);
        }
        shared.done.notify_waiters();
        if let Some((previous, current)) = change {
            let diff = previous.diff(&current);
            if !diff.is_empty() {
                // No subscriber is not an error.
                let _ = shared.changes.send(CatalogueChange {
                    previous,
                    current,
                    diff,
                });
            }
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        {
            let mut control = self.shared.lock_control();
            control.in_flight = false;
            control.ended += 1;
            control.last_outcome = None;
            self.shared.publish_hints(&control);
        }
        self.shared.done.notify_waiters();
    }
}

/// Reads the persisted catalogue; `None`, with a warning unless the file is
/// simply missing, when it cannot be used.
fn load_persisted(path: &Path, operation: Operation) -> Option<Catalogue> {
    let warn = |problem: &str| {
        tracing::warn!(
            list = operation.operation_id(),
            path = %path.display(),
            problem,
            "ignoring the persisted catalogue; it will be replaced by the next good one"
        );
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => {
            warn(&format!("cannot read it: {error}"));
            return None;
        }
    };
    match Catalogue::from_json(&bytes) {
        Ok(catalogue) if !operation.list_keys().contains(&catalogue.list_key()) => {
            warn(&format!(
                "it holds `{}`, and this cache is for {operation}",
                catalogue.list_key().as_str()
            ));
            None
        }
        Ok(catalogue) => Some(catalogue),
        Err(error) => {
            warn(&format!("it does not decode: {error}"));
            None
        }
    }
}

/// Writes `catalogue` to `path` so that the file is, at every moment, the old
/// content or the new one: a temporary file in the same directory, fsync,
/// rename, fsync of the directory. The bytes are checked to load back equal
/// before anything is renamed.
fn write_atomically(path: &Path, catalogue: &Catalogue) -> std::io::Result<()> {
    use std::io::Write as _;
    let bytes = serde_json::to_vec(catalogue).map_err(std::io::Error::other)?;
    if Catalogue::from_json(&bytes).ok().as_ref() != Some(catalogue) {
        return Err(std::io::Error::other(
            "the serialized catalogue does not load back equal; not written",
        ));
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the path has no file name"))?;
    let temporary = directory.join(format!(
        ".{}.{}.{:x}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        fastrand::u64(..)
    ));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
        return written;
    }
    // The rename is durable once the directory is synced (Unix; elsewhere a
    // directory cannot be opened, and the rename is as durable as it gets).
    if let Ok(directory) = std::fs::File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}

impl fmt::Debug for CachedCatalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        f.debug_struct("CachedCatalogue")
            .field("list", &shared.operation.operation_id())
            .field("ttl", &shared.ttl)
            .field("max_staleness", &shared.max_staleness)
            .field("persist_path", &shared.persist_path)
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}
