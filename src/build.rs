//! The pipeline: load → validate → plan → render (parallel) → write (staging → swap).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use thiserror::Error;

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::linkcheck;
use crate::plan::{self, Content, PlannedFile, Target};
use crate::produce::Producer;
use crate::publish::archive;
use crate::publish::archive::Staged;
use crate::publish::sink;
use crate::publish::staging::{OutputError, Staging};
use crate::site::Site;
use crate::theme::Theme;

/// Settings of one run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces `base_url` from site.toml.
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Publish work left unfinished (placeholders of `new` and `import`): a preview does, a
    /// build and a check refuse it unless asked.
    pub allow_draft: bool,
    /// The day the oversight is made as of (see [`crate::config::Config::as_of`]); `None` is
    /// site.toml's `[audit] as_of`, else today ([`crate::dates::today`]).
    pub as_of: Option<chrono::NaiveDate>,
    /// A federation portal: build from the members' cached copies alone, fetching nothing.
    pub offline: bool,
}

impl Options {
    /// These settings for a federation portal.
    fn federation(&self) -> crate::federate::Settings {
        crate::federate::Settings {
            base_url: self.base_url.clone(),
            as_of: self.as_of,
            offline: self.offline,
        }
    }

    /// These settings as the output's stamp records them.
    fn stamp_inputs(&self) -> crate::publish::stamp::Inputs<'_> {
        crate::publish::stamp::Inputs {
            base_url: self.base_url.as_deref(),
            strict: self.strict,
            allow_draft: self.allow_draft,
            as_of: self.as_of_or_today(),
        }
    }

    /// [`Options::as_of`], or today.
    fn as_of_or_today(&self) -> chrono::NaiveDate {
        self.as_of.unwrap_or_else(crate::dates::today)
    }

    /// The day a site with `config` is audited as of: the option, else site.toml's, else today.
    fn as_of_for(&self, config: &Config) -> chrono::NaiveDate {
        self.as_of
            .or(config.as_of)
            .unwrap_or_else(crate::dates::today)
    }
}

/// Where [`build`] reports how far it got: told the number of files once, then one step per file
/// written. The command line draws a progress bar; `&()` shows nothing.
pub trait Progress: Sync {
    /// The number of steps the build will take.
    fn set_length(&self, _steps: u64) {}
    /// `steps` more are done.
    fn inc(&self, _steps: u64) {}
    /// The build has written everything (the bar can go).
    fn finish(&self) {}
}

/// No progress shown.
impl Progress for () {}

/// What a run did, for the one-line summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Reports loaded.
    pub reports: usize,
    /// HTML pages.
    pub pages: usize,
    /// All files (pages, attachments, static files).
    pub files: usize,
    /// Warnings reported.
    pub warnings: usize,
    /// Files written because their bytes changed (build only).
    pub written: usize,
    /// Nothing was rebuilt: the sources had not changed since the output was built.
    pub up_to_date: bool,
    /// Wall time.
    pub elapsed: Duration,
}

