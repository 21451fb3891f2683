//! The CLI README's table of failures, checked row by row against the real
//! binary: each case is run, and its exit code and message must be the ones
//! the table gives. A case in the table without a run here, or a run here
//! without a row, fails the test too.

mod common;

use std::collections::BTreeMap;
use std::process::Output;
use std::time::Duration;

use common::{Mock, SECRET, TOKEN, USER_AGENT, code, netverify};
use netverify_mock::Fault;

/// One row of the README's table.
struct Row {
    exit: i32,
    /// A part of stderr, or `None` for "nothing".
    message: Option<String>,
}

fn readme_rows() -> BTreeMap<String, Row> {
    let readme = include_str!("../README.md");
    let table = readme
        .split("## Every failure, its exit code and its message")
        .nth(1)
        .expect("the README has the failure table");
    table
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            let [case, _what, exit, message] = cells[..] else {
                panic!("a row has four cells: {line}")
            };
            let message = message
                .strip_prefix('`')
                .and_then(|m| m.strip_suffix('`'))
                .map(str::to_owned);
            let row = Row {
                exit: exit
                    .parse()
                    .unwrap_or_else(|_| panic!("exit code in {line}")),
                message,
            };
            (case.trim_matches('`').to_owned(), row)
        })
        .collect()
}

fn with_mock(fault: Option<Fault>, args: &[&str]) -> Output {
    let mock = Mock::start();
    if let Some(fault) = fault {
        mock.server.faults().push_n(3, fault);
    }
    mock.run(args)
}

/// A saved catalogue file with a misspelled list key.
fn file_without_list() -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("failures-{}-typo.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"timestamp":"2019-03-01T14:13:38.938Z","acceptedIdType":[]}"#,
    )
    .unwrap();
    path.to_string_lossy().into_owned()
}

fn run(case: &str) -> Output {
    let agent = ["--user-agent", USER_AGENT];
    let secret = [("JUMIO_API_SECRET", SECRET)];
    match case {
        "no-credentials" => netverify(
            &["accepted", "--format", "json"],
            &[("JUMIO_API_TOKEN", ""), ("JUMIO_API_SECRET", "")],
        ),
        "no-token" => netverify(&["--user-agent", USER_AGENT, "supported"], &secret),
        "no-secret" => netverify(
            &["--token", TOKEN, "supported"],
            &[("JUMIO_USER_AGENT", USER_AGENT)],
        ),
        "no-user-agent" => netverify(&["--token", TOKEN, "supported"], &secret),
        "bad-region" => netverify(
            &["--region", "apac", "--token", TOKEN, "supported"],
            &secret,
        ),
        "region-and-base-url" => netverify(
            &["--token", TOKEN, "supported"],
            &[
                ("JUMIO_API_SECRET", SECRET),
                ("JUMIO_REGION", "eu"),
                ("JUMIO_BASE_URL", "https://proxy.example"),
            ],
        ),
        "base-url-with-path" => netverify(
            &[
                &agent[..],
                &[
                    "--base-url",
                    "https://lon.netverify.com/api/netverify/v2",
                    "--token",
                    TOKEN,
                    "supported",
                ],
            ]
            .concat(),
            &secret,
        ),
        "plain-http" => netverify(
            &[
                &agent[..],
                &[
                    "--base-url",
                    "http://jumio.example",
                    "--token",
                    TOKEN,
                    "supported",
                ],
            ]
            .concat(),
            &secret,
        ),
        "zero-timeout" => netverify(&["--sandbox", "--timeout", "0", "supported"], &[]),
        "alpha-2-country" => netverify(&["--sandbox", "supported", "--country", "NL"], &[]),
        "unknown-id-type" => netverify(&["--sandbox", "check", "NLD", "PASPROT"], &[]),
        "misspelled-country" => netverify(&["--sandbox", "supported", "--country", "NDL"], &[]),
        "unreadable-file" => netverify(
            &[
                "diff",
                "--from",
                "/nonexistent/old.json",
                "--to",
                "/nonexistent/new.json",
            ],
            &[],
        ),
        "file-without-list" => {
            let typo = file_without_list();
            netverify(&["diff", "--from", &typo, "--to", &typo], &[])
        }
        "secret-file-missing" => netverify(
            &[
                &agent[..],
                &[
                    "--token",
                    TOKEN,
                    "--secret-file",
                    "/nonexistent/secret",
                    "supported",
                ],
            ]
            .concat(),
            &[],
        ),
        "token-file-empty" => {
            let empty = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join(format!("failures-{}-empty-token", std::process::id()));
            std::fs::write(&empty, "\n").unwrap();
            netverify(
                &[&agent[..], &["supported"]].concat(),
                &[
                    ("JUMIO_API_TOKEN_FILE", empty.to_str().unwrap()),
                    ("JUMIO_API_SECRET", SECRET),
                ],
            )
        }
        "stdin-twice" => netverify(&["diff", "--from", "-", "--to", "-"], &[]),
        "update-stdin" => netverify(&["--sandbox", "diff", "--from", "-", "--update"], &[]),
        "bad-timeout-variable" => netverify(
            &[&agent[..], &["--token", TOKEN, "supported"]].concat(),
            &[("JUMIO_API_SECRET", SECRET), ("JUMIO_TIMEOUT", "soon")],
        ),
        "deadline" => with_mock(
            Some(Fault::Stall(Duration::from_secs(10))),
            &["--timeout", "5", "--deadline", "0.5", "supported"],
        ),
        "json-error" => netverify(&["--sandbox", "check", "NL", "PASSPORT", "-f", "json"], &[]),
        "output-unwritable" => netverify(
            &[
                "--sandbox",
                "accepted",
                "-o",
                "/nonexistent/dir/accepted.json",
            ],
            &[],
        ),
        "negative" => netverify(&["--sandbox", "check", "GAB", "VISA"], &[]),
        "forbidden" => Mock::start().run_as(TOKEN, "wrong-secret", &["supported"]),
        "missing-list" => with_mock(Some(Fault::MissingList), &["accepted"]),
        "malformed" => with_mock(Some(Fault::MalformedJson), &["supported"]),
        "cut-off" => with_mock(Some(Fault::Disconnect), &["--retries", "0", "supported"]),
        "server-error" => with_mock(Some(Fault::InternalServerError), &["supported"]),
        "server-error-retried" => with_mock(
            Some(Fault::ServiceUnavailable {
                retry_after_secs: Some(0),
            }),
            &["supported"],
        ),
        "timeout" => with_mock(
            Some(Fault::Stall(Duration::from_secs(10))),
            &["--timeout", "0.3", "--retries", "0", "supported"],
        ),
        "not-found" => {
            let mock = Mock::start();
            let base_url = format!("{}/wrong-prefix", mock.server.base_url());
            netverify(
                &[
                    &agent[..],
                    &["--base-url", &base_url, "--token", TOKEN, "supported"],
                ]
                .concat(),
                &secret,
            )
        }
        "connection-refused" => {
            let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let url = format!("http://{}", closed.local_addr().unwrap());
            drop(closed);
            netverify(
                &[
                    &agent[..],
                    &[
                        "--base-url",
                        &url,
                        "--token",
                        TOKEN,
                        "--retries",
                        "0",
                        "supported",
                    ],
                ]
                .concat(),
                &secret,
            )
        }
        other => panic!("the README lists a case {other:?} that this test cannot run"),
    }
}

