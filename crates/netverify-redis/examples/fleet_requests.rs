//! How many requests a fleet of replicas makes to Jumio (the mock) over ten
//! TTL periods, with the Redis store and without it: the numbers behind
//! BENCHMARKS.md's "Replicas sharing one catalogue". Needs the machine's
//! Redis on 127.0.0.1:6379 (keys under a prefix of its own, deleted at the
//! end).
//!
//! ```sh
//! cargo run --release -p netverify-redis --example fleet_requests
//! ```
//!
//! Each replica is a cache with its own client and its own Redis
//! connection; the replicas start one after another, then each calls
//! `get()` every 10 ms for ten TTLs of 200 ms.

use std::time::Duration;

use netverify::{CachedCatalogue, Client, RetryPolicy};
use netverify_mock::MockServer;

const TTL: Duration = Duration::from_millis(200);
const PERIODS: u32 = 10;

#[tokio::main]
async fn main() {
    println!("| replicas | requests with the Redis store | requests without |");
    println!("| --- | --- | --- |");
    for replicas in [1, 8, 32] {
        let with = run(replicas, true).await;
        let without = run(replicas, false).await;
        println!("| {replicas} | {with} | {without} |");
    }
}

/// The requests the mock received while `count` replicas served for ten TTLs.
async fn run(count: usize, shared: bool) -> u64 {
    let server = MockServer::builder()
        .start()
        .await
        .expect("the mock starts");
    let prefix = format!(
        "netverify-bench:{}:{:x}:",
        std::process::id(),
        fastrand::u64(..)
    );
    let replicas: Vec<CachedCatalogue> = (0..count)
        .map(|_| {
            let client = Client::builder()
                .base_url(server.base_url())
                .credentials(
                    netverify_mock::DEFAULT_TOKEN,
                    netverify_mock::DEFAULT_SECRET,
                )
                .user_agent("netverify-bench/0")
                .retry_policy(RetryPolicy::none())
                .build()
                .expect("a client");
            let builder = CachedCatalogue::supported_builder(client)
                .ttl(TTL)
                .store_poll(Duration::from_millis(10));
            match shared {
                true => builder.store(
                    netverify_redis::RedisStore::new("redis://127.0.0.1:6379", prefix.as_str())
                        .expect("a store"),
                ),
                false => builder,
            }
            .build()
        })
        .collect();
    for replica in &replicas {
        replica.get().await.expect("a replica starts");
    }
    let until = tokio::time::Instant::now() + TTL * PERIODS;
    while tokio::time::Instant::now() < until {
        for replica in &replicas {
            replica.get().await.expect("served");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let requests = server.request_count();
    if shared {
        let mut redis = redis::Client::open("redis://127.0.0.1:6379")
            .and_then(|client| client.get_connection())
            .expect("Redis on 127.0.0.1:6379");
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{prefix}*"))
            .query(&mut redis)
            .unwrap();
        if !keys.is_empty() {
            redis::cmd("DEL").arg(keys).exec(&mut redis).unwrap();
        }
    }
    requests
}
