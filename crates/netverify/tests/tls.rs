//! Transport security: TLS 1.2 with Jumio's documented preferred suite
//! against a local rustls server, an untrusted certificate refused, and
//! plain `http://` refused before any connection for non-loopback hosts.
//! The TLS server is in `tls_server/`.

mod common;
mod tls_server;

use common::{SECRET, TOKEN, assert_error_has_no_secret};
use netverify::{Client, ConfigError, Error, RetryPolicy};
use rustls::pki_types::CertificateDer;
use rustls::{CipherSuite, ProtocolVersion};
use tls_server::{Negotiated, pki, tls_server, tls12_server};

fn client(url: &str, root: Option<&CertificateDer<'static>>) -> Client {
    let mut builder = Client::builder()
        .base_url(url)
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none());
    if let Some(root) = root {
        builder = builder.add_root_certificate(root.clone());
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn connects_over_tls_1_2_with_ecdhe_rsa_aes_128_gcm_sha256() {
    let pki = pki("netverify-rs test root");
    let (url, negotiated) = tls12_server(&pki).await;
    let catalogue = client(&url, Some(&pki.root))
        .supported_id_types()
        .await
        .expect("the client speaks Jumio's preferred TLS 1.2 suite");
    assert_eq!(catalogue.len(), 2);
    assert_eq!(
        negotiated.await.unwrap(),
        Ok(Negotiated {
            version: Some(ProtocolVersion::TLSv1_2),
            suite: Some(CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
        })
    );
}

/// The README's "rustls (TLS 1.2 and 1.3)": TLS 1.3 too.
#[tokio::test]
async fn connects_over_tls_1_3() {
    let pki = pki("netverify-rs test root");
    let provider = rustls::crypto::ring::default_provider();
    let (url, negotiated) = tls_server(&pki, provider, &rustls::version::TLS13).await;
    let catalogue = client(&url, Some(&pki.root))
        .supported_id_types()
        .await
        .expect("the client speaks TLS 1.3");
    assert_eq!(catalogue.len(), 2);
    let negotiated = negotiated.await.unwrap().unwrap();
    assert_eq!(negotiated.version, Some(ProtocolVersion::TLSv1_3));
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_with_a_clear_error() {
    let pki = pki("netverify-rs test root");
    let (url, negotiated) = tls12_server(&pki).await;
    // The client trusts another root, not the one that signed the server's.
    let error = client(&url, Some(&self::pki("another test root").root))
        .supported_id_types()
        .await
        .unwrap_err();
    assert_error_has_no_secret(&error);
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    // The message names the endpoint; the cause is the source, once.
    let message = error.to_string();
    assert!(
        message.starts_with("connection to https://127.0.0.1:") && !message.contains("certificate"),
        "{message}"
    );
    let mut chain = String::new();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        chain.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    assert!(
        chain.contains("invalid peer certificate") && chain.contains("UnknownIssuer"),
        "{chain}"
    );
    // The server saw the client abort the handshake.
    assert!(negotiated.await.unwrap().is_err());

    // Without any extra root, the platform's roots do not trust it either.
    let (url, _) = tls12_server(&pki).await;
    let error = client(&url, None).supported_id_types().await.unwrap_err();
    let mut chain = String::new();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        chain.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    assert!(chain.contains("invalid peer certificate"), "{chain}");
}

#[test]
fn plain_http_to_anything_but_loopback_is_refused_before_any_connection() {
    // `build` fails, so there is no client that could connect; none of these
    // hosts is contacted (some do not even exist).
    for (url, host) in [
        ("http://netverify.com", "netverify.com"),
        ("http://lon.netverify.com:80/", "lon.netverify.com"),
        ("http://10.0.0.1:8080", "10.0.0.1"),
        ("http://192.168.1.10", "192.168.1.10"),
        ("http://[2001:db8::1]", "[2001:db8::1]"),
        (
            "http://localhost.attacker.example",
            "localhost.attacker.example",
        ),
        ("http://127.0.0.1.nip.io", "127.0.0.1.nip.io"),
        ("HTTP://NETVERIFY.COM", "netverify.com"),
    ] {
        let result = Client::builder()
            .base_url(url)
            .credentials(TOKEN, SECRET)
            .user_agent("Acme KYC/1.0")
            .build();
        match result {
            Err(Error::Config(ConfigError::InsecureBaseUrl { host: refused, .. })) => {
                assert_eq!(refused, host, "{url}");
            }
            other => panic!("{url}: {other:?}"),
        }
    }
    for loopback in [
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://[::1]:9",
        "http://localhost",
    ] {
        assert!(
            Client::builder()
                .base_url(loopback)
                .credentials(TOKEN, SECRET)
                .user_agent("Acme KYC/1.0")
                .build()
                .is_ok(),
            "{loopback}"
        );
    }
}