/// Why a run failed.
#[derive(Debug, Error)]
pub enum Failure {
    /// The command line was wrong (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// The content has errors (exit code 1); the list holds warnings too.
    #[error("内容有错误")]
    Content(Diagnostics),
    /// Writing the output failed (exit code 1).
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// A loaded site with its theme, ready to render.
pub struct Loaded {
    /// The model.
    pub site: Site,
    /// The theme.
    pub theme: Theme,
    /// Warnings found while loading.
    pub diagnostics: Diagnostics,
}

/// Load settings, content and theme, and run the site's plugins; every problem is reported
/// together.
pub fn load(root: &Path, options: &Options) -> Result<Loaded, Failure> {
    load_with(root, options, true)
}

/// The model as `nianbao export --format json` prints it and plugins receive it
/// ([`crate::plugins::document`]), of the site loaded without running its plugins.
pub fn export_json(root: &Path, options: &Options) -> Result<String, Failure> {
    let loaded = load_with(root, options, false)?;
    Ok(crate::plugins::document(&loaded.site))
}

fn load_with(root: &Path, options: &Options, plugins: bool) -> Result<Loaded, Failure> {
    let mut config = Config::load(root).map_err(|d| Failure::Content(d.into()))?;
    config.as_of = Some(options.as_of_for(&config));
    if let Some(url) = &options.base_url {
        config
            .set_base_url(url)
            .map_err(|e| Failure::Usage(format!("--base-url 无效：{e}")))?;
    }
    let theme = Theme::load(root, &config.theme);
    let (site, mut diagnostics) = content::load_site(root, config);
    if let Err(d) = &theme {
        diagnostics.push(d.clone());
    }
    let site = if options.allow_draft {
        site
    } else {
        site.map(|site| publishable(site, &mut diagnostics))
    };
    if let Some(site) = site.as_ref().filter(|s| s.archive_of.is_none())
        && let Some(d) =
            crate::site::audit::unpublished_warning(site, content::townships::TOWNSHIPS_FILE)
    {
        diagnostics.push(d);
        diagnostics.sort();
    }
    if options.strict {
        diagnostics.promote_warnings();
    }
    match (site, theme) {
        (Some(mut site), Ok(theme)) if !diagnostics.has_errors() => {
            // Plugins see the site as it is published, and run before anything is written.
            let mut found = match plugins {
                true => crate::plugins::apply(root, &mut site, &theme),
                false => Diagnostics::new(),
            };
            if options.strict {
                found.promote_warnings();
            }
            if found.is_empty() {
                return Ok(Loaded {
                    site,
                    theme,
                    diagnostics,
                });
            }
            diagnostics.extend(found);
            diagnostics.sort();
            if diagnostics.has_errors() {
                return Err(Failure::Content(diagnostics));
            }
            Ok(Loaded {
                site,
                theme,
                diagnostics,
            })
        }
        _ => Err(Failure::Content(diagnostics)),
    }
}

/// Whether the site at `root` has plugins: they may read any file, so its build is never
/// skipped as up to date.
fn has_plugins(root: &Path) -> bool {
    Config::load(root).is_ok_and(|c| !c.plugins.is_empty())
}

/// Load the site for oversight (`nianbao audit`): a report with errors is left out and its errors
/// stay in the diagnostics, so one broken report does not hide the state of the others; drafts
/// are left out as a build leaves them out. Fails only when settings or the township registry
/// cannot be read.
pub fn load_for_audit(root: &Path, options: &Options) -> Result<(Site, Diagnostics), Failure> {
    let mut config = Config::load(root).map_err(|d| Failure::Content(d.into()))?;
    config.as_of = Some(options.as_of_for(&config));
    let (site, mut diagnostics) = content::load_site_with_errors(root, config);
    let Some(site) = site else {
        return Err(Failure::Content(diagnostics));
    };
    let site = if options.allow_draft {
        site
    } else {
        publishable(site, &mut diagnostics)
    };
    if options.strict {
        diagnostics.promote_warnings();
    }
    Ok((site, diagnostics))
}

/// The text of the file a diagnostic names (relative to the site `root`), for showing its line;
/// `None` when it has no position or cannot be read.
pub fn source_of(root: &Path, d: &Diagnostic) -> Option<String> {
    d.location?;
    crate::content::read_text(&root.join(&d.file)).ok()
}

/// What a year's WARC holds: its size and its records.
pub use crate::publish::warc::Written as WarcWritten;

/// The forms a year archive is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArchiveFormat {
    /// The offline copy: one ZIP to unpack and open from disk.
    #[default]
    Zip,
    /// The published site's files at their addresses, as web archives keep them (WARC 1.1,
    /// [`crate::publish::warc`]).
    Warc,
    /// A BagIt 1.0 bag of the WARC and the ZIP ([`crate::publish::bagit`]).
    Bagit,
}

impl ArchiveFormat {
    /// Where the archive of `year` goes when no output is named (in the current directory).
    pub fn default_output(self, year: u16) -> PathBuf {
        PathBuf::from(match self {
            ArchiveFormat::Zip => zip_name(year),
            ArchiveFormat::Warc => warc_name(year),
            ArchiveFormat::Bagit => format!("archive-{year}-bag"),
        })
    }
}

fn zip_name(year: u16) -> String {
    format!("archive-{year}.zip")
}

fn warc_name(year: u16) -> String {
    format!("archive-{year}.warc.gz")
}

/// What [`archive`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    /// Reports of the year in the archive.
    pub reports: usize,
    /// Size of the ZIP or WARC file, or of a bag's payload, in bytes.
    pub bytes: u64,
    /// The size as people read it (`1.2 MB`).
    pub size: String,
    /// Warnings about the year's own files.
    pub warnings: usize,
    /// The WARC's records, for a WARC or a bag.
    pub records: Option<WarcWritten>,
}

/// Write the offline archive of `year` to the file `output` (replaced only when complete).
pub fn archive(root: &Path, year: u16, output: &Path) -> Result<Archived, Failure> {
    archive_as(root, year, output, ArchiveFormat::Zip, None)
}

