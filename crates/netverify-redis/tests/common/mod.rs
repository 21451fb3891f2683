//! What the Redis tests share: the machine's Redis, a Redis of a test's own,
//! unique key prefixes, the mock and its clients.

#![allow(dead_code, reason = "each test file uses part of this module")]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use netverify::{CachedCatalogue, Client, RetryPolicy};
use netverify_api::types::{CountryDocuments, DocumentRequirements};
use netverify_mock::MockServer;
use netverify_redis::RedisStore;

/// The Redis every machine of this project runs.
pub const SHARED_REDIS: &str = "127.0.0.1:6379";

/// The shared Redis's URL; fails the test, saying how to start Redis, when
/// nothing answers there (the Redis tests never pass without Redis).
pub fn shared_redis_url() -> String {
    if TcpStream::connect_timeout(&SHARED_REDIS.parse().unwrap(), Duration::from_secs(2)).is_err() {
        panic!(
            "the Redis tests need Redis on {SHARED_REDIS}, and nothing answers there: start it \
             with `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' \
             --appendonly no`"
        );
    }
    format!("redis://{SHARED_REDIS}")
}

/// A key prefix no other test (or run) uses; its keys are deleted on drop.
pub struct Prefix {
    pub prefix: String,
    url: String,
}

impl Prefix {
    pub fn new(test: &str, url: &str) -> Prefix {
        Prefix {
            prefix: format!(
                "netverify-test:{test}:{}:{:x}:",
                std::process::id(),
                fastrand::u64(..)
            ),
            url: url.to_owned(),
        }
    }

    pub fn store(&self) -> RedisStore {
        RedisStore::new(&self.url, self.prefix.as_str()).unwrap()
    }

    /// A raw connection to the same Redis, to look at and spoil the keys.
    pub fn raw(&self) -> redis::Connection {
        redis::Client::open(self.url.as_str())
            .unwrap()
            .get_connection()
            .unwrap()
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        // Only this test's keys: never a flush of the shared instance.
        if let Ok(mut redis) = redis::Client::open(self.url.as_str())
            .and_then(|client| client.get_connection_with_timeout(Duration::from_secs(1)))
        {
            let keys: Vec<String> = redis::cmd("KEYS")
                .arg(format!("{}*", self.prefix))
                .query(&mut redis)
                .unwrap_or_default();
            if !keys.is_empty() {
                let _: redis::RedisResult<()> = redis::cmd("DEL").arg(keys).query(&mut redis);
            }
        }
    }
}

/// A `redis-server` of the test's own, on a free loopback port, which the
/// test may stop and start again; stopped on drop.
pub struct OwnRedis {
    pub port: u16,
    process: Option<Child>,
}

impl OwnRedis {
    pub fn start() -> OwnRedis {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut redis = OwnRedis {
            port,
            process: None,
        };
        redis.restart();
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on the same port, and waits until it answers.
    pub fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (Debian's redis-server package) runs");
        self.process = Some(child);
        let addr: SocketAddr = ([127, 0, 0, 1], self.port).into();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Stops the server without closing its sockets (`SIGSTOP`): a Redis
    /// that hangs, answering nothing, until [`resume`](Self::resume).
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let pid = self.process.as_ref().expect("a running server").id();
        let status = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} {pid}");
    }

    /// Kills the server, and waits until it is gone.
    pub fn kill(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A client of the mock without retries, so that requests count refreshes.
pub fn mock_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(
            netverify_mock::DEFAULT_TOKEN,
            netverify_mock::DEFAULT_SECRET,
        )
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A replica: a cache of the supported list with a client and a store
/// (a connection) of its own.
pub fn replica(server: &MockServer, prefix: &Prefix, ttl: Duration) -> CachedCatalogue {
    CachedCatalogue::supported_builder(mock_client(server))
        .ttl(ttl)
        .store(prefix.store())
        .store_timeout(Duration::from_secs(10))
        .store_poll(Duration::from_millis(20))
        .build()
}

/// The sample catalogue with `extra` documents added to the named countries.
pub fn sample_with(extra: &[(&str, &str)]) -> netverify_mock::Catalogue {
    let sample = netverify_mock::Catalogue::sample();
    let add = |list: &[CountryDocuments]| {
        let mut list = list.to_vec();
        for (code, id_type) in extra {
            let country = list
                .iter_mut()
                .find(|country| country.country_code.as_str() == *code)
                .expect("a sample country");
            let document: DocumentRequirements = serde_json::from_value(serde_json::json!({
                "acquisitionConfig": {"backSide": false},
                "idType": id_type,
            }))
            .unwrap();
            country.id_types.push(document);
        }
        list
    };
    netverify_mock::Catalogue::new(add(sample.supported()), add(sample.accepted()))
}

/// The sample's supported list as a catalogue with this timestamp.
pub fn supported_at(timestamp: chrono::DateTime<chrono::Utc>) -> netverify::Catalogue {
    let document = serde_json::json!({
        "timestamp": timestamp.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "supportedIdTypes": netverify_mock::Catalogue::sample().supported(),
    });
    netverify::Catalogue::from_json(document.to_string().as_bytes()).unwrap()
}

/// Waits (in real time, up to a minute) until `done` holds.
pub async fn until(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited a minute for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
