//! JSON Schema documents for the response models, for those who only want the
//! models: `openapi/schemas/<Model>.json`, derived with schemars from the
//! generated types and drift-checked with the generated code.
//!
//! The xtask must build when the generated code is stale or broken, so it does
//! not depend on netverify-api; it runs that crate's `json_schemas` example,
//! which prints a JSON object of model name to schema.

use std::collections::BTreeMap;
use std::process::Command;

use crate::tools::{output, step};
use crate::workspace::{self, Mode, write_or_check};

const DIR: &str = "openapi/schemas";

pub fn run(mode: Mode) -> Result<(), String> {
    step("deriving JSON Schemas: cargo run -p netverify-api --example json_schemas");
    let cargo = workspace::cargo_program();
    let printed = output(
        Command::new(cargo)
            .args([
                "run",
                "--quiet",
                "--package",
                "netverify-api",
                "--example",
                "json_schemas",
            ])
            .current_dir(workspace::root()),
    )?;
    let schemas: BTreeMap<String, serde_json::Value> = serde_json::from_str(&printed)
        .map_err(|e| format!("the json_schemas example printed no JSON object of schemas: {e}"))?;
    if schemas.is_empty() {
        return Err("the json_schemas example printed no schema".to_owned());
    }

    if mode == Mode::Write {
        std::fs::create_dir_all(workspace::root().join(DIR))
            .map_err(|e| format!("cannot create {DIR}: {e}"))?;
    }
    let mut problems = Vec::new();
    for (name, schema) in &schemas {
        let text = serde_json::to_string_pretty(schema).expect("a JSON value serializes") + "\n";
        if let Err(problem) = write_or_check(mode, &format!("{DIR}/{name}.json"), &text) {
            problems.push(problem);
        }
    }
    // A schema file no model produces any more is stale too.
    let entries = match std::fs::read_dir(workspace::root().join(DIR)) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return finish(problems),
        Err(e) => return Err(format!("cannot list {DIR}: {e}")),
    };
    for entry in entries {
        let file = entry
            .map_err(|e| format!("cannot list {DIR}: {e}"))?
            .file_name();
        let file = file.to_string_lossy();
        let model = file.strip_suffix(".json").unwrap_or(&file);
        if schemas.contains_key(model) {
            continue;
        }
        match mode {
            Mode::Write => {
                std::fs::remove_file(workspace::root().join(DIR).join(&*file))
                    .map_err(|e| format!("cannot remove {DIR}/{file}: {e}"))?;
                println!("removed {DIR}/{file}");
            }
            Mode::Check => problems.push(format!(
                "{DIR}/{file} is stale: no model produces it; run `cargo xtask generate`"
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
