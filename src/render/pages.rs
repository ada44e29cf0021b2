//! The template context of each page type. Everything a template shows is computed here (or in
//! the model); templates only lay it out.

use serde::Serialize;

use super::save_name;
use tera::Context;

use super::compare_view;
use super::markdown;
use super::table::TableHtml;
use std::collections::HashSet;

use super::pager::{PagerLink, pager};
use crate::plan::{DataKind, list_pages, list_range, urls};
use crate::schema::{self, compare};
use crate::site::compare::{TownshipComparison, year_comparison};
use crate::site::totals::{CountyTotals, YearTotals, year_totals};
use crate::site::{Report, Site};

/// Link to a page, relative to the site root (templates prefix `root`).
#[derive(Debug, Clone, Serialize)]
struct Link {
    text: String,
    href: String,
}

/// A data download: its link, and the name it is saved under (`download="…"`), which says what
/// it is: every report's table would otherwise arrive as another `stats.csv`.
#[derive(Debug, Clone, Serialize)]
struct Download {
    text: String,
    /// The file's kind alone (`Excel`, `CSV`, `JSON`), for a report's 目录.
    kind: &'static str,
    href: String,
    name: String,
}

/// A data file's kind as a reader names it.
fn kind_name(kind: DataKind) -> &'static str {
    match kind {
        DataKind::Csv => "CSV",
        DataKind::Json => "JSON",
        DataKind::Xlsx => "Excel",
    }
}

#[derive(Debug, Clone, Serialize)]
struct SiteView {
    title: String,
    region: String,
    base_url: String,
    language: String,
    generator: String,
    notice: String,
    archive_of: Option<u16>,
    /// A city's federation portal: its own navigation, no search or feed.
    federation: bool,
}

/// What every page shares: site settings and navigation.
pub(crate) struct Shared {
    site: SiteView,
    base_path: String,
    /// `site`, `years` and the page policy as template values, converted once: every page inserts them, and
    /// a value's maps and lists are shared, not copied, when it is inserted again.
    values: [tera::Value; 3],
}

impl Shared {
    /// Compute the shared part once per build.
    pub(crate) fn new(site: &Site) -> Self {
        let c = &site.config;
        Shared::from_parts(
            SiteView {
                title: c.title.clone(),
                region: c.portal.region.clone(),
                base_url: c.base_url.clone(),
                language: c.language.clone(),
                generator: format!("nianbao {}", env!("CARGO_PKG_VERSION")),
                notice: c.portal.notice.clone().unwrap_or_default(),
                archive_of: site.archive_of,
                federation: false,
            },
            site.years()
                .into_iter()
                .map(|y| Link {
                    text: format!("{y}年度"),
                    href: urls::year(y),
                })
                .collect(),
            c.base_path().to_string(),
        )
    }

    fn from_parts(site: SiteView, years: Vec<Link>, base_path: String) -> Self {
        let csp = super::csp::page(&site.base_url);
        let values = [
            tera::Value::from_serializable(&site),
            tera::Value::from_serializable(&years),
            tera::Value::from_serializable(&csp),
        ];
        Shared {
            site,
            base_path,
            values,
        }
    }

    /// What the pages of a federation portal share: its settings, no year navigation.
    pub(crate) fn for_federation(c: &crate::config::Config) -> Self {
        Shared::from_parts(
            SiteView {
                title: c.title.clone(),
                region: c.portal.region.clone(),
                base_url: c.base_url.clone(),
                language: c.language.clone(),
                generator: format!("nianbao {}", env!("CARGO_PKG_VERSION")),
                notice: c.portal.notice.clone().unwrap_or_default(),
                archive_of: None,
                federation: true,
            },
            Vec::new(),
            c.base_path().to_string(),
        )
    }

