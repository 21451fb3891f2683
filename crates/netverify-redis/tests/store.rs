//! The Redis store on the machine's Redis (a key prefix per test) and on a
//! `redis-server` of the test's own where Redis must die, with replicas that
//! are separate caches with their own clients and connections, against the
//! mock.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::*;
use netverify::{CatalogueStore, Operation};
use netverify_mock::{Fault, MockServer};

const SUPPORTED: Operation = Operation::SupportedIdTypes;

fn traces() -> (TraceBuffer, tracing::subscriber::DefaultGuard) {
    let buffer = TraceBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    (buffer, tracing::subscriber::set_default(subscriber))
}

#[derive(Clone, Default)]
struct TraceBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl TraceBuffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for TraceBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for TraceBuffer {
    type Writer = TraceBuffer;
    fn make_writer(&'a self) -> TraceBuffer {
        self.clone()
    }
}

#[tokio::test]
async fn each_list_is_saved_under_its_own_key_with_its_timestamp_and_no_credentials() {
    let prefix = Prefix::new("keys", &shared_redis_url());
    let store = prefix.store();
    assert_eq!(store.load(SUPPORTED).await.unwrap(), None, "nothing yet");

    let server = MockServer::builder().start().await.unwrap();
    let client = mock_client(&server);
    let supported = Arc::new(client.supported_id_types().await.unwrap());
    let accepted = Arc::new(client.accepted_id_types().await.unwrap());
    store.save(SUPPORTED, supported.clone()).await.unwrap();
    store
        .save(Operation::AcceptedIdTypes, accepted.clone())
        .await
        .unwrap();
    assert_eq!(
        store.load(SUPPORTED).await.unwrap().as_ref(),
        Some(&*supported)
    );
    assert_eq!(
        store
            .load(Operation::AcceptedIdTypes)
            .await
            .unwrap()
            .as_ref(),
        Some(&*accepted)
    );

    let raw: Vec<u8> = redis::cmd("GET")
        .arg(format!("{}supportedIdTypes", prefix.prefix))
        .query(&mut prefix.raw())
        .unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (header, json) = raw.split_once('\n').unwrap();
    assert_eq!(
        header,
        format!(
            "{} supportedIdTypes",
            supported.timestamp().timestamp_millis()
        )
    );
    assert_eq!(
        netverify::Catalogue::from_json(json.as_bytes()).unwrap(),
        *supported
    );
    for credential in [
        netverify_mock::DEFAULT_TOKEN,
        netverify_mock::DEFAULT_SECRET,
    ] {
        assert!(!raw.contains(credential), "a credential reached Redis");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_racing_writers_the_newest_catalogue_stays() {
    let prefix = Prefix::new("race", &shared_redis_url());
    let now = Utc::now();
    for round in 0..5 {
        // 16 writers, each with a connection of its own, save catalogues of
        // 16 different timestamps at once, in an order that differs per round.
        let mut offsets: Vec<i64> = (0..16).collect();
        fastrand::shuffle(&mut offsets);
        let mut writers = tokio::task::JoinSet::new();
        for offset in offsets {
            let store = prefix.store();
            let catalogue = Arc::new(supported_at(now + TimeDelta::seconds(round * 100 + offset)));
            writers.spawn(async move { store.save(SUPPORTED, catalogue).await });
        }
        for saved in writers.join_all().await {
            saved.unwrap();
        }
        let stored = prefix.store().load(SUPPORTED).await.unwrap().unwrap();
        assert_eq!(
            stored.timestamp().timestamp_millis(),
            (now + TimeDelta::seconds(round * 100 + 15)).timestamp_millis(),
            "round {round}"
        );
    }
    // An older catalogue never replaces a newer one.
    let store = prefix.store();
    store
        .save(SUPPORTED, Arc::new(supported_at(now)))
        .await
        .unwrap();
    let stored = store.load(SUPPORTED).await.unwrap().unwrap();
    assert_eq!(
        stored.timestamp().timestamp_millis(),
        (now + TimeDelta::seconds(415)).timestamp_millis()
    );
}

#[tokio::test]
async fn garbage_under_the_key_is_ignored_with_a_warning_and_replaced_only_by_a_good_catalogue() {
    let (traces, _guard) = traces();
    let prefix = Prefix::new("garbage", &shared_redis_url());
    let store = prefix.store();
    let key = store.key(SUPPORTED);
    let mut raw = prefix.raw();
    let good = Arc::new(supported_at(Utc::now()));
    let accepted_header = format!(
        "{} acceptedIdTypes\n{}",
        Utc::now().timestamp_millis(),
        serde_json::to_string(&*good).unwrap()
    );
    let undated = format!(
        "soon supportedIdTypes\n{}",
        serde_json::to_string(&*good).unwrap()
    );
    type Spoil<'a> = &'a dyn Fn(&mut redis::Connection);
    let cases: [(&str, Spoil); 5] = [
        ("not a stored catalogue", &|raw| {
            redis::cmd("SET")
                .arg(&key)
                .arg("garbage")
                .exec(raw)
                .unwrap()
        }),
        ("a header without a timestamp", &|raw| {
            redis::cmd("SET").arg(&key).arg(&undated).exec(raw).unwrap()
        }),
        ("cut off", &|raw| {
            let mut value = format!("{} supportedIdTypes\n", Utc::now().timestamp_millis());
            value.push_str(&serde_json::to_string(&*good).unwrap()[..100]);
            redis::cmd("SET").arg(&key).arg(value).exec(raw).unwrap()
        }),
        ("another list", &|raw| {
            redis::cmd("SET")
                .arg(&key)
                .arg(&accepted_header)
                .exec(raw)
                .unwrap()
        }),
        ("another Redis type", &|raw| {
            redis::cmd("DEL").arg(&key).exec(raw).unwrap();
            redis::cmd("HSET")
                .arg(&key)
                .arg("a")
                .arg("b")
                .exec(raw)
                .unwrap()
        }),
    ];
    for (case, spoil) in cases {
        spoil(&mut raw);
        let before = traces.text().matches("ignoring what Redis holds").count();
        assert_eq!(store.load(SUPPORTED).await.unwrap(), None, "{case}");
        assert_eq!(
            traces.text().matches("ignoring what Redis holds").count(),
            before + 1,
            "{case}: {}",
            traces.text()
        );
        // A good catalogue replaces it, even an old one.
        let old = Arc::new(supported_at(Utc::now() - TimeDelta::days(400)));
        store.save(SUPPORTED, old.clone()).await.unwrap();
        assert_eq!(
            store.load(SUPPORTED).await.unwrap().as_ref(),
            Some(&*old),
            "{case}"
        );
    }
}

#[tokio::test]
async fn one_lease_holder_at_a_time_until_the_lease_runs_out() {
    let prefix = Prefix::new("lease", &shared_redis_url());
    let (first, second) = (prefix.store(), prefix.store());
    let period = Duration::from_millis(300);
    assert!(first.lease(SUPPORTED, period).await.unwrap());
    assert!(!second.lease(SUPPORTED, period).await.unwrap());
    assert!(
        first.lease(SUPPORTED, period).await.unwrap(),
        "its holder has it"
    );
    assert!(
        second
            .lease(Operation::AcceptedIdTypes, period)
            .await
            .unwrap(),
        "one lease per list"
    );
    // The holder "dies": the lease runs out, and another takes it over.
    drop(first);
    until("the lease to run out", async || {
        second.lease(SUPPORTED, period).await.unwrap()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_started_while_jumio_fails_serves_what_another_stored() {
    let prefix = Prefix::new("outage", &shared_redis_url());
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_millis(300);
    let first = replica(&server, &prefix, ttl);
    let stored = first.get().await.unwrap();
    assert_eq!(server.request_count(), 1);

    // Jumio fails, and the stored catalogue is past its TTL: a new replica,
    // with nothing of its own, serves it (and asks Jumio, which fails).
    server.faults().push_n(
        1000,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
    tokio::time::sleep(ttl).await;
    let started = replica(&server, &prefix, ttl);
    let served = started.get().await.unwrap();
    assert_eq!(*served, *stored);
    assert_eq!(server.request_count(), 2);
    let status = started.status();
    assert_eq!(
        status
            .last_error()
            .and_then(|error| error.status())
            .map(|s| s.as_u16()),
        Some(503)
    );
    assert!(status.is_servable() && status.store_error().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_make_one_request_per_ttl_and_agree_after_each() {
    let prefix = Prefix::new("fleet", &shared_redis_url());
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_millis(500);
    let replicas: Vec<_> = (0..8).map(|_| replica(&server, &prefix, ttl)).collect();
    let mut changes: Vec<_> = replicas.iter().map(|replica| replica.subscribe()).collect();

    // One replica starts first; the others take its catalogue from Redis.
    let first = replicas[0].get().await.unwrap();
    for replica in &replicas[1..] {
        assert_eq!(*replica.get().await.unwrap(), *first);
    }
    assert_eq!(server.request_count(), 1);

    let started = tokio::time::Instant::now();
    let mut previous = first.timestamp();
    for period in 1..=3 {
        // Past the TTL every replica is asked: one refreshes from Jumio, and
        // all of them come to serve its catalogue.
        tokio::time::sleep_until(started + ttl * period).await;
        until("every replica to serve the new catalogue", async || {
            let mut newest = true;
            for replica in &replicas {
                newest &= replica.get().await.unwrap().timestamp() > previous;
            }
            newest
        })
        .await;
        let served: Vec<_> = served_by_all(&replicas).await;
        assert!(
            served
                .iter()
                .all(|catalogue| catalogue.timestamp() == served[0].timestamp()),
            "the replicas agree"
        );
        previous = served[0].timestamp();
    }
    // At most one request per TTL that passed (and one to start with), where
    // eight caches of their own would have made eight.
    let periods = (started.elapsed().as_millis() / ttl.as_millis()) as u64;
    let requests = server.request_count();
    assert!(
        (4..=2 + periods).contains(&requests),
        "{requests} requests over {periods} TTLs"
    );
    // Same entries, new timestamps: no change event anywhere.
    for receiver in &mut changes {
        assert!(receiver.try_recv().is_err());
    }
}

async fn served_by_all(replicas: &[netverify::CachedCatalogue]) -> Vec<Arc<netverify::Catalogue>> {
    let mut served = Vec::new();
    for replica in replicas {
        served.push(replica.get().await.unwrap());
    }
    served
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_is_announced_once_per_replica_with_its_diff() {
    let prefix = Prefix::new("change", &shared_redis_url());
    let server = MockServer::builder().start().await.unwrap();
    let addr = server.addr();
    let ttl = Duration::from_millis(300);
    let replicas: Vec<_> = (0..3).map(|_| replica(&server, &prefix, ttl)).collect();
    for replica in &replicas {
        replica.get().await.unwrap();
    }
    let mut changes: Vec<_> = replicas.iter().map(|replica| replica.subscribe()).collect();

    server.shutdown().await.unwrap();
    let changed = MockServer::builder()
        .bind(addr)
        .catalogue(sample_with(&[("NLD", "VISA")]))
        .start()
        .await
        .unwrap();
    until("every replica to serve the change", async || {
        let mut changed = true;
        for replica in &replicas {
            changed &= replica.get().await.unwrap().contains(
                netverify::CountryCode::new("NLD").unwrap(),
                &netverify::IdType::Visa,
            );
        }
        changed
    })
    .await;
    for receiver in &mut changes {
        let change = receiver.try_recv().expect("one change event");
        assert_eq!(change.diff().only_in_right.len(), 1);
        assert!(receiver.try_recv().is_err(), "exactly one");
    }
    assert_eq!(changed.request_count(), 1, "one replica asked Jumio");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_killed_every_servable_get_is_served_and_then_the_store_catches_up() {
    let mut redis = OwnRedis::start();
    let prefix = Prefix::new("killed", &redis.url());
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_millis(200);
    let replicas: Vec<_> = (0..3)
        .map(|_| {
            netverify::CachedCatalogue::supported_builder(mock_client(&server))
                .ttl(ttl)
                .store(prefix.store())
                .store_timeout(Duration::from_millis(500))
                .store_poll(Duration::from_millis(20))
                .build()
        })
        .collect();
    for replica in &replicas {
        replica.get().await.unwrap();
    }

    redis.kill();
    // Three TTLs of gets: every one served; the store's failure is shown;
    // the replicas refresh from Jumio themselves.
    let until_then = tokio::time::Instant::now() + ttl * 3;
    while tokio::time::Instant::now() < until_then {
        for replica in &replicas {
            replica
                .get()
                .await
                .expect("a servable get failed without Redis");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    until("the store's failure to show", async || {
        replicas
            .iter()
            .all(|replica| replica.status().store_error().is_some())
    })
    .await;
    let newest = replicas[0].get().await.unwrap();
    let before = server.request_count();
    assert!(before > 1, "the replicas went to Jumio");

    // Redis is back (empty: it keeps nothing on disk): the next refresh
    // writes the store again.
    redis.restart();
    until("the store to catch up", async || {
        for replica in &replicas {
            replica.get().await.unwrap();
        }
        let stored = prefix.store().load(SUPPORTED).await.unwrap();
        stored.is_some_and(|stored| stored.timestamp() >= newest.timestamp())
    })
    .await;
    until("the store's failure to clear", async || {
        for replica in &replicas {
            replica.get().await.unwrap();
        }
        replicas
            .iter()
            .all(|replica| replica.status().store_error().is_none())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_hanging_every_servable_get_is_served_and_a_new_replica_asks_jumio() {
    let redis = OwnRedis::start();
    let prefix = Prefix::new("paused", &redis.url());
    let server = MockServer::builder().start().await.unwrap();
    let ttl = Duration::from_millis(200);
    let replica = || {
        netverify::CachedCatalogue::supported_builder(mock_client(&server))
            .ttl(ttl)
            .store(prefix.store())
            .store_timeout(Duration::from_millis(300))
            .store_poll(Duration::from_millis(20))
            .build()
    };
    let first = replica();
    first.get().await.unwrap();

    redis.pause();
    // Three TTLs of gets: every one served, the refreshes going to Jumio
    // once the store calls time out.
    let until_then = tokio::time::Instant::now() + ttl * 3;
    while tokio::time::Instant::now() < until_then {
        first
            .get()
            .await
            .expect("a servable get failed with Redis hanging");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A replica started now has nothing to serve: its store calls time
    // out, and it answers from Jumio. (A bound far above its timeouts: a get
    // held by Redis would wait until Redis answers, which it never does.)
    let late = replica();
    tokio::time::timeout(Duration::from_secs(30), late.get())
        .await
        .expect("a get waited for a hanging Redis")
        .unwrap();
    until("the store's failure to show", async || {
        first.get().await.unwrap();
        [&first, &late]
            .iter()
            .all(|replica| replica.status().store_error().is_some())
    })
    .await;

    redis.resume();
    until("the store to answer again", async || {
        for replica in [&first, &late] {
            replica.get().await.unwrap();
        }
        [&first, &late]
            .iter()
            .all(|replica| replica.status().store_error().is_none())
    })
    .await;
}

#[test]
fn its_debug_shows_the_prefix_and_never_the_url() {
    let store = netverify_redis::RedisStore::new(
        "redis://:pw-DO-NOT-LEAK-7c1@127.0.0.1:6379/0",
        "acme-kyc:",
    )
    .unwrap();
    assert_eq!(
        format!("{store:?}"),
        r#"RedisStore { prefix: "acme-kyc:", .. }"#
    );
}
