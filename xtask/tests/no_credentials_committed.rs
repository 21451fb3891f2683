//! No credential may sit in a committed fixture, snapshot or data file: a
//! recorded `Authorization: Basic ...` header is how another Jumio client
//! leaked its customers' secrets. This scans every text file of the
//! repository outside build output.

use std::path::{Path, PathBuf};

/// Directories that are build output, installed tools or fuzzing output
/// (`fuzz/corpus`, `fuzz/artifacts`), never committed.
const SKIPPED: [&str; 6] = [
    ".git",
    "target",
    ".tools",
    "node_modules",
    "corpus",
    "artifacts",
];

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

/// Made-up credentials that may appear in docs, because they protect
/// nothing: the mock server's documented defaults
/// (`netverify_mock::DEFAULT_TOKEN` and `DEFAULT_SECRET`). Tests build their
/// headers at run time, so anything else that decodes to `user-id:password`
/// fails the scan.
const PUBLIC_SAMPLES: [&str; 1] = ["sandbox-token:sandbox-secret"];

/// Finds `Basic <base64>` credentials: the scheme word followed by a token
/// that decodes to `user-id:password` (printable text with a colon), unless
/// it is one of the [`PUBLIC_SAMPLES`].
fn basic_credentials(text: &str) -> Vec<&str> {
    use base64::Engine as _;
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("basic ") {
        let start = from + at + "basic ".len();
        let token: &str = text[start..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
            .next()
            .unwrap_or("");
        let pair = lenient
            .decode(token)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|pair| pair.contains(':') && !pair.chars().any(char::is_control));
        if pair.is_some_and(|pair| !PUBLIC_SAMPLES.contains(&pair.as_str())) {
            found.push(&text[from + at..start + token.len()]);
        }
        from = start;
    }
    found
}

#[test]
fn detector_finds_a_recorded_header() {
    // base64 of "user:pass" and "ab:c", spelled in pieces so this file does
    // not trip itself.
    let header = format!("authorization: Basic {}{}", "dXNlcjpw", "YXNz");
    assert_eq!(
        basic_credentials(&header),
        [&header["authorization: ".len()..]]
    );
    let unpadded = format!("Authorization: basic {}", "YWI6Yw");
    assert_eq!(basic_credentials(&unpadded).len(), 1);
    assert!(basic_credentials("uses HTTP Basic authentication with a token").is_empty());
    assert!(basic_credentials("Basic realm=\"Jumio\"").is_empty());
    let sample = format!("Basic {}", "c2FuZGJveC10b2tlbjpzYW5kYm94LXNlY3JldA==");
    assert!(basic_credentials(&sample).is_empty(), "public sample");
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
