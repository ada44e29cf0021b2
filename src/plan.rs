//! The plan: every file of the output, with what it is made from and its URL.
//!
//! The plan is the single list of what a build writes; `build` writes it, `check` renders it
//! without writing, the sitemap lists its pages, `serve` re-renders the part of it a change
//! touches, and a year archive is the plan of one year's site.

use std::path::PathBuf;

use crate::search;
use crate::site::Site;
use crate::theme::Theme;

/// What an output file is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/index.html`.
    Home,
    /// `/<year>/index.html`, and past [`LIST_PAGE`] townships its further pages
    /// `/<year>/page-<n>.html` (the second number: the page, from 0).
    Year(u16, usize),
    /// `/townships/<slug>/index.html`, by township index.
    Township(usize),
    /// `/<year>/<slug>/index.html`, by report index.
    Report(usize),
    /// `/404.html`.
    NotFound,
    /// `/county/index.html`: county totals over the years.
    County,
    /// `/county/totals.{csv,json}`: the county totals as data.
    CountyTotals(DataKind),
    /// `/data/index.html`: downloads and the data dictionary.
    DataIndex,
    /// `/<year>/figures.{csv,xlsx}`: the year's key figures of each table format.
    YearFigures(u16, DataKind),
    /// `/audit/index.html`: oversight of publication, townships × years; past [`LIST_PAGE`]
    /// townships, its further pages `/audit/page-<n>.html` (the page, from 0).
    Audit(usize),
    /// `/townships/index.html` and `/townships/page-<n>.html`: the township list, made only past
    /// [`LIST_PAGE`] townships (a smaller site lists them on the home page).
    TownshipList(usize),
    /// `/audit/audit.{csv,xlsx}`.
    AuditData(DataKind),
    /// `/data/all.csv` or `/data/all.json`.
    AllData(DataKind),
    /// `/data/portal.json`: the portal's machine-readable face (written by `export::portal`).
    Portal,
    /// `/data/formats/<format>.json`: the items (id, label, unit) of a table format, by index in
    /// [`crate::schema::formats`]; `stats.json` and `all.json` key their values by these ids.
    FormatDictionary(usize),
    /// `/<year>/<slug>/stats.{csv,json,xlsx}`, by report index.
    ReportData(usize, DataKind),
    /// `/townships/<slug>/compare.{csv,xlsx}`, by township index.
    TownshipData(usize, DataKind),
    /// `/static/<path>`.
    Static(String),
    /// An attachment: (report index, attachment index).
    Attachment(usize, usize),
    /// `/search/index.html`.
    SearchPage,
    /// `/search/docs.js`: what the search page lists about each report.
    SearchDocs,
    /// `/search/fold.js`: the whole traditional → simplified folding table, for scripts that
    /// normalise any text (a search loads `f-<block>.js` for its query's characters).
    SearchFold,
    /// `/search/f-<block>.js`: the folding pairs of one block of 256 code points.
    SearchFoldBlock(u32),
    /// `/search/l-<format>.js`: the row labels of a table format, which report texts refer to
    /// by a bitmask, by format id.
    SearchLabels(String),
    /// `/search/s-<n>.js`: one shard of the search index (depends on every report's text).
    SearchShard(usize),
    /// `/search/t/<year>/<slug>.js`: the first part of one report's text for search, by report
    /// index.
    SearchText(usize),
    /// `/search/r/<year>/<slug>/<k>.js`: part `k` of the rest of a long report's body text
    /// (whole sections, see [`crate::search::rest_parts`]).
    SearchTextRest(RestPart),
    /// `/search/towns.js` (`None`): every township; `/search/w-<k>.js`: the townships of
    /// chunk `k` (see [`crate::search::TOWNS_PER_CHUNK`]).
    SearchTowns(Option<usize>),
    /// `/atom.xml`: the newest reports, with absolute URLs.
    Feed,
    /// `/sitemap.xml` (`None`): every page, with absolute URLs; past `SITEMAP_URLS`
    /// pages, the index of the parts `/sitemap-<n>.xml` (`Some(n)`, from 1) that list them.
    Sitemap(Option<usize>),
    /// `/archive/<year>.zip`: the offline copy of one year ([`crate::publish::archive`]).
    Archive(u16),
    /// `/embed/<path of the page>`: the page's table alone, for other sites' `<iframe>`s.
    Embed(Embedded),
    /// `/<path>index.html`: a page a plugin added, by index in [`Site::plugin_pages`].
    PluginPage(usize),
    /// `/search/t/p/<n>.js`: the text of plugin page `n` for search.
    PluginSearchText(usize),
}

