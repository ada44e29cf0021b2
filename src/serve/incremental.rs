//! Incremental rebuilds for `serve`: the loaded site stays in memory; a change reloads only the
//! files that changed and re-renders only the output files that depend on them.
//!
//! Correctness rule: the output after any sequence of incremental rebuilds is byte-identical to a
//! fresh full build of the same sources (a test checks it). Every output file's hash is kept, so a
//! re-rendered file whose bytes did not change is not rewritten, and files no longer planned are
//! deleted — nothing stale remains.
//!
//! serve's background pass ([`Workspace::flush_deferred`]: county downloads, search, year
//! archives, overview pages) gives way to a save: it checks the pre-emption flag between files
//! (and inside a year archive and the search index, which take seconds on a large site), stops
//! with every file it wrote whole and recorded, and is run again for what is still stale.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{self, Failure, Options};
use crate::content::{self, CONTENT_DIR, INTRO_FILE, parse_year};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::linkcheck::SourceLinks;
use crate::plan::{self, PlannedFile, Target};
use crate::produce::Producer;
use crate::publish::in_place::{self, InMemory};
use crate::publish::sink;
use crate::publish::staging::Staging;
use crate::site::{Report, Site};
use crate::theme::Theme;

/// The hash of every file written to the preview, by path.
type Hashes = HashMap<String, u64, foldhash::fast::RandomState>;

/// What a change touches, from the cheapest to the most expensive rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Nothing nianbao reads.
    Nothing,
    /// Report folders `(year, slug)`.
    Reports(BTreeSet<(u16, String)>),
    /// Templates or static files: re-render pages without re-reading content.
    Theme,
    /// Settings, the township registry, introductions: reload everything.
    Full,
}

/// More changed paths than this in one batch (a git checkout, a copied year) rebuild everything.
const FLOOD: usize = 64;

/// Classify changed paths (absolute, or relative to `root`).
pub(super) fn classify(root: &Path, paths: &[PathBuf]) -> Scope {
    if paths.len() > FLOOD {
        return Scope::Full;
    }
    let mut reports = BTreeSet::new();
    let mut theme = false;
    for path in paths {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        match parts
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["site.toml"] => return Scope::Full,
            ["themes" | "templates" | "static", ..] => theme = true,
            [CONTENT_DIR, year, slug, ..] if parse_year(year).is_some() && *slug != INTRO_FILE => {
                if let Some(y) = parse_year(year) {
                    reports.insert((y, slug.to_string()));
                }
            }
            [CONTENT_DIR, ..] => return Scope::Full,
            _ => {}
        }
    }
    match (theme, reports.is_empty()) {
        (true, _) if !reports.is_empty() => Scope::Full,
        (true, _) => Scope::Theme,
        (false, false) => Scope::Reports(reports),
        (false, true) => Scope::Nothing,
    }
}

/// Whether a changed path is one a plugin might read: not inside a hidden folder (`.git/`).
fn visible(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    !rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// The outcome of one rebuild.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    /// Output files rendered.
    pub rendered: usize,
    /// Output files whose bytes changed and were written.
    pub written: usize,
    /// Stale output files removed.
    pub removed: usize,
    /// Whether everything was reloaded.
    pub full: bool,
    /// Warnings of the reloaded content.
    pub warnings: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// The HTML pages written, by output path (serve reloads the browsers showing them).
    pub pages: Vec<String>,
}

struct State {
    site: Site,
    theme: Theme,
    hashes: Hashes,
    /// The plan of the last rebuild, reused while no report, township or attachment appears or
    /// disappears.
    plan: Option<KeptPlan>,
}

/// A plan kept from the last rebuild.
struct KeptPlan {
    files: Vec<PlannedFile>,
    /// Whether every file of the plan has a hash in [`State::hashes`] (established after the
    /// reload, in [`Workspace::flush_deferred`]): a save then looks up no path among tens of
    /// thousands, which cost a 10,000-report save about 10 ms.
    all_written: bool,
}

/// A site kept in memory and its output directory, updated incrementally.
pub struct Workspace {
    root: PathBuf,
    out: PathBuf,
    options: Options,
    state: Option<State>,
    /// Leave `/data/all.*` and the search shards for [`Workspace::flush_deferred`] (serve: reload
    /// first).
    defer_aggregates: bool,
    pending_aggregates: bool,
    /// Years whose deferred archive (and figures downloads) are still to be written.
    pending_archives: BTreeSet<u16>,
    /// The first build wrote only the pages: downloads, search, embeds, feeds and archives
    /// are still to be written by [`Workspace::flush_deferred`].
    completing: bool,
    hashes_scratch: Hashes,
    /// Sizes of the year archives written, shown on the year pages.
    archive_sizes: BTreeMap<u16, u64>,
    /// The warnings of the content as it now is (serve shows them in the page).
    warnings: Diagnostics,
    /// Set when serve stops: a rebuild in progress renders nothing more, so that the preview
    /// folder can be removed without a writer recreating it.
    stop: Arc<AtomicBool>,
    /// Raised when a save is waiting: the background pass stops at its next file.
    preempt: Arc<AtomicBool>,
    /// True while the background pass ([`Workspace::flush_deferred`]) runs: only it gives way to
    /// a save.
    background: bool,
    /// The output files a save left stale for the background pass (rewritten atomically: their
    /// previous bytes stay whole until then).
    stale: std::collections::HashSet<String>,
    /// Test hook (`NIANBAO_SLOW_BACKGROUND=<ms>`): each file of the background pass waits this
    /// long first, so that a test can save during a long pass on a small site.
    slow: Option<Duration>,
}

/// The code of a pass given up because serve stops.
const STOPPED: &str = "serve.stopped";
/// The code of a background pass given up for a save.
const PREEMPTED: &str = "serve.preempted";

