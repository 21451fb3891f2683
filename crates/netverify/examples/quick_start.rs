use netverify::{Client, CountryCode, IdType};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Offline, the netverify-mock crate serves sample data in the API's shape.
    let sandbox = netverify_mock::MockServer::builder().start().await?;

    let client = Client::builder()
        .base_url(sandbox.base_url()) // in production: .region(netverify::Region::Eu)
        .credentials(
            netverify_mock::DEFAULT_TOKEN,
            netverify_mock::DEFAULT_SECRET,
        )
        .user_agent("Acme KYC/1.0") // your company and app, as Jumio asks
        .build()?;

    let supported = client.supported_id_types().await?;
    let nld = CountryCode::new("NLD")?;
    if let Some(back_side) = supported.back_side_required(nld, &IdType::IdCard) {
        println!("Dutch ID cards are supported; back side required: {back_side}");
    }
    for country in supported.countries_offering(&IdType::Passport).take(3) {
        println!("passports from {}", country.name());
    }
    Ok(())
}