/// Write the archive of `year` in `format` to `output` (a file, or the bag's folder, which must
/// not exist or be empty), complete or not at all. `archived_at` (seconds since 1970) is the
/// capture time of a WARC, else now ([`crate::dates::now`]); the site is rendered as it is
/// published on that day (its oversight as of it, unless `[audit] as_of` fixes the day).
pub fn archive_as(
    root: &Path,
    year: u16,
    output: &Path,
    format: ArchiveFormat,
    archived_at: Option<i64>,
) -> Result<Archived, Failure> {
    let start = Instant::now();
    let at = archived_at.unwrap_or_else(crate::dates::now);
    let fixed_day = Config::load(root)
        .ok()
        .and_then(|c| c.audit.as_of)
        .is_some();
    let options = Options {
        as_of: (!fixed_day).then(|| crate::dates::day_in_china(at)),
        ..Options::default()
    };
    let loaded = load(root, &options)?;
    crate::profile::phase("loaded", start);
    let reports = loaded.site.reports_of_year(year).count();
    if reports == 0 {
        let years: Vec<String> = loaded.site.years().iter().map(u16::to_string).collect();
        return Err(Failure::Usage(format!(
            "{year} 年度没有报告，无法归档（有报告的年度：{}）",
            years.join("、")
        )));
    }
    let io_error = |path: &Path, e: &dyn std::fmt::Display| {
        Failure::Output(OutputError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })
    };
    let (bytes, records) = match format {
        ArchiveFormat::Zip => (
            archive::write_file(&loaded.site, &loaded.theme, year, output)
                .map_err(|e| io_error(output, &e))?,
            None,
        ),
        ArchiveFormat::Warc => {
            let work = work_dir(output).map_err(|e| io_error(output, &e))?;
            let zip = work.path().join(zip_name(year));
            archive::write_file(&loaded.site, &loaded.theme, year, &zip)
                .map_err(|e| io_error(&zip, &e))?;
            crate::profile::phase("zip written", start);
            let written = write_warc(&loaded, year, at, &zip, output)?;
            crate::profile::phase("warc written", start);
            (written.bytes, Some(written))
        }
        ArchiveFormat::Bagit => {
            let (payload, written) = write_bag(&loaded, year, at, output)?;
            (payload, Some(written))
        }
    };
    let folder = format!("{}/{year}/", content::CONTENT_DIR);
    let warnings = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Warning)
        .filter(|d| d.file.replace('\\', "/").starts_with(&folder))
        .count();
    Ok(Archived {
        reports,
        bytes,
        size: crate::render::pages::human_size(bytes),
        warnings,
        records,
    })
}

/// A private working folder beside `output`, removed when dropped.
fn work_dir(output: &Path) -> std::io::Result<tempfile::TempDir> {
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    tempfile::Builder::new()
        .prefix(".nianbao-archive-")
        .tempdir_in(dir)
}

/// Write the WARC of `year` captured at `at` to `output`, with the year's ZIP at `zip`; the
/// file is replaced only when complete.
fn write_warc(
    loaded: &Loaded,
    year: u16,
    at: i64,
    zip: &Path,
    output: &Path,
) -> Result<crate::publish::warc::Written, Failure> {
    use crate::publish::warc;
    let io_error = |e: &dyn std::fmt::Display| {
        Failure::Output(OutputError::Io {
            path: output.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })
    };
    let name = output
        .file_name()
        .map_or_else(|| warc_name(year), |n| n.to_string_lossy().into_owned());
    let capture = warc::Capture {
        year,
        at,
        zip,
        filename: &name,
        publisher: loaded.site.config.publisher(),
    };
    let dir = work_dir(output).map_err(|e| io_error(&e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir.path()).map_err(|e| io_error(&e))?;
    let written = warc::write(
        &loaded.site,
        &loaded.theme,
        &capture,
        std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut()),
    )
    .map_err(|e| io_error(&e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| io_error(&e))?;
    }
    tmp.persist(output).map_err(|e| io_error(&e.error))?;
    Ok(written)
}

