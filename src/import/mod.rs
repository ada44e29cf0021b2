//! `nianbao import`: bring a county's already published reports — saved pages (text or HTML)
//! and Excel statistics tables — into the content format, flagging every doubtful spot.
//!
//! Each reader ([`parse_text`], [`parse_html`], [`parse_xlsx`]) turns a file into one
//! intermediate [`Source`]; [`analyze`] decides format, year and township and reads the figures
//! against the catalog; [`run`] groups sources by report, writes them through a staging folder
//! that the content loader checks, and returns what happened for [`render_outcome`].

mod analyze;
mod dates;
mod detect;
mod docx;
mod hazards;
mod html;
mod labels;
mod source;
mod table;
mod text;
mod write;
mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use analyze::{AnalyzeError, Hints, Imported, analyze};
pub use dates::parse_date;
pub use docx::{DocxError, parse_docx};
pub use hazards::{Finding, Level};
pub use html::parse_html;
pub use labels::{Figure, figure, key};
pub use pdf::{PdfError, parse_pdf};
pub use source::{Grid, Place, Shape, Source, Text};
pub use text::parse_text;
pub use xlsx::{XlsxError, parse_xlsx};

use crate::config::Config;
use crate::content::{self, CONTENT_DIR};
use crate::diagnostics::Diagnostics;
use crate::encoding;
use crate::site::Township;

/// Settings of one import run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides for detection.
    pub hints: Hints,
    /// Write nothing; report what would be written.
    pub dry_run: bool,
    /// Replace existing report.md / stats.yaml.
    pub force: bool,
}

/// Why the run could not start.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The site's settings or registry have errors.
    #[error("站点设置或乡镇名录有错误")]
    Site(Diagnostics),
    /// An input path does not exist.
    #[error("找不到要导入的文件或目录：{0}")]
    NoInput(PathBuf),
    /// No importable file was given.
    #[error("没有可导入的文件（支持 .txt、.htm、.html、.xls、.xlsx、.docx、.pdf）")]
    Nothing,
}

/// A source file and what became of it.
#[derive(Debug, Clone)]
pub struct SourceOutcome {
    /// The file as given.
    pub path: PathBuf,
    /// What kind of file it turned out to be.
    pub kind: String,
    /// Findings of this source.
    pub findings: Vec<Finding>,
}

/// Whether a report was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Written.
    Created,
    /// Written over existing files (`--force`).
    Replaced,
    /// Would be written (`--dry-run`).
    WouldCreate,
    /// Existing content, no `--force`: nothing written.
    Exists,
    /// The written report does not load: nothing written.
    Invalid,
}

/// One report of the run.
#[derive(Debug, Clone)]
pub struct ReportOutcome {
    /// `content/<year>/<slug>`.
    pub folder: String,
    /// How year, township and format were decided.
    pub facts: Vec<String>,
    /// What became of each printed row of the statistics table (see [`Imported::table_rows`]).
    pub table_rows: Vec<String>,
    /// Files of the folder (written or to be written).
    pub files: Vec<String>,
    /// The sources, with their findings.
    pub sources: Vec<SourceOutcome>,
    /// What happened.
    pub status: Status,
    /// Figures: (filled, blank) counts.
    pub figures: Option<(usize, usize)>,
    /// What the content loader says about the written report.
    pub check: Diagnostics,
}

/// Everything a run did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Reports, by folder.
    pub reports: Vec<ReportOutcome>,
    /// Files that could not be imported, with the reason.
    pub failed: Vec<(PathBuf, String)>,
}

impl Outcome {
    /// Whether any report was written (not a dry run, not refused).
    pub fn wrote_any(&self) -> bool {
        self.reports
            .iter()
            .any(|r| matches!(r.status, Status::Created | Status::Replaced))
    }

    /// Whether anything failed (exit code 1).
    pub fn has_errors(&self) -> bool {
        !self.failed.is_empty()
            || self
                .reports
                .iter()
                .any(|r| matches!(r.status, Status::Exists | Status::Invalid))
    }
}

