//! End-to-end: the built `netverify` binary against the mock server (with
//! injected faults) and against its own sandbox.

use std::process::Output;
use std::time::Duration;

mod common;

use base64::Engine as _;
use common::{
    Mock, SECRET, TOKEN, USER_AGENT, code, json_of, netverify, scratch_dir, stderr, stdout,
};
use netverify_mock::{Catalogue, Fault, ListKey};
use serde_json::{Value, json};

fn json(output: &Output) -> Value {
    json_of(&output.stdout)
}

/// The documented samples, plus a document type this client does not know.
fn catalogue_with_unknown_id_type() -> Catalogue {
    let dir = scratch_dir("unknown-id-type");
    let supported = json!({"timestamp": "2019-03-01T14:13:38.938Z", "supportedIdTypes": [
        {"countryCode": "NLD", "countryName": "Netherlands", "idTypes": [
            {"acquisitionConfig": {"backSide": true}, "idType": "ID_CARD"},
            {"acquisitionConfig": {"backSide": false}, "idType": "RESIDENCE_PERMIT"}]}]});
    let accepted = json!({"timestamp": "2019-03-26T14:16:14.421Z", "acceptedIdTypes": [
        {"countryCode": "NLD", "countryName": "Netherlands", "idTypes": [
            {"acquisitionConfig": {"backSide": false}, "idType": "RESIDENCE_PERMIT"}]}]});
    std::fs::write(
        dir.join(netverify_mock::SUPPORTED_FILE),
        supported.to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join(netverify_mock::ACCEPTED_FILE),
        accepted.to_string(),
    )
    .unwrap();
    Catalogue::from_dir(&dir).unwrap()
}

// ---- the README's main job: the sandbox ----------------------------------

