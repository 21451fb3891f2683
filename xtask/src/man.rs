//! The `netverify` man pages, `crates/netverify-cli/man/*.1` (the command's
//! page and one per subcommand), rendered by clap_mangen from the CLI's own
//! argument definitions and drift-checked with the other generated files.
//!
//! The xtask must build when the CLI is stale or broken, so it does not
//! depend on netverify-cli; it runs that crate's `man` example, which prints
//! a JSON object of file name to page (as `schemas.rs` runs netverify-api's
//! `json_schemas` example).

use std::collections::BTreeMap;
use std::process::Command;

use crate::tools::{output, step};
use crate::{Mode, workspace_root, write_or_check};

const DIR: &str = "crates/netverify-cli/man";

pub fn run(mode: Mode) -> Result<(), String> {
    step("rendering the man pages: cargo run -p netverify-cli --example man");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let printed = output(
        Command::new(cargo)
            .args([
                "run",
                "--quiet",
                "--package",
                "netverify-cli",
                "--example",
                "man",
            ])
            .current_dir(workspace_root()),
    )?;
    let pages: BTreeMap<String, String> = serde_json::from_str(&printed)
        .map_err(|e| format!("the man example printed no JSON object of pages: {e}"))?;
    if !pages.contains_key("netverify.1") {
        return Err("the man example printed no netverify.1".to_owned());
    }
    if mode == Mode::Write {
        std::fs::create_dir_all(workspace_root().join(DIR))
            .map_err(|e| format!("cannot create {DIR}: {e}"))?;
    }
    let mut problems = Vec::new();
    for (name, page) in &pages {
        if let Err(problem) = write_or_check(mode, &format!("{DIR}/{name}"), page) {
            problems.push(problem);
        }
    }
    // A page no command produces any more is stale too.
    let entries = match std::fs::read_dir(workspace_root().join(DIR)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return finish(problems),
        Err(e) => return Err(format!("cannot list {DIR}: {e}")),
    };
    for entry in entries {
        let file = entry
            .map_err(|e| format!("cannot list {DIR}: {e}"))?
            .file_name();
        let file = file.to_string_lossy();
        if pages.contains_key(&*file) {
            continue;
        }
        match mode {
            Mode::Write => {
                std::fs::remove_file(workspace_root().join(DIR).join(&*file))
                    .map_err(|e| format!("cannot remove {DIR}/{file}: {e}"))?;
                println!("removed {DIR}/{file}");
            }
            Mode::Check => problems.push(format!(
                "{DIR}/{file} is stale: no command produces it; run `cargo xtask generate`"
            )),
        }
    }
    finish(problems)
}

fn finish(problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n\n"))
    }
}
