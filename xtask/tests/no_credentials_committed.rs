//! No credential may sit in a committed fixture, snapshot or data file: a
//! recorded `Authorization: Basic ...` header is how another Jumio client
//! leaked its customers' secrets. This scans every text file of the
//! repository outside build output.

use std::path::{Path, PathBuf};

/// Directories that are build output or installed tools, never committed.
const SKIPPED: [&str; 4] = [".git", "target", ".tools", "node_modules"];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if SKIPPED.contains(&name.as_ref()) || name.starts_with("target-") {
            continue;
        }
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Finds `Basic <base64>` credentials: the scheme word followed by a token of
/// base64 long enough to hold `user:password`.
fn basic_credentials(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("basic ") {
        let start = from + at + "basic ".len();
        let token: &str = text[start..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
            .next()
            .unwrap_or("");
        let looks_encoded =
            token.len() >= 8 && token.chars().any(|c| c.is_ascii_digit() || c == '=');
        if looks_encoded {
            found.push(&text[from + at..start + token.len()]);
        }
        from = start;
    }
    found
}

#[test]
fn detector_finds_a_recorded_header() {
    // base64 of "user:pass", spelled in pieces so this file does not trip itself.
    let header = format!("authorization: Basic {}{}", "dXNlcjpw", "YXNz");
    assert_eq!(
        basic_credentials(&header),
        [&header["authorization: ".len()..]]
    );
    assert!(basic_credentials("uses HTTP Basic authentication with a token").is_empty());
}

#[test]
fn no_basic_credentials_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut all = Vec::new();
    files(root, &mut all);
    assert!(
        all.len() > 20,
        "the scan found too few files: is the root right?"
    );
    let mut leaks = Vec::new();
    for path in &all {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for hit in basic_credentials(&text) {
            leaks.push(format!(
                "{}: {hit}",
                path.strip_prefix(root).unwrap().display()
            ));
        }
    }
    assert!(
        leaks.is_empty(),
        "Basic-auth credentials committed:\n{}",
        leaks.join("\n")
    );
}
