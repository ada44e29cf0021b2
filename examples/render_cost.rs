//! Serial cost of each part of a report page on a site (for profiling; not a benchmark of record).
//!
//! `cargo run --release --example render_cost -- --root DIR`

use std::path::PathBuf;
use std::time::Instant;

use nianbao::build::{Options, load};
use nianbao::plan::{self, Content, DataKind, Target};
use nianbao::produce::Producer;
use nianbao::render::{markdown, pages, qr};
use nianbao::site::table;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(args.get(2).cloned().unwrap_or_else(|| ".".to_string()));
    let started = Instant::now();
    let loaded = load(&root, &Options::default());
    println!(
        "load             {:>8.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    if args.iter().any(|a| a == "--load-only") {
        return;
    }
    let Ok(loaded) = loaded else {
        eprintln!("cannot load the site at {}", root.display());
        std::process::exit(1);
    };
    let site = &loaded.site;
    let n = site.reports.len().min(2000);
    let time = |name: &str, f: &dyn Fn(usize) -> usize| {
        let start = Instant::now();
        let mut bytes = 0;
        for i in 0..n {
            bytes += f(i);
        }
        let ms = start.elapsed().as_secs_f64() * 1e3;
        println!(
            "{name:<16} {:>8.3} ms/report {:>8} bytes/report",
            ms / n as f64,
            bytes / n
        );
    };
    time("markdown", &|i| {
        markdown::render(&site.reports[i].narrative).html.len()
    });
    time("tables", &|i| {
        site.reports[i].stats.as_ref().map_or(0, |s| {
            table::tables(s)
                .iter()
                .map(|t| t.to_html().html.len())
                .sum()
        })
    });
    time("qr", &|i| {
        qr::svg(&format!("https://example.gov.cn/xxgk/{i}/index.html")).len()
    });
    time("context", &|i| {
        let c = pages::report(site, i);
        c.get("title").map_or(0, |_| 1)
    });
    let producer = Producer::new(site, &loaded.theme);
    let plan = plan::plan(site, &loaded.theme);
    let reports: Vec<_> = plan
        .iter()
        .filter(|f| matches!(f.target, Target::Report(_)))
        .collect();
    time("page", &|i| match producer.produce(reports[i]) {
        Ok(Content::Bytes(b)) => b.len(),
        _ => 0,
    });
    let xlsx: Vec<_> = plan
        .iter()
        .filter(|f| matches!(f.target, Target::ReportData(_, DataKind::Xlsx)))
        .collect();
    time("xlsx", &|i| match producer.produce(xlsx[i]) {
        Ok(Content::Bytes(b)) => b.len(),
        _ => 0,
    });
    for kind in [DataKind::Csv, DataKind::Json] {
        let files: Vec<_> = plan
            .iter()
            .filter(|f| matches!(f.target, Target::ReportData(_, k) if k == kind))
            .collect();
        time(kind.extension(), &|i| match producer.produce(files[i]) {
            Ok(Content::Bytes(b)) => b.len(),
            _ => 0,
        });
    }
    archive_cost(site, &loaded.theme, 2018);
    let texts: Vec<_> = plan
        .iter()
        .filter(|f| matches!(f.target, Target::SearchText(_)))
        .collect();
    time("search text", &|i| match producer.produce(texts[i]) {
        Ok(Content::Bytes(b)) => b.len(),
        _ => 0,
    });
}

/// Per-kind render cost of one year's archive plan, and the whole archive written to memory.
pub fn archive_cost(site: &nianbao::site::Site, theme: &nianbao::theme::Theme, year: u16) {
    let year_site = site.restricted_to_year(year);
    let files = nianbao::publish::archive::archive_plan(site, theme, year);
    let live = Producer::new(site, theme);
    let own = Producer::new(&year_site, theme);
    let mut kinds: std::collections::BTreeMap<String, (usize, f64, usize)> = Default::default();
    for f in &files {
        let producer = if f.live { &live } else { &own };
        let f = &f.file;
        let start = Instant::now();
        let len = match producer.produce(f) {
            Ok(Content::Bytes(b)) => b.len(),
            _ => 0,
        };
        let kind = format!("{:?}", f.target);
        let kind = kind.split('(').next().unwrap_or_default().to_string();
        let e = kinds.entry(kind).or_default();
        e.0 += 1;
        e.1 += start.elapsed().as_secs_f64() * 1e3;
        e.2 += len;
    }
    for (k, (n, ms, bytes)) in kinds {
        println!(
            "archive {k:<14} {n:>6} files {ms:>9.1} ms {:>10} KB",
            bytes / 1024
        );
    }
    let start = Instant::now();
    let mut out = std::io::Cursor::new(Vec::new());
    let size = nianbao::publish::archive::write_year(site, theme, year, &mut out).unwrap_or(0);
    println!(
        "archive {year} written: {size} bytes in {:.1} ms (2 threads)",
        start.elapsed().as_secs_f64() * 1e3
    );
}
