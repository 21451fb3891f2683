//! Three OS processes, each a replica with its own cache, client and Redis
//! connection, sharing one key prefix, agree on the catalogue after Jumio
//! changes it. The processes are this test binary again, running
//! `replica_process` (which does nothing when run as a test of its own).

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use netverify::{CountryCode, IdType};
use netverify_mock::MockServer;

const REPLICA: &str = "NETVERIFY_TEST_REPLICA";

/// The body of a replica process: serves the supported list from a cache
/// with the Redis store, and prints `served <timestamp in ms> <whether NLD
/// offers a visa>` each time what it serves changes, until stdin closes.
#[test]
fn replica_process() {
    let Ok(config) = std::env::var(REPLICA) else {
        return; // run as a test of its own: nothing to do
    };
    let [base_url, redis_url, prefix]: [&str; 3] =
        config.split(' ').collect::<Vec<_>>().try_into().unwrap();
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_line(&mut String::new());
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = netverify::Client::builder()
            .base_url(base_url)
            .credentials(
                netverify_mock::DEFAULT_TOKEN,
                netverify_mock::DEFAULT_SECRET,
            )
            .user_agent("Acme KYC/1.0")
            .retry_policy(netverify::RetryPolicy::none())
            .build()
            .unwrap();
        let cache = netverify::CachedCatalogue::supported_builder(client)
            .ttl(Duration::from_secs(2))
            .store(netverify_redis::RedisStore::new(redis_url, prefix).unwrap())
            .store_poll(Duration::from_millis(20))
            .store_timeout(Duration::from_secs(10))
            .build();
        let mut shown = None;
        loop {
            if let Ok(catalogue) = cache.get().await {
                let visa = catalogue.contains(CountryCode::new("NLD").unwrap(), &IdType::Visa);
                let now = (catalogue.timestamp().timestamp_millis(), visa);
                if shown != Some(now) {
                    println!("served {} {visa}", now.0);
                    shown = Some(now);
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
}

/// A replica process and the lines it prints.
struct Replica {
    process: Child,
    lines: mpsc::Receiver<(i64, bool)>,
}

impl Replica {
    fn start(base_url: &str, redis_url: &str, prefix: &str) -> Replica {
        let mut process = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "replica_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(REPLICA, format!("{base_url} {redis_url} {prefix}"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = process.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(served) = line.strip_prefix("served ") {
                    let (millis, visa) = served.split_once(' ').unwrap();
                    let _ = sender.send((millis.parse().unwrap(), visa == "true"));
                }
            }
        });
        Replica { process, lines }
    }

    /// The first catalogue it serves for which `wanted` holds.
    fn until(&self, wanted: impl Fn(bool) -> bool) -> i64 {
        loop {
            let (millis, visa) = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .expect("the replica served nothing new for a minute");
            if wanted(visa) {
                return millis;
            }
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        drop(self.process.stdin.take()); // it exits when stdin closes
        let _ = self.process.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_sharing_a_prefix_agree_after_a_change() {
    let url = shared_redis_url();
    let prefix = Prefix::new("processes", &url);
    let server = MockServer::builder().start().await.unwrap();
    let addr = server.addr();
    let replicas: Vec<_> = (0..3)
        .map(|_| Replica::start(&server.base_url(), &url, &prefix.prefix))
        .collect();
    for replica in &replicas {
        replica.until(|visa| !visa);
    }

    // Jumio changes its catalogue: NLD now offers a visa.
    server.shutdown().await.unwrap();
    let changed = MockServer::builder()
        .bind(addr)
        .catalogue(sample_with(&[("NLD", "VISA")]))
        .start()
        .await
        .unwrap();
    let first_with_the_change: Vec<i64> = tokio::task::block_in_place(|| {
        replicas
            .iter()
            .map(|replica| replica.until(|visa| visa))
            .collect()
    });
    assert!(
        first_with_the_change
            .iter()
            .all(|&millis| millis == first_with_the_change[0]),
        "the replicas served different catalogues: {first_with_the_change:?}"
    );
    assert_eq!(changed.request_count(), 1, "one replica asked Jumio");
}
