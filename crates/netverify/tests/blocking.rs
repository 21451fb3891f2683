//! The blocking client: from plain threads with no runtime, from several at
//! once, and refusing (with an error, not a panic) inside a runtime.

mod common;

use std::time::Duration;

use common::mock_builder;
use netverify::Error;
use netverify_mock::{Fault, MockServer};

/// The mock on a runtime of its own thread, as a separate process would be.
fn mock(latency: Duration) -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(MockServer::builder().latency(latency).start())
        .unwrap();
    (runtime, server)
}

fn blocking_client(server: &MockServer) -> netverify::blocking::Client {
    mock_builder(server).build_blocking().unwrap()
}

#[test]
fn works_without_any_runtime_and_matches_the_async_client() {
    let (runtime, server) = mock(Duration::ZERO);
    let client = blocking_client(&server);
    let supported = client.supported_id_types().unwrap();
    let accepted = client.accepted_id_types().unwrap();
    let via_async = runtime
        .block_on(client.as_async().supported_id_types())
        .unwrap();
    // Equal but for the timestamp the mock stamps on each response.
    assert!(supported.diff(&via_async).is_empty());
    assert!(!accepted.is_empty());
    assert_eq!(server.request_count(), 3);
    assert_eq!(
        server.requests()[0].header("user-agent"),
        Some(client.user_agent())
    );
}

#[test]
fn errors_are_the_async_clients_errors() {
    let (_runtime, server) = mock(Duration::ZERO);
    let client = blocking_client(&server);
    server.faults().push(Fault::ServiceUnavailable {
        retry_after_secs: Some(7),
    });
    let error = client.supported_id_types().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
}

#[test]
fn serves_several_threads_at_once() {
    let (_runtime, server) = mock(Duration::from_millis(50));
    let client = blocking_client(&server);
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|_| client.supported_id_types().map(|c| c.len()))
                    .collect::<Result<Vec<_>, _>>()
            })
        })
        .collect();
    for thread in threads {
        let lengths = thread.join().unwrap().unwrap();
        assert!(lengths.iter().all(|&len| len == lengths[0] && len > 0));
    }
    assert_eq!(server.request_count(), 40);
}

#[test]
fn inside_a_runtime_it_returns_an_error_instead_of_panicking() {
    let (_server_runtime, server) = mock(Duration::ZERO);
    let client = blocking_client(&server);
    let check = |result: Result<netverify::Catalogue, Error>| {
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Runtime { .. }), "{error:?}");
        assert_eq!(error.kind(), netverify::ErrorKind::Runtime);
        let message = error.to_string();
        assert!(message.contains("inside a Tokio runtime"), "{message}");
        assert!(
            message.contains("use the async netverify::Client"),
            "{message}"
        );
    };
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    check(current.block_on(async { client.supported_id_types() }));
    let multi = tokio::runtime::Runtime::new().unwrap();
    let in_task = client.clone();
    check(
        multi
            .block_on(async { tokio::spawn(async move { in_task.accepted_id_types() }).await })
            .unwrap(),
    );
    let in_blocking = client.clone();
    check(
        multi
            .block_on(async {
                tokio::task::spawn_blocking(move || in_blocking.supported_id_types()).await
            })
            .unwrap(),
    );
    // Nothing was sent, and the client still works outside.
    assert_eq!(server.request_count(), 0);
    assert!(client.supported_id_types().is_ok());
}

#[test]
fn reports_the_region_base_url_and_user_agent_it_was_built_with() {
    let client = netverify::Client::builder()
        .region(netverify::Region::Sgp)
        .credentials("token", "secret")
        .user_agent("Acme KYC/1.0")
        .build_blocking()
        .unwrap();
    assert_eq!(client.region(), Some(netverify::Region::Sgp));
    assert_eq!(client.base_url(), "https://core-sgp.jumio.com");
    assert_eq!(client.as_async().base_url(), client.base_url());
    assert!(
        client
            .user_agent()
            .starts_with("Acme KYC/1.0 netverify-rs/")
    );

    let (_runtime, server) = mock(Duration::ZERO);
    let client = blocking_client(&server);
    assert_eq!(client.region(), None, "a custom base URL has no region");
    assert_eq!(client.base_url(), server.base_url());
}
