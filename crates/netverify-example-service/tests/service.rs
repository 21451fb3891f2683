//! The example service against netverify-mock, through real HTTP: normal
//! answers, an outage after warm-up (served from the stale catalogue), a
//! start during an outage with and without a persisted catalogue, and bad
//! input; and the binary, configured from its environment.

use std::time::Duration;

use netverify::{Client, RetryPolicy};
use netverify_mock::{Fault, MockServer};
use serde_json::Value;

fn client(mock: &MockServer) -> Client {
    Client::builder()
        .base_url(mock.base_url())
        .credentials(
            netverify_mock::DEFAULT_TOKEN,
            netverify_mock::DEFAULT_SECRET,
        )
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Serves the app on a free port; its base URL.
async fn serve(cache: netverify::CachedCatalogue) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, netverify_example_service::app(cache))
            .await
            .unwrap()
    });
    url
}

async fn get(url: &str) -> (u16, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = netverify::reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn outage(mock: &MockServer) {
    mock.faults().push_n(
        10_000,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
}

#[tokio::test]
async fn answers_the_accepted_documents_with_back_side_information() {
    let mock = MockServer::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cache, status) = netverify_example_service::start(
        client(&mock),
        dir.path().join("accepted.json"),
        Duration::from_secs(10),
    )
    .await;
    assert!(status.is_servable());
    let url = serve(cache).await;

    let (code, body) = get(&format!("{url}/documents?country=NLD")).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["countryCode"], "NLD");
    let documents = body["idTypes"].as_array().unwrap();
    assert!(!documents.is_empty());
    assert!(
        documents
            .iter()
            .all(|d| d["acquisitionConfig"]["backSide"].is_boolean())
    );
    // The lenient reading of the country.
    assert_eq!(
        get(&format!("{url}/documents?country=%20nld%20")).await.0,
        200
    );

    let (code, health) = get(&format!("{url}/healthz")).await;
    assert_eq!(code, 200);
    assert_eq!(health["servable"], true);
    assert_eq!(health["consecutiveFailures"], 0);
    assert_eq!(health["lastErrorKind"], Value::Null);
}

#[tokio::test]
async fn an_outage_after_warm_up_is_answered_from_the_stale_catalogue() {
    let mock = MockServer::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cache = netverify::CachedCatalogue::accepted_builder(client(&mock))
        .ttl(Duration::from_millis(1)) // stale at once: every get refreshes
        .persist_to(dir.path().join("accepted.json"))
        .build();
    assert!(cache.warm_up(Duration::from_secs(10)).await.is_servable());
    outage(&mock);
    let url = serve(cache.clone()).await;
    tokio::time::sleep(Duration::from_millis(5)).await;

    for _ in 0..3 {
        let (code, body) = get(&format!("{url}/documents?country=NLD")).await;
        assert_eq!(code, 200, "{body}");
    }
    // The failed refreshes show on /healthz once one has ended.
    let failed = cache.refresh().await.unwrap_err();
    assert_eq!(failed.kind(), netverify::ErrorKind::Temporary);
    let (code, health) = get(&format!("{url}/healthz")).await;
    assert_eq!(code, 200);
    assert_eq!(health["lastErrorKind"], "temporary");
    assert!(
        health["consecutiveFailures"].as_u64().unwrap() >= 1,
        "{health}"
    );
}

#[tokio::test]
async fn a_start_during_an_outage_serves_the_persisted_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("accepted.json");
    let earlier = MockServer::builder().start().await.unwrap();
    let (cache, status) = netverify_example_service::start(
        client(&earlier),
        state_file.clone(),
        Duration::from_secs(10),
    )
    .await;
    assert!(status.is_servable());
    drop(cache);

    let mock = MockServer::builder().start().await.unwrap();
    outage(&mock);
    let (cache, status) =
        netverify_example_service::start(client(&mock), state_file, Duration::from_millis(200))
            .await;
    assert!(status.is_servable(), "{status:?}");
    let url = serve(cache).await;
    let (code, body) = get(&format!("{url}/documents?country=NLD")).await;
    assert_eq!(code, 200, "{body}");
}

#[tokio::test]
async fn a_start_during_an_outage_with_nothing_persisted_answers_503_without_internals() {
    let dir = tempfile::tempdir().unwrap();
    let mock = MockServer::builder().start().await.unwrap();
    outage(&mock);
    let (cache, status) = netverify_example_service::start(
        client(&mock),
        dir.path().join("accepted.json"),
        Duration::from_millis(200),
    )
    .await;
    assert!(!status.is_servable());
    let url = serve(cache).await;

    let (code, body) = get(&format!("{url}/documents?country=NLD")).await;
    assert_eq!(code, 503);
    assert_eq!(
        body,
        serde_json::json!({"error": "the document catalogue is not available; try again later"})
    );
    let (code, health) = get(&format!("{url}/healthz")).await;
    assert_eq!(code, 503);
    assert_eq!(health["servable"], false);
    assert_eq!(health["lastErrorKind"], "temporary");
    let text = format!("{body} {health}");
    for internal in ["127.0.0.1", "503 Service", "trackingid", "http://"] {
        assert!(
            !text.to_lowercase().contains(&internal.to_lowercase()),
            "{internal}: {text}"
        );
    }
}

#[tokio::test]
async fn bad_input_gets_a_400_that_does_not_echo_it() {
    let mock = MockServer::builder().start().await.unwrap();
    let cache = netverify::CachedCatalogue::accepted_builder(client(&mock)).build();
    let url = serve(cache).await;
    let long = "A".repeat(10 * 1024);
    for query in ["country=12", "country=", "", &format!("country={long}")] {
        let (code, body) = get(&format!("{url}/documents?{query}")).await;
        assert_eq!(code, 400, "{query:.40}: {body}");
        assert_eq!(
            body,
            serde_json::json!({"error": "country must be an ISO 3166-1 alpha-3 code, such as NLD"})
        );
    }
    assert_eq!(mock.request_count(), 0, "bad input never reaches Jumio");
    // A valid code the account does not accept.
    let (code, _) = get(&format!("{url}/documents?country=ZZZ")).await;
    assert_eq!(code, 404);
}

/// The binary, configured as its header says (the `JUMIO_*` variables,
/// `STATE_FILE`, `LISTEN`), answers against the mock.
#[tokio::test]
async fn the_binary_serves_the_documents_from_its_environment() {
    use std::io::{BufRead, BufReader, Read, Write};

    /// Killed when the test ends, passed or failed.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    let mock = MockServer::builder().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut service = std::process::Command::new(env!("CARGO_BIN_EXE_netverify-example-service"))
        .env("JUMIO_BASE_URL", mock.base_url())
        .env("JUMIO_API_TOKEN", netverify_mock::DEFAULT_TOKEN)
        .env("JUMIO_API_SECRET", netverify_mock::DEFAULT_SECRET)
        .env("JUMIO_USER_AGENT", "Acme KYC/1.0")
        .env("STATE_FILE", dir.path().join("accepted.json"))
        .env("LISTEN", "127.0.0.1:0")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = service.stdout.take().unwrap();
    let _running = Running(service);
    // Read on a thread: the mock answers on this test's runtime meanwhile.
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let address = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("the service printed {line:?}"))
        .to_owned();

    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .write_all(
                b"GET /documents?country=NLD HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n",
            )
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains(r#""countryCode":"NLD""#), "{answer}");
    assert!(dir.path().join("accepted.json").exists(), "the state file");
}
