//! Turning the model into output files: the plan (every file of the site) and the renderer.
//!
//! The plan is the single list of what a build writes; `build` writes it, `check` only makes it.
//! Rendering a planned file is a pure function of the file, the site and the theme, so it runs
//! in parallel.

pub mod chart;
pub mod compare_view;
pub mod data;
pub mod markdown;
pub mod pages;
pub mod table;
pub mod theme;
pub mod xlsx_form;
pub mod xlsx_template;

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::site::Site;
pub use theme::{StaticFile, Theme};

/// What an output file is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/index.html`.
    Home,
    /// `/<year>/index.html`.
    Year(u16),
    /// `/townships/<slug>/index.html`, by township index.
    Township(usize),
    /// `/<year>/<slug>/index.html`, by report index.
    Report(usize),
    /// `/404.html`.
    NotFound,
    /// `/county/index.html`: county totals over the years.
    County,
    /// `/data/index.html`: downloads and the data dictionary.
    DataIndex,
    /// `/data/all.csv` or `/data/all.json`.
    AllData(DataKind),
    /// `/<year>/<slug>/stats.{csv,json,xlsx}`, by report index.
    ReportData(usize, DataKind),
    /// `/townships/<slug>/compare.{csv,xlsx}`, by township index.
    TownshipData(usize, DataKind),
    /// `/static/<path>`.
    Static(String),
    /// An attachment: (report index, attachment index).
    Attachment(usize, usize),
}

impl Target {
    /// Whether this is an HTML page (as opposed to a data file or a copied file).
    pub fn is_page(&self) -> bool {
        matches!(
            self,
            Target::Home
                | Target::Year(_)
                | Target::Township(_)
                | Target::Report(_)
                | Target::NotFound
                | Target::County
                | Target::DataIndex
        )
    }
}

/// A data download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// CSV, UTF-8 with BOM.
    Csv,
    /// JSON.
    Json,
    /// Excel workbook.
    Xlsx,
}

impl DataKind {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            DataKind::Csv => "csv",
            DataKind::Json => "json",
            DataKind::Xlsx => "xlsx",
        }
    }
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// Path under the output directory, `/`-separated.
    pub path: String,
    /// What it is made from.
    pub target: Target,
}

/// The bytes of an output file, or where to copy them from.
#[derive(Debug)]
pub enum Content {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// Copy this file.
    Copy(PathBuf),
    /// Embedded bytes.
    Embedded(&'static [u8]),
    /// A county-wide data file, streamed by the writer with [`data::write_county_file`] (too
    /// large to hold in memory for a province).
    CountyFile {
        /// `all.json` rather than `all.csv`.
        json: bool,
    },
}

/// URL paths of the site, relative to its root (the contract's stable URLs).
pub mod urls {
    /// The home page.
    pub fn home() -> String {
        "index.html".to_string()
    }
    /// A year page.
    pub fn year(year: u16) -> String {
        format!("{year}/index.html")
    }
    /// A township page.
    pub fn township(slug: &str) -> String {
        format!("townships/{slug}/index.html")
    }
    /// A report page.
    pub fn report(year: u16, slug: &str) -> String {
        format!("{year}/{slug}/index.html")
    }
    /// A data file of a report: `stats.csv`, `stats.json`, `stats.xlsx`.
    pub fn report_data(year: u16, slug: &str, kind: super::DataKind) -> String {
        format!("{year}/{slug}/stats.{}", kind.extension())
    }
    /// A comparison file of a township: `compare.csv`, `compare.xlsx`.
    pub fn township_data(slug: &str, kind: super::DataKind) -> String {
        format!("townships/{slug}/compare.{}", kind.extension())
    }
    /// The county page.
    pub fn county() -> String {
        "county/index.html".to_string()
    }
    /// The data page.
    pub fn data() -> String {
        "data/index.html".to_string()
    }
    /// An attachment of a report.
    pub fn attachment(year: u16, slug: &str, path: &str) -> String {
        format!("{year}/{slug}/{path}")
    }
    /// A path as it goes into an `href`: each segment percent-encoded (spaces, `#`, `?`, `%` and
    /// non-ASCII file names stay links to the right file).
    pub fn href(path: &str) -> String {
        use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
        const SEGMENT: &AsciiSet = &CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b'#')
            .add(b'%')
            .add(b'<')
            .add(b'>')
            .add(b'?')
            .add(b'`')
            .add(b'{')
            .add(b'}')
            .add(b'\\')
            .add(b'^')
            .add(b'|')
            .add(b'[')
            .add(b']');
        path.split('/')
            .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
            .collect::<Vec<_>>()
            .join("/")
    }
    /// The pretty form of a page path, for absolute URLs: `2018/beijinggang/`.
    pub fn pretty(path: &str) -> &str {
        path.strip_suffix("index.html").unwrap_or(path)
    }
    /// The relative prefix from a file at `path` back to the site root: `../../` for `a/b/x`.
    pub fn root_of(path: &str) -> String {
        "../".repeat(path.matches('/').count())
    }
}

