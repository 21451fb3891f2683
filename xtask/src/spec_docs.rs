//! `cargo xtask spec-docs`: the rendered reference page. Redocly's
//! `build-docs` (telemetry off, its scripts inlined: no CDN) writes
//! `target/spec-docs/netverify.html`, one self-contained file; then
//! `openapi/docs/check-page.mjs` opens it in headless Chromium (Debian's
//! `chromium`, or `$CHROMIUM`) and checks that both operations, the 403
//! explanation and the sample responses are on it, that it asks the network
//! for nothing, and saves `target/spec-docs/netverify.png`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{node_modules_bin, node_tool, run, step};
use crate::workspace::{self, SPEC};

const OUT: &str = "target/spec-docs";
const REDOCLY_CONFIG: &str = "openapi/redocly.yaml";
const CHECK_PAGE: &str = "openapi/docs/check-page.mjs";
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
/// The two images the inlined Redoc still loads from Redocly's CDN: its
/// logo in the sidebar's "API docs by" credit. The page must not reach the
/// network, so the credit gets a local image with the same word.
const CDN_LOGOS: [&str; 2] = [
    "https://cdn.redoc.ly/redoc/logo-mini-full.svg",
    "https://cdn.redoc.ly/redoc/logo-mini.svg",
];
const LOCAL_LOGO: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' \
                          width='56' height='16'%3E%3Ctext x='0' y='12' font-family='sans-serif' \
                          font-size='12'%3ERedocly%3C/text%3E%3C/svg%3E";

pub fn run_all() -> Result<(), String> {
    let root = workspace::root();
    let out = root.join(OUT);
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {OUT}: {e}"))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {OUT}: {e}"))?;
    let chromium = chromium()?;
    let node = node_modules_bin()?;

    step("[1/2] Redocly build-docs: one self-contained HTML file");
    let page = out.join("netverify.html");
    run(node_tool(&node, "redocly")
        .args([
            "build-docs",
            SPEC,
            "--config",
            REDOCLY_CONFIG,
            "--inlineBundle",
        ])
        .arg("--output")
        .arg(&page))?;
    let mut html = std::fs::read_to_string(&page)
        .map_err(|e| format!("cannot read {}: {e}", page.display()))?;
    for logo in CDN_LOGOS {
        if !html.contains(logo) {
            return Err(format!(
                "the page no longer names {logo}: Redocly changed; see what it loads now"
            ));
        }
        html = html.replace(logo, LOCAL_LOGO);
    }
    for external in ["<script src=", "<link rel=\"stylesheet\" href=\"http"] {
        if html.contains(external) {
            return Err(format!("the page loads from outside itself: {external}…"));
        }
    }
    std::fs::write(&page, &html).map_err(|e| format!("cannot write {}: {e}", page.display()))?;
    println!("{} ({} KiB)", page.display(), html.len() / 1024);

    step("[2/2] the page in headless Chromium: content, no network, a screenshot");
    std::fs::copy(root.join(CHECK_PAGE), out.join("check-page.mjs"))
        .map_err(|e| format!("cannot copy {CHECK_PAGE}: {e}"))?;
    // The check finds playwright-core through a link to the installed tools.
    let modules = node.parent().expect("node_modules/.bin has a parent");
    #[cfg(unix)]
    std::os::unix::fs::symlink(modules, out.join("node_modules"))
        .map_err(|e| format!("cannot link {}: {e}", modules.display()))?;
    run(Command::new("node")
        .arg("check-page.mjs")
        .arg(&page)
        .arg(out.join("netverify.png"))
        .arg(&chromium)
        .current_dir(&out))?;
    step(&format!(
        "spec-docs passed: open {OUT}/netverify.html in a browser (it works offline); \
         the screenshot is {OUT}/netverify.png"
    ));
    Ok(())
}

/// Debian's Chromium, or the browser `$CHROMIUM` names.
fn chromium() -> Result<PathBuf, String> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_CHROMIUM));
    if Path::new(&path).exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: install Debian's Chromium (`apt-get install -y chromium`, as .ci/run \
             does) or set CHROMIUM to another Chromium",
            path.display()
        ))
    }
}
