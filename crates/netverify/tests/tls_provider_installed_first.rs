//! An application that installed aws-lc-rs as the process-wide rustls
//! provider before building a client: the client works and the default is
//! still the application's. Its own test binary: the process default is
//! global (see `tls_provider_untouched.rs` for the other order).

mod common;
mod tls_server;

use std::sync::Arc;

use common::{SECRET, TOKEN};
use netverify::{Client, RetryPolicy};
use rustls::crypto::CryptoProvider;
use tls_server::{pki, tls12_server};

#[tokio::test]
async fn a_client_works_beside_an_application_provider_and_leaves_it_installed() {
    rustls::crypto::aws_lc_rs::default_provider()
        .install_default()
        .unwrap();
    let installed = CryptoProvider::get_default().unwrap().clone();

    let pki = pki("netverify-rs test root");
    let (url, _) = tls12_server(&pki).await;
    let client = Client::builder()
        .base_url(url)
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none())
        .add_root_certificate(pki.root.clone())
        .build()
        .unwrap();
    client.supported_id_types().await.unwrap();
    assert!(Arc::ptr_eq(
        &installed,
        CryptoProvider::get_default().unwrap()
    ));
}
