//! The `netverify` man pages, `crates/netverify-cli/man/*.1` (the command's
//! page and one per subcommand), rendered by clap_mangen from the CLI's own
//! argument definitions and drift-checked with the other generated files.
//!
//! The xtask must build when the CLI is stale or broken, so it does not
//! depend on netverify-cli; it runs that crate's `man` example, which prints
//! a JSON object of file name to page (as `schemas.rs` runs netverify-api's
//! `json_schemas` example).

use std::collections::BTreeMap;

use crate::tools::step;
use crate::workspace::{self, Mode};

const DIR: &str = "crates/netverify-cli/man";

pub fn run(mode: Mode) -> Result<(), String> {
    step("rendering the man pages");
    let printed = workspace::example_output("netverify-cli", "man")?;
    let pages: BTreeMap<String, String> = serde_json::from_str(&printed)
        .map_err(|e| format!("the man example printed no JSON object of pages: {e}"))?;
    if !pages.contains_key("netverify.1") {
        return Err("the man example printed no netverify.1".to_owned());
    }
    workspace::write_or_check_dir(mode, DIR, &pages)
}
