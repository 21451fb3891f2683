//! The credentials never leak: every error path of the facade is driven with
//! a known token and secret, and `Display`, `Debug` and everything traced at
//! TRACE level (reqwest's and rustls's `log` records included, through the
//! `log` bridge) are searched for the secret, the `token:secret` pair and its
//! base64 form. The mock server's request log is captured too.
//!
//! One test function: the subscriber and the `log` bridge are process-wide.

mod common;

use std::time::Duration;

use base64::Engine as _;
use common::{SECRET, TOKEN, TraceBuffer};
use netverify::{Client, ClientBuilder, Error, RetryPolicy};
use netverify_mock::scripted::{Script, ScriptedServer};
use netverify_mock::{Fault, MockServer};
use tokio::net::TcpListener;
use tracing_subscriber::fmt::format::FmtSpan;

/// A second secret, sent where the server expects [`SECRET`] (a wrong one
/// must not leak either).
const WRONG_SECRET: &str = "wr0ng-SECRET-must-not-leak-71c3";

/// Every form in which a credential could leak: each secret, the
/// `token:secret` pair, and any 16 characters in a row of its base64 form
/// (an excerpt may cut the header short).
fn needles() -> Vec<String> {
    let mut needles = Vec::new();
    for secret in [SECRET, WRONG_SECRET] {
        let pair = format!("{TOKEN}:{secret}");
        let encoded = base64::engine::general_purpose::STANDARD.encode(&pair);
        needles.extend((0..=encoded.len() - 16).map(|at| encoded[at..at + 16].to_owned()));
        needles.push(secret.to_owned());
        needles.push(pair);
    }
    needles
}

fn assert_clean(what: &str, text: &str) {
    for needle in needles() {
        assert!(
            !text.contains(&needle),
            "{needle:?} leaked in {what}: {text}"
        );
    }
}

