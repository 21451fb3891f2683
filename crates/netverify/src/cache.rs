//! A catalogue cached for a while, refreshed by one request at a time.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::{Catalogue, Client, Error};
use netverify_api::Operation;

/// A catalogue fetched once and kept for a time to live (TTL).
///
/// When the cached catalogue is missing or older than the TTL, the first
/// caller fetches it; callers arriving during that fetch wait for it and all
/// receive its outcome, success or error, so a burst of callers costs one
/// request (retries included). A failed refresh keeps nothing: the next
/// caller after it tries again.
///
/// ```no_run
/// # async fn run(client: netverify::Client) -> Result<(), netverify::Error> {
/// use std::time::Duration;
/// let supported = netverify::CachedCatalogue::supported(client, Duration::from_secs(3600));
/// let catalogue = supported.get().await?; // an Arc<Catalogue>
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct CachedCatalogue {
    client: Client,
    operation: Operation,
    ttl: Duration,
    /// Counts finished refreshes; read without the lock to tell whether a
    /// refresh finished while a caller waited for the lock.
    refreshes: AtomicU64,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    fresh: Option<(Instant, Arc<Catalogue>)>,
    last_outcome: Option<Result<Arc<Catalogue>, Error>>,
}

impl CachedCatalogue {
    /// Caches [`Client::supported_id_types`].
    pub fn supported(client: Client, ttl: Duration) -> Self {
        CachedCatalogue::new(client, Operation::SupportedIdTypes, ttl)
    }

    /// Caches [`Client::accepted_id_types`].
    pub fn accepted(client: Client, ttl: Duration) -> Self {
        CachedCatalogue::new(client, Operation::AcceptedIdTypes, ttl)
    }

    fn new(client: Client, operation: Operation, ttl: Duration) -> Self {
        CachedCatalogue {
            client,
            operation,
            ttl,
            refreshes: AtomicU64::new(0),
            state: Mutex::default(),
        }
    }

    /// The time to live.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The cached catalogue, fetched first if it is missing or expired.
    pub async fn get(&self) -> Result<Arc<Catalogue>, Error> {
        let refreshes_seen = self.refreshes.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        if self.refreshes.load(Ordering::Acquire) != refreshes_seen {
            // A refresh finished while this caller waited: share its outcome.
            if let Some(outcome) = &state.last_outcome {
                return outcome.clone();
            }
        }
        if let Some((fetched_at, catalogue)) = &state.fresh
            && fetched_at.elapsed() < self.ttl
        {
            return Ok(catalogue.clone());
        }
        let outcome = self.client.call(self.operation).await.map(Arc::new);
        state.fresh = outcome
            .as_ref()
            .ok()
            .map(|catalogue| (Instant::now(), catalogue.clone()));
        state.last_outcome = Some(outcome.clone());
        self.refreshes.fetch_add(1, Ordering::Release);
        outcome
    }
}