/// Write the bag of `year` (its WARC captured at `at` and its ZIP) as the folder `output`;
/// returns the payload's size and the WARC's records.
fn write_bag(
    loaded: &Loaded,
    year: u16,
    at: i64,
    output: &Path,
) -> Result<(u64, crate::publish::warc::Written), Failure> {
    use crate::publish::{bagit, warc};
    let io_error = |path: &Path, e: &dyn std::fmt::Display| {
        Failure::Output(OutputError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })
    };
    let empty = match std::fs::read_dir(output) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => return Err(io_error(output, &e)),
    };
    if !empty {
        return Err(Failure::Usage(format!(
            "{} 已存在且不是空目录；档案包要写入新目录（或空目录），请换一个 --output",
            output.display()
        )));
    }
    let work = work_dir(output).map_err(|e| io_error(output, &e))?;
    let data = work.path().join(bagit::DATA);
    std::fs::create_dir(&data).map_err(|e| io_error(&data, &e))?;
    let zip = data.join(zip_name(year));
    archive::write_file(&loaded.site, &loaded.theme, year, &zip).map_err(|e| io_error(&zip, &e))?;
    let written = write_warc(loaded, year, at, &zip, &data.join(warc_name(year)))?;
    let site = &loaded.site;
    let capture = warc::Capture {
        year,
        at,
        zip: &zip,
        filename: &warc_name(year),
        publisher: site.config.publisher(),
    };
    let mut info = vec![
        (
            "Source-Organization".to_string(),
            site.config.publisher().to_string(),
        ),
        (
            "Bagging-Date".to_string(),
            crate::dates::day_in_china(at)
                .format("%Y-%m-%d")
                .to_string(),
        ),
        (
            "External-Description".to_string(),
            format!(
                "{}（{year} 年度）归档：网页归档文件 {}（WARC 1.1，GB/T 33994-2017）和离线浏览压缩包 {}",
                site.config.title,
                warc_name(year),
                zip_name(year)
            ),
        ),
        (
            "External-Identifier".to_string(),
            format!("{}{year}/", site.config.base_url),
        ),
        (
            "Bag-Software-Agent".to_string(),
            format!("nianbao/{}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    for (field, value) in warc::description(site, &capture) {
        info.push((dat80_label(field), value));
    }
    let (payload, _) =
        bagit::finish(work.path(), &bagit::BagInfo(info)).map_err(|e| io_error(output, &e))?;
    let dir = work.keep();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| io_error(&dir, &e))?;
    }
    // An empty folder named as the output is replaced by the bag.
    if output.exists() {
        std::fs::remove_dir(output).map_err(|e| io_error(output, &e))?;
    }
    if let Err(e) = std::fs::rename(&dir, output) {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(io_error(output, &e));
    }
    Ok((payload, written))
}

/// The `bag-info.txt` label of a field of [`crate::publish::warc::description`]:
/// `X-DAT80-Site-Name` for `site-name`.
fn dat80_label(field: &str) -> String {
    let words: Vec<String> = field
        .split('-')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    format!("X-DAT80-{}", words.join("-"))
}

/// The site as it is published: reports marked `draft: true` left out, and the placeholders of
/// the others made errors (a preview shows both).
fn publishable(site: Site, diagnostics: &mut Diagnostics) -> Site {
    let drafts: Vec<String> = site
        .reports
        .iter()
        .filter(|r| r.meta.draft)
        .map(|r| format!("{}/", r.folder))
        .collect();
    let in_draft = |file: &str| drafts.iter().any(|d| file.starts_with(d.as_str()));
    diagnostics.promote_where(|d| d.code == content::report::UNFINISHED && !in_draft(&d.file));
    if drafts.is_empty() {
        return site;
    }
    let (config, townships, reports, intro, year_intros) = site.into_parts();
    let reports = reports.into_iter().filter(|r| !r.meta.draft).collect();
    Site::new(config, townships, reports, intro, year_intros)
}

