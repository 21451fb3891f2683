//! The cached catalogue: one request for many concurrent callers,
//! stale-while-revalidate, stale-if-error, backoff, the persisted file,
//! change events, unknown ID types. Most tests run on tokio's paused clock
//! against netverify-mock, so hours of cache time pass in milliseconds.

mod common;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use common::*;
use netverify::{CachedCatalogue, Catalogue, Client, Error, IdType};
use netverify_api::types::{CountryDocuments, DocumentRequirements};
use netverify_mock::{Fault, MockServer};

const CALLERS: usize = 20;
const HOUR: Duration = Duration::from_secs(3600);

async fn get_concurrently(cache: &CachedCatalogue) -> Vec<Result<Arc<Catalogue>, Error>> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CALLERS {
        let cache = cache.clone();
        tasks.spawn(async move { cache.get().await });
    }
    tasks.join_all().await
}

/// A client of the mock with no retries, so that requests count refreshes.
fn mock_client(server: &MockServer) -> Client {
    mock_builder(server).build().expect("client builds")
}

/// Polls a future once: `Some` when it completed without waiting.
fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// Lets spawned refreshes run to their end (virtual time on a paused clock).
async fn settle() {
    tokio::time::sleep(Duration::from_secs(60)).await;
}

/// A file path of its own in the temporary directory, removed on drop.
struct TempPath(PathBuf);

impl TempPath {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "netverify-cache-{name}-{}-{:x}.json",
            std::process::id(),
            fastrand::u64(..)
        ));
        TempPath(path)
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn document(id_type: &str, back_side: bool) -> DocumentRequirements {
    serde_json::from_value(serde_json::json!({
        "acquisitionConfig": {"backSide": back_side},
        "idType": id_type,
    }))
    .unwrap()
}

/// The sample catalogue with `extra` documents added to the named countries.
fn sample_with(extra: &[(&str, &str)]) -> netverify_mock::Catalogue {
    let sample = netverify_mock::Catalogue::sample();
    let add = |list: &[CountryDocuments]| {
        let mut list = list.to_vec();
        for (code, id_type) in extra {
            let country = list
                .iter_mut()
                .find(|country| country.country_code.as_str() == *code)
                .expect("a sample country");
            country.id_types.push(document(id_type, false));
        }
        list
    };
    netverify_mock::Catalogue::new(add(sample.supported()), add(sample.accepted()))
}

fn traces() -> (TraceBuffer, tracing::subscriber::DefaultGuard) {
    let buffer = TraceBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    (buffer, tracing::subscriber::set_default(subscriber))
}

#[tokio::test]
async fn concurrent_callers_share_one_request() {
    let server = wiremock::MockServer::start().await;
    // Slow enough that every caller arrives during the refresh.
    serve(
        &server,
        SUPPORTED_PATH,
        json(SUPPORTED).set_delay(Duration::from_millis(300)),
    )
    .await;
    let cache = CachedCatalogue::supported(client(&server), HOUR);

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
async fn concurrent_callers_share_one_failure_and_the_backoff_holds_the_next() {
    let server = wiremock::MockServer::start().await;
    let forbidden = status(403, "{}", "application/json").set_delay(Duration::from_millis(300));
    serve_times(&server, SUPPORTED_PATH, forbidden, 1).await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let cache = CachedCatalogue::supported(client(&server), HOUR);

    let results = get_concurrently(&cache).await;
    assert_eq!(request_count(&server).await, 1);
    for result in &results {
        let error = result.as_ref().unwrap_err();
        assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");
        assert_eq!(error.tracking_id(), Some(TRACKING_ID));
    }
    // Within the backoff, the failure is answered again without a request.
    let error = cache.get().await.unwrap_err();
    assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");
    assert_eq!(request_count(&server).await, 1);
    // refresh() does not wait for the backoff.
    assert_eq!(cache.refresh().await.unwrap().len(), 2);
    assert_eq!(cache.get().await.unwrap().len(), 2);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test(start_paused = true)]
async fn after_the_ttl_no_caller_waits_and_one_background_refresh_runs() {
    let server = MockServer::builder()
        .latency(Duration::from_secs(5))
        .start()
        .await
        .unwrap();
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(Duration::from_secs(60))
        .build();

    // Only the very first get waits (for the mock's 5 s).
    let started = tokio::time::Instant::now();
    let first = cache.get().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(5));
    assert_eq!(server.request_count(), 1);

    tokio::time::advance(Duration::from_secs(61)).await;
    // Expired: every get completes on its first poll, with the old catalogue,
    // while one refresh runs in the background.
    for _ in 0..1000 {
        let served = poll_once(cache.get())
            .expect("get() waited during a refresh")
            .unwrap();
        assert!(Arc::ptr_eq(&served, &first));
    }
    assert!(cache.status().is_refreshing());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let cache = cache.clone();
        tasks.spawn(async move {
            let started = tokio::time::Instant::now();
            let served = cache.get().await.unwrap();
            (started.elapsed(), served)
        });
    }
    for (waited, served) in tasks.join_all().await {
        assert_eq!(waited, Duration::ZERO);
        assert!(Arc::ptr_eq(&served, &first));
    }

    settle().await;
    assert_eq!(server.request_count(), 2);
    let second = poll_once(cache.get()).unwrap().unwrap();
    assert!(
        !Arc::ptr_eq(&second, &first),
        "the refreshed catalogue is served"
    );
    let status = cache.status();
    assert!(!status.is_refreshing());
    assert!(status.age().unwrap() < Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn a_failing_refresh_serves_the_last_good_catalogue_within_max_staleness_only() {
    let (traces, _guard) = traces();
    let server = MockServer::builder().start().await.unwrap();
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(Duration::from_secs(60))
        .max_staleness(HOUR)
        .build();
    let good = cache.get().await.unwrap();
    server.faults().push_n(
        1000,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );

    // Inside the limit: the stale catalogue, and the failure is observable.
    tokio::time::advance(Duration::from_secs(61)).await;
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &good));
    settle().await;
    let status = cache.status();
    let error = status.last_error().expect("the failure is recorded");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(status.consecutive_failures(), 1);
    assert!(status.is_servable());
    assert!(status.last_success().is_some());
    assert!(status.age().unwrap() >= Duration::from_secs(120));
    let logged = traces.text();
    assert!(
        logged.contains("WARN")
            && logged.contains("catalogue refresh failed; serving the last good catalogue"),
        "{logged}"
    );
    assert!(logged.contains("503"), "{logged}");
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &good));

    // Past TTL + max staleness: the error.
    tokio::time::advance(HOUR).await;
    let error = cache.get().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    assert!(!cache.status().is_servable());
    assert!(traces.text().contains("no catalogue young enough to serve"));

    // Jumio is back: the next refresh (after the backoff) serves again.
    server.faults().clear();
    tokio::time::advance(Duration::from_secs(600)).await;
    let fresh = cache.get().await.unwrap();
    assert!(!Arc::ptr_eq(&fresh, &good));
    assert!(cache.status().last_error().is_none());
}

