//! Building a client leaves the process-wide rustls provider alone, and an
//! application that installs aws-lc-rs afterwards succeeds and keeps
//! working. Its own test binary: the process default is global, and
//! `tls_provider_installed_first.rs` installs one before any client.

mod common;
mod tls_server;

use common::{SECRET, TOKEN};
use netverify::{Client, RetryPolicy};
use rustls::crypto::CryptoProvider;
use tls_server::{pki, tls12_server};

fn client(url: &str, root: &rustls::pki_types::CertificateDer<'static>) -> Client {
    Client::builder()
        .base_url(url)
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .retry_policy(RetryPolicy::none())
        .add_root_certificate(root.clone())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_client_installs_no_process_default_and_one_installed_afterwards_works() {
    let pki = pki("netverify-rs test root");
    let (url, _) = tls12_server(&pki).await;
    let before = client(&url, &pki.root);
    let _with_a_builder = Client::builder()
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
        .http_client_builder(netverify::reqwest::Client::builder())
        .build()
        .unwrap();
    before.supported_id_types().await.unwrap();
    assert!(
        CryptoProvider::get_default().is_none(),
        "building and using a client must not install a process-wide provider"
    );

    // The application installs aws-lc-rs (for FIPS, say) afterwards.
    rustls::crypto::aws_lc_rs::default_provider()
        .install_default()
        .expect("no provider was installed before the application's");
    let (url, _) = tls12_server(&pki).await;
    client(&url, &pki.root).supported_id_types().await.unwrap();
}