/// What ends a pass before its end: serve stopping, or a save pre-empting the background pass.
#[derive(Clone)]
struct Interrupt {
    stop: Arc<AtomicBool>,
    /// `None` for a save's own pass, which nothing pre-empts.
    preempt: Option<Arc<AtomicBool>>,
    /// [`Workspace::slow`] in the background pass.
    delay: Option<Duration>,
}

/// A flag never raised.
static NEVER: AtomicBool = AtomicBool::new(false);

impl Interrupt {
    /// The code of the reason to stop, if there is one now.
    fn raised(&self) -> Option<&'static str> {
        if self.stop.load(Ordering::Relaxed) {
            return Some(STOPPED);
        }
        if self
            .preempt
            .as_ref()
            .is_some_and(|p| p.load(Ordering::Relaxed))
        {
            return Some(PREEMPTED);
        }
        None
    }

    /// An error instead of rendering `path` when the pass is to stop.
    fn check(&self, path: &str) -> Result<(), Diagnostic> {
        if let Some(delay) = self.delay
            && self.raised().is_none()
        {
            std::thread::sleep(delay);
        }
        match self.raised() {
            Some(code) => Err(given_up(code, path)),
            None => Ok(()),
        }
    }

    /// The flags, for the writers that give up at their next write.
    fn flags(&self) -> [&AtomicBool; 2] {
        [&self.stop, self.preempt.as_deref().unwrap_or(&NEVER)]
    }
}

/// The diagnostic of `path` not made because the pass stopped for `code`.
fn given_up(code: &'static str, path: &str) -> Diagnostic {
    let message = if code == STOPPED {
        "预览已停止，未生成此文件"
    } else {
        "有新的保存，此文件稍后生成"
    };
    Diagnostic::error(code, path.to_string(), message.to_string())
}

/// Whether `errors` say only that a pass was given up (serve stopping or a save coming): what it
/// wrote is whole and recorded, the site is kept, and the pass can run again.
pub fn given_up_only(errors: &Diagnostics) -> bool {
    !errors.is_empty()
        && errors
            .iter()
            .all(|d| d.code == STOPPED || d.code == PREEMPTED)
}