    /// Add the shared values for the page at `path`: `root` (the site's root relative to the
    /// page) and `out`, the prefix of links that leave a year archive (the live site's
    /// `base_url` on the pages of an archive, `root` elsewhere until [`Shared::insert_leaving`]).
    pub(crate) fn insert_into(&self, context: &mut Context, path: &str) {
        // The 404 page is served at any depth, so its links must be absolute paths.
        let root = if path == "404.html" {
            self.base_path.clone()
        } else {
            urls::root_of(path)
        };
        if self.site.archive_of.is_some() {
            context.insert("out", &self.site.base_url);
        } else {
            context.insert("out", &root);
        }
        context.insert("root", &root);
        context.insert("canonical", &urls::absolute(&self.site.base_url, path));
        let [site, years, csp] = &self.values;
        context.insert_value("site", site.clone());
        context.insert_value("nav_years", years.clone());
        context.insert_value("csp", csp.clone());
    }

    /// Make the links of a page that a year archive takes as it is (a report page) that leave
    /// its year (other years, township, county, data, oversight and search pages) absolute
    /// URLs under `base_url`: the same bytes then work on the live site and unpacked from the
    /// archive, where those pages are not.
    pub(crate) fn insert_leaving(&self, context: &mut Context) {
        context.insert("out", &self.site.base_url);
    }
}

#[derive(Debug, Serialize)]
struct ReportItem {
    year: u16,
    township: String,
    title: String,
    href: String,
    published: String,
    format: String,
}

fn report_item(site: &Site, r: &Report) -> ReportItem {
    ReportItem {
        year: r.year,
        township: site
            .township(&r.township)
            .map_or_else(|| r.township.clone(), |t| t.name.clone()),
        title: r.meta.title.clone(),
        href: urls::report(r.year, &r.township),
        published: r.meta.published_text(),
        format: r
            .stats
            .as_ref()
            .map_or_else(|| "无统计表".to_string(), |s| s.format.name.clone()),
    }
}

#[derive(Debug, Serialize)]
struct YearGroup {
    year: u16,
    href: String,
    reports: Vec<ReportItem>,
}

#[derive(Debug, Serialize)]
struct TownshipRow {
    name: String,
    href: String,
    years: Vec<Link>,
}

/// The slugs of the townships page `page` of a list shows.
fn page_slugs(site: &Site, page: usize) -> HashSet<&str> {
    site.townships[list_range(site.townships.len(), page)]
        .iter()
        .map(|t| t.slug.as_str())
        .collect()
}

#[derive(Debug, Serialize)]
struct YearPages {
    year: u16,
    href: String,
    count: usize,
    pages: Vec<PagerLink>,
}

/// The home page: introduction, every year (newest first), every township. Past
/// [`crate::plan::LIST_PAGE`] townships it lists the pages of each year and of the township list
/// instead of every report (each report stays two clicks away).
pub(crate) fn home(site: &Site) -> Context {
    let mut c = Context::new();
    c.insert("page_title", &site.config.title);
    c.insert(
        "intro_html",
        &site
            .intro
            .as_deref()
            .map(|m| markdown::render(m).html)
            .unwrap_or_default(),
    );
    c.insert("report_count", &site.reports.len());
    c.insert("township_count", &site.townships.len());
    let paged = list_pages(site.townships.len()) > 1;
    c.insert("paged", &paged);
    if paged {
        let years: Vec<YearPages> = site
            .years()
            .into_iter()
            .map(|y| YearPages {
                year: y,
                href: urls::year(y),
                count: site.reports_of_year(y).count(),
                pages: pager(site, &y.to_string(), None),
            })
            .collect();
        c.insert("years", &years);
        c.insert("township_pages", &pager(site, "townships", None));
        c.insert("townships", &Vec::<TownshipRow>::new());
        return c;
    }
    let years: Vec<YearGroup> = site
        .years()
        .into_iter()
        .map(|y| YearGroup {
            year: y,
            href: urls::year(y),
            reports: site
                .reports_of_year(y)
                .map(|r| report_item(site, r))
                .collect(),
        })
        .collect();
    c.insert("years", &years);
    c.insert("townships", &township_rows(site, 0..site.townships.len()));
    c
}

