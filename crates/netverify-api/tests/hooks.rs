//! The hand-written hooks of the generated client, over a raw loopback
//! server: a leading UTF-8 byte-order mark is dropped from success and error
//! bodies alike, the response head is recorded, and the context's
//! `Authorization` goes with each request.
//!
//! Its raw server is its own, not `netverify_mock::scripted`: the mock depends
//! on this crate, and a dev-dependency back on it would build this crate
//! twice into the test, with types that do not match.

mod common;

use common::{SUPPORTED_PATH, documented_sample};
use netverify_api::{Client, ClientContext, Error, ResponseTooLarge};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Answers one request with `status`, `X-Trackingid: t-1`, the `extra`
/// header lines (each ending in CRLF) and `body`.
async fn serve_once(status: &'static str, extra: &'static str, body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = [0; 4096];
        let _ = stream.read(&mut request).await.unwrap();
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nx-trackingid: t-1\r\n\
             {extra}content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&body).await.unwrap();
    });
    url
}

fn with_bom(json: &str) -> Vec<u8> {
    [b"\xEF\xBB\xBF".as_slice(), json.as_bytes()].concat()
}

fn client(url: &str, context: &ClientContext) -> Client {
    let http = reqwest::Client::builder().build().unwrap();
    Client::new_with_client(url, http, context.clone())
}

#[tokio::test]
async fn a_byte_order_mark_before_a_catalogue_is_dropped() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sample = documented_sample(SUPPORTED_PATH);
    let url = serve_once("200 OK", "", with_bom(&sample.to_string())).await;
    let context = ClientContext::new();
    let response = client(&url, &context)
        .supported_id_types()
        .user_agent("Acme KYC/1.0")
        .send()
        .await
        .unwrap();
    assert_eq!(serde_json::to_value(response.into_inner()).unwrap(), sample);
    assert_eq!(context.last_tracking_id().as_deref(), Some("t-1"));
    assert_eq!(context.last_status().map(|s| s.as_u16()), Some(200));
    // Counted after the mark was dropped.
    assert_eq!(context.last_body_bytes(), sample.to_string().len());
}

#[tokio::test]
async fn a_byte_order_mark_before_an_error_body_is_dropped() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let body = r#"{"httpStatus":"403","message":"Forbidden","requestURI":"/api/netverify/v2/supportedIdTypes"}"#;
    let url = serve_once("403 Forbidden", "", with_bom(body)).await;
    let error = client(&url, &ClientContext::new())
        .supported_id_types()
        .user_agent("Acme KYC/1.0")
        .send()
        .await
        .unwrap_err();
    let Error::ErrorResponse(response) = error else {
        panic!("not a parsed error body: {error:?}")
    };
    assert_eq!(response.http_status.as_deref(), Some("403"));
}

#[tokio::test]
async fn the_head_of_an_error_response_is_recorded() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let body = "<html>Service down</html>";
    let url = serve_once("503 Service Unavailable", "retry-after: 7\r\n", body.into()).await;
    let context = ClientContext::new();
    client(&url, &context)
        .supported_id_types()
        .user_agent("Acme KYC/1.0")
        .send()
        .await
        .unwrap_err();
    assert_eq!(context.last_status().map(|s| s.as_u16()), Some(503));
    assert_eq!(context.last_retry_after().as_deref(), Some("7"));
    assert_eq!(context.last_tracking_id().as_deref(), Some("t-1"));
    assert_eq!(context.last_body_bytes(), body.len());
}

#[tokio::test]
async fn a_body_over_the_limit_ends_the_read_with_response_too_large() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sample = documented_sample(SUPPORTED_PATH).to_string();
    let url = serve_once("200 OK", "", sample.into()).await;
    let context = ClientContext::new().with_max_response_bytes(100);
    assert_eq!(context.max_response_bytes(), 100);
    let error = client(&url, &context)
        .supported_id_types()
        .user_agent("Acme KYC/1.0")
        .send()
        .await
        .unwrap_err();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    let too_large = std::iter::from_fn(|| {
        let current = source?;
        source = current.source();
        Some(current)
    })
    .find_map(|e| e.downcast_ref::<ResponseTooLarge>())
    .unwrap_or_else(|| panic!("no ResponseTooLarge in {error:?}"));
    assert_eq!(too_large, &ResponseTooLarge { limit: 100 });
    assert_eq!(
        too_large.to_string(),
        "response body exceeds the limit of 100 bytes"
    );
    assert!(context.last_body_bytes() <= 100);
}

#[test]
fn the_default_body_limit_is_eight_mebibytes() {
    assert_eq!(ClientContext::DEFAULT_MAX_RESPONSE_BYTES, 8 * 1024 * 1024);
    assert_eq!(ClientContext::new().max_response_bytes(), 8_388_608);
    assert_eq!(ClientContext::default().max_response_bytes(), 8_388_608);
}

/// `ClientContext::with_authorization`: the value goes with the request,
/// replacing an `Authorization` default header of the `reqwest::Client`.
#[tokio::test]
async fn the_contexts_authorization_replaces_the_http_clients_default() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let received = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).await.unwrap();
            head.push(byte[0]);
        }
        let body = documented_sample(SUPPORTED_PATH).to_string();
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).await.unwrap();
        String::from_utf8(head).unwrap()
    });
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_static("Basic c2hhcmVk"),
    );
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let context = ClientContext::new()
        .with_authorization(reqwest::header::HeaderValue::from_static("Basic b3Vycw=="));
    Client::new_with_client(&url, http, context)
        .supported_id_types()
        .user_agent("Acme KYC/1.0")
        .send()
        .await
        .unwrap();

    let head = received.await.unwrap().to_ascii_lowercase();
    let authorization: Vec<&str> = head
        .lines()
        .filter(|line| line.starts_with("authorization:"))
        .collect();
    assert_eq!(authorization, ["authorization: basic b3vycw=="], "{head}");
}
