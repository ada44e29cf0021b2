//! Micro-benchmarks of the per-report hot path, on the content pack's real 2018 report:
//! `cargo bench --bench hot`. Whole-site timings (and the comparison with Hugo) are
//! bench/run.sh's job; these show a regression of one function in numbers.

use std::path::PathBuf;

use divan::{Bencher, black_box};
use nianbao::content::{stats, yaml::KeyIndex};
use nianbao::diagnostics::Diagnostics;
use nianbao::export::data;
use nianbao::render::markdown;
use nianbao::search;
use nianbao::site::Site;
use nianbao::site::table;
use nianbao::validate;

fn main() {
    divan::main();
}

fn pack_file(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("content/2018/beijinggang")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pack_stats() -> nianbao::site::Stats {
    let text = pack_file("stats.yaml");
    stats::parse(&text, "stats.yaml", &mut Diagnostics::new()).expect("the pack's stats parse")
}

/// The content pack as a site whose one report is copied to `towns` townships (each copy under
/// its own slug), so that indexing sees many documents.
fn pack_site(towns: usize) -> Site {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = nianbao::config::Config::load(&root).expect("the pack's site.toml loads");
    let (site, diagnostics) = nianbao::content::load_site(&root, config.clone());
    let Some(pack) = site.filter(|_| !diagnostics.has_errors()) else {
        panic!("the content pack loads without errors");
    };
    let (township, report) = (&pack.townships[0], &pack.reports[0]);
    let mut townships = Vec::with_capacity(towns);
    let mut reports = Vec::with_capacity(towns);
    for i in 0..towns {
        let slug = format!("t{i:05}");
        let mut t = township.clone();
        t.slug.clone_from(&slug);
        t.order = i as i64;
        let mut r = report.clone();
        r.township = slug;
        townships.push(t);
        reports.push(r);
    }
    Site::new(config, townships, reports, None, Default::default())
}

/// The narrative part of report.md (everything after the front matter).
fn pack_narrative() -> String {
    let text = pack_file("report.md");
    match nianbao::content::report::split_front_matter(&text) {
        Ok((_, body)) => body.to_string(),
        Err(_) => panic!("the pack's report.md has front matter"),
    }
}

#[divan::bench]
fn stats_parse(bencher: Bencher) {
    let text = pack_file("stats.yaml");
    bencher.bench(|| stats::parse(black_box(&text), "stats.yaml", &mut Diagnostics::new()));
}

#[divan::bench]
fn stats_validate(bencher: Bencher) {
    let text = pack_file("stats.yaml");
    let keys = KeyIndex::scan(&text, 0);
    let parsed = pack_stats();
    bencher.bench(|| {
        let mut s = parsed.clone();
        let mut diagnostics = Diagnostics::new();
        validate::check_stats(&mut s, "stats.yaml", |k| keys.locate(k), &mut diagnostics);
        diagnostics
    });
}

#[divan::bench]
fn front_matter_split(bencher: Bencher) {
    let text = pack_file("report.md");
    bencher.bench(|| nianbao::content::report::split_front_matter(black_box(&text)).is_ok());
}

#[divan::bench]
fn markdown_render_and_sanitise(bencher: Bencher) {
    let body = pack_narrative();
    bencher.bench(|| markdown::render(black_box(&body)));
}

#[divan::bench]
fn official_table_html(bencher: Bencher) {
    let s = pack_stats();
    bencher.bench(|| {
        table::tables(black_box(&s))
            .iter()
            .map(|t| t.to_html())
            .collect::<Vec<_>>()
    });
}

#[divan::bench]
fn stats_csv(bencher: Bencher) {
    let s = pack_stats();
    bencher.bench(|| data::stats_csv("beijinggang", "北景港镇", 2018, black_box(&s)));
}

#[divan::bench]
fn search_doc_text(bencher: Bencher) {
    let site = pack_site(1);
    bencher.bench(|| search::doc_text(black_box(&site.reports[0])));
}

/// Tokenising 200 reports and writing the shards of their index.
#[divan::bench]
fn search_index_200_reports(bencher: Bencher) {
    let site = pack_site(200);
    bencher.bench(|| search::build(black_box(&site)));
}
