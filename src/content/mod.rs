//! Reading `content/`: the township registry, report folders, attachments and introductions.
//!
//! Reading and checking go together here so that every problem is reported with its file and
//! line; nothing is rendered or written.

pub mod fields;
pub mod report;
pub mod stats;
pub mod townships;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::site::{Report, Site, Township};

/// The content directory under the site root.
pub const CONTENT_DIR: &str = "content";
/// The optional introduction file of the home page and of each year.
pub const INTRO_FILE: &str = "_index.md";

/// Why a content file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file does not exist.
    Missing,
    /// The file is not UTF-8 text.
    Encoding,
    /// Any other I/O problem.
    Io(std::io::Error),
}

impl ReadError {
    /// A diagnostic for `file`.
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        match self {
            ReadError::Missing => Diagnostic::error("file.missing", file, "文件不存在"),
            ReadError::Encoding => {
                Diagnostic::error("file.encoding", file, "文件不是 UTF-8 编码的文本")
                    .hint("用记事本或 WPS 打开后“另存为”，编码选择 UTF-8")
            }
            ReadError::Io(e) => Diagnostic::error("file.read", file, format!("无法读取文件：{e}")),
        }
    }
}

/// Read a UTF-8 text file, dropping a byte-order mark.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e),
    })?;
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|_| ReadError::Encoding)
}

/// A report folder found on disk.
struct FoundReport {
    year: u16,
    slug: String,
    dir: PathBuf,
}

/// What `content/` holds, before reading the reports.
#[derive(Default)]
struct Layout {
    reports: Vec<FoundReport>,
    intro: Option<PathBuf>,
    year_intros: Vec<(u16, PathBuf)>,
}

/// Load and check the whole site under `root`. Returns the site when there are no errors, and
/// all problems found either way.
pub fn load_site(root: &Path, config: Config) -> (Option<Site>, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        diagnostics.push(
            Diagnostic::error("content.missing", CONTENT_DIR, "站点根目录下没有 content 目录")
                .hint("在站点根目录创建 content/，放入 townships.yaml 和按年度分的报告目录；或用 --root 指定站点目录"),
        );
        return (None, diagnostics);
    }
    let townships = load_townships(root, &mut diagnostics);
    let layout = discover(root, &content, &mut diagnostics);
    let reports = load_reports(root, &config, &townships, &layout.reports, &mut diagnostics);
    let intro = layout
        .intro
        .and_then(|p| read_intro(root, &p, &mut diagnostics));
    let year_intros: BTreeMap<u16, String> = layout
        .year_intros
        .into_iter()
        .filter_map(|(y, p)| read_intro(root, &p, &mut diagnostics).map(|t| (y, t)))
        .collect();
    diagnostics.sort();
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    (
        Some(Site::new(config, townships, reports, intro, year_intros)),
        diagnostics,
    )
}

fn load_townships(root: &Path, diagnostics: &mut Diagnostics) -> Vec<Township> {
    match read_text(&root.join(townships::TOWNSHIPS_FILE)) {
        Ok(text) => townships::parse(&text, diagnostics),
        Err(ReadError::Missing) => {
            diagnostics.push(
                Diagnostic::error("townships.missing", townships::TOWNSHIPS_FILE, "缺少乡镇名录 content/townships.yaml")
                    .hint("创建 content/townships.yaml，每个乡镇写一项：- slug: beijinggang / name: 北景港镇 / kind: 镇"),
            );
            Vec::new()
        }
        Err(e) => {
            diagnostics.push(e.diagnostic(townships::TOWNSHIPS_FILE));
            Vec::new()
        }
    }
}

fn read_intro(root: &Path, path: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    read_text(path)
        .map_err(|e| diagnostics.push(e.diagnostic(&display_path(root, path))))
        .ok()
}

/// Parse a year folder name: four digits in a plausible range.
pub fn parse_year(name: &str) -> Option<u16> {
    if name.len() != 4 || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    name.parse().ok().filter(|y| (2000..=2100).contains(y))
}

fn discover(root: &Path, content: &Path, diagnostics: &mut Diagnostics) -> Layout {
    let mut layout = Layout::default();
    for entry in sorted_entries(content, root, diagnostics) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let rel = display_path(root, &path);
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            match parse_year(&name) {
                Some(year) => discover_year(root, &path, year, &mut layout, diagnostics),
                None => diagnostics.push(
                    Diagnostic::error(
                        "content.year-dir",
                        rel,
                        format!("无法识别的目录「{name}」：content 下的目录名应为四位年份"),
                    )
                    .hint("报告放在 content/<年度>/<乡镇代号>/ 中，例如 content/2018/beijinggang/"),
                ),
            }
        } else if name == INTRO_FILE {
            layout.intro = Some(path);
        } else if name != "townships.yaml" {
            diagnostics.push(
                Diagnostic::warning(
                    "content.stray-file",
                    rel,
                    "content 目录下的这个文件不会被发布",
                )
                .hint("附件请放进对应的报告目录 content/<年度>/<乡镇代号>/"),
            );
        }
    }
    layout
}

