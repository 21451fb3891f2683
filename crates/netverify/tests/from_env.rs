//! `ClientBuilder::from_env` reads the process environment (its rules are
//! tested through `from_env_with` in config.rs; this pins that `from_env`
//! really reads the variables). One test in its own binary, because it sets
//! variables of the process.

use netverify::{ClientBuilder, Region, env_vars};

#[test]
fn from_env_reads_the_process_environment() {
    for (name, value) in [
        (env_vars::API_TOKEN, "env-token"),
        (env_vars::API_SECRET, "env-secret"),
        (env_vars::REGION, "Eu"),
        (env_vars::USER_AGENT, "Acme KYC/1.0"),
    ] {
        // SAFETY: the only test of this binary, set before any other thread
        // of it reads the environment.
        unsafe { std::env::set_var(name, value) };
    }
    unsafe { std::env::remove_var(env_vars::BASE_URL) };
    let client = ClientBuilder::from_env().unwrap().build().unwrap();
    assert_eq!(client.region(), Some(Region::Eu));
    assert_eq!(client.base_url(), "https://lon.netverify.com");
    assert!(
        client
            .user_agent()
            .starts_with("Acme KYC/1.0 netverify-rs/")
    );
}
