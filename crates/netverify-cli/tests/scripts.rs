//! What a script, a cron job or a CI pipeline needs from `netverify`, on the
//! real binary against netverify-mock (with faults where needed): saved
//! files compared with the live list, stdin, `-o` written atomically,
//! credentials from files, JSON answers and errors, completions, `-q` and
//! `-v`, and help that pastes.

mod common;

use std::path::Path;
use std::process::Output;

use common::{
    Mock, SECRET, TOKEN, USER_AGENT, code, json_of, netverify, netverify_with_stdin, scratch_dir,
    stderr, stdout,
};
use netverify_mock::Fault;
use serde_json::{Value, json};

fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The files of `dir`, sorted: what a run left behind.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---- diff --from alone: the cron job --------------------------------------

#[test]
fn a_saved_accepted_list_is_compared_with_the_live_accepted_list() {
    let mock = Mock::start();
    let dir = scratch_dir("from-alone");
    let saved = dir.join("accepted.json");
    let output = mock.run(&["accepted", "-f", "json", "-o", path(&saved)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let same = mock.run(&["diff", "--from", path(&saved)]);
    assert_eq!(code(&same), 0, "{}", stderr(&same));
    assert_eq!(stderr(&same), "");
    let requests = mock.server.requests();
    assert_eq!(
        requests.last().unwrap().uri().path(),
        "/api/netverify/v2/acceptedIdTypes",
        "acceptedIdTypes in the file means the live accepted list"
    );

    // Yesterday the account accepted one more document, and NLD's ID card
    // needed no back side.
    let mut yesterday = json_of(&std::fs::read(&saved).unwrap());
    let nld = yesterday["acceptedIdTypes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|country| country["countryCode"] == "NLD")
        .unwrap();
    let documents = nld["idTypes"].as_array_mut().unwrap();
    let id_card = documents
        .iter_mut()
        .find(|document| document["idType"] == "ID_CARD")
        .unwrap();
    id_card["acquisitionConfig"]["backSide"] = json!(false);
    documents.push(json!({"acquisitionConfig": {"backSide": false}, "idType": "VISA"}));
    std::fs::write(&saved, yesterday.to_string()).unwrap();

    let changed = mock.run(&["diff", "--from", path(&saved), "-f", "json"]);
    assert_eq!(code(&changed), 1, "{}", stderr(&changed));
    assert_eq!(
        json_of(&changed.stdout),
        json!({
            "removed": [{"countryCode": "NLD", "countryName": "Netherlands",
                         "idType": "VISA", "backSide": false}],
            "added": [],
            "changed": [{"countryCode": "NLD", "countryName": "Netherlands",
                         "idType": "ID_CARD",
                         "backSide": {"old": false, "new": true}}],
        })
    );
}

#[test]
fn a_saved_supported_list_is_compared_with_the_live_supported_list() {
    let mock = Mock::start();
    let saved = mock.run(&["supported", "-f", "json"]);
    assert_eq!(code(&saved), 0);
    let dir = scratch_dir("from-supported");
    let file = dir.join("supported.json");
    std::fs::write(&file, &saved.stdout).unwrap();

    let same = mock.run(&["diff", "--from", path(&file)]);
    assert_eq!(code(&same), 0, "{}", stderr(&same));
    assert_eq!(stderr(&same), "", "the file says which list it is");
    let last = mock
        .server
        .requests()
        .last()
        .unwrap()
        .uri()
        .path()
        .to_owned();
    assert_eq!(last, "/api/netverify/v2/supportedIdTypes");

    // The same file against the accepted list, on request: they differ.
    let accepted = mock.run(&["-q", "diff", "--from", path(&file), "--list", "accepted"]);
    assert_eq!(code(&accepted), 1, "{}", stderr(&accepted));
    assert_eq!(stderr(&accepted), "", "-q and --list: no note");
    let last = mock
        .server
        .requests()
        .last()
        .unwrap()
        .uri()
        .path()
        .to_owned();
    assert_eq!(last, "/api/netverify/v2/acceptedIdTypes");
}

/// The issue's report: an accepted list the server sent under
/// `supportedIdTypes`, saved, then compared with `-q`. The file says it is
/// the accepted list, so it is compared with the live accepted list: no
/// difference, and no note needed.
#[test]
fn an_accepted_list_sent_under_supported_id_types_is_compared_with_the_accepted_list() {
    let mock =
        Mock::with(|builder| builder.accepted_key(netverify_mock::ListKey::SupportedIdTypes));
    let dir = scratch_dir("from-accepted-under-supported");
    let saved = dir.join("accepted.json");
    let output = mock.run(&["accepted", "-f", "json", "-o", path(&saved)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    for quiet in [&["-q"][..], &[]] {
        let same = mock.run(&[quiet, &["diff", "--from", path(&saved)]].concat());
        assert_eq!(
            code(&same),
            0,
            "{quiet:?}: {}{}",
            stdout(&same),
            stderr(&same)
        );
        assert_eq!(stderr(&same), "");
        assert_eq!(
            mock.server.requests().last().unwrap().uri().path(),
            "/api/netverify/v2/acceptedIdTypes"
        );
    }
}

/// A file of netverify 0.2: the accepted list under `supportedIdTypes`,
/// whose origin the file does not tell. It reads as the supported list, as
/// in 0.2, and `--list accepted` compares it with the accepted list.
#[test]
fn a_file_of_0_2_still_reads_and_list_names_its_origin() {
    let mock =
        Mock::with(|builder| builder.accepted_key(netverify_mock::ListKey::SupportedIdTypes));
    let live = mock.run(&["accepted", "-f", "json"]);
    let mut document = json_of(&live.stdout);
    let list = document
        .as_object_mut()
        .unwrap()
        .remove("acceptedIdTypes")
        .unwrap();
    document["supportedIdTypes"] = list;
    let dir = scratch_dir("from-0-2");
    let saved = dir.join("accepted.json");
    std::fs::write(&saved, document.to_string()).unwrap();

    let as_supported = mock.run(&["-q", "diff", "--from", path(&saved)]);
    assert_eq!(code(&as_supported), 1, "{}", stderr(&as_supported));
    assert_eq!(
        mock.server.requests().last().unwrap().uri().path(),
        "/api/netverify/v2/supportedIdTypes"
    );
    let as_accepted = mock.run(&["-q", "diff", "--from", path(&saved), "--list", "accepted"]);
    assert_eq!(code(&as_accepted), 0, "{}", stderr(&as_accepted));
}

/// `--update`: one request per run; the file becomes the exact live list it
/// was compared with when they differ, and stays as it was when they do not
/// or when the run fails.
#[test]
fn diff_update_moves_the_baseline_to_the_list_it_compared_with() {
    let mock = Mock::start();
    let dir = scratch_dir("diff-update");
    let saved = dir.join("accepted.json");
    let output = mock.run(&["accepted", "-f", "json", "-o", path(&saved)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let original = std::fs::read(&saved).unwrap();

    // The same list: nothing written (not even a new timestamp).
    let requests = mock.server.request_count();
    let same = mock.run(&["diff", "--from", path(&saved), "--update"]);
    assert_eq!(code(&same), 0, "{}", stderr(&same));
    assert_eq!(std::fs::read(&saved).unwrap(), original);
    assert_eq!(mock.server.request_count(), requests + 1);

    // An older baseline: the difference is printed, and the file becomes
    // the live list, byte for byte what `accepted -f json` prints.
    let mut older = json_of(&original);
    older["acceptedIdTypes"].as_array_mut().unwrap().pop();
    older["timestamp"] = json!("2019-03-01T14:13:38.938Z");
    std::fs::write(&saved, older.to_string()).unwrap();
    let requests = mock.server.request_count();
    let changed = mock.run(&["diff", "--from", path(&saved), "--update", "-f", "json"]);
    assert_eq!(code(&changed), 1, "{}", stderr(&changed));
    assert_eq!(
        mock.server.request_count(),
        requests + 1,
        "one request per run"
    );
    assert!(
        !json_of(&changed.stdout)["added"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let updated = std::fs::read(&saved).unwrap();
    let mut expected = json_of(&original);
    let mut written = json_of(&updated);
    // The mock stamps each answer with the time it was asked.
    assert_ne!(written["timestamp"], json!("2019-03-01T14:13:38.938Z"));
    expected.as_object_mut().unwrap().remove("timestamp");
    written.as_object_mut().unwrap().remove("timestamp");
    assert_eq!(written, expected);
    assert!(updated.ends_with(b"}\n"), "the shape of -f json");
    assert_eq!(files_in(&dir), ["accepted.json"], "no temporary file left");

    // Now quiet: the baseline moved forward.
    let again = mock.run(&["diff", "--from", path(&saved), "--update"]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(std::fs::read(&saved).unwrap(), updated);

    // A failed run never touches the file.
    std::fs::write(&saved, older.to_string()).unwrap();
    for (fault, exit) in [(Fault::InternalServerError, 4), (Fault::MalformedJson, 5)] {
        mock.server.faults().push(fault.clone());
        let failed = mock.run(&["--retries", "0", "diff", "--from", path(&saved), "--update"]);
        assert_eq!(code(&failed), exit, "{fault:?}: {}", stderr(&failed));
        assert_eq!(std::fs::read_to_string(&saved).unwrap(), older.to_string());
    }
    // Nor does a run whose difference could not be written.
    let unwritable = mock.run(&[
        "diff",
        "--from",
        path(&saved),
        "--update",
        "-o",
        "/nonexistent/dir/diff.txt",
    ]);
    assert_eq!(code(&unwritable), 4, "{}", stderr(&unwritable));
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), older.to_string());
    assert_eq!(files_in(&dir), ["accepted.json"]);
}

/// `--fail-on` picks the kinds of difference that exit 1; the whole
/// difference is printed whatever it picks.
#[test]
fn fail_on_picks_which_kinds_of_difference_exit_1() {
    let dir = scratch_dir("fail-on");
    let document = |documents: &str| {
        format!(
            r#"{{"timestamp":"2019-03-01T14:13:38.938Z","acceptedIdTypes":[{{"countryCode":"NLD","countryName":"Netherlands","idTypes":[{documents}]}}]}}"#
        )
    };
    let id_card =
        |back: bool| format!(r#"{{"acquisitionConfig":{{"backSide":{back}}},"idType":"ID_CARD"}}"#);
    let visa = r#"{"acquisitionConfig":{"backSide":false},"idType":"VISA"}"#;
    let write = |name: &str, text: String| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        file.to_str().unwrap().to_owned()
    };
    let base = write("base.json", document(&id_card(true)));
    let added = write("added.json", document(&format!("{},{visa}", id_card(true))));
    let changed = write("changed.json", document(&id_card(false)));
    let removed = write(
        "removed.json",
        "{\"timestamp\":\"2019-03-01T14:13:38.938Z\",\"acceptedIdTypes\":[]}".to_owned(),
    );
    for (to, kind) in [
        (&added, "added"),
        (&removed, "removed"),
        (&changed, "changed"),
    ] {
        for fail_on in ["any", "added", "removed", "changed"] {
            let output = netverify(
                &[
                    "diff",
                    "--from",
                    &base,
                    "--to",
                    to,
                    "--fail-on",
                    fail_on,
                    "-f",
                    "json",
                ],
                &[],
            );
            let expected = if fail_on == "any" || fail_on == kind {
                1
            } else {
                0
            };
            assert_eq!(code(&output), expected, "{kind} with --fail-on {fail_on}");
            let printed = json_of(&output.stdout);
            assert_eq!(printed[kind].as_array().unwrap().len(), 1, "{printed}");
        }
    }
    let same = netverify(
        &["diff", "--from", &base, "--to", &base, "--fail-on", "any"],
        &[],
    );
    assert_eq!(code(&same), 0);

    // Accepted vs supported: the sandbox's account accepts only supported
    // documents, and could enable more.
    let all = netverify(&["--sandbox", "diff"], &[]);
    assert_eq!(code(&all), 1, "{}", stderr(&all));
    let removed_only = netverify(&["--sandbox", "diff", "--fail-on", "removed"], &[]);
    assert_eq!(code(&removed_only), 0, "{}", stderr(&removed_only));
    assert_eq!(
        stdout(&removed_only),
        stdout(&all),
        "the whole difference is printed"
    );
}

/// `--timeout`, `--retries` and `--deadline` come from `JUMIO_TIMEOUT`,
/// `JUMIO_RETRIES` and `JUMIO_DEADLINE` too, a flag winning over its
/// variable; the deadline bounds the whole run, retries included.
#[test]
fn the_limits_come_from_flags_or_variables_and_the_deadline_bounds_the_run() {
    use std::time::{Duration, Instant};
    let run = |mock: &Mock, env: &[(&str, &str)], args: &[&str]| {
        let base_url = mock.server.base_url();
        let connection = [
            "--base-url",
            &base_url,
            "--user-agent",
            USER_AGENT,
            "--token",
            TOKEN,
        ];
        netverify(
            &[&connection[..], args, &["supported"]].concat(),
            &[&[("JUMIO_API_SECRET", SECRET)], env].concat(),
        )
    };
    // JUMIO_RETRIES=0: one attempt; --retries wins over it.
    let mock = Mock::start();
    mock.server.faults().push_n(3, Fault::BadGateway);
    let output = run(&mock, &[("JUMIO_RETRIES", "0")], &[]);
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    assert_eq!(mock.server.request_count(), 1);
    let output = run(&mock, &[("JUMIO_RETRIES", "0")], &["--retries", "1"]);
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    assert_eq!(mock.server.request_count(), 3);

    // JUMIO_TIMEOUT: the attempt's limit.
    let stalled = Mock::start();
    stalled
        .server
        .faults()
        .push_n(3, Fault::Stall(Duration::from_secs(60)));
    let output = run(
        &stalled,
        &[("JUMIO_TIMEOUT", "0.3"), ("JUMIO_RETRIES", "0")],
        &[],
    );
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no complete response within 300 ms per attempt"),
        "{}",
        stderr(&output)
    );

    // A server that never answers, with the default 30 s per attempt and
    // retries: the deadline ends the run, from the flag or the variable,
    // and says so.
    for (env, args) in [
        (&[("JUMIO_DEADLINE", "0.5")][..], &[][..]),
        (&[("JUMIO_DEADLINE", "100")][..], &["--deadline", "0.5"][..]),
    ] {
        let stalled = Mock::start();
        stalled
            .server
            .faults()
            .push_n(3, Fault::Stall(Duration::from_secs(60)));
        let started = Instant::now();
        let output = run(&stalled, env, args);
        assert_eq!(code(&output), 4, "{}", stderr(&output));
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the deadline did not end the run"
        );
        assert!(
            stderr(&output)
                .contains("the call's deadline of 500 ms passed before a complete response"),
            "{}",
            stderr(&output)
        );
        assert!(stderr(&output).contains("hint: the run's deadline passed: raise --deadline"));
    }
    // A variable that does not read is a configuration error naming it.
    for (variable, value) in [
        ("JUMIO_TIMEOUT", "0"),
        ("JUMIO_RETRIES", "-1"),
        ("JUMIO_DEADLINE", "soon"),
    ] {
        let output = run(&mock, &[(variable, value)], &[]);
        assert_eq!(code(&output), 2, "{variable}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(&format!("invalid {variable} {value:?}")),
            "{}",
            stderr(&output)
        );
    }
    let output = netverify(&["--sandbox", "--deadline", "0", "supported"], &[]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output)
            .contains("invalid --deadline 0: expected a number of seconds greater than zero")
    );
}

#[test]
fn a_dash_reads_a_catalogue_from_stdin() {
    let mock = Mock::start();
    let saved = mock.run(&["accepted", "-f", "json"]);
    assert_eq!(code(&saved), 0);
    let base_url = mock.server.base_url();
    let connection = [
        "--base-url",
        &base_url,
        "--user-agent",
        USER_AGENT,
        "--token",
        TOKEN,
    ];
    let secret = [("JUMIO_API_SECRET", SECRET)];

    let live = netverify_with_stdin(
        &[&connection[..], &["diff", "--from", "-"]].concat(),
        &secret,
        &saved.stdout,
    );
    assert_eq!(code(&live), 0, "{}", stderr(&live));

    let dir = scratch_dir("stdin");
    let file = dir.join("accepted.json");
    std::fs::write(&file, &saved.stdout).unwrap();
    for args in [
        ["diff", "--from", "-", "--to", path(&file)],
        ["diff", "--from", path(&file), "--to", "-"],
    ] {
        let offline = netverify_with_stdin(&args, &[], &saved.stdout);
        assert_eq!(code(&offline), 0, "{args:?}: {}", stderr(&offline));
    }

    let garbage = netverify_with_stdin(&["diff", "--from", "-", "--to", path(&file)], &[], b"{");
    assert_eq!(code(&garbage), 2);
    assert!(
        stderr(&garbage).contains("stdin is not a saved catalogue"),
        "{}",
        stderr(&garbage)
    );

    let both = netverify_with_stdin(&["diff", "--from", "-", "--to", "-"], &[], &saved.stdout);
    assert_eq!(code(&both), 2);
    assert!(
        stderr(&both).contains("both read stdin"),
        "{}",
        stderr(&both)
    );
}

#[test]
fn diff_json_uses_the_words_of_the_table() {
    let mock = Mock::start();
    let live = mock.run(&["diff", "-f", "json"]);
    assert_eq!(code(&live), 1, "{}", stderr(&live));
    let live = json_of(&live.stdout);
    let keys: Vec<&String> = live.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["changed", "couldBeEnabled", "noLongerSupported"]);
    let entry = &live["couldBeEnabled"][0];
    let entry_keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
    assert_eq!(
        entry_keys,
        ["backSide", "countryCode", "countryName", "idType"]
    );
}

// ---- -o/--output ------------------------------------------------------------

#[test]
fn output_files_hold_what_stdout_would_and_failing_runs_leave_them_untouched() {
    let mock = Mock::start();
    let dir = scratch_dir("output");
    for (format, name) in [("table", "a.txt"), ("json", "a.json"), ("csv", "a.csv")] {
        let file = dir.join(name);
        let written = mock.run(&["accepted", "-f", format, "--output", path(&file)]);
        assert_eq!(code(&written), 0, "{}", stderr(&written));
        assert!(written.stdout.is_empty(), "-o: nothing on stdout");
        let printed = mock.run(&["accepted", "-f", format]);
        let saved = std::fs::read_to_string(&file).unwrap();
        if format == "json" {
            // The mock stamps each answer with the time it was asked.
            let without_time = |text: &str| {
                let mut document: Value = serde_json::from_str(text).unwrap();
                document.as_object_mut().unwrap().remove("timestamp");
                document
            };
            assert_eq!(without_time(&saved), without_time(&stdout(&printed)));
        } else {
            assert_eq!(saved, stdout(&printed), "{format}");
        }
    }

    // A failing run (a 500, or a 200 that is not JSON) leaves the file as
    // it was, and no temporary file behind.
    let file = dir.join("a.json");
    let before = std::fs::read(&file).unwrap();
    for (fault, exit) in [(Fault::InternalServerError, 4), (Fault::MalformedJson, 5)] {
        mock.server.faults().push(fault.clone());
        let failed = mock.run(&["accepted", "-f", "json", "-o", path(&file)]);
        assert_eq!(code(&failed), exit, "{fault:?}: {}", stderr(&failed));
        assert_eq!(std::fs::read(&file).unwrap(), before, "{fault:?}");
    }
    assert_eq!(files_in(&dir), ["a.csv", "a.json", "a.txt"]);

    // `-o -` is stdout, as everywhere a file is taken.
    let dash = mock.run(&["accepted", "-f", "csv", "-o", "-"]);
    assert_eq!(
        stdout(&dash),
        std::fs::read_to_string(dir.join("a.csv")).unwrap()
    );

    // diff -o: the difference in the file, the answer in the exit code.
    let difference = dir.join("diff.json");
    let diffed = mock.run(&["diff", "-f", "json", "-o", path(&difference)]);
    assert_eq!(code(&diffed), 1, "{}", stderr(&diffed));
    assert!(diffed.stdout.is_empty());
    assert!(json_of(&std::fs::read(&difference).unwrap())["couldBeEnabled"].is_array());
}

#[cfg(unix)]
#[test]
fn an_output_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch_dir("output-mode");
    let file = dir.join("accepted.json");
    std::fs::write(&file, "old").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let output = netverify(
        &["--sandbox", "accepted", "-f", "json", "-o", path(&file)],
        &[],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_ne!(std::fs::read_to_string(&file).unwrap(), "old");
}

// ---- secret and token files -------------------------------------------------

#[cfg(unix)]
fn write_private(path: &Path, contents: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, contents).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn credentials_come_from_files_with_one_trailing_newline_dropped() {
    let mock = Mock::start();
    let base_url = mock.server.base_url();
    let dir = scratch_dir("secret-files");
    let token_file = dir.join("token");
    let secret_file = dir.join("secret");
    // As `echo` and Kubernetes write them: one newline, or CRLF.
    write_private(&token_file, &format!("{TOKEN}\n"), 0o600);
    write_private(&secret_file, &format!("{SECRET}\r\n"), 0o400);
    let connection = ["--base-url", &base_url, "--user-agent", USER_AGENT];

    let flags = netverify(
        &[
            &connection[..],
            &[
                "--token-file",
                path(&token_file),
                "--secret-file",
                path(&secret_file),
                "check",
                "NLD",
                "PASSPORT",
            ],
        ]
        .concat(),
        &[],
    );
    assert_eq!(code(&flags), 0, "{}", stderr(&flags));
    assert_eq!(stderr(&flags), "", "private files: no warning");

    let variables = netverify(
        &[&connection[..], &["check", "NLD", "PASSPORT"]].concat(),
        &[
            ("JUMIO_API_TOKEN_FILE", path(&token_file)),
            ("JUMIO_API_SECRET_FILE", path(&secret_file)),
        ],
    );
    assert_eq!(code(&variables), 0, "{}", stderr(&variables));

    // Precedence: --secret-file over JUMIO_API_SECRET, which is over
    // JUMIO_API_SECRET_FILE (not even read then).
    let file_over_variable = netverify(
        &[
            &connection[..],
            &[
                "--token",
                TOKEN,
                "--secret-file",
                path(&secret_file),
                "accepted",
            ],
        ]
        .concat(),
        &[("JUMIO_API_SECRET", "wrong-secret")],
    );
    assert_eq!(
        code(&file_over_variable),
        0,
        "{}",
        stderr(&file_over_variable)
    );
    let variable_over_file_variable = netverify(
        &[&connection[..], &["--token", TOKEN, "accepted"]].concat(),
        &[
            ("JUMIO_API_SECRET", SECRET),
            ("JUMIO_API_SECRET_FILE", "/nonexistent/secret"),
        ],
    );
    assert_eq!(
        code(&variable_over_file_variable),
        0,
        "{}",
        stderr(&variable_over_file_variable)
    );

    // Only one newline goes: a secret with two is a different secret.
    write_private(&secret_file, &format!("{SECRET}\n\n"), 0o600);
    let two_newlines = netverify(
        &[
            &connection[..],
            &[
                "--token",
                TOKEN,
                "--secret-file",
                path(&secret_file),
                "accepted",
            ],
        ]
        .concat(),
        &[],
    );
    assert_eq!(code(&two_newlines), 3, "{}", stderr(&two_newlines));
}

#[cfg(unix)]
#[test]
fn a_secret_file_other_users_can_read_gets_a_warning() {
    let dir = scratch_dir("secret-mode");
    let secret_file = dir.join("secret");
    write_private(&secret_file, "s3cret\n", 0o644);
    let args = [
        "--token",
        TOKEN,
        "--secret-file",
        path(&secret_file),
        "--base-url",
        "http://127.0.0.1:9",
        "--retries",
        "0",
        "--user-agent",
        USER_AGENT,
        "supported",
    ];
    let warned = netverify(&args, &[]);
    assert!(
        stderr(&warned).contains(&format!(
            "warning: the API secret file {} can be read by other users (mode 644): chmod 600",
            path(&secret_file)
        )),
        "{}",
        stderr(&warned)
    );
    let quiet = netverify(&[&["-q"][..], &args].concat(), &[]);
    assert!(!stderr(&quiet).contains("warning"), "{}", stderr(&quiet));
    assert!(stderr(&quiet).contains("netverify: "), "errors still shown");
}

#[test]
fn a_missing_or_empty_credential_file_exits_2_naming_it() {
    let dir = scratch_dir("secret-missing");
    let empty = dir.join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let cases = [
        (
            vec![
                "--token",
                TOKEN,
                "--secret-file",
                "/nonexistent/secret",
                "supported",
            ],
            vec![],
            "cannot read the API secret file /nonexistent/secret (from --secret-file)",
        ),
        // A name with an extension is a path too, and shown.
        (
            vec!["--token", TOKEN, "--secret-file", "secret.txt", "supported"],
            vec![],
            "cannot read the API secret file secret.txt (from --secret-file)",
        ),
        // A bare word may be the secret itself, pasted in the wrong place.
        (
            vec![
                "--token",
                TOKEN,
                "--secret-file",
                "pasted-s3cr3t",
                "supported",
            ],
            vec![],
            "cannot read the API secret file named by --secret-file: ",
        ),
        (
            vec!["--secret", SECRET, "supported"],
            vec![("JUMIO_API_TOKEN_FILE", path(&empty))],
            "(from JUMIO_API_TOKEN_FILE) is empty",
        ),
    ];
    for (args, env, message) in cases {
        let output = netverify(&args, &env);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(message), "{}", stderr(&output));
        assert!(
            !stderr(&output).contains("pasted-s3cr3t"),
            "{}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn secret_help_says_to_prefer_the_file_or_the_environment() {
    let help = netverify(&["--help"], &[]);
    let text = stdout(&help)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(
            "Prefer --secret-file or the environment: command lines are visible to other users"
        ),
        "{text}"
    );
}

// ---- machine-readable answers ----------------------------------------------

#[test]
fn check_json_is_one_object_with_the_exit_code_of_the_answer() {
    let mock = Mock::start();
    let cases = [
        (
            ["NLD", "ID_CARD"],
            0,
            json!({"country": "NLD", "idType": "ID_CARD",
            "accepted": true, "supported": true, "backSide": true}),
        ),
        (
            ["NLD", "DRIVING_LICENSE"],
            1,
            json!({"country": "NLD", "idType": "DRIVING_LICENSE",
            "accepted": false, "supported": true, "backSide": true}),
        ),
        (
            ["GAB", "VISA"],
            1,
            json!({"country": "GAB", "idType": "VISA",
            "accepted": false, "supported": false, "backSide": null}),
        ),
    ];
    for (document, exit, answer) in cases {
        let output = mock.run(&["check", document[0], document[1], "-f", "json"]);
        assert_eq!(code(&output), exit, "{document:?}: {}", stderr(&output));
        assert_eq!(stdout(&output).lines().count(), 1);
        assert_eq!(json_of(&output.stdout), answer, "{document:?}");
    }
}

/// The one JSON object on stderr.
fn error_object(output: &Output) -> Value {
    let text = stderr(output);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    json_of(text.as_bytes())
}

#[test]
fn with_json_errors_are_one_json_object_on_stderr_with_the_same_exit_code() {
    let mock = Mock::start();
    let forbidden = mock.run_as(TOKEN, "wrong-secret", &["accepted", "-f", "json"]);
    assert_eq!(code(&forbidden), 3);
    assert!(forbidden.stdout.is_empty());
    let error = error_object(&forbidden);
    assert_eq!(error["kind"], "refused");
    assert_eq!(error["status"], 403);
    assert_eq!(error["attempts"], 1);
    assert!(
        error["trackingId"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert!(error["message"].as_str().unwrap().contains("403 forbidden"));
    let keys: Vec<&String> = error.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "attempts",
            "hint",
            "kind",
            "message",
            "status",
            "trackingId"
        ]
    );

    mock.server.faults().push_n(
        3,
        Fault::ServiceUnavailable {
            retry_after_secs: Some(0),
        },
    );
    let retried = mock.run(&["accepted", "-f", "json"]);
    assert_eq!(code(&retried), 4, "{}", stderr(&retried));
    let error = error_object(&retried);
    assert_eq!(
        (error["kind"].as_str(), error["status"].as_u64()),
        (Some("temporary"), Some(503))
    );
    assert_eq!(error["attempts"], 3);
    assert!(error["hint"].as_str().unwrap().contains("after 3 attempts"));

    let usage = netverify(&["--sandbox", "check", "NL", "PASSPORT", "-f", "json"], &[]);
    assert_eq!(code(&usage), 2);
    let error = error_object(&usage);
    assert_eq!(error["kind"], "usage");
    assert_eq!(error["status"], Value::Null);
    assert!(error["message"].as_str().unwrap().contains("alpha-2"));

    let config = netverify(&["supported", "-f", "json"], &[]);
    assert_eq!(code(&config), 2);
    assert_eq!(error_object(&config)["kind"], "config");

    // Without --format json, errors stay text.
    let text = netverify(&["supported"], &[]);
    assert!(
        stderr(&text)
            .starts_with("netverify: invalid configuration: the API token and secret are missing"),
        "{}",
        stderr(&text)
    );
}

/// The README's example of a JSON error is the line the binary writes for a
/// 503 on every attempt (but for the port and the tracking id, which differ
/// from run to run).
#[test]
fn the_readme_json_error_example_is_what_the_binary_writes() {
    let readme = include_str!("../README.md");
    let example = readme
        .split("For a 503 on every attempt:\n\n```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the README has the example");
    let mock = Mock::start();
    mock.server.faults().push_n(
        3,
        Fault::ServiceUnavailable {
            retry_after_secs: None,
        },
    );
    let output = mock.run(&["accepted", "-f", "json"]);
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    let written = error_object(&output);
    let tracking_id = written["trackingId"].as_str().expect("a tracking id");
    let shown = json_of(example.as_bytes());
    let shown_id = shown["trackingId"].as_str().expect("a tracking id");
    let written = written
        .to_string()
        .replace(tracking_id, shown_id)
        .replace(&mock.server.base_url(), "http://127.0.0.1:8080");
    assert_eq!(written, example);
}

// ---- shell integration -----------------------------------------------------

#[test]
fn completions_for_each_shell_name_the_commands_and_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = netverify(&["completions", shell], &[]);
        assert_eq!(code(&output), 0, "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        for word in ["netverify", "accepted", "secret-file", "diff"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
        assert!(
            !script.contains("__man"),
            "{shell}: the hidden command stays hidden"
        );
    }
    let unknown = netverify(&["completions", "tcsh"], &[]);
    assert_eq!(code(&unknown), 2);
}

#[test]
fn the_man_pages_cover_every_command() {
    // Their content is drift-checked by `cargo xtask generate --check`.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let help = stdout(&netverify(&["--help"], &[]));
    let commands: Vec<&str> = help
        .split_once("Commands:\n")
        .unwrap()
        .1
        .lines()
        .take_while(|line| line.starts_with("  "))
        // Not the continuation of a wrapped description.
        .filter(|line| !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|command| *command != "help")
        .collect();
    let mut expected: Vec<String> = commands
        .iter()
        .map(|command| format!("netverify-{command}.1"))
        .collect();
    expected.push("netverify.1".to_owned());
    expected.sort();
    assert_eq!(files_in(&dir), expected);
    let page = std::fs::read_to_string(dir.join("netverify.1")).unwrap();
    assert!(page.starts_with(".\\\" Generated by `cargo xtask generate`"));
    assert!(page.contains("secret\\-file"), "{page}");
}

// ---- quiet and verbose -----------------------------------------------------

#[test]
fn quiet_drops_warnings_and_keeps_errors() {
    let warned = netverify(
        &["--sandbox", "supported", "-t", "id-card", "-c", "NLD"],
        &[],
    );
    assert!(
        stderr(&warned).contains("warning: reading the ID type"),
        "{}",
        stderr(&warned)
    );
    let quiet = netverify(
        &["--sandbox", "-q", "supported", "-t", "id-card", "-c", "NLD"],
        &[],
    );
    assert_eq!(code(&quiet), 0);
    assert_eq!(stderr(&quiet), "");
    assert_eq!(stdout(&quiet), stdout(&warned));

    let error = netverify(&["-q", "supported"], &[]);
    assert_eq!(code(&error), 2);
    assert!(
        stderr(&error).contains("the API token and secret are missing"),
        "{}",
        stderr(&error)
    );

    let both = netverify(&["--sandbox", "-q", "-v", "supported"], &[]);
    assert_eq!(code(&both), 2, "-q and -v exclude each other");
}

#[test]
fn verbose_prints_one_line_per_attempt_with_status_duration_tracking_id_and_wait() {
    let mock = Mock::start();
    mock.server.faults().push(Fault::ServiceUnavailable {
        retry_after_secs: Some(1),
    });
    let output = mock.run(&["-v", "supported", "-c", "NLD"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let lines: Vec<String> = stderr(&output).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let shape = |line: &str, status: &str, retry: bool| {
        let rest = line
            .strip_prefix(&format!("netverify: supportedIdTypes attempt {status}"))
            .unwrap_or_else(|| panic!("{line}"));
        assert!(rest.contains(" ms, tracking id "), "{line}");
        // The wait is the server's Retry-After.
        assert_eq!(rest.ends_with("; retrying in 1000 ms"), retry, "{line}");
    };
    shape(&lines[0], "1: 503 in ", true);
    shape(&lines[1], "2: 200 in ", false);
    assert_eq!(
        stdout(&output),
        stdout(&mock.run(&["supported", "-c", "NLD"]))
    );

    // No response at all: said as such.
    let refused = netverify(
        &[
            "-v",
            "--base-url",
            "http://127.0.0.1:9",
            "--token",
            TOKEN,
            "--user-agent",
            USER_AGENT,
            "--retries",
            "0",
            "accepted",
        ],
        &[("JUMIO_API_SECRET", SECRET)],
    );
    assert_eq!(code(&refused), 4);
    assert!(
        stderr(&refused).starts_with("netverify: acceptedIdTypes attempt 1: no response in "),
        "{}",
        stderr(&refused)
    );
}

// ---- help ------------------------------------------------------------------

#[test]
fn connection_options_have_their_own_heading_in_every_command() {
    for command in [
        &["--help"][..],
        &["supported", "--help"],
        &["diff", "--help"],
    ] {
        let help = stdout(&netverify(command, &[]));
        let (own, connection) = help
            .split_once("Connection options:\n")
            .unwrap_or_else(|| panic!("{command:?}: {help}"));
        assert!(connection.contains("--secret-file"), "{command:?}");
        assert!(!own.contains("--secret"), "{command:?}: {own}");
    }
    let help = stdout(&netverify(&["supported", "--help"], &[]));
    for short in [
        "-c, --country",
        "-t, --id-type",
        "-f, --format",
        "-o, --output",
    ] {
        assert!(help.contains(short), "{short}: {help}");
    }
}

#[test]
fn usage_after_a_missing_argument_is_not_cluttered_by_the_environment() {
    let output = netverify(
        &["check", "NLD"],
        &[("JUMIO_API_TOKEN", TOKEN), ("JUMIO_API_SECRET", SECRET)],
    );
    assert_eq!(code(&output), 2);
    let text = stderr(&output);
    let usage = text
        .lines()
        .find(|line| line.starts_with("Usage:"))
        .unwrap();
    assert_eq!(usage, "Usage: netverify check <COUNTRY> <ID_TYPE>");
}

/// Every `Examples:` line of every help: at most 80 columns, and the ones
/// that need no account or file run as pasted (through `sh`).
#[test]
fn help_examples_fit_80_columns_and_paste_as_they_are() {
    let commands = ["", "supported", "accepted", "check", "diff", "completions"];
    let mut examples = Vec::new();
    for command in commands {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let help = stdout(&netverify(&args, &[]));
        let (_, block) = help
            .split_once("Examples:\n")
            .expect("each help has examples");
        for line in block.lines().take_while(|line| line.starts_with("  ")) {
            assert!(
                line.chars().count() <= 80,
                "{} columns: {line}",
                line.chars().count()
            );
            examples.push(line.trim().to_owned());
        }
    }
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_netverify")).parent().unwrap();
    let dir = scratch_dir("examples");
    let mut ran = 0;
    for example in &examples {
        let offline = example
            .split(" | ")
            .all(|part| part.starts_with("netverify --sandbox "));
        if !offline {
            continue;
        }
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(example)
            .current_dir(&dir)
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let code = code(&output);
        assert!(
            code <= 1 && !(code == 1 && stderr(&output).contains("error")),
            "{example}: exit {code}: {}",
            stderr(&output)
        );
        assert!(!stdout(&output).is_empty(), "{example}");
        ran += 1;
    }
    assert!(ran >= 8, "ran {ran} of {examples:?}");
}

/// The README's table of the `kind` values of `--format json` errors, with
/// the exit code of each.
fn readme_kinds() -> Vec<(String, i32)> {
    let readme = include_str!("../README.md");
    let table = readme
        .split("| `kind` | exit | what failed |")
        .nth(1)
        .expect("the README has the table of kinds");
    table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let exit = cells[2].parse().expect("an exit code");
            (cells[1].trim_matches('`').to_owned(), exit)
        })
        .collect()
}

/// The README lists every `kind` the binary can write (its own `usage` and
/// `output`, and each of the facade's `ErrorKind`s) and nothing else; each
/// but `runtime`, which a call inside the binary's own runtime cannot meet,
/// comes from a real failure here, with its exit code, status and hint.
#[test]
fn each_kind_of_failure_is_named_in_json() {
    let table = readme_kinds();
    let mut emitted: Vec<&str> = ["usage", "output"]
        .into_iter()
        .chain(netverify::ErrorKind::ALL.map(netverify::ErrorKind::as_str))
        .collect();
    let mut listed: Vec<&str> = table.iter().map(|(kind, _)| kind.as_str()).collect();
    emitted.sort();
    listed.sort();
    assert_eq!(listed, emitted, "the README's table of kinds");
    let exit_of = |kind: &str| table.iter().find(|(listed, _)| listed == kind).unwrap().1;

    use netverify_mock::scripted::{Script, ScriptedServer};
    use std::time::Duration;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let scripted = |script| runtime.block_on(ScriptedServer::start(script)).unwrap();
    let against = |url: &str| {
        common::against(
            url,
            TOKEN,
            &[("JUMIO_API_SECRET", SECRET)],
            &["supported", "-f", "json"],
        )
    };
    let with_fault = |fault: Fault, extra: &[&str]| {
        let mock = Mock::start();
        mock.server.faults().push(fault);
        mock.run(&[&["--retries", "0"], extra, &["supported", "-f", "json"]].concat())
    };
    let unauthorized = scripted(Script::Raw(
        b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
    ));
    let bad_request = scripted(Script::Raw(
        b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
    ));
    let endless = scripted(Script::Endless {
        head: b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n".to_vec(),
        chunk: vec![b' '; 64 * 1024],
    });
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let mock = Mock::start();
    let not_found = format!("{}/wrong-prefix", mock.server.base_url());
    let json = ["-f", "json"];
    let cases = [
        (
            "usage",
            2,
            None,
            None,
            netverify(&["--sandbox", "check", "NL", "PASSPORT", "-f", "json"], &[]),
        ),
        (
            "config",
            2,
            None,
            Some("on the command line, JUMIO_API_TOKEN is --token"),
            netverify(&["supported", "-f", "json"], &[]),
        ),
        (
            "refused",
            3,
            Some(401),
            None,
            against(unauthorized.base_url()),
        ),
        (
            "refused",
            3,
            Some(403),
            None,
            mock.run_as(TOKEN, "wrong-secret", &[&["supported"], &json[..]].concat()),
        ),
        (
            "temporary",
            4,
            Some(429),
            Some("the server failed: try again later"),
            with_fault(
                Fault::TooManyRequests {
                    retry_after_secs: Some(0),
                },
                &[],
            ),
        ),
        (
            "temporary",
            4,
            None,
            Some("raise --timeout"),
            with_fault(Fault::Stall(Duration::from_secs(10)), &["--timeout", "0.3"]),
        ),
        (
            "temporary",
            4,
            None,
            Some("raise --deadline"),
            with_fault(
                Fault::Stall(Duration::from_secs(10)),
                &["--timeout", "5", "--deadline", "0.3"],
            ),
        ),
        (
            "temporary",
            4,
            None,
            Some("check the network and the host"),
            against(&closed_port),
        ),
        (
            "temporary",
            4,
            None,
            Some("no complete answer arrived"),
            with_fault(Fault::Disconnect, &[]),
        ),
        (
            "status",
            5,
            Some(404),
            Some("check --base-url"),
            against(&not_found),
        ),
        (
            "status",
            5,
            Some(400),
            Some("the server refused the request as sent"),
            against(bad_request.base_url()),
        ),
        (
            "invalidResponse",
            5,
            None,
            Some("the response is not a Netverify catalogue"),
            with_fault(Fault::MalformedJson, &[]),
        ),
        (
            "invalidResponse",
            5,
            None,
            Some("the response is not a Netverify catalogue"),
            against(endless.base_url()),
        ),
        (
            "output",
            4,
            None,
            None,
            netverify(
                &[
                    "--sandbox",
                    "accepted",
                    "-f",
                    "json",
                    "-o",
                    "/nonexistent/dir/a.json",
                ],
                &[],
            ),
        ),
    ];
    for (kind, exit, status, hint, output) in &cases {
        assert_eq!(code(output), *exit, "{kind}: {}", stderr(output));
        assert_eq!(exit_of(kind), *exit, "{kind}: the README's exit code");
        let error = error_object(output);
        assert_eq!(error["kind"], *kind, "{error}");
        assert_eq!(error["status"].as_u64(), *status, "{error}");
        match hint {
            Some(hint) => assert!(error["hint"].as_str().unwrap().contains(hint), "{error}"),
            None => assert_eq!(error["hint"], Value::Null, "{error}"),
        }
    }
    let mut met: Vec<&str> = cases.iter().map(|case| case.0).collect();
    met.push("runtime");
    met.sort();
    met.dedup();
    assert_eq!(met, listed, "a failure for each kind");
}

/// `-o` writes its temporary file beside the target, not in the working
/// directory: a rename cannot cross filesystems (a mounted volume, say).
/// Linux only, where /dev/shm is a tmpfs of its own.
#[cfg(target_os = "linux")]
#[test]
fn output_files_on_another_filesystem_than_the_working_directory_are_written() {
    use std::os::unix::fs::MetadataExt as _;
    let other = Path::new("/dev/shm");
    let working = std::env::current_dir().unwrap();
    assert_ne!(
        other.metadata().unwrap().dev(),
        working.metadata().unwrap().dev(),
        "this test needs /dev/shm on a filesystem of its own"
    );
    let file = other.join(format!("netverify-cli-{}.json", std::process::id()));
    let written = netverify(
        &["--sandbox", "accepted", "-f", "json", "-o", path(&file)],
        &[],
    );
    let saved = std::fs::read_to_string(&file);
    let _ = std::fs::remove_file(&file);
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    // The same list as stdout would hold (each run stamps its own time).
    let expected = netverify(&["--sandbox", "accepted", "-f", "json"], &[]);
    let list = |json: &str| json_of(json.as_bytes())["acceptedIdTypes"].clone();
    assert!(
        list(&saved.unwrap()) == list(&stdout(&expected)),
        "the lists differ"
    );
}

#[test]
fn errors_are_json_exactly_when_the_answer_was_asked_for_as_json() {
    let commands: [&[&str]; 4] = [
        &["--sandbox", "supported", "--country", "NL"],
        &["--sandbox", "accepted", "--country", "NL"],
        &["--sandbox", "check", "NL", "PASSPORT"],
        &[
            "diff",
            "--from",
            "/nonexistent/a.json",
            "--to",
            "/nonexistent/b.json",
        ],
    ];
    for command in commands {
        let text = netverify(command, &[]);
        assert_eq!(code(&text), 2);
        assert!(
            stderr(&text).starts_with("netverify: "),
            "{}",
            stderr(&text)
        );
        let json = netverify(&[command, &["-f", "json"]].concat(), &[]);
        assert_eq!(code(&json), 2);
        assert_eq!(error_object(&json)["kind"], "usage", "{command:?}");
    }
}

/// The progress line appears on a terminal when a request is slow, and not
/// with `-q`. The terminal is `script`'s (util-linux).
#[cfg(target_os = "linux")]
#[test]
fn a_slow_request_shows_a_progress_line_on_a_terminal_unless_quiet() {
    let mock = Mock::with(|builder| builder.latency(std::time::Duration::from_millis(1200)));
    let base_url = mock.server.base_url();
    for (list, progress) in [
        ("supported", "fetching the supported ID types"),
        ("accepted", "fetching the accepted ID types"),
    ] {
        let on_terminal = |quiet: &str| {
            let command = format!(
                "{} {quiet} --base-url {base_url} --user-agent 'Acme KYC/1.0' --token {TOKEN} \
                 {list} --country NLD",
                env!("CARGO_BIN_EXE_netverify")
            );
            let output = std::process::Command::new("script")
                .args(["-qefc", &command, "/dev/null"])
                .env("JUMIO_API_SECRET", SECRET)
                .output()
                .expect("script (util-linux) runs");
            assert!(output.status.success(), "{}", stdout(&output));
            stdout(&output)
        };
        let shown = on_terminal("");
        assert!(shown.contains(progress), "{shown}");
        assert!(shown.contains("NLD"), "{shown}");
        let quiet = on_terminal("-q");
        assert!(!quiet.contains(progress), "{quiet}");
        assert!(quiet.contains("NLD"), "{quiet}");
    }
}
