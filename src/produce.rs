//! Producing a planned file: the one function from (planned file, site, theme) to the file's
//! content. Pages come from [`crate::render`], data files from [`crate::export`], search files
//! from [`crate::search`], copies are named, not read. Writing is the publish layer's job.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::export;
use crate::export::{data, xlsx::compare as xlsx_compare, xlsx::template as xlsx_template};
use crate::plan::{Content, DataKind, Embedded, PlannedFile, Target, plan, urls};
use crate::render::{self, StaticFile, Theme, embed, feeds, pages, qr};
use crate::search;
use crate::site::Site;
use crate::site::compare::{TownshipComparison, township_comparison};
use crate::site::totals::{CountyTotals, county_totals};

/// Produces the planned files of one site with one theme: every output is a function of the
/// planned file, the site, the theme and the sizes of the year archives (which year pages show).
pub struct Producer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    shared: pages::Shared,
    /// Built by the first shard produced, shared by the others.
    search: std::sync::OnceLock<search::SearchIndex>,
    archive_sizes: BTreeMap<u16, u64>,
    /// Each year's lists, computed by the first of its pages, shared by the others.
    year_lists: BTreeMap<u16, std::sync::OnceLock<pages::YearLists>>,
    /// The audit, computed by the first of its pages.
    audit: std::sync::OnceLock<crate::site::audit::Audit>,
    /// The county totals, computed by the first of the county page, its embed and its data files.
    county_totals: std::sync::OnceLock<CountyTotals>,
    /// The embeds' inline style and script, made by the first embed.
    embed_inline: std::sync::OnceLock<Result<embed::Inline, Diagnostic>>,
    /// Townships' comparisons lately computed: a township's page, CSV and workbook are planned
    /// one after another and each needs the same comparison.
    recent_comparisons: RecentComparisons,
}

/// A few townships' comparisons, by township index, for the files produced next to each other.
#[derive(Default)]
struct RecentComparisons(std::sync::Mutex<HashMap<usize, Arc<TownshipComparison>>>);

impl RecentComparisons {
    /// How many are kept at most: enough for every thread's current township.
    const KEPT: usize = 64;

    /// The comparison of township `i` of `site`, computed unless it was lately.
    fn get(&self, site: &Site, i: usize) -> Arc<TownshipComparison> {
        if let Some(known) = self.0.lock().ok().and_then(|m| m.get(&i).cloned()) {
            return known;
        }
        let computed = Arc::new(township_comparison(site, &site.townships[i].slug));
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= Self::KEPT {
                m.clear();
            }
            m.insert(i, Arc::clone(&computed));
        }
        computed
    }
}

