//! `cargo xtask mutants [--diff BASE | --iterate]`: cargo-mutants over the hand-written
//! code of netverify-api, netverify, netverify-mock and netverify-cli, to
//! measure whether the tests fail when the code is wrong.
//!
//! What is mutated, and what is not, is in `.cargo/mutants.toml`: generated
//! code, the xtask, the benchmarks and the fuzz target are left out. Skips in
//! the code carry `#[mutants::skip]` with a one-line reason. `--diff BASE`
//! mutates only the lines changed since the commit `BASE`, which takes
//! minutes instead of hours; `--iterate` tests again only the mutants the
//! previous run did not catch (and new code), to confirm the tests written
//! for them. CI does not run this (too long for every change); run it on
//! your change before you commit.

use std::process::Command;

use crate::tools::{cargo_tool, output, run, step};
use crate::workspace;

const TOOL: &str = "cargo-mutants";
const VERSION: &str = "27.1.0";
const NEXTEST: &str = "cargo-nextest";
const NEXTEST_VERSION: &str = "0.9.143";
const PACKAGES: [&str; 4] = [
    "netverify-api",
    "netverify",
    "netverify-mock",
    "netverify-cli",
];

pub fn run_all(args: &[&str]) -> Result<(), String> {
    let (diff_base, iterate) = match args {
        [] => (None, false),
        ["--diff", base] => (Some(*base), false),
        ["--iterate"] => (None, true),
        _ => return Err("usage: cargo xtask mutants [--diff BASE | --iterate]".to_owned()),
    };
    cargo_tool(TOOL, VERSION)?;
    // `.cargo/mutants.toml` runs the tests with cargo-nextest.
    cargo_tool(NEXTEST, NEXTEST_VERSION)?;
    let cargo = workspace::cargo_program();
    let root = workspace::root();
    let mut command = Command::new(&cargo);
    command.arg("mutants").current_dir(&root);
    for package in PACKAGES {
        command.args(["--package", package]);
    }
    // Results go to target/mutants.out (outcomes.json, caught.txt, missed.txt...).
    command.args(["--output", "target"]);
    if let Some(base) = diff_base {
        let diff = output(
            Command::new("git")
                .args(["diff", base, "--", "crates"])
                .current_dir(&root),
        )?;
        let file = root.join("target/mutants.diff");
        std::fs::create_dir_all(root.join("target")).map_err(|e| e.to_string())?;
        std::fs::write(&file, diff).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        step(&format!("cargo-mutants on the lines changed since {base}"));
        command.arg("--in-diff").arg(&file);
    } else if iterate {
        // cargo-mutants keeps the previous results as target/mutants.out.old.
        step("cargo-mutants on what the last run did not catch, and on new code");
        command.arg("--iterate");
    } else {
        step("cargo-mutants over the hand-written code of the four crates (about two hours)");
    }
    run(&mut command)
}
