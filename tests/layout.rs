//! The layout ARCHITECTURE.md describes: modules import each other one way. This reads every
//! module of src/ (test modules and comments left out), resolves its `crate::` and `super::` paths
//! to modules, and fails on any circle, naming it. It also reads ARCHITECTURE.md's module table
//! (layer, path, what it owns) and fails when a folder or `.rs` file under src/ is not named
//! there, when a row names a path that is gone, or when a module imports one of the same or a
//! higher layer: the document is what the test checks against.

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

// ---------------------------------------------------------------------------------------------
// ARCHITECTURE.md's module table

/// A row of the module table: its layer (`None` for `—`: the crate root and the command line,
/// outside the layers), the `src/…` paths of its path column, and the row's whole text.
#[derive(Debug)]
struct Row {
    layer: Option<u32>,
    paths: Vec<String>,
    text: String,
}

/// The backticked spans of `text`.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The rows of the table whose header is `| layer | path | owns |`.
fn table(doc: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut lines = doc
        .lines()
        .skip_while(|l| l.trim() != "| layer | path | owns |");
    lines.next();
    for line in lines.skip(1) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (layer, path) = (cells.get(1).copied(), cells.get(2).copied());
        let layer = match layer {
            Some("—") => None,
            Some(n) => Some(
                n.parse()
                    .unwrap_or_else(|_| panic!("layer {n:?} is not a number or —: {line}")),
            ),
            None => panic!("a row without cells: {line}"),
        };
        let paths = code_spans(path.unwrap_or_default())
            .into_iter()
            .filter(|p| p.starts_with("src/"))
            .map(str::to_string)
            .collect();
        rows.push(Row {
            layer,
            paths,
            text: line.to_string(),
        });
    }
    rows
}

/// The top-level module a table path stands for (`src/site/` and `src/plan.rs` are `site` and
/// `plan`); the crate root and the binary are none.
fn module_of_row_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("src/")?;
    let name = rest
        .strip_suffix('/')
        .or_else(|| rest.strip_suffix(".rs"))?;
    (!matches!(name, "lib" | "main" | "cli")).then(|| name.to_string())
}

/// What is wrong between the sources under `src` and the module table of `doc`.
fn table_problems(src: &Path, doc: &str) -> Vec<String> {
    let rows = table(doc);
    let mut problems = Vec::new();
    if rows.is_empty() {
        return vec!["ARCHITECTURE.md has no table headed | layer | path | owns |".into()];
    }
    let row_of = |path: &str| rows.iter().find(|r| r.paths.iter().any(|p| p == path));
    // Every row names what exists.
    for path in rows.iter().flat_map(|r| &r.paths) {
        if !src.join(path.trim_start_matches("src/")).exists() {
            problems.push(format!(
                "ARCHITECTURE.md names {path}, which does not exist"
            ));
        }
    }
    // Every folder and .rs file is named: top-level ones in the path column, the ones inside a
    // folder (but its mod.rs) in that folder's row.
    for entry in walkdir::WalkDir::new(src)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry
            .path()
            .strip_prefix(src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let is_dir = entry.file_type().is_dir();
        // A folder's mod.rs is the folder itself.
        if !is_dir && (!rel.ends_with(".rs") || rel.contains('/') && rel.ends_with("/mod.rs")) {
            continue;
        }
        let shown = format!("src/{rel}{}", if is_dir { "/" } else { "" });
        match rel.split_once('/') {
            None => {
                if row_of(&shown).is_none() {
                    problems.push(format!("{shown} is not in ARCHITECTURE.md's module table"));
                }
            }
            Some((folder, inside)) => {
                let name = entry.file_name().to_string_lossy();
                let wanted = [
                    format!("{name}{}", if is_dir { "/" } else { "" }),
                    format!("{inside}{}", if is_dir { "/" } else { "" }),
                ];
                let named = row_of(&format!("src/{folder}/")).is_some_and(|row| {
                    code_spans(&row.text)
                        .iter()
                        .any(|span| wanted.iter().any(|w| w == span))
                });
                if !named {
                    problems.push(format!(
                        "{shown} is not named (as `{}`) in the row of src/{folder}/ in \
                         ARCHITECTURE.md",
                        wanted[0]
                    ));
                }
            }
        }
    }
    // Imports go to lower layers only.
    let mut layers: BTreeMap<String, Option<u32>> = BTreeMap::new();
    for row in &rows {
        for module in row.paths.iter().filter_map(|p| module_of_row_path(p)) {
            layers.insert(module, row.layer);
        }
    }
    for (module, targets) in graph(src) {
        let top = module.split("::").next().unwrap_or_default().to_string();
        let Some(&from) = layers.get(&top) else {
            continue; // reported above as missing from the table
        };
        let Some(from) = from else {
            problems.push(format!(
                "{top} has no layer in ARCHITECTURE.md (— is for lib.rs and the command line)"
            ));
            continue;
        };
        for target in targets {
            let to_top = target.split("::").next().unwrap_or_default();
            if to_top == top {
                continue;
            }
            if let Some(Some(to)) = layers.get(to_top)
                && *to >= from
            {
                problems.push(format!(
                    "{module} (layer {from}) imports {target} (layer {to}): ARCHITECTURE.md \
                     lets a module import only lower layers"
                ));
            }
        }
    }
    problems
}

#[test]
fn architecture_names_every_module_and_its_imports_go_down_the_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let rows = table(&doc);
    assert!(
        rows.iter().filter(|r| r.layer.is_some()).count() > 20,
        "the table was read: {rows:?}"
    );
    let problems = table_problems(&root.join("src"), &doc);
    assert!(
        problems.is_empty(),
        "ARCHITECTURE.md and src/ disagree:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_table_check_sees_a_missing_module_a_stale_row_and_an_upward_import() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &str| {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("lib.rs", "pub mod low;\npub mod high;\n");
    write("low.rs", "use crate::high::thing;\n");
    write("high/mod.rs", "pub mod thing;\npub mod hidden;\n");
    write("high/thing.rs", "use crate::low;\n");
    write("high/hidden.rs", "");
    write("extra.rs", "");
    let doc = "\
| layer | path | owns |
|---|---|---|
| — | `src/lib.rs` | the root |
| 0 | `src/low.rs` | the bottom |
| 1 | `src/high/` | the top: `thing.rs` |
| 2 | `src/gone.rs` | removed long ago |

Text after the table.
";
    let problems = table_problems(tmp.path(), doc);
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(
        has("low (layer 0) imports high::thing (layer 1)"),
        "{problems:#?}"
    );
    assert!(
        !has("high::thing (layer 1) imports low"),
        "downward is fine: {problems:#?}"
    );
    assert!(has("src/extra.rs is not in"), "{problems:#?}");
    assert!(has("src/high/hidden.rs is not named"), "{problems:#?}");
    assert!(
        !has("src/high/thing.rs"),
        "named in its folder's row: {problems:#?}"
    );
    assert!(
        has("names src/gone.rs, which does not exist"),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 4, "{problems:#?}");
}
