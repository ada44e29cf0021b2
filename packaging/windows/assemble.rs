//! The Windows package: lays out `nianbao-<version>-windows-x64/` and zips it.
//!
//! Used by `examples/package_windows.rs` (called from `packaging/windows.sh` with the
//! cross-compiled `nianbao.exe`) and by `tests/package.rs` (with a stand-in executable), so the
//! layout, the line endings and the encodings of the text files are tested without a cross-build.
//!
//! The package holds:
//! - `nianbao.exe`;
//! - `使用说明.txt`: UTF-8 with a byte-order mark and CRLF line endings, so that Notepad on any
//!   Windows shows it right;
//! - `网站/`: a new site as `nianbao init` makes it, with three batch files to double-click:
//!   `预览网站.bat`, `检查网站.bat`, `生成网站.bat`. They run `..\nianbao.exe` in their own folder,
//!   so that no command line holds a Chinese name: cmd.exe reads a batch file in the console's
//!   code page, and only Windows' own cmd.exe switches to UTF-8 at `chcp 65001` (Wine's does
//!   not), so Chinese stays in `echo` lines, where a wrong code page garbles text but breaks
//!   nothing. CRLF, UTF-8 without a byte-order mark (cmd.exe would take a BOM for part of the
//!   first command);
//! - `示例网站/`: the demo site of `examples/demo` (its sources, not a built copy);
//! - `文档/`: the user guide and the content contract, as Markdown and as simple HTML pages.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What goes into the package besides what the repository holds.
pub struct Inputs<'a> {
    /// The repository root (docs/, examples/demo/, packaging/windows/).
    pub repo: &'a Path,
    /// The Windows executable.
    pub exe: &'a Path,
    /// The version, as in Cargo.toml.
    pub version: &'a str,
    /// The folder the ZIP is written to (created when missing).
    pub out: &'a Path,
}

/// The batch files shipped in the site folder `网站/`.
pub const BATCH_FILES: [&str; 3] = ["预览网站.bat", "检查网站.bat", "生成网站.bat"];

/// The documents shipped in `文档/`, from `docs/`.
pub const DOCS: [&str; 2] = ["使用指南", "内容格式"];

/// The name of the package's top folder (also the ZIP's name without `.zip`).
pub fn folder_name(version: &str) -> String {
    format!("nianbao-{version}-windows-x64")
}

/// Build the package; returns the path of the ZIP.
pub fn assemble(inputs: &Inputs<'_>) -> io::Result<PathBuf> {
    let top = folder_name(inputs.version);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |rel: &str, bytes: Vec<u8>| files.push((format!("{top}/{rel}"), bytes));

    add("nianbao.exe", std::fs::read(inputs.exe)?);
    let templates = inputs.repo.join("packaging/windows");
    let readme = std::fs::read_to_string(templates.join("使用说明.txt"))?
        .replace("{version}", inputs.version);
    add("使用说明.txt", notepad_text(&readme));
    for name in BATCH_FILES {
        let text = std::fs::read_to_string(templates.join(name))?;
        add(&format!("网站/{name}"), batch_text(&text)?);
    }
    for doc in DOCS {
        let markdown = std::fs::read_to_string(inputs.repo.join(format!("docs/{doc}.md")))?;
        add(
            &format!("文档/{doc}.html"),
            doc_html(doc, &markdown).into_bytes(),
        );
        add(&format!("文档/{doc}.md"), markdown.into_bytes());
    }

    let site = tempfile::tempdir()?;
    let site_dir = site.path().join("网站");
    nianbao::scaffold::init_site(&site_dir).map_err(io::Error::other)?;
    for (rel, bytes) in tree(&site_dir)? {
        add(&format!("网站/{rel}"), bytes);
    }
    let demo = inputs.repo.join("examples/demo");
    add("示例网站/site.toml", std::fs::read(demo.join("site.toml"))?);
    for (rel, bytes) in tree(&demo.join("content"))? {
        add(&format!("示例网站/content/{rel}"), bytes);
    }

    files.sort_by(|a, b| a.0.cmp(&b.0));
    std::fs::create_dir_all(inputs.out)?;
    let path = inputs.out.join(format!("{top}.zip"));
    write_zip(&path, &files)?;
    Ok(path)
}

