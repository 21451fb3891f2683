//! Shared by the CLI's end-to-end tests: running the built binary.

use std::process::{Command, Output};

/// Runs the built `netverify` with `args` and `env`, in an environment
/// cleaned of the developer's JUMIO_* variables and without colour.
pub fn netverify(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_netverify"));
    for name in [
        "JUMIO_API_TOKEN",
        "JUMIO_API_SECRET",
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
    command.output().expect("the binary runs")
}
