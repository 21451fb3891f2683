//! Transport security: TLS 1.2 with Jumio's documented preferred suite
//! against a local rustls server, an untrusted certificate refused, and
//! plain `http://` refused before any connection for non-loopback hosts.
//!
//! The server's RSA key (`tests/data/tls-test-rsa-key.pem`) was generated
//! once with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`,
//! because ring, the workspace's crypto provider, cannot generate RSA keys.
//! It is a test key that protects nothing. Certificates are made per run.
//!
//! The TLS server is its own: neither the mock nor `netverify_mock::scripted`
//! speaks TLS, and only this file needs it.

mod common;

use std::sync::Arc;

use common::{SECRET, SUPPORTED, TOKEN, assert_error_has_no_secret};
use netverify::{Client, ConfigError, Error, RetryPolicy};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::crypto::CryptoProvider;
use rustls::crypto::ring::cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{CipherSuite, ProtocolVersion, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

const RSA_KEY: &str = include_str!("data/tls-test-rsa-key.pem");

/// A root certificate, and a server certificate for 127.0.0.1 it signed.
struct Pki {
    root: CertificateDer<'static>,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
}

fn pki(root_name: &str) -> Pki {
    let mut root_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    root_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    root_params
        .distinguished_name
        .push(DnType::CommonName, root_name);
    let root = CertifiedIssuer::self_signed(root_params, KeyPair::generate().unwrap()).unwrap();

    let server_key = KeyPair::from_pem(RSA_KEY).unwrap();
    let server_params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    let server = server_params.signed_by(&server_key, &root).unwrap();
    Pki {
        root: root.der().clone(),
        server_chain: vec![server.der().clone(), root.der().clone()],
        server_key: PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
    }
}

/// What the server saw of the handshake.
#[derive(Debug, PartialEq)]
struct Negotiated {
    version: Option<ProtocolVersion>,
    suite: Option<CipherSuite>,
}

/// Serves one connection: TLS 1.2 with the one suite only, then the
/// documented supported sample. Reports the handshake, or its failure.
async fn tls12_server(pki: &Pki) -> (String, oneshot::Receiver<Result<Negotiated, String>>) {
    let provider = CryptoProvider {
        cipher_suites: vec![TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
        ..rustls::crypto::ring::default_provider()
    };
    tls_server(pki, provider, &rustls::version::TLS12).await
}

/// Serves one connection over `version` only, with `provider`'s suites.
async fn tls_server(
    pki: &Pki,
    provider: CryptoProvider,
    version: &'static rustls::SupportedProtocolVersion,
) -> (String, oneshot::Receiver<Result<Negotiated, String>>) {
    let config = ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[version])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let (report, reported) = oneshot::channel();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut tls = match acceptor.accept(tcp).await {
            Ok(tls) => tls,
            Err(error) => {
                let _ = report.send(Err(error.to_string()));
                return;
            }
        };
        let (_, connection) = tls.get_ref();
        let _ = report.send(Ok(Negotiated {
            version: connection.protocol_version(),
            suite: connection.negotiated_cipher_suite().map(|s| s.suite()),
        }));
        let mut head = Vec::new();
        let mut buffer = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match tls.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(read) => head.extend_from_slice(&buffer[..read]),
            }
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{SUPPORTED}",
            SUPPORTED.len()
        );
        let _ = tls.write_all(response.as_bytes()).await;
        let _ = tls.shutdown().await;
    });
    (url, reported)
}

fn client(url: &str, root: Option<&CertificateDer<'static>>) -> Client {
    let mut builder = Client::builder()
        .base_url(url)
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none());
    if let Some(root) = root {
        builder =
            builder.add_root_certificate(netverify::reqwest::Certificate::from_der(root).unwrap());
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
