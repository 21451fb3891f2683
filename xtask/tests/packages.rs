//! Every published crate is ready for crates.io and docs.rs: its package
//! holds its README and both license texts, its manifest names its
//! documentation, homepage and docs.rs settings, and no Rust file in the
//! package reaches out of the crate's folder for a file (a path through
//! `/../`), which would exist in the repository but not in the package.
//! `cargo publish --dry-run --workspace` in CI builds each package; this
//! checks, in seconds, what that build does not.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const PUBLISHED: [&str; 4] = [
    "netverify-api",
    "netverify",
    "netverify-mock",
    "netverify-cli",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

/// The files `cargo package` would put in `krate`'s package.
fn package_files(krate: &str) -> Vec<String> {
    let out = cargo()
        .args(["package", "--list", "--allow-dirty", "--package", krate])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo package --list -p {krate} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn packages_hold_readme_and_licenses_and_no_path_out_of_the_crate() {
    for krate in PUBLISHED {
        let files = package_files(krate);
        for needed in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            assert!(
                files.iter().any(|file| file == needed),
                "the {krate} package lacks {needed}: {files:?}"
            );
        }
        let dir = root().join("crates").join(krate);
        for file in files.iter().filter(|file| file.ends_with(".rs")) {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            for (number, line) in text.lines().enumerate() {
                assert!(
                    !line.contains("/../") && !line.contains("\"../../"),
                    "crates/{krate}/{file}:{}: a path out of the crate, which its package \
                     does not hold: put the file in the crate (a symbolic link to the \
                     repository's copy is packaged as a file) or exclude the test from the \
                     package in Cargo.toml, saying why:\n{line}",
                    number + 1
                );
            }
        }
    }
}

#[test]
fn manifests_name_documentation_homepage_and_docs_rs_settings() {
    let out = cargo()
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    for krate in PUBLISHED {
        let package = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|package| package["name"] == krate)
            .unwrap_or_else(|| panic!("{krate} is not a workspace member"));
        for field in [
            "documentation",
            "homepage",
            "repository",
            "readme",
            "license",
        ] {
            assert!(
                package[field]
                    .as_str()
                    .is_some_and(|value| !value.is_empty()),
                "{krate}'s Cargo.toml lacks `{field}`"
            );
        }
        let docs_rs = &package["metadata"]["docs"]["rs"];
        assert_eq!(
            docs_rs["all-features"], true,
            "{krate}: [package.metadata.docs.rs] all-features"
        );
        assert_eq!(
            docs_rs["rustdoc-args"],
            serde_json::json!(["--cfg", "docsrs"]),
            "{krate}: [package.metadata.docs.rs] rustdoc-args"
        );
    }
}
