//! The `netverify-mock` binary: its stdout line, fault flags, request log and
//! clean stop on a signal.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

#[test]
#[cfg(unix)]
fn the_binary_prints_its_address_serves_faults_logs_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netverify-mock"))
        .args([
            "--port",
            "0",
            "--fault",
            "503",
            "--fail-next",
            "2",
            "--retry-after",
            "0",
        ])
        .args(["--token", "t0k3n", "--secret", "s3cr3t-value"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base_url = line
        .strip_suffix('\n')
        .and_then(|line| line.strip_prefix("listening on http://127.0.0.1:"))
        .filter(|port| port.parse::<u16>().is_ok_and(|port| port != 0))
        .map(|port| format!("http://127.0.0.1:{port}"))
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let statuses: Vec<u16> = runtime.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let mut statuses = Vec::new();
        for _ in 0..3 {
            let response = client
                .get(format!("{base_url}/api/netverify/v2/acceptedIdTypes"))
                .basic_auth("t0k3n", Some("s3cr3t-value"))
                .header("User-Agent", "Acme KYC/1.0")
                .send()
                .await
                .unwrap();
            if response.status() == 503 {
                assert_eq!(response.headers()["retry-after"], "0");
            }
            statuses.push(response.status().as_u16());
        }
        statuses
    });
    assert_eq!(statuses, [503, 503, 200]);

    let stopped = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "a clean exit on Ctrl-C: {status}");

    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "stdout holds the one address line");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let request_lines: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(" GET /api/"))
        .collect();
    assert_eq!(request_lines.len(), 3, "one line per request: {log}");
    assert!(
        request_lines[0].contains("-> 503") && request_lines[0].contains("fault: 503"),
        "{log}"
    );
    assert!(
        request_lines[2].contains("-> 200") && request_lines[2].contains("\"Acme KYC/1.0\""),
        "{log}"
    );
    // Neither the secret nor the encoded credentials reach the log.
    assert!(
        !log.contains("s3cr3t") && !log.contains("dDBrM246czNjcjN0LXZhbHVl"),
        "{log}"
    );
}

#[test]
fn a_bad_data_directory_is_an_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_netverify-mock"))
        .args(["--port", "0", "--data", "/nonexistent/netverify-mock-data"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot read /nonexistent/netverify-mock-data/supportedIdTypes.json"),
        "{stderr}"
    );
}