/// Read one file into the intermediate form, by its extension and content.
pub fn read_source(path: &Path) -> Result<Source, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("无法读取：{e}"))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ext == "xlsx" || ext == "xls" {
        return parse_xlsx(&bytes).map_err(|e| e.to_string());
    }
    if ext == "docx" {
        return parse_docx(&bytes).map_err(|e| e.to_string());
    }
    if ext == "pdf" {
        return parse_pdf(&bytes).map_err(|e| e.to_string());
    }
    if ext == "doc" {
        return Err(
            "旧版 Word 文档（.doc）无法直接读取：请在 Word 或 WPS 中另存为 .docx 后再导入"
                .to_string(),
        );
    }
    let decoded = encoding::decode(&bytes).map_err(|e| e.to_string())?;
    let text = decoded.text.as_ref();
    let looks_html = ext == "htm"
        || ext == "html"
        || text.trim_start().get(..15).is_some_and(|h| {
            h.to_ascii_lowercase().starts_with("<!doctype html") || h.starts_with("<html")
        });
    let mut source = if looks_html {
        // A GBK page's <meta charset> agrees with what the decoder found, or the bytes would
        // not have decoded without a single error.
        parse_html(text)
    } else {
        parse_text(text)
    };
    source.kind = format!("{}（{}）", source.kind, decoded.encoding.label());
    Ok(source)
}

/// The importable files of the inputs, sorted (directories are walked).
fn collect(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_file() {
            files.push(input.clone());
        } else if input.is_dir() {
            for entry in walkdir::WalkDir::new(input)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
            {
                let ext = entry
                    .path()
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if ["txt", "htm", "html", "xls", "xlsx", "docx", "doc", "pdf"]
                    .contains(&ext.as_str())
                {
                    files.push(entry.path().to_path_buf());
                }
            }
        } else {
            return Err(ImportError::NoInput(input.clone()));
        }
    }
    if files.is_empty() {
        return Err(ImportError::Nothing);
    }
    Ok(files)
}

fn load_site(root: &Path) -> Result<(Config, Vec<Township>), ImportError> {
    let one = |d: crate::diagnostics::Diagnostic| ImportError::Site(d.into());
    let config = Config::load(root).map_err(one)?;
    let text = content::read_text(&root.join(content::townships::TOWNSHIPS_FILE))
        .map_err(|e| one(e.diagnostic(content::townships::TOWNSHIPS_FILE)))?;
    let mut diagnostics = Diagnostics::new();
    let townships = content::townships::parse(&text, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(ImportError::Site(diagnostics));
    }
    Ok((config, townships))
}

/// Import `inputs` into the site at `root`.
pub fn run(root: &Path, inputs: &[PathBuf], options: &Options) -> Result<Outcome, ImportError> {
    let (config, townships) = load_site(root)?;
    let files = collect(inputs)?;
    let mut outcome = Outcome::default();
    let mut groups: BTreeMap<(u16, String), merge::Group> = BTreeMap::new();
    for path in files {
        let source = match read_source(&path) {
            Ok(s) => s,
            Err(e) => {
                outcome.failed.push((path, e));
                continue;
            }
        };
        match analyze(&source, &options.hints, &townships) {
            Ok(imported) => groups
                .entry((imported.year, imported.township.slug.clone()))
                .or_default()
                .push((path, source, imported)),
            Err(e) => outcome.failed.push((path, e.to_string())),
        }
    }
    for ((year, slug), group) in groups {
        let folder = format!("{CONTENT_DIR}/{year}/{slug}");
        match write_report(root, &config, &folder, group, options) {
            Ok(r) => outcome.reports.push(r),
            Err(e) => outcome.failed.push((PathBuf::from(&folder), e)),
        }
    }
    Ok(outcome)
}

mod merge;
mod pdf;
use merge::write_report;

/// The import report, in Chinese, for stdout.
pub fn render_outcome(outcome: &Outcome, dry_run: bool) -> String {
    merge::render(outcome, dry_run)
}