#[test]
fn explicit_sandbox_is_quiet_and_serves_the_documented_accepted_sample() {
    let output = netverify(
        &[
            "--sandbox",
            "accepted",
            "--country",
            "gab",
            "--country",
            "SGP",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert!(
        stdout(&output).starts_with("{\n  \"timestamp\": \""),
        "{}",
        stdout(&output)
    );
    let mut document = json(&output);
    let keys: Vec<&String> = document.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["acceptedIdTypes", "timestamp"]);
    document["timestamp"] = json!("[timestamp]");
    insta::assert_json_snapshot!(document);
}

// ---- listing: formats and filters ----------------------------------------

#[test]
fn supported_json_has_the_api_shape_with_filters_applied() {
    let mock = Mock::start();
    let output = mock.run(&[
        "supported",
        "--format",
        "json",
        "--country",
        "nld",
        "--country",
        "FRO",
        "--id-type",
        "passport",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let document = json(&output);
    assert!(document["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        document["supportedIdTypes"],
        json!([
            {"countryCode": "FRO", "countryName": "Faroe Islands", "idTypes": [
                {"acquisitionConfig": {"backSide": false}, "idType": "PASSPORT"}]},
            {"countryCode": "NLD", "countryName": "Netherlands", "idTypes": [
                {"acquisitionConfig": {"backSide": false}, "idType": "PASSPORT"}]}
        ])
    );
}

#[test]
fn csv_has_a_header_row_and_one_row_per_document() {
    let mock = Mock::start();
    let output = mock.run(&["supported", "--format", "csv", "--country", "NLD"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "country_code,country_name,id_type,back_side\n\
         NLD,Netherlands,ID_CARD,true\n\
         NLD,Netherlands,DRIVING_LICENSE,true\n\
         NLD,Netherlands,PASSPORT,false\n"
    );
}

#[test]
fn id_type_filter_alone_lists_every_country_offering_it() {
    let mock = Mock::start();
    let output = mock.run(&["supported", "--format", "csv", "--id-type", "ID_CARD"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(rows.len() > 20, "only {} rows", rows.len());
    assert!(rows.iter().all(|row| row.contains(",ID_CARD,")), "{text}");
    assert!(rows.contains(&"NLD,Netherlands,ID_CARD,true"));
}

/// The accepted list is saved under `acceptedIdTypes` whatever key the
/// server sent it under, so that the file says which list it is.
#[test]
fn accepted_is_saved_under_its_own_key_whatever_key_the_server_used() {
    let mock = Mock::with(|builder| builder.accepted_key(ListKey::SupportedIdTypes));
    let output = mock.run(&["accepted", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let document = json(&output);
    assert!(document.get("supportedIdTypes").is_none());
    let countries = document["acceptedIdTypes"].as_array().unwrap();
    assert!(countries.iter().any(|c| c["countryCode"] == "GAB"));

    let table = mock.run(&["accepted", "--country", "GAB"]);
    assert!(
        stdout(&table).contains("GAB      Gabon  PASSPORT  not required"),
        "{}",
        stdout(&table)
    );
}

#[test]
fn unknown_id_types_are_kept_as_sent() {
    let mock = Mock::with(|builder| builder.catalogue(catalogue_with_unknown_id_type()));
    let output = mock.run(&["supported", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        json(&output)["supportedIdTypes"][0]["idTypes"][1]["idType"],
        "RESIDENCE_PERMIT"
    );

    let table = mock.run(&["supported", "--id-type", "residence_permit"]);
    assert!(
        stdout(&table).contains("NLD      Netherlands  RESIDENCE_PERMIT  not required"),
        "{}",
        stdout(&table)
    );
    let check = mock.run(&["check", "NLD", "RESIDENCE_PERMIT"]);
    assert_eq!(code(&check), 0, "{}", stdout(&check));
}

// ---- check ---------------------------------------------------------------

#[test]
fn check_exits_0_when_accepted_and_1_when_not() {
    let mock = Mock::start();
    let accepted = mock.run(&["check", "sgp", "id_card"]);
    assert_eq!(code(&accepted), 0);
    assert_eq!(
        stdout(&accepted),
        "SGP ID_CARD: accepted; the back side is required\n"
    );

    let supported_only = mock.run(&["check", "NLD", "DRIVING_LICENSE"]);
    assert_eq!(code(&supported_only), 1);
    assert_eq!(
        stdout(&supported_only),
        "NLD DRIVING_LICENSE: not accepted; Jumio supports it: enable it in the Customer Portal under Settings > Accepted IDs\n"
    );
    assert_eq!(stderr(&supported_only), "");

    let unsupported = mock.run(&["check", "GAB", "VISA"]);
    assert_eq!(code(&unsupported), 1);
    assert_eq!(
        stdout(&unsupported),
        "GAB VISA: not accepted; Jumio does not support it for this country\n"
    );
}

// ---- diff ----------------------------------------------------------------

#[test]
fn diff_of_accepted_and_supported_exits_1_and_lists_what_could_be_enabled() {
    let mock = Mock::start();
    let output = mock.run(&["diff", "--format", "json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let diff = json(&output);
    assert_eq!(
        diff["noLongerSupported"],
        json!([]),
        "the sandbox accepts only supported documents"
    );
    let could_enable = diff["couldBeEnabled"].as_array().unwrap();
    assert!(
        could_enable
            .iter()
            .any(|e| e["countryCode"] == "NLD" && e["idType"] == "DRIVING_LICENSE")
    );
    assert!(
        !could_enable
            .iter()
            .any(|e| e["countryCode"] == "NLD" && e["idType"] == "PASSPORT")
    );

    let table = mock.run(&["diff"]);
    assert_eq!(code(&table), 1);
    let text = stdout(&table);
    assert!(
        text.starts_with("accepted but no longer supported by Jumio: 0\n"),
        "{text}"
    );
    assert!(
        text.contains("supported by Jumio, not accepted (could be enabled): "),
        "{text}"
    );
}

#[test]
fn diff_of_saved_files_needs_no_server_and_reports_changes() {
    let mock = Mock::start();
    let dir = scratch_dir("saved-files");
    let old = dir.join("old.json");
    let saved = mock.run(&["supported", "--format", "json", "--country", "NLD"]);
    std::fs::write(&old, &saved.stdout).unwrap();
    let old_path = old.to_str().unwrap();

    let same = netverify(&["diff", "--from", old_path, "--to", old_path], &[]);
    assert_eq!((code(&same), stderr(&same)), (0, String::new()));

    let mut changed = json(&saved);
    changed["supportedIdTypes"][0]["idTypes"][0]["acquisitionConfig"]["backSide"] = json!(false);
    changed["supportedIdTypes"][0]["idTypes"]
        .as_array_mut()
        .unwrap()
        .remove(1);
    changed["supportedIdTypes"][0]["idTypes"]
        .as_array_mut()
        .unwrap()
        .push(json!(
        {"acquisitionConfig": {"backSide": false}, "idType": "VISA"}));
    let new = dir.join("new.json");
    std::fs::write(&new, changed.to_string()).unwrap();
    let output = netverify(
        &["diff", "--from", old_path, "--to", new.to_str().unwrap()],
        &[],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output), @r"
    removed: 1
    COUNTRY  NAME         ID TYPE          BACK SIDE
    NLD      Netherlands  DRIVING_LICENSE  required

    added: 1
    COUNTRY  NAME         ID TYPE  BACK SIDE
    NLD      Netherlands  VISA     not required

    back-side requirement changed (old -> new): 1
      NLD Netherlands ID_CARD: back side required -> not required
    ");
}

// ---- exit codes for failures ---------------------------------------------

#[test]
fn usage_and_configuration_errors_exit_2() {
    let unknown_flag = netverify(&["supported", "--colour"], &[]);
    assert_eq!(code(&unknown_flag), 2);

    let bad_country = netverify(&["--sandbox", "supported", "--country", "NETHERLANDS"], &[]);
    assert_eq!(code(&bad_country), 2);
    assert!(
        stderr(&bad_country).contains("invalid country code"),
        "{}",
        stderr(&bad_country)
    );

    // Missing settings, plain http:// and a zero timeout are rows of the
    // README's failure table, which tests/failures.rs runs.

    let missing_file = netverify(
        &[
            "diff",
            "--from",
            "/nonexistent/old.json",
            "--to",
            "/nonexistent/new.json",
        ],
        &[],
    );
    assert_eq!(code(&missing_file), 2);
    assert!(stderr(&missing_file).contains("cannot read /nonexistent/old.json"));
}

#[test]
fn forbidden_exits_3_with_status_tracking_id_and_hint() {
    let mock = Mock::start();
    let output = mock.run_as(TOKEN, "wrong-secret", &["supported"]);
    assert_eq!(code(&output), 3);
    let message = stderr(&output);
    assert!(
        message.starts_with("netverify: 403 forbidden by "),
        "{message}"
    );
    assert!(message.contains("User-Agent"), "{message}");
    assert!(message.contains("region"), "{message}");
    let tracking_id = message
        .split("[X-Trackingid: ")
        .nth(1)
        .expect("a tracking id");
    assert!(uuid_like(&tracking_id[..36]), "{message}");
    assert!(message.lines().count() <= 2, "{message}");
    assert_eq!(mock.server.request_count(), 1, "403 is not retried");
}

fn uuid_like(text: &str) -> bool {
    text.len() == 36
        && text.chars().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[test]
fn server_errors_are_retried_then_succeed() {
    let mock = Mock::start();
    mock.server.faults().push_n(
        2,
        Fault::ServiceUnavailable {
            retry_after_secs: Some(0),
        },
    );
    let output = mock.run(&[
        "--retries",
        "2",
        "supported",
        "--country",
        "NLD",
        "--format",
        "csv",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 4);
    assert_eq!(mock.server.request_count(), 3);
}

#[test]
fn failures_after_the_retries_exit_4() {
    let mock = Mock::start();
    mock.server.faults().push_n(3, Fault::BadGateway);
    let output = mock.run(&["--retries", "1", "supported"]);
    assert_eq!(code(&output), 4);
    assert!(stderr(&output).contains("502"), "{}", stderr(&output));
    assert_eq!(
        mock.server.request_count(),
        2,
        "--retries 1 means two attempts"
    );

    mock.server.faults().clear();
    mock.server.faults().push(Fault::ServiceUnavailable {
        retry_after_secs: None,
    });
    let no_retries = mock.run(&["--retries", "0", "supported"]);
    assert_eq!(code(&no_retries), 4);
    assert_eq!(
        mock.server.request_count(),
        3,
        "--retries 0 turns retries off"
    );
}

#[test]
fn timeout_exits_4() {
    let mock = Mock::start();
    mock.server
        .faults()
        .push(Fault::Stall(Duration::from_secs(30)));
    let started = std::time::Instant::now();
    let output = mock.run(&["--timeout", "0.5", "--retries", "0", "supported"]);
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the timeout did not fire"
    );
    assert!(
        stderr(&output).contains("no complete response within"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn malformed_json_exits_5_naming_the_problem() {
    let mock = Mock::start();
    mock.server.faults().push(Fault::MalformedJson);
    let output = mock.run(&["--retries", "0", "accepted"]);
    assert_eq!(code(&output), 5);
    let message = stderr(&output);
    assert!(message.contains("cannot decode the response"), "{message}");
    assert!(message.contains("[X-Trackingid: "), "{message}");
}

#[test]
fn the_secret_never_appears_in_any_output() {
    let mock = Mock::start();
    let pair = format!("{TOKEN}:{SECRET}");
    let encoded = base64::engine::general_purpose::STANDARD.encode(&pair);
    let mut outputs = vec![
        mock.run(&["supported", "--country", "NLD"]),
        mock.run_as(TOKEN, "wrong-secret-0042", &["supported"]),
        mock.run_as("wrong-token", SECRET, &["accepted"]),
        netverify(&["--token", TOKEN, "--secret", SECRET, "supported"], &[]),
        netverify(
            &[
                "--token",
                TOKEN,
                "--secret",
                SECRET,
                "--base-url",
                "http://10.0.0.1",
                "--user-agent",
                USER_AGENT,
                "supported",
            ],
            &[],
        ),
        netverify(
            &[
                "--token",
                TOKEN,
                "--secret",
                SECRET,
                "--base-url",
                "https://[::1",
                "--user-agent",
                USER_AGENT,
                "supported",
            ],
            &[],
        ),
        netverify(&["--help"], &[("JUMIO_API_SECRET", SECRET)]),
    ];
    for fault in [
        Fault::BadGateway,
        Fault::Disconnect,
        Fault::TruncatedJson,
        Fault::Stall(Duration::from_secs(30)),
    ] {
        mock.server.faults().push(fault);
        outputs.push(mock.run(&[
            "--retries",
            "0",
            "--timeout",
            "0.5",
            "check",
            "NLD",
            "PASSPORT",
        ]));
    }
    for output in &outputs {
        let text = format!("{}{}", stdout(output), stderr(output));
        for needle in [SECRET, pair.as_str(), encoded.as_str()] {
            assert!(!text.contains(needle), "{needle:?} leaked in: {text}");
        }
    }
}
