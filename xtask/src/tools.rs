//! Pinned Python and Node tools for `spec-lint` and `spec-smoke`, installed on
//! first use into the git-ignored `.tools/` folder, never globally.
//!
//! The pins are committed under `openapi/tools/`: `requirements.txt` (every
//! Python package, transitive ones included) and `package.json` with its
//! `package-lock.json`. An install is redone whenever the committed pins differ
//! from those the installed copy was made from.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::workspace;

const REQUIREMENTS: &str = "openapi/tools/requirements.txt";
const NODE_MANIFEST: &str = "openapi/tools/package.json";
const NODE_LOCK: &str = "openapi/tools/package-lock.json";
/// openapi-python-client needs Python 3.11 or later.
const MIN_PYTHON: (u32, u32) = (3, 11);

/// Prints a progress line that stands out from the tools' own output.
pub fn step(message: &str) {
    println!("==> {message}");
}

/// Runs `command`, streaming its output, and fails unless it exits with 0.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot start {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs `command` and returns its standard output; its standard error is
/// passed through. Fails unless the command exits with 0.
pub fn output(command: &mut Command) -> Result<String, String> {
    let out = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start {}: {e}", describe(command)))?;
    let stdout = String::from_utf8(out.stdout)
        .map_err(|_| format!("{} printed invalid UTF-8", describe(command)))?;
    if out.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "{} failed ({}):\n{stdout}",
            describe(command),
            out.status
        ))
    }
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The `.tools/` folder at the workspace root.
fn tools_dir() -> PathBuf {
    workspace::root().join(".tools")
}

/// The Python virtual environment with the pinned tools; returns its `bin`.
pub fn python_venv() -> Result<PathBuf, String> {
    let venv = tools_dir().join("venv");
    let bin = venv.join("bin");
    let stamp = venv.join("installed-requirements.txt");
    let wanted = read(&workspace::root().join(REQUIREMENTS))
        .ok_or_else(|| format!("cannot read {REQUIREMENTS}"))?;
    if bin.join("python").exists() && read(&stamp).as_deref() == Some(wanted.as_str()) {
        return Ok(bin);
    }
    step(&format!(
        "installing the Python tools of {REQUIREMENTS} into .tools/venv"
    ));
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    check_python_version(&python)?;
    if venv.exists() {
        std::fs::remove_dir_all(&venv)
            .map_err(|e| format!("cannot remove {}: {e}", venv.display()))?;
    }
    run(Command::new(&python).arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(bin.join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--requirement",
        ])
        .arg(workspace::root().join(REQUIREMENTS)))?;
    // Every package is pinned; `pip check` catches a pin set that no longer
    // fits together.
    run(Command::new(bin.join("python")).args([
        "-m",
        "pip",
        "check",
        "--disable-pip-version-check",
    ]))?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(bin)
}

fn check_python_version(python: &str) -> Result<(), String> {
    let version = output(Command::new(python).args([
        "-c",
        "import sys; print(sys.version_info[0], sys.version_info[1])",
    ]))
    .map_err(|e| {
        format!(
            "Python {}.{}+ is needed (set PYTHON to choose one): {e}",
            MIN_PYTHON.0, MIN_PYTHON.1
        )
    })?;
    let mut parts = version.split_whitespace().map(str::parse::<u32>);
    match (parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor))) if (major, minor) >= MIN_PYTHON => Ok(()),
        _ => Err(format!(
            "{python} is Python {}, but {}.{} or later is needed (set PYTHON to choose another)",
            version.trim().replace(' ', "."),
            MIN_PYTHON.0,
            MIN_PYTHON.1
        )),
    }
}

/// The Node tools installed from the committed lock file; returns the folder
/// of their executables (`node_modules/.bin`).
pub fn node_modules_bin() -> Result<PathBuf, String> {
    let dir = tools_dir().join("node");
    let bin = dir.join("node_modules").join(".bin");
    let manifest = read(&workspace::root().join(NODE_MANIFEST))
        .ok_or_else(|| format!("cannot read {NODE_MANIFEST}"))?;
    let lock = read(&workspace::root().join(NODE_LOCK))
        .ok_or_else(|| format!("cannot read {NODE_LOCK}"))?;
    let stamp = dir.join("installed.stamp");
    let wanted = format!("{manifest}\n{lock}");
    if bin.exists() && read(&stamp).as_deref() == Some(wanted.as_str()) {
        return Ok(bin);
    }
    step(&format!(
        "installing the Node tools of {NODE_LOCK} into .tools/node"
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let _ = std::fs::remove_file(&stamp);
    std::fs::write(dir.join("package.json"), manifest)
        .and_then(|()| std::fs::write(dir.join("package-lock.json"), lock))
        .map_err(|e| format!("cannot copy the Node manifest into {}: {e}", dir.display()))?;
    // `npm ci` installs exactly the lock file. No install scripts: none of
    // the tools needs one, and one dependency's only script is telemetry.
    run(Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(&dir))?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(bin)
}

/// A command for a Node tool, with the tools' telemetry and update checks off.
pub fn node_tool(bin: &Path, name: &str) -> Command {
    let mut command = Command::new(bin.join(name));
    command
        .current_dir(workspace::root())
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .env("NO_UPDATE_NOTIFIER", "1");
    command
}

/// A cargo subcommand (`cargo-<name>`) at exactly `version`: the one cargo
/// already finds (on `PATH` or in `~/.cargo/bin`) when it reports that
/// version, else installed into `~/.cargo/bin` with `cargo install --locked
/// --version`, which builds it from crates.io with the dependency versions its
/// authors locked.
pub fn cargo_tool(name: &str, version: &str) -> Result<(), String> {
    let cargo = workspace::cargo_program();
    let subcommand = name.trim_start_matches("cargo-");
    let installed = Command::new(&cargo)
        .args([subcommand, "--version"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    let wanted = format!("{name} {version}");
    match installed {
        // cargo-nextest follows its version with the commit it was built from.
        Some(found) if found == wanted || found.starts_with(&format!("{wanted} ")) => {
            return Ok(());
        }
        Some(found) => step(&format!(
            "found {found}; installing {wanted} (cargo install --locked)"
        )),
        None => step(&format!(
            "installing {wanted} (cargo install --locked; minutes, once per machine)"
        )),
    }
    run(Command::new(cargo).args(["install", "--locked", "--quiet", "--version", version, name]))
}
