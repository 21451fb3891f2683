//! Every answer is exact or a loud, specific error: lists that are missing,
//! the one rule for the accepted list's key, server reasons, attempts and
//! time spent, and one error chain without repeats.

mod common;

use std::time::{Duration, Instant};

use common::{
    ACCEPTED, ACCEPTED_PATH, SUPPORTED_PATH, builder, client, fast_retries, json, serve, status,
};
use netverify::{Catalogue, Error, ListKey, RetryPolicy};
use serde_json::json;
use wiremock::MockServer;

const TIMESTAMP: &str = "2019-03-01T14:13:38.938Z";

fn nld() -> serde_json::Value {
    json!({"countryCode": "NLD", "countryName": "Netherlands", "idTypes": [
        {"acquisitionConfig": {"backSide": true}, "idType": "ID_CARD"}]})
}

#[tokio::test]
async fn an_accepted_answer_without_its_list_is_a_decode_error_naming_both_keys() {
    for body in [
        json!({ "timestamp": TIMESTAMP }),
        json!({ "timestamp": TIMESTAMP, "acceptedIdType": [nld()] }),
    ] {
        let server = MockServer::start().await;
        serve(&server, ACCEPTED_PATH, json(&body.to_string())).await;
        let error = client(&server).accepted_id_types().await.unwrap_err();
        let Error::Decode { ref message, .. } = error else {
            panic!("{body}: expected Error::Decode, got {error:?}")
        };
        assert!(
            message.contains("`acceptedIdTypes`") && message.contains("`supportedIdTypes`"),
            "{message}"
        );
        // The same document, loaded from a file, fails the same way.
        let loaded = Catalogue::from_json(body.to_string().as_bytes()).unwrap_err();
        assert!(
            matches!(loaded, Error::Decode { .. })
                && loaded.to_string().contains("`acceptedIdTypes`"),
            "{loaded}"
        );
    }
}

#[tokio::test]
async fn client_and_from_json_apply_one_rule_for_the_list_key() {
    // Both keys: `acceptedIdTypes` is the list, even when it is empty.
    let both =
        json!({ "timestamp": TIMESTAMP, "acceptedIdTypes": [], "supportedIdTypes": [nld()] });
    let only_supported = json!({ "timestamp": TIMESTAMP, "supportedIdTypes": [nld()] });
    for (document, key, countries) in [
        (both, ListKey::AcceptedIdTypes, 0),
        (only_supported, ListKey::SupportedIdTypes, 1),
    ] {
        let server = MockServer::start().await;
        serve(&server, ACCEPTED_PATH, json(&document.to_string())).await;
        let fetched = client(&server).accepted_id_types().await.unwrap();
        let loaded = Catalogue::from_json(document.to_string().as_bytes()).unwrap();
        assert_eq!(fetched.list_key(), key, "{document}");
        assert_eq!(fetched.len(), countries, "{document}");
        assert_eq!(loaded.list_key(), key, "{document}");
        assert_eq!(loaded.len(), countries, "{document}");
        assert_eq!(fetched.countries(), loaded.countries());
        // The client knows the endpoint; a raw document's key names it.
        assert_eq!(fetched.endpoint(), netverify::Operation::AcceptedIdTypes);
        assert_eq!(
            ListKey::select(Some("accepted"), Some("supported")),
            Ok((ListKey::AcceptedIdTypes, "accepted"))
        );
    }
}

#[tokio::test]
async fn a_403_shows_the_servers_reason_then_the_hint() {
    let server = MockServer::start().await;
    let body = json!({"httpStatus": "403", "message": "Forbidden: wrong API token or secret",
        "requestURI": SUPPORTED_PATH});
    serve(
        &server,
        SUPPORTED_PATH,
        status(403, &body.to_string(), "application/json"),
    )
    .await;
    let error = client(&server).supported_id_types().await.unwrap_err();
    let message = error.to_string();
    let reason = message
        .find("Forbidden: wrong API token or secret")
        .unwrap_or_else(|| panic!("no server reason: {message}"));
    let hint = message.find("check the API token").expect("a hint");
    assert!(reason < hint, "{message}");
    assert_eq!(
        error.body().and_then(|body| body.message()),
        Some("Forbidden: wrong API token or secret")
    );
}

#[tokio::test]
async fn retried_failures_say_how_many_attempts_were_made() {
    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, status(503, "", "text/plain")).await;
    let error = client(&server).supported_id_types().await.unwrap_err();
    assert_eq!(error.attempts(), 3);
    assert!(error.to_string().contains("after 3 attempts"), "{error}");

    // A 500 is not retried: no word of attempts.
    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, status(500, "", "text/plain")).await;
    let error = client(&server).supported_id_types().await.unwrap_err();
    assert_eq!(error.attempts(), 1);
    assert!(!error.to_string().contains("attempt"), "{error}");
}

#[tokio::test]
async fn a_timeout_reports_the_time_per_attempt_and_the_total() {
    let server = MockServer::start().await;
    serve(
        &server,
        SUPPORTED_PATH,
        json(ACCEPTED).set_delay(Duration::from_secs(5)),
    )
    .await;
    let started = Instant::now();
    let error = builder(&server)
        .attempt_timeout(Duration::from_millis(300))
        .retry_policy(fast_retries().max_attempts(3))
        .build()
        .unwrap()
        .supported_id_types()
        .await
        .unwrap_err();
    let spent = started.elapsed();
    let Error::Timeout {
        after,
        elapsed,
        attempts,
        ..
    } = error
    else {
        panic!("{error:?}")
    };
    assert_eq!(after, Duration::from_millis(300));
    assert_eq!(attempts, 3);
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed <= spent,
        "{elapsed:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("within 300 ms per attempt") && message.contains("after 3 attempts"),
        "{message}"
    );
}

#[tokio::test]
async fn the_cause_is_in_the_message_or_the_source_never_both() {
    fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
        let mut links = vec![error.to_string()];
        let mut source = error.source();
        while let Some(cause) = source {
            links.push(cause.to_string());
            source = cause.source();
        }
        links
    }
    // Config: the message carries the cause, and there is no source.
    let error = netverify::Client::builder().build().unwrap_err();
    assert!(std::error::Error::source(&error).is_none());
    assert_eq!(
        chain(&error),
        [
            "invalid configuration: the API token and secret are missing (set them with \
          `ClientBuilder::credentials`, or JUMIO_API_TOKEN and JUMIO_API_SECRET)"
        ]
    );

    // Connect: the message names the endpoint, the source the cause; no
    // link repeats another.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let error = netverify::Client::builder()
        .base_url(&url)
        .credentials("t", "s")
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .supported_id_types()
        .await
        .unwrap_err();
    let links = chain(&error);
    assert!(links.len() > 1, "{links:?}");
    assert_eq!(
        links[0],
        format!("connection to {url} (custom base URL, no region) failed")
    );
    for (i, link) in links.iter().enumerate() {
        for later in &links[i + 1..] {
            assert!(
                !link.contains(later.as_str()) || later.is_empty(),
                "{links:?}"
            );
        }
    }
}
