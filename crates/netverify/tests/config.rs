//! Building a client: what is refused, and what `Debug` shows.

mod common;

use common::{SECRET, TOKEN, assert_no_secret};
use netverify::{Client, ClientBuilder, ConfigError, Error, Region};

fn complete() -> ClientBuilder {
    Client::builder()
        .credentials(TOKEN, SECRET)
        .user_agent("Acme KYC/1.0")
}

fn config_error(builder: ClientBuilder) -> ConfigError {
    match builder.build() {
        Err(Error::Config(error)) => {
            assert_no_secret(&format!("{error} {error:?}"));
            error
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn missing_or_unusable_settings_are_errors_not_panics() {
    assert_eq!(
        config_error(Client::builder().user_agent("Acme KYC/1.0")),
        ConfigError::MissingCredentials
    );
    assert_eq!(
        config_error(complete().credentials("", "")),
        ConfigError::MissingCredentials
    );
    assert_eq!(
        config_error(complete().credentials("", SECRET)),
        ConfigError::MissingToken
    );
    assert_eq!(
        config_error(complete().credentials(TOKEN, "")),
        ConfigError::MissingSecret
    );
    assert_eq!(
        config_error(complete().credentials("to:ken", SECRET)),
        ConfigError::TokenContainsColon
    );
    let no_agent = Client::builder().credentials(TOKEN, SECRET);
    assert_eq!(config_error(no_agent), ConfigError::MissingUserAgent);
    assert_eq!(
        config_error(complete().user_agent("")),
        ConfigError::MissingUserAgent
    );
    assert!(matches!(
        config_error(complete().user_agent("Acme")),
        ConfigError::InvalidUserAgent { .. }
    ));
    assert!(matches!(
        config_error(complete().user_agent("Acme\nKYC/1")),
        ConfigError::InvalidUserAgent { .. }
    ));
    assert!(matches!(
        config_error(complete().base_url("not a url")),
        ConfigError::InvalidBaseUrl { .. }
    ));
    assert_eq!(
        config_error(complete().base_url("http://netverify.com")),
        ConfigError::InsecureBaseUrl {
            host: "netverify.com".into()
        }
    );
}

#[test]
fn each_missing_credential_is_named_exactly() {
    let message = |builder: ClientBuilder| config_error(builder).to_string();
    let only_secret_missing = message(complete().credentials(TOKEN, ""));
    assert!(
        only_secret_missing.starts_with("the API secret is missing")
            && only_secret_missing.contains("JUMIO_API_SECRET")
            && !only_secret_missing.contains("token"),
        "{only_secret_missing}"
    );
    let only_token_missing = message(complete().credentials("", SECRET));
    assert!(
        only_token_missing.starts_with("the API token is missing")
            && only_token_missing.contains("JUMIO_API_TOKEN"),
        "{only_token_missing}"
    );
    assert!(
        message(Client::builder().user_agent("Acme KYC/1.0"))
            .starts_with("the API token and secret are missing")
    );
}

#[test]
fn nonsense_configuration_is_refused_at_build_time() {
    use std::time::Duration;
    assert_eq!(
        config_error(complete().attempt_timeout(Duration::ZERO)),
        ConfigError::ZeroTimeout {
            setting: "attempt timeout"
        }
    );
    assert_eq!(
        config_error(complete().connect_timeout(Duration::ZERO)),
        ConfigError::ZeroTimeout {
            setting: "connect timeout"
        }
    );
    assert_eq!(
        config_error(complete().attempt_timeout(Duration::ZERO)).to_string(),
        "the attempt timeout must be greater than zero"
    );

    // An over-long User-Agent, or one with control characters: refused,
    // and the error quotes a short prefix only.
    let long = format!("Acme KYC/{}", "1".repeat(5_000));
    let error = config_error(complete().user_agent(&long));
    let ConfigError::InvalidUserAgent { value, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        value.chars().count(),
        41,
        "40 characters and an ellipsis: {value}"
    );
    assert!(error.to_string().len() < 300, "{error}");
    let error = config_error(complete().user_agent("Acme KYC/1.0\u{7}\r\nX-Evil: 1"));
    assert!(
        matches!(error, ConfigError::InvalidUserAgent { .. }),
        "{error:?}"
    );

    // A base URL that already holds the API path: the client adds it.
    for url in [
        "https://lon.netverify.com/api/netverify/v2",
        "https://lon.netverify.com/api/netverify/v2/",
        "http://127.0.0.1:8080/api/netverify/v2/supportedIdTypes",
        "https://proxy.example/jumio/api/netverify/v2",
    ] {
        let error = config_error(complete().base_url(url));
        let message = error.to_string();
        assert!(
            matches!(error, ConfigError::InvalidBaseUrl { .. })
                && message.contains("already holds the API path /api/netverify/v2"),
            "{url}: {message}"
        );
    }
    // A proxy's own path prefix is fine.
    complete()
        .base_url("https://proxy.example/jumio")
        .build()
        .unwrap();
}

#[test]
fn regions_and_loopback_urls_build() {
    for region in Region::ALL {
        let client = complete().region(region).build().unwrap();
        assert_eq!(client.region(), Some(region));
        assert_eq!(client.base_url(), region.base_url());
    }
    assert_eq!(
        complete().build().unwrap().region(),
        Some(Region::Us),
        "US is the default"
    );
    let local = complete()
        .region(Region::Eu)
        .base_url("http://127.0.0.1:8080/")
        .build()
        .unwrap();
    assert_eq!(
        (local.region(), local.base_url()),
        (None, "http://127.0.0.1:8080")
    );
}

#[test]
fn debug_shows_region_host_and_agent_but_no_credentials() {
    let builder = complete().region(Region::Sgp);
    let builder_debug = format!("{builder:?}");
    assert_no_secret(&builder_debug);
    assert!(!builder_debug.contains(TOKEN), "{builder_debug}");

    let client = builder.build().unwrap();
    let debug = format!("{client:?} {client:#?}");
    assert_no_secret(&debug);
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(
        debug.contains("Sgp") && debug.contains("https://core-sgp.jumio.com"),
        "{debug}"
    );
    assert!(debug.contains("Acme KYC/1.0 netverify-rs/"), "{debug}");
}

fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_string())
    }
}

