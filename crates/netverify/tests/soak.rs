//! Faults under load: thousands of calls against the mock server, 32 in
//! flight, about a fifth of them answered with a fault. Every call must end,
//! within a bound, in a catalogue or in the typed error its fault predicts;
//! no task may panic or hang, and no file descriptor may stay open.
//!
//! `soak_ci` runs with `cargo test`; `soak_long` is the same at a larger
//! scale, on demand: `cargo test -p netverify --test soak -- --ignored soak_long --nocapture`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use netverify::{Client, Error, RetryPolicy};
use netverify_mock::{Catalogue, DEFAULT_SECRET, DEFAULT_TOKEN, Fault, MockServer};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// The soaks count this process's file descriptors, so they must not overlap.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

struct Soak {
    calls: usize,
    in_flight: usize,
    /// One call in this many queues a fault.
    fault_every: usize,
    attempt_timeout: Duration,
    /// The full sample catalogue (about 250 countries) or Jumio's small
    /// documented samples.
    full_catalogue: bool,
    /// The whole soak must end within this.
    deadline: Duration,
}

/// The injected faults, in rotation, with the outcome each one predicts.
fn faults(attempt_timeout: Duration) -> [(Fault, &'static str); 5] {
    [
        (
            Fault::ServiceUnavailable {
                retry_after_secs: None,
            },
            "Api 503",
        ),
        (
            Fault::TooManyRequests {
                retry_after_secs: Some(0),
            },
            "RateLimited (Retry-After 0)",
        ),
        (Fault::Disconnect, "Incomplete"),
        // Far beyond the attempt timeout; shutting the server down ends it.
        (Fault::Stall(attempt_timeout * 100), "Timeout"),
        (Fault::MalformedJson, "Decode"),
    ]
}

/// The outcome of one call, by the kind of its result.
fn outcome(result: &Result<netverify::Catalogue, Error>, timeout: Duration) -> String {
    match result {
        Ok(catalogue) if !catalogue.is_empty() => "catalogue".into(),
        Ok(_) => "empty catalogue".into(),
        Err(Error::Api { status, .. }) => format!("Api {}", status.as_u16()),
        Err(Error::RateLimited {
            retry_after: Some(wait),
            ..
        }) if wait.is_zero() => "RateLimited (Retry-After 0)".into(),
        Err(Error::Connect { .. }) => "Connect".into(),
        Err(Error::Incomplete { .. }) => "Incomplete".into(),
        Err(Error::Timeout { after, .. }) if *after == timeout => "Timeout".into(),
        // The mock's malformed body has a trailing comma before its last `}`.
        Err(Error::Decode { message, .. }) if message.contains("trailing comma") => "Decode".into(),
        Err(other) => format!("unexpected: {other}"),
    }
}

fn open_file_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn start_server(full_catalogue: bool) -> MockServer {
    let builder = MockServer::builder();
    let builder = if full_catalogue {
        builder
    } else {
        builder.catalogue(Catalogue::documented_samples())
    };
    builder.start().await.unwrap()
}

fn client(server: &MockServer, attempt_timeout: Duration) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(DEFAULT_TOKEN, DEFAULT_SECRET)
        .user_agent("Acme KYC/1.0")
        .attempt_timeout(attempt_timeout)
        // One attempt per call, so that each fault decides one outcome.
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// One call on a fresh runtime, client and server, so that whatever is
/// opened once per process (lazily) is open before counting.
fn warm_up() {
    runtime().block_on(async {
        let server = start_server(false).await;
        client(&server, Duration::from_secs(5))
            .supported_id_types()
            .await
            .unwrap();
        server.shutdown().await.unwrap();
    });
}

fn run(soak: Soak) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    warm_up();
    let fds_before = open_file_descriptors();
    let started = Instant::now();
    let runtime = runtime();
    let (expected, outcomes, requests, peak, hung, panicked) = runtime.block_on(async {
        let server = Arc::new(start_server(soak.full_catalogue).await);
        let client = client(&server, soak.attempt_timeout);
        let rotation = faults(soak.attempt_timeout);
        let mut expected: BTreeMap<String, usize> = BTreeMap::new();
        let permits = Arc::new(Semaphore::new(soak.in_flight));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        // Generous: a call ends in one attempt, well within this.
        let per_call_bound = soak.attempt_timeout + Duration::from_secs(10);
        let mut tasks = JoinSet::new();
        for call in 0..soak.calls {
            let fault = (call % soak.fault_every == 0)
                .then(|| rotation[(call / soak.fault_every) % rotation.len()].clone());
            let predicted = fault.as_ref().map_or("catalogue", |(_, outcome)| *outcome);
            *expected.entry(predicted.to_owned()).or_default() += 1;
            let (server, client, permits) = (server.clone(), client.clone(), permits.clone());
            let (running, peak) = (running.clone(), peak.clone());
            let timeout = soak.attempt_timeout;
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await.unwrap();
                peak.fetch_max(running.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                // Queued right before this call's request, so every fault
                // is taken by some request; which one is up to the race.
                if let Some((fault, _)) = fault {
                    server.faults().push(fault);
                }
                let call = if call % 2 == 0 {
                    tokio::time::timeout(per_call_bound, client.supported_id_types()).await
                } else {
                    tokio::time::timeout(per_call_bound, client.accepted_id_types()).await
                };
                running.fetch_sub(1, Ordering::SeqCst);
                call.map(|result| outcome(&result, timeout))
            });
        }
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        let (mut hung, mut panicked) = (0, 0);
        let all = async {
            while let Some(joined) = tasks.join_next().await {
                match joined {
                    Ok(Ok(outcome)) => *outcomes.entry(outcome).or_default() += 1,
                    Ok(Err(_elapsed)) => hung += 1,
                    Err(error) if error.is_panic() => panicked += 1,
                    Err(error) => panic!("task failed: {error}"),
                }
            }
        };
        tokio::time::timeout(soak.deadline, all)
            .await
            .expect("the soak did not finish within its deadline");
        let requests = server.request_count();
        assert!(server.faults().is_empty(), "every queued fault was served");
        drop(client);
        Arc::into_inner(server)
            .expect("no task holds the server")
            .shutdown()
            .await
            .unwrap();
        (
            expected,
            outcomes,
            requests,
            peak.load(Ordering::SeqCst),
            hung,
            panicked,
        )
    });
    drop(runtime);
    let took = started.elapsed();
    let fds_after = open_file_descriptors();

    eprintln!(
        "soak: {} calls, {} in flight (peak {peak}), {} faults, {requests} requests, \
         {took:.2?}, {:.0} calls/s\n  expected {expected:?}\n  outcomes {outcomes:?}\n  \
         hung {hung}, panicked {panicked}, file descriptors {fds_before} -> {fds_after}",
        soak.calls,
        soak.in_flight,
        soak.calls.div_ceil(soak.fault_every),
        soak.calls as f64 / took.as_secs_f64(),
    );
    assert_eq!(panicked, 0, "tasks panicked");
    assert_eq!(hung, 0, "calls did not end within their bound");
    assert_eq!(outcomes, expected, "each fault predicts one outcome");
    assert_eq!(requests, soak.calls as u64, "one request per call");
    assert_eq!(peak, soak.in_flight);
    assert_eq!(fds_after, fds_before, "file descriptors were left open");
}

#[test]
fn soak_ci() {
    run(Soak {
        calls: 2_000,
        in_flight: 32,
        fault_every: 5,
        attempt_timeout: Duration::from_millis(500),
        full_catalogue: false,
        deadline: Duration::from_secs(120),
    });
}

#[test]
#[ignore = "minutes long; run on demand with --ignored soak_long"]
fn soak_long() {
    run(Soak {
        calls: 50_000,
        in_flight: 32,
        fault_every: 5,
        attempt_timeout: Duration::from_secs(1),
        full_catalogue: true,
        deadline: Duration::from_secs(1800),
    });
}
