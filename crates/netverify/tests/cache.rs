//! The cached catalogue: one request for many concurrent callers.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use netverify::{CachedCatalogue, Error};
use wiremock::MockServer;

const CALLERS: usize = 20;

async fn get_concurrently(
    cache: &Arc<CachedCatalogue>,
) -> Vec<Result<Arc<netverify::Catalogue>, Error>> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CALLERS {
        let cache = cache.clone();
        tasks.spawn(async move { cache.get().await });
    }
    tasks.join_all().await
}

#[tokio::test]
async fn concurrent_callers_share_one_request() {
    let server = MockServer::start().await;
    // Slow enough that every caller arrives during the refresh.
    serve(
        &server,
        SUPPORTED_PATH,
        json(SUPPORTED).set_delay(Duration::from_millis(300)),
    )
    .await;
    let cache = Arc::new(CachedCatalogue::supported(
        client(&server),
        Duration::from_secs(3600),
    ));

    let results = get_concurrently(&cache).await;
    assert_eq!(request_count(&server).await, 1);
    let first = results[0].as_ref().unwrap();
    assert!(
        results
            .iter()
            .all(|r| Arc::ptr_eq(r.as_ref().unwrap(), first))
    );

    // Within the TTL: served from the cache.
    cache.get().await.unwrap();
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn expired_catalogue_is_fetched_again() {
    let server = MockServer::start().await;
    serve(&server, ACCEPTED_PATH, json(ACCEPTED)).await;
    let cache = CachedCatalogue::accepted(client(&server), Duration::from_millis(50));
    cache.get().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let catalogue = cache.get().await.unwrap();
    assert_eq!(catalogue.len(), 2);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn concurrent_callers_share_one_failure_and_the_next_caller_retries() {
    let server = MockServer::start().await;
    let forbidden = status(403, "{}", "application/json").set_delay(Duration::from_millis(300));
    serve_times(&server, SUPPORTED_PATH, forbidden, 1).await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let cache = Arc::new(CachedCatalogue::supported(
        client(&server),
        Duration::from_secs(3600),
    ));

    let results = get_concurrently(&cache).await;
    assert_eq!(request_count(&server).await, 1);
    for result in &results {
        let error = result.as_ref().unwrap_err();
        assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");
        assert_eq!(error.tracking_id(), Some(TRACKING_ID));
    }
    assert_eq!(cache.get().await.unwrap().len(), 2);
    assert_eq!(request_count(&server).await, 2);
}
