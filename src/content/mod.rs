//! Reading `content/`: the township registry, report folders, attachments and introductions.
//!
//! Reading and checking go together here so that every problem is reported with its file and
//! line; nothing is rendered or written.

pub(crate) mod fields;
pub(crate) mod markdown;
pub mod report;
pub mod stats;
pub(crate) mod townships;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::encoding::{self, TextEncoding};
use crate::site::{Report, Site, Township, UnloadedReport};

/// The content directory under the site root.
pub(crate) const CONTENT_DIR: &str = "content";

/// The sample township `nianbao init` creates; a clerk deletes its folders once the real
/// townships are registered.
pub(crate) const SAMPLE_SLUG: &str = "shili";
/// The optional introduction file of the home page and of each year.
pub(crate) const INTRO_FILE: &str = "_index.md";

/// Why a content file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The file does not exist.
    Missing,
    /// The bytes are not text in any encoding we recognise (binary, or a mix of encodings).
    Encoding,
    /// The file is a symbolic link: content is read only from real files, so that a link
    /// cannot publish a file from outside the content directory.
    Symlink,
    /// Any other I/O problem.
    Io(std::io::Error),
}

impl ReadError {
    /// A diagnostic for `file`.
    pub(crate) fn diagnostic(&self, file: &str) -> Diagnostic {
        match self {
            ReadError::Missing => Diagnostic::error("file.missing", file, "文件不存在"),
            ReadError::Encoding => Diagnostic::error(
                "file.encoding",
                file,
                "无法识别文件的文本编码：不是 UTF-8、UTF-16 或 GBK/GB18030 文本（可能是二进制文件，或混用了几种编码）",
            )
            .at_line(1)
            .hint("用记事本或 WPS 打开，核对文字无乱码后“另存为”，编码选择 UTF-8"),
            ReadError::Symlink => Diagnostic::error(
                "file.symlink",
                file,
                "文件是符号链接（快捷方式），出于安全考虑不予读取",
            )
            .hint("把链接指向的真实文件复制到这个位置"),
            ReadError::Io(e) => Diagnostic::error("file.read", file, format!("无法读取文件：{e}")),
        }
    }
}

/// Read a text file in any encoding [`encoding::decode`] recognises exactly (UTF-8 with or
/// without BOM, UTF-16, GBK/GB18030); the text never has a byte-order mark.
pub(crate) fn read_text(path: &Path) -> Result<String, ReadError> {
    read_decoded(path).map(|(text, _)| text)
}

/// Read a content file like [`read_text`], with a warning naming the encoding when the file is
/// not UTF-8: the content format is UTF-8, but files from old Windows machines are GBK or
/// UTF-16. The decoding is exact, never lossy, and the warning quotes the first words as read so
/// that a clerk sees at once if they are not what was written.
pub(crate) fn read_content(
    path: &Path,
    file: &str,
    diagnostics: &mut Diagnostics,
) -> Result<String, ReadError> {
    let (text, encoding) = read_decoded(path)?;
    if !encoding.is_utf8() {
        diagnostics.push(converted_warning(file, encoding, &text));
    }
    if let Some(line) = conflict_marker_line(&text) {
        diagnostics.push(
            Diagnostic::error(
                "file.conflict",
                file,
                "文件中有未解决的合并冲突标记（<<<<<<< / ======= / >>>>>>>）",
            )
            .at_line(line)
            .hint("git 合并或拉取时两边都改了这个文件：保留正确的内容，删去冲突标记行和多余的一边"),
        );
    }
    Ok(text)
}

/// The first line of a git conflict (`<<<<<<< ours`, `>>>>>>> theirs`), 1-based: such a file is
/// half of a merge in progress, and publishing it would show both versions.
fn conflict_marker_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with("<<<<<<< ") || l.starts_with(">>>>>>> ") || l == "<<<<<<<")
        .map(|i| i + 1)
}

fn read_decoded(path: &Path) -> Result<(String, TextEncoding), ReadError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing,
        _ => ReadError::Io(e),
    };
    if std::fs::symlink_metadata(path).map_err(io)?.is_symlink() {
        return Err(ReadError::Symlink);
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let decoded = encoding::decode(&bytes).map_err(|_| ReadError::Encoding)?;
    Ok((decoded.text.into_owned(), decoded.encoding))
}

