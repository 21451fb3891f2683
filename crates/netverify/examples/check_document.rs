//! Checks whether one document is supported and accepted, and whether its
//! back side must be captured.
//!
//! `cargo run -p netverify --example check_document -- NLD ID_CARD`
//!
//! Configured from the same variables as `list_supported`.

use netverify::{CountryCode, IdType};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(country), Some(id_type)) = (args.next(), args.next()) else {
        return Err("usage: check_document <COUNTRY> <ID_TYPE>, e.g. NLD ID_CARD".into());
    };
    let country = CountryCode::parse_lenient(&country)?;
    let id_type: IdType = id_type.to_ascii_uppercase().parse()?;

    let client = netverify::ClientBuilder::from_env()?.build()?;
    let (supported, accepted) =
        tokio::try_join!(client.supported_id_types(), client.accepted_id_types())?;
    for (name, catalogue) in [("supported", &supported), ("accepted", &accepted)] {
        match catalogue.back_side_required(country, &id_type) {
            Some(true) => println!("{country} {id_type}: {name}, back side required"),
            Some(false) => println!("{country} {id_type}: {name}, front side only"),
            None => println!("{country} {id_type}: not {name}"),
        }
    }
    Ok(())
}
