//! `data/portal.json`: the portal's machine-readable face, versioned. Every report, township and
//! audit row of the built site is in it, and every URL it names is a file of the site.

mod common;

use std::fs;
use std::path::Path;

use common::{repo_root, run_in};

/// The file of the built site at `out` that an absolute URL under `base` names.
fn file_of(out: &Path, base: &str, url: &str) -> std::path::PathBuf {
    let rel = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} is not under {base}"));
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    out.join(rel)
}

#[test]
fn the_demo_s_portal_json_names_every_report_township_and_audit_row() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let demo = repo_root().join("examples/demo");
    let (code, _, err) = run_in(&demo, "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = fs::read_to_string(out.join("data/portal.json")).unwrap();
    assert!(text.starts_with("{\n  \"schema\": \"nianbao-portal\",\n  \"schema_version\": 1,"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let base = doc["base_url"].as_str().unwrap();
    assert_eq!(base, "https://example.gov.cn/nianbao/");
    assert_eq!(doc["generator"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["as_of"], "2024-06-30");

    // Every township of the registry, with since/until.
    let registry = fs::read_to_string(demo.join("content/townships.yaml")).unwrap();
    let townships = doc["townships"].as_array().unwrap();
    let slugs: Vec<&str> = townships
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    for slug in &slugs {
        assert!(registry.contains(&format!("slug: {slug}\n")), "{slug}");
    }
    assert_eq!(slugs.len(), registry.matches("- slug: ").count());
    let xinhe = townships.iter().find(|t| t["slug"] == "xinhe").unwrap();
    assert_eq!(xinhe["since"], 2022);
    assert!(xinhe["until"].is_null());

    // Every report folder of the demo, each page and data file a file of the site.
    let mut folders = Vec::new();
    for year in fs::read_dir(demo.join("content")).unwrap().flatten() {
        if !year.path().is_dir() {
            continue;
        }
        for folder in fs::read_dir(year.path()).unwrap().flatten() {
            if folder.path().join("report.md").is_file() {
                folders.push((
                    year.file_name().to_string_lossy().into_owned(),
                    folder.file_name().to_string_lossy().into_owned(),
                ));
            }
        }
    }
    let reports = doc["reports"].as_array().unwrap();
    assert_eq!(reports.len(), folders.len());
    for r in reports {
        let key = (
            r["year"].to_string(),
            r["township"].as_str().unwrap().to_string(),
        );
        assert!(folders.contains(&key), "{key:?}");
        assert!(file_of(&out, base, r["page"].as_str().unwrap()).is_file());
        match r["data"].as_object() {
            Some(data) => {
                assert!(r["format"].is_string());
                for url in data.values() {
                    assert!(
                        file_of(&out, base, url.as_str().unwrap()).is_file(),
                        "{url}"
                    );
                }
            }
            None => assert!(r["format"].is_null(), "no table, no format: {r}"),
        }
        let stats = demo.join(format!("content/{}/{}/stats.yaml", key.0, key.1));
        assert_eq!(stats.is_file(), r["format"].is_string(), "{key:?}");
    }
    for url in doc["data"].as_object().unwrap().values() {
        assert!(
            file_of(&out, base, url.as_str().unwrap()).is_file(),
            "{url}"
        );
    }

    // The audit rows are audit.csv's, typed.
    let csv = fs::read_to_string(out.join("audit/audit.csv")).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cells = doc["audit"]["cells"].as_array().unwrap();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(cells.len(), rows.len());
    for (cell, row) in cells.iter().zip(rows) {
        for (name, value) in header.iter().zip(row.split(',')) {
            let json = &cell[*name];
            let shown = match json {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(shown, value, "{name} of {row}");
        }
    }
}
