//! Repository automation. Run through the cargo alias: `cargo xtask <command>`.
//!
//! * `generate [--check]`: regenerate `crates/netverify-api/src/generated.rs`
//!   from `openapi/netverify.yaml` with progenitor; with `--check`, write
//!   nothing and fail with a diff when the checked-in file is stale. Also
//!   writes (checks) the JSON Schemas of the response models in
//!   `openapi/schemas/`, derived from the generated types, the OpenAPI 3.1
//!   copy `openapi/netverify-3.1.yaml`, and the CLI's man
//!   page `crates/netverify-cli/man/netverify.1`, rendered by clap_mangen.
//! * `spec-lint`: openapi-spec-validator, Redocly and Spectral over the spec,
//!   failing on any error or warning (tools installed into `.tools/`).
//! * `spec-smoke`: generate a Python client and TypeScript types from the spec
//!   and use them against netverify-mock (tools installed into `.tools/`).
//! * `spec-docs`: build the rendered reference page with Redocly and check it
//!   in headless Chromium (`target/spec-docs/`; Debian's `chromium` needed).
//! * `countries [--from FILE] [--check]`: regenerate netverify-api's ISO 3166-1
//!   table from the iso-codes project's `iso_3166-1.json`.
//! * `semver`: cargo-semver-checks of the library crates' public API against
//!   the last release, the commit in `.ci/semver-baseline` (installs the tool
//!   when missing).
//! * `deny`: cargo-deny's bans, licenses and sources checks under `deny.toml`
//!   (installs the tool when missing).
//! * `bench [--instructions]`: run the side-by-side benchmarks and the
//!   instruction counts of one call, and print one table (see BENCHMARKS.md);
//!   with `--instructions`, only the instruction counts.
//! * `mutants [--diff BASE]`: cargo-mutants over the hand-written code of the
//!   four published crates, or only the lines changed since `BASE` (installs
//!   the tool when missing; not run by CI).

use workspace::Mode;

mod bench;
mod countries;
mod deny;
mod generate;
mod man;
mod mutants;
mod postprocess;
mod schemas;
mod semver;
mod spec31;
mod spec_diff;
mod spec_docs;
mod spec_lint;
mod spec_smoke;
mod spec_workflow;
mod tools;
mod workspace;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask generate [--check] | cargo xtask countries [--from FILE] [--check] \
                     | cargo xtask spec-lint | cargo xtask spec-smoke | cargo xtask spec-docs \
                     | cargo xtask semver | cargo xtask deny | cargo xtask bench [--instructions] \
                     | cargo xtask mutants [--diff BASE]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["generate"] => generate::run(Mode::Write)
            .and_then(|()| schemas::run(Mode::Write))
            .and_then(|()| spec31::run(Mode::Write))
            .and_then(|()| man::run(Mode::Write)),
        ["generate", "--check"] => generate::run(Mode::Check)
            .and_then(|()| schemas::run(Mode::Check))
            .and_then(|()| spec31::run(Mode::Check))
            .and_then(|()| man::run(Mode::Check)),
        ["spec-lint"] => spec_lint::run_all(),
        ["spec-smoke"] => spec_smoke::run_all(),
        ["spec-docs"] => spec_docs::run_all(),
        ["semver"] => semver::run_all(),
        ["deny"] => deny::run_all(),
        ["mutants", rest @ ..] => mutants::run_all(rest),
        ["bench"] => bench::run(false),
        ["bench", "--instructions"] => bench::run(true),
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