/// Rows of the township list: each township with links to its reports.
fn township_rows(site: &Site, range: std::ops::Range<usize>) -> Vec<TownshipRow> {
    site.townships[range]
        .iter()
        .map(|t| TownshipRow {
            name: t.name.clone(),
            href: urls::township(&t.slug),
            years: site
                .reports_of_township(&t.slug)
                .map(|r| Link {
                    text: r.year.to_string(),
                    href: urls::report(r.year, &r.township),
                })
                .collect(),
        })
        .collect()
}

/// One page of the township list (made only for a site of more than one page of townships).
pub(crate) fn township_list(site: &Site, page: usize) -> Context {
    let mut c = Context::new();
    let pages = pager(site, "townships", Some(page));
    c.insert("page_title", &format!("乡镇列表（第 {} 页）", page + 1));
    c.insert("page", &(page + 1));
    c.insert("page_count", &pages.len());
    c.insert("pages", &pages);
    c.insert(
        "townships",
        &township_rows(site, list_range(site.townships.len(), page)),
    );
    c
}

/// What every page of a year's list shows a part of, computed once per year: the comparison
/// of its townships, the county totals and each format's key figures.
pub(crate) struct YearLists {
    comparison: crate::site::compare::YearComparison,
    totals: YearTotals,
    figures: Vec<crate::site::headline::FormatFigures>,
}

impl YearLists {
    /// Compute the lists of `year`.
    pub(crate) fn new(site: &Site, year: u16) -> Self {
        let comparison = year_comparison(site, year);
        YearLists {
            totals: year_totals(site, year, &comparison),
            comparison,
            figures: crate::site::headline::year_figures(site, year),
        }
    }
}

/// A year page: every township's report of that year, and who has not published; past
/// [`crate::plan::LIST_PAGE`] townships, page `page` of them (the county totals on every page).
pub(crate) fn year(site: &Site, year: u16, page: usize, lists: &YearLists) -> Context {
    let mut c = Context::new();
    let pages = pager(site, &year.to_string(), Some(page));
    if pages.is_empty() {
        c.insert("page_title", &format!("{year}年度"));
    } else {
        c.insert("page_title", &format!("{year}年度（第 {} 页）", page + 1));
    }
    c.insert("page", &(page + 1));
    c.insert("page_count", &pages.len());
    c.insert("pages", &pages);
    c.insert("year", &year);
    c.insert("report_count", &site.reports_of_year(year).count());
    c.insert("archive", &None::<ArchiveLink>);
    c.insert(
        "intro_html",
        &site
            .year_intros
            .get(&year)
            .map(|m| markdown::render(m).html)
            .unwrap_or_default(),
    );
    let range = list_range(site.townships.len(), page);
    let slugs = page_slugs(site, page);
    let on_page = |slug: &str| pages.is_empty() || slugs.contains(slug);
    let reports: Vec<ReportItem> = site
        .reports_of_year(year)
        .filter(|r| on_page(&r.township))
        .map(|r| report_item(site, r))
        .collect();
    let missing: Vec<Link> = site.townships[range.clone()]
        .iter()
        .filter(|t| t.existed_in(year) && site.report(year, &t.slug).is_none())
        .map(|t| Link {
            text: t.name.clone(),
            href: urls::township(&t.slug),
        })
        .collect();
    c.insert("reports", &reports);
    c.insert("missing", &missing);
    c.insert(
        "compare",
        &compare_view::year_view(site, year, &lists.comparison, &lists.totals, &on_page),
    );
    c.insert(
        "figures",
        &super::headline::year_tables(site, year, &lists.figures, &range),
    );
    let name = save_name(
        &[&site.config.portal.region, &year.to_string(), "主要指标"],
        "x",
    );
    c.insert("figures_name", name.trim_end_matches(".x"));
    c
}

