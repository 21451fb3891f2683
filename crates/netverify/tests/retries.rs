//! Retry sequences against a scripted server.

mod common;

use std::time::{Duration, Instant};

use common::*;
use netverify::{Error, RetryPolicy};
use wiremock::MockServer;

const UNAVAILABLE: &str = r#"{"httpStatus":"503","message":"Service unavailable"}"#;

#[tokio::test]
async fn two_503s_then_success() {
    let server = MockServer::start().await;
    serve_times(
        &server,
        SUPPORTED_PATH,
        status(503, UNAVAILABLE, "application/json"),
        2,
    )
    .await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let catalogue = client(&server).supported_id_types().await.unwrap();
    assert_eq!(catalogue.len(), 2);
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn attempts_stop_at_the_limit() {
    let server = MockServer::start().await;
    serve(
        &server,
        SUPPORTED_PATH,
        status(503, UNAVAILABLE, "application/json"),
    )
    .await;
    let error = client(&server).supported_id_types().await.unwrap_err();
    assert!(
        matches!(&error, Error::Api { status, .. } if status.as_u16() == 503),
        "{error:?}"
    );
    assert_eq!(error.tracking_id(), Some(TRACKING_ID));
    assert_eq!(request_count(&server).await, 3);

    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, status(504, "", "text/plain")).await;
    let five = builder(&server)
        .retry_policy(fast_retries().max_attempts(5))
        .build()
        .unwrap();
    five.supported_id_types().await.unwrap_err();
    assert_eq!(request_count(&server).await, 5);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = MockServer::start().await;
    serve(
        &server,
        SUPPORTED_PATH,
        status(503, UNAVAILABLE, "application/json"),
    )
    .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.supported_id_types().await.unwrap_err();
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn forbidden_is_not_retried() {
    let server = MockServer::start().await;
    serve(
        &server,
        ACCEPTED_PATH,
        status(403, "{}", "application/json"),
    )
    .await;
    let error = client(&server).accepted_id_types().await.unwrap_err();
    assert!(matches!(error, Error::Forbidden { .. }), "{error:?}");
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn rate_limit_waits_for_retry_after_seconds() {
    let server = MockServer::start().await;
    let limited = status(429, "{}", "application/json").insert_header("Retry-After", "1");
    serve_times(&server, ACCEPTED_PATH, limited, 1).await;
    serve(&server, ACCEPTED_PATH, json(ACCEPTED)).await;
    let started = Instant::now();
    let catalogue = client(&server).accepted_id_types().await.unwrap();
    let waited = started.elapsed();
    assert_eq!(catalogue.len(), 2);
    assert_eq!(request_count(&server).await, 2);
    // The policy's own backoff here is 10 ms: only Retry-After explains this.
    assert!(
        waited >= Duration::from_millis(900),
        "waited only {waited:?}"
    );
}

#[tokio::test]
async fn rate_limit_waits_for_retry_after_http_date() {
    let server = MockServer::start().await;
    // HTTP dates have whole seconds: two seconds ahead is at least one.
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let limited = status(429, "{}", "application/json").insert_header("Retry-After", date.as_str());
    serve_times(&server, SUPPORTED_PATH, limited, 1).await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let started = Instant::now();
    client(&server).supported_id_types().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited only {:?}",
        started.elapsed()
    );
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_policys_limit_ends_the_retries() {
    let server = MockServer::start().await;
    let limited = status(429, "{}", "application/json").insert_header("Retry-After", "3");
    serve(&server, SUPPORTED_PATH, limited).await;
    let client = builder(&server)
        .retry_policy(fast_retries().max_retry_after(Duration::from_secs(2)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.supported_id_types().await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(request_count(&server).await, 1, "not waited for");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_policy_reports_its_attempt_limit() {
    assert_eq!(RetryPolicy::default().attempt_limit(), 3);
    assert_eq!(RetryPolicy::none().attempt_limit(), 1);
    assert_eq!(RetryPolicy::default().max_attempts(5).attempt_limit(), 5);
    assert_eq!(RetryPolicy::default().max_attempts(0).attempt_limit(), 1);
}

/// netverify-mock answering its first three requests with `fault`, and a
/// client of it with the default retries, a 30 s attempt timeout and
/// `deadline`.
async fn failing_three_times(
    fault: netverify_mock::Fault,
    deadline: Duration,
) -> (netverify_mock::MockServer, netverify::Client) {
    let server = netverify_mock::MockServer::builder().start().await.unwrap();
    server.faults().push_n(3, fault);
    let client = mock_builder(&server)
        .retry_policy(RetryPolicy::default())
        .attempt_timeout(Duration::from_secs(30))
        .deadline(deadline)
        .build()
        .unwrap();
    (server, client)
}

/// The deadline bounds the whole call: an attempt still running when it
/// passes is cut off, and the error says the deadline passed (not the
/// attempt timeout), with the attempts made.
#[tokio::test(start_paused = true)]
async fn the_deadline_bounds_every_attempt_backoff_and_retry() {
    let (server, client) = failing_three_times(
        netverify_mock::Fault::Stall(Duration::from_secs(600)),
        Duration::from_secs(45),
    )
    .await;
    let started = tokio::time::Instant::now();
    let error = client.supported_id_types().await.unwrap_err();
    // The first attempt times out at 30 s; the second is cut at 45 s.
    assert_eq!(started.elapsed(), Duration::from_secs(45));
    assert!(
        matches!(error, Error::Deadline { deadline, attempts: 2, .. } if deadline == Duration::from_secs(45)),
        "{error:?}"
    );
    assert_eq!(error.kind(), netverify::ErrorKind::Temporary);
    assert_eq!(
        error.to_string(),
        "the call's deadline of 45.0 s passed before a complete response after 2 attempts"
    );
    assert_eq!(server.request_count(), 2);
}

/// A retry whose wait would end after the deadline is not made: the call
/// ends at once with the last attempt's error, which says what happened.
#[tokio::test(start_paused = true)]
async fn no_retry_is_made_that_could_not_start_before_the_deadline() {
    let (server, client) = failing_three_times(
        netverify_mock::Fault::ServiceUnavailable {
            retry_after_secs: Some(20),
        },
        Duration::from_secs(10),
    )
    .await;
    let started = tokio::time::Instant::now();
    let error = client.supported_id_types().await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(server.request_count(), 1);

    // Without a deadline, the same server is waited for: twice 20 s, then
    // the third attempt succeeds.
    let patient = mock_builder(&server)
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    patient.supported_id_types().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(40));
    assert_eq!(server.request_count(), 4);
}

/// "Could not start before the deadline" includes a retry that would start
/// exactly at it: the deadline would cut it off at once.
#[tokio::test(start_paused = true)]
async fn no_retry_is_made_that_would_start_exactly_at_the_deadline() {
    let (server, client) = failing_three_times(
        netverify_mock::Fault::ServiceUnavailable {
            retry_after_secs: Some(20),
        },
        Duration::from_secs(20),
    )
    .await;
    let error = client.supported_id_types().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert_eq!(error.attempts(), 1);
    assert_eq!(server.request_count(), 1);
}

/// When the deadline and an attempt's timeout end at the same moment, the
/// error is the attempt's timeout: the attempt ran its whole time.
#[tokio::test(start_paused = true)]
async fn a_deadline_that_ends_with_the_attempt_timeout_reports_the_timeout() {
    let (server, client) = failing_three_times(
        netverify_mock::Fault::Stall(Duration::from_secs(600)),
        Duration::from_secs(30),
    )
    .await;
    let error = client.supported_id_types().await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(server.request_count(), 1);
}

#[test]
fn a_zero_deadline_is_refused() {
    let built = netverify::Client::builder()
        .credentials("token", "secret")
        .user_agent("Acme KYC/1.0")
        .deadline(Duration::ZERO)
        .build();
    assert!(
        matches!(
            built,
            Err(Error::Config(netverify::ConfigError::ZeroTimeout {
                setting: "deadline"
            }))
        ),
        "{built:?}"
    );
}