fn discover_year(
    root: &Path,
    dir: &Path,
    year: u16,
    layout: &mut Layout,
    diagnostics: &mut Diagnostics,
) {
    for entry in sorted_entries(dir, root, diagnostics) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            layout.reports.push(FoundReport {
                year,
                slug: name,
                dir: path,
            });
        } else if name == INTRO_FILE {
            layout.year_intros.push((year, path));
        } else {
            diagnostics.push(
                Diagnostic::warning(
                    "content.stray-file",
                    display_path(root, &path),
                    "年度目录下的这个文件不会被发布",
                )
                .hint("附件请放进对应的报告目录 content/<年度>/<乡镇代号>/"),
            );
        }
    }
}

fn sorted_entries(
    dir: &Path,
    root: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<std::fs::DirEntry> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
            entries.sort_by_key(|e| e.file_name());
            entries
        }
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "content.read",
                display_path(root, dir),
                format!("无法读取目录：{e}"),
            ));
            Vec::new()
        }
    }
}

fn load_reports(
    root: &Path,
    config: &Config,
    townships: &[Township],
    found: &[FoundReport],
    diagnostics: &mut Diagnostics,
) -> Vec<Report> {
    let results: Vec<(Option<Report>, Diagnostics)> = found
        .par_iter()
        .map(|f| {
            let mut ds = Diagnostics::new();
            let report = load_report_folder(root, config, townships, f, &mut ds);
            (report, ds)
        })
        .collect();
    let mut reports = Vec::with_capacity(results.len());
    for (report, ds) in results {
        diagnostics.extend(ds);
        reports.extend(report);
    }
    reports
}

fn load_report_folder(
    root: &Path,
    config: &Config,
    townships: &[Township],
    f: &FoundReport,
    diagnostics: &mut Diagnostics,
) -> Option<Report> {
    let Some(township) = townships.iter().find(|t| t.slug == f.slug) else {
        let known: Vec<&str> = townships.iter().map(|t| t.slug.as_str()).collect();
        diagnostics.push(unregistered(root, f, &known));
        return None;
    };
    let folder = report::ReportFolder {
        root,
        dir: &f.dir,
        year: f.year,
        township,
        region: &config.portal.region,
    };
    report::load(&folder, diagnostics)
}

/// Load the one report folder `content/<year>/<slug>/` of a site whose settings and township
/// registry are already loaded (serve's incremental rebuild). `Ok(None)` when the folder is gone.
pub fn reload_report(
    root: &Path,
    config: &Config,
    townships: &[Township],
    year: u16,
    slug: &str,
) -> Result<Option<Report>, Diagnostics> {
    let dir = root.join(CONTENT_DIR).join(year.to_string()).join(slug);
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut diagnostics = Diagnostics::new();
    let found = FoundReport {
        year,
        slug: slug.to_string(),
        dir,
    };
    let report = load_report_folder(root, config, townships, &found, &mut diagnostics);
    diagnostics.sort();
    match report {
        Some(r) if !diagnostics.has_errors() => Ok(Some(r)),
        _ => Err(diagnostics),
    }
}

fn unregistered(root: &Path, f: &FoundReport, known: &[&str]) -> Diagnostic {
    let rel = display_path(root, &f.dir);
    let near = fields::closest(&f.slug, known);
    let hint = match near {
        Some(n) => format!("是否想写「{n}」？已登记的乡镇代号：{}", known.join(", ")),
        None if known.is_empty() => "先在 content/townships.yaml 中登记该乡镇".to_string(),
        None => format!(
            "先在 content/townships.yaml 中登记该乡镇；已登记的代号：{}",
            known.join(", ")
        ),
    };
    Diagnostic::error(
        "report.unregistered",
        rel,
        format!(
            "目录名「{}」不是已登记的乡镇代号（年度 {}）",
            f.slug, f.year
        ),
    )
    .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_four_digits_in_range() {
        assert_eq!(parse_year("2018"), Some(2018));
        assert_eq!(parse_year("18"), None);
        assert_eq!(parse_year("1899"), None);
        assert_eq!(parse_year("２０１８"), None);
    }
}