/// Load and validate everything, render the planned site in memory and check every internal
/// link, anchor, image and attachment reference of its pages, writing nothing.
pub fn check(root: &Path, options: &Options) -> Result<(Summary, Diagnostics), Failure> {
    let start = Instant::now();
    if crate::federate::is_federation(root) {
        let result = crate::federate::check(root, &options.federation());
        return federation_summary(result, options, start);
    }
    let phase = |name: &str| crate::profile::phase(name, start);
    let loaded = load(root, options)?;
    phase("loaded");
    let plan = plan::plan(&loaded.site, &loaded.theme);
    let producer = Producer::new(&loaded.site, &loaded.theme);
    let checker = linkcheck::Checker::new(&loaded.site, &loaded.theme, &plan);
    let links = linkcheck::SourceLinks::new(&loaded.site, &plan, &plan);
    phase("narrative links");
    // As in a build, a report's or township's embed is made with its page, from one context.
    let (embeds, rendered): (Vec<&PlannedFile>, Vec<&PlannedFile>) =
        plan.iter().partition(|f| made_with_its_page(&f.target));
    let embeds: HashMap<&str, &PlannedFile> =
        embeds.into_iter().map(|f| (f.path.as_str(), f)).collect();
    let rendered: Vec<PlannedFile> = rendered.into_iter().cloned().collect();
    let pages = std::sync::Mutex::new(Vec::new());
    let check_page = |file: &PlannedFile, bytes: &[u8]| {
        links.page(&file.path, bytes);
        let findings = checker.page(file, &String::from_utf8_lossy(bytes));
        if let Ok(mut pages) = pages.lock() {
            pages.push((file.path.clone(), findings));
        }
    };
    let (mut diagnostics, output_error) = render_all(
        &rendered,
        |f: &PlannedFile| archive::produce_with_embed(&producer, f),
        &(),
        |file, content, extra| {
            if let (Content::Bytes(bytes), true) = (&content, file.target.is_page()) {
                check_page(file, bytes);
            }
            if let Some((path, bytes)) = extra.embed {
                debug_assert!(embeds.contains_key(path.as_str()), "unplanned embed {path}");
                if let Some(embed) = embeds.get(path.as_str()) {
                    check_page(embed, &bytes);
                }
            }
            Ok(())
        },
    );
    phase("rendered, pages checked");
    let pages = pages.into_inner().unwrap_or_default();
    diagnostics.extend(checker.finish(pages));
    diagnostics.extend(links.finish());
    phase("links combined");
    finish(loaded, &plan, (diagnostics, output_error), start)
}

/// Build the site at `root` into `output`. The previous output is replaced only on success.
pub fn build(
    root: &Path,
    output: &Path,
    options: &Options,
    progress: &dyn Progress,
) -> Result<(Summary, Diagnostics), Failure> {
    let start = Instant::now();
    if crate::federate::is_federation(root) {
        let result = crate::federate::build(root, output, &options.federation());
        return federation_summary(result, options, start);
    }
    let phase = |name: &str| crate::profile::phase(name, start);
    let marker = crate::publish::stamp::Marker::read(output);
    let (sources, loaded) = fingerprint_and_load(root, options, &marker);
    if let Some(stamp) = marker
        .up_to_date(output, sources.0)
        .filter(|_| !has_plugins(root))
    {
        return Ok((up_to_date(&stamp, start), Diagnostics::new()));
    }
    phase("fingerprinted");
    let loaded = match loaded {
        Some(loaded) => loaded?,
        None => load(root, options)?,
    };
    phase("loaded");
    let plan = plan::plan(&loaded.site, &loaded.theme);
    let park =
        crate::publish::kept::parked_staging(root, &crate::publish::staging::absolute(output));
    let staging = Staging::with_park(root, output, Some(park))?;
    let store = (!options.allow_draft).then(|| crate::publish::kept::Kept::of_site(root));
    let sources = (sources.0, with_audit_days(&loaded.site, sources.1));
    let archives = Archives::new(&loaded.site, &marker, &sources.1, store);
    let links = linkcheck::SourceLinks::new(&loaded.site, &plan, &plan);
    phase("narrative links");
    let mut errors = write_in_order(
        &loaded, &plan, &staging, &archives, &links, progress, &phase,
    );
    errors.0.extend(links.finish());
    let (mut summary, diagnostics) = finish(loaded, &plan, errors, start)?;
    summary.written = stamp_and_commit(staging, &summary, sources)?;
    phase("committed");
    summary.elapsed = start.elapsed();
    Ok((summary, diagnostics))
}

/// A federation run's outcome as a build's summary (`reports`: the members' reports).
fn federation_summary(
    result: Result<(crate::federate::Outcome, Diagnostics), crate::federate::Failure>,
    options: &Options,
    start: Instant,
) -> Result<(Summary, Diagnostics), Failure> {
    let (outcome, mut diagnostics) = result.map_err(|e| match e {
        crate::federate::Failure::Content(d) => Failure::Content(d),
        crate::federate::Failure::Output(e) => Failure::Output(e),
    })?;
    if options.strict && diagnostics.warning_count() > 0 {
        diagnostics.promote_warnings();
        return Err(Failure::Content(diagnostics));
    }
    let summary = Summary {
        reports: outcome.reports,
        pages: outcome.pages,
        files: outcome.files,
        warnings: diagnostics.warning_count(),
        written: outcome.written,
        up_to_date: false,
        elapsed: start.elapsed(),
    };
    Ok((summary, diagnostics))
}