#[derive(Debug, Serialize)]
struct ArchiveLink {
    href: String,
    size: String,
    name: String,
}

/// The year page's link to the year's offline archive, with its size when it is known.
pub(crate) fn insert_archive(c: &mut Context, region: &str, year: u16, size: Option<u64>) {
    c.insert(
        "archive",
        &ArchiveLink {
            href: urls::archive(year),
            size: size.map(human_size).unwrap_or_default(),
            name: save_name(&[region, &year.to_string(), "年度报告离线归档"], "zip"),
        },
    );
}

/// The not-found page.
pub(crate) fn not_found() -> Context {
    let mut c = Context::new();
    c.insert("page_title", "页面未找到");
    c
}

/// A page a plugin added: its Markdown sanitised as a narrative is.
pub(crate) fn plugin_page(site: &Site, index: usize) -> Context {
    let page = &site.plugin_pages[index];
    let rendered = crate::render::markdown::render(&page.markdown);
    let mut c = Context::new();
    c.insert("page_title", &page.title);
    c.insert("body_html", &rendered.html);
    c.insert("headings", &rendered.headings);
    c.insert("plugin", &page.plugin);
    c
}

/// The search page (the results are made in the browser by `static/search.js`).
pub(crate) fn search() -> Context {
    let mut c = Context::new();
    c.insert("page_title", "搜索");
    c
}

/// The county page: totals of the key indicators per year (`totals`, the site's
/// [`crate::site::totals::county_totals`]), with charts.
pub(crate) fn county(site: &Site, totals: &CountyTotals) -> Context {
    let mut c = Context::new();
    let region = if site.config.portal.region.is_empty() {
        "全县".to_string()
    } else {
        site.config.portal.region.clone()
    };
    c.insert("page_title", &format!("{region}历年汇总"));
    c.insert("region", &region);
    c.insert("county", &compare_view::county_view(&region, totals));
    let named = &site.config.portal.region;
    c.insert("totals_csv_name", &save_name(&[named, "历年合计"], "csv"));
    c.insert("totals_json_name", &save_name(&[named, "历年合计"], "json"));
    c.insert("figures", &super::headline::county_tables(site));
    c
}

#[derive(Debug, Serialize)]
struct CellEntry {
    id: String,
    label: String,
    unit: String,
    flags: String,
}

#[derive(Debug, Serialize)]
struct FormatEntry {
    id: String,
    short: String,
    name: String,
    edition: String,
    years: String,
    cells: Vec<CellEntry>,
}

#[derive(Debug, Serialize)]
struct SourceEntry {
    format: String,
    ids: String,
    grade: String,
    note: String,
}

#[derive(Debug, Serialize)]
struct IndicatorEntry {
    id: String,
    label: String,
    unit: String,
    key: bool,
    sources: Vec<SourceEntry>,
}

