//! `cargo xtask mutants [--diff BASE | --iterate | --summary]`: cargo-mutants
//! over the hand-written code of netverify-api, netverify, netverify-mock and
//! netverify-cli, to measure whether the tests fail when the code is wrong.
//!
//! What is mutated, and what is not, is in `.cargo/mutants.toml`: generated
//! code, the xtask, the benchmarks and the fuzz target are left out. Skips in
//! the code carry `#[mutants::skip]` with a one-line reason. `--diff BASE`
//! mutates only the lines changed since the commit `BASE`, which takes
//! minutes instead of hours; `--iterate` tests again only the mutants the
//! previous run did not catch (and new code), to confirm the tests written
//! for them; `--summary` prints the last run's counts per crate again. CI
//! does not run this (too long for every change); run it on
//! your change before you commit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
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
        ["--summary"] => {
            cargo_tool(TOOL, VERSION)?;
            return summarize(&workspace::cargo_program(), &workspace::root());
        }
        _ => {
            return Err(
                "usage: cargo xtask mutants [--diff BASE | --iterate | --summary]".to_owned(),
            );
        }
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
    // cargo-mutants fails when a mutant was missed; the counts come first.
    let outcome = run(&mut command);
    summarize(&cargo, &root)?;
    outcome
}

/// Prints, per crate, what the run in `target/mutants.out` found (with the
/// mutants an `--iterate` run took as caught before), and how many mutants
/// `.cargo/mutants.toml`'s `exclude_re` skips.
fn summarize(cargo: &str, root: &Path) -> Result<(), String> {
    let out = root.join("target/mutants.out");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap_or_default();
    let outcomes: serde_json::Value = serde_json::from_str(&read("outcomes.json"))
        .map_err(|e| format!("cannot read target/mutants.out/outcomes.json: {e}"))?;
    let mut counts: BTreeMap<&str, [usize; 5]> =
        PACKAGES.iter().map(|package| (*package, [0; 5])).collect();
    let mut add = |file: &str, column: usize| {
        if let Some(count) = package_of(file).and_then(|package| counts.get_mut(package)) {
            count[column] += 1;
        }
    };
    for outcome in outcomes["outcomes"].as_array().into_iter().flatten() {
        let Some(file) = outcome["scenario"]["Mutant"]["file"].as_str() else {
            continue; // the baseline
        };
        let column = match outcome["summary"].as_str() {
            Some("CaughtMutant") => 0,
            Some("MissedMutant") => 1,
            Some("Unviable") => 2,
            Some("Timeout") => 3,
            other => return Err(format!("unknown cargo-mutants outcome {other:?}")),
        };
        add(file, column);
    }
    for name in read("previously_caught.txt").lines() {
        add(name, 0);
    }
    for name in skipped(cargo, root)? {
        add(&name, 4);
    }
    println!(
        "{:<16} {:>7} {:>7} {:>9} {:>8} {:>8}",
        "crate", "caught", "missed", "unviable", "timeout", "skipped"
    );
    for (package, [caught, missed, unviable, timeout, skipped]) in &counts {
        println!("{package:<16} {caught:>7} {missed:>7} {unviable:>9} {timeout:>8} {skipped:>8}");
    }
    Ok(())
}

/// The crate a mutant's file (or name, which starts with it) belongs to:
/// each crate's folder is `crates/<its name>/`.
fn package_of(file: &str) -> Option<&'static str> {
    let folder = file.strip_prefix("crates/")?.split('/').next()?;
    PACKAGES.iter().copied().find(|package| *package == folder)
}

/// The mutants that `exclude_re` skips: those listed without the config
/// file, in the files listed with it, that the config's list lacks.
fn skipped(cargo: &str, root: &Path) -> Result<Vec<String>, String> {
    let list = |extra: &[&str]| -> Result<serde_json::Value, String> {
        let mut command = Command::new(cargo);
        command
            .arg("mutants")
            .args(extra)
            .arg("--json")
            .current_dir(root);
        for package in PACKAGES {
            command.args(["--package", package]);
        }
        serde_json::from_str(&output(&mut command)?).map_err(|e| e.to_string())
    };
    let field = |value: &serde_json::Value, key: &str| -> Vec<String> {
        let items = value.as_array().into_iter().flatten();
        items
            .filter_map(|item| item[key].as_str().map(str::to_owned))
            .collect()
    };
    let files: BTreeSet<String> = field(&list(&["--list-files"])?, "path")
        .into_iter()
        .collect();
    let kept: BTreeSet<String> = field(&list(&["--list"])?, "name").into_iter().collect();
    let all = field(&list(&["--list", "--no-config"])?, "name");
    Ok(all
        .into_iter()
        .filter(|name| {
            let file = name.split(':').next().unwrap_or_default();
            files.contains(file) && !kept.contains(name)
        })
        .collect())
}
