//! The README's quick start is what a new user copies: it must compile as
//! it stands. Its code is `examples/quick_start.rs` byte for byte (and
//! examples are compiled with the tests), and its `[dependencies]` lines name
//! every crate the code uses, in versions this workspace satisfies, with the
//! Tokio features `#[tokio::main]` needs.

const README: &str = include_str!("../README.md");
const EXAMPLE: &str = include_str!("../examples/quick_start.rs");

/// The body of the first fenced block of `kind` after `heading`.
fn block(heading: &str, kind: &str) -> &'static str {
    let section = &README[README.find(heading).expect("the heading")..];
    let fence = format!("```{kind}\n");
    let start = section.find(&fence).expect("the block") + fence.len();
    let len = section[start..].find("```\n").expect("the block's end");
    &section[start..start + len]
}

#[test]
fn the_quick_start_is_the_compiled_example_without_hidden_lines() {
    let code = block("## Quick start", "rust");
    assert_eq!(
        code, EXAMPLE,
        "README.md's quick start and examples/quick_start.rs differ"
    );
    assert!(
        !code
            .lines()
            .any(|line| line.trim_start().starts_with("# ") || line.trim() == "#"),
        "hidden doc-test lines in the quick start"
    );
    assert!(code.contains("#[tokio::main]"));
    let section = &README[README.find("## Quick start").unwrap()..];
    assert!(section.contains("needs a [Tokio](https://tokio.rs) runtime"));
}

#[test]
fn the_quick_starts_dependencies_cover_its_code() {
    let toml = block("## Quick start", "toml");
    let code = block("## Quick start", "rust");
    let lines: Vec<&str> = toml.lines().collect();
    assert_eq!(lines[0], "[dependencies]");
    let dependency = |name: &str| {
        lines
            .iter()
            .find(|line| line.starts_with(&format!("{name} = ")))
            .unwrap_or_else(|| panic!("no {name} in the README's [dependencies]"))
    };
    // Every crate the code names is listed.
    for (path, name) in [
        ("netverify::", "netverify"),
        ("netverify_mock::", "netverify-mock"),
        ("tokio::", "tokio"),
    ] {
        assert!(code.contains(path), "{path}");
        dependency(name);
    }
    // Our crates in the version of this workspace (0.x: major.minor).
    let version = env!("CARGO_PKG_VERSION");
    let minor = version.rsplit_once('.').unwrap().0;
    assert_eq!(*dependency("netverify"), format!("netverify = \"{minor}\""));
    assert!(
        dependency("netverify-mock").contains(&format!("version = \"{minor}\"")),
        "{}",
        dependency("netverify-mock")
    );
    // #[tokio::main] needs the macros and, for its default flavor, the
    // multi-threaded runtime.
    let tokio = dependency("tokio");
    assert!(tokio.contains("\"macros\"") && tokio.contains("\"rt-multi-thread\""));
}

/// Builds the quick start as a new crate outside the workspace, with the
/// README's `[dependencies]` (our crates patched to this checkout). Slow
/// and offline-only (it needs the registry cache), hence on demand:
/// `cargo test -p netverify --test readme -- --ignored`.
#[test]
#[ignore]
fn the_quick_start_builds_as_a_new_crate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = root.join("../..").canonicalize().unwrap();
    let dir = std::env::temp_dir().join(format!("netverify-quick-start-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"quick-start\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n{}\n\
         [patch.crates-io]\nnetverify = {{ path = {:?} }}\nnetverify-mock = {{ path = {:?} }}\n\
         netverify-api = {{ path = {:?} }}\n\n[workspace]\n",
        block("## Quick start", "toml"),
        workspace.join("crates/netverify"),
        workspace.join("crates/netverify-mock"),
        workspace.join("crates/netverify-api"),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("src/main.rs"), block("## Quick start", "rust")).unwrap();
    let status = std::process::Command::new(env!("CARGO"))
        .args(["run", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", workspace.join("target/quick-start"))
        .status()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(status.success(), "the quick start did not build and run");
}

/// Every dependency on our crates that the README shows, in its blocks or
/// in its text (the blocking client's feature line), names this
/// workspace's version.
#[test]
fn every_dependency_on_our_crates_names_this_version() {
    let minor = env!("CARGO_PKG_VERSION").rsplit_once('.').unwrap().0;
    let text = README.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut seen = 0;
    for name in ["netverify = ", "netverify-mock = "] {
        for (at, _) in text.match_indices(name) {
            let value = text[at + name.len()..].split('"').nth(1).unwrap();
            assert_eq!(value, minor, "{}", &text[at..at + 60]);
            seen += 1;
        }
    }
    assert_eq!(seen, 3, "the quick start's two and the blocking feature's");
}
