//! The repository README's main job: its first `cargo run -p netverify-cli`
//! command, run on the real binary, prints exactly what the README shows.
//! (Left out of the package: it reads the repository's README.)

mod common;

use common::{code, netverify, stderr, stdout};

#[test]
fn the_readme_main_job_answers_from_the_sandbox_only_when_asked() {
    let output = netverify(&["--sandbox", "supported", "--country", "NLD"], &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let shown = stdout(&output);
    insta::assert_snapshot!(shown, @r"
    COUNTRY  NAME         ID TYPE          BACK SIDE
    NLD      Netherlands  ID_CARD          required
    NLD      Netherlands  DRIVING_LICENSE  required
    NLD      Netherlands  PASSPORT         not required
    ");
    // The README shows this command first, with this very output.
    let readme = include_str!("../../../README.md");
    let command = "cargo run -p netverify-cli -- --sandbox supported --country NLD";
    let first_run = readme
        .lines()
        .find(|line| line.contains("cargo run -p netverify-cli -- "))
        .expect("the README runs the CLI");
    assert_eq!(first_run.trim_start_matches("$ "), command);
    let after = &readme[readme.find(command).unwrap() + command.len()..];
    assert!(
        after.trim_start().starts_with(shown.trim_end()),
        "README output differs"
    );
}
