//! Building a city's federation portal: read every member (fetching it, or its cached copy),
//! build the federated model ([`crate::federation`]), render its pages and data files, and
//! publish them through the same staging tree as a county build.
//!
//! A site is either a county (with `content/`) or a federation (with `[federation]` in site.toml
//! and no `content/`). A member that cannot be read is a warning, not an error: its last good
//! copy is used, marked with the day it was fetched, and the build goes on.

use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use thiserror::Error;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::export::federation as export;
use crate::federation::model::{self, Federation, Member};
use crate::federation::source::{self, Limits};
use crate::publish::staging::{OutputError, Staging};
use crate::render::federation::{Page, render};
use crate::render::pages::Shared;
use crate::theme::Theme;

/// Settings of one federation run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Replaces `base_url` from site.toml.
    pub base_url: Option<String>,
    /// The day the audit is made as of; `None`: site.toml's `[audit] as_of`, else today.
    pub as_of: Option<NaiveDate>,
    /// Build from the cache alone, fetching nothing.
    pub offline: bool,
}

/// Why a federation run failed.
#[derive(Debug, Error)]
pub enum Failure {
    /// Settings or templates are wrong; the list holds the warnings too.
    #[error("设置有错误")]
    Content(Diagnostics),
    /// Writing the output failed.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// What a run made.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Members, and of them those read fresh.
    pub members: usize,
    /// Members read fresh now.
    pub fresh: usize,
    /// Reports across the members read.
    pub reports: usize,
    /// HTML pages.
    pub pages: usize,
    /// Files.
    pub files: usize,
    /// Files whose bytes changed.
    pub written: usize,
}

/// Whether the site at `root` is a federation portal (its site.toml has `[federation]`).
pub fn is_federation(root: &Path) -> bool {
    Config::load(root).is_ok_and(|c| c.federation.is_some())
}

/// The loaded federation: settings, theme, model and the warnings about members.
pub struct Loaded {
    /// Settings.
    pub config: Config,
    /// Theme.
    pub theme: Theme,
    /// The model.
    pub federation: Federation,
    /// Warnings (members read from the cache or not at all).
    pub diagnostics: Diagnostics,
}

/// Read the settings and every member.
pub fn load(root: &Path, settings: &Settings) -> Result<Loaded, Failure> {
    let single = |d: Diagnostic| {
        let mut all = Diagnostics::new();
        all.push(d);
        Failure::Content(all)
    };
    let mut config = Config::load(root).map_err(single)?;
    if let Some(url) = &settings.base_url {
        config.set_base_url(url).map_err(|message| {
            single(Diagnostic::error("config.base-url", "site.toml", message))
        })?;
    }
    let Some(federation) = config.federation.clone() else {
        return Err(single(Diagnostic::error(
            "federation.none",
            "site.toml",
            "site.toml 中没有 [federation]，这不是联合门户站点",
        )));
    };
    if root.join("content").exists() {
        return Err(single(
            Diagnostic::error(
                "federation.content",
                "content",
                "联合门户站点不能有 content/ 目录：一个站点要么是县级门户（content/ 中是各乡镇报告），要么是联合门户（site.toml 中的 [federation] 列出各县门户）",
            )
            .hint("把联合门户放在单独的目录中，或删去 site.toml 中的 [federation]"),
        ));
    }
    let as_of = settings
        .as_of
        .or(config.as_of)
        .unwrap_or_else(crate::dates::today);
    config.as_of = Some(as_of);
    let theme = Theme::load(root, &config.theme).map_err(single)?;
    let limits = Limits {
        timeout_s: federation.timeout_s,
        max_mib: federation.max_mib,
    };
    let today = crate::dates::today();
    // Members are read at once (a slow server costs its timeout, not the others').
    let results: Vec<(Member, Option<Diagnostic>)> = federation
        .members
        .par_iter()
        .with_max_len(1)
        .map(|m| {
            let result = source::load(m, root, limits, settings.offline, today);
            let (loaded, problem) = match result {
                Ok(l) => {
                    let problem = l.stale.clone();
                    (Some(l), problem)
                }
                Err(e) => (None, Some(e.to_string())),
            };
            let warning = problem.as_ref().map(|cause| {
                let what = match &loaded {
                    Some(l) => format!("，使用 {} 获取的缓存数据", l.fetched),
                    None => "，缓存中也没有它的数据，本次生成不含该县".to_string(),
                };
                Diagnostic::warning(
                    "federation.member",
                    "site.toml",
                    format!("成员「{}」（{}）无法读取：{cause}{what}", m.name, m.source),
                )
                .field("federation.members")
            });
            let totals = loaded
                .as_ref()
                .map(|l| model::read_totals(&l.totals_csv()))
                .unwrap_or_default();
            let member = Member {
                name: m.name.clone(),
                slug: m.slug.clone(),
                source: m.source.clone(),
                loaded,
                problem,
                totals,
            };
            (member, warning)
        })
        .collect();
    let mut diagnostics = Diagnostics::new();
    let mut members = Vec::new();
    for (member, warning) in results {
        if let Some(w) = warning {
            diagnostics.push(w);
        }
        members.push(member);
    }
    Ok(Loaded {
        federation: Federation::new(members, as_of),
        config,
        theme,
        diagnostics,
    })
}

