//! The CLI README's other tables and examples, each checked against the real
//! binary the way `failures.rs` checks the failure table: the exit codes of
//! the commands table, the environment variables and defaults of the
//! options table, and the example outputs of `check -f json`, `diff -f json`
//! and `-v`. (The JSON error example and the table of `kind`s are checked in
//! `scripts.rs`.)

mod common;

use common::{Mock, code, json_of, netverify, scratch_dir, stderr, stdout};
use serde_json::{Value, json};

const README: &str = include_str!("../README.md");

/// The rows of the README table under `heading`, as cells (code spans kept,
/// `\|` read as `|`).
fn table(heading: &str) -> Vec<Vec<String>> {
    README
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("the README has {heading:?}"))
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.replace("\\|", "\u{0}")
                .trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().replace('\u{0}', "|"))
                .collect()
        })
        .collect()
}

/// The text of the first ```` ```lang ```` block after `marker`.
fn block_after(marker: &str, lang: &str) -> &'static str {
    README
        .split(marker)
        .nth(1)
        .and_then(|rest| rest.split(&format!("```{lang}\n")).nth(1))
        .and_then(|rest| rest.split("\n```").next())
        .unwrap_or_else(|| panic!("the README has a {lang} block after {marker:?}"))
}

/// Writes a saved catalogue of `entries` (country code, name, ID type,
/// back side) to `path`.
fn save(path: &std::path::Path, entries: &[(&str, &str, &str, bool)]) {
    let mut countries: Vec<Value> = Vec::new();
    for &(code, name, id_type, back_side) in entries {
        let document = json!({"acquisitionConfig": {"backSide": back_side}, "idType": id_type});
        match countries.iter_mut().find(|c| c["countryCode"] == code) {
            Some(country) => country["idTypes"].as_array_mut().unwrap().push(document),
            None => countries
                .push(json!({"countryCode": code, "countryName": name, "idTypes": [document]})),
        }
    }
    let saved = json!({"timestamp": "2019-03-01T14:13:38.938Z", "acceptedIdTypes": countries});
    std::fs::write(path, saved.to_string()).unwrap();
}

#[test]
fn each_command_exits_as_the_commands_table_says() {
    let dir = scratch_dir("readme-commands");
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let nld = ("NLD", "Netherlands", "ID_CARD", true);
    save(&dir.join("one.json"), &[nld]);
    save(
        &dir.join("two.json"),
        &[nld, ("NLD", "Netherlands", "VISA", false)],
    );
    // One account whose accepted list is its supported list, one with more
    // supported than accepted.
    let same = Mock::with(|builder| {
        builder.catalogue(netverify_mock::Catalogue::from_dir(same_lists(&dir)).unwrap())
    });
    let sandbox = |args: &[&str]| netverify(&[&["--sandbox"], args].concat(), &[]);
    let saved_accepted = {
        let output = sandbox(&["accepted", "-f", "json", "-o", &path("accepted.json")]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        path("accepted.json")
    };
    let rows = table("## Commands");
    assert_eq!(rows.len(), 7, "{rows:?}");
    for row in &rows {
        let (command, exits) = (row[0].trim_matches('`'), row[2].as_str());
        let runs: Vec<std::process::Output> = if command.starts_with("supported") {
            vec![sandbox(&["supported"])]
        } else if command.starts_with("accepted") {
            vec![sandbox(&["accepted"])]
        } else if command.starts_with("check") {
            vec![
                sandbox(&["check", "NLD", "ID_CARD"]),
                sandbox(&["check", "GAB", "ID_CARD"]),
            ]
        } else if command.starts_with("diff --from OLD.json --to NEW.json") {
            vec![
                netverify(
                    &[
                        "diff",
                        "--from",
                        &path("one.json"),
                        "--to",
                        &path("one.json"),
                    ],
                    &[],
                ),
                netverify(
                    &[
                        "diff",
                        "--from",
                        &path("one.json"),
                        "--to",
                        &path("two.json"),
                    ],
                    &[],
                ),
            ]
        } else if command.starts_with("diff --from SAVED.json") {
            vec![
                sandbox(&["diff", "--from", &saved_accepted]),
                sandbox(&["diff", "--from", &path("one.json")]),
            ]
        } else if command.starts_with("diff") {
            vec![same.run(&["diff"]), sandbox(&["diff"])]
        } else if command.starts_with("completions") {
            vec![netverify(&["completions", "bash"], &[])]
        } else {
            panic!("a command this test cannot run: {command}")
        };
        let met: Vec<String> = runs.iter().map(|run| code(run).to_string()).collect();
        let listed: Vec<&str> = exits
            .split(", ")
            .map(|exit| exit.split(' ').next().unwrap())
            .collect();
        assert_eq!(met, listed, "{command}: {runs:?}");
    }
}

/// A mock catalogue whose accepted list is its supported list.
fn same_lists(dir: &std::path::Path) -> std::path::PathBuf {
    let data = dir.join("same");
    std::fs::create_dir_all(&data).unwrap();
    let list = |key: &str| {
        json!({"timestamp": "2019-03-01T14:13:38.938Z", key: [{"countryCode": "NLD",
            "countryName": "Netherlands",
            "idTypes": [{"acquisitionConfig": {"backSide": true}, "idType": "ID_CARD"}]}]})
        .to_string()
    };
    std::fs::write(
        data.join(netverify_mock::SUPPORTED_FILE),
        list("supportedIdTypes"),
    )
    .unwrap();
    std::fs::write(
        data.join(netverify_mock::ACCEPTED_FILE),
        list("acceptedIdTypes"),
    )
    .unwrap();
    data
}

/// Each row of the options table names an option of `--help`, with the
/// environment variable and the default the help gives it.
#[test]
fn the_options_table_matches_the_help() {
    let help = stdout(&netverify(&["--help"], &[]));
    // Each option's entry of the help, continuation lines joined.
    let mut entries: Vec<String> = Vec::new();
    for line in help.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('-') && line.len() - trimmed.len() < 8 {
            entries.push(trimmed.to_owned());
        } else if line.starts_with("          ")
            && let Some(entry) = entries.last_mut()
        {
            entry.push(' ');
            entry.push_str(trimmed);
        }
    }
    let rows = table("## Global options");
    assert_eq!(rows.len(), 13, "{rows:?}");
    for row in &rows {
        // `--region us|eu|sgp` (any case), `-q`, `--quiet` (...): the long flag.
        let flag = row[0]
            .split('`')
            .filter(|span| span.starts_with("--"))
            .map(|span| span.split(' ').next().unwrap())
            .next()
            .unwrap_or_else(|| panic!("a long flag in {row:?}"));
        let entry = entries
            .iter()
            // The flags come first, before two blanks and the help.
            .find(|entry| {
                entry
                    .split("  ")
                    .next()
                    .unwrap()
                    .split([' ', ','])
                    .any(|word| word == flag)
            })
            .unwrap_or_else(|| panic!("{flag} is in --help: {help}"));
        let variable = row[1].trim_matches('`');
        if !variable.is_empty() {
            assert!(
                entry.contains(&format!("[env: {variable}]")),
                "{flag}: {entry}"
            );
        }
        match row[2].as_str() {
            "" => assert!(!entry.contains("[default:"), "{flag}: {entry}"),
            // Only the sandbox sends it, and only the sandbox sees it.
            "`netverify-cli/<version>` in the sandbox" => assert_eq!(flag, "--user-agent"),
            default => {
                let default = default.trim_matches('`');
                assert!(
                    entry.contains(&format!("[default: {default}]")),
                    "{flag}: {entry}"
                );
            }
        }
    }
}

