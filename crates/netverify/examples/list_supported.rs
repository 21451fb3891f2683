//! Lists every ID document Jumio supports, per country.
//!
//! Configured from JUMIO_API_TOKEN, JUMIO_API_SECRET, JUMIO_USER_AGENT and
//! JUMIO_REGION or JUMIO_BASE_URL (for a local mock server).
//!
//! `cargo run -p netverify --example list_supported`

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), netverify::Error> {
    let client = netverify::ClientBuilder::from_env()?.build()?;
    let catalogue = client.supported_id_types().await?;
    println!(
        "{} countries, as of {}",
        catalogue.len(),
        catalogue.timestamp()
    );
    for country in &catalogue {
        println!("{} {}", country.code(), country.name());
        for document in country.documents() {
            let back = if document.back_side_required() {
                "front and back"
            } else {
                "front only"
            };
            println!("    {:<16} {back}", document.id_type().as_str());
        }
    }
    Ok(())
}