/// One part of the rest of a report's search text: the report's index and the part's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestPart {
    /// The report, by index in [`Site::reports`].
    pub report: usize,
    /// The part, from 0.
    pub part: usize,
}

/// The pages that have an embeddable copy under `/embed/`: the ones with an official table or a
/// comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedded {
    /// A report's official table, by report index.
    Report(usize),
    /// A township's comparison over the years, by township index.
    Township(usize),
    /// A year's comparison across townships: the townships of page `n` of the year's list.
    Year(u16, usize),
    /// The county totals over the years.
    County,
}

impl Embedded {
    /// The embeddable copy of `target`, if that page has one.
    pub(crate) fn of(target: &Target) -> Option<Embedded> {
        Some(match *target {
            Target::Report(i) => Embedded::Report(i),
            Target::Township(i) => Embedded::Township(i),
            Target::Year(y, page) => Embedded::Year(y, page),
            Target::County => Embedded::County,
            _ => return None,
        })
    }

    /// The full page this is a copy of (an embed changes exactly when its page does).
    #[cfg(feature = "serve")]
    pub(crate) fn page(self) -> Target {
        match self {
            Embedded::Report(i) => Target::Report(i),
            Embedded::Township(i) => Target::Township(i),
            Embedded::Year(y, page) => Target::Year(y, page),
            Embedded::County => Target::County,
        }
    }
}

impl Target {
    /// Whether this is an HTML page (as opposed to a data file or a copied file).
    pub(crate) fn is_page(&self) -> bool {
        matches!(
            self,
            Target::Home
                | Target::Year(..)
                | Target::TownshipList(_)
                | Target::Township(_)
                | Target::Report(_)
                | Target::NotFound
                | Target::County
                | Target::DataIndex
                | Target::Audit(_)
                | Target::SearchPage
                | Target::Embed(_)
                | Target::PluginPage(_)
        )
    }

    /// The template that renders a page target (for messages about links the theme made).
    pub(crate) fn template(&self) -> Option<&'static str> {
        Some(match self {
            Target::Home => "index.html",
            Target::Year(..) => "year.html",
            Target::TownshipList(_) => "townships.html",
            Target::Township(_) => "township.html",
            Target::Report(_) => "report.html",
            Target::NotFound => "404.html",
            Target::County => "county.html",
            Target::DataIndex => "data.html",
            Target::Audit(_) => "audit.html",
            Target::Embed(_) => "embed.html",
            Target::PluginPage(_) => "page.html",
            _ => return None,
        })
    }

    /// Whether the sitemap lists this file: every page but the 404 page and the embeds (copies
    /// of pages it lists, for other sites' frames).
    pub(crate) fn in_sitemap(&self) -> bool {
        self.is_page() && !matches!(self, Target::NotFound | Target::Embed(_))
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
    /// A county-wide data file, streamed by the writer with `export::data::write_county_file` (too
    /// large to hold in memory for a province).
    CountyFile {
        /// `all.json` rather than `all.csv`.
        json: bool,
    },
    /// A year archive, written by the writer with [`crate::publish::archive::write_year`] (it needs a seekable
    /// file and can be large).
    Archive(u16),
}

