//! The cost of the search index on a site: loads it, then builds the index `--runs` times and
//! prints the wall and CPU time of each build, the shard count and sizes.
//!
//! `cargo run --release --example search_index_cost -- --root DIR [--runs 3]`

use std::path::PathBuf;
use std::time::Instant;

use nianbao::build::{Options, load};
use nianbao::search;

fn cpu_seconds() -> f64 {
    // utime + stime of this process, in clock ticks (100 per second on Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let root = PathBuf::from(arg("--root").unwrap_or_else(|| ".".to_string()));
    let runs: usize = arg("--runs").and_then(|r| r.parse().ok()).unwrap_or(3);
    let loaded = match load(&root, &Options::default()) {
        Ok(l) => l,
        Err(_) => {
            eprintln!("cannot load the site at {}", root.display());
            std::process::exit(1);
        }
    };
    let site = &loaded.site;
    for run in 1..=runs {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let index = search::build(site);
        let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        let sizes: Vec<usize> = (0..1 << search::shard_bits(site.reports.len()))
            .map(|n| index.shard(n).len())
            .collect();
        println!(
            "run {run}: {} reports, wall {:.0} ms, CPU {:.0} ms; {} shards, {} bytes (largest {})",
            site.reports.len(),
            wall * 1e3,
            cpu * 1e3,
            sizes.len(),
            sizes.iter().sum::<usize>(),
            sizes.iter().max().unwrap_or(&0)
        );
    }
}
