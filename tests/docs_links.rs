//! The repository's documents point at files that exist: every relative Markdown link of the
//! README, SECURITY.md, ARCHITECTURE.md and `docs/`, and every repository file named by a comment
//! in `src/` (a moved or renamed file leaves no dangling reference behind).

use std::path::{Path, PathBuf};

/// The repository root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `path` relative to the repository root, with `/` separators, for messages.
fn shown(path: &Path) -> String {
    let rel = path.strip_prefix(root()).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

// ---------------------------------------------------------------------------------------------
// Markdown links

/// The targets of the inline links and images (`[text](target)`, `![alt](target)`) of a Markdown
/// text, with their 1-based lines. Fenced code blocks and code spans are not read: a link shown as
/// an example there is not a link.
fn link_targets(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match (fence, marker) {
            (None, Some(m)) if run >= 3 => {
                fence = Some((m, run));
                continue;
            }
            (Some((m, n)), Some(c)) if c == m && run >= n && trimmed[run..].trim().is_empty() => {
                fence = None;
                continue;
            }
            (Some(_), _) => continue,
            _ => {}
        }
        let prose = without_code_spans(line);
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let (target, len) = read_target(&rest[at + 2..]);
            if !target.is_empty() {
                out.push((i + 1, target));
            }
            rest = &rest[at + 2 + len..];
        }
    }
    out
}