#[test]
fn environment_configures_everything() {
    let vars = [
        ("JUMIO_API_TOKEN", TOKEN),
        ("JUMIO_API_SECRET", SECRET),
        ("JUMIO_REGION", "Eu"),
        ("JUMIO_USER_AGENT", "Acme KYC/2.0"),
    ];
    let client = ClientBuilder::from_env_with(env(&vars))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.region(), Some(Region::Eu));
    assert!(
        client
            .user_agent()
            .starts_with("Acme KYC/2.0 netverify-rs/")
    );

    let vars = [
        ("JUMIO_API_TOKEN", TOKEN),
        ("JUMIO_API_SECRET", SECRET),
        ("JUMIO_BASE_URL", "http://localhost:9000"),
        ("JUMIO_REGION", ""),
        ("JUMIO_USER_AGENT", "Acme KYC/2.0"),
    ];
    let client = ClientBuilder::from_env_with(env(&vars))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://localhost:9000");
}

#[test]
fn environment_problems_are_reported() {
    let bad_region = [("JUMIO_REGION", "apac")];
    assert!(matches!(
        ClientBuilder::from_env_with(env(&bad_region)),
        Err(Error::Config(ConfigError::InvalidRegion { .. }))
    ));
    let both = [
        ("JUMIO_REGION", "us"),
        ("JUMIO_BASE_URL", "https://proxy.example"),
    ];
    assert!(matches!(
        ClientBuilder::from_env_with(env(&both)),
        Err(Error::Config(ConfigError::RegionAndBaseUrl))
    ));
    let no_secret = [
        ("JUMIO_API_TOKEN", TOKEN),
        ("JUMIO_USER_AGENT", "Acme KYC/1.0"),
    ];
    assert_eq!(
        config_error(ClientBuilder::from_env_with(env(&no_secret)).unwrap()),
        ConfigError::MissingSecret
    );
}

/// `JUMIO_TIMEOUT`, `JUMIO_RETRIES` and `JUMIO_DEADLINE` set the attempt
/// timeout, the retries and the call's deadline, under the rules of the
/// other settings (empty is unset; a value that does not read is an error
/// naming the variable).
#[tokio::test(start_paused = true)]
async fn the_environment_sets_the_limits() {
    use netverify_mock::{Fault, MockServer};
    use std::time::Duration;
    let server = MockServer::builder().start().await.unwrap();
    let base_url = server.base_url();
    let with = |limits: &[(&'static str, &'static str)]| {
        let mut vars = vec![
            ("JUMIO_API_TOKEN", netverify_mock::DEFAULT_TOKEN),
            ("JUMIO_API_SECRET", netverify_mock::DEFAULT_SECRET),
            ("JUMIO_USER_AGENT", "Acme KYC/1.0"),
        ];
        vars.extend_from_slice(limits);
        ClientBuilder::from_env_with(env(&vars))
            .unwrap()
            .base_url(base_url.clone())
            .build()
            .unwrap()
    };

    // JUMIO_RETRIES: 0 turns retries off; empty leaves the default (3 attempts).
    server.faults().push_n(3, Fault::BadGateway);
    with(&[("JUMIO_RETRIES", "0")])
        .supported_id_types()
        .await
        .unwrap_err();
    assert_eq!(server.request_count(), 1);
    server.faults().clear();
    server.faults().push_n(2, Fault::BadGateway);
    with(&[("JUMIO_RETRIES", "")])
        .supported_id_types()
        .await
        .unwrap();
    assert_eq!(server.request_count(), 4);

    // JUMIO_TIMEOUT: each attempt's limit.
    server.faults().push(Fault::Stall(Duration::from_secs(60)));
    let error = with(&[("JUMIO_TIMEOUT", "0.5"), ("JUMIO_RETRIES", "0")])
        .supported_id_types()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { after, .. } if after == Duration::from_millis(500)),
        "{error:?}"
    );

    // JUMIO_DEADLINE: the whole call's.
    server
        .faults()
        .push_n(3, Fault::Stall(Duration::from_secs(60)));
    let error = with(&[("JUMIO_DEADLINE", "2")])
        .supported_id_types()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Deadline { deadline, .. } if deadline == Duration::from_secs(2)),
        "{error:?}"
    );

    for (variable, value) in [
        ("JUMIO_TIMEOUT", "0"),
        ("JUMIO_TIMEOUT", "soon"),
        ("JUMIO_DEADLINE", "-1"),
        ("JUMIO_RETRIES", "-1"),
        ("JUMIO_RETRIES", "2.5"),
    ] {
        let vars = [(variable, value)];
        match ClientBuilder::from_env_with(env(&vars)) {
            Err(Error::Config(error @ ConfigError::InvalidNumber { .. })) => assert!(
                error
                    .to_string()
                    .starts_with(&format!("invalid {variable} {value:?}: expected")),
                "{error}"
            ),
            other => panic!("{variable}={value}: {other:?}"),
        }
    }
}
