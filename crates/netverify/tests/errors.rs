//! Each error kind, from a real response, with its tracking id and without
//! the secret.

mod common;

use std::time::Duration;

use common::*;
use netverify::{ConfigError, Error, ErrorBody, ErrorKind, Region, RetryPolicy};
use wiremock::MockServer;

async fn supported_error(server: &MockServer) -> Error {
    let error = client(server).supported_id_types().await.unwrap_err();
    assert_error_has_no_secret(&error);
    error
}

#[tokio::test]
async fn forbidden_names_host_and_keeps_jumio_body_and_tracking_id() {
    let server = MockServer::start().await;
    let body = r#"{"httpStatus":"403","message":"Forbidden","requestURI":"/api/netverify/v2/supportedIdTypes"}"#;
    serve(
        &server,
        SUPPORTED_PATH,
        status(403, body, "application/json"),
    )
    .await;
    let error = supported_error(&server).await;

    let Error::Forbidden {
        endpoint,
        body: ErrorBody::Jumio(body),
        tracking_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(endpoint.contains(&server.uri()), "{endpoint}");
    assert_eq!(body.http_status.as_deref(), Some("403"));
    assert_eq!(body.request_uri.as_deref(), Some(SUPPORTED_PATH));
    assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
    let message = error.to_string();
    assert!(
        message.contains(&server.uri()) && message.contains("region"),
        "{message}"
    );
    assert!(message.contains(TRACKING_ID), "{message}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert!(!error.is_retryable());
    assert_eq!(request_count(&server).await, 1, "403 is not retried");
}

#[tokio::test]
async fn forbidden_from_a_proxy_keeps_an_excerpt_of_its_html() {
    let server = MockServer::start().await;
    serve(
        &server,
        SUPPORTED_PATH,
        status(403, "<html><body>Access denied</body></html>", "text/html"),
    )
    .await;
    let error = supported_error(&server).await;
    let Error::Forbidden {
        body: ErrorBody::Unparsed(text),
        tracking_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(text, "<html><body>Access denied</body></html>");
    assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
}

#[tokio::test]
async fn unauthorized_is_its_own_kind_with_a_hint() {
    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, status(401, "", "text/plain")).await;
    let error = supported_error(&server).await;
    let Error::Unauthorized {
        endpoint,
        tracking_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(endpoint.contains(&server.uri()));
    assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
    assert!(error.to_string().contains("credentials"), "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(request_count(&server).await, 1, "401 is not retried");
}

#[tokio::test]
async fn not_found_keeps_jumios_string_status() {
    let server = MockServer::start().await;
    let body = r#"{"httpStatus":"404","message":"Not found: /api/netverify/v2/supportedIdTypes","requestURI":"/x"}"#;
    serve(
        &server,
        SUPPORTED_PATH,
        status(404, body, "application/json"),
    )
    .await;
    let error = supported_error(&server).await;
    let Error::Api {
        status,
        body,
        tracking_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 404);
    assert_eq!(
        body.message(),
        Some("Not found: /api/netverify/v2/supportedIdTypes")
    );
    assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
    assert_eq!(request_count(&server).await, 1, "404 is not retried");
}

#[tokio::test]
async fn html_gateway_errors_are_api_errors_with_status_and_excerpt() {
    // 503 is a documented status (progenitor decodes its body), 502 is not:
    // both must come out the same way.
    for code in [502, 503] {
        let server = MockServer::start().await;
        let page = format!(
            "<html>\n<head><title>{code}</title></head>\n<body>{}</body></html>",
            "x".repeat(500)
        );
        serve(
            &server,
            SUPPORTED_PATH,
            status(code, &page, "text/html").insert_header("Retry-After", "0"),
        )
        .await;
        let error = supported_error(&server).await;
        let Error::Api {
            status,
            body: ErrorBody::Unparsed(text),
            tracking_id,
            retry_after,
            ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(status.as_u16(), code);
        assert!(
            text.starts_with(&format!("<html> <head><title>{code}</title>")),
            "{text}"
        );
        assert!(
            text.chars().count() <= 201,
            "excerpt is bounded: {}",
            text.len()
        );
        assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
        assert_eq!(*retry_after, Some(Duration::ZERO));
        assert!(error.is_retryable());
        assert_eq!(
            request_count(&server).await,
            3,
            "{code} is retried up to the limit"
        );
    }
}

#[tokio::test]
async fn rate_limited_reports_retry_after() {
    let server = MockServer::start().await;
    let body = r#"{"httpStatus":"429","message":"Too many requests"}"#;
    serve(
        &server,
        SUPPORTED_PATH,
        status(429, body, "application/json").insert_header("Retry-After", "120"),
    )
    .await;
    let error = supported_error(&server).await;
    let Error::RateLimited {
        retry_after,
        tracking_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(120)));
    assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
    assert!(error.to_string().contains("Retry-After: 120s"), "{error}");
    // 120 s is over the policy's 30 s cap: no waiting, no retry.
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn undecodable_body_reports_path_excerpt_and_tracking_id() {
    let server = MockServer::start().await;
    let mut document: serde_json::Value = serde_json::from_str(SUPPORTED).unwrap();
    let passport = &mut document["supportedIdTypes"][0]["idTypes"][2];
    assert_eq!(passport["idType"], "PASSPORT");
    passport["acquisitionConfig"]["backSide"] = "no".into();
    let body = serde_json::to_string_pretty(&document).unwrap();
    serve(&server, SUPPORTED_PATH, json(&body)).await;
    let error = supported_error(&server).await;
    let Error::Decode {
        path,
        message,
        excerpt,
        tracking_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        path,
        "supportedIdTypes[0].idTypes[2].acquisitionConfig.backSide"
    );
    assert!(message.contains("expected a boolean"), "{message}");
    assert!(excerpt.contains(r#""backSide": "no""#), "{excerpt}");
    assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
    assert!(!error.is_retryable());
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn accepted_decode_errors_name_the_path_too() {
    let server = MockServer::start().await;
    serve(
        &server,
        ACCEPTED_PATH,
        json(r#"{"timestamp":"yesterday","acceptedIdTypes":[]}"#),
    )
    .await;
    let error = client(&server).accepted_id_types().await.unwrap_err();
    let Error::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "timestamp");
}

#[tokio::test]
async fn oversized_body_is_refused() {
    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let client = builder(&server).max_response_bytes(100).build().unwrap();
    let error = client.supported_id_types().await.unwrap_err();
    assert_error_has_no_secret(&error);
    let Error::ResponseTooLarge {
        limit, tracking_id, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*limit, 100);
    assert_eq!(tracking_id.as_deref(), Some(TRACKING_ID));
    assert_eq!(request_count(&server).await, 1, "not retried");

    let roomy = builder(&server)
        .max_response_bytes(SUPPORTED.len())
        .build()
        .unwrap();
    assert_eq!(roomy.supported_id_types().await.unwrap().len(), 2);
}

#[tokio::test]
async fn slow_response_times_out_per_attempt() {
    let server = MockServer::start().await;
    serve(
        &server,
        SUPPORTED_PATH,
        json(SUPPORTED).set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = builder(&server)
        .attempt_timeout(Duration::from_millis(200))
        .retry_policy(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let error = client.supported_id_types().await.unwrap_err();
    assert_error_has_no_secret(&error);
    let Error::Timeout { after, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*after, Duration::from_millis(200));
    assert!(error.is_retryable());
    assert_eq!(request_count(&server).await, 2, "a timeout is retried");
}

#[tokio::test]
async fn refused_connection_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = netverify::Client::builder()
        .base_url(format!("http://{address}"))
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.supported_id_types().await.unwrap_err();
    assert_error_has_no_secret(&error);
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.tracking_id(), None);
    assert!(error.to_string().contains(&address.to_string()), "{error}");
}

#[tokio::test]
async fn a_body_that_is_not_jumios_json_is_shown_as_text_or_as_empty() {
    for (body, shown) in [
        ("", "empty body"),
        ("upstream down", r#"body "upstream down""#),
        // An echoed Authorization header cut off after the scheme.
        (
            "echo: Authorization: Basic  ",
            r#"body "echo: Authorization: Basic ""#,
        ),
    ] {
        let server = MockServer::start().await;
        serve(&server, SUPPORTED_PATH, status(418, body, "text/plain")).await;
        let error = supported_error(&server).await;
        assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
        let display = error.body().expect("a body").to_string();
        assert_eq!(display, shown);
        assert!(error.to_string().contains(shown), "{error}");
    }
}

/// `Error::kind` groups the failures as documented: what to fix, what to
/// retry later, what to report.
#[test]
fn each_failure_has_its_documented_kind() {
    let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    let cases = [
        (Error::from(ConfigError::MissingToken), ErrorKind::Config),
        (Error::unauthorized(Region::Us, ""), ErrorKind::Refused),
        (Error::forbidden(Region::Eu, ""), ErrorKind::Refused),
        (Error::rate_limited(None), ErrorKind::Temporary),
        (Error::api(500, ""), ErrorKind::Temporary),
        (Error::api(503, ""), ErrorKind::Temporary),
        (Error::api(599, ""), ErrorKind::Temporary),
        (Error::timeout(Duration::from_secs(1)), ErrorKind::Temporary),
        (Error::connect(Region::Us, refused), ErrorKind::Temporary),
        (Error::incomplete(10), ErrorKind::Temporary),
        (Error::api(400, ""), ErrorKind::Status),
        (Error::api(404, ""), ErrorKind::Status),
        (Error::api(499, ""), ErrorKind::Status),
        (
            Error::decode(".", "expected a value", ""),
            ErrorKind::InvalidResponse,
        ),
        (Error::response_too_large(10), ErrorKind::InvalidResponse),
    ];
    for (error, kind) in cases {
        assert_eq!(error.kind(), kind, "{error}");
        // Made by the constructors as after one attempt; a configuration
        // error made none.
        let attempts = if kind == ErrorKind::Config { 0 } else { 1 };
        assert_eq!(error.attempts(), attempts, "{error}");
        // Every error that came with a response can carry a tracking id.
        let with_response = !matches!(error, Error::Config(_) | Error::Connect { .. });
        if with_response {
            let traced = error.with_tracking_id("5f4a7d2c");
            assert_eq!(traced.tracking_id(), Some("5f4a7d2c"), "{traced}");
        }
    }
    // Stable names, for scripts and logs; `runtime` is checked in blocking.rs.
    assert_eq!(
        ErrorKind::ALL.map(|kind| kind.to_string()),
        [
            "config",
            "refused",
            "temporary",
            "status",
            "invalidResponse",
            "runtime"
        ]
    );
}
