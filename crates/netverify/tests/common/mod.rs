//! Shared by the integration tests: a scripted loopback server, the
//! documented samples and a client pointed at the server.
//!
//! The test kit, by need: netverify-mock with its faults wherever they
//! suffice (cache, soak, secrets, tracing of the mock); its
//! `scripted::ScriptedServer` for byte-level hostility (hostile_responses.rs,
//! secrets.rs); and wiremock, below, where a test scripts a sequence of
//! arbitrary answers to matched requests (status and body per attempt), which
//! neither of the others does.

#![allow(dead_code)] // each test binary uses a different part

use std::time::Duration;

use netverify::{Client, ClientBuilder, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Jumio's documented sample responses (also the spec's examples).
pub const SUPPORTED: &str = netverify::Operation::SupportedIdTypes.documented_sample();
pub const ACCEPTED: &str = netverify::Operation::AcceptedIdTypes.documented_sample();

pub const SUPPORTED_PATH: &str = netverify::Operation::SupportedIdTypes.path();
pub const ACCEPTED_PATH: &str = netverify::Operation::AcceptedIdTypes.path();

/// Made-up test credentials. The secret is distinctive so that a test can
/// search any output for it.
pub const TOKEN: &str = "test-token-4f1c";
pub const SECRET: &str = "s3cret-DO-NOT-LEAK-9b2e";
pub const TRACKING_ID: &str = "5f4a7d2c-0c1e-4d0b-9a53-8f7f2f1b6c11";

/// Every form in which the secret could leak.
pub fn secret_forms() -> Vec<String> {
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{TOKEN}:{SECRET}"));
    vec![SECRET.to_owned(), basic]
}

pub fn assert_no_secret(text: &str) {
    for form in secret_forms() {
        assert!(!text.contains(&form), "secret leaked into: {text}");
    }
}

/// Checks the error's Display, alternate Display and Debug for the secret.
pub fn assert_error_has_no_secret(error: &netverify::Error) {
    assert_no_secret(&format!("{error} {error:#} {error:?} {error:#?}"));
}

pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(fast_retries())
}

pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("client builds")
}

/// The default policy with short backoff, so retry tests run quickly.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().initial_backoff(Duration::from_millis(10))
}

pub fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(body, "application/json")
        .insert_header("X-Trackingid", TRACKING_ID)
}

pub fn status(code: u16, body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(code)
        .set_body_raw(body, content_type)
        .insert_header("X-Trackingid", TRACKING_ID)
}

/// Serves `template` for GETs of `route`.
pub async fn serve(server: &MockServer, route: &str, template: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(template)
        .mount(server)
        .await;
}

/// Serves `template` for the next `times` GETs of `route` only; mocks
/// mounted earlier take precedence, so mount a sequence in order.
pub async fn serve_times(server: &MockServer, route: &str, template: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(template)
        .up_to_n_times(times)
        .mount(server)
        .await;
}

pub async fn request_count(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .len()
}

/// A `tracing` writer that keeps everything written, for tests that read
/// what was traced.
#[derive(Clone, Default)]
pub struct TraceBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl TraceBuffer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for TraceBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for TraceBuffer {
    type Writer = TraceBuffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A builder for a netverify-mock server with its default credentials and
/// no retries, so that requests count what a test does.
pub fn mock_builder(server: &netverify_mock::MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .credentials(
            netverify_mock::DEFAULT_TOKEN,
            netverify_mock::DEFAULT_SECRET,
        )
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none())
}

/// Reads an HTTP request head (up to and including the blank line) from a
/// raw connection, as the tests' little proxies see it.
pub async fn read_request_head(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).await.unwrap();
        head.push(byte[0]);
    }
    String::from_utf8(head).unwrap()
}
