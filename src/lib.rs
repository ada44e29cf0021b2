//! nianbao (年报): a static site generator for Chinese government information-disclosure annual
//! reports (政府信息公开工作年度报告), and a library that reads the same model.
//!
//! The pipeline follows the data: `config` → `content` (load, validating each file as it is read)
//! → [`site`] (the model and its comparisons) → `plugins` (outside commands) → `plan` (every
//! output file) → `produce` (pages from `render`, data files from `export`, search files from
//! `search`) → `publish` (the only writer). [`build`] drives it; `serve` is a loop around it;
//! `import` and [`scaffold`] write content. ARCHITECTURE.md in the repository maps the folders.
//!
//! The library's API is the documented modules: [`build`] (load, check, build, archive — as a
//! ZIP, a WARC web archive or a BagIt bag: [`build::archive_as`] — export),
//! [`site`] (reports, townships, figures, comparisons), [`schema`] (the three official table
//! formats), [`plugins`] (the model as one stable JSON document, which plugins receive),
//! [`config`] and [`dates`] (`site.toml` and its deadlines), [`diagnostics`], [`scaffold`], and
//! with their features `serve` and `import`. The other modules are public only for the project's
//! own command line, tests, benchmarks, examples and fuzz targets (each says which), are hidden
//! from the documentation and may change in any release.
//!
//! # Cargo features
//!
//! All are on by default, so that `cargo build` makes the whole `nianbao` command:
//!
//! - `import`: the `import` module, reading published HTML pages, Excel (XLS/XLSX), PDF and Word
//!   files into content files (scraper, calamine, pdf-extract, quick-xml).
//! - `serve`: the `serve` module, the preview server with live reload (axum, tokio, notify).
//! - `cli`: what only the `nianbao` binary needs (clap, indicatif, mimalloc); the binary is built
//!   only with it, and has the `serve` and `import` subcommands only with those features.
//!
//! With `nianbao = { version = "0.1", default-features = false }` the library still loads,
//! checks, builds, archives and exports a site ([`build::load`], [`build::check`],
//! [`build::build`], [`build::archive`], [`build::export_json`]), reads the model ([`site`]) and
//! writes new sites and reports ([`scaffold`]), with about half the dependencies. Progress is
//! reported through [`build::Progress`], which `&()` implements as "show nothing".
//! `examples/lean.rs` is such a program; CI builds and runs it that way.
//!
//! Load a site and read a figure as the report printed it:
//!
//! ```
//! use nianbao::build::{Options, load};
//!
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")); // the bundled content pack
//! let loaded = load(root, &Options::default()).expect("the content pack loads");
//! let report = loaded.site.report(2018, "beijinggang").expect("北景港镇's 2018 report");
//! let stats = report.stats.as_ref().expect("it has a statistics table");
//! assert_eq!(stats.format.id, "gov-2014");
//! assert_eq!(stats.value("proactive.total").map(|v| v.to_string()), Some("147".into()));
//! // A heading row has no figure of its own: blank is not 0.
//! assert_eq!(stats.value("proactive"), None);
//! ```
//!
//! Check a site as `nianbao check` does (content rules and every internal link), writing nothing:
//!
//! ```
//! use nianbao::build::{Options, check};
//! use nianbao::diagnostics::Severity;
//!
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
//! let (summary, diagnostics) = check(root, &Options::default()).expect("no errors");
//! assert_eq!(summary.reports, 1);
//! assert!(diagnostics.iter().all(|d| d.severity == Severity::Warning));
//! ```
//!
//! Build the site into a folder (the previous output is replaced only when the whole build
//! succeeded), then read what it published:
//!
//! ```
//! use nianbao::build::{Options, build};
//!
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
//! let out = tempfile::tempdir().expect("a temporary folder");
//! let public = out.path().join("public");
//! let (summary, _warnings) = build(root, &public, &Options::default(), &()).expect("built");
//! assert_eq!(summary.reports, 1);
//! assert!(summary.pages >= 9);
//! let page = std::fs::read_to_string(public.join("2018/beijinggang/index.html")).unwrap();
//! assert!(page.contains("北景港镇"));
//! ```
//!
//! Read a comparison as the township page shows it: every year of the township, each figure
//! with whether it compares with the year before:
//!
//! ```
//! use nianbao::build::{Options, load};
//! use nianbao::site::compare::{township_comparison, year_comparison};
//!
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
//! let site = load(root, &Options::default()).expect("the content pack loads").site;
//! let township = township_comparison(&site, "beijinggang");
//! assert_eq!(township.years.iter().map(|y| y.year).collect::<Vec<_>>(), [2018]);
//! let row = township.rows.iter().find(|r| r.indicator.label == "主动公开政府信息数");
//! let figure = row.and_then(|r| r.cells[0].measure.value());
//! assert_eq!(figure.map(|v| v.to_string()).as_deref(), Some("147"));
//!
//! // The townships of one year side by side, with county totals.
//! let year = year_comparison(&site, 2018);
//! assert_eq!(year.rows.len(), 1);
//! assert_eq!(year.rows[0].township, "beijinggang");
//! ```
//!
//! Export the model as the stable JSON document (`nianbao export --format json`), which is also
//! what plugins receive:
//!
//! ```
//! let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
//! let json = nianbao::build::export_json(root, &Default::default()).expect("exported");
//! assert!(json.starts_with("{\n  \"version\": 1,"));
//! assert!(json.contains("\"proactive.total\": 147"));
//! ```

