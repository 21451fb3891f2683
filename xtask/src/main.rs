//! Repository automation. Run through the cargo alias: `cargo xtask <command>`.
//!
//! * `generate [--check]`: regenerate `crates/netverify-api/src/generated.rs`
//!   from `openapi/netverify.yaml` with progenitor; with `--check`, write
//!   nothing and fail with a diff when the checked-in file is stale. Also
//!   writes (checks) the JSON Schemas of the response models in
//!   `openapi/schemas/`, derived from the generated types, and the CLI's man
//!   page `crates/netverify-cli/man/netverify.1`, rendered by clap_mangen.
//! * `spec-lint`: openapi-spec-validator, Redocly and Spectral over the spec,
//!   failing on any error or warning (tools installed into `.tools/`).
//! * `spec-smoke`: generate a Python client and TypeScript types from the spec
//!   and use them against netverify-mock (tools installed into `.tools/`).
//! * `countries [--from FILE] [--check]`: regenerate the mock server's country
//!   list from the iso-codes project's `iso_3166-1.json`.
//! * `bench`: run the side-by-side benchmarks and print one table (see
//!   BENCHMARKS.md).

mod bench;
mod countries;
mod generate;
mod man;
mod schemas;
mod spec_lint;
mod spec_smoke;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask generate [--check] | cargo xtask countries [--from FILE] [--check] \
                     | cargo xtask spec-lint | cargo xtask spec-smoke | cargo xtask bench";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["generate"] => generate::run(Mode::Write)
            .and_then(|()| schemas::run(Mode::Write))
            .and_then(|()| man::run(Mode::Write)),
        ["generate", "--check"] => generate::run(Mode::Check)
            .and_then(|()| schemas::run(Mode::Check))
            .and_then(|()| man::run(Mode::Check)),
        ["spec-lint"] => spec_lint::run_all(),
        ["spec-smoke"] => spec_smoke::run_all(),
        ["bench"] => bench::run(),
        ["countries", rest @ ..] => match rest {
            [] => countries::run(Mode::Write, None),
            ["--check"] => countries::run(Mode::Check, None),
            ["--from", file] => countries::run(Mode::Write, Some(file)),
            ["--from", file, "--check"] => countries::run(Mode::Check, Some(file)),
            _ => Err(USAGE.to_string()),
        },
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Whether a generating command writes its outputs or only compares them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Writes `contents` to `path` (relative to the workspace root), or in check
/// mode compares them and returns a unified diff when they differ.
pub fn write_or_check(mode: Mode, path: &str, contents: &str) -> Result<(), String> {
    let full = workspace_root().join(path);
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
