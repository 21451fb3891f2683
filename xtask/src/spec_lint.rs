//! `cargo xtask spec-lint`: the spec must pass the linters that teams in other
//! languages use, with no error and no warning: openapi-spec-validator,
//! Redocly CLI (recommended ruleset, `openapi/redocly.yaml`) and Spectral
//! (`spectral:oas` and stricter rules of our own, `openapi/.spectral.yaml`,
//! each shown to fire on a copy of the spec that breaks it). It also checks
//! the version rule of CHANGELOG.md, and runs the breaking-change gate
//! against the last release's spec (`spec_diff`).

use std::process::Command;

use crate::generate::load_spec;
use crate::spec_workflow::WORKFLOW;
use crate::spec31::SPEC_31;
use crate::tools::{node_modules_bin, node_tool, python_venv, run, step};
use crate::workspace;
use crate::workspace::SPEC;

const REDOCLY_CONFIG: &str = "openapi/redocly.yaml";
const SPECTRAL_RULESET: &str = "openapi/.spectral.yaml";
const CHANGELOG: &str = "CHANGELOG.md";

pub fn run_all() -> Result<(), String> {
    step("checking the version rule (info.version, CHANGELOG.md)");
    check_version_rule()?;
    step("breaking changes against the last release's spec (.ci/semver-baseline)");
    crate::spec_diff::run()?;
    let venv = python_venv()?;
    let node = node_modules_bin()?;

    step("[1/4] openapi-spec-validator, of the spec (3.0.3) and its 3.1 copy");
    run(Command::new(venv.join("openapi-spec-validator"))
        .args([SPEC, SPEC_31])
        .current_dir(workspace::root()))?;

    step("[2/4] Redocly CLI lint, recommended ruleset, of the spec, its 3.1 copy and the workflow");
    redocly(&node, SPEC)?;
    redocly(&node, SPEC_31)?;
    redocly(&node, WORKFLOW)?;

    step("[3/4] Spectral lint, spectral:oas and the stricter rules, failing on warnings");
    run(node_tool(&node, "spectral").args([
        "lint",
        "--ruleset",
        SPECTRAL_RULESET,
        "--fail-severity=warn",
        SPEC,
    ]))?;

    step("[4/4] each stricter Spectral rule fires on a copy of the spec that breaks it");
    spectral_rules_fire(&node)?;

    step(&format!(
        "spec-lint passed: {SPEC} has no error and no warning under all three linters"
    ));
    Ok(())
}

/// Redocly's exit status only reflects errors, so the totals of its JSON
/// report decide: any error, warning or ignored problem fails. On failure the
/// problems are printed again in the readable format.
fn redocly(node: &std::path::Path, spec: &str) -> Result<(), String> {
    let lint = |format: &str| {
        let mut command = node_tool(node, "redocly");
        command.args(["lint", "--config", REDOCLY_CONFIG, "--format", format, spec]);
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
        "redocly {} on {spec}: {errors} errors, {warnings} warnings, {ignored} ignored",
        report["version"].as_str().unwrap_or("?")
    );
    if errors + warnings + ignored == 0 {
        return Ok(());
    }
    // Print the problems readably; this run's exit status is not the verdict.
    let _ = lint("stylish").status();
    Err(format!(
        "redocly lint of {spec} found {errors} errors, {warnings} warnings and {ignored} ignored problems \
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

/// Each rule of `openapi/.spectral.yaml` beyond `spectral:oas`, with a
/// change to the spec (JSON pointer, new value or `None` to remove) that
/// breaks exactly that rule.
const RULE_BREAKERS: &[(&str, &str, Option<&str>)] = &[
    (
        "netverify-property-description",
        "/components/schemas/CountryDocuments/properties/countryName/description",
        None,
    ),
    (
        "netverify-parameter-description",
        "/components/parameters/UserAgentHeader/description",
        None,
    ),
    (
        "netverify-response-example",
        "/components/responses/Forbidden/content/application~1json/example",
        None,
    ),
    (
        "netverify-operation-id-camel-case",
        "/paths/~1api~1netverify~1v2~1supportedIdTypes/get/operationId",
        Some(r#""supported_id_types""#),
    ),
    (
        "netverify-array-items-typed",
        "/components/schemas/DocumentRequirements/type",
        None,
    ),
    (
        "netverify-error-response-ref",
        "/paths/~1api~1netverify~1v2~1supportedIdTypes/get/responses/404",
        Some(
            r##"{"description": "Not found.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JumioErrorBody"}, "example": {"message": "Not found"}}}}"##,
        ),
    ),
    (
        "netverify-error-response-schema",
        "/components/responses/NotFound/content/application~1json/schema",
        Some(
            r#"{"type": "object", "properties": {"message": {"type": "string", "description": "Why."}}}"#,
        ),
    ),
    (
        "oas3-unused-component",
        "/components/schemas/Unused",
        Some(r#"{"type": "string", "description": "Used nowhere."}"#),
    ),
];

/// Lints one broken copy of the spec per rule of [`RULE_BREAKERS`] and
/// fails unless Spectral reports that rule and no other.
fn spectral_rules_fire(node: &std::path::Path) -> Result<(), String> {
    let text = std::fs::read_to_string(workspace::root().join(SPEC))
        .map_err(|e| format!("cannot read {SPEC}: {e}"))?;
    let spec: serde_json::Value =
        serde_yaml::from_str(&text).map_err(|e| format!("cannot parse {SPEC}: {e}"))?;
    let dir = workspace::root().join("target/spec-lint");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (rule, pointer, value) in RULE_BREAKERS {
        let mut broken = spec.clone();
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer below the root");
        let key = key.replace("~1", "/").replace("~0", "~");
        let object = broken
            .pointer_mut(parent)
            .and_then(serde_json::Value::as_object_mut)
            .ok_or_else(|| format!("{SPEC} has no object at {parent}"))?;
        match value {
            Some(value) => {
                object.insert(key, serde_json::from_str(value).expect("valid JSON"));
            }
            None => {
                object
                    .remove(&key)
                    .ok_or_else(|| format!("{SPEC} has nothing at {pointer}"))?;
            }
        }
        let file = dir.join(format!("{rule}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(&broken).expect("JSON"))
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        let report = node_tool(node, "spectral")
            .args([
                "lint",
                "--ruleset",
                SPECTRAL_RULESET,
                "--format",
                "json",
                "--quiet",
            ])
            .arg(&file)
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot start spectral: {e}"))?;
        let results: serde_json::Value = serde_json::from_slice(&report.stdout)
            .map_err(|e| format!("spectral printed no JSON report for {rule}: {e}"))?;
        let mut codes: Vec<&str> = results
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|result| result["code"].as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        if codes != [*rule] {
            return Err(format!(
                "{}: expected Spectral to report only {rule}, it reported {codes:?}",
                file.display()
            ));
        }
        println!("{rule}: fires on {pointer}");
    }
    Ok(())
}
