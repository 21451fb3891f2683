//! `cargo xtask spec-lint`: the spec must pass the linters that teams in other
//! languages use, with no error and no warning: openapi-spec-validator,
//! Redocly CLI (recommended ruleset, `openapi/redocly.yaml`) and Spectral
//! (`spectral:oas`, `openapi/.spectral.yaml`). It also checks the version rule
//! of CHANGELOG.md.

use std::process::Command;

use crate::generate::load_spec;
use crate::tools::{node_modules_bin, node_tool, python_venv, run, step};
use crate::workspace;
use crate::workspace::SPEC;

const REDOCLY_CONFIG: &str = "openapi/redocly.yaml";
const SPECTRAL_RULESET: &str = "openapi/.spectral.yaml";
const CHANGELOG: &str = "CHANGELOG.md";

pub fn run_all() -> Result<(), String> {
    step("checking the version rule (info.version, CHANGELOG.md)");
    check_version_rule()?;
    let venv = python_venv()?;
    let node = node_modules_bin()?;

    step("[1/3] openapi-spec-validator");
    run(Command::new(venv.join("openapi-spec-validator"))
        .arg(SPEC)
        .current_dir(workspace::root()))?;

    step("[2/3] Redocly CLI lint, recommended ruleset");
    redocly(&node)?;

    step("[3/3] Spectral lint, spectral:oas, failing on warnings");
    run(node_tool(&node, "spectral").args([
        "lint",
        "--ruleset",
        SPECTRAL_RULESET,
        "--fail-severity=warn",
        SPEC,
    ]))?;

    step(&format!(
        "spec-lint passed: {SPEC} has no error and no warning under all three linters"
    ));
    Ok(())
}

/// Redocly's exit status only reflects errors, so the totals of its JSON
/// report decide: any error, warning or ignored problem fails. On failure the
/// problems are printed again in the readable format.
fn redocly(node: &std::path::Path) -> Result<(), String> {
    let lint = |format: &str| {
        let mut command = node_tool(node, "redocly");
        command.args(["lint", "--config", REDOCLY_CONFIG, "--format", format, SPEC]);
        command
    };
    // The totals are the verdict, whatever the exit status.
    let report = lint("json")
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start redocly: {e}"))?;
    let report: serde_json::Value = serde_json::from_slice(&report.stdout)
        .map_err(|e| format!("redocly printed no JSON report: {e}"))?;
    let count = |key: &str| report["totals"][key].as_u64();
    let (Some(errors), Some(warnings), Some(ignored)) =
        (count("errors"), count("warnings"), count("ignored"))
    else {
        return Err(format!("redocly's report has no totals: {report}"));
    };
    println!(
        "redocly {}: {errors} errors, {warnings} warnings, {ignored} ignored",
        report["version"].as_str().unwrap_or("?")
    );
    if errors + warnings + ignored == 0 {
        return Ok(());
    }
    // Print the problems readably; this run's exit status is not the verdict.
    let _ = lint("stylish").status();
    Err(format!(
        "redocly lint found {errors} errors, {warnings} warnings and {ignored} ignored problems \
         (fix the spec; a problem may only be switched off in {REDOCLY_CONFIG}, with the reason)"
    ))
}

/// The checkable part of the versioning rule in CHANGELOG.md: `info.version`'s
/// major number is the API's path version, and the changelog records the
/// current spec version in a release (a line `Spec X.Y.Z, crates A.B.C.`).
fn check_version_rule() -> Result<(), String> {
    let spec = load_spec()?;
    let version = &spec.info.version;
    let major = version.split('.').next().unwrap_or_default();
    let path_version = format!("/v{major}/");
    if let Some(path) = spec
        .paths
        .paths
        .keys()
        .find(|path| !path.contains(&path_version))
    {
        return Err(format!(
            "{SPEC}: info.version {version} must start with the API's path version, \
             but {path} is not under {path_version}"
        ));
    }
    let changelog = std::fs::read_to_string(workspace::root().join(CHANGELOG))
        .map_err(|e| format!("cannot read {CHANGELOG}: {e}"))?;
    let recorded = format!("Spec {version},");
    if !changelog.lines().any(|line| line.starts_with(&recorded)) {
        return Err(format!(
            "{CHANGELOG} has no release that records the spec's version (a line starting \
             `{recorded}`); record the spec change there (see its versioning rule)"
        ));
    }
    println!("info.version {version}: major matches the path version, recorded in {CHANGELOG}");
    Ok(())
}
