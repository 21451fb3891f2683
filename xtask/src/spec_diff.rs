//! The breaking-change gate of the spec: `openapi/netverify.yaml` against
//! the spec of the last release (the commit `.ci/semver-baseline` names).
//!
//! Breaking, as CHANGELOG.md's versioning rule says: a removed operation,
//! response, header, media type, parameter, property, component, server or
//! known value (`enum`, `x-extensible-enum`); an optional property or
//! parameter made required, or a new required parameter; a narrowed type or
//! constraint (`type`, `format`, `pattern`, `$ref` changed or added; a
//! maximum lowered or added, a minimum raised or added; `nullable` or
//! `additionalProperties` taken away; a new `enum`, `anyOf`, `oneOf` or
//! `allOf` member, or an `anyOf`/`oneOf` member gone); a renamed key (a
//! removal to the checker). Prose (`description`, `summary`, examples,
//! `externalDocs`, `info`, tags) and `deprecated` are never breaking. An `allOf` of inline
//! schemas is merged into its parent first, so moving properties into one
//! is no change.
//!
//! A breaking change passes only when `info.version` differs from the
//! baseline's and CHANGELOG.md's release of that version has a line
//! starting `- **Breaking** (spec)`.

use serde_json::{Map, Value};

use crate::workspace;
use crate::workspace::SPEC;

const CHANGELOG: &str = "CHANGELOG.md";

/// Keys never compared: prose, and `deprecated` (a warning, not a change).
const PROSE: &[&str] = &[
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "title",
    "tags",
    "info",
    "deprecated",
];
/// Keys whose value may not change or appear (a narrowing when they do).
const FIXED: &[&str] = &[
    "type",
    "format",
    "pattern",
    "$ref",
    "multipleOf",
    "in",
    "style",
    "scheme",
];
const MAXIMA: &[&str] = &["maxLength", "maxItems", "maxProperties", "maximum"];
const MINIMA: &[&str] = &["minLength", "minItems", "minProperties", "minimum"];

/// Runs the gate; prints what it found.
pub fn run() -> Result<(), String> {
    let commit = crate::semver::baseline()?;
    let old = crate::tools::output(
        std::process::Command::new("git")
            .args(["show", &format!("{commit}:{SPEC}")])
            .current_dir(workspace::root()),
    )?;
    let old: Value =
        serde_yaml::from_str(&old).map_err(|e| format!("the baseline's {SPEC}: {e}"))?;
    let text = std::fs::read_to_string(workspace::root().join(SPEC))
        .map_err(|e| format!("cannot read {SPEC}: {e}"))?;
    let new: Value = serde_yaml::from_str(&text).map_err(|e| format!("{SPEC}: {e}"))?;
    let changes = breaking_changes(&old, &new);
    let version = |spec: &Value| spec["info"]["version"].as_str().unwrap_or("?").to_owned();
    let (old_version, new_version) = (version(&old), version(&new));
    if changes.is_empty() {
        println!("no breaking change since the baseline {commit} (spec {old_version})");
        return Ok(());
    }
    println!("breaking changes since the baseline {commit} (spec {old_version} -> {new_version}):");
    for change in &changes {
        println!("  {change}");
    }
    let changelog = std::fs::read_to_string(workspace::root().join(CHANGELOG))
        .map_err(|e| format!("cannot read {CHANGELOG}: {e}"))?;
    let recorded = breaking_entries(&changelog, &new_version);
    let unrecorded: Vec<&String> = changes
        .iter()
        .filter(|change| !recorded.contains(&format!("`{}`", subject(change))))
        .collect();
    if new_version != old_version && unrecorded.is_empty() {
        println!(
            "recorded: {CHANGELOG}'s release of spec {new_version} names each under **Breaking** (spec)"
        );
        return Ok(());
    }
    Err(format!(
        "{} breaking change(s) to {SPEC} since the last release (spec {old_version}, commit \
         {commit}){}: raise info.version, and record each in {CHANGELOG} under that version, \
         in an entry starting `- **Breaking** (spec)` that names its schema, response, \
         parameter or path in backquotes; or undo the change",
        changes.len(),
        if new_version == old_version {
            format!(", with info.version still {old_version}")
        } else {
            let subjects: Vec<String> = unrecorded.iter().map(|c| subject(c)).collect();
            format!(", not recorded: {}", subjects.join(", "))
        },
    ))
}