fn converted_warning(file: &str, encoding: TextEncoding, text: &str) -> Diagnostic {
    let sample: String = text
        .chars()
        .filter(|c| !c.is_control())
        .filter(|c| !matches!(c, '-' | ' '))
        .take(24)
        .collect();
    Diagnostic::warning(
        "file.encoding-converted",
        file,
        format!(
            "文件不是 UTF-8，而是 {} 编码；已按此编码读取，开头为「{sample}」",
            encoding.label()
        ),
    )
    .at_line(1)
    .hint("若上面引用的文字没有乱码，用记事本或 WPS “另存为”，编码选择 UTF-8 即可消除此警告")
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
    let (site, diagnostics) = load_site_with_errors(root, config);
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    (site, diagnostics)
}

/// Load the site under `root` even when some reports have errors, leaving those reports out:
/// what oversight needs (one broken report must not hide the others). `None` only when there is
/// no content folder or the township registry cannot be read.
pub(crate) fn load_site_with_errors(root: &Path, config: Config) -> (Option<Site>, Diagnostics) {
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
    let registry_failed = diagnostics.has_errors();
    let layout = discover(root, &content, &mut diagnostics);
    let mut reports_diagnostics = Diagnostics::new();
    let mut unloaded = Vec::new();
    let reports = load_reports(
        root,
        &config,
        &townships,
        &layout.reports,
        &mut reports_diagnostics,
        &mut unloaded,
    );
    // A broken registry leaves every folder "unregistered": only the registry's own errors say
    // what to fix.
    for d in reports_diagnostics.iter() {
        if !(registry_failed && d.code == "report.unregistered") {
            diagnostics.push(d.clone());
        }
    }
    let intro = layout
        .intro
        .and_then(|p| read_intro(root, &p, &mut diagnostics));
    let year_intros: BTreeMap<u16, String> = layout
        .year_intros
        .into_iter()
        .filter_map(|(y, p)| read_intro(root, &p, &mut diagnostics).map(|t| (y, t)))
        .collect();
    diagnostics.sort();
    if registry_failed {
        return (None, diagnostics);
    }
    let mut site = Site::new(config, townships, reports, intro, year_intros);
    site.unloaded = unloaded;
    (Some(site), diagnostics)
}