#[tokio::test(start_paused = true)]
async fn a_failing_server_is_not_hammered() {
    let server = MockServer::builder().start().await.unwrap();
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(Duration::from_secs(1))
        .failure_backoff(Duration::from_secs(10), Duration::from_secs(40))
        .build();
    cache.get().await.unwrap();
    server.faults().push_n(1000, Fault::InternalServerError);

    // Ten minutes of a get every 100 ms: 6,000 calls, all served stale.
    for _ in 0..6000 {
        cache.get().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Failed refreshes at about 1 s, then after 10, 20, 40, 40, ... s.
    let refreshes = server.request_count() - 1;
    assert!((15..=18).contains(&refreshes), "{refreshes} refreshes");
    assert!(cache.status().consecutive_failures() as u64 == refreshes);

    // Retry-After longer than the backoff wins.
    server.faults().clear();
    server.faults().push_n(
        1000,
        Fault::ServiceUnavailable {
            retry_after_secs: Some(300),
        },
    );
    cache.refresh().await.unwrap_err();
    let before = server.request_count();
    for _ in 0..2990 {
        cache.get().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        server.request_count(),
        before,
        "Retry-After: 300 was not waited"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    cache.get().await.unwrap();
    settle().await;
    assert_eq!(server.request_count(), before + 1);
}

#[tokio::test(start_paused = true)]
async fn with_nothing_cached_a_failure_is_answered_at_once_during_the_backoff() {
    let server = MockServer::builder().start().await.unwrap();
    server.faults().push_n(1000, Fault::BadGateway);
    let cache = CachedCatalogue::accepted_builder(mock_client(&server))
        .failure_backoff(Duration::from_secs(30), Duration::from_secs(30))
        .build();
    for _ in 0..100 {
        let error = cache.get().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    }
    assert_eq!(server.request_count(), 1);
    tokio::time::advance(Duration::from_secs(30)).await;
    cache.get().await.unwrap_err();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_restart_with_the_server_down_answers_from_the_persisted_file() {
    let (traces, _guard) = traces();
    let path = TempPath::new("restart");
    let server = MockServer::builder().start().await.unwrap();
    let cache = CachedCatalogue::accepted_builder(mock_client(&server))
        .persist_to(&path.0)
        .build();
    let fetched = cache.get().await.unwrap();
    // Checked apart from Catalogue's own equality: the mock's accepted list.
    let listed =
        |catalogue: &Catalogue| serde_json::to_value(catalogue).unwrap()["acceptedIdTypes"].clone();
    let expected = serde_json::to_value(netverify_mock::Catalogue::sample().accepted()).unwrap();
    assert_eq!(listed(&fetched), expected);
    let saved = Catalogue::from_json(&std::fs::read(&path.0).unwrap()).unwrap();
    assert_eq!(saved, *fetched, "the file holds the API's JSON shape");
    assert_eq!(listed(&saved), expected);
    let client = mock_client(&server);
    // Jumio is down. (A 503 rather than a closed port: another test's
    // server may take a freed port, and answer.)
    server.faults().push_n(
        1000,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
    drop(cache);

    // The "restarted" service: Jumio is down, the file answers.
    // (A TTL of zero makes every get start a refresh, here a failing one.)
    let restarted = CachedCatalogue::accepted_builder(client.clone())
        .ttl(Duration::ZERO)
        .persist_to(&path.0)
        .build();
    let served = poll_once(restarted.get())
        .expect("a persisted catalogue is served without waiting")
        .unwrap();
    assert_eq!(*served, *fetched);
    assert_eq!(listed(&served), expected);
    assert_eq!(served.timestamp(), fetched.timestamp());
    settle().await;
    let status = restarted.status();
    let unavailable = |error: &Error| error.status().map(|s| s.as_u16()) == Some(503);
    assert!(status.last_error().is_some_and(unavailable), "{status:?}");
    assert!(status.is_servable());
    assert_eq!(*restarted.get().await.unwrap(), *fetched);
    // The failed refresh left the file alone.
    assert_eq!(
        Catalogue::from_json(&std::fs::read(&path.0).unwrap()).unwrap(),
        *fetched
    );

    // Staleness counts from the file's timestamp: a catalogue from two days
    // ago is too old for the default 24 h.
    let old = Catalogue::new(
        chrono::Utc::now() - chrono::Duration::hours(48),
        fetched.list_key(),
        fetched.countries().to_vec(),
    );
    const TOO_OLD: &str = "the persisted catalogue is older than TTL + max staleness";
    assert_eq!(
        traces.text().matches(TOO_OLD).count(),
        0,
        "a fresh file is served"
    );
    std::fs::write(&path.0, serde_json::to_vec(&old).unwrap()).unwrap();
    let too_old = CachedCatalogue::accepted_builder(client.clone())
        .persist_to(&path.0)
        .build();
    let logged = traces.text();
    assert_eq!(logged.matches(TOO_OLD).count(), 1, "{logged}");
    let age = too_old.status().age().unwrap();
    assert!(age >= Duration::from_secs(48 * 3600), "{age:?}");
    assert!(!too_old.status().is_servable());
    assert!(too_old.get().await.is_err_and(|error| unavailable(&error)));
    // ... and a day and a half is fine with a longer limit.
    let generous = CachedCatalogue::accepted_builder(client)
        .max_staleness(Duration::from_secs(72 * 3600))
        .persist_to(&path.0)
        .build();
    let served = generous.get().await.unwrap();
    assert_eq!(*served, old);
    assert_eq!(served.timestamp(), old.timestamp());
    assert_eq!(listed(&served), expected);
}

#[tokio::test(start_paused = true)]
async fn a_corrupt_file_is_logged_ignored_and_only_replaced_by_a_good_catalogue() {
    let (traces, _guard) = traces();
    let path = TempPath::new("corrupt");
    let truncated = &SUPPORTED.as_bytes()[..SUPPORTED.len() / 2];
    std::fs::write(&path.0, truncated).unwrap();

    let server = MockServer::builder().start().await.unwrap();
    server.faults().push(Fault::TruncatedJson);
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .persist_to(&path.0)
        .build();
    assert_eq!(cache.status().age(), None, "the corrupt file is not used");
    let logged = traces.text();
    assert!(
        logged.contains("ignoring the persisted catalogue") && logged.contains("does not decode"),
        "{logged}"
    );
    // A response that does not decode is never written.
    assert!(matches!(cache.get().await, Err(Error::Decode { .. })));
    assert_eq!(std::fs::read(&path.0).unwrap(), truncated);
    // A good one is.
    let good = cache.refresh().await.unwrap();
    assert_eq!(
        Catalogue::from_json(&std::fs::read(&path.0).unwrap()).unwrap(),
        *good
    );
    // A later bad response leaves the good file alone.
    let before = std::fs::read(&path.0).unwrap();
    server.faults().push(Fault::MalformedJson);
    cache.refresh().await.unwrap_err();
    assert_eq!(std::fs::read(&path.0).unwrap(), before);

    // Unreadable (a directory) and the wrong list: ignored too, never fatal.
    let directory = CachedCatalogue::supported_builder(mock_client(&server))
        .persist_to(std::env::temp_dir())
        .build();
    assert_eq!(directory.status().age(), None);
    assert!(traces.text().contains("cannot read it"));
    std::fs::write(&path.0, ACCEPTED).unwrap();
    let wrong_list = CachedCatalogue::supported_builder(mock_client(&server))
        .persist_to(&path.0)
        .build();
    assert_eq!(wrong_list.status().age(), None);
    assert!(traces.text().contains("this cache is for supportedIdTypes"));
    assert!(wrong_list.get().await.is_ok());
}

#[test]
fn a_missing_file_is_normal_and_not_warned_about() {
    let (traces, _guard) = traces();
    let path = TempPath::new("missing");
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime
        .block_on(MockServer::builder().start())
        .unwrap();
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .persist_to(&path.0)
        .build();
    assert_eq!(cache.status().age(), None);
    let logged = traces.text();
    assert!(!logged.contains("persisted catalogue"), "{logged}");
}

#[tokio::test(start_paused = true)]
async fn a_changed_catalogue_is_announced_with_its_diff() {
    let server = MockServer::builder().start().await.unwrap();
    let addr = server.addr();
    let cache = CachedCatalogue::supported_builder(mock_client(&server)).build();
    let mut changes = cache.subscribe();
    let before = cache.get().await.unwrap();
    assert!(
        changes.try_recv().is_err(),
        "no event for the first catalogue"
    );
    // Same entries, new timestamp: no event.
    cache.refresh().await.unwrap();
    assert!(changes.try_recv().is_err());

    server.shutdown().await.unwrap();
    let changed = MockServer::builder()
        .bind(addr)
        .catalogue(sample_with(&[("NLD", "VISA")]))
        .start()
        .await
        .unwrap();
    let after = cache.refresh().await.unwrap();
    let change = changes.try_recv().expect("one change event");
    assert!(Arc::ptr_eq(change.current(), &after));
    assert!(change.previous().diff(&before).is_empty());
    assert_eq!(*change.diff(), before.diff(&after));
    let added = &change.diff().only_in_right;
    assert_eq!(added.len(), 1, "{:?}", change.diff());
    assert_eq!(added[0].country_code.as_str(), "NLD");
    assert_eq!(added[0].id_type, IdType::Visa);
    assert!(change.diff().only_in_left.is_empty());
    assert!(changes.try_recv().is_err(), "exactly one event");
    drop(changed);
}

#[tokio::test(start_paused = true)]
async fn each_unknown_id_type_is_warned_about_once() {
    let (traces, _guard) = traces();
    let server = MockServer::builder()
        .catalogue(sample_with(&[
            ("NLD", "RESIDENCE_PERMIT"),
            ("FRA", "RESIDENCE_PERMIT"),
        ]))
        .start()
        .await
        .unwrap();
    let addr = server.addr();
    let cache = CachedCatalogue::supported_builder(mock_client(&server)).build();
    cache.get().await.unwrap();
    cache.refresh().await.unwrap();
    cache.clone().refresh().await.unwrap();
    let count = |value: &str| {
        traces
            .text()
            .lines()
            .filter(|line| line.contains("WARN") && line.contains(&format!("id_type=\"{value}\"")))
            .count()
    };
    assert_eq!(count("RESIDENCE_PERMIT"), 1, "{}", traces.text());

    server.shutdown().await.unwrap();
    let _later = MockServer::builder()
        .bind(addr)
        .catalogue(sample_with(&[
            ("NLD", "RESIDENCE_PERMIT"),
            ("DEU", "HEALTH_CARD"),
        ]))
        .start()
        .await
        .unwrap();
    cache.refresh().await.unwrap();
    cache.refresh().await.unwrap();
    assert_eq!(count("RESIDENCE_PERMIT"), 1);
    assert_eq!(count("HEALTH_CARD"), 1, "{}", traces.text());
    assert!(traces.text().contains("IdType::Unknown"));
}

#[tokio::test(start_paused = true)]
async fn refresh_and_invalidate() {
    let server = MockServer::builder()
        .latency(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let cache = CachedCatalogue::accepted(mock_client(&server), HOUR);
    let first = cache.get().await.unwrap();
    let refreshed = cache.refresh().await.unwrap();
    assert!(!Arc::ptr_eq(&first, &refreshed));
    assert_eq!(server.request_count(), 2);
    // Callers of refresh() during a refresh share it.
    let other = cache.clone();
    let (a, b) = tokio::join!(cache.refresh(), other.refresh());
    assert!(Arc::ptr_eq(&a.unwrap(), &b.unwrap()));
    assert_eq!(server.request_count(), 3);

    cache.invalidate();
    assert_eq!(cache.status().age(), None);
    let started = tokio::time::Instant::now();
    cache.get().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "get() waited");
    assert_eq!(server.request_count(), 4);
}

#[test]
fn clones_share_one_cache_across_runtimes() {
    // The server runs on a runtime of its own; each thread has its own.
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime
        .block_on(
            MockServer::builder()
                .latency(Duration::from_millis(300))
                .start(),
        )
        .unwrap();
    let cache = CachedCatalogue::supported(mock_client(&server), HOUR);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let cache = cache.clone();
            std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(cache.get())
                    .unwrap()
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(results.iter().all(|r| Arc::ptr_eq(r, &results[0])));
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_refresh_dropped_with_its_runtime_is_started_again() {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime
        .block_on(
            MockServer::builder()
                .latency(Duration::from_secs(2))
                .start(),
        )
        .unwrap();
    let cache = CachedCatalogue::supported(mock_client(&server), HOUR);
    let current_thread = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    };

    // A runtime starts the first fetch, and its caller gives up once the
    // request is at the server: the fetch goes on without it.
    let doomed = current_thread();
    doomed.block_on(async {
        tokio::select! {
            _ = cache.get() => panic!("the fetch ended before the mock's latency"),
            () = until(|| server.request_count() == 1) => {}
        }
    });
    assert!(
        cache.status().is_refreshing(),
        "the fetch outlives its caller"
    );
    // A caller on a runtime of its own joins that fetch: polled once, it
    // waits for it...
    let waiter_runtime = current_thread();
    let mut waiter = Box::pin(cache.get());
    waiter_runtime.block_on(async {
        assert!(poll_once(waiter.as_mut()).is_none(), "the waiter waits");
    });
    // ... and when the fetch is dropped with its runtime, the waiter, told
    // that it ended unfinished, starts another one.
    drop(doomed);
    let joined = waiter_runtime
        .block_on(async { tokio::time::timeout(Duration::from_secs(30), waiter).await })
        .expect("the waiter was left waiting")
        .unwrap();
    assert!(!joined.is_empty());
    assert_eq!(server.request_count(), 2);
    assert!(!cache.status().is_refreshing());

    // Another runtime is served from memory.
    let again = current_thread().block_on(cache.get()).unwrap();
    assert!(Arc::ptr_eq(&again, &joined));
    assert_eq!(server.request_count(), 2);
}

/// Waits until `done` holds, checking every millisecond: for a state that
/// another runtime changes.
async fn until(done: impl Fn() -> bool) {
    while !done() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[test]
fn outside_a_tokio_runtime_a_call_that_must_refresh_is_an_error_not_a_panic() {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime
        .block_on(MockServer::builder().start())
        .unwrap();
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(Duration::from_secs(60))
        .max_staleness(HOUR)
        .build();
    // No runtime: polled by hand, as another executor would.
    fn outside<F: Future>(future: F) -> F::Output {
        poll_once(future).expect("answered without waiting")
    }
    for error in [outside(cache.get()), outside(cache.refresh())].map(Result::unwrap_err) {
        assert!(matches!(error, Error::Runtime { .. }), "{error:?}");
        assert!(
            error.to_string().contains("need a Tokio runtime"),
            "{error}"
        );
    }
    assert_eq!(server.request_count(), 0);
    let client = mock_client(&server);
    let error = outside(client.supported_id_types()).unwrap_err();
    assert!(matches!(error, Error::Runtime { .. }), "{error:?}");

    // Within the TTL, a cached catalogue needs no runtime.
    let fetched = server_runtime.block_on(cache.get()).unwrap();
    let served = outside(cache.get()).unwrap();
    assert!(Arc::ptr_eq(&served, &fetched));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn each_constructor_caches_its_own_list_with_its_ttl() {
    use netverify::ListKey;
    let server = MockServer::builder().start().await.unwrap();
    let hour = Duration::from_secs(3600);
    let minute = Duration::from_secs(60);
    for (cache, list_key, ttl) in [
        (
            CachedCatalogue::supported(mock_client(&server), minute),
            ListKey::SupportedIdTypes,
            minute,
        ),
        (
            CachedCatalogue::accepted(mock_client(&server), 2 * minute),
            ListKey::AcceptedIdTypes,
            2 * minute,
        ),
        (
            CachedCatalogue::supported_builder(mock_client(&server)).build(),
            ListKey::SupportedIdTypes,
            hour,
        ),
        (
            CachedCatalogue::accepted_builder(mock_client(&server))
                .ttl(3 * minute)
                .build(),
            ListKey::AcceptedIdTypes,
            3 * minute,
        ),
    ] {
        assert_eq!(cache.ttl(), ttl);
        assert_eq!(cache.get().await.unwrap().list_key(), list_key);
    }
    let paths: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.uri().path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [SUPPORTED_PATH, ACCEPTED_PATH, SUPPORTED_PATH, ACCEPTED_PATH]
    );
}

#[tokio::test(start_paused = true)]
async fn a_catalogue_is_fresh_until_exactly_its_ttl() {
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_secs(60);
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(ttl)
        .build();
    let first = cache.get().await.unwrap();

    tokio::time::advance(ttl - Duration::from_millis(1)).await;
    let served = poll_once(cache.get()).unwrap().unwrap();
    assert!(Arc::ptr_eq(&served, &first));
    assert!(!cache.status().is_refreshing(), "fresh: no refresh");

    // At exactly the TTL: still served at once, and a refresh starts.
    tokio::time::advance(Duration::from_millis(1)).await;
    let served = poll_once(cache.get()).unwrap().unwrap();
    assert!(Arc::ptr_eq(&served, &first));
    assert!(cache.status().is_refreshing(), "expired: a refresh runs");
    settle().await;
    assert_eq!(server.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_stale_catalogue_is_served_until_exactly_ttl_plus_max_staleness() {
    const SERVING: &str = "catalogue refresh failed; serving the last good catalogue";
    const TOO_OLD: &str = "catalogue refresh failed; no catalogue young enough to serve";
    let (traces, _guard) = traces();
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_secs(60);
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(ttl)
        .max_staleness(ttl)
        .failure_backoff(HOUR, HOUR)
        .build();
    let first = cache.get().await.unwrap();
    // Refreshes fail, so the first catalogue only ages; after the first
    // failure, the hour of backoff keeps any other refresh from starting.
    server.faults().push_n(
        1000,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
    tokio::time::advance(ttl + Duration::from_secs(1)).await;
    cache.refresh().await.unwrap_err();
    assert_eq!(traces.text().matches(SERVING).count(), 1);

    tokio::time::advance(ttl - Duration::from_secs(1) - Duration::from_millis(1)).await;
    assert!(cache.status().is_servable());
    let served = poll_once(cache.get()).unwrap().unwrap();
    assert!(Arc::ptr_eq(&served, &first), "stale but servable");

    // At exactly TTL + max staleness it is no longer served: the failure is.
    tokio::time::advance(Duration::from_millis(1)).await;
    assert!(!cache.status().is_servable());
    let error = poll_once(cache.get())
        .expect("during the backoff the failure is answered at once")
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    // A refresh failing now says that nothing is served.
    cache.refresh().await.unwrap_err();
    let logged = traces.text();
    assert_eq!(logged.matches(SERVING).count(), 1, "{logged}");
    assert_eq!(logged.matches(TOO_OLD).count(), 1, "{logged}");
    assert_eq!(server.request_count(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_clocks_range_holds_refreshes_for_a_year() {
    const DAY: Duration = Duration::from_secs(86_400);
    let server = MockServer::builder().start().await.unwrap();
    server.faults().push(Fault::ServiceUnavailable {
        retry_after_secs: Some(u64::MAX),
    });
    let cache = CachedCatalogue::accepted_builder(mock_client(&server)).build();
    cache.get().await.unwrap_err();
    assert_eq!(server.request_count(), 1);
    tokio::time::advance(364 * DAY).await;
    let error = poll_once(cache.get())
        .expect("during the backoff the failure is answered at once")
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    assert_eq!(server.request_count(), 1);
    tokio::time::advance(DAY).await;
    cache.get().await.unwrap();
    assert_eq!(server.request_count(), 2);
}

/// The temporary file is made beside the target, not in the working
/// directory: a rename cannot cross filesystems (a container's mounted
/// volume, say). Linux only, where /dev/shm is a tmpfs of its own.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_file_on_another_filesystem_than_the_working_directory_is_written() {
    use std::os::unix::fs::MetadataExt as _;
    let other = std::path::Path::new("/dev/shm");
    let working = std::env::current_dir().unwrap();
    assert_ne!(
        other.metadata().unwrap().dev(),
        working.metadata().unwrap().dev(),
        "this test needs /dev/shm on a filesystem of its own"
    );
    let path = TempPath(other.join(format!("netverify-cache-shm-{}.json", std::process::id())));
    let server = MockServer::builder().start().await.unwrap();
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .persist_to(&path.0)
        .build();
    let fetched = cache.get().await.unwrap();
    let saved = Catalogue::from_json(&std::fs::read(&path.0).unwrap()).unwrap();
    assert_eq!(saved.len(), fetched.len());
}

#[tokio::test]
async fn debug_shows_the_list_the_limits_and_the_status() {
    let server = MockServer::builder().start().await.unwrap();
    let cache = CachedCatalogue::accepted_builder(mock_client(&server))
        .ttl(Duration::from_secs(90))
        .max_staleness(Duration::from_secs(7))
        .build();
    cache.get().await.unwrap();
    let shown = format!("{cache:?}");
    for part in [
        "CachedCatalogue",
        "acceptedIdTypes",
        "ttl: 90s",
        "max_staleness: 7s",
        "store: None",
        "servable: true",
    ] {
        assert!(shown.contains(part), "{part:?} missing from {shown}");
    }
}

#[tokio::test(start_paused = true)]
async fn warm_up_returns_once_servable_and_retries_within_its_deadline() {
    let server = MockServer::builder().start().await.unwrap();
    server.faults().push_n(
        2,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
    let cache = CachedCatalogue::supported_builder(mock_client(&server)).build();
    let started = tokio::time::Instant::now();
    // (No deadline the clock can reach: until servable.)
    let status = cache.warm_up(Duration::MAX).await;
    // Two failures, then a success after the backoff (1 s, then 2 s).
    assert!(status.is_servable(), "{status:?}");
    assert_eq!(server.request_count(), 3);
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    assert!(status.last_error().is_none());

    // Ready already: at once.
    let started = tokio::time::Instant::now();
    assert!(cache.warm_up(Duration::from_secs(60)).await.is_servable());
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn warm_up_during_an_outage_returns_at_its_deadline_with_the_status() {
    let server = MockServer::builder().start().await.unwrap();
    server.faults().push_n(1000, Fault::BadGateway);
    let cache = CachedCatalogue::accepted_builder(mock_client(&server)).build();
    let started = tokio::time::Instant::now();
    let status = cache.warm_up(Duration::from_secs(10)).await;
    assert_eq!(started.elapsed(), Duration::from_secs(10));
    assert!(!status.is_servable());
    assert_eq!(
        status
            .last_error()
            .and_then(|error| error.status())
            .map(|s| s.as_u16()),
        Some(502)
    );
    // Retried as the backoff allowed: at 0, 1, 3 and 7 s.
    assert_eq!(server.request_count(), 4);
    assert_eq!(status.consecutive_failures(), 4);
}

#[tokio::test]
async fn a_fixed_catalogue_is_served_without_a_server() {
    let catalogue = Catalogue::from_json(ACCEPTED.as_bytes()).unwrap();
    let cache = CachedCatalogue::fixed(catalogue.clone());
    let served = cache.get().await.unwrap();
    assert_eq!(*served, catalogue);
    assert!(Arc::ptr_eq(&served, &cache.get().await.unwrap()));
    assert_eq!(*cache.refresh().await.unwrap(), catalogue);
    assert!(cache.status().is_servable());
    assert!(cache.warm_up(Duration::ZERO).await.is_servable());
    assert!(format!("{cache:?}").contains("acceptedIdTypes"));
}

#[tokio::test(start_paused = true)]
async fn a_background_refresh_starts_again_at_exactly_the_end_of_the_backoff() {
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_secs(60);
    let backoff = Duration::from_secs(10);
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(ttl)
        .failure_backoff(backoff, backoff)
        .build();
    cache.get().await.unwrap();
    server.faults().push_n(
        1000,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
    tokio::time::advance(ttl).await;
    cache.refresh().await.unwrap_err();

    tokio::time::advance(backoff - Duration::from_millis(1)).await;
    poll_once(cache.get()).unwrap().unwrap();
    assert!(!cache.status().is_refreshing(), "within the backoff");
    tokio::time::advance(Duration::from_millis(1)).await;
    poll_once(cache.get()).unwrap().unwrap();
    assert!(cache.status().is_refreshing(), "the backoff has passed");
}

#[tokio::test(start_paused = true)]
async fn at_exactly_ttl_plus_max_staleness_a_failed_refresh_is_the_answer() {
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_secs(60);
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(ttl)
        .max_staleness(ttl)
        .build();
    cache.get().await.unwrap();
    server.faults().push_n(
        1000,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
    tokio::time::advance(ttl * 2).await;
    let error = cache.get().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error}");
    assert_eq!(server.request_count(), 2);
}

/// Two caches sharing one file, as two processes sharing a disk would.
#[tokio::test(start_paused = true)]
async fn a_newer_catalogue_in_the_store_is_taken_without_a_request() {
    let path = TempPath::new("shared");
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_secs(60);
    let cache = |server: &MockServer| {
        CachedCatalogue::supported_builder(mock_client(server))
            .ttl(ttl)
            .persist_to(&path.0)
            .build()
    };
    let first = cache(&server);
    first.get().await.unwrap();
    let second = cache(&server);
    assert_eq!(second.status().age().map(|age| age < ttl), Some(true));

    // The first refreshes (the timestamps are in milliseconds) and saves.
    tokio::time::sleep(Duration::from_millis(5)).await;
    std::thread::sleep(Duration::from_millis(5));
    let newer = first.refresh().await.unwrap();
    assert_eq!(server.request_count(), 2);
    // The second's TTL ends: its refresh takes the newer catalogue from the
    // file, which is within its TTL, and asks Jumio nothing.
    tokio::time::advance(ttl).await;
    second.get().await.unwrap();
    settle().await;
    assert_eq!(second.get().await.unwrap().timestamp(), newer.timestamp());
    assert_eq!(server.request_count(), 2);
    assert!(second.status().last_success().is_some());
}

/// A cache with nothing to serve finds a stale but servable catalogue in
/// the store, and Jumio fails: the stale catalogue is the answer.
#[tokio::test(start_paused = true)]
async fn a_stale_catalogue_from_the_store_is_served_when_jumio_fails() {
    let path = TempPath::new("stale-store");
    let server = MockServer::builder().start().await.unwrap();
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .persist_to(&path.0)
        .build();
    // Written after the cache was built: two hours old, past the 1 h TTL,
    // within the 24 h of staleness.
    let fetched = mock_client(&server).supported_id_types().await.unwrap();
    let old = Catalogue::new(
        chrono::Utc::now() - chrono::Duration::hours(2),
        fetched.list_key(),
        fetched.countries().to_vec(),
    );
    std::fs::write(&path.0, serde_json::to_vec(&old).unwrap()).unwrap();
    server.faults().push_n(
        1000,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
    let served = cache.get().await.unwrap();
    assert_eq!(*served, old);
    let status = cache.status();
    assert_eq!(
        status
            .last_error()
            .and_then(|error| error.status())
            .map(|s| s.as_u16()),
        Some(503)
    );
    assert!(status.age().unwrap() >= Duration::from_secs(2 * 3600));
}

/// A store shared with another replica that holds the lease: it keeps one
/// catalogue, refuses every lease and counts the loads.
#[derive(Clone, Debug, Default)]
struct LeaseHeldElsewhere {
    stored: Arc<std::sync::Mutex<Option<Catalogue>>>,
    loads: Arc<std::sync::atomic::AtomicUsize>,
}

impl netverify::CatalogueStore for LeaseHeldElsewhere {
    fn load(&self, _: netverify::Operation) -> netverify::StoreFuture<'_, Option<Catalogue>> {
        self.loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let stored = self.stored.lock().unwrap().clone();
        Box::pin(async move { Ok(stored) })
    }

    fn save(
        &self,
        _: netverify::Operation,
        catalogue: Arc<Catalogue>,
    ) -> netverify::StoreFuture<'_, ()> {
        *self.stored.lock().unwrap() = Some(Catalogue::clone(&catalogue));
        Box::pin(async { Ok(()) })
    }

    fn lease(&self, _: netverify::Operation, _: Duration) -> netverify::StoreFuture<'_, bool> {
        Box::pin(async { Ok(false) })
    }
}

#[tokio::test(start_paused = true)]
async fn refused_the_lease_a_replica_serves_its_own_and_looks_again_after_store_poll() {
    let server = MockServer::builder().start().await.unwrap();
    let store = LeaseHeldElsewhere::default();
    let ttl = Duration::from_secs(60);
    let poll = Duration::from_secs(5);
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(ttl)
        .store(store.clone())
        .store_poll(poll)
        .build();
    // Nothing to serve: refused the lease, it asks Jumio itself.
    let first = cache.get().await.unwrap();
    assert_eq!(server.request_count(), 1);

    // Past the TTL, with a catalogue to serve: no request to Jumio; the
    // store is looked at again only after store_poll.
    tokio::time::advance(ttl).await;
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    settle_briefly().await;
    let loads = store.loads.load(std::sync::atomic::Ordering::SeqCst);
    for _ in 0..10 {
        assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
        settle_briefly().await;
    }
    assert_eq!(store.loads.load(std::sync::atomic::Ordering::SeqCst), loads);
    tokio::time::advance(poll).await;
    cache.get().await.unwrap();
    settle_briefly().await;
    assert_eq!(
        store.loads.load(std::sync::atomic::Ordering::SeqCst),
        loads + 1
    );
    // refresh() ends too, with the catalogue it has.
    let refreshed = tokio::time::timeout(Duration::from_secs(1), cache.refresh())
        .await
        .expect("refresh() ended")
        .unwrap();
    assert!(Arc::ptr_eq(&refreshed, &first));
    assert_eq!(server.request_count(), 1);
}

/// At exactly TTL + max staleness the cache's own catalogue is no longer
/// servable, so a replica refused the lease does not wait for the holder:
/// it asks Jumio itself.
#[tokio::test(start_paused = true)]
async fn at_exactly_ttl_plus_max_staleness_a_replica_refused_the_lease_asks_jumio() {
    let server = MockServer::builder().start().await.unwrap();
    let (ttl, staleness) = (Duration::from_secs(60), Duration::from_secs(30));
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .ttl(ttl)
        .max_staleness(staleness)
        .store(LeaseHeldElsewhere::default())
        .build();
    cache.get().await.unwrap();

    tokio::time::advance(ttl + staleness).await;
    tokio::time::timeout(HOUR, cache.get())
        .await
        .expect("the get waited for the lease holder")
        .unwrap();
    assert_eq!(server.request_count(), 2);
}

/// Lets a spawned refresh that waits on nothing but the store finish,
/// without moving the paused clock.
async fn settle_briefly() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

/// The store contract, for the file store: a save never replaces a
/// catalogue as new or newer (the same timestamp keeps the first), and an
/// older file is replaced.
#[tokio::test]
async fn a_file_store_never_replaces_a_newer_catalogue_with_an_older_one() {
    use netverify::{
        CatalogueStore, Country, CountryCode, Document, FileStore, ListKey, Operation,
    };
    let path = TempPath::new("store-order");
    let store = FileStore::new(&path.0);
    let list = Operation::SupportedIdTypes;
    let at = |minute: i64, id_type: IdType| {
        let nld = CountryCode::new("NLD").unwrap();
        let timestamp = chrono::DateTime::from_timestamp(1_700_000_000 + 60 * minute, 0).unwrap();
        Arc::new(Catalogue::new(
            timestamp,
            ListKey::SupportedIdTypes,
            vec![Country::new(
                nld,
                "Netherlands",
                vec![Document::new(id_type, false)],
            )],
        ))
    };
    let newer = at(10, IdType::Passport);
    store.save(list, newer.clone()).await.unwrap();

    for (case, other) in [
        ("older", at(0, IdType::Visa)),
        ("as new", at(10, IdType::Visa)),
    ] {
        store.save(list, other).await.unwrap();
        assert_eq!(
            store.load(list).await.unwrap().as_ref(),
            Some(&*newer),
            "{case}"
        );
    }
    let newest = at(20, IdType::Visa);
    store.save(list, newest.clone()).await.unwrap();
    assert_eq!(store.load(list).await.unwrap().as_ref(), Some(&*newest));
}

/// A store that never answers, as a Redis that hangs.
#[derive(Debug)]
struct SilentStore;

impl netverify::CatalogueStore for SilentStore {
    fn load(&self, _: netverify::Operation) -> netverify::StoreFuture<'_, Option<Catalogue>> {
        Box::pin(std::future::pending())
    }
    fn save(&self, _: netverify::Operation, _: Arc<Catalogue>) -> netverify::StoreFuture<'_, ()> {
        Box::pin(std::future::pending())
    }
    fn lease(&self, _: netverify::Operation, _: Duration) -> netverify::StoreFuture<'_, bool> {
        Box::pin(std::future::pending())
    }
}

/// `store_timeout`'s doc: a store that never answers holds a `get` with
/// nothing to serve for the load and the save, each the store timeout
/// (default 1 s), and a warm `get` not at all.
#[tokio::test(start_paused = true)]
async fn a_store_that_never_answers_holds_a_get_only_for_its_store_timeouts() {
    let server = MockServer::builder().start().await.unwrap();
    let cache = CachedCatalogue::supported_builder(mock_client(&server))
        .store(SilentStore)
        .build();

    let started = tokio::time::Instant::now();
    tokio::time::timeout(HOUR, cache.get())
        .await
        .expect("a get waited on the store beyond its timeouts")
        .unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_millis(2010),
        "{waited:?}"
    );
    assert_eq!(server.request_count(), 1);
    assert_eq!(
        cache
            .status()
            .store_error()
            .map(ToString::to_string)
            .as_deref(),
        Some("no answer within the store timeout of 1s")
    );

    let started = tokio::time::Instant::now();
    cache.get().await.unwrap();
    assert_eq!(started.elapsed(), Duration::ZERO, "a warm get");
}
