//! A one-connection TLS server for the TLS tests (`mod tls_server;`):
//! neither the mock nor `netverify_mock::scripted` speaks TLS.
//!
//! The server's RSA key (`tests/data/tls-test-rsa-key.pem`) was generated
//! once with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`,
//! because ring cannot generate RSA keys. It is a test key that protects
//! nothing. Certificates are made per run.

#![allow(dead_code)] // each test binary uses a different part

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::crypto::CryptoProvider;
use rustls::crypto::ring::cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{CipherSuite, ProtocolVersion, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The documented supported sample, which the server answers.
const SUPPORTED: &str = netverify::Operation::SupportedIdTypes.documented_sample();

const RSA_KEY: &str = include_str!("../data/tls-test-rsa-key.pem");

/// A root certificate, and a server certificate for 127.0.0.1 it signed.
pub struct Pki {
    pub root: CertificateDer<'static>,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
}

pub fn pki(root_name: &str) -> Pki {
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
pub struct Negotiated {
    pub version: Option<ProtocolVersion>,
    pub suite: Option<CipherSuite>,
}

/// Serves one connection: TLS 1.2 with the one suite only, then the
/// documented supported sample. Reports the handshake, or its failure.
pub async fn tls12_server(pki: &Pki) -> (String, oneshot::Receiver<Result<Negotiated, String>>) {
    let provider = CryptoProvider {
        cipher_suites: vec![TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
        ..rustls::crypto::ring::default_provider()
    };
    tls_server(pki, provider, &rustls::version::TLS12).await
}

/// Serves one connection over `version` only, with `provider`'s suites.
pub async fn tls_server(
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
