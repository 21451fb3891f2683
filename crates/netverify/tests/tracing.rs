//! What the client traces: one span per attempt with its facts, and never a
//! header, a body or the secret.

mod common;

use common::*;
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::MockServer;

#[tokio::test]
async fn spans_carry_operation_attempt_status_duration_and_tracking_id_but_no_secret() {
    let buffer = TraceBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    // The test runtime is single-threaded, so the client and the HTTP
    // connection tasks all report to this subscriber.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    let forbidden = r#"{"httpStatus":"403","message":"Forbidden","requestURI":"/api/netverify/v2/acceptedIdTypes"}"#;
    serve(
        &server,
        ACCEPTED_PATH,
        status(403, forbidden, "application/json"),
    )
    .await;
    serve_times(
        &server,
        SUPPORTED_PATH,
        status(503, "<html>proxy-page-7d1</html>", "text/html"),
        1,
    )
    .await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let client = client(&server);
    client.supported_id_types().await.unwrap();
    let error = client.accepted_id_types().await.unwrap_err();
    tracing::info!(%error, "the caller logs the error");

    let output = buffer.text();
    assert_no_secret(&output);
    // The caller's own log line shows the error; the library's lines show
    // no header and no body.
    let library: Vec<&str> = output
        .lines()
        .filter(|line| !line.contains("the caller logs the error"))
        .collect();
    assert!(library.len() < output.lines().count());
    for line in library {
        for absent in [
            "authorization",
            "basic ",
            "netherlands",
            "proxy-page-7d1",
            "\"message\"",
        ] {
            assert!(
                !line.to_lowercase().contains(absent),
                "{absent:?} in trace output: {line}"
            );
        }
    }
    let closes: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("netverify_request") && line.contains("close"))
        .collect();
    assert_eq!(closes.len(), 3, "one span per attempt:\n{output}");
    assert!(
        closes[0].contains("operation=\"supportedIdTypes\"") && closes[0].contains("attempt=1"),
        "{}",
        closes[0]
    );
    assert!(
        closes[0].contains("status=503") && closes[0].contains(TRACKING_ID),
        "{}",
        closes[0]
    );
    assert!(
        closes[1].contains("attempt=2") && closes[1].contains("status=200"),
        "{}",
        closes[1]
    );
    assert!(
        closes[2].contains("operation=\"acceptedIdTypes\"") && closes[2].contains("status=403"),
        "{}",
        closes[2]
    );
    assert!(
        closes.iter().all(|line| line.contains("duration_ms=")),
        "{output}"
    );
    assert!(output.contains("retrying a transient failure"), "{output}");
}

/// Here, not among tests that trace nothing: a test that sets a subscriber
/// only for its thread while others hit the same callsite without one can
/// miss its events (tracing caches a callsite's interest; the race made this
/// test fail about one run in three under load). Every test of this file
/// sets its subscriber before it calls the client.
#[tokio::test]
async fn each_retry_leaves_one_tracing_event() {
    let traces = TraceBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(traces.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, status(503, "", "text/plain")).await;
    let _ = client(&server).supported_id_types().await.unwrap_err();
    let text = traces.text();
    let retries: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("retrying a transient failure"))
        .collect();
    assert_eq!(retries.len(), 2, "3 attempts, 2 retries:\n{text}");
    assert!(retries[0].contains("attempt=1") && retries[0].contains("status=503"));
}