/// What a breaking change is to, as a CHANGELOG entry names it: the
/// component (`AcceptedIdTypesResponse`), the path
/// (`/api/netverify/v2/acceptedIdTypes`) or the top-level key (`servers`).
fn subject(change: &str) -> String {
    let pointer = change.split(':').next().unwrap_or_default();
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|part| {
            part.split('[')
                .next()
                .unwrap_or(part)
                .replace("~1", "/")
                .replace("~0", "~")
        })
        .collect();
    match parts.as_slice() {
        [components, _, name, ..] if components == "components" => name.clone(),
        [paths, path, ..] if paths == "paths" => path.clone(),
        [top, ..] => top.clone(),
        [] => String::new(),
    }
}

/// The text of the entries starting `- **Breaking** (spec)` in the release
/// of `version` (from its `Spec X.Y.Z,` line to the next `## ` heading),
/// each with its continuation lines.
fn breaking_entries(changelog: &str, version: &str) -> String {
    let start = format!("Spec {version},");
    let mut text = String::new();
    let mut inside = false;
    for line in changelog
        .lines()
        .skip_while(|line| !line.starts_with(&start))
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
    {
        if line.starts_with("- ") || !line.starts_with("  ") {
            inside = line.starts_with("- **Breaking** (spec)");
        }
        if inside {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// Every breaking change from `old` to `new`, one line each, naming where.
pub fn breaking_changes(old: &Value, new: &Value) -> Vec<String> {
    let mut found = Vec::new();
    compare(&merged(old), &merged(new), "#", &mut found);
    found
}

/// A copy with each `allOf` of inline schemas merged into its parent
/// (`properties` and `required` joined; other keys kept on the parent).
fn merged(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), merged(v))).collect();
            let inline = |members: &Vec<Value>| members.iter().all(|m| m.get("$ref").is_none());
            if let Some(Value::Array(members)) = out.get("allOf").cloned()
                && inline(&members)
            {
                out.remove("allOf");
                for member in members {
                    let Value::Object(member) = member else {
                        continue;
                    };
                    for (key, value) in member {
                        match (key.as_str(), out.get_mut(&key), value) {
                            ("properties", Some(Value::Object(mine)), Value::Object(theirs)) => {
                                mine.extend(theirs)
                            }
                            ("required", Some(Value::Array(mine)), Value::Array(theirs)) => {
                                mine.extend(theirs)
                            }
                            ("anyOf" | "oneOf", Some(_), value) => {
                                // A second one: keep it as an allOf member.
                                out.entry("allOf")
                                    .or_insert_with(|| Value::Array(Vec::new()))
                                    .as_array_mut()
                                    .expect("an array")
                                    .push(serde_json::json!({ key: value }));
                            }
                            (_, _, value) => {
                                out.insert(key, value);
                            }
                        }
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(merged).collect()),
        other => other.clone(),
    }
}

fn compare(old: &Value, new: &Value, at: &str, found: &mut Vec<String>) {
    let (Value::Object(old), Value::Object(new)) = (old, new) else {
        if old != new {
            found.push(format!("{at}: changed from {old} to {new}"));
        }
        return;
    };
    for (key, old_value) in old {
        let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
        let new_value = new.get(key);
        if PROSE.contains(&key.as_str()) {
            continue;
        }
        let number = |value: Option<&Value>| value.and_then(Value::as_f64);
        match (key.as_str(), new_value) {
            (k, Some(new_value)) if FIXED.contains(&k) => {
                if old_value != new_value {
                    found.push(format!("{here}: narrowed, {old_value} became {new_value}"));
                }
            }
            (k, _) if FIXED.contains(&k) => {} // dropped: widened
            (k, new_value) if MAXIMA.contains(&k) => {
                if let (Some(old), Some(new)) = (number(Some(old_value)), number(new_value))
                    && new < old
                {
                    found.push(format!("{here}: lowered from {old} to {new}"));
                }
            }
            (k, new_value) if MINIMA.contains(&k) => {
                if let (Some(old), Some(new)) = (number(Some(old_value)), number(new_value))
                    && new > old
                {
                    found.push(format!("{here}: raised from {old} to {new}"));
                }
            }
            ("nullable" | "additionalProperties", new_value) => {
                let open = |value: Option<&Value>| value.is_none_or(|v| v != &Value::Bool(false));
                if open(Some(old_value)) && !open(new_value) {
                    found.push(format!("{here}: now false"));
                }
                if let (Value::Object(_), Some(new_value @ Value::Object(_))) =
                    (old_value, new_value)
                {
                    compare(old_value, new_value, &here, found);
                }
            }
            ("required", Some(Value::Bool(new_required))) => {
                if *new_required && old_value != &Value::Bool(true) {
                    found.push(format!("{here}: the parameter is now required"));
                }
            }
            ("required", new_value) => {
                let old_list = old_value.as_array().cloned().unwrap_or_default();
                for name in new_value.and_then(Value::as_array).into_iter().flatten() {
                    if !old_list.contains(name) {
                        found.push(format!("{here}: {name} is now required"));
                    }
                }
            }
            ("enum" | "x-extensible-enum", new_value) => {
                let new_list = new_value.and_then(Value::as_array);
                for value in old_value.as_array().into_iter().flatten() {
                    if new_list.is_some_and(|list| !list.contains(value)) {
                        found.push(format!("{here}: the known value {value} was removed"));
                    }
                }
            }
            ("anyOf" | "oneOf", Some(Value::Array(new_list))) => {
                let old_list = old_value.as_array().cloned().unwrap_or_default();
                for member in &old_list {
                    if !new_list.contains(member) {
                        found.push(format!("{here}: the alternative {member} was removed"));
                    }
                }
            }
            ("allOf", Some(Value::Array(new_list))) => {
                let old_list = old_value.as_array().cloned().unwrap_or_default();
                for member in new_list {
                    if !old_list.contains(member) {
                        found.push(format!("{here}: the constraint {member} was added"));
                    }
                }
            }
            ("parameters" | "servers" | "security", Some(new_value)) => {
                compare_lists(key, old_value, new_value, &here, found)
            }
            (_, Some(new_value)) => compare(old_value, new_value, &here, found),
            (_, None) => found.push(format!("{here}: removed")),
        }
    }
    for (key, new_value) in new {
        let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
        if old.contains_key(key) || PROSE.contains(&key.as_str()) {
            continue;
        }
        match key.as_str() {
            k if FIXED.contains(&k) || MAXIMA.contains(&k) || MINIMA.contains(&k) => {
                found.push(format!("{here}: a new constraint {new_value}"))
            }
            "enum" | "anyOf" | "oneOf" | "allOf" => {
                found.push(format!("{here}: a new constraint {new_value}"))
            }
            "required" if new_value.is_array() => {
                found.push(format!("{here}: {new_value} now required"))
            }
            "required" if new_value == &Value::Bool(true) => {
                found.push(format!("{here}: the parameter is now required"))
            }
            "nullable" | "additionalProperties" if new_value == &Value::Bool(false) => {
                found.push(format!("{here}: now false"))
            }
            _ => {}
        }
    }
}

/// Lists whose members have an identity: parameters (by `in` and `name`, or
/// `$ref`), servers (by `url`), security requirements (by value).
fn compare_lists(kind: &str, old: &Value, new: &Value, at: &str, found: &mut Vec<String>) {
    let identity = |member: &Value| match kind {
        "parameters" => member
            .get("$ref")
            .cloned()
            .unwrap_or_else(|| serde_json::json!([member.get("in"), member.get("name")])),
        "servers" => member.get("url").cloned().unwrap_or(Value::Null),
        _ => member.clone(),
    };
    let empty = Vec::new();
    let new_list = new.as_array().unwrap_or(&empty);
    for member in old.as_array().unwrap_or(&empty) {
        let id = identity(member);
        match new_list.iter().find(|other| identity(other) == id) {
            Some(other) => compare(member, other, &format!("{at}[{id}]"), found),
            None => found.push(format!("{at}[{id}]: removed")),
        }
    }
    if kind == "parameters" {
        let old_ids: Vec<Value> = old
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .map(identity)
            .collect();
        for member in new_list {
            let id = identity(member);
            if !old_ids.contains(&id) && member.get("required") == Some(&Value::Bool(true)) {
                found.push(format!("{at}[{id}]: a new required parameter"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        let text = std::fs::read_to_string(workspace::root().join(SPEC)).unwrap();
        serde_yaml::from_str(&text).unwrap()
    }

    fn after(change: impl FnOnce(&mut Value)) -> Vec<String> {
        let old = spec();
        let mut new = old.clone();
        change(&mut new);
        breaking_changes(&old, &new)
    }

    const SCHEMAS: &str = "/components/schemas";

    #[test]
    fn the_spec_has_no_breaking_change_against_itself_nor_from_prose() {
        assert_eq!(after(|_| {}), Vec::<String>::new());
        let prose = after(|spec| {
            spec["info"]["version"] = "9.9.9".into();
            spec.pointer_mut(&format!("{SCHEMAS}/CountryDocuments/description"))
                .map(|d| *d = "Reworded.".into())
                .unwrap();
            spec["components"]["schemas"]["DocumentKind"]["example"] = "VISA".into();
        });
        assert_eq!(prose, Vec::<String>::new());
    }

    #[test]
    fn each_kind_of_breaking_change_is_found() {
        let removed_operation = after(|spec| {
            spec["paths"]
                .as_object_mut()
                .unwrap()
                .remove("/api/netverify/v2/acceptedIdTypes");
        });
        assert!(
            removed_operation[0].contains("acceptedIdTypes: removed"),
            "{removed_operation:?}"
        );
        let removed_response = after(|spec| {
            spec.pointer_mut("/paths/~1api~1netverify~1v2~1supportedIdTypes/get/responses")
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove("429");
        });
        assert!(
            removed_response[0].ends_with("responses/429: removed"),
            "{removed_response:?}"
        );
        let removed_property = after(|spec| {
            spec.pointer_mut(&format!("{SCHEMAS}/JumioErrorBody/properties"))
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove("requestURI");
        });
        assert!(
            removed_property[0].ends_with("requestURI: removed"),
            "{removed_property:?}"
        );
        let removed_value = after(|spec| {
            spec.pointer_mut(&format!("{SCHEMAS}/DocumentKind/x-extensible-enum"))
                .unwrap()
                .as_array_mut()
                .unwrap()
                .pop();
        });
        assert!(
            removed_value[0].contains("\"VISA\" was removed"),
            "{removed_value:?}"
        );
        let made_required = after(|spec| {
            spec.pointer_mut(&format!("{SCHEMAS}/JumioErrorBody"))
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert("required".into(), serde_json::json!(["message"]));
        });
        assert!(
            made_required[0].contains("now required"),
            "{made_required:?}"
        );
        let narrowed_constraint = after(|spec| {
            spec.pointer_mut(&format!(
                "{SCHEMAS}/CountryDocuments/properties/countryName/maxLength"
            ))
            .map(|max| *max = 50.into())
            .unwrap();
        });
        assert!(
            narrowed_constraint[0].contains("lowered from 100 to 50"),
            "{narrowed_constraint:?}"
        );
        let narrowed_type = after(|spec| {
            spec.pointer_mut(&format!(
                "{SCHEMAS}/JumioErrorBody/properties/httpStatus/type"
            ))
            .map(|t| *t = "integer".into())
            .unwrap();
        });
        assert!(
            narrowed_type[0].contains("\"string\" became \"integer\""),
            "{narrowed_type:?}"
        );
        let renamed_key = after(|spec| {
            let properties = spec
                .pointer_mut(&format!("{SCHEMAS}/CaptureSettings/properties"))
                .unwrap()
                .as_object_mut()
                .unwrap();
            let back_side = properties.remove("backSide").unwrap();
            properties.insert("backside".into(), back_side);
        });
        assert!(
            renamed_key.iter().any(|c| c.ends_with("backSide: removed")),
            "{renamed_key:?}"
        );
    }

    #[test]
    fn properties_moved_into_an_inline_all_of_are_no_change_but_a_new_any_of_is() {
        let old = serde_json::json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let moved = serde_json::json!({"allOf": [old.clone()]});
        assert_eq!(breaking_changes(&old, &moved), Vec::<String>::new());
        let constrained =
            serde_json::json!({"allOf": [old.clone(), {"anyOf": [{"required": ["a"]}]}]});
        assert_eq!(breaking_changes(&old, &constrained).len(), 1);
    }

    #[test]
    fn a_breaking_entry_is_read_only_under_its_own_version() {
        let changelog = "## [Unreleased]\n\nSpec 2.1.0, crates 0.2.0.\n\n### Changed\n\n\
                         - **Breaking** (spec): `AcceptedIdTypesResponse` requires\n  \
                         one of `acceptedIdTypes`.\n- Other: `JumioErrorBody`.\n\n\
                         ## [0.1.0]\n\nSpec 2.0.0, crates 0.1.0.\n";
        let entries = breaking_entries(changelog, "2.1.0");
        assert!(entries.contains("`AcceptedIdTypesResponse`") && entries.contains("one of"));
        assert!(!entries.contains("JumioErrorBody"), "{entries}");
        assert_eq!(breaking_entries(changelog, "2.0.0"), "");
    }

    #[test]
    fn a_change_is_named_by_its_component_or_path() {
        let change = "#/components/schemas/AcceptedIdTypesResponse/anyOf: a new constraint";
        assert_eq!(subject(change), "AcceptedIdTypesResponse");
        let change = "#/paths/~1api~1netverify~1v2~1acceptedIdTypes: removed";
        assert_eq!(subject(change), "/api/netverify/v2/acceptedIdTypes");
        assert_eq!(subject("#/servers[\"https://x\"]: removed"), "servers");
    }
}