/// URL paths of the site, relative to its root (the contract's stable URLs).
pub(crate) mod urls {
    /// The home page.
    pub(crate) fn home() -> String {
        "index.html".to_string()
    }
    /// A year page.
    pub(crate) fn year(year: u16) -> String {
        format!("{year}/index.html")
    }
    /// Page `page` (from 0) of a paginated list whose first page is `<dir>/index.html`.
    pub(crate) fn list_page(dir: &str, page: usize) -> String {
        if page == 0 {
            format!("{dir}/index.html")
        } else {
            format!("{dir}/page-{}.html", page + 1)
        }
    }
    /// Page `page` (from 0) of a year's list.
    pub(crate) fn year_page(year: u16, page: usize) -> String {
        list_page(&year.to_string(), page)
    }
    /// The key figures of a year.
    pub(crate) fn year_figures(year: u16, kind: super::DataKind) -> String {
        format!("{year}/figures.{}", kind.extension())
    }
    /// A township page.
    pub(crate) fn township(slug: &str) -> String {
        format!("townships/{slug}/index.html")
    }
    /// A report page.
    pub(crate) fn report(year: u16, slug: &str) -> String {
        format!("{year}/{slug}/index.html")
    }
    /// A data file of a report: `stats.csv`, `stats.json`, `stats.xlsx`.
    pub(crate) fn report_data(year: u16, slug: &str, kind: super::DataKind) -> String {
        format!("{year}/{slug}/stats.{}", kind.extension())
    }
    /// A comparison file of a township: `compare.csv`, `compare.xlsx`.
    pub(crate) fn township_data(slug: &str, kind: super::DataKind) -> String {
        format!("townships/{slug}/compare.{}", kind.extension())
    }
    /// The county page.
    pub(crate) fn county() -> String {
        "county/index.html".to_string()
    }
    /// The county totals as data: `totals.csv`, `totals.json`.
    pub(crate) fn county_totals(kind: super::DataKind) -> String {
        format!("county/totals.{}", kind.extension())
    }
    /// The data page.
    pub(crate) fn data() -> String {
        "data/index.html".to_string()
    }
    /// The portal's machine-readable face.
    pub(crate) fn portal() -> String {
        "data/portal.json".to_string()
    }
    /// The dictionary of the table format `id`: `data/formats/<id>.json`.
    pub(crate) fn format_dictionary(id: &str) -> String {
        format!("data/formats/{id}.json")
    }
    /// A download of the oversight page: `audit.csv`, `audit.xlsx`.
    pub(crate) fn audit_data(kind: super::DataKind) -> String {
        format!("audit/audit.{}", kind.extension())
    }
    /// The search page.
    pub(crate) fn search() -> String {
        "search/index.html".to_string()
    }
    /// The embeddable copy of the page at `path`: the same path under `embed/`.
    pub(crate) fn embed(path: &str) -> String {
        format!("embed/{path}")
    }
    /// The offline archive of a year.
    pub(crate) fn archive(year: u16) -> String {
        format!("archive/{year}.zip")
    }
    /// An attachment of a report.
    pub(crate) fn attachment(year: u16, slug: &str, path: &str) -> String {
        format!("{year}/{slug}/{path}")
    }
    /// A path as it goes into an `href`: each segment percent-encoded (spaces, `#`, `?`, `%` and
    /// non-ASCII file names stay links to the right file).
    pub(crate) fn href(path: &str) -> String {
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
    /// The published address of a file: `base_url` and the pretty form of its path (the only
    /// absolute URLs: canonical links, QR codes, the feed and the sitemap).
    pub(crate) fn absolute(base_url: &str, path: &str) -> String {
        format!("{base_url}{}", pretty(path))
    }
    /// The pretty form of a page path, for absolute URLs: `2018/beijinggang/`.
    pub(crate) fn pretty(path: &str) -> &str {
        path.strip_suffix("index.html").unwrap_or(path)
    }
    /// The relative prefix from a file at `path` back to the site root: `../../` for `a/b/x`.
    pub(crate) fn root_of(path: &str) -> String {
        "../".repeat(path.matches('/').count())
    }
}

/// Townships one page of a list shows (the year pages, the township list, the audit page): a
/// site of more townships splits these lists into pages of this many townships each, so that no
/// page grows with the site (a page of 50 townships × 10 years of audit cells is ~130 KB).
pub(crate) const LIST_PAGE: usize = 50;

/// How many pages a list of `townships` townships takes: 1 up to [`LIST_PAGE`].
pub(crate) fn list_pages(townships: usize) -> usize {
    townships.div_ceil(LIST_PAGE).max(1)
}

/// The townships (index range) page `page` of a list lists.
pub(crate) fn list_range(townships: usize, page: usize) -> std::ops::Range<usize> {
    if list_pages(townships) == 1 {
        return 0..townships;
    }
    let start = (page * LIST_PAGE).min(townships);
    start..(start + LIST_PAGE).min(townships)
}

/// Pages one sitemap file lists at most: the protocol's limit (its other limit, 50 MB, is ten
/// times what 50,000 of these entries take).
pub(crate) const SITEMAP_URLS: usize = 50_000;

/// How many part files the sitemap of `pages` pages is split into; 1 when `sitemap.xml` lists
/// them all itself.
pub(crate) fn sitemap_parts(pages: usize) -> usize {
    pages.div_ceil(SITEMAP_URLS).max(1)
}

/// Every file of the site, in a stable order. An archive copy of one year
/// ([`Site::archive_of`]) leaves out what only the published site needs: the 404 page (its links
/// are absolute paths), the feed, the sitemap, the archives themselves, and the county-wide
/// data files (every year's figures, which the archive's data page links to on the live site).
pub fn plan(site: &Site, theme: &Theme) -> Vec<PlannedFile> {
    let mut files: Vec<PlannedFile> = Vec::with_capacity(site.reports.len() * 5 + 16);
    let mut add = |path: String, target: Target| files.push(PlannedFile { path, target });
    add(urls::home(), Target::Home);
    if site.archive_of.is_none() {
        add("404.html".to_string(), Target::NotFound);
        add("atom.xml".to_string(), Target::Feed);
        add("sitemap.xml".to_string(), Target::Sitemap(None));
        for year in site.years() {
            add(urls::archive(year), Target::Archive(year));
        }
    }
    add(urls::county(), Target::County);
    for kind in [DataKind::Csv, DataKind::Json] {
        add(urls::county_totals(kind), Target::CountyTotals(kind));
    }
    add(urls::data(), Target::DataIndex);
    if site.archive_of.is_none() {
        // Every year's figures: a year archive holds only files the live site publishes, and
        // the live site publishes no per-year slice of these (its data page links to the
        // live files).
        add("data/all.csv".to_string(), Target::AllData(DataKind::Csv));
        add("data/all.json".to_string(), Target::AllData(DataKind::Json));
        add(urls::portal(), Target::Portal);
    }
    // In an archive too: its reports' stats.json name their format's dictionary. Every format,
    // used or not, so that the plan does not depend on which formats the reports use.
    for (i, format) in crate::schema::formats().iter().enumerate() {
        add(
            urls::format_dictionary(&format.id),
            Target::FormatDictionary(i),
        );
    }
    let pages = list_pages(site.townships.len());
    for page in 0..pages {
        add(urls::list_page("audit", page), Target::Audit(page));
    }
    if pages > 1 {
        for page in 0..pages {
            add(
                urls::list_page("townships", page),
                Target::TownshipList(page),
            );
        }
    }
    for kind in [DataKind::Csv, DataKind::Xlsx] {
        add(urls::audit_data(kind), Target::AuditData(kind));
    }
    for year in site.years() {
        for page in 0..pages {
            add(urls::year_page(year, page), Target::Year(year, page));
        }
        for kind in [DataKind::Csv, DataKind::Xlsx] {
            add(
                urls::year_figures(year, kind),
                Target::YearFigures(year, kind),
            );
        }
    }
    for (i, t) in site.townships.iter().enumerate() {
        add(urls::township(&t.slug), Target::Township(i));
        let compared = site.archive_of.is_none();
        if compared && site.reports_of_township(&t.slug).any(|r| r.stats.is_some()) {
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
    add(urls::search(), Target::SearchPage);
    add("search/docs.js".to_string(), Target::SearchDocs);
    add("search/fold.js".to_string(), Target::SearchFold);
    for block in search::fold_blocks() {
        add(
            search::fold_block_path(block),
            Target::SearchFoldBlock(block),
        );
    }
    let formats: std::collections::BTreeSet<&str> = (site.reports.iter())
        .filter_map(|r| r.stats.as_ref().map(|s| s.format.id.as_str()))
        .collect();
    for id in formats {
        add(
            search::labels_path(id),
            Target::SearchLabels(id.to_string()),
        );
    }
    for n in 0..1usize << search::shard_bits(site.reports.len()) {
        add(format!("search/s-{n}.js"), Target::SearchShard(n));
    }
    add("search/towns.js".to_string(), Target::SearchTowns(None));
    for k in 0..site.townships.len().div_ceil(search::TOWNS_PER_CHUNK) {
        add(search::towns_chunk_path(k), Target::SearchTowns(Some(k)));
    }
    for (i, r) in site.reports.iter().enumerate() {
        add(
            search::text_path(r.year, &r.township),
            Target::SearchText(i),
        );
        for part in 0..search::rest_parts(r) {
            add(
                search::rest_path(r.year, &r.township, part),
                Target::SearchTextRest(RestPart { report: i, part }),
            );
        }
    }
    for (i, page) in site.plugin_pages.iter().enumerate() {
        add(format!("{}index.html", page.path), Target::PluginPage(i));
        add(search::page_text_path(i), Target::PluginSearchText(i));
    }
    for name in theme.statics.keys() {
        add(format!("static/{name}"), Target::Static(name.clone()));
    }
    if site.archive_of.is_none() {
        // Embeds serve other live sites' frames; an offline archive has nobody to frame it.
        let embeds: Vec<PlannedFile> = files
            .iter()
            .filter_map(|f| {
                Embedded::of(&f.target).map(|e| PlannedFile {
                    path: urls::embed(&f.path),
                    target: Target::Embed(e),
                })
            })
            .collect();
        files.extend(embeds);
        let pages = files.iter().filter(|f| f.target.in_sitemap()).count();
        let parts = sitemap_parts(pages);
        if parts > 1 {
            files.extend((1..=parts).map(|n| PlannedFile {
                path: format!("sitemap-{n}.xml"),
                target: Target::Sitemap(Some(n)),
            }));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::urls;

    #[test]
    fn a_site_of_more_pages_than_a_sitemap_holds_plans_its_parts() {
        use super::{Target, plan};
        use crate::site::{Site, Township, compare::tests_support::report};
        use crate::theme::Theme;
        let tmp = tempfile::tempdir().unwrap();
        let theme = Theme::load(tmp.path(), "default").unwrap();
        let config =
            crate::config::Config::parse("title = \"t\"\nbase_url = \"https://a.cn/\"\n").unwrap();
        let site_of = |reports: usize| {
            let townships: Vec<Township> = (0..reports / 10)
                .map(|i| Township {
                    slug: format!("t{i}"),
                    name: format!("{i}镇"),
                    kind: "镇".to_string(),
                    code: None,
                    order: i as i64,
                    formerly: Vec::new(),
                    since: None,
                    until: None,
                })
                .collect();
            let reports = (0..reports)
                .map(|i| report(2010 + (i % 10) as u16, &format!("t{}", i / 10), "t"))
                .collect();
            Site::new(config.clone(), townships, reports, None, Default::default())
        };
        let parts = |site: &Site| -> Vec<String> {
            plan(site, &theme)
                .into_iter()
                .filter(|f| matches!(f.target, Target::Sitemap(Some(_))))
                .map(|f| f.path)
                .collect()
        };
        // 44,000 reports, 4,400 townships, 88 pages of each list (ten years, the audit, the
        // townships) and the site's own pages: under the limit.
        assert!(parts(&site_of(44_000)).is_empty());
        // 46,000 reports and 4,600 townships: over it.
        assert_eq!(parts(&site_of(46_000)), ["sitemap-1.xml", "sitemap-2.xml"]);
    }

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
