//! A `reqwest::Client` the application built and shares: the credentials
//! go with each netverify request and nowhere else, redirects follow the
//! application's policy, and proxies apply (through a local forward proxy).

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use netverify::reqwest;
use netverify::{Client, ConfigError, Error};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use wiremock::MockServer;

/// The application's shared client. reqwest needs a rustls provider: the
/// application installs its choice (netverify's own clients do not need one).
fn shared(builder: reqwest::ClientBuilder) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    builder.build().unwrap()
}

fn netverify_over(http: reqwest::Client, base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(netverify::RetryPolicy::none())
        .http_client(http)
        .build()
        .unwrap()
}

fn authorization(request: &wiremock::Request) -> Option<String> {
    request
        .headers
        .get("authorization")
        .map(|value| value.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn the_credentials_go_with_netverify_requests_only() {
    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    serve(&server, "/elsewhere", json("{}")).await;
    let http = shared(reqwest::Client::builder());
    let client = netverify_over(http.clone(), &server.uri());

    client.supported_id_types().await.unwrap();
    http.get(format!("{}/elsewhere", server.uri()))
        .send()
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        authorization(&requests[0]),
        Some(format!("Basic {}", secret_forms()[1]))
    );
    assert_eq!(requests[1].url.path(), "/elsewhere");
    assert_eq!(authorization(&requests[1]), None);
    assert!(!format!("{http:?}").contains(&secret_forms()[1]));
}

#[tokio::test]
async fn a_redirect_follows_the_applications_policy_without_the_credentials_to_another_host() {
    let first = MockServer::start().await;
    let second = MockServer::start().await;
    let moved = wiremock::ResponseTemplate::new(302).insert_header(
        "Location",
        format!("{}{SUPPORTED_PATH}", second.uri()).as_str(),
    );
    serve(&first, SUPPORTED_PATH, moved).await;
    serve(&second, SUPPORTED_PATH, json(SUPPORTED)).await;

    // reqwest's default policy follows it; the other host (port) gets no
    // credentials.
    let following = netverify_over(shared(reqwest::Client::builder()), &first.uri());
    following.supported_id_types().await.unwrap();
    let redirected = second.received_requests().await.unwrap();
    assert_eq!(redirected.len(), 1);
    assert_eq!(authorization(&redirected[0]), None);

    // With no redirects, as netverify's own clients have, it is an error.
    let strict = shared(reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()));
    let error = netverify_over(strict, &first.uri())
        .supported_id_types()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api { status, .. } if status.as_u16() == 302),
        "{error:?}"
    );
}

#[test]
fn settings_of_clients_netverify_builds_are_refused_with_a_built_one() {
    let http = shared(reqwest::Client::builder());
    let base = || {
        Client::builder()
            .credentials(TOKEN, SECRET)
            .user_agent("Acme KYC/1.0")
            .http_client(http.clone())
    };
    assert!(base().build().is_ok());
    let timeout = base()
        .connect_timeout(std::time::Duration::from_secs(3))
        .build();
    assert!(
        matches!(
            timeout,
            Err(Error::Config(ConfigError::NotWithHttpClient {
                setting: "connect_timeout"
            }))
        ),
        "{timeout:?}"
    );
    let root = rustls::pki_types::CertificateDer::from(vec![0u8; 4]);
    let roots = base().add_root_certificate(root).build();
    assert!(
        matches!(
            roots,
            Err(Error::Config(ConfigError::NotWithHttpClient {
                setting: "add_root_certificate"
            }))
        ),
        "{roots:?}"
    );
}

/// A plain-HTTP forward proxy for one connection: records the request line
/// and headers it was sent, then relays to the origin in the absolute URL.
async fn forward_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        let (mut inbound, _) = listener.accept().await.unwrap();
        let head = read_request_head(&mut inbound).await;
        record
            .lock()
            .unwrap()
            .extend(head.lines().map(str::to_owned));
        let (request_line, rest) = head.split_once("\r\n").unwrap();
        let mut parts = request_line.split(' ');
        let (verb, target, version) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let without_scheme = target.strip_prefix("http://").unwrap();
        let (authority, path) = without_scheme.split_at(without_scheme.find('/').unwrap());
        let mut outbound = TcpStream::connect(authority).await.unwrap();
        outbound
            .write_all(format!("{verb} {path} {version}\r\n{rest}").as_bytes())
            .await
            .unwrap();
        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
    });
    (url, seen)
}

#[tokio::test]
async fn requests_go_through_a_configured_forward_proxy() {
    let server = MockServer::start().await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let (proxy, seen) = forward_proxy().await;
    let client = builder(&server)
        .http_client_builder(
            reqwest::Client::builder().proxy(reqwest::Proxy::http(&proxy).unwrap()),
        )
        .build()
        .unwrap();

    client.supported_id_types().await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0],
        format!("GET {}{SUPPORTED_PATH} HTTP/1.1", server.uri())
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        authorization(&requests[0]),
        Some(format!("Basic {}", secret_forms()[1]))
    );
}
