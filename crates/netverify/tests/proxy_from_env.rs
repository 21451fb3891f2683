//! The README's "Proxies" sentence: reqwest's `HTTPS_PROXY` variable applies
//! to netverify's own client. A binary of its own, because the variable is
//! process-wide and reqwest reads it once, at the first client it builds.

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use netverify::{Client, Error};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

#[tokio::test]
async fn an_https_request_goes_through_the_proxy_in_https_proxy() {
    // The proxy records the request head it is sent, then refuses the tunnel:
    // what matters is that the request went to the proxy at all.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(String::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        let (mut inbound, _) = listener.accept().await.unwrap();
        *record.lock().unwrap() = read_request_head(&mut inbound).await;
        let _ = inbound
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            .await;
    });
    // SAFETY: set before any client of this process is built, and this
    // binary's only test reads no other variable concurrently.
    unsafe {
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
        std::env::set_var("HTTPS_PROXY", &proxy);
    }
    let client = Client::builder()
        .base_url("https://jumio-upstream.example")
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(netverify::RetryPolicy::none())
        .build()
        .unwrap();

    let error = client.supported_id_types().await.unwrap_err();

    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    let head = seen.lock().unwrap().clone();
    assert!(
        head.starts_with("CONNECT jumio-upstream.example:443 HTTP/1.1\r\n"),
        "the proxy was sent: {head:?}"
    );
    // The tunnel request carries no credentials: they go inside TLS.
    assert_no_secret(&head);
}