impl<'a> Producer<'a> {
    /// Prepare what every page shares (navigation, site settings) once.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        Producer {
            site,
            theme,
            shared: pages::Shared::new(site),
            search: std::sync::OnceLock::new(),
            archive_sizes: Default::default(),
            year_lists: site
                .years()
                .into_iter()
                .map(|y| (y, std::sync::OnceLock::new()))
                .collect(),
            audit: std::sync::OnceLock::new(),
            county_totals: std::sync::OnceLock::new(),
            embed_inline: std::sync::OnceLock::new(),
            recent_comparisons: RecentComparisons::default(),
        }
    }

    /// The county totals of the site, computed once.
    fn county_totals(&self) -> &CountyTotals {
        self.county_totals.get_or_init(|| county_totals(self.site))
    }

    /// The embeds' inline style and script.
    fn embed_inline(&self) -> Result<&embed::Inline, Diagnostic> {
        self.embed_inline
            .get_or_init(|| embed::Inline::new(self.theme))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The page of report `i` at `file` with its embed (for a full build, which writes both),
    /// from one context (narrative, tables, QR code). The page is the one its year archive
    /// takes as it is ([`pages::Shared::insert_leaving`]).
    pub(crate) fn report_set(&self, file: &PlannedFile, i: usize) -> Result<ReportSet, Diagnostic> {
        let mut context = self.with_qr(pages::report(self.site, i), file);
        let embed_path = urls::embed(&file.path);
        let embed_context = embed::report_context(
            self.site,
            self.embed_inline()?,
            &self.shared,
            i,
            &embed_path,
            &context,
        );
        let embed = self.theme.render("embed.html", &embed_context)?;
        drop(embed_context);
        self.shared.insert_into(&mut context, &file.path);
        self.shared.insert_leaving(&mut context);
        self.insert_embed_code(&mut context, file);
        let live = self.theme.render("report.html", &context)?;
        Ok(ReportSet {
            live,
            embed: (embed_path, embed),
        })
    }

    /// The page of township `i` at `file` and its embed, from one context (no archive copy).
    pub(crate) fn township_set(
        &self,
        file: &PlannedFile,
        i: usize,
    ) -> Result<ReportSet, Diagnostic> {
        let page = self.township_page(i);
        let embed_path = urls::embed(&file.path);
        let embed_context = embed::township_context(
            self.site,
            self.embed_inline()?,
            &self.shared,
            i,
            &embed_path,
            &page,
        );
        let embed = self.theme.render("embed.html", &embed_context)?;
        drop(embed_context);
        let mut context = self.with_qr(page, file);
        self.shared.insert_into(&mut context, &file.path);
        self.insert_embed_code(&mut context, file);
        let live = self.theme.render("township.html", &context)?;
        Ok(ReportSet {
            live,
            embed: (embed_path, embed),
        })
    }

    /// The context of township `i`'s page, with the rows of its comparison as data when the
    /// theme draws them itself.
    fn township_page(&self, i: usize) -> tera::Context {
        let cmp = self.recent_comparisons.get(self.site, i);
        pages::township(self.site, i, &cmp, self.theme.draws_compare_groups)
    }

    /// The sizes of the year archives already written, shown beside their links on year pages
    /// (a build writes the archives first; `check` and `serve` show the links without sizes).
    pub(crate) fn set_archive_sizes(&mut self, sizes: BTreeMap<u16, u64>) {
        self.archive_sizes = sizes;
    }

    /// The theme.
    pub(crate) fn theme(&self) -> &'a Theme {
        self.theme
    }

    /// The site being rendered.
    pub(crate) fn site(&self) -> &'a Site {
        self.site
    }

    /// Use `index` as the site's search index instead of building it at the first shard (serve
    /// builds it beforehand, in a way a save can interrupt).
    pub fn set_search(&mut self, index: search::SearchIndex) {
        let _ = self.search.set(index);
    }

    /// The content of one planned file.
    pub fn produce(&self, file: &PlannedFile) -> Result<Content, Diagnostic> {
        let page = |template: &str, context: tera::Context| -> Result<Content, Diagnostic> {
            let mut context = context;
            self.shared.insert_into(&mut context, &file.path);
            self.insert_embed_code(&mut context, file);
            self.theme.render(template, &context).map(Content::Bytes)
        };
        let site = self.site;
        match &file.target {
            Target::Home => page("index.html", pages::home(site)),
            Target::Year(year, n) => {
                let lists =
                    self.year_lists[year].get_or_init(|| pages::YearLists::new(site, *year));
                let mut c = pages::year(site, *year, *n, lists);
                if site.archive_of.is_none() {
                    pages::insert_archive(
                        &mut c,
                        &site.config.portal.region,
                        *year,
                        self.archive_sizes.get(year).copied(),
                    );
                }
                page("year.html", c)
            }
            Target::Township(i) => {
                page("township.html", self.with_qr(self.township_page(*i), file))
            }
            Target::Report(i) => {
                // As `page`, with the links that leave the year absolute (as `report_set`).
                let mut context = self.with_qr(pages::report(site, *i), file);
                self.shared.insert_into(&mut context, &file.path);
                self.shared.insert_leaving(&mut context);
                self.insert_embed_code(&mut context, file);
                self.theme
                    .render("report.html", &context)
                    .map(Content::Bytes)
            }
            Target::NotFound => page("404.html", pages::not_found()),
            Target::County => page("county.html", pages::county(site, self.county_totals())),
            Target::CountyTotals(kind) => Ok(Content::Bytes(match kind {
                DataKind::Json => export::totals::json(site, self.county_totals()),
                _ => export::totals::csv(site, self.county_totals()),
            })),
            Target::DataIndex => page("data.html", pages::data_index(site)),
            Target::YearFigures(year, kind) => Ok(Content::Bytes(match kind {
                DataKind::Xlsx => {
                    export::figures::xlsx(site, *year).map_err(|e| xlsx_error(&file.path, &e))?
                }
                _ => export::figures::csv(site, *year),
            })),
            Target::Audit(n) => {
                let audit = self.audit.get_or_init(|| crate::site::audit::audit(site));
                page("audit.html", render::audit::page(site, *n, audit))
            }
            Target::TownshipList(n) => page("townships.html", pages::township_list(site, *n)),
            Target::AuditData(kind) => {
                let audit = self.audit.get_or_init(|| crate::site::audit::audit(site));
                Ok(Content::Bytes(match kind {
                    DataKind::Xlsx => {
                        export::audit::xlsx(site, audit).map_err(|e| xlsx_error(&file.path, &e))?
                    }
                    _ => export::audit::csv(site, audit),
                }))
            }
            Target::Portal => {
                let audit = self.audit.get_or_init(|| crate::site::audit::audit(site));
                Ok(Content::Bytes(export::portal::json(site, audit)))
            }
            Target::FormatDictionary(i) => Ok(Content::Bytes(export::data::dictionary_json(
                &crate::schema::formats()[*i],
            ))),
            Target::AllData(kind) => Ok(Content::CountyFile {
                json: *kind == DataKind::Json,
            }),
            Target::ReportData(i, kind) => {
                report_data(site, *i, *kind).map_err(|e| xlsx_error(&file.path, &e))
            }
            Target::TownshipData(i, kind) => {
                let cmp = self.recent_comparisons.get(site, *i);
                township_data(site, *i, &cmp, *kind).map_err(|e| xlsx_error(&file.path, &e))
            }
            Target::Static(name) => Ok(match &self.theme.statics[name] {
                // The default theme's scripts and style sheet minified: a reader downloads
                // search.js and style.css with every search page (half their bytes are comments
                // and spaces).
                StaticFile::Embedded(bytes) => match crate::theme::lean(name, bytes) {
                    Some(lean) => Content::Bytes(lean),
                    None => Content::Embedded(bytes),
                },
                StaticFile::Disk(path) => Content::Copy(path.clone()),
            }),
            Target::Attachment(r, a) => Ok(Content::Copy(
                site.reports[*r].attachments[*a].source.clone(),
            )),
            Target::SearchPage => page("search.html", pages::search()),
            Target::SearchDocs => Ok(Content::Bytes(search::docs_js(site).into_bytes())),
            Target::SearchFold => Ok(Content::Bytes(search::fold_file().into_bytes())),
            Target::SearchFoldBlock(block) => {
                Ok(Content::Bytes(search::fold_block_js(*block).into_bytes()))
            }
            Target::SearchLabels(id) => Ok(Content::Bytes(
                crate::schema::format(id)
                    .map(search::labels_js)
                    .unwrap_or_default()
                    .into_bytes(),
            )),
            Target::SearchShard(n) => {
                let index = self.search.get_or_init(|| search::build(site));
                Ok(Content::Bytes(index.shard(*n).as_bytes().to_vec()))
            }
            Target::SearchText(i) => Ok(Content::Bytes(
                search::text_js(&site.reports[*i]).into_bytes(),
            )),
            Target::SearchTextRest(rest) => Ok(Content::Bytes(
                search::rest_js(&site.reports[rest.report], rest.part).into_bytes(),
            )),
            Target::SearchTowns(chunk) => {
                Ok(Content::Bytes(search::towns_js(site, *chunk).into_bytes()))
            }
            Target::Feed => Ok(Content::Bytes(feeds::atom(site))),
            Target::Sitemap(part) => Ok(Content::Bytes(feeds::sitemap(
                site,
                &plan(site, self.theme),
                *part,
            ))),
            Target::Archive(year) => Ok(Content::Archive(*year)),
            Target::Embed(e) => {
                let lists = match e {
                    Embedded::Year(y, _) => {
                        Some(self.year_lists[y].get_or_init(|| pages::YearLists::new(site, *y)))
                    }
                    _ => None,
                };
                let c = embed::context(
                    site,
                    self.embed_inline()?,
                    &self.shared,
                    *e,
                    &file.path,
                    embed::Computed {
                        year_lists: lists,
                        county_totals: (*e == Embedded::County).then(|| self.county_totals()),
                    },
                    self.theme.draws_compare_groups,
                );
                self.theme.render("embed.html", &c).map(Content::Bytes)
            }
            Target::PluginPage(i) => page("page.html", pages::plugin_page(site, *i)),
            Target::PluginSearchText(i) => {
                Ok(Content::Bytes(search::page_text_js(site, *i).into_bytes()))
            }
        }
    }

    /// The 嵌入本表 code of a page that has an embed (the live site's: an archive's pages hide it).
    fn insert_embed_code(&self, context: &mut tera::Context, file: &PlannedFile) {
        if let Some(e) = Embedded::of(&file.target) {
            context.insert("embed", &embed::code(self.site, e, &file.path));
        }
    }

    /// Add the QR code of the page's published address (a township page's is drawn once for
    /// the live site and the year archives).
    fn with_qr(&self, mut context: tera::Context, file: &PlannedFile) -> tera::Context {
        let url = urls::absolute(&self.site.config.base_url, &file.path);
        let svg = match file.target {
            Target::Township(_) => qr::svg_remembered(&url),
            _ => qr::svg(&url),
        };
        context.insert("qr_svg", &svg);
        context
    }
}

