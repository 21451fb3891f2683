//! The workspace the xtask works on: where it is, where the spec is, how to
//! run its cargo, and how a generated file is written or checked. Every
//! command module takes these from here.

use std::path::{Path, PathBuf};

/// The hand-written OpenAPI description, relative to the workspace root.
pub const SPEC: &str = "openapi/netverify.yaml";

/// The cargo that runs the xtask (the same toolchain), to run cargo commands.
pub fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Whether a generating command writes its outputs or only compares them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Writes `contents` to `path` (relative to the workspace root), or in check
/// mode compares them and returns a unified diff when they differ.
pub fn write_or_check(mode: Mode, path: &str, contents: &str) -> Result<(), String> {
    let full = root().join(path);
    let current = std::fs::read_to_string(&full).unwrap_or_default();
    match mode {
        Mode::Write => {
            if current != contents {
                std::fs::write(&full, contents).map_err(|e| format!("cannot write {path}: {e}"))?;
                println!("wrote {path}");
            } else {
                println!("{path} is up to date");
            }
            Ok(())
        }
        Mode::Check if current == contents => {
            println!("{path} is up to date");
            Ok(())
        }
        Mode::Check => {
            let diff = similar::TextDiff::from_lines(current.as_str(), contents);
            let diff = diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{path} (checked in)"),
                    &format!("{path} (from the spec)"),
                )
                .to_string();
            Err(format!(
                "{path} is stale: it differs from what the xtask generates.\n\
                 Never edit it by hand: change its source (the spec, the generator or the \
                 input data) and regenerate (`cargo xtask generate`, or `cargo xtask \
                 countries` for the mock's country list).\n\n{diff}"
            ))
        }
    }
}
