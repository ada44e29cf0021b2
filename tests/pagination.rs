//! Lists that stay light: past one page of townships, the home page, year pages, the township
//! list and the audit page are split into pages, every report stays within three clicks of the
//! home page, and no page grows with the number of townships.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{repo_root, run_in};

/// Townships of the generated corpus: more than two pages of 50.
const TOWNSHIPS: usize = 120;
const YEARS: usize = 2;

/// A generated corpus of [`TOWNSHIPS`] × [`YEARS`] reports, built; returns (temp dir, output).
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let status = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--example", "gen_corpus", "--"])
        .args(["--townships", &TOWNSHIPS.to_string()])
        .args(["--years", &YEARS.to_string(), "--out"])
        .arg(&corpus)
        .current_dir(repo_root())
        .status()
        .unwrap();
    assert!(status.success(), "gen_corpus failed");
    let out = tmp.path().join("out");
    let (code, _, err) = run_in(&corpus, "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    (tmp, out)
}

/// The local `.html` targets of a page's links, as paths under the output root.
fn links(out: &Path, page: &str) -> Vec<String> {
    let html = fs::read_to_string(out.join(page)).unwrap();
    let dir: Vec<&str> = page.split('/').collect();
    let dir = &dir[..dir.len() - 1];
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| !href.contains(':') && !href.starts_with('#'))
        .filter_map(|href| {
            let href = href.split(['#', '?']).next()?;
            let mut parts: Vec<&str> = dir.to_vec();
            for seg in href.split('/') {
                match seg {
                    ".." => {
                        parts.pop()?;
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            let path = parts.join("/");
            let path = if href.ends_with('/') || href.is_empty() {
                format!("{path}/index.html")
            } else {
                path
            };
            path.ends_with(".html").then_some(path)
        })
        .collect()
}

/// Clicks from the home page to every page reachable from it.
fn depths(out: &Path) -> BTreeMap<String, usize> {
    let mut depth = BTreeMap::from([("index.html".to_string(), 0)]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        let d = depth[&page];
        for link in links(out, &page) {
            if !depth.contains_key(&link) && out.join(&link).is_file() {
                depth.insert(link.clone(), d + 1);
                queue.push_back(link);
            }
        }
    }
    depth
}

fn html_pages(dir: &Path, under: &Path, found: &mut Vec<(String, u64)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_pages(&path, under, found);
        } else if path.extension().is_some_and(|e| e == "html") {
            let rel = path
                .strip_prefix(under)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            found.push((rel, fs::metadata(&path).unwrap().len()));
        }
    }
}

#[test]
fn a_large_site_is_paginated_light_and_every_report_is_three_clicks_from_home() {
    let (_tmp, out) = built();
    // The lists are split into pages of 50 townships.
    for page in [
        "2016/page-2.html",
        "2016/page-3.html",
        "audit/page-3.html",
        "townships/index.html",
        "townships/page-3.html",
    ] {
        assert!(out.join(page).is_file(), "{page} is made");
    }
    assert!(!out.join("2016/page-4.html").exists());

    let depth = depths(&out);
    let mut reports = 0;
    let mut pages = Vec::new();
    html_pages(&out, &out, &mut pages);
    for (page, _) in &pages {
        let parts: Vec<&str> = page.split('/').collect();
        let is_report = parts.len() == 3 && parts[0].parse::<u16>().is_ok();
        if is_report {
            reports += 1;
            let d = depth.get(page).copied();
            assert!(
                d.is_some_and(|d| d <= 3),
                "{page} is {d:?} clicks from the home page"
            );
        }
    }
    assert_eq!(reports, TOWNSHIPS * YEARS);
    // Every page of every paginated list is reachable too.
    for (page, _) in pages.iter().filter(|(p, _)| p.contains("page-")) {
        assert!(depth.contains_key(page), "{page} is linked");
    }

    // The home page no longer lists every report; no page comes near the limits.
    let home = pages.iter().find(|(p, _)| p == "index.html").unwrap().1;
    assert!(home < 100_000, "home page is {home} bytes");
    for (page, size) in &pages {
        assert!(*size < 300_000, "{page} is {size} bytes");
    }
    let home_html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home_html.contains("2016/t00001/index.html"));
    assert!(home_html.contains("townships/page-3.html"));
    // The second page of a year lists its own townships' reports, not the first page's.
    let second = fs::read_to_string(out.join("2016/page-2.html")).unwrap();
    assert!(second.contains("t00051/index.html"));
    assert!(!second.contains("t00001/index.html"));
    assert!(second.contains("aria-current=\"page\""));
}