/// Every case `run` knows; the README's table must have exactly these.
const CASES: [&str; 32] = [
    "alpha-2-country",
    "bad-region",
    "bad-timeout-variable",
    "base-url-with-path",
    "connection-refused",
    "cut-off",
    "deadline",
    "file-without-list",
    "forbidden",
    "json-error",
    "malformed",
    "missing-list",
    "misspelled-country",
    "negative",
    "no-credentials",
    "no-secret",
    "no-token",
    "no-user-agent",
    "not-found",
    "output-unwritable",
    "plain-http",
    "region-and-base-url",
    "secret-file-missing",
    "server-error",
    "server-error-retried",
    "stdin-twice",
    "timeout",
    "token-file-empty",
    "unknown-id-type",
    "unreadable-file",
    "update-stdin",
    "zero-timeout",
];

#[test]
fn every_failure_in_the_readme_table_is_what_the_binary_does() {
    let rows = readme_rows();
    assert_eq!(rows.keys().map(String::as_str).collect::<Vec<_>>(), CASES);
    for (case, row) in &rows {
        let output = run(case);
        let stderr = common::stderr(&output);
        assert_eq!(code(&output), row.exit, "{case}: {stderr}");
        match &row.message {
            Some(message) => assert!(stderr.contains(message.as_str()), "{case}: {stderr}"),
            None => assert_eq!(stderr, "", "{case}"),
        }
        if row.exit >= 2 {
            assert!(
                output.stdout.is_empty(),
                "{case}: a failure prints nothing on stdout"
            );
        }
    }
}

/// The README's table of exit codes has 0 to 5, and each code but 0 is the
/// exit of some row of the failure table, which uses no other.
#[test]
fn the_exit_code_table_has_the_codes_of_the_failure_table() {
    let readme = include_str!("../README.md");
    let table = readme
        .split("## Exit codes")
        .nth(1)
        .expect("the README has the exit codes");
    let codes: Vec<i32> = table
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| line.split('|').nth(1)?.trim().parse().ok())
        .collect();
    assert_eq!(codes, [0, 1, 2, 3, 4, 5]);
    let mut exits: Vec<i32> = readme_rows().values().map(|row| row.exit).collect();
    exits.sort();
    exits.dedup();
    assert_eq!(exits, [1, 2, 3, 4, 5]);
}