impl Workspace {
    /// A workspace for the site at `root`, writing into `out`.
    pub fn new(root: &Path, out: &Path, options: Options) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options,
            state: None,
            defer_aggregates: false,
            pending_aggregates: false,
            pending_archives: BTreeSet::new(),
            completing: false,
            hashes_scratch: Hashes::default(),
            archive_sizes: BTreeMap::new(),
            warnings: Diagnostics::new(),
            stop: Arc::default(),
            preempt: Arc::default(),
            background: false,
            stale: Default::default(),
            slow: std::env::var("NIANBAO_SLOW_BACKGROUND")
                .ok()
                .and_then(|ms| ms.parse().ok())
                .map(Duration::from_millis),
        }
    }

    /// The flag that stops a rebuild in progress (serve sets it when it stops).
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// The flag that makes the background pass give way to a save (serve's watcher raises it
    /// when a change comes, and clears it once the save holds the workspace).
    pub fn preempt_flag(&self) -> Arc<AtomicBool> {
        self.preempt.clone()
    }

    /// The output files a save left stale until the background pass rewrites them.
    pub fn stale_paths(&self) -> std::collections::HashSet<String> {
        self.stale.clone()
    }

    fn interrupt(&self) -> Interrupt {
        Interrupt {
            stop: self.stop.clone(),
            preempt: self.background.then(|| self.preempt.clone()),
            delay: self.slow.filter(|_| self.background),
        }
    }

    /// The warnings of the content as it was last loaded, sorted.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// Defer the county-wide data files (`/data/all.csv`, `/data/all.json`) of incremental
    /// rebuilds until [`Workspace::flush_deferred`], so that the browser reloads first.
    pub fn defer_aggregates(&mut self, defer: bool) {
        self.defer_aggregates = defer;
    }

    /// The output directory.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Reload everything and bring the output up to date.
    pub fn rebuild_all(&mut self) -> Result<Rebuilt, Diagnostics> {
        let start = Instant::now();
        let loaded = build::load(&self.root, &self.options).map_err(failure_diagnostics)?;
        let warnings = loaded.diagnostics.warning_count();
        self.warnings = loaded.diagnostics.clone();
        let previous = self.state.take().map(|s| s.hashes).unwrap_or_default();
        let mut rebuilt =
            self.render_and_write(loaded.site, loaded.theme, previous, None, &|_| true)?;
        rebuilt.full = true;
        rebuilt.warnings = warnings;
        rebuilt.elapsed = start.elapsed();
        Ok(rebuilt)
    }

    /// Apply a batch of changed paths.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Rebuilt, Diagnostics> {
        let start = Instant::now();
        let scope = classify(&self.root, paths);
        let Some(state) = self.state.take() else {
            return self.rebuild_all();
        };
        // A plugin's input is the whole site and it may read any file: any change reruns them.
        if !state.site.config.plugins.is_empty() && paths.iter().any(|p| visible(&self.root, p)) {
            self.state = Some(state);
            return self.rebuild_all();
        }
        let result = match scope {
            Scope::Nothing => {
                self.state = Some(state);
                return Ok(Rebuilt {
                    elapsed: start.elapsed(),
                    ..Rebuilt::default()
                });
            }
            Scope::Full => {
                self.state = Some(state);
                return self.rebuild_all();
            }
            Scope::Theme => self.apply_theme(state),
            Scope::Reports(reports) => self.apply_reports(state, &reports),
        };
        result.map(|mut r| {
            r.elapsed = start.elapsed();
            r
        })
    }

    fn apply_theme(&mut self, state: State) -> Result<Rebuilt, Diagnostics> {
        let theme = match Theme::load(&self.root, &state.site.config.theme) {
            Ok(t) => t,
            Err(d) => {
                self.state = Some(state);
                return Err(d.into());
            }
        };
        let State { site, hashes, .. } = state;
        self.render_and_write(site, theme, hashes, None, &|t| {
            t.is_page() || matches!(t, Target::Static(_) | Target::Archive(_))
        })
    }

    fn apply_reports(
        &mut self,
        state: State,
        changed: &BTreeSet<(u16, String)>,
    ) -> Result<Rebuilt, Diagnostics> {
        let timer = crate::profile::Laps::start();
        let mut reloaded: Vec<((u16, String), Option<Report>)> = Vec::with_capacity(changed.len());
        let mut errors = Diagnostics::new();
        let mut warnings = Diagnostics::new();
        for (year, slug) in changed {
            let site = &state.site;
            match content::reload_report(&self.root, &site.config, &site.townships, *year, slug) {
                Ok((report, found)) => {
                    reloaded.push(((*year, slug.clone()), report));
                    warnings.extend(found);
                }
                Err(d) => errors.extend(d),
            }
        }
        if errors.has_errors() {
            self.state = Some(state);
            return Err(errors);
        }
        // The reloaded folders' warnings replace theirs; the others' stay.
        let folders: Vec<String> = changed
            .iter()
            .map(|(year, slug)| format!("{CONTENT_DIR}/{year}/{slug}/"))
            .collect();
        self.warnings.retain(|d| {
            !folders
                .iter()
                .any(|f| d.file.replace('\\', "/").starts_with(f))
        });
        self.warnings.extend(warnings);
        self.warnings.sort();
        let State {
            mut site,
            theme,
            hashes,
            plan,
        } = state;
        let old_years = site.years();
        // What kind of change each report had decides which pages depend on it.
        let membership = reloaded
            .iter()
            .any(|((y, s), r)| site.report(*y, s).is_some() != r.is_some());
        let mut change = Change {
            membership,
            ..Change::default()
        };
        let site = if change.membership {
            let (config, townships, mut reports, intro, year_intros) = site.into_parts();
            for ((year, slug), report) in reloaded {
                reports.retain(|r| !(r.year == year && r.township == slug));
                reports.extend(report);
            }
            Site::new(config, townships, reports, intro, year_intros)
        } else {
            for report in reloaded.into_iter().filter_map(|(_, r)| r) {
                let format = |r: &Report| r.stats.as_ref().map(|s| s.format.id.clone());
                let (listing, figures, files) = match site.report(report.year, &report.township) {
                    Some(old) => (
                        old.meta != report.meta || format(old) != format(&report),
                        !same_figures(old, &report),
                        old.attachments
                            .iter()
                            .map(|a| &a.path)
                            .ne(report.attachments.iter().map(|a| &a.path))
                            || old.stats.is_some() != report.stats.is_some(),
                    ),
                    None => (true, true, true),
                };
                change.listing |= listing;
                change.figures |= figures;
                change.files |= files;
                let _ = site.replace_report(report);
            }
            site
        };
        timer.lap("reload");
        // The plan depends only on which reports, townships and attachments exist.
        let plan = if change.membership || change.files {
            None
        } else {
            plan
        };
        if site.years() != old_years {
            return self.render_and_write(site, theme, hashes, None, &|_| true);
        }
        let listing = change.listing || change.membership;
        let figures = change.figures || change.membership;
        // A report page lists its township's other years, and every year's archive holds its
        // report pages as they are.
        let membership = change.membership;
        let years: BTreeSet<u16> = changed.iter().map(|(y, _)| *y).collect();
        let slugs: BTreeSet<&str> = changed.iter().map(|(_, s)| s.as_str()).collect();
        let reports_changed: Vec<bool> = site
            .reports
            .iter()
            .map(|r| changed.contains(&(r.year, r.township.clone())))
            .collect();
        let township_changed: Vec<bool> = site
            .townships
            .iter()
            .map(|t| slugs.contains(t.slug.as_str()))
            .collect();
        let page_changed: Vec<bool> = (0..plan::list_pages(site.townships.len()))
            .map(|page| {
                township_changed[plan::list_range(site.townships.len(), page)].contains(&true)
            })
            .collect();
        let report_township_changed: Vec<bool> = site
            .reports
            .iter()
            .map(|r| slugs.contains(r.township.as_str()))
            .collect();
        let dirty = move |t: &Target| match &page_of(t) {
            // Titles, dates and formats are listed on the home and data pages.
            Target::Home => listing,
            Target::DataIndex => figures,
            Target::County | Target::CountyTotals(_) | Target::AllData(_) => figures,
            // Dates, rule warnings and blank cells of every report.
            // A page of the audit and year lists shows its own townships' rows and, on every
            // page, totals of all of them (a change of membership replans, so which page a
            // township is on cannot move here).
            Target::AuditData(_) | Target::Portal => listing || figures,
            // The yearly summary is on the first page.
            Target::Audit(page) => (listing || figures) && (*page == 0 || page_changed[*page]),
            Target::Year(y, page) => {
                years.contains(y) && (figures || listing && page_changed[*page])
            }
            Target::TownshipList(page) => listing && page_changed[*page],
            Target::YearFigures(y, _) => years.contains(y) && figures,
            Target::Township(i) => township_changed[*i] && (listing || figures),
            Target::TownshipData(i, _) => township_changed[*i] && (listing || figures),
            // Other years of the same township are listed on every report page.
            Target::Report(i) => {
                reports_changed[*i] || (change.membership && report_township_changed[*i])
            }
            Target::ReportData(i, _) | Target::Attachment(i, _) => reports_changed[*i],
            Target::NotFound
            | Target::Static(_)
            | Target::SearchPage
            | Target::SearchFold
            | Target::FormatDictionary(_)
            | Target::SearchFoldBlock(_)
            | Target::SearchLabels(_) => false,
            // Any report's text may be in any shard; titles and years are in the document list.
            Target::SearchShard(_) => true,
            Target::SearchDocs => listing,
            Target::SearchText(i) => reports_changed[*i],
            Target::SearchTextRest(rest) => reports_changed[rest.report],
            Target::SearchTowns(_) => listing,
            // The feed lists titles and dates; the sitemap dates.
            Target::Feed | Target::Sitemap(_) => listing,
            Target::Archive(y) => years.contains(y) || membership,
            Target::Embed(_) => true, // `page_of` made it its page
            // Plugins run again on every change (serve reloads everything when a site has any).
            Target::PluginPage(_) | Target::PluginSearchText(_) => true,
        };
        self.render_and_write(site, theme, hashes, plan, &dirty)
    }

    /// Render the dirty planned files (and any file not written before), write those whose bytes
    /// changed, delete files no longer planned. On a render error the output is left as it was
    /// and the next change rebuilds everything.
    fn render_and_write(
        &mut self,
        site: Site,
        theme: Theme,
        previous: Hashes,
        plan: Option<KeptPlan>,
        dirty: &(dyn Fn(&Target) -> bool + Sync),
    ) -> Result<Rebuilt, Diagnostics> {
        let timer = crate::profile::Laps::start();
        let (plan, all_written) = match plan {
            Some(kept) => (kept.files, kept.all_written),
            None => (plan::plan(&site, &theme), false),
        };
        timer.lap("plan");
        let result = self.render_plan(&site, &theme, &plan, all_written, previous, dirty);
        // A pass given up wrote whole files only and recorded them: the site stays, and the
        // pass can be run again.
        if result.as_ref().is_ok() || result.as_ref().is_err_and(given_up_only) {
            self.state = Some(State {
                site,
                theme,
                hashes: std::mem::take(&mut self.hashes_scratch),
                // The files needed were written and the plan is the one given: what was written
                // before still is.
                plan: Some(KeptPlan {
                    files: plan,
                    all_written,
                }),
            });
        }
        result
    }

    /// [`Workspace::render_and_write`] of a plan: leaves the hashes of the files on disk in
    /// `hashes_scratch` when it succeeds or gives up.
    fn render_plan(
        &mut self,
        site: &Site,
        theme: &Theme,
        plan: &[PlannedFile],
        all_written: bool,
        previous: Hashes,
        dirty: &(dyn Fn(&Target) -> bool + Sync),
    ) -> Result<Rebuilt, Diagnostics> {
        let timer = crate::profile::Laps::start();
        let mut producer = Producer::new(site, theme);
        let interrupt = self.interrupt();
        // One pass, by position in the plan: a lookup of every path costs tens of milliseconds on
        // a large site, which a save would otherwise pay once per selection below.
        // A save while the first build's other files are still being written leaves those not
        // written yet to that pass (it writes them from the site as it then is).
        let saving_while_completing = self.completing && self.defer_aggregates;
        let mut needed: Vec<bool> = plan
            .par_iter()
            .map(|f| {
                let unwritten = !(all_written || previous.contains_key(&f.path));
                let left = saving_while_completing && unwritten && not_browsed(&f.target);
                (dirty(&f.target) || unwritten) && !left
            })
            .collect();
        // The links written in the narratives of the pages to render: a file that is not there
        // fails the rebuild before anything is written, as in `build`.
        let links = SourceLinks::new(
            site,
            plan,
            plan.iter()
                .zip(&needed)
                .filter(|(_, n)| **n)
                .map(|(f, _)| f),
        );
        if !links.files_found() {
            return Err(links.finish());
        }
        // Files to render because they changed (not because they were never written: during the
        // first build's completion that is most of the plan).
        let count = plan
            .par_iter()
            .zip(&needed)
            .filter(|(f, n)| **n && (!saving_while_completing || dirty(&f.target)))
            .count();
        // serve's first build writes the pages and answers; the rest follows (`completing`),
        // written by the background pass (`finishing`).
        let first = self.defer_aggregates && previous.is_empty();
        let finishing = self.completing && !self.defer_aggregates;
        // Large rebuilds go through the staging tree (bounded memory, atomic); small ones are
        // rendered in memory, with serve's county-wide data files left for later.
        let through_staging = !finishing && count * 2 > plan.len();
        let defer = self.defer_aggregates && (!through_staging || first);
        let deferred = |f: &PlannedFile| {
            defer
                && if first {
                    not_browsed(&f.target)
                } else {
                    aggregate(&f.target)
                }
        };
        // The search index of the background pass, built where a save can interrupt it (seconds
        // on a large site); the other passes build it at their first shard, if any.
        let shards = |f: &PlannedFile, n: &bool| *n && matches!(f.target, Target::SearchShard(_));
        if self.background && plan.iter().zip(&needed).any(|(f, n)| shards(f, n)) {
            match crate::search::build_unless(site, &|| interrupt.raised().is_some()) {
                Some(index) => producer.set_search(index),
                None => {
                    self.hashes_scratch = previous;
                    let code = interrupt.raised().unwrap_or(PREEMPTED);
                    return Err(given_up(code, "search/").into());
                }
            }
            timer.lap("search index");
        }
        // Archives first (sink::after_archives): a year page shows its archive's size.
        let archives: Vec<&PlannedFile> = plan
            .iter()
            .zip(&needed)
            .filter(|(f, n)| matches!(f.target, Target::Archive(_)) && **n && !deferred(f))
            .map(|(f, _)| f)
            .collect();
        let (ready, resized) = match self.prerender_archives(&archives, &producer, &interrupt) {
            Ok(done) => done,
            Err(d) => {
                self.hashes_scratch = previous;
                return Err(d);
            }
        };
        timer.lap("select+archives");
        producer.set_archive_sizes(self.archive_sizes.clone());
        for (f, n) in plan.iter().zip(needed.iter_mut()) {
            *n |= sink::after_archives(&f.target)
                && matches!(f.target, Target::Year(y, _) if resized.contains(&y));
        }
        let chosen = |keep: &dyn Fn(&PlannedFile, bool) -> bool| -> Vec<&PlannedFile> {
            plan.iter()
                .zip(&needed)
                .filter(|(f, n)| keep(f, **n))
                .map(|(f, _)| f)
                .collect()
        };
        let rebuilt = if first && through_staging {
            let selected = chosen(&|f, _| !deferred(f));
            let rebuilt =
                self.write_through_staging(&selected, &producer, &ready, previous, &interrupt)?;
            self.completing = selected.len() < plan.len();
            self.pending_aggregates = self.completing;
            self.pending_archives = site_years(plan);
            rebuilt
        } else if finishing {
            let selected = chosen(&|_, needed| needed);
            let rebuilt =
                self.write_streaming(plan, &selected, &producer, &ready, previous, &interrupt)?;
            self.completing = false;
            rebuilt
        } else if through_staging {
            let all: Vec<&PlannedFile> = plan.iter().collect();
            let rebuilt =
                self.write_through_staging(&all, &producer, &ready, previous, &interrupt)?;
            self.completing = false;
            self.stale.clear();
            rebuilt
        } else {
            let postponed = chosen(&|f, needed| needed && deferred(f));
            self.pending_aggregates |= !postponed.is_empty();
            self.pending_archives
                .extend(postponed.iter().filter_map(|f| match f.target {
                    Target::Archive(y) => Some(y),
                    _ => None,
                }));
            self.stale.extend(postponed.iter().map(|f| f.path.clone()));
            let selected = chosen(&|f, needed| needed && !deferred(f));
            self.write_in_place(plan, &selected, &producer, &ready, previous, &interrupt)?
        };
        timer.lap("render+write");
        // Anchors, in the pages as written (the page a narrative links into may not have been
        // rendered now). On a broken one the next change rebuilds everything, as after an error.
        for page in links.wanted_pages().map(str::to_string).collect::<Vec<_>>() {
            if let Ok(bytes) = std::fs::read(self.out.join(&page)) {
                links.page(&page, &bytes);
            }
        }
        let broken = links.finish();
        if broken.has_errors() {
            return Err(broken);
        }
        Ok(rebuilt)
    }

    /// Render the selected year archives in memory (in parallel) and record their sizes; returns
    /// them by path, and the years whose archive changed size.
    fn prerender_archives(
        &mut self,
        archives: &[&PlannedFile],
        producer: &Producer<'_>,
        interrupt: &Interrupt,
    ) -> Result<(Ready, BTreeSet<u16>), Diagnostics> {
        let none = HashMap::new();
        let rendered = successes(
            archives
                .par_iter()
                .map(|f| {
                    interrupt.check(&f.path)?;
                    Ok((f, render_bytes(producer, f, &none, interrupt)?))
                })
                .collect(),
        )?;
        let mut resized = BTreeSet::new();
        let mut ready = HashMap::with_capacity(rendered.len());
        for (f, bytes) in rendered {
            if let Target::Archive(year) = f.target
                && self.archive_sizes.insert(year, bytes.len() as u64) != Some(bytes.len() as u64)
            {
                resized.insert(year);
            }
            ready.insert(f.path.clone(), bytes);
        }
        Ok((ready, resized))
    }

    /// Render the selected files (the whole plan, or the pages of serve's first build) into the
    /// staging tree beside the output and swap it in: memory stays bounded at any size, unchanged
    /// files are hard-linked, and a failure changes nothing.
    fn write_through_staging(
        &mut self,
        selected: &[&PlannedFile],
        producer: &Producer<'_>,
        ready: &HashMap<String, Vec<u8>>,
        previous: Hashes,
        interrupt: &Interrupt,
    ) -> Result<Rebuilt, Diagnostics> {
        let staging = Staging::new(&self.root, &self.out)
            .map_err(|e| Diagnostics::from(Diagnostic::error("output", "", e.to_string())))?;
        let results: Vec<Result<(String, u64), Diagnostic>> = selected
            .par_iter()
            .map(|f| {
                interrupt.check(&f.path)?;
                if let Target::AllData(kind) = f.target {
                    let mut hash = 0;
                    staging
                        .write_stream(&f.path, |w| {
                            hash = stream_county(
                                producer.site(),
                                kind == crate::plan::DataKind::Json,
                                w,
                                &interrupt.flags(),
                            )?;
                            Ok(())
                        })
                        .map_err(|e| write_error(&f.path, e))?;
                    return Ok((f.path.clone(), hash));
                }
                let bytes = render_bytes(producer, f, ready, interrupt)?;
                let hash = hash_of(&bytes);
                staging
                    .write(&f.path, &bytes)
                    .map_err(|e| write_error(&f.path, e))?;
                Ok((f.path.clone(), hash))
            })
            .collect();
        let hashes: Hashes = match successes(results) {
            Ok(files) => files.into_iter().collect(),
            Err(errors) => {
                self.hashes_scratch = previous;
                return Err(errors);
            }
        };
        let stats = staging
            .commit()
            .map_err(|e| Diagnostics::from(Diagnostic::error("output", "", e.to_string())))?;
        self.hashes_scratch = hashes;
        self.pending_aggregates = false;
        self.pending_archives.clear();
        Ok(Rebuilt {
            rendered: selected.len(),
            written: stats.written,
            removed: stats.removed,
            ..Rebuilt::default()
        })
    }

    /// Render a few files in memory, then write those whose bytes changed (each atomically) and
    /// delete files no longer planned.
    fn write_in_place(
        &mut self,
        plan: &[PlannedFile],
        selected: &[&PlannedFile],
        producer: &Producer<'_>,
        ready: &HashMap<String, Vec<u8>>,
        previous: Hashes,
        interrupt: &Interrupt,
    ) -> Result<Rebuilt, Diagnostics> {
        let profile = crate::profile::enabled();
        let mut previous = previous;
        let timer = crate::profile::Laps::start();
        let (streamed, selected) =
            match self.write_county(selected, producer, &mut previous, interrupt) {
                Ok(done) => done,
                Err(d) => {
                    self.hashes_scratch = previous;
                    return Err(d);
                }
            };
        timer.lap("county");
        let rendered: Vec<Result<(&str, Vec<u8>), Diagnostic>> = selected
            .par_iter()
            .map(|f| {
                interrupt.check(&f.path)?;
                let started = Instant::now();
                let bytes = render_bytes(producer, f, ready, interrupt)?;
                if profile {
                    eprintln!(
                        "    {}: {:.1} ms",
                        f.path,
                        started.elapsed().as_secs_f64() * 1e3
                    );
                }
                Ok((f.path.as_str(), bytes))
            })
            .collect();
        let files = match successes(rendered) {
            Ok(files) => files,
            Err(errors) => {
                self.hashes_scratch = previous;
                return Err(errors);
            }
        };
        timer.lap("render");
        let known_before = files
            .iter()
            .filter(|(p, _)| previous.contains_key(*p))
            .count();
        let mut hashes = previous;
        let mut rebuilt = Rebuilt {
            rendered: files.len() + streamed.0,
            written: streamed.1,
            ..Rebuilt::default()
        };
        for (path, bytes) in &files {
            // Every file written so far is whole and recorded: the pass can stop between two.
            if let Some(code) = interrupt.raised() {
                self.hashes_scratch = hashes;
                return Err(given_up(code, path).into());
            }
            let hash = hash_of(bytes);
            if hashes.get(*path) != Some(&hash) {
                in_place::write(&self.out, path, bytes)
                    .map_err(|e| Diagnostics::from(write_error(path, e)))?;
                hashes.insert(path.to_string(), hash);
                rebuilt.written += 1;
                if path.ends_with(".html") {
                    rebuilt.pages.push(path.to_string());
                }
            }
        }
        timer.lap("write");
        rebuilt.removed = self.remove_stale(plan, &mut hashes, known_before == files.len());
        timer.lap("stale");
        self.hashes_scratch = hashes;
        Ok(rebuilt)
    }

    /// Render and write the selected files in parallel, each as soon as it is rendered: the
    /// files serve's first build left for later (tens of thousands on a large site, too many to
    /// hold in memory). They did not exist before, so an error cannot spoil a page being shown.
    fn write_streaming(
        &mut self,
        plan: &[PlannedFile],
        selected: &[&PlannedFile],
        producer: &Producer<'_>,
        ready: &HashMap<String, Vec<u8>>,
        previous: Hashes,
        interrupt: &Interrupt,
    ) -> Result<Rebuilt, Diagnostics> {
        let mut previous = previous;
        let (streamed, selected) =
            match self.write_county(selected, producer, &mut previous, interrupt) {
                Ok(done) => done,
                Err(d) => {
                    self.hashes_scratch = previous;
                    return Err(d);
                }
            };
        let out = &self.out;
        let known = &previous;
        let written: Vec<Result<(&str, u64, bool), Diagnostic>> = selected
            .par_iter()
            .map(|f| {
                interrupt.check(&f.path)?;
                let bytes = render_bytes(producer, f, ready, interrupt)?;
                let hash = hash_of(&bytes);
                let before = known.get(&f.path);
                let changed = before != Some(&hash);
                // Files never written in this preview go straight into place: requests for
                // them wait for the pass (serve's `Shared::pending`).
                let write = match before {
                    None => in_place::write_new,
                    Some(_) => in_place::write,
                };
                if changed {
                    write(out, &f.path, &bytes).map_err(|e| write_error(&f.path, e))?;
                }
                Ok((f.path.as_str(), hash, changed))
            })
            .collect();
        let files = match split(written) {
            Ok(files) => files,
            Err((errors, files)) => {
                // The files written before the pass stopped are whole: recorded, they are not
                // written again when it runs again.
                for (path, hash, _) in files {
                    previous.insert(path.to_string(), hash);
                }
                self.hashes_scratch = previous;
                return Err(errors);
            }
        };
        let known_before = files
            .iter()
            .filter(|(p, ..)| previous.contains_key(*p))
            .count();
        let mut hashes = previous;
        let mut rebuilt = Rebuilt {
            rendered: files.len() + streamed.0,
            written: streamed.1,
            ..Rebuilt::default()
        };
        for (path, hash, changed) in &files {
            hashes.insert(path.to_string(), *hash);
            if *changed {
                rebuilt.written += 1;
                if path.ends_with(".html") {
                    rebuilt.pages.push(path.to_string());
                }
            }
        }
        rebuilt.removed = self.remove_stale(plan, &mut hashes, known_before == files.len());
        self.hashes_scratch = hashes;
        Ok(rebuilt)
    }

    /// Stream the county-wide data files among `selected` into place; returns (rendered, written)
    /// and the other files.
    fn write_county<'p>(
        &self,
        selected: &[&'p PlannedFile],
        producer: &Producer<'_>,
        previous: &mut Hashes,
        interrupt: &Interrupt,
    ) -> Result<((usize, usize), Vec<&'p PlannedFile>), Diagnostics> {
        let profile = crate::profile::enabled();
        let (county, rest): (Vec<&PlannedFile>, Vec<&PlannedFile>) = selected
            .iter()
            .partition(|f| matches!(f.target, Target::AllData(_)));
        // (county files rendered, county files written)
        let mut streamed = (0, 0);
        for f in county {
            let started = Instant::now();
            let json = f.target == Target::AllData(crate::plan::DataKind::Json);
            interrupt.check(&f.path)?;
            let changed = self
                .stream_in_place(producer.site(), &f.path, json, previous, interrupt)
                .map_err(|e| match interrupt.raised() {
                    Some(code) => Diagnostics::from(given_up(code, &f.path)),
                    None => Diagnostics::from(Diagnostic::error(
                        "output.write",
                        f.path.clone(),
                        format!("无法写入预览文件：{e}"),
                    )),
                })?;
            streamed.0 += 1;
            streamed.1 += usize::from(changed);
            if profile {
                eprintln!(
                    "    {}: {:.1} ms",
                    f.path,
                    started.elapsed().as_secs_f64() * 1e3
                );
            }
        }
        Ok((streamed, rest))
    }

    /// Delete the files written before that are no longer planned; returns how many.
    /// `all_known`: every file rendered now was known before.
    fn remove_stale(&self, plan: &[PlannedFile], hashes: &mut Hashes, all_known: bool) -> usize {
        // Every planned file not rendered now was known before, so when no rendered file was new
        // and the counts agree, the known files are exactly the planned ones: nothing is stale.
        let stale: Vec<String> = if hashes.len() == plan.len() && all_known {
            Vec::new()
        } else {
            let planned: std::collections::HashSet<&str> =
                plan.iter().map(|f| f.path.as_str()).collect();
            hashes
                .keys()
                .filter(|p| !planned.contains(p.as_str()))
                .cloned()
                .collect()
        };
        for path in &stale {
            in_place::remove(&self.out, path);
            hashes.remove(path);
        }
        stale.len()
    }

    /// Stream a county-wide file into place when its hash changed; returns whether it did.
    fn stream_in_place(
        &self,
        site: &Site,
        rel: &str,
        json: bool,
        hashes: &mut Hashes,
        interrupt: &Interrupt,
    ) -> std::io::Result<bool> {
        let known = hashes.get(rel).copied();
        let written = in_place::stream(&self.out, rel, known, |w| {
            stream_county(site, json, w, &interrupt.flags())
        })?;
        if let Some(hash) = written {
            hashes.insert(rel.to_string(), hash);
        }
        Ok(written.is_some())
    }

    /// Whether serve's first build wrote only the pages, leaving the other files to
    /// [`Workspace::flush_deferred`].
    pub fn completing(&self) -> bool {
        self.completing
    }

    /// The files serve's first build left for [`Workspace::flush_deferred`], by path (empty
    /// when it wrote everything).
    pub fn pending_paths(&self) -> std::collections::HashSet<String> {
        let plan = self.state.as_ref().and_then(|s| s.plan.as_ref());
        match plan {
            Some(plan) if self.completing => plan
                .files
                .iter()
                .filter(|f| not_browsed(&f.target))
                .map(|f| f.path.clone())
                .collect(),
            _ => Default::default(),
        }
    }

    /// Whether county-wide data files wait for [`Workspace::flush_deferred`].
    pub fn has_deferred(&self) -> bool {
        self.pending_aggregates
    }

    /// Render the county-wide data files that `serve` deferred until after the reload message.
    pub fn flush_deferred(&mut self) -> Result<Rebuilt, Diagnostics> {
        if !self.pending_aggregates {
            return Ok(Rebuilt::default());
        }
        let Some(state) = self.state.take() else {
            // The last save failed: nothing is rewritten until it is fixed.
            self.pending_aggregates = false;
            self.stale.clear();
            return Ok(Rebuilt::default());
        };
        self.pending_aggregates = false;
        let State {
            site,
            theme,
            hashes,
            plan,
        } = state;
        let defer = std::mem::replace(&mut self.defer_aggregates, false);
        let years = std::mem::take(&mut self.pending_archives);
        self.background = true;
        let result = self.render_and_write(site, theme, hashes, plan, &|t| match t {
            Target::Archive(y) | Target::YearFigures(y, _) => years.contains(y),
            t => aggregate(t),
        });
        self.background = false;
        self.defer_aggregates = defer;
        match &result {
            Ok(_) => {
                self.stale.clear();
                if let Some(State {
                    hashes,
                    plan: Some(kept),
                    ..
                }) = &mut self.state
                {
                    kept.all_written =
                        kept.all_written || kept.files.iter().all(|f| hashes.contains_key(&f.path));
                }
            }
            // Given way to a save: all of it is still to do (what it wrote is recorded, and not
            // written again unless it changes once more).
            Err(d) if given_up_only(d) => {
                self.pending_aggregates = true;
                self.pending_archives.extend(years);
            }
            Err(_) => self.stale.clear(),
        }
        result
    }
}