fn builder(url: &str, secret: &str) -> ClientBuilder {
    Client::builder()
        .base_url(url)
        .credentials(TOKEN, secret)
        .user_agent("Acme KYC/1.0")
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1)),
        )
        .attempt_timeout(Duration::from_millis(500))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credential_in_errors_traces_or_the_mock_log() {
    let traces = TraceBuffer::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(traces.clone())
        // Also installs the `log` bridge, so reqwest's, hyper-util's and
        // rustls's `log` records arrive here.
        .init();

    let mut errors: Vec<Error> = Vec::new();

    // Configuration errors that come with credentials set.
    let config = |builder: ClientBuilder| builder.build().unwrap_err();
    errors.push(config(builder("http://netverify.com", SECRET)));
    errors.push(config(builder("ftp://netverify.com", SECRET)));
    errors.push(config(
        builder("https://netverify.com", SECRET).user_agent("Acme"),
    ));
    errors.push(config(
        Client::builder()
            .credentials(format!("{TOKEN}:{SECRET}"), SECRET)
            .user_agent("Acme KYC/1.0"),
    ));
    // Credentials put in the URL, parsable or not, are not echoed back.
    for url in [
        format!("https://{TOKEN}:{SECRET}@netverify.com"),
        format!("https://{TOKEN}:{SECRET}@[::1"),
        format!("http://{TOKEN}:{SECRET}@10.0.0.1/"),
    ] {
        errors.push(config(builder(&url, SECRET)));
    }

    // Every fault of the mock, with the right and with a wrong secret.
    let mock = MockServer::builder()
        .credentials(TOKEN, SECRET)
        .start()
        .await
        .unwrap();
    let client = builder(&mock.base_url(), SECRET).build().unwrap();
    let wrong = builder(&mock.base_url(), WRONG_SECRET).build().unwrap();
    client.supported_id_types().await.unwrap();
    client.accepted_id_types().await.unwrap();
    errors.push(wrong.supported_id_types().await.unwrap_err()); // 403
    // (fault, whether the client retries it: then both attempts get it)
    for (fault, retried) in [
        (
            Fault::TooManyRequests {
                retry_after_secs: Some(0),
            },
            true,
        ),
        (Fault::InternalServerError, false),
        (Fault::BadGateway, true),
        (
            Fault::ServiceUnavailable {
                retry_after_secs: Some(0),
            },
            true,
        ),
        (Fault::TruncatedJson, false),
        (Fault::MalformedJson, false),
        (Fault::Disconnect, true),
        (Fault::Stall(Duration::from_secs(5)), true),
    ] {
        mock.faults().push_n(if retried { 2 } else { 1 }, fault);
        errors.push(client.supported_id_types().await.unwrap_err());
    }

    // Hostile servers that echo the request, Authorization header included,
    // in an error page, a JSON error body, or a 200 that does not decode.
    for (status, content_type) in [
        ("401 Unauthorized", "text/html"),
        ("403 Forbidden", "application/json"),
        ("400 Bad Request", "text/html"),
        ("503 Service Unavailable", "application/json"),
        ("200 OK", "application/json"),
        ("200 OK", "text/html"),
    ] {
        // A server that echoes the request, headers and all, in its answer.
        let echo = ScriptedServer::start(Script::Echo {
            status,
            content_type,
        })
        .await
        .unwrap();
        errors.push(
            builder(echo.base_url(), SECRET)
                .build()
                .unwrap()
                .supported_id_types()
                .await
                .unwrap_err(),
        );
    }

    // A caller-supplied reqwest builder asking for verbose connection
    // logging (which traces the raw bytes of every request).
    let verbose = builder(&mock.base_url(), SECRET)
        .http_client_builder(netverify::reqwest::Client::builder().connection_verbose(true))
        .build()
        .unwrap();
    verbose.supported_id_types().await.unwrap();
    mock.faults().push_n(2, Fault::BadGateway);
    errors.push(verbose.supported_id_types().await.unwrap_err());

    // Refused and timed-out connections.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let refused_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    errors.push(
        builder(&refused_url, SECRET)
            .build()
            .unwrap()
            .supported_id_types()
            .await
            .unwrap_err(),
    );

    for error in &errors {
        for shown in [
            format!("{error}"),
            format!("{error:#}"),
            format!("{error:?}"),
            format!("{error:#?}"),
            chain(error),
        ] {
            assert_clean("an error", &shown);
        }
        tracing::error!(%error, ?error, "the caller logs the error");
    }
    let kinds: std::collections::BTreeSet<&str> = errors
        .iter()
        .map(|error| match error {
            Error::Unauthorized { .. } => "Unauthorized",
            Error::Forbidden { .. } => "Forbidden",
            Error::RateLimited { .. } => "RateLimited",
            Error::Api { .. } => "Api",
            Error::Timeout { .. } => "Timeout",
            Error::Connect { .. } => "Connect",
            Error::Incomplete { .. } => "Incomplete",
            Error::Decode { .. } => "Decode",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::Config(_) => "Config",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "Api",
            "Config",
            "Connect",
            "Decode",
            "Forbidden",
            "Incomplete",
            "RateLimited",
            "Timeout",
            "Unauthorized"
        ],
        "every error path was driven (ResponseTooLarge has its own test in hostile_responses.rs)"
    );
    assert_clean("the client's Debug", &format!("{client:?} {verbose:?}"));

    mock.shutdown().await.unwrap();
    let output = traces.text();
    // The capture works: the client's spans, the mock's request lines and
    // reqwest's own `log` records are all in it.
    assert!(output.contains("netverify_request"), "{output}");
    assert!(
        output.contains("/api/netverify/v2/supportedIdTypes -> 403"),
        "the mock's request log is captured:\n{output}"
    );
    assert!(
        output.contains("reqwest::connect"),
        "reqwest's log records are captured:\n{output}"
    );
    assert_clean("the trace output", &output);
}

/// The error and every source, as a CLI or anyhow prints them.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause} / {cause:?}"));
        source = cause.source();
    }
    text
}