// A `Diagnostic` (about 150 bytes) is the error type of most loaders. Errors are the cold path
// and are collected, not propagated through hot loops, so boxing them would only add noise.
#![allow(clippy::result_large_err)]
#![deny(missing_docs)]
#![warn(unreachable_pub)]

pub mod build;
pub mod config;
// Public (hidden) for benches/hot.rs (`load_site`, `stats`, `yaml`) and fuzz/ (`stats`, `yaml`,
// `report::split_front_matter`).
#[doc(hidden)]
pub mod content;
pub mod dates;
pub mod diagnostics;
// Public (hidden) for fuzz/ (`decode`).
#[doc(hidden)]
pub mod encoding;
// Public (hidden) for the command line (`audit::csv` for `nianbao audit --csv`), tests/
// (`xlsx::sheet`, `xlsx::form`) and benches/hot.rs (`data`).
#[doc(hidden)]
pub mod export;
pub mod federate;
pub mod federation;
#[cfg(feature = "import")]
pub mod import;
// Public (hidden) for tests/ (`check_tree`, the checker run on files built outside the library).
#[doc(hidden)]
pub mod linkcheck;
mod markup;
// Public (hidden) for examples/render_cost.rs (the plan and its targets).
#[doc(hidden)]
pub mod plan;
pub mod plugins;
// Public (hidden) for examples/render_cost.rs (`Producer`).
#[doc(hidden)]
pub mod produce;
mod profile;
// Public (hidden) for examples/render_cost.rs (`archive::archive_plan`, `archive::write_year`).
#[doc(hidden)]
pub mod publish;
// Public (hidden) for tests/ (`pages::human_size`), benches/hot.rs and fuzz/ (`markdown`),
// examples/render_cost.rs.
#[doc(hidden)]
pub mod render;
pub mod scaffold;
pub mod schema;
// Public (hidden) for tests/search.rs (normalisation, tokens, shards), benches/hot.rs and
// examples/search_index_cost.rs.
#[doc(hidden)]
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
// Public (hidden) for examples/render_cost.rs (`Theme`).
#[doc(hidden)]
pub mod theme;
// Public (hidden) for benches/hot.rs (`check_stats`) and examples/gen_corpus.rs (`evaluate`).
#[doc(hidden)]
pub mod validate;

/// Helpers shared by unit tests.
#[cfg(test)]
pub(crate) mod testing {
    /// A small xorshift generator from `seed`: each call gives a number below its argument.
    /// Reproducible, so a failing case can be replayed.
    pub(crate) fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |below| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        }
    }
}