/// The fingerprints of the sources (the whole site's and each year's), and the loaded site when
/// there is no stamp to compare with: then both run at once.
fn fingerprint_and_load(
    root: &Path,
    options: &Options,
    marker: &crate::publish::stamp::Marker,
) -> (Fingerprints, Option<Result<Loaded, Failure>>) {
    let inputs = options.stamp_inputs();
    if marker.stamp().is_some() {
        return (crate::publish::stamp::fingerprints(root, &inputs), None);
    }
    let (prints, loaded) = rayon::join(
        || crate::publish::stamp::fingerprints(root, &inputs),
        || load(root, options),
    );
    (prints, Some(loaded))
}

/// The fingerprint of all sources, and of each year's (for its archive).
type Fingerprints = (u64, BTreeMap<u16, u64>);

/// Each year's fingerprint with the day its archive's oversight is made as of
/// ([`Site::archive_as_of`]), which stays the same once the year's deadline has passed.
fn with_audit_days(site: &Site, prints: BTreeMap<u16, u64>) -> BTreeMap<u16, u64> {
    use std::hash::{Hash, Hasher};
    prints
        .into_iter()
        .map(|(year, print)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            print.hash(&mut h);
            site.archive_as_of(year).hash(&mut h);
            (year, h.finish())
        })
        .collect()
}

/// The summary of a build that found its output up to date.
fn up_to_date(stamp: &crate::publish::stamp::Stamp, start: Instant) -> Summary {
    Summary {
        reports: stamp.reports,
        pages: stamp.pages,
        files: stamp.files,
        warnings: stamp.warnings,
        written: 0,
        up_to_date: true,
        elapsed: start.elapsed(),
    }
}

/// The year archives of a build: which years keep the archive the live output has (their
/// sources did not change), which take the archive kept beside the site, and what the others
/// reuse from the live rendering.
struct Archives {
    unchanged: BTreeSet<u16>,
    /// Archives kept beside the site from an earlier build of the same sources, by year.
    kept: BTreeMap<u16, PathBuf>,
    /// The fingerprint of each year's sources, under which its archive is kept.
    prints: BTreeMap<u16, u64>,
    /// Where archives are kept for the next build; none for a build with drafts (a preview).
    store: Option<crate::publish::kept::Kept>,
    ahead: archive::Ahead,
}

impl Archives {
    /// Keep the archive of `year` just put at `staged` beside the site, unless it is kept already.
    /// A store that cannot be written costs the next build the archive, nothing else.
    fn keep(&self, year: u16, staged: &Path) {
        let (Some(store), Some(&print)) = (&self.store, self.prints.get(&year)) else {
            return;
        };
        if store.find(year, print).is_none()
            && let Err(e) = store.keep(year, print, staged)
            && crate::profile::enabled()
        {
            eprintln!("archive {year} not kept: {e}");
        }
    }

    fn new(
        site: &Site,
        marker: &crate::publish::stamp::Marker,
        prints: &BTreeMap<u16, u64>,
        store: Option<crate::publish::kept::Kept>,
    ) -> Self {
        let recorded = marker.archives();
        let unchanged: BTreeSet<u16> = prints
            .iter()
            .filter(|(year, print)| recorded.get(year) == Some(print))
            .map(|(year, _)| *year)
            .collect();
        let written: Vec<u16> = site
            .years()
            .into_iter()
            .filter(|y| !unchanged.contains(y))
            .collect();
        let kept: BTreeMap<u16, PathBuf> = written
            .iter()
            .filter_map(|&y| Some((y, store.as_ref()?.find(y, *prints.get(&y)?)?)))
            .collect();
        let written: Vec<u16> = written
            .into_iter()
            .filter(|y| !kept.contains_key(y))
            .collect();
        Archives {
            unchanged,
            kept,
            prints: prints.clone(),
            store,
            ahead: archive::Ahead::new(site, written, archive::AHEAD_BUDGET),
        }
    }
}