/// The line with its code spans (`` `…` ``, ``` ``…`` ```) removed; an unmatched backtick run
/// is kept as text, as Markdown does.
fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].bytes().take_while(|b| *b == b'`').count();
        let after = &rest[start + ticks..];
        match find_run(after, ticks) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                out.push_str(&rest[start..start + ticks]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The byte offset of the first run of exactly `n` backticks in `text`.
fn find_run(text: &str, n: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if len == n {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

/// The destination at the start of `text` (just after `](`) and the bytes it takes: `<…>`, or up
/// to whitespace or the `)` that closes the link (balanced parentheses are part of it).
fn read_target(text: &str) -> (String, usize) {
    let lead = text.len() - text.trim_start().len();
    let body = &text[lead..];
    if let Some(inner) = body.strip_prefix('<') {
        return match inner.find('>') {
            Some(end) => (inner[..end].to_string(), lead + end + 2),
            None => (String::new(), lead),
        };
    }
    let mut depth = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return (body[..i].to_string(), lead + i),
            ')' => depth -= 1,
            c if c.is_whitespace() => return (body[..i].to_string(), lead + i),
            _ => {}
        }
    }
    (body.to_string(), text.len())
}

/// The file a link target names, or `None` for what is not a repository file: web and mail
/// addresses (any URL scheme) and anchors within the same page.
fn link_path(target: &str) -> Option<String> {
    let scheme = target
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if scheme || target.starts_with('#') {
        return None;
    }
    let path = target.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    (!decoded.is_empty()).then(|| decoded.into_owned())
}

/// `file:line: target` for every relative link of `text` that leads nowhere; `dir` is the folder
/// of the document (links are relative to it; a leading `/` means the repository root).
fn broken_links(file: &str, text: &str, dir: &Path) -> Vec<String> {
    link_targets(text)
        .into_iter()
        .filter_map(|(line, target)| {
            let path = link_path(&target)?;
            let full = match path.strip_prefix('/') {
                Some(from_root) => root().join(from_root),
                None => dir.join(&path),
            };
            (!full.exists()).then(|| format!("{file}:{line}: ({target}) → {} 不存在", shown(&full)))
        })
        .collect()
}

/// The Markdown documents whose links are checked.
fn documents() -> Vec<PathBuf> {
    let root = root();
    let mut files: Vec<PathBuf> = ["README.md", "SECURITY.md", "ARCHITECTURE.md"]
        .iter()
        .map(|name| root.join(name))
        .filter(|p| p.is_file())
        .collect();
    let docs = walkdir::WalkDir::new(root.join("docs")).sort_by_file_name();
    files.extend(
        docs.into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    files
}

#[test]
fn markdown_links_resolve() {
    let files = documents();
    assert!(
        files.iter().any(|f| f.ends_with("README.md")),
        "README.md not found under {}",
        root().display()
    );
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        checked += link_targets(&text).len();
        let dir = file.parent().unwrap();
        broken.extend(broken_links(&shown(file), &text, dir));
    }
    assert!(
        checked > 0,
        "no link found in {files:?}: the extractor is broken"
    );
    assert!(
        broken.is_empty(),
        "{} broken relative link(s) in the documents:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Repository files named in source comments

/// Extensions of the repository files a comment may name.
const EXTENSIONS: &[&str] = &["md", "rs", "sh", "toml", "yaml", "mjs", "py"];
/// Top-level documents, named without a folder (`PERF-NOTES.md`) or without `.md` (`PERF-NOTES`).
const TOP_LEVEL_DOCS: &[&str] = &[
    "README",
    "SECURITY",
    "ARCHITECTURE",
    "PERF-NOTES",
    "CONTENT-FORMAT",
];
/// Characters that end a word in a comment (Markdown code and links, ASCII and full-width
/// punctuation); a path is one word.
const WORD_BREAKS: &str = "`()[]\"',;|（）【】「」『』《》“”‘’，。、；：！？";

/// The repository files named in one comment line's text: a relative path with a folder and one
/// of [`EXTENSIONS`] (`bench/run.sh`, `docs/使用指南.md`), or a top-level document's name.
/// Paths with placeholders (`content/<year>/…`), absolute paths and URLs are examples, not names.
fn named_files(comment: &str) -> Vec<String> {
    comment
        .split(|c: char| c.is_whitespace() || WORD_BREAKS.contains(c))
        .filter(|w| !w.contains("://"))
        .map(|w| w.split(':').next().unwrap_or_default())
        .map(|w| w.trim_end_matches(['.', '!', '?']))
        .filter_map(|w| {
            if TOP_LEVEL_DOCS.contains(&w) {
                return Some(format!("{w}.md"));
            }
            let placeholder = w.contains(['<', '>', '{', '}', '*', '$', '~', '\\', '…']);
            if placeholder || w.starts_with('/') || w.contains("::") {
                return None;
            }
            let (stem, ext) = w.rsplit_once('.')?;
            let named = EXTENSIONS.contains(&ext)
                && !stem.is_empty()
                && !stem.ends_with('/')
                && (w.contains('/') || TOP_LEVEL_DOCS.contains(&stem));
            named.then(|| w.to_string())
        })
        .collect()
}

/// The text of a `//`, `///` or `//!` comment line, or `None` for a line of code.
fn comment_text(line: &str) -> Option<&str> {
    let text = line.trim_start().strip_prefix("//")?;
    Some(text.trim_start_matches(['/', '!']))
}

/// Whether a named path exists from the repository root, from `src/`, or from the folder of the
/// file that names it.
fn exists(named: &str, dir: &Path) -> bool {
    let root = root();
    [
        root.join(named),
        root.join("src").join(named),
        dir.join(named),
    ]
    .iter()
    .any(|p| p.exists())
}

#[test]
fn source_comments_name_existing_files() {
    let sources = walkdir::WalkDir::new(root().join("src")).sort_by_file_name();
    let mut named = 0;
    let mut missing = Vec::new();
    for entry in sources.into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let dir = path.parent().unwrap();
        for (i, line) in text.lines().enumerate() {
            for file in comment_text(line).map(named_files).unwrap_or_default() {
                named += 1;
                if !exists(&file, dir) {
                    missing.push(format!("{}:{}: {file}", shown(path), i + 1));
                }
            }
        }
    }
    assert!(
        named > 0,
        "no file named in any comment of src/: the scanner is broken"
    );
    assert!(
        missing.is_empty(),
        "{} comment(s) in src/ name a file that does not exist (from the repository root, src/ or \
         the file's folder):\n{}",
        missing.len(),
        missing.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The extractors themselves

#[test]
fn a_broken_link_is_found_and_a_good_one_is_not() {
    let text = "See [the readme](README.md#set-up) and ![chart](img/no-such-chart.png \"t\").\n\
                Also [gone](docs/%E4%B8%8D%E5%AD%98%E5%9C%A8.md), [web](https://x.cn/a.md), \
                [mail](mailto:a@b.cn), [top](#top).\n";
    let broken = broken_links("sample.md", text, &root());
    assert_eq!(broken.len(), 2, "{broken:#?}");
    assert!(broken[0].starts_with("sample.md:1: (img/no-such-chart.png)"));
    assert!(broken[1].starts_with("sample.md:2: (docs/%E4"));
    assert!(
        broken[1].contains("docs/不存在.md"),
        "percent-decoded: {}",
        broken[1]
    );
}

#[test]
fn links_in_code_are_not_links() {
    let text = "a `[x](gone.pdf)` b ``[y](`gone`)`` c\n```md\n[z](gone.md)\n```\n\
                ~~~~\n```\n[w](gone.md)\n~~~~\n[v](gone(1).md) [u](<with space.md>)\n";
    let targets: Vec<String> = link_targets(text).into_iter().map(|(_, t)| t).collect();
    assert_eq!(targets, ["gone(1).md", "with space.md"]);
}

#[test]
fn comments_name_paths_and_top_level_docs_only() {
    let named = named_files(
        " see `bench/run.sh`, docs/使用指南.md. and src/x.rs:12 (PERF-NOTES); ARCHITECTURE.md",
    );
    assert_eq!(
        named,
        [
            "bench/run.sh",
            "docs/使用指南.md",
            "src/x.rs",
            "PERF-NOTES.md",
            "ARCHITECTURE.md"
        ]
    );
    let prose = " report.md and stats.yaml, content/<year>/<slug>/report.md, /etc/x.md, \
                 https://a.cn/b/c.md, crate::a::b, FORMATS.md §4";
    assert!(named_files(prose).is_empty(), "{:?}", named_files(prose));
    assert_eq!(comment_text("    //! a/b.md"), Some(" a/b.md"));
    assert_eq!(comment_text("let x = 1; // a/b.md"), None);
}