#[test]
fn the_check_json_example_is_what_the_binary_prints() {
    let example = block_after("### Machine-readable answers and errors", "sh");
    let mut lines = example.lines();
    let command = lines.next().unwrap();
    assert_eq!(command, "netverify --sandbox check NLD ID_CARD -f json");
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let output = netverify(&args, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        format!("# {}", stdout(&output)),
        format!("{}\n", lines.next().unwrap())
    );
}

/// The example of `diff -f json` is what the binary prints for two files
/// that differ by just its entries.
#[test]
fn the_diff_json_example_is_what_the_binary_prints() {
    let example = json_of(block_after("### The shape of `diff -f json`", "json").as_bytes());
    let entry = |entry: &Value, back_side: &str| {
        (
            entry["countryCode"].as_str().unwrap().to_owned(),
            entry["countryName"].as_str().unwrap().to_owned(),
            entry["idType"].as_str().unwrap().to_owned(),
            entry["backSide"]
                .get(back_side)
                .unwrap_or(&entry["backSide"])
                .as_bool()
                .unwrap(),
        )
    };
    let list = |key: &str, back_side: &str| -> Vec<(String, String, String, bool)> {
        example[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| entry(e, back_side))
            .collect()
    };
    let old = [list("removed", ""), list("changed", "old")].concat();
    let new = [list("added", ""), list("changed", "new")].concat();
    let dir = scratch_dir("readme-diff-json");
    for (name, entries) in [("old.json", old), ("new.json", new)] {
        let borrowed: Vec<(&str, &str, &str, bool)> = entries
            .iter()
            .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), *d))
            .collect();
        save(&dir.join(name), &borrowed);
    }
    let output = netverify(
        &[
            "diff",
            "--from",
            dir.join("old.json").to_str().unwrap(),
            "--to",
            dir.join("new.json").to_str().unwrap(),
            "-f",
            "json",
        ],
        &[],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(json_of(&output.stdout), example);
}

/// The `-v` example line has the shape of the binary's: operation, attempt,
/// status, duration, tracking id.
#[test]
fn the_verbose_example_has_the_shape_of_the_binarys_line() {
    let example = block_after("### Quiet and verbose", "sh");
    let (command, line) = example
        .lines()
        .zip(example.lines().skip(1))
        .find(|(command, _)| command.starts_with("netverify -v "))
        .expect("the README runs -v");
    let args: Vec<&str> = command
        .split('#')
        .next()
        .unwrap()
        .split_whitespace()
        .skip(1)
        .collect();
    let output = netverify(&args, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let written = stderr(&output);
    // Each run has its own duration and tracking id.
    let shape = |line: &str| -> String {
        let (head, rest) = line.split_once(" in ").expect("a duration");
        let (_, tracking) = rest.split_once(" ms, tracking id ").expect("a tracking id");
        assert!(!tracking.is_empty());
        format!("{head} in N ms, tracking id ID")
    };
    assert_eq!(
        shape(written.trim_end()),
        shape(line.trim_start_matches("# "))
    );
}