/// Render and write the plan in the order its files depend on each other: every file but the
/// year pages (report pages of archived years compressed for their archive on the way), then
/// the archives (which copy data files just written), then the year pages (which
/// show the archives' sizes: [`sink::after_archives`]).
fn write_in_order(
    loaded: &Loaded,
    plan: &[PlannedFile],
    staging: &Staging,
    archives: &Archives,
    links: &linkcheck::SourceLinks,
    progress: &dyn Progress,
    phase: &dyn Fn(&str),
) -> RenderErrors {
    let mut producer = Producer::new(&loaded.site, &loaded.theme);
    let Archives { ahead, .. } = archives;
    progress.set_length(plan.len() as u64);
    // A report's or township's embed is made with its page (from the same tables): its own
    // planned file is skipped.
    let (first, year_pages): (Vec<_>, Vec<_>) = plan
        .iter()
        .filter(|f| !made_with_its_page(&f.target))
        .cloned()
        .partition(|f| !sink::after_archives(&f.target));
    let sink = |file: &PlannedFile, content: Content, extra: archive::Extra| {
        let path = file.path.as_str();
        // A report page goes into its year's archive as it is.
        if let (Content::Bytes(page), Target::Report(i)) = (&content, &file.target) {
            let year = loaded.site.reports[*i].year;
            ahead.add(year, path, page).map_err(|e| OutputError::Io {
                path: path.into(),
                source: e,
            })?;
        }
        if let Content::Bytes(bytes) = &content {
            links.page(path, bytes);
        }
        if let Some((embed_path, embed)) = extra.embed {
            links.page(&embed_path, &embed);
            staging.write(&embed_path, &embed)?;
            progress.inc(1);
        }
        let mut sink = Staged { staging };
        sink::put(&mut sink, &loaded.site, &loaded.theme, path, content)
    };
    let mut errors = render_all(
        &first,
        |f: &PlannedFile| archive::produce_with_embed(&producer, f),
        progress,
        sink,
    );
    phase("rendered");
    if crate::profile::enabled() {
        let (entries, bytes) = ahead.held();
        eprintln!(
            "archive entries compressed ahead: {entries}, {} MiB",
            bytes >> 20
        );
    }
    let (sizes, archive_errors) = write_archives(plan, &producer, staging, archives);
    phase("archived");
    producer.set_archive_sizes(sizes);
    let year_errors = render_all(
        &year_pages,
        |f: &PlannedFile| archive::produce_with_embed(&producer, f),
        progress,
        sink,
    );
    for (more, output_error) in [archive_errors, year_errors] {
        errors.0.extend(more);
        if errors.1.is_none() {
            errors.1 = output_error;
        }
    }
    progress.finish();
    phase("year pages");
    errors
}

/// Whether `target` is an embed that is made with its page ([`archive::produce_with_embed`]) rather
/// than on its own.
fn made_with_its_page(target: &Target) -> bool {
    matches!(
        target,
        Target::Embed(plan::Embedded::Report(_) | plan::Embedded::Township(_))
    )
}

/// Record what the build read and made in the output's marker, and swap the staging tree in;
/// returns the number of files written.
fn stamp_and_commit(
    staging: Staging,
    summary: &Summary,
    (fingerprint, archive_prints): Fingerprints,
) -> Result<usize, Failure> {
    let stamp = crate::publish::stamp::Stamp {
        fingerprint,
        reports: summary.reports,
        pages: summary.pages,
        files: summary.files,
        warnings: summary.warnings,
    }
    .to_text();
    staging.stamp(&(stamp + &crate::publish::stamp::archives_text(&archive_prints)))?;
    Ok(staging.commit()?.written)
}

/// Put every planned year archive (in parallel) into the staging tree: the one kept beside the
/// site or in the live output when its sources did not change, else a new one (kept for the next
/// build); returns their sizes.
fn write_archives(
    plan: &[PlannedFile],
    producer: &Producer<'_>,
    staging: &Staging,
    archives: &Archives,
) -> (BTreeMap<u16, u64>, RenderErrors) {
    let years: Vec<(u16, &str)> = plan
        .iter()
        .filter_map(|f| match f.target {
            Target::Archive(y) => Some((y, f.path.as_str())),
            _ => None,
        })
        .collect();
    if let Some(store) = &archives.store {
        let all: Vec<u16> = years.iter().map(|&(y, _)| y).collect();
        // A cache: what cannot be removed now is tried again by the next build.
        let _ = store.forget_other_years(&all);
    }
    let outcomes: Vec<_> = years
        .par_iter()
        .map(|&(year, path)| {
            if let Some(kept) = archives.kept.get(&year)
                && let Ok(size) = staging.put_existing(path, kept)
            {
                return (year, Ok(size), None);
            }
            let (written, failed) = if archives.unchanged.contains(&year)
                && let Ok(Some(size)) = staging.keep_live(path)
            {
                (Ok(size), None)
            } else {
                make_archive(plan, producer, staging, archives, year, path)
            };
            if written.is_ok() {
                archives.keep(year, &staging.dir().join(path));
            }
            (year, written, failed)
        })
        .collect();
    let mut sizes = BTreeMap::new();
    let mut diagnostics = Diagnostics::new();
    let mut output_error = None;
    for (year, written, failed) in outcomes {
        match (written, failed) {
            (Ok(size), _) => {
                sizes.insert(year, size);
            }
            (Err(_), Some(d)) => diagnostics.push(d),
            (Err(e), None) => {
                output_error.get_or_insert(e);
            }
        }
    }
    (sizes, (diagnostics, output_error))
}

