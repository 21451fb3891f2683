//! The facade README's "In production" shows this crate's `src/lib.rs`
//! (from its marker on) verbatim, so the code shown is the code that
//! compiles and that `tests/service.rs` runs.

#[test]
fn the_readme_shows_the_service_as_it_compiles() {
    let readme = include_str!("../../netverify/README.md");
    let lib = include_str!("../src/lib.rs");
    let marker = "// (tests/readme.rs keeps the two equal).\n";
    let shown = lib.split(marker).nth(1).expect("the marker").trim_end();
    let section = readme
        .split("## In production")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let block = section
        .split("```rust,ignore\n")
        .nth(1)
        .expect("the service's code block")
        .split("\n```")
        .next()
        .unwrap();
    assert_eq!(block, shown);
}