/// A page, its archive copy and its embed ([`Producer::report_set`], [`Producer::township_set`]).
pub(crate) struct ReportSet {
    /// The live page.
    pub(crate) live: Vec<u8>,
    /// The embed's path and bytes.
    pub(crate) embed: (String, Vec<u8>),
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
        DataKind::Csv => data::stats_csv(
            &report.township,
            site.township_name(&report.township),
            report.year,
            stats,
        ),
        DataKind::Json => data::stats_json(site, report, stats),
        DataKind::Xlsx => xlsx_template::stats_xlsx(report, stats)?,
    }))
}

fn township_data(
    site: &Site,
    index: usize,
    cmp: &TownshipComparison,
    kind: DataKind,
) -> Result<Content, rust_xlsxwriter::XlsxError> {
    let township = &site.townships[index];
    Ok(Content::Bytes(match kind {
        DataKind::Xlsx => {
            let newest = site
                .reports_of_township(&township.slug)
                .map(|r| r.meta.file_date())
                .max();
            let created = newest.unwrap_or_default();
            xlsx_compare::compare_xlsx(
                &format!("{}历年政府信息公开统计对比", township.name),
                created,
                cmp,
            )?
        }
        _ => data::compare_csv(&township.slug, &township.name, cmp),
    }))
}

fn xlsx_error(path: &str, e: &rust_xlsxwriter::XlsxError) -> Diagnostic {
    Diagnostic::error("output.xlsx", path, format!("无法生成 Excel 文件：{e}"))
}