/// Files rendered ahead of the others, by path.
type Ready = HashMap<String, Vec<u8>>;

/// All the values, or every diagnostic (sorted) when any result failed.
fn successes<T>(results: Vec<Result<T, Diagnostic>>) -> Result<Vec<T>, Diagnostics> {
    split(results).map_err(|(errors, _)| errors)
}

/// All the values, or every diagnostic (sorted) and the values that succeeded when any result
/// failed. Of the files a pass gave up, one says so: tens of thousands may be left.
fn split<T>(results: Vec<Result<T, Diagnostic>>) -> Result<Vec<T>, (Diagnostics, Vec<T>)> {
    let mut errors = Diagnostics::new();
    let mut values = Vec::with_capacity(results.len());
    let mut given_up = false;
    for r in results {
        match r {
            Ok(v) => values.push(v),
            Err(d) if d.code == STOPPED || d.code == PREEMPTED => {
                if !std::mem::replace(&mut given_up, true) {
                    errors.push(d);
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        return Ok(values);
    }
    errors.sort();
    Err((errors, values))
}

fn write_error(path: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "output.write",
        path.to_string(),
        format!("无法写入预览文件：{e}"),
    )
}

/// Files that depend on many reports and are slow to make: an incremental rebuild in serve writes
/// them after the browser has reloaded (county-wide data, a year's figures downloads, year
/// archives, search index shards, and the overview pages whose tables list every township: a year
/// page of 1,000 townships takes longer than the edited report's own files; a year's figures.xlsx
/// about 90 ms). Pages among them are reloaded again once written.
fn aggregate(target: &Target) -> bool {
    matches!(
        page_of(target),
        Target::AllData(_)
            | Target::YearFigures(..)
            | Target::Archive(_)
            | Target::SearchShard(_)
            | Target::Year(..)
            | Target::County
            | Target::CountyTotals(_)
            | Target::Audit(_)
            | Target::AuditData(_)
            | Target::Portal
    )
}

/// Files no reader needs to browse the pages: serve's first build leaves them until the
/// preview answers (downloads, search index, embeds, feeds, the sitemap and the year archives).
/// The folding blocks and label lists of search are not among them: fixed files (a hundred
/// small ones), written with the theme's static files rather than lengthen the deferred pass.
fn not_browsed(target: &Target) -> bool {
    matches!(
        target,
        Target::AllData(_)
            | Target::CountyTotals(_)
            | Target::AuditData(_)
            | Target::Portal
            | Target::FormatDictionary(_)
            | Target::YearFigures(..)
            | Target::ReportData(..)
            | Target::TownshipData(..)
            | Target::Archive(_)
            | Target::SearchDocs
            | Target::SearchFold
            | Target::SearchShard(_)
            | Target::SearchText(_)
            | Target::SearchTextRest(_)
            | Target::SearchTowns(_)
            | Target::PluginSearchText(_)
            | Target::Feed
            | Target::Sitemap(_)
            | Target::Embed(_)
    )
}

/// The years that have an archive in the plan.
fn site_years(plan: &[PlannedFile]) -> BTreeSet<u16> {
    plan.iter()
        .filter_map(|f| match f.target {
            Target::Archive(y) => Some(y),
            _ => None,
        })
        .collect()
}

/// The page an embed copies (it changes when its page does, and is as slow to make), or the
/// target itself.
fn page_of(target: &Target) -> Target {
    match target {
        Target::Embed(e) => e.page(),
        t => t.clone(),
    }
}

/// The bytes of a planned file; `ready` holds files rendered before (the archives). A year
/// archive gives up at its next write once `interrupt` is raised.
fn render_bytes(
    producer: &Producer<'_>,
    f: &PlannedFile,
    ready: &HashMap<String, Vec<u8>>,
    interrupt: &Interrupt,
) -> Result<Vec<u8>, Diagnostic> {
    if let Some(bytes) = ready.get(&f.path) {
        return Ok(bytes.clone());
    }
    let flags = interrupt.flags();
    let mut sink = InMemory {
        bytes: Vec::new(),
        abandon: &flags,
    };
    let content = producer.produce(f)?;
    sink::put(
        &mut sink,
        producer.site(),
        producer.theme(),
        &f.path,
        content,
    )
    .map_err(|e| match interrupt.raised() {
        Some(code) => given_up(code, &f.path),
        None => Diagnostic::error(e.code(), f.path.clone(), e.to_string()),
    })?;
    Ok(sink.bytes)
}

/// What changed in the reloaded reports.
#[derive(Debug, Default, Clone, Copy)]
struct Change {
    /// A report appeared or disappeared.
    membership: bool,
    /// Metadata (title, dates, publisher…) changed.
    listing: bool,
    /// Figures or the table format changed.
    figures: bool,
    /// Attachments or data files appeared or disappeared.
    files: bool,
}

fn same_figures(a: &Report, b: &Report) -> bool {
    match (&a.stats, &b.stats) {
        (None, None) => true,
        (Some(x), Some(y)) => x.format.id == y.format.id && x.values == y.values,
        _ => false,
    }
}

/// The hash of a file's bytes; written without a length prefix so that a streamed file
/// ([`HashingWriter`]) hashes the same as its bytes.
fn hash_of(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// A writer that hashes what passes through it, and fails once one of `abandon` is raised.
struct HashingWriter<'a> {
    inner: &'a mut dyn std::io::Write,
    hasher: std::collections::hash_map::DefaultHasher,
    abandon: &'a [&'a AtomicBool],
}

impl std::io::Write for HashingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.abandon.iter().any(|f| f.load(Ordering::Relaxed)) {
            return Err(std::io::Error::other("abandoned"));
        }
        let n = self.inner.write(buf)?;
        self.hasher.write(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Stream a county-wide file through `out`, returning the hash of what was written.
fn stream_county(
    site: &Site,
    json: bool,
    out: &mut dyn std::io::Write,
    abandon: &[&AtomicBool],
) -> std::io::Result<u64> {
    let mut w = HashingWriter {
        inner: out,
        hasher: Default::default(),
        abandon,
    };
    crate::export::data::write_county_file(site, json, &mut w)?;
    Ok(w.hasher.finish())
}

fn failure_diagnostics(f: Failure) -> Diagnostics {
    match f {
        Failure::Content(ds) => ds,
        Failure::Usage(m) => Diagnostics::from(Diagnostic::error("usage", "", m)),
        Failure::Output(e) => Diagnostics::from(Diagnostic::error("output", "", e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    #[test]
    fn classification() {
        let root = Path::new("/site");
        assert_eq!(classify(root, &[p("/site/site.toml")]), Scope::Full);
        assert_eq!(
            classify(root, &[p("/site/content/townships.yaml")]),
            Scope::Full
        );
        assert_eq!(
            classify(root, &[p("/site/content/2018/_index.md")]),
            Scope::Full
        );
        assert_eq!(
            classify(root, &[p("/site/templates/report.html")]),
            Scope::Theme
        );
        assert_eq!(classify(root, &[p("/site/README.md")]), Scope::Nothing);
        let one = classify(
            root,
            &[
                p("/site/content/2018/a/stats.yaml"),
                p("/site/content/2018/a/report.md"),
            ],
        );
        assert_eq!(
            one,
            Scope::Reports([(2018, "a".to_string())].into_iter().collect())
        );
        let flood: Vec<PathBuf> = (0..100)
            .map(|i| p(&format!("/site/content/2018/a/{i}.pdf")))
            .collect();
        assert_eq!(classify(root, &flood), Scope::Full);
    }
}
