//! The layout ARCHITECTURE.md describes: modules import each other one way. This reads every
//! module of src/ (test modules and comments left out), resolves its `crate::` and `super::` paths
//! to modules, and fails on any circle, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`publish::archive`) of a source file under src/.
fn module_of(rel: &str) -> Option<String> {
    let rel = rel.strip_suffix(".rs")?;
    let mut parts: Vec<&str> = rel.split('/').collect();
    if parts.last() == Some(&"mod") {
        parts.pop();
    }
    if matches!(parts.as_slice(), ["lib"] | ["main"] | ["cli", ..]) || parts.is_empty() {
        return None;
    }
    Some(parts.join("::"))
}

/// The source without test modules and comment lines.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Identifier paths that follow `prefix` (`crate::`, `super::`) in `code`.
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let path: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
        found.push(path);
        // `use super::{a, b}` names several modules at once.
        if rest[end..].starts_with('{')
            && let Some(close) = rest[end..].find('}')
        {
            for name in rest[end + 1..end + close].split(',') {
                let name = name.trim().split("::").next().unwrap_or_default();
                if !name.is_empty() {
                    let mut p: Vec<&str> =
                        rest[..end].split("::").filter(|s| !s.is_empty()).collect();
                    p.push(name);
                    found.push(p);
                }
            }
        }
    }
    found
}

/// The deepest known module that `path` starts with.
fn resolve(modules: &BTreeSet<String>, path: &[&str]) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
}

fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut sources = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry
            .path()
            .strip_prefix(src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(module) = module_of(&rel) {
            let text = std::fs::read_to_string(entry.path()).expect("readable source");
            sources.insert(module, code_of(&text));
        }
    }
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &sources {
        let parent: Vec<&str> = {
            let mut p: Vec<&str> = module.split("::").collect();
            p.pop();
            p
        };
        let crate_paths = paths_after(code, "crate::");
        let super_paths = paths_after(code, "super::").into_iter().map(|p| {
            let mut full = parent.clone();
            let ups = p.iter().take_while(|s| **s == "super").count();
            full.truncate(full.len().saturating_sub(ups));
            full.extend(&p[ups..]);
            full
        });
        for path in crate_paths.into_iter().chain(super_paths) {
            if let Some(target) = resolve(&modules, &path)
                && &target != module
                && !module.starts_with(&format!("{target}::"))
            {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    edges
}

/// A circle through `start`, as the list of modules on it.
fn circle_from(edges: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        edges: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in edges.get(at).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(edges, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    walk(edges, start, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn modules_import_each_other_one_way() {
    let edges = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(
        edges.len() > 20 && edges.values().map(BTreeSet::len).sum::<usize>() > 60,
        "the scan found the imports: {edges:?}"
    );
    let circles: BTreeSet<Vec<String>> = edges
        .keys()
        .filter_map(|m| circle_from(&edges, m))
        .map(|mut c| {
            // One spelling per circle, starting from its smallest module.
            let first = c
                .iter()
                .enumerate()
                .min_by_key(|(_, m)| *m)
                .map_or(0, |(i, _)| i);
            c.rotate_left(first);
            c
        })
        .collect();
    let text: Vec<String> = circles.iter().map(|c| c.join(" → ")).collect();
    assert!(circles.is_empty(), "import circles:\n{}", text.join("\n"));
}

#[test]
fn the_scan_sees_a_circle_when_there_is_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &str| {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("a.rs", "use crate::b::inner::thing;\n");
    write("b/mod.rs", "pub mod inner;\n");
    write(
        "b/inner.rs",
        "use super::super::c;\nfn f() { crate::a::g(); }\n",
    );
    write("c.rs", "// crate::a is only named in a comment\n");
    let edges = graph(tmp.path());
    assert!(edges["a"].contains("b::inner"), "{edges:?}");
    assert!(edges["b::inner"].contains("a"), "{edges:?}");
    assert!(
        edges["b::inner"].contains("c"),
        "super::super reaches the root: {edges:?}"
    );
    assert!(
        !edges.contains_key("c"),
        "comments are not imports: {edges:?}"
    );
    let circle = circle_from(&edges, "a").expect("a → b::inner → a is found");
    assert_eq!(circle.first().map(String::as_str), Some("a"));
}
