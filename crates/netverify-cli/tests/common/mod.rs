//! Shared by the CLI's end-to-end tests: running the built binary.

#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use netverify_mock::{MockServer, MockServerBuilder};

/// The built `netverify` with `args` and `env`, in an environment cleaned
/// of the developer's JUMIO_* variables and without colour.
pub fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_netverify"));
    for name in [
        "JUMIO_API_TOKEN",
        "JUMIO_API_SECRET",
        "JUMIO_API_TOKEN_FILE",
        "JUMIO_API_SECRET_FILE",
        "JUMIO_REGION",
        "JUMIO_BASE_URL",
        "JUMIO_USER_AGENT",
    ] {
        command.env_remove(name);
    }
    command
        .env("NO_COLOR", "1")
        .args(args)
        .envs(env.iter().copied());
    command
}

/// Runs the built `netverify` (see [`command`]) with an empty stdin.
pub fn netverify(args: &[&str], env: &[(&str, &str)]) -> Output {
    command(args, env)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

/// Runs the built `netverify` against `url` as `token` (the secret, if any,
/// is in `env`), without retries and with a 2 s timeout: for servers that
/// answer with faults or scripted bytes.
pub fn against(url: &str, token: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    let connection = [
        "--base-url",
        url,
        "--user-agent",
        USER_AGENT,
        "--token",
        token,
        "--retries",
        "0",
        "--timeout",
        "2",
    ];
    netverify(&[&connection[..], args].concat(), env)
}

/// Runs the built `netverify` (see [`command`]) with `input` on its stdin.
pub fn netverify_with_stdin(args: &[&str], env: &[(&str, &str)], input: &[u8]) -> Output {
    let mut child = command(args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("a piped stdin");
    // A binary that stops before reading all of stdin (a failure, say)
    // closes the pipe: its exit code and stderr then tell the test why.
    match stdin.write_all(input) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.expect("the binary reads stdin"),
    }
    drop(stdin);
    child.wait_with_output().expect("the binary runs")
}

/// A fresh directory under the target dir (kept out of the source tree),
/// named after `test`.
pub fn scratch_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub const USER_AGENT: &str = "Acme KYC/1.0";
pub const TOKEN: &str = "cli-test-token";
pub const SECRET: &str = "cli-test-secret-9f2c";

/// A mock server on its own runtime, so the test thread can wait for the
/// binary while the server answers it.
pub struct Mock {
    pub server: MockServer,
    // Serves the mock while the test thread waits for the binary.
    _runtime: tokio::runtime::Runtime,
}

impl Mock {
    pub fn start() -> Mock {
        Mock::with(|builder| builder)
    }

    pub fn with(configure: impl FnOnce(MockServerBuilder) -> MockServerBuilder) -> Mock {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let builder = configure(MockServer::builder().credentials(TOKEN, SECRET));
        let server = runtime.block_on(builder.start()).unwrap();
        Mock {
            server,
            _runtime: runtime,
        }
    }

    /// Runs the binary with the mock's URL and the right credentials.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_as(TOKEN, SECRET, args)
    }

    pub fn run_as(&self, token: &str, secret: &str, args: &[&str]) -> Output {
        let base_url = self.server.base_url();
        let mut all = vec![
            "--base-url",
            &base_url,
            "--user-agent",
            USER_AGENT,
            "--token",
            token,
        ];
        all.extend(args);
        netverify(&all, &[("JUMIO_API_SECRET", secret)])
    }
}

/// The run's stdout, which is UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// The run's stderr, which is UTF-8.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// The run's exit code.
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

/// `bytes` as JSON, or a panic that shows them.
pub fn json_of(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}
