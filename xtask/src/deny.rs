//! `cargo xtask deny`: cargo-deny checks the dependency graph against
//! `deny.toml`: licenses on the allow-list, crates from crates.io only,
//! duplicate versions reported. Advisories are not checked: see `deny.toml`.

use std::process::Command;

use crate::tools::{cargo_tool, run, step};
use crate::workspace;

const TOOL: &str = "cargo-deny";
const VERSION: &str = "0.20.2";

pub fn run_all() -> Result<(), String> {
    cargo_tool(TOOL, VERSION)?;
    step("cargo-deny: bans (duplicates), licenses, sources; not advisories (see deny.toml)");
    let cargo = workspace::cargo_program();
    run(Command::new(cargo)
        .args(["deny", "--locked", "--all-features", "check"])
        .args(["bans", "licenses", "sources"])
        .current_dir(workspace::root()))
}
