//! Compares the accepted documents with the supported ones: what the account
//! could still enable, and accepted documents Jumio no longer supports.
//!
//! `cargo run -p netverify --example diff_accepted`
//!
//! Configured from the same variables as `list_supported`.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), netverify::Error> {
    let client = netverify::ClientBuilder::from_env()?.build()?;
    let (accepted, supported) =
        tokio::try_join!(client.accepted_id_types(), client.supported_id_types())?;
    let diff = accepted.diff(&supported);

    println!("Supported, not accepted ({}):", diff.only_in_right.len());
    for entry in &diff.only_in_right {
        println!(
            "    {} {:<24} {}",
            entry.country_code, entry.country_name, entry.id_type
        );
    }
    println!(
        "Accepted, no longer supported ({}):",
        diff.only_in_left.len()
    );
    for entry in &diff.only_in_left {
        println!(
            "    {} {:<24} {}",
            entry.country_code, entry.country_name, entry.id_type
        );
    }
    for change in &diff.back_side_changed {
        println!(
            "Back side for {} {}: accepted says {}, supported says {}",
            change.country_code, change.id_type, change.left, change.right
        );
    }
    Ok(())
}
