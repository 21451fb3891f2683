//! The workspace the xtask works on: where it is, where the spec is, how to
//! run its cargo, and how a generated file is written or checked. Every
//! command module takes these from here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hand-written OpenAPI description, relative to the workspace root.
pub const SPEC: &str = "openapi/netverify.yaml";

/// Runs `cargo run -p <package> --all-features --example <example>` in the workspace and
/// returns what it printed: how the xtask gets output from crates it must not
/// depend on (it has to build when their generated code is stale).
pub fn example_output(package: &str, example: &str) -> Result<String, String> {
    crate::tools::step(&format!(
        "cargo run -p {package} --all-features --example {example}"
    ));
    crate::tools::output(
        std::process::Command::new(cargo_program())
            .args(["run", "--quiet", "--package", package, "--all-features"])
            .args(["--example", example])
            .current_dir(root()),
    )
}

/// The cargo that runs the xtask (the same toolchain), to run cargo commands.
pub fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Whether a generating command writes its outputs or only compares them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Writes `contents` to `path` (relative to the workspace root), or in check
/// mode compares them and returns a unified diff when they differ.
pub fn write_or_check(mode: Mode, path: &str, contents: &str) -> Result<(), String> {
    let full = root().join(path);
    let current = std::fs::read_to_string(&full).unwrap_or_default();
    match mode {
        Mode::Write => {
            if current != contents {
                std::fs::write(&full, contents).map_err(|e| format!("cannot write {path}: {e}"))?;
                println!("wrote {path}");
            } else {
                println!("{path} is up to date");
            }
            Ok(())
        }
        Mode::Check if current == contents => {
            println!("{path} is up to date");
            Ok(())
        }
        Mode::Check => {
            let diff = similar::TextDiff::from_lines(current.as_str(), contents);
            let diff = diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{path} (checked in)"),
                    &format!("{path} (from the spec)"),
                )
                .to_string();
            Err(format!(
                "{path} is stale: it differs from what the xtask generates.\n\
                 Never edit it by hand: change its source (the spec, the generator or the \
                 input data) and regenerate (`cargo xtask generate`, or `cargo xtask \
                 countries` for the mock's country list).\n\n{diff}"
            ))
        }
    }
}

/// Writes (or checks) every file of a generated directory: `files` maps a
/// file name in `dir` (relative to the workspace root) to its contents. A file
/// in `dir` that `files` does not name is stale too: removed in write mode,
/// reported in check mode.
pub fn write_or_check_dir(
    mode: Mode,
    dir: &str,
    files: &BTreeMap<String, String>,
) -> Result<(), String> {
    let full = root().join(dir);
    if mode == Mode::Write {
        std::fs::create_dir_all(&full).map_err(|e| format!("cannot create {dir}: {e}"))?;
    }
    let mut problems = Vec::new();
    for (name, contents) in files {
        if let Err(problem) = write_or_check(mode, &format!("{dir}/{name}"), contents) {
            problems.push(problem);
        }
    }
    let entries = match std::fs::read_dir(&full) {
        Ok(entries) => entries.collect::<Result<Vec<_>, _>>(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
    .map_err(|e| format!("cannot list {dir}: {e}"))?;
    for entry in entries {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if files.contains_key(&*file) {
            continue;
        }
        match mode {
            Mode::Write => {
                std::fs::remove_file(full.join(&*file))
                    .map_err(|e| format!("cannot remove {dir}/{file}: {e}"))?;
                println!("removed {dir}/{file}");
            }
            Mode::Check => problems.push(format!(
                "{dir}/{file} is stale: nothing generates it any more; run `cargo xtask generate`"
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n\n"))
    }
}