/// A file of the federation's output.
enum Made {
    Bytes(Vec<u8>),
    Copy(std::path::PathBuf),
    /// `data/all.csv` (false) or `data/all.json` (true), streamed.
    All(bool),
}

/// Every file of the output, rendered (the union files are streamed when written).
fn plan(loaded: &Loaded) -> Result<Vec<(String, Made)>, Diagnostics> {
    let shared = Shared::for_federation(&loaded.config);
    let pages: Vec<Result<(String, Made), Diagnostic>> = Page::ALL
        .par_iter()
        .map(|&page| {
            render(
                page,
                &loaded.federation,
                &loaded.config,
                &shared,
                &loaded.theme,
            )
            .map(|bytes| (page.path().to_string(), Made::Bytes(bytes)))
        })
        .collect();
    let mut files = Vec::new();
    let mut errors = Diagnostics::new();
    for page in pages {
        match page {
            Ok(file) => files.push(file),
            Err(d) => errors.push(d),
        }
    }
    let f = &loaded.federation;
    files.push((
        "audit/audit.csv".to_string(),
        Made::Bytes(export::audit_csv(f)),
    ));
    match export::audit_xlsx(f, &loaded.config.portal.region) {
        Ok(bytes) => files.push(("audit/audit.xlsx".to_string(), Made::Bytes(bytes))),
        Err(e) => errors.push(Diagnostic::error(
            "render.xlsx",
            "audit/audit.xlsx",
            format!("无法生成 Excel 文件：{e}"),
        )),
    }
    files.push((
        "data/totals.csv".to_string(),
        Made::Bytes(export::totals_csv(f)),
    ));
    files.push(("data/all.csv".to_string(), Made::All(false)));
    files.push(("data/all.json".to_string(), Made::All(true)));
    for (name, file) in &loaded.theme.statics {
        let made = match file {
            crate::theme::StaticFile::Embedded(bytes) => Made::Bytes(bytes.to_vec()),
            crate::theme::StaticFile::Disk(path) => Made::Copy(path.clone()),
        };
        files.push((format!("static/{name}"), made));
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn outcome(loaded: &Loaded, files: &[(String, Made)]) -> Outcome {
    let members = &loaded.federation.members;
    Outcome {
        members: members.len(),
        fresh: members
            .iter()
            .filter(|m| m.loaded.is_some() && m.problem.is_none())
            .count(),
        reports: members
            .iter()
            .filter_map(Member::doc)
            .map(|d| d.reports.len())
            .sum(),
        pages: files.iter().filter(|(p, _)| p.ends_with(".html")).count(),
        files: files.len(),
        written: 0,
    }
}

/// Read the members and render every page without writing (`nianbao check`).
pub fn check(root: &Path, settings: &Settings) -> Result<(Outcome, Diagnostics), Failure> {
    let loaded = load(root, settings)?;
    let files = plan(&loaded).map_err(|mut errors| {
        errors.extend(loaded.diagnostics.clone());
        Failure::Content(errors)
    })?;
    Ok((outcome(&loaded, &files), loaded.diagnostics))
}

/// Build the federation portal at `root` into `output`.
pub fn build(
    root: &Path,
    output: &Path,
    settings: &Settings,
) -> Result<(Outcome, Diagnostics), Failure> {
    let loaded = load(root, settings)?;
    write(root, output, loaded)
}

/// Write a loaded federation into `output` (the previous output is replaced only on success).
pub fn write(
    root: &Path,
    output: &Path,
    loaded: Loaded,
) -> Result<(Outcome, Diagnostics), Failure> {
    let files = plan(&loaded).map_err(|mut errors| {
        errors.extend(loaded.diagnostics.clone());
        Failure::Content(errors)
    })?;
    let staging = Staging::with_park(root, output, None)?;
    let written: Result<Vec<()>, OutputError> = files
        .par_iter()
        .map(|(path, made)| match made {
            Made::Bytes(bytes) => staging.write(path, bytes),
            Made::Copy(source) => staging.copy(path, source),
            Made::All(json) => {
                staging.write_stream(path, |w| export::write_all(&loaded.federation, *json, w))
            }
        })
        .collect();
    written?;
    let mut outcome = outcome(&loaded, &files);
    outcome.written = staging.commit()?.written;
    Ok((outcome, loaded.diagnostics))
}