/// Write the archive of `year` at `path` of the staging tree; returns its size, or why not.
fn make_archive(
    plan: &[PlannedFile],
    producer: &Producer<'_>,
    staging: &Staging,
    archives: &Archives,
    year: u16,
    path: &str,
) -> (Result<u64, OutputError>, Option<Diagnostic>) {
    let Archives { ahead, .. } = archives;
    let mut failed = None;
    let reuse = |f: &archive::ArchiveFile| archive::ready(ahead, year, f, staging.dir());
    let written = staging.write_file(path, |file| {
        archive::write_year_reusing(
            producer.site(),
            producer.theme(),
            plan,
            year,
            archive::PatchWriter::new(file)?,
            &reuse,
        )
        .map_err(|e| {
            match e {
                archive::ArchiveError::Render(d) => failed = Some(*d),
                other => {
                    failed = Some(Diagnostic::error("output.archive", path, other.to_string()))
                }
            }
            std::io::Error::other("archive")
        })
    });
    (written, failed)
}

/// The kind of a planned file in the profile's table: `Report`, `ReportData.xlsx`…
fn kind_of(target: &Target) -> String {
    let kind = format!("{target:?}");
    kind.split('(').next().unwrap_or_default().to_string()
        + &match target {
            Target::ReportData(_, k)
            | Target::TownshipData(_, k)
            | Target::AllData(k)
            | Target::CountyTotals(k) => {
                format!(".{}", k.extension())
            }
            _ => String::new(),
        }
}

type RenderErrors = (Diagnostics, Option<OutputError>);

/// Render every planned file in parallel and hand it to `sink`; collect problems.
fn render_all<P, F>(
    plan: &[PlannedFile],
    produce: P,
    progress: &dyn Progress,
    sink: F,
) -> RenderErrors
where
    P: Fn(&PlannedFile) -> Result<(Content, archive::Extra), Diagnostic> + Sync,
    F: Fn(&PlannedFile, Content, archive::Extra) -> Result<(), OutputError> + Sync,
{
    let profile = crate::profile::Kinds::from_env();
    let outcomes: Vec<Result<(), Result<Diagnostic, OutputError>>> = plan
        .par_iter()
        .map(|file| {
            let started = Instant::now();
            let produced = produce(file);
            progress.inc(1);
            let (content, extra) = produced.map_err(Ok)?;
            let rendered = started.elapsed();
            let result = sink(file, content, extra).map_err(Err);
            profile.record(
                || kind_of(&file.target),
                rendered,
                started.elapsed() - rendered,
            );
            result
        })
        .collect();
    profile.report();
    let mut diagnostics = Diagnostics::new();
    let mut output_error = None;
    let mut seen = std::collections::HashSet::new();
    for outcome in outcomes {
        match outcome {
            Ok(()) => {}
            Err(Ok(d)) => {
                if seen.insert(d.to_string()) {
                    diagnostics.push(d);
                }
            }
            Err(Err(e)) => {
                output_error.get_or_insert(e);
            }
        }
    }
    (diagnostics, output_error)
}

fn finish(
    loaded: Loaded,
    plan: &[PlannedFile],
    errors: RenderErrors,
    start: Instant,
) -> Result<(Summary, Diagnostics), Failure> {
    let (render_diagnostics, output_error) = errors;
    let mut diagnostics = loaded.diagnostics;
    if !render_diagnostics.is_empty() {
        diagnostics.extend(render_diagnostics);
        diagnostics.sort();
        return Err(Failure::Content(diagnostics));
    }
    if let Some(e) = output_error {
        return Err(Failure::Output(e));
    }
    let summary = Summary {
        reports: loaded.site.reports.len(),
        pages: plan.iter().filter(|f| f.target.is_page()).count(),
        files: plan.len(),
        warnings: diagnostics.warning_count(),
        written: 0,
        up_to_date: false,
        elapsed: start.elapsed(),
    };
    Ok((summary, diagnostics))
}