/// Every file of the site, in a stable order.
pub fn plan(site: &Site, theme: &Theme) -> Vec<PlannedFile> {
    let mut files: Vec<PlannedFile> = Vec::with_capacity(site.reports.len() * 5 + 16);
    let mut add = |path: String, target: Target| files.push(PlannedFile { path, target });
    add(urls::home(), Target::Home);
    add("404.html".to_string(), Target::NotFound);
    add(urls::county(), Target::County);
    add(urls::data(), Target::DataIndex);
    add("data/all.csv".to_string(), Target::AllData(DataKind::Csv));
    add("data/all.json".to_string(), Target::AllData(DataKind::Json));
    for year in site.years() {
        add(urls::year(year), Target::Year(year));
    }
    for (i, t) in site.townships.iter().enumerate() {
        add(urls::township(&t.slug), Target::Township(i));
        if site.reports_of_township(&t.slug).any(|r| r.stats.is_some()) {
            for kind in [DataKind::Csv, DataKind::Xlsx] {
                add(
                    urls::township_data(&t.slug, kind),
                    Target::TownshipData(i, kind),
                );
            }
        }
    }
    for (i, r) in site.reports.iter().enumerate() {
        add(urls::report(r.year, &r.township), Target::Report(i));
        if r.stats.is_some() {
            for kind in [DataKind::Csv, DataKind::Json, DataKind::Xlsx] {
                add(
                    urls::report_data(r.year, &r.township, kind),
                    Target::ReportData(i, kind),
                );
            }
        }
        for (j, a) in r.attachments.iter().enumerate() {
            add(
                urls::attachment(r.year, &r.township, &a.path),
                Target::Attachment(i, j),
            );
        }
    }
    for name in theme.statics.keys() {
        add(format!("static/{name}"), Target::Static(name.clone()));
    }
    files
}

/// Renders planned files of one site with one theme.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    shared: pages::Shared,
}

impl<'a> Renderer<'a> {
    /// Prepare what every page shares (navigation, site settings) once.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        Renderer {
            site,
            theme,
            shared: pages::Shared::new(site),
        }
    }

    /// The site being rendered.
    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// The bytes of one planned file.
    pub fn render(&self, file: &PlannedFile) -> Result<Content, Diagnostic> {
        let page = |template: &str, context: tera::Context| -> Result<Content, Diagnostic> {
            let mut context = context;
            self.shared.insert_into(&mut context, &file.path);
            self.theme
                .render(template, &context)
                .map(|html| Content::Bytes(html.into_bytes()))
        };
        let site = self.site;
        match &file.target {
            Target::Home => page("index.html", pages::home(site)),
            Target::Year(year) => page("year.html", pages::year(site, *year)),
            Target::Township(i) => page("township.html", pages::township(site, *i)),
            Target::Report(i) => page("report.html", pages::report(site, *i)),
            Target::NotFound => page("404.html", pages::not_found()),
            Target::County => page("county.html", pages::county(site)),
            Target::DataIndex => page("data.html", pages::data_index(site)),
            Target::AllData(kind) => Ok(Content::CountyFile {
                json: *kind == DataKind::Json,
            }),
            Target::ReportData(i, kind) => {
                report_data(site, *i, *kind).map_err(|e| xlsx_error(&file.path, &e))
            }
            Target::TownshipData(i, kind) => {
                township_data(site, *i, *kind).map_err(|e| xlsx_error(&file.path, &e))
            }
            Target::Static(name) => Ok(match &self.theme.statics[name] {
                StaticFile::Embedded(bytes) => Content::Embedded(bytes),
                StaticFile::Disk(path) => Content::Copy(path.clone()),
            }),
            Target::Attachment(r, a) => Ok(Content::Copy(
                site.reports[*r].attachments[*a].source.clone(),
            )),
        }
    }
}

fn report_data(
    site: &Site,
    index: usize,
    kind: DataKind,
) -> Result<Content, rust_xlsxwriter::XlsxError> {
    let report = &site.reports[index];
    let Some(stats) = report.stats.as_ref() else {
        return Ok(Content::Bytes(Vec::new()));
    };
    Ok(Content::Bytes(match kind {
        DataKind::Csv => data::stats_csv(stats),
        DataKind::Json => data::stats_json(site, report, stats),
        DataKind::Xlsx => xlsx_template::stats_xlsx(report, stats)?,
    }))
}

fn township_data(
    site: &Site,
    index: usize,
    kind: DataKind,
) -> Result<Content, rust_xlsxwriter::XlsxError> {
    let township = &site.townships[index];
    let cmp = crate::site::compare::township_comparison(site, &township.slug);
    Ok(Content::Bytes(match kind {
        DataKind::Xlsx => {
            let newest = site
                .reports_of_township(&township.slug)
                .map(|r| r.meta.published)
                .max();
            let created = newest.unwrap_or_default();
            data::compare_xlsx(
                &format!("{}历年政府信息公开统计对比", township.name),
                created,
                &cmp,
            )?
        }
        _ => data::compare_csv(&cmp),
    }))
}

fn xlsx_error(path: &str, e: &rust_xlsxwriter::XlsxError) -> Diagnostic {
    Diagnostic::error("output.xlsx", path, format!("无法生成 Excel 文件：{e}"))
}

#[cfg(test)]
mod tests {
    use super::urls;

    #[test]
    fn relative_roots() {
        assert_eq!(urls::root_of("index.html"), "");
        assert_eq!(urls::root_of("2018/index.html"), "../");
        assert_eq!(urls::root_of("2018/beijinggang/index.html"), "../../");
        assert_eq!(
            urls::pretty("2018/beijinggang/index.html"),
            "2018/beijinggang/"
        );
        assert_eq!(urls::pretty("index.html"), "");
        assert_eq!(
            urls::href("2018/a/统计 表#1.xls"),
            "2018/a/%E7%BB%9F%E8%AE%A1%20%E8%A1%A8%231.xls"
        );
    }
}
