//! The hand-written hooks of the generated client, over a raw loopback
//! server: a leading UTF-8 byte-order mark is dropped from success and error
//! bodies alike, and the response head is recorded.
//!
//! Its raw server is its own, not `netverify_mock::scripted`: the mock depends
//! on this crate, and a dev-dependency back on it would build this crate
//! twice into the test, with types that do not match.

mod common;

use common::{SUPPORTED_PATH, documented_sample};
use netverify_api::{Client, ClientContext, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Answers one request with `status`, `X-Trackingid: t-1` and `body`.
async fn serve_once(status: &'static str, body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = [0; 4096];
        let _ = stream.read(&mut request).await.unwrap();
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nx-trackingid: t-1\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n",
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
    let url = serve_once("200 OK", with_bom(&sample.to_string())).await;
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
}

#[tokio::test]
async fn a_byte_order_mark_before_an_error_body_is_dropped() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let body = r#"{"httpStatus":"403","message":"Forbidden","requestURI":"/api/netverify/v2/supportedIdTypes"}"#;
    let url = serve_once("403 Forbidden", with_bom(body)).await;
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
