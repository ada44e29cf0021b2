//! The plain data types of the model.

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::schema::{Comparison, Format};

/// One entry of `content/townships.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Township {
    /// Folder name under each year: ASCII, lower case, `[a-z0-9-]`.
    pub slug: String,
    /// Full name, e.g. 北景港镇.
    pub name: String,
    /// 镇, 乡, 街道 or another kind of publishing unit.
    pub kind: String,
    /// Administrative division code, when given.
    pub code: Option<String>,
    /// Display order (registry position when not given).
    pub order: i64,
    /// Earlier slugs of a merged or renamed township.
    pub formerly: Vec<String>,
    /// The first report year it existed (created or formed by a merger), when given.
    pub since: Option<u16>,
    /// The last report year it existed (merged away or dissolved), when given.
    pub until: Option<u16>,
}

impl Township {
    /// Whether the township existed, and so had to publish, in report year `year`.
    pub fn existed_in(&self, year: u16) -> bool {
        self.since.is_none_or(|s| year >= s) && self.until.is_none_or(|u| year <= u)
    }
}

/// A published figure exactly as written: its digits and scale are kept (`1.50` stays `1.50`).
pub type Figure = Decimal;

/// The statistics table of one report.
#[derive(Debug, Clone)]
pub struct Stats {
    /// The table format.
    pub format: &'static Format,
    /// One slot per cell of the format, in official order; `None` is blank (not reported).
    pub values: Vec<Option<Figure>>,
    /// Consistency rules of the format that the values break.
    pub findings: Vec<RuleFinding>,
}

impl Stats {
    /// The value of a cell id; `None` when blank or unknown.
    pub fn value(&self, id: &str) -> Option<Figure> {
        self.format.cell_index(id).and_then(|i| self.values[i])
    }
}

/// A consistency rule that does not hold, with both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFinding {
    /// Rule id, e.g. `A-R13`.
    pub rule: String,
    /// Per-column or per-row instance of the rule.
    pub instance: Option<String>,
    /// What should hold.
    pub title: String,
    /// Sum of the reported left-hand cells.
    pub left: Figure,
    /// The comparison that should hold.
    pub op: Comparison,
    /// Sum of the reported right-hand cells.
    pub right: Figure,
    /// How many cells on either side were blank and left out of the sums.
    pub blanks: usize,
    /// The finding in words, with both sides and their numbers.
    pub message: String,
    /// A rule that usually holds but may have exceptions (参考规则).
    pub soft: bool,
    /// The cell the finding is shown beside in the printed table (the first on the left).
    pub cell: usize,
}

/// The footer of the statistics table (填报单位, 单位负责人, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    /// 填报单位(盖章).
    pub fill_unit: Option<String>,
    /// 单位负责人.
    pub unit_head: Option<String>,
    /// 审核人.
    pub reviewer: Option<String>,
    /// 填报人.
    pub filler: Option<String>,
    /// 联系电话.
    pub phone: Option<String>,
    /// 填报日期.
    pub filled: Option<NaiveDate>,
}

/// The metadata block of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportMeta {
    /// Title (derived when not given).
    pub title: String,
    /// 索引号.
    pub index_no: Option<String>,
    /// 发布机构 (defaults to the township's name).
    pub publisher: String,
    /// 公开范围.
    pub scope: Option<String>,
    /// 生成日期.
    pub generated: Option<NaiveDate>,
    /// 公开日期; `None` when the original does not say (`published: ~`).
    pub published: Option<NaiveDate>,
    /// 公开方式.
    pub channel: Option<String>,
    /// The original publication.
    pub source_url: Option<String>,
    /// The table footer.
    pub form: Option<Form>,
    /// `draft: true`: previewed by `serve`, left out of `build` and `check`.
    pub draft: bool,
}

impl ReportMeta {
    /// The date stamped into a generated file's own metadata (a workbook's creation time): the
    /// 公开日期, else the 生成日期, else 1980-01-01 — never shown as a publication date.
    pub(crate) fn file_date(&self) -> NaiveDate {
        self.published
            .or(self.generated)
            .or_else(|| NaiveDate::from_ymd_opt(1980, 1, 1))
            .unwrap_or_default()
    }

    /// The 公开日期 as a page shows it: the date, or 原文未注明 for `published: ~`.
    pub(crate) fn published_text(&self) -> String {
        self.published
            .map_or_else(|| UNKNOWN_DATE.to_string(), |d| d.to_string())
    }
}

/// What a page says for a date the original does not show.
pub(crate) const UNKNOWN_DATE: &str = "原文未注明";

/// A file beside a report, published for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Path relative to the report folder, `/`-separated.
    pub path: String,
    /// Title given in front matter.
    pub title: Option<String>,
    /// Size in bytes.
    pub size: u64,
    /// Where the file is.
    pub source: PathBuf,
}

/// One annual report of one township.
#[derive(Debug, Clone)]
pub struct Report {
    /// The report year (from the folder).
    pub year: u16,
    /// The township slug (from the folder).
    pub township: String,
    /// The report folder relative to the site root, `/`-separated (for messages).
    pub folder: String,
    /// Front-matter metadata.
    pub meta: ReportMeta,
    /// The narrative as written (Markdown).
    pub narrative: String,
    /// The line of report.md where the narrative starts (1-based), for messages about it.
    pub narrative_line: usize,
    /// The statistics table, when the report has one.
    pub stats: Option<Stats>,
    /// Attachments, sorted by path.
    pub attachments: Vec<Attachment>,
    /// Errors found in the report's files: a build refuses them, `nianbao audit` counts them.
    pub errors: usize,
    /// Warnings found in the report's files, counted as `nianbao check` counts them.
    pub warnings: usize,
}

/// A report folder whose report could not be loaded (it has errors): what the oversight still
/// knows of it. The report exists, so it is never counted as missing.
#[derive(Debug, Clone)]
pub struct UnloadedReport {
    /// The report year (from the folder).
    pub year: u16,
    /// The township slug (from the folder).
    pub township: String,
    /// The 公开日期, when report.md states one that can be read.
    pub published: Option<chrono::NaiveDate>,
    /// The statistics table, when stats.yaml could be read.
    pub stats: Option<Stats>,
    /// Errors found in the folder's files.
    pub errors: usize,
    /// Warnings found in the folder's files.
    pub warnings: usize,
}

/// A page a plugin added: Markdown rendered in the theme's page template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginPage {
    /// The page's folder under the site root, `/`-separated, ending with `/` (`local/`).
    pub path: String,
    /// The page title.
    pub title: String,
    /// The page's text (Markdown, sanitised like a narrative).
    pub markdown: String,
    /// The name of the plugin that made it.
    pub plugin: String,
}
