//! The repository stands alone: no test, script or document refers to a file outside it. A
//! user's clone has nothing beside it, so a path that leaves the repository (`../shared/…`, an
//! absolute path of a developer's machine) works only where it was written.

mod common;

use std::fs;
use std::path::{Component, Path, PathBuf};

use common::repo_root;

/// Folders of the repository that are not its sources (built, installed or generated).
const SKIPPED: [&str; 7] = [
    ".venv",
    "target",
    "node_modules",
    ".git",
    "public",
    "snapshots",
    "corpus",
];

/// Every file under `root` that a test, a script or a reader follows paths from.
fn files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !SKIPPED.iter().any(|s| *s == name)
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| kind(root, p).is_some())
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Rust: paths in `#[path]`, `include_str!`/`include_bytes!` and joins to the repository root.
    Rust,
    /// Shell scripts, CI and the developers' documents: every `../name` path.
    Text,
    /// Documents about content (the contract, the guide, SECURITY.md): their `../` examples are
    /// links inside a report folder, so only names of other folders count.
    Prose,
}

fn kind(root: &Path, path: &Path) -> Option<Kind> {
    let rel = path.strip_prefix(root).ok()?;
    let name = rel.file_name()?.to_string_lossy();
    let top = rel.components().next()?.as_os_str().to_string_lossy();
    if name.ends_with(".rs") && top != "src" {
        // This file names the escapes it looks for.
        return (rel != Path::new("tests/standalone.rs")).then_some(Kind::Rust);
    }
    if top == "docs" || name == "SECURITY.md" {
        return Some(Kind::Prose);
    }
    let script = name.ends_with(".sh") || name.ends_with(".md") || name.ends_with(".toml");
    let ci = top == ".ci";
    // Content and themes hold links of the published site, relative to pages, not to files.
    let site_text =
        matches!(top.as_ref(), "content" | "themes") || rel.starts_with("examples/demo");
    ((script || ci) && !site_text).then_some(Kind::Text)
}

/// `path` joined to `base` without touching the file system; `None` when it climbs above `root`.
fn resolve(root: &Path, base: &Path, path: &str) -> Option<PathBuf> {
    let mut out = base.to_path_buf();
    for component in Path::new(path).components() {
        match component {
            Component::ParentDir => {
                if !out.pop() || !out.starts_with(root) {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    out.starts_with(root).then_some(out)
}

/// The string literal that starts right after `marker` in `line` (its first quoted text).
fn literal_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &line[line.find(marker)? + marker.len()..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    Some(&rest[start..end])
}

/// The `../name` paths of a line of text: each run of `../` with what follows up to a quote,
/// a space or a bracket.
fn parent_paths(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = line[from..].find("../") {
        let start = from + at;
        // Back to the start of the path (`./../x`, `tests/../../x`).
        let begin = line[..start]
            .rfind(|c: char| c.is_whitespace() || "\"'`(<[=".contains(c))
            .map_or(0, |i| i + 1);
        let end = line[start..]
            .find(|c: char| c.is_whitespace() || "\"'`)>]|;,".contains(c))
            .map_or(line.len(), |i| start + i);
        let path = &line[begin..end];
        // Shell variables and URLs are not paths of the repository.
        if !path.contains('$') && !path.contains("://") && path.len() > 3 {
            found.push(path);
        }
        from = end.max(start + 3);
    }
    found
}

/// Where each file of the repository refers outside it: `file:line: path`.
fn escapes(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for path in files(root) {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let dir = path.parent().unwrap_or(root);
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        for (n, line) in text.lines().enumerate() {
            for bad in escapes_of_line(root, dir, line, kind(root, &path)) {
                found.push(format!("{rel}:{}: {bad}", n + 1));
            }
        }
    }
    found
}

fn escapes_of_line(root: &Path, dir: &Path, line: &str, kind: Option<Kind>) -> Vec<String> {
    let mut bad = Vec::new();
    // A sibling of the repository or a developer's own folder, in any form.
    for named in ["../shared", "/work/", "/home/", "/root/"] {
        if line.contains(named) && !line.contains("root/.cargo") {
            bad.push(format!("names {named}"));
        }
    }
    match kind {
        Some(Kind::Rust) => {
            // Files the compiler includes are relative to the including file.
            for marker in ["#[path = ", "include_str!(", "include_bytes!("] {
                if let Some(p) = literal_after(line, marker)
                    && resolve(root, dir, p).is_none()
                {
                    bad.push(format!("{marker}\"{p}\" leaves the repository"));
                }
            }
            // Files the tests open are relative to the repository root.
            for marker in ["repo_root().join(", "CARGO_MANIFEST_DIR\")).join("] {
                if let Some(p) = literal_after(line, marker)
                    && resolve(root, root, p).is_none()
                {
                    bad.push(format!("{marker}\"{p}\" leaves the repository"));
                }
            }
        }
        Some(Kind::Text) => {
            // A path in a script or a document may be read from its own folder or from the
            // repository root (where the README's commands run): it must stay inside from one.
            for p in parent_paths(line) {
                if resolve(root, dir, p).is_none() && resolve(root, root, p).is_none() {
                    bad.push(format!("{p} leaves the repository"));
                }
            }
        }
        Some(Kind::Prose) | None => {}
    }
    bad
}

#[test]
fn no_test_script_or_document_refers_outside_the_repository() {
    let root = repo_root();
    let root = root.canonicalize().unwrap_or(root);
    let found = escapes(&root);
    assert!(
        found.is_empty(),
        "these refer to files outside the repository, which a fresh clone does not have:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_each_kind_of_escape() {
    let root = Path::new("/repo");
    let tests = root.join("tests");
    let rust = |line: &str| escapes_of_line(root, &tests, line, Some(Kind::Rust));
    let text = |line: &str| escapes_of_line(root, root, line, Some(Kind::Text));
    assert!(!rust(r#"let p = repo_root().join("../shared/seed.txt");"#).is_empty());
    assert!(!rust(r#"#[path = "../../elsewhere/mod.rs"]"#).is_empty());
    assert!(!rust(r#"include_str!("../../outside.txt")"#).is_empty());
    assert!(!rust(r#"let p = Path::new("/work/main/content");"#).is_empty());
    assert!(rust(r#"#[path = "../packaging/windows/assemble.rs"]"#).is_empty());
    assert!(rust(r#"include_str!("../src/search/t2s.txt")"#).is_empty());
    assert!(rust(r#"repo_root().join("content/2018")"#).is_empty());
    // URLs of generated pages are not files of the repository.
    assert!(rust(r#"assert!(html.contains("href=\"../../static/style.css\""));"#).is_empty());
    assert!(!text("nianbao import ../shared/seed.txt").is_empty());
    assert!(!text("cp ../other-repo/file.txt .").is_empty());
    assert!(!text("see `../../notes.md`").is_empty());
    assert!(text(r#"cd "$(dirname "$0")/..""#).is_empty());
    // fuzz/README.md runs from fuzz/: `../content` is the repository's content folder.
    let fuzz = root.join("fuzz");
    assert!(escapes_of_line(root, &fuzz, "find ../content -name x", Some(Kind::Text)).is_empty());
}
