//! A complete replica of a service that shares its catalogue through
//! Redis: the program the facade README's "Running many replicas" shows.
//!
//! ```sh
//! JUMIO_API_TOKEN=... JUMIO_API_SECRET=... JUMIO_USER_AGENT="Acme KYC/1.0" \
//!     cargo run -p netverify-redis --example replica
//! ```

use std::time::Duration;

use netverify::{CachedCatalogue, ClientBuilder};
use netverify_redis::RedisStore;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = ClientBuilder::from_env()?.build()?;
    // Every replica of the service uses the same Redis and the same prefix.
    let store = RedisStore::new("redis://redis.internal:6379", "acme-kyc:netverify:")?;
    let accepted = CachedCatalogue::accepted_builder(client)
        .ttl(Duration::from_secs(3600))
        .max_staleness(Duration::from_secs(24 * 3600))
        .store(store)
        .store_timeout(Duration::from_millis(500))
        .build();

    // Each replica hears each real change once, with its diff.
    let mut changes = accepted.subscribe();
    tokio::spawn(async move {
        while let Ok(change) = changes.recv().await {
            tracing::info!(
                added = change.diff().only_in_right.len(),
                "accepted list changed"
            );
        }
    });

    loop {
        let catalogue = accepted.get().await?;
        let status = accepted.status();
        if let Some(error) = status.store_error() {
            tracing::warn!(%error, "Redis is failing; this replica asks Jumio itself");
        }
        let _ = catalogue;
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
}