/// Text for Notepad: a UTF-8 byte-order mark and CRLF line endings.
pub fn notepad_text(text: &str) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend_from_slice(crlf(text).as_bytes());
    out
}

/// A batch file: CRLF, no byte-order mark, `chcp 65001` before any Chinese, and Chinese in
/// `echo` lines only.
pub fn batch_text(text: &str) -> io::Result<Vec<u8>> {
    let text = crlf(text);
    let chcp = text.find("chcp 65001").ok_or_else(|| {
        io::Error::other("a batch file with Chinese text must switch the console to UTF-8")
    })?;
    if !text[..chcp].is_ascii() {
        return Err(io::Error::other(
            "a batch file must be ASCII up to its chcp 65001 line",
        ));
    }
    if let Some(line) = text
        .lines()
        .find(|l| !l.is_ascii() && !l.trim_start().starts_with("echo "))
    {
        return Err(io::Error::other(format!(
            "only echo lines of a batch file may hold Chinese: {line}"
        )));
    }
    Ok(text.into_bytes())
}

/// `text` with every line ending CRLF (whatever it had), ending in one.
fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    for line in text.lines() {
        out.push_str(line);
        out.push_str("\r\n");
    }
    out
}

/// Every file under `dir`, with its `/`-separated path relative to it, in path order.
fn tree(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map_err(io::Error::other)?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.push((rel, std::fs::read(entry.path())?));
    }
    Ok(out)
}

/// A Markdown document as one plain HTML page that opens from disk. Links to the other shipped
/// document point at its HTML page; links to files the package does not hold keep their text only.
pub fn doc_html(title: &str, markdown: &str) -> String {
    use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut dropped = 0usize;
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let shipped = DOCS.iter().find(|d| dest_url.as_ref() == format!("{d}.md"));
            if let Some(doc) = shipped {
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(format!("{doc}.html")),
                    title,
                    id,
                }))
            } else if dest_url.starts_with("http://")
                || dest_url.starts_with("https://")
                || dest_url.starts_with('#')
            {
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            } else {
                dropped += 1;
                None
            }
        }
        Event::End(TagEnd::Link) if dropped > 0 => {
            dropped -= 1;
            None
        }
        other => Some(other),
    });
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, events);
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>nianbao {title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
}

const STYLE: &str = "body{margin:0;font:16px/1.7 system-ui,\"Microsoft YaHei\",\"PingFang SC\",sans-serif;color:#1a1a1a;background:#fff}\n\
main{max-width:52rem;margin:0 auto;padding:1rem 1.25rem 4rem;overflow-wrap:anywhere}\n\
h1,h2,h3{line-height:1.3}h2{margin-top:2.2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}\n\
code{font-family:Consolas,\"Courier New\",monospace;background:#f3f3f3;padding:0 .2em}\n\
pre{background:#f3f3f3;padding:.75rem;overflow-x:auto;line-height:1.45}pre code{padding:0}\n\
table{border-collapse:collapse;margin:1rem 0;display:block;max-width:100%;overflow-x:auto}th,td{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top}\n\
a{color:#0b57a4}\n";

/// Write the ZIP: entries in the given order, deflated, with UTF-8 names (flagged, so that
/// Windows Explorer shows the Chinese names), dated now.
fn write_zip(path: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    use zip::write::SimpleFileOptions;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    // The package is dated in China Standard Time, as its users read the dates.
    let time = chrono::DateTime::from_timestamp(now + 8 * 3600, 0)
        .and_then(|t| {
            use chrono::{Datelike, Timelike};
            zip::DateTime::from_date_and_time(
                u16::try_from(t.year()).ok()?,
                t.month() as u8,
                t.day() as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
            )
            .ok()
        })
        .unwrap_or_default();
    let tmp = path.with_extension("zip.part");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&tmp)?);
    for (name, bytes) in files {
        let executable = name.ends_with(".exe") || name.ends_with(".bat");
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(time)
            .unix_permissions(if executable { 0o755 } else { 0o644 });
        zip.start_file(name.as_str(), options)
            .map_err(io::Error::other)?;
        zip.write_all(bytes)?;
    }
    zip.finish().map_err(io::Error::other)?;
    std::fs::rename(&tmp, path)
}
