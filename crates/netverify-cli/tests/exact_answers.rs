//! The binary gives the exact answer or fails loudly: no sample data unless
//! asked for, exit codes that do not depend on stdout, typos named as typos,
//! and settings resolved with the library's rules.

mod common;

use std::process::{Command, Output, Stdio};

use common::{Mock, SECRET, TOKEN, USER_AGENT, code, netverify, stderr, stdout};
use netverify_mock::Fault;

// ---- sample data only on request ------------------------------------------

#[test]
fn without_credentials_nothing_is_answered_and_the_sandbox_is_named() {
    for (args, env) in [
        (vec!["accepted", "--format", "json"], vec![]),
        (vec!["--region", "eu", "supported"], vec![]),
        (
            vec!["--user-agent", USER_AGENT, "check", "NLD", "PASSPORT"],
            vec![],
        ),
        // What a CI job sees when its secrets are unavailable.
        (
            vec!["accepted", "--format", "json"],
            vec![("JUMIO_API_TOKEN", ""), ("JUMIO_API_SECRET", "")],
        ),
    ] {
        let output = netverify(&args, &env);
        assert_eq!(code(&output), 2, "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}: sample data printed");
        let message = stderr(&output);
        assert!(
            message.contains("the API token and secret are missing")
                && message.contains("--sandbox"),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn the_sandbox_ignores_the_environment_settings() {
    let output = netverify(
        &["--sandbox", "check", "NLD", "PASSPORT"],
        &[
            ("JUMIO_BASE_URL", "https://proxy.example"),
            ("JUMIO_REGION", "eu"),
            ("JUMIO_API_TOKEN", "x"),
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "NLD PASSPORT: accepted; the back side is not required\n"
    );
}

/// docs/settings.md: `--sandbox` ignores the variables but refuses the
/// connection flags, loudly (exit 2), so that sample data is never taken
/// for an answer from the host or account a flag names. `--user-agent` is
/// the one it takes.
#[test]
fn the_sandbox_refuses_the_connection_flags() {
    for flag in [
        ["--region", "eu"],
        ["--base-url", "https://proxy.example"],
        ["--token", "x"],
        ["--secret", "x"],
        ["--token-file", "/run/secrets/token"],
        ["--secret-file", "/run/secrets/secret"],
    ] {
        let output = netverify(&[&["--sandbox"], &flag[..], &["supported"]].concat(), &[]);
        assert_eq!(code(&output), 2, "{flag:?}");
        assert_eq!(stdout(&output), "", "{flag:?}");
        assert!(
            stderr(&output).starts_with(&format!(
                "error: the argument '--sandbox' cannot be used with '{} ",
                flag[0]
            )),
            "{flag:?}: {}",
            stderr(&output)
        );
    }
    let output = netverify(
        &[
            "--sandbox",
            "--user-agent",
            USER_AGENT,
            "check",
            "NLD",
            "PASSPORT",
        ],
        &[],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

/// A configuration error is the facade's own message, and a hint naming
/// the flags of just the variables it names.
#[test]
fn a_configuration_error_names_the_flags_of_its_variables() {
    let output = netverify(
        &["--token", TOKEN, "supported"],
        &[("JUMIO_API_SECRET", SECRET)],
    );
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output),
        "netverify: invalid configuration: the User-Agent is missing: Jumio requires one naming \
         your company and application, such as \"Acme KYC/1.0\" (set it with \
         `ClientBuilder::user_agent` or JUMIO_USER_AGENT)\n\
         hint: on the command line, JUMIO_USER_AGENT is --user-agent\n"
    );
    // A message that names no variable gets no hint.
    let output = netverify(&["--region", "apac", "--token", TOKEN, "supported"], &[]);
    assert_eq!(
        stderr(&output),
        "netverify: invalid configuration: unknown region \"apac\": expected us, eu or sgp, in \
         any case\n"
    );
}

// ---- the exit code is the answer ------------------------------------------

/// Runs the binary with a stdout whose reader is already gone, so every
/// write fails with a broken pipe.
fn with_closed_stdout(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = Command::new(env!("CARGO_BIN_EXE_netverify"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("JUMIO_API_TOKEN")
        .env_remove("JUMIO_API_SECRET")
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_never_turns_a_negative_answer_into_success() {
    let negative = with_closed_stdout(&["--sandbox", "check", "GAB", "ID_CARD"]);
    assert_eq!(code(&negative), 1, "{}", stderr(&negative));
    let different = with_closed_stdout(&["--sandbox", "diff"]);
    assert_eq!(code(&different), 1, "{}", stderr(&different));
    // A positive answer stays 0 when the reader goes away.
    let positive = with_closed_stdout(&["--sandbox", "check", "NLD", "PASSPORT"]);
    assert_eq!(code(&positive), 0, "{}", stderr(&positive));
    let listing = with_closed_stdout(&["--sandbox", "supported"]);
    assert_eq!(code(&listing), 0, "{}", stderr(&listing));
    assert_eq!(stderr(&listing), "");
}

/// A stdout that cannot take the answer (a full disk: `/dev/full`) is not a
/// reader that went away: exit 4, saying why (the README's exit codes).
#[cfg(target_os = "linux")]
#[test]
fn a_stdout_that_fails_to_take_the_answer_is_exit_4() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_netverify"))
        .args(["--sandbox", "supported"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
        .wait_with_output()
        .unwrap();
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("netverify: cannot write the output: No space left on device"),
        "{}",
        stderr(&output)
    );
}

// ---- typos are not answers --------------------------------------------------

#[test]
fn an_id_type_is_read_leniently_and_the_reading_is_said() {
    let output = netverify(&["--sandbox", "check", "NLD", "id-card"], &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "NLD ID_CARD: accepted; the back side is required\n"
    );
    assert!(
        stderr(&output).contains("\"id-card\" as ID_CARD"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unknown_values_are_warned_about_with_the_nearest_spelling() {
    let output = netverify(&["--sandbox", "supported", "--id-type", "PASPORT"], &[]);
    assert_eq!(code(&output), 0);
    assert!(
        stderr(&output).contains("PASPORT is not an ID type of the supported catalogue; the nearest known spelling is PASSPORT"),
        "{}",
        stderr(&output)
    );
    // Nothing is close to FOO: no spelling is offered.
    let output = netverify(&["--sandbox", "supported", "--id-type", "FOO"], &[]);
    assert_eq!(
        stderr(&output),
        "netverify: warning: FOO is not an ID type of the supported catalogue\n"
    );

    let output = netverify(&["--sandbox", "check", "NLD", "PASPORT"], &[]);
    assert_eq!(code(&output), 2, "a typo is not a real no");
    assert_eq!(stdout(&output), "");
    assert!(stderr(&output).contains("nearest known spelling is PASSPORT"));

    let output = netverify(&["--sandbox", "check", "nl", "PASSPORT"], &[]);
    assert_eq!(code(&output), 2);
    let message = stderr(&output);
    assert!(
        message.contains("alpha-3 code is NLD") && !message.contains("upper-case"),
        "{message}"
    );

    let output = netverify(&["--sandbox", "check", "QQQ", "PASSPORT"], &[]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output),
        "netverify: cannot check QQQ PASSPORT: QQQ is neither an ISO 3166-1 country code nor \
         in the accepted or supported catalogue\n"
    );
}

/// A country code that is neither ISO 3166-1 nor in the catalogue can never
/// match: a usage error for `check` and the list filters alike, naming the
/// nearest code (from the catalogue and the ISO table), even with `-q`.
#[test]
fn a_misspelled_country_is_a_usage_error_naming_the_nearest_code() {
    for args in [
        &["--sandbox", "supported", "--country", "NDL"][..],
        &["--sandbox", "-q", "accepted", "-c", "ndl", "-f", "csv"],
        &["--sandbox", "check", "NDL", "ID_CARD"],
    ] {
        let output = netverify(args, &[]);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert_eq!(stdout(&output), "", "{args:?}");
        assert!(
            stderr(&output).contains(
                "NDL is neither an ISO 3166-1 country code nor in the {which} catalogue; the \
                 nearest known code is NLD"
                    .replace(
                        "{which}",
                        if args.contains(&"check") {
                            "accepted or supported"
                        } else if args.contains(&"accepted") {
                            "accepted"
                        } else {
                            "supported"
                        }
                    )
                    .as_str()
            ),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

/// A real value the catalogue lacks is no typo: an ISO code stays a warning
/// in a list filter, and a documented ID type gets no "nearest spelling"
/// (`VISA` is not a slip for `ID_CARD`).
#[test]
fn real_values_a_catalogue_lacks_get_no_spelling() {
    let mock = Mock::with(|builder| builder.catalogue(netherlands_only()));
    let output = mock.run(&["supported", "-c", "DEU", "-c", "NLD", "-f", "csv"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "netverify: warning: DEU (Germany) is not in the supported catalogue\n"
    );
    assert_eq!(stdout(&output).lines().count(), 2, "{}", stdout(&output));

    // A real ID type is a real question, with a real answer: no.
    let output = mock.run(&["check", "NLD", "VISA"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert_eq!(
        stdout(&output),
        "NLD VISA: not accepted; Jumio does not support it for this country\n"
    );
    // A real country neither list has: the same.
    let output = mock.run(&["check", "DEU", "PASSPORT"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "DEU PASSPORT: not accepted; Jumio does not support it for this country\n"
    );
}

/// A document the account accepts that Jumio no longer supports ("accepted
/// but no longer supported", a state `diff` reports) is a real question:
/// `check` answers it from the accepted list, with or without `-f json`.
#[test]
fn check_answers_for_a_value_only_the_accepted_list_knows() {
    let dir = common::scratch_dir("accepted-only");
    let document = |key: &str, countries: &str| {
        format!(r#"{{"timestamp":"2019-03-01T14:13:38.938Z","{key}":[{countries}]}}"#)
    };
    let nld = r#"{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{"acquisitionConfig":{"backSide":true},"idType":"ID_CARD"}]}"#;
    let xkx = r#"{"countryCode":"XKX","countryName":"Kosovo","idTypes":[{"acquisitionConfig":{"backSide":false},"idType":"HEALTH_CARD"}]}"#;
    std::fs::write(
        dir.join(netverify_mock::SUPPORTED_FILE),
        document("supportedIdTypes", nld),
    )
    .unwrap();
    std::fs::write(
        dir.join(netverify_mock::ACCEPTED_FILE),
        document("acceptedIdTypes", &format!("{nld},{xkx}")),
    )
    .unwrap();
    let catalogue = netverify_mock::Catalogue::from_dir(&dir).unwrap();
    let mock = Mock::with(|builder| builder.catalogue(catalogue));

    let output = mock.run(&["check", "XKX", "HEALTH_CARD"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "XKX HEALTH_CARD: accepted; the back side is not required\n"
    );
    let output = mock.run(&["check", "XKX", "HEALTH_CARD", "-f", "json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        common::json_of(&output.stdout),
        serde_json::json!({"country": "XKX", "idType": "HEALTH_CARD", "accepted": true,
                           "supported": false, "backSide": false})
    );
    // Known to the accepted list only, and not accepted in this pairing: a
    // real no, not "no such country" or "no such ID type".
    let output = mock.run(&["check", "XKX", "ID_CARD"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let output = mock.run(&["check", "NLD", "HEALTH_CARD"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "NLD HEALTH_CARD: not accepted; Jumio does not support it for this country\n"
    );
    // Neither list knows it, and it is no real one: a typo.
    let output = mock.run(&["check", "NLD", "HEALTH_CRAD"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the nearest known spelling is HEALTH_CARD"),
        "{}",
        stderr(&output)
    );
}

/// A catalogue of one country and one document: NLD's ID_CARD.
fn netherlands_only() -> netverify_mock::Catalogue {
    let dir = common::scratch_dir("netherlands-only");
    let list = |key: &str| {
        format!(
            r#"{{"timestamp":"2019-03-01T14:13:38.938Z","{key}":[{{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{{"acquisitionConfig":{{"backSide":true}},"idType":"ID_CARD"}}]}}]}}"#
        )
    };
    std::fs::write(
        dir.join(netverify_mock::SUPPORTED_FILE),
        list("supportedIdTypes"),
    )
    .unwrap();
    std::fs::write(
        dir.join(netverify_mock::ACCEPTED_FILE),
        list("acceptedIdTypes"),
    )
    .unwrap();
    netverify_mock::Catalogue::from_dir(&dir).unwrap()
}

// ---- one set of settings rules -----------------------------------------------

#[test]
fn settings_follow_the_library_rules() {
    // Region names in any case, from the flag or the variable.
    for (args, env) in [
        (vec!["--region", "EU", "supported"], vec![]),
        (vec!["supported"], vec![("JUMIO_REGION", "Sgp")]),
        // An empty variable is unset, as in the library.
        (vec!["supported"], vec![("JUMIO_REGION", "")]),
    ] {
        let output = netverify(&args, &env);
        assert_eq!(code(&output), 2);
        assert!(
            stderr(&output).contains("the API token and secret are missing"),
            "{args:?} {env:?}: {}",
            stderr(&output)
        );
    }
    // Both variables: an error, as in the library.
    let output = netverify(
        &["supported"],
        &[
            ("JUMIO_REGION", "eu"),
            ("JUMIO_BASE_URL", "https://proxy.example"),
        ],
    );
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("JUMIO_REGION and JUMIO_BASE_URL are both set"));

    // A flag wins over a variable: --base-url over JUMIO_REGION.
    let mock = Mock::start();
    let output = netverify(
        &[
            "--base-url",
            &mock.server.base_url(),
            "--token",
            TOKEN,
            "check",
            "NLD",
            "PASSPORT",
        ],
        &[
            ("JUMIO_API_SECRET", SECRET),
            ("JUMIO_REGION", "eu"),
            ("JUMIO_USER_AGENT", USER_AGENT),
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn a_server_answer_without_its_list_exits_5_naming_the_keys() {
    let mock = Mock::start();
    mock.server.faults().push(Fault::MissingList);
    let output = mock.run(&["accepted", "--format", "json"]);
    assert_eq!(code(&output), 5);
    assert_eq!(stdout(&output), "");
    assert!(
        stderr(&output).contains("`acceptedIdTypes` or `supportedIdTypes`"),
        "{}",
        stderr(&output)
    );
}
