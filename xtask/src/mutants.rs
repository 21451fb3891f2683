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
//! does not run this (too long for every change); run it on your change
//! before you commit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::tools::{cargo_tool, output, run, step};
use crate::workspace;

const TOOL: &str = "cargo-mutants";
const VERSION: &str = "27.1.0";
const NEXTEST: &str = "cargo-nextest";
const NEXTEST_VERSION: &str = "0.9.143";
const PACKAGES: [&str; 5] = [
    "netverify-api",
    "netverify",
    "netverify-mock",
    "netverify-cli",
    "netverify-redis",
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
        step(
            "cargo-mutants over the hand-written code of the five crates (about 90 minutes on 2 cores)",
        );
    }
    // cargo-mutants fails when a mutant was missed; the counts come first.
    let outcome = run(&mut command);
    if iterate {
        carry_unviable_forward(&root)?;
    }
    summarize(&cargo, &root)?;
    outcome
}

/// `--iterate` skips the mutants the last run found unviable but lists only
/// its own new ones; the earlier ones are added back, so that the results
/// stay cumulative, as cargo-mutants keeps them for caught mutants
/// (`previously_caught.txt`).
fn carry_unviable_forward(root: &Path) -> Result<(), String> {
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    let new = root.join("target/mutants.out/unviable.txt");
    let mut names: BTreeSet<String> = read(&new).lines().map(str::to_owned).collect();
    names.extend(
        read(&root.join("target/mutants.out.old/unviable.txt"))
            .lines()
            .map(str::to_owned),
    );
    let text: String = names.into_iter().map(|name| name + "\n").collect();
    std::fs::write(&new, text).map_err(|e| format!("cannot write {}: {e}", new.display()))
}

/// Prints, per crate, the outcome of each mutant the code has now, as the
/// result lists in `target/mutants.out` record it (cumulative over
/// `--iterate` runs), and how many mutants `.cargo/mutants.toml`'s
/// `exclude_re` skips. A mutant no run has tested yet (code changed since)
/// is counted as untested.
fn summarize(cargo: &str, root: &Path) -> Result<(), String> {
    let out = root.join("target/mutants.out");
    let mut outcome: BTreeMap<String, usize> = BTreeMap::new();
    // Later lists win: a mutant caught before and missed now is missed.
    // `previously_caught.txt` holds the unviable mutants of earlier runs too.
    for (column, file) in [
        (0, "previously_caught.txt"),
        (2, "unviable.txt"),
        (0, "caught.txt"),
        (3, "timeout.txt"),
        (1, "missed.txt"),
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap_or_default();
        outcome.extend(text.lines().map(|name| (name.to_owned(), column)));
    }
    let mut counts: BTreeMap<&str, [usize; 6]> =
        PACKAGES.iter().map(|package| (*package, [0; 6])).collect();
    let mut add = |name: &str, column: usize| {
        if let Some(count) = package_of(name).and_then(|package| counts.get_mut(package)) {
            count[column] += 1;
        }
    };
    let listed = list(cargo, root, &["--list"])?;
    for name in field(&listed, "name") {
        add(&name, outcome.get(&name).copied().unwrap_or(5));
    }
    for name in skipped(cargo, root, &listed)? {
        add(&name, 4);
    }
    println!(
        "{:<16} {:>7} {:>7} {:>9} {:>8} {:>8} {:>9}",
        "crate", "caught", "missed", "unviable", "timeout", "skipped", "untested"
    );
    for (package, [caught, missed, unviable, timeout, skipped, untested]) in &counts {
        println!(
            "{package:<16} {caught:>7} {missed:>7} {unviable:>9} {timeout:>8} {skipped:>8} {untested:>9}"
        );
    }
    Ok(())
}

/// The crate a mutant's file (or name, which starts with it) belongs to:
/// each crate's folder is `crates/<its name>/`.
fn package_of(file: &str) -> Option<&'static str> {
    let folder = file.strip_prefix("crates/")?.split('/').next()?;
    PACKAGES.iter().copied().find(|package| *package == folder)
}

/// `cargo mutants <extra> --json` over the five crates.
fn list(cargo: &str, root: &Path, extra: &[&str]) -> Result<serde_json::Value, String> {
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
}

/// The `key` of each item of a JSON array.
fn field(value: &serde_json::Value, key: &str) -> Vec<String> {
    let items = value.as_array().into_iter().flatten();
    items
        .filter_map(|item| item[key].as_str().map(str::to_owned))
        .collect()
}

/// The mutants that `exclude_re` skips: those listed without the config
/// file, in the files listed with it, that the config's list (`listed`)
/// lacks.
fn skipped(cargo: &str, root: &Path, listed: &serde_json::Value) -> Result<Vec<String>, String> {
    let files: BTreeSet<String> = field(&list(cargo, root, &["--list-files"])?, "path")
        .into_iter()
        .collect();
    let kept: BTreeSet<String> = field(listed, "name").into_iter().collect();
    let all = field(&list(cargo, root, &["--list", "--no-config"])?, "name");
    Ok(all
        .into_iter()
        .filter(|name| {
            let file = name.split(':').next().unwrap_or_default();
            files.contains(file) && !kept.contains(name)
        })
        .collect())
}
