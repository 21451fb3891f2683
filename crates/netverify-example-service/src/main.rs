//! `JUMIO_API_TOKEN=… JUMIO_API_SECRET=… JUMIO_REGION=eu JUMIO_USER_AGENT="Acme KYC/1.0"
//! cargo run -p netverify-example-service`: serves on 127.0.0.1:8080 (or
//! `LISTEN`; it prints the address), keeping the catalogue in `STATE_FILE`
//! (default in the temporary directory).

use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = netverify::ClientBuilder::from_env()?.build()?;
    let state_file = std::env::var_os("STATE_FILE")
        .map(Into::into)
        .unwrap_or_else(|| std::env::temp_dir().join("netverify-accepted.json"));
    let (cache, _status) =
        netverify_example_service::start(client, state_file, Duration::from_secs(10)).await;
    let listen = std::env::var("LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    // The address bound (`LISTEN=127.0.0.1:0` picks a free port).
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, netverify_example_service::app(cache)).await?;
    Ok(())
}