/// The data page: downloads and the data dictionary (every id, label, unit and format).
pub(crate) fn data_index(site: &Site) -> Context {
    let mut c = Context::new();
    c.insert("page_title", "数据下载与指标说明");
    let region = &site.config.portal.region;
    c.insert("all_csv_name", &save_name(&[region, "全部数据"], "csv"));
    c.insert("all_json_name", &save_name(&[region, "全部数据"], "json"));
    c.insert("totals_csv_name", &save_name(&[region, "历年合计"], "csv"));
    c.insert(
        "totals_json_name",
        &save_name(&[region, "历年合计"], "json"),
    );
    c.insert(
        "report_count",
        &site.reports.iter().filter(|r| r.stats.is_some()).count(),
    );
    let formats: Vec<FormatEntry> = schema::formats()
        .iter()
        .map(|f| FormatEntry {
            id: f.id.clone(),
            short: compare_view::format_short(&f.id),
            name: f.name.clone(),
            edition: f.edition.clone(),
            years: if f.years.1 >= 9999 {
                format!("{} 年度起", f.years.0)
            } else {
                format!("{}–{} 年度", f.years.0, f.years.1)
            },
            cells: f
                .cells
                .iter()
                .map(|cell| {
                    let mut flags = Vec::new();
                    if cell.heading {
                        flags.push("标题行");
                    }
                    if cell.decimal {
                        flags.push("可有小数");
                    }
                    if cell.signed {
                        flags.push("可为负数");
                    }
                    CellEntry {
                        id: cell.id.clone(),
                        label: cell.label.clone(),
                        unit: cell.unit.clone(),
                        flags: flags.join("、"),
                    }
                })
                .collect(),
        })
        .collect();
    c.insert("formats", &formats);
    let indicators: Vec<IndicatorEntry> = compare::indicators()
        .iter()
        .map(|i| IndicatorEntry {
            id: i.id.clone(),
            label: i.label.clone(),
            unit: i.unit.clone(),
            key: i.key,
            sources: schema::formats()
                .iter()
                .map(|f| match i.source(f) {
                    Some(s) => SourceEntry {
                        format: compare_view::format_short(&f.id),
                        ids: s
                            .cells
                            .iter()
                            .map(|&k| f.cells[k].id.as_str())
                            .collect::<Vec<_>>()
                            .join(" + "),
                        grade: s.grade.symbol().to_string(),
                        note: s.note.clone().unwrap_or_default(),
                    },
                    None => SourceEntry {
                        format: compare_view::format_short(&f.id),
                        ids: String::new(),
                        grade: "—".to_string(),
                        note: String::new(),
                    },
                })
                .collect(),
        })
        .collect();
    c.insert("indicators", &indicators);
    c
}

#[derive(Debug, Serialize)]
struct TownshipView {
    name: String,
    kind: String,
    code: String,
    slug: String,
}

#[derive(Debug, Serialize)]
struct TownshipReport {
    year: u16,
    title: String,
    href: String,
    published: String,
    generated: String,
    format: String,
}

/// A township page: every year's report with its dates, and `cmp`, the township's comparison.
///
/// `with_groups`: whether the comparison's rows go into the context as data beside the drawn
/// body ([`crate::theme::Theme::draws_compare_groups`]).
pub(crate) fn township(
    site: &Site,
    index: usize,
    cmp: &TownshipComparison,
    with_groups: bool,
) -> Context {
    let t = &site.townships[index];
    let mut c = Context::new();
    c.insert("page_title", &t.name);
    c.insert(
        "record",
        &crate::render::audit::township_record(site, index),
    );
    c.insert(
        "township",
        &TownshipView {
            name: t.name.clone(),
            kind: t.kind.clone(),
            code: t.code.clone().unwrap_or_default(),
            slug: t.slug.clone(),
        },
    );
    let reports: Vec<TownshipReport> = site
        .reports_of_township(&t.slug)
        .map(|r| TownshipReport {
            year: r.year,
            title: r.meta.title.clone(),
            href: urls::report(r.year, &r.township),
            published: r.meta.published_text(),
            generated: r.meta.generated.map(|d| d.to_string()).unwrap_or_default(),
            format: r
                .stats
                .as_ref()
                .map_or_else(|| "无统计表".to_string(), |s| s.format.name.clone()),
        })
        .collect();
    c.insert("reports", &reports);
    // A one-year archive has nothing to compare across years to download.
    let has_data = !cmp.rows.is_empty() && site.archive_of.is_none();
    c.insert(
        "compare",
        &compare_view::township_view(&t.slug, &t.name, cmp, with_groups),
    );
    let downloads: Vec<Download> = if has_data {
        [
            (DataKind::Xlsx, "历年对比（Excel）"),
            (DataKind::Csv, "历年对比（CSV）"),
        ]
        .into_iter()
        .map(|(kind, text)| Download {
            text: text.to_string(),
            kind: kind_name(kind),
            href: urls::township_data(&t.slug, kind),
            name: save_name(&[&t.name, "历年对比"], kind.extension()),
        })
        .collect()
    } else {
        Vec::new()
    };
    c.insert("downloads", &downloads);
    c
}

