//! `cargo xtask semver`: cargo-semver-checks compares the public API of the
//! published library crates with the last release's, whose commit
//! `.ci/semver-baseline` names (see there why a commit and not a tag).
//!
//! A change that breaks the API fails, unless the version in the root
//! `Cargo.toml` was raised as Semantic Versioning asks (while it is `0.x`, the
//! minor number): cargo-semver-checks reads the release type from the two
//! versions.

use std::process::Command;

use crate::tools::{cargo_tool, output, run, step};
use crate::workspace;

const TOOL: &str = "cargo-semver-checks";
const VERSION: &str = "0.51.0";
const BASELINE_FILE: &str = ".ci/semver-baseline";

pub fn run_all() -> Result<(), String> {
    let baseline = baseline()?;
    cargo_tool(TOOL, VERSION)?;
    step(&format!(
        "cargo-semver-checks: the public API against the last release, commit {baseline}"
    ));
    let cargo = workspace::cargo_program();
    let mut command = Command::new(cargo);
    command
        .args(["semver-checks", "check-release", "--workspace"])
        .args(["--baseline-rev", &baseline])
        .current_dir(workspace::root());
    // A crate the release did not have has no API to break yet.
    for crate_dir in new_since(&baseline)? {
        step(&format!(
            "{crate_dir}: not in the release, nothing to compare"
        ));
        command.args(["--exclude", &crate_dir]);
    }
    run(&mut command).map_err(|e| {
        format!(
            "{e}\nA break of the public API needs a new version: raise `workspace.package.version` \
             in Cargo.toml (0.x: the minor number) and say what broke in CHANGELOG.md."
        )
    })
}

/// The baseline commit: the one line of the file that is not a comment, a
/// full commit id that this clone has.
pub fn baseline() -> Result<String, String> {
    let text = std::fs::read_to_string(workspace::root().join(BASELINE_FILE))
        .map_err(|e| format!("cannot read {BASELINE_FILE}: {e}"))?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    let commit = match lines.as_slice() {
        [commit] if commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()) => {
            commit.to_string()
        }
        _ => {
            return Err(format!(
                "{BASELINE_FILE} must hold exactly one line that is not a comment: the full \
                 40-digit commit id of the last release (found {lines:?})"
            ));
        }
    };
    output(
        Command::new("git")
            .args(["cat-file", "-e", &format!("{commit}^{{commit}}")])
            .current_dir(workspace::root()),
    )
    .map_err(|e| {
        format!(
            "the baseline commit {commit} of {BASELINE_FILE} is not in this clone ({e}); \
             a shallow clone lacks it: `git fetch --unshallow`"
        )
    })?;
    Ok(commit)
}

/// The crates under `crates/` that the commit `baseline` did not have.
fn new_since(baseline: &str) -> Result<Vec<String>, String> {
    let root = workspace::root();
    let mut new = Vec::new();
    let entries = std::fs::read_dir(root.join("crates")).map_err(|e| e.to_string())?;
    for entry in entries {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy().into_owned();
        let existed = Command::new("git")
            .args([
                "cat-file",
                "-e",
                &format!("{baseline}:crates/{name}/Cargo.toml"),
            ])
            .current_dir(&root)
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| e.to_string())?
            .success();
        if !existed {
            new.push(name);
        }
    }
    new.sort();
    Ok(new)
}
