//! The CLI never prints a credential, on the error paths `cli.rs` does not
//! already cover: rate limiting, server errors, malformed JSON, usage errors
//! with the secret on the command line, credentials put in the base URL, and
//! servers that echo the request's `Authorization` header back; each also
//! with `-v` (a line per attempt) and `--format json` (errors as JSON), and
//! with the secret read from a file.

use std::process::Output;

mod common;

use base64::Engine as _;
use common::{USER_AGENT, code, stderr, stdout};
use netverify_mock::scripted::{Script, ScriptedServer};
use netverify_mock::{Fault, MockServer};

const TOKEN: &str = "cli-secrets-token";
const SECRET: &str = "cli-SECRET-never-printed-5e1d";

/// Runs the binary with the secret in its environment.
fn netverify(args: &[&str]) -> Output {
    common::netverify(
        args,
        &[("JUMIO_API_SECRET", SECRET), ("RUST_BACKTRACE", "1")],
    )
}

fn against(url: &str, args: &[&str]) -> Output {
    common::against(
        url,
        TOKEN,
        &[("JUMIO_API_SECRET", SECRET), ("RUST_BACKTRACE", "1")],
        args,
    )
}

#[test]
fn no_error_path_prints_a_credential() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let mock = runtime
        .block_on(MockServer::builder().credentials(TOKEN, SECRET).start())
        .unwrap();
    let url = mock.base_url();

    // World-readable, so that the warning about it is printed too.
    let secret_file = common::scratch_dir("secrets").join("secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();

    let mut outputs: Vec<(String, Output)> = Vec::new();
    for fault in [
        Fault::TooManyRequests {
            retry_after_secs: Some(0),
        },
        Fault::InternalServerError,
        Fault::ServiceUnavailable {
            retry_after_secs: Some(1),
        },
        Fault::MalformedJson,
    ] {
        for command in [
            &["accepted"][..],
            &["diff"],
            &["check", "NLD", "PASSPORT"],
            &["-v", "accepted"],
            &["accepted", "-f", "json"],
            &["-v", "diff", "-f", "json"],
            &["-v", "check", "NLD", "PASSPORT", "-f", "json"],
        ] {
            // Twice: `diff` and `check` ask for both lists at once, and
            // `check` answers yes from the accepted list alone.
            mock.faults().clear();
            mock.faults().push_n(2, fault.clone());
            outputs.push((format!("{fault:?} {command:?}"), against(&url, command)));
        }
    }
    mock.faults().clear();
    for (status, content_type) in [
        ("401 Unauthorized", "text/html"),
        ("403 Forbidden", "application/json"),
        ("200 OK", "application/json"),
    ] {
        // A server that echoes the request, headers and all, in its answer.
        let echo_server = runtime
            .block_on(ScriptedServer::start(Script::Echo {
                status,
                content_type,
            }))
            .unwrap();
        let echo = echo_server.base_url().to_owned();
        outputs.push((format!("echo {status}"), against(&echo, &["supported"])));
        outputs.push((
            format!("echo {status} -v -f json"),
            against(&echo, &["-v", "supported", "-f", "json"]),
        ));
        outputs.push((
            format!("echo {status} with a secret file"),
            common::netverify(
                &[
                    "--base-url",
                    &echo,
                    "--user-agent",
                    USER_AGENT,
                    "--token",
                    TOKEN,
                    "--secret-file",
                    secret_file.to_str().unwrap(),
                    "--retries",
                    "0",
                    "-v",
                    "accepted",
                    "-f",
                    "json",
                ],
                &[],
            ),
        ));
    }
    for args in [
        vec!["--secret", SECRET, "--timeout", "soon", "supported"],
        vec!["--secret", SECRET, "supported", "--format", "xml"],
        vec!["--secret", SECRET, "frobnicate"],
        // The secret itself where its file belongs: no such file.
        vec!["--token", TOKEN, "--secret-file", SECRET, "supported"],
        vec!["--token-file", SECRET, "supported", "-f", "json"],
        vec![
            "--secret",
            SECRET,
            "--region",
            "mars",
            "supported",
            "-f",
            "json",
        ],
        vec![
            "-v",
            "--secret",
            SECRET,
            "--timeout",
            "0",
            "check",
            "NLD",
            "ID_CARD",
            "-f",
            "json",
        ],
        vec![
            "--token",
            TOKEN,
            "--secret",
            SECRET,
            "--region",
            "mars",
            "supported",
        ],
    ] {
        outputs.push((format!("usage {args:?}"), netverify(&args)));
    }
    let in_url = format!("https://{TOKEN}:{SECRET}@netverify.com");
    outputs.push((
        "credentials in the URL".into(),
        against(&in_url, &["supported"]),
    ));

    let pair = format!("{TOKEN}:{SECRET}");
    let encoded = base64::engine::general_purpose::STANDARD.encode(&pair);
    let mut needles: Vec<&str> = (0..=encoded.len() - 16)
        .map(|at| &encoded[at..at + 16])
        .collect();
    needles.extend([SECRET, pair.as_str()]);
    for (case, output) in &outputs {
        let code = code(output);
        assert!(matches!(code, 2..=5), "{case}: exit {code}");
        let text = format!("{}{}", stdout(output), stderr(output));
        assert!(!text.contains("panicked"), "{case}: {text}");
        for needle in &needles {
            assert!(
                !text.contains(needle),
                "{case}: {needle:?} leaked in: {text}"
            );
        }
    }
    runtime.block_on(mock.shutdown()).unwrap();
}