fn load_townships(root: &Path, diagnostics: &mut Diagnostics) -> Vec<Township> {
    let path = root.join(townships::TOWNSHIPS_FILE);
    match read_content(&path, townships::TOWNSHIPS_FILE, diagnostics) {
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
    let file = display_path(root, path);
    read_content(path, &file, diagnostics)
        .map_err(|e| diagnostics.push(e.diagnostic(&file)))
        .ok()
}

/// Parse a year folder name: four digits in a plausible range.
pub(crate) fn parse_year(name: &str) -> Option<u16> {
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
        if name.starts_with('.') || refused_entry(root, &entry, diagnostics) {
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
    let entries = sorted_entries(dir, root, diagnostics);
    check_case_collisions(root, &entries, diagnostics);
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') || refused_entry(root, &entry, diagnostics) {
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

/// Entries of the content tree that are never read, with an error: symbolic links (a link could
/// publish a folder from outside the content directory) and names that are not valid Unicode
/// (they would be published as mojibake).
fn refused_entry(root: &Path, entry: &std::fs::DirEntry, diagnostics: &mut Diagnostics) -> bool {
    let rel = display_path(root, &entry.path());
    if entry.file_type().is_ok_and(|t| t.is_symlink()) {
        diagnostics.push(
            Diagnostic::error(
                "content.symlink",
                rel,
                "这是符号链接（快捷方式），出于安全考虑不予读取",
            )
            .hint("把真实的目录或文件复制到这个位置"),
        );
        return true;
    }
    if entry.file_name().to_str().is_none() {
        diagnostics.push(
            Diagnostic::error(
                "content.name-encoding",
                rel,
                "文件名不是有效的 Unicode 文字（多半是在旧 Windows 上以 GBK 编码保存的名字）",
            )
            .hint("重新命名这个文件或目录，或用支持 UTF-8 文件名的工具解压"),
        );
        return true;
    }
    false
}

/// Folders whose names differ only in letter case are one folder on Windows and macOS: the site
/// would publish one of them depending on the machine. Both are named.
fn check_case_collisions(
    root: &Path,
    entries: &[std::fs::DirEntry],
    diagnostics: &mut Diagnostics,
) {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in entries {
        let name = entry.file_name().to_string_lossy().to_lowercase();
        let path = entry.path();
        if let Some(first) = seen.get(&name) {
            diagnostics.push(
                Diagnostic::error(
                    "content.case-collision",
                    display_path(root, &path),
                    format!(
                        "「{}」与「{}」只有字母大小写不同：在 Windows 和 macOS 上它们是同一个目录",
                        display_path(root, first),
                        display_path(root, &path)
                    ),
                )
                .hint("乡镇代号只用小写字母；合并这两个目录，删去多余的一个"),
            );
        } else {
            seen.insert(name, path);
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
    unloaded: &mut Vec<UnloadedReport>,
) -> Vec<Report> {
    let results: Vec<(Loaded, Diagnostics)> = found
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
        match report {
            Loaded::Report(r) => reports.push(r),
            Loaded::Unloaded(u) => unloaded.push(u),
            Loaded::Unregistered => {}
        }
    }
    reports
}

/// What a report folder gave. Short-lived (one per folder, moved straight into the site), so
/// the report is not boxed for the sake of the rarer variants.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    Report(Report),
    /// Its report has errors: what the oversight still knows of it.
    Unloaded(UnloadedReport),
    /// Its township is not registered: not a township's report at all.
    Unregistered,
}

fn load_report_folder(
    root: &Path,
    config: &Config,
    townships: &[Township],
    f: &FoundReport,
    diagnostics: &mut Diagnostics,
) -> Loaded {
    let Some(township) = townships.iter().find(|t| t.slug == f.slug) else {
        let known: Vec<&str> = townships.iter().map(|t| t.slug.as_str()).collect();
        diagnostics.push(unregistered(root, f, &known));
        return Loaded::Unregistered;
    };
    let folder = report::ReportFolder {
        root,
        dir: &f.dir,
        year: f.year,
        township,
        region: &config.portal.region,
        deadlines: &config.deadlines,
    };
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    if !township.existed_in(f.year) {
        diagnostics.push(outside_existence(root, f, township));
    }
    let report = report::load(&folder, diagnostics);
    let errors = diagnostics.error_count() - errors;
    let warnings = diagnostics.warning_count() - warnings;
    match report {
        Some(mut report) => {
            report.errors = errors;
            report.warnings = warnings;
            Loaded::Report(report)
        }
        None => Loaded::Unloaded(report::unloaded(&folder, errors, warnings)),
    }
}

/// Load the one report folder `content/<year>/<slug>/` of a site whose settings and township
/// registry are already loaded (serve's incremental rebuild), with its warnings. `Ok((None, _))`
/// when the folder is gone.
#[cfg(feature = "serve")]
pub(crate) fn reload_report(
    root: &Path,
    config: &Config,
    townships: &[Township],
    year: u16,
    slug: &str,
) -> Result<(Option<Report>, Diagnostics), Diagnostics> {
    let dir = root.join(CONTENT_DIR).join(year.to_string()).join(slug);
    if !dir.is_dir() {
        return Ok((None, Diagnostics::new()));
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
        Loaded::Report(r) if !diagnostics.has_errors() => Ok((Some(r), diagnostics)),
        _ => Err(diagnostics),
    }
}

/// A report of a year the township did not exist in (`since`/`until` of the registry).
fn outside_existence(root: &Path, f: &FoundReport, township: &Township) -> Diagnostic {
    let rel = display_path(root, &f.dir).replace('\\', "/");
    let span = match (township.since, township.until) {
        (Some(s), Some(u)) => format!("{s}—{u} 年"),
        (Some(s), None) => format!("{s} 年起"),
        (None, Some(u)) => format!("到 {u} 年为止"),
        (None, None) => String::new(),
    };
    Diagnostic::warning(
        "report.township-inactive",
        rel,
        format!(
            "{}（{}）在乡镇名录中登记为{span}存在，却有 {} 年度的报告",
            township.name, township.slug, f.year
        ),
    )
    .hint("核对报告所在的年度目录，或改正 content/townships.yaml 中该乡镇的 since（设立年度）和 until（撤并年度）")
}

fn unregistered(root: &Path, f: &FoundReport, known: &[&str]) -> Diagnostic {
    let rel = display_path(root, &f.dir);
    let near = fields::closest(&f.slug, known);
    let folder = rel.replace('\\', "/");
    let hint = if f.slug == SAMPLE_SLUG {
        format!(
            "这是 nianbao init 生成的示例镇的报告：示例镇已从乡镇名录中删除，把文件夹 {folder} 也删除即可（各年度的都删除）"
        )
    } else {
        let register = match near {
            Some(n) => format!("是否想写「{n}」？已登记的乡镇代号：{}", known.join(", ")),
            None if known.is_empty() => "在 content/townships.yaml 中登记该乡镇".to_string(),
            None => format!(
                "在 content/townships.yaml 中登记该乡镇（已登记的代号：{}）",
                known.join(", ")
            ),
        };
        format!("{register}；若这个文件夹已不需要，直接删除 {folder}")
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