#[derive(Debug, Serialize)]
struct Field {
    label: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
struct AttachmentView {
    href: String,
    name: String,
    title: String,
    size: String,
    kind: String,
    extension: String,
}

/// A rule finding as the report page explains it to a reader.
#[derive(Debug, Serialize)]
struct FindingView {
    /// In plain words: what should hold, and what the table says.
    plain: String,
    /// The rule and its exact figures, for those who check.
    rule: String,
}

fn finding_view(f: &crate::site::RuleFinding) -> FindingView {
    let blanks = if f.blanks > 0 {
        format!("（有 {} 个空白格未计入）", f.blanks)
    } else {
        String::new()
    };
    let (how, why) = if f.soft {
        ("按常理", "这条关系通常成立但也可能有例外，请以原表为准")
    } else {
        ("按官方表格的定义", "这通常是原表填报的笔误")
    };
    FindingView {
        plain: format!(
            "表中几个数字之间对不上：{how}，{}；原表中一边合计为 {}，另一边为 {}{blanks}。{why}，本站照原表登载，未作改动。",
            f.title.trim_end_matches('。'),
            crate::site::figure::text(f.left),
            crate::site::figure::text(f.right),
        ),
        rule: f.message.clone(),
    }
}

#[derive(Debug, Serialize)]
struct StatsView {
    format_id: String,
    format_name: String,
    edition: String,
    tables: Vec<TableHtml>,
    findings: Vec<FindingView>,
}

/// A report page: metadata block, narrative, official table, footer, attachments.
pub fn report(site: &Site, index: usize) -> Context {
    let r = &site.reports[index];
    let township = site.township(&r.township);
    let m = &r.meta;
    let mut c = Context::new();
    c.insert("page_title", &m.title);
    c.insert("title", &m.title);
    c.insert("year", &r.year);
    c.insert(
        "township",
        &Link {
            text: township.map_or_else(|| r.township.clone(), |t| t.name.clone()),
            href: urls::township(&r.township),
        },
    );
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let meta = vec![
        Field {
            label: "索引号",
            value: opt(&m.index_no),
        },
        Field {
            label: "发布机构",
            value: m.publisher.clone(),
        },
        Field {
            label: "公开范围",
            value: opt(&m.scope),
        },
        Field {
            label: "生成日期",
            value: m.generated.map(|d| d.to_string()).unwrap_or_default(),
        },
        Field {
            label: "公开日期",
            value: m.published_text(),
        },
        Field {
            label: "公开方式",
            value: opt(&m.channel),
        },
    ];
    c.insert(
        "meta",
        &meta
            .into_iter()
            .filter(|f| !f.value.is_empty())
            .collect::<Vec<_>>(),
    );
    c.insert("source_url", &opt(&m.source_url));
    let narrative = markdown::render(&r.narrative);
    c.insert("narrative_html", &narrative.html);
    c.insert("toc", &narrative.headings);
    let form = m.form.clone().unwrap_or_default();
    let footer: Vec<Field> = vec![
        Field {
            label: "填报单位(盖章)",
            value: opt(&form.fill_unit),
        },
        Field {
            label: "单位负责人",
            value: opt(&form.unit_head),
        },
        Field {
            label: "审核人",
            value: opt(&form.reviewer),
        },
        Field {
            label: "填报人",
            value: opt(&form.filler),
        },
        Field {
            label: "联系电话",
            value: opt(&form.phone),
        },
        Field {
            label: "填报日期",
            value: form.filled.map(|d| d.to_string()).unwrap_or_default(),
        },
    ];
    c.insert(
        "form",
        &footer
            .into_iter()
            .filter(|f| !f.value.is_empty())
            .collect::<Vec<_>>(),
    );
    c.insert("stats", &stats_view(r));
    let attachments: Vec<AttachmentView> = r
        .attachments
        .iter()
        .map(|a| {
            let name = a.path.rsplit('/').next().unwrap_or(&a.path).to_string();
            let extension = name
                .rsplit_once('.')
                .map(|(_, e)| e.to_lowercase())
                .unwrap_or_default();
            AttachmentView {
                href: urls::href(&urls::attachment(r.year, &r.township, &a.path)),
                title: a.title.clone().unwrap_or_else(|| name.clone()),
                name,
                size: human_size(a.size),
                kind: file_kind(&extension).to_string(),
                extension,
            }
        })
        .collect();
    c.insert("attachments", &attachments);
    let downloads: Vec<Download> = if r.stats.is_some() {
        let name = site.township_name(&r.township);
        let year = r.year.to_string();
        [
            (DataKind::Xlsx, "统计表（Excel）"),
            (DataKind::Csv, "统计表（CSV）"),
            (DataKind::Json, "统计表（JSON）"),
        ]
        .into_iter()
        .map(|(kind, text)| Download {
            text: text.to_string(),
            kind: kind_name(kind),
            href: urls::report_data(r.year, &r.township, kind),
            name: save_name(&[name, &year, "统计表"], kind.extension()),
        })
        .collect()
    } else {
        Vec::new()
    };
    c.insert("downloads", &downloads);
    let others: Vec<Link> = site
        .reports_of_township(&r.township)
        .filter(|o| o.year != r.year)
        .map(|o| Link {
            text: format!("{}年度", o.year),
            href: urls::report(o.year, &o.township),
        })
        .collect();
    c.insert("other_years", &others);
    c
}

fn stats_view(r: &Report) -> Option<StatsView> {
    r.stats.as_ref().map(|s| StatsView {
        format_id: s.format.id.clone(),
        format_name: s.format.name.clone(),
        edition: s.format.edition.clone(),
        tables: super::table::tables_html(s),
        findings: s.findings.iter().map(finding_view).collect(),
    })
}

/// What a report's embed shows: its title and official table, without the narrative, whose
/// Markdown is the costly part of a report page. The values are those of [`report`] under the
/// same keys ([`REPORT_TABLE_KEYS`]), so that an embed can also take them from its page's context.
pub(crate) fn report_table(site: &Site, index: usize) -> Context {
    let r = &site.reports[index];
    let mut c = Context::new();
    c.insert("page_title", &r.meta.title);
    c.insert("title", &r.meta.title);
    c.insert("year", &r.year);
    c.insert("stats", &stats_view(r));
    c
}

/// The keys of [`report_table`]'s context.
pub(crate) const REPORT_TABLE_KEYS: [&str; 4] = ["page_title", "title", "year", "stats"];

/// `1.2 MB`, `34.5 KB`, `812 字节`.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} 字节")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

/// A Chinese name for a file type, from its extension.
pub(crate) fn file_kind(extension: &str) -> &'static str {
    match extension {
        "pdf" => "PDF 文档",
        "doc" | "docx" | "wps" => "Word 文档",
        "xls" | "xlsx" | "et" | "csv" => "Excel 表格",
        "txt" => "文本文件",
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" => "图片",
        "zip" | "rar" | "7z" => "压缩包",
        "htm" | "html" => "网页",
        "ofd" => "OFD 文档",
        _ => "文件",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_names_say_what_the_file_is_and_suit_windows() {
        assert_eq!(
            save_name(&["北景港镇", "2018", "统计表"], "csv"),
            "北景港镇-2018-统计表.csv"
        );
        assert_eq!(
            save_name(&["", "全部数据"], "json"),
            "全部数据.json",
            "no region, no dash"
        );
        assert_eq!(
            save_name(&["A/B:镇?", "历年对比"], "xlsx"),
            "A_B_镇_-历年对比.xlsx"
        );
    }

    #[test]
    fn sizes_are_human() {
        assert_eq!(human_size(812), "812 字节");
        assert_eq!(human_size(10_457), "10.2 KB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MB");
    }
}
