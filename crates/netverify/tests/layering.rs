//! No module of the crate imports, directly or through others, a module that
//! imports it back (ARCHITECTURE.md, "Layers of the facade"). A module
//! depends on another when its code names it (`crate::catalogue::…`, or a
//! re-export of lib.rs such as `crate::Client`), or when it calls, on `self`
//! or its own type, a method that the other module adds to that type (the
//! way `client.rs` called `map_error`, an `impl Client` in
//! `error_mapping.rs`). Comments and doc links do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module (`src/x.rs` and anything under `src/x/`), its
/// code without comments.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeMap::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let mut files = vec![];
        if path.is_dir() {
            collect(&path, &mut files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
        let code: String = files
            .iter()
            .flat_map(|file| {
                std::fs::read_to_string(file)
                    .unwrap()
                    .lines()
                    .map(|line| line.split("//").next().unwrap().to_owned() + "\n")
                    .collect::<Vec<_>>()
            })
            .collect();
        modules
            .entry(name)
            .or_insert_with(String::new)
            .push_str(&code);
    }
    modules
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

fn ident(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The names each `crate::` path of `code` starts with (`crate::{a, b::C}`
/// gives `a` and `b`).
fn crate_paths(code: &str) -> Vec<&str> {
    let mut names = vec![];
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(group.split(',').map(|item| ident(item.trim())));
        } else {
            names.push(ident(rest));
        }
    }
    names
}

/// The types a module defines.
fn defined_types(code: &str) -> BTreeSet<String> {
    let mut types = BTreeSet::new();
    for keyword in ["struct ", "enum ", "trait "] {
        for (at, _) in code.match_indices(keyword) {
            let before = code[..at].chars().last();
            if before.is_none_or(|c| c == ' ' || c == '\n' || c == ')') {
                types.insert(ident(&code[at + keyword.len()..]).to_owned());
            }
        }
    }
    types.remove("");
    types
}

/// The inherent `impl Type { … }` blocks of a module: the type and the
/// names of the functions in the block.
fn inherent_impls(code: &str) -> Vec<(String, Vec<String>)> {
    let mut impls = vec![];
    for (at, _) in code.match_indices("\nimpl") {
        let head_end = at + code[at..].find('{').unwrap();
        let head = &code[at + "\nimpl".len()..head_end];
        if head.contains(" for ") {
            continue;
        }
        // Skip generics: `impl<'a> Type<'a>`.
        let mut head = head.trim_start();
        if head.starts_with('<') {
            head = &head[head.find('>').unwrap() + 1..];
        }
        let type_name = ident(head.trim_start()).to_owned();
        let body_end = head_end
            + code[head_end..]
                .find("\n}")
                .unwrap_or(code.len() - head_end);
        let functions = code[head_end..body_end]
            .match_indices("fn ")
            .map(|(fn_at, _)| ident(&code[head_end + fn_at + 3..]).to_owned())
            .collect();
        impls.push((type_name, functions));
    }
    impls
}

/// Module → the modules it depends on.
fn dependencies(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    // lib.rs's re-exports: `pub use client::Client;` names `crate::Client`.
    let lib = &modules["lib"];
    let mut exported: BTreeMap<String, String> = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module = ident(rest);
        if !modules.contains_key(module) {
            continue;
        }
        let names = &rest[module.len() + 2..];
        for name in names.trim_matches(|c| "{};".contains(c)).split(',') {
            exported.insert(ident(name.trim()).to_owned(), module.to_owned());
        }
    }
    let owner_of = |type_name: &str| {
        modules
            .iter()
            .find(|(_, code)| defined_types(code).contains(type_name))
            .map(|(module, _)| module.clone())
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in modules.iter().filter(|(module, _)| *module != "lib") {
        let edges = graph.entry(module.clone()).or_default();
        for name in crate_paths(code) {
            let target = if modules.contains_key(name) {
                Some(name.to_owned())
            } else {
                exported.get(name).cloned()
            };
            if let Some(target) = target.filter(|target| target != module) {
                edges.insert(target);
            }
        }
    }
    // Methods a module adds to another module's type, called there.
    for (module, code) in modules {
        for (type_name, functions) in inherent_impls(code) {
            let Some(owner) = owner_of(&type_name).filter(|owner| owner != module) else {
                continue;
            };
            let owner_code = &modules[&owner];
            let called = functions.iter().any(|function| {
                [
                    format!("self.{function}("),
                    format!("self.{function}::<"),
                    format!("Self::{function}("),
                    format!("{type_name}::{function}("),
                ]
                .iter()
                .any(|call| owner_code.contains(call.as_str()))
            });
            if called {
                graph.entry(owner).or_default().insert(module.clone());
            }
        }
    }
    graph
}

/// A cycle of the graph, as `a → b → a`, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if let Some(start) = path.iter().position(|seen| seen == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle.join(" → "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut vec![], &mut done))
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let graph = dependencies(&modules());
    if let Some(cycle) = cycle(&graph) {
        panic!("an import circle: {cycle}\nthe dependencies: {graph:#?}");
    }
}

/// The check sees what it is meant to see: the layers ARCHITECTURE.md
/// names, and a circle through a method added in another file.
#[test]
fn the_check_sees_paths_reexports_and_added_methods() {
    let graph = dependencies(&modules());
    let depends = |from: &str, to: &str| graph[from].contains(to);
    assert!(depends("catalogue", "error"));
    assert!(depends("error_mapping", "catalogue"));
    assert!(depends("client", "error_mapping"));
    assert!(depends("builder", "client"));
    assert!(depends("cache", "client"));

    let mut circle = BTreeMap::new();
    circle.insert("lib".to_owned(), "pub use b::Thing;\n".to_owned());
    circle.insert(
        "a".to_owned(),
        "pub struct Owner;\nimpl Owner {\n    fn go(&self) { self.added() }\n}\n".to_owned(),
    );
    circle.insert(
        "b".to_owned(),
        "use crate::a::Owner;\npub struct Thing;\nimpl Owner {\n    fn added(&self) {}\n}\n"
            .to_owned(),
    );
    assert_eq!(cycle(&dependencies(&circle)).as_deref(), Some("a → b → a"));
    circle.insert(
        "a".to_owned(),
        "pub struct Owner;\nfn f() -> crate::Thing { todo!() }\n".to_owned(),
    );
    assert_eq!(cycle(&dependencies(&circle)).as_deref(), Some("a → b → a"));
}
