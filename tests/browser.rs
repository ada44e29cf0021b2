//! Real-browser end-to-end tests: tests/e2e/run.mjs drives Debian's Chromium (playwright-core)
//! over the built content pack — navigation, axe-core, downloads, 关怀模式, serve's live reload
//! and the scenarios under tests/e2e/scenarios/. Missing tools fail with the command that
//! installs them; nothing is skipped. The Nu HTML checker (vnu.jar, npm package vnu-jar, on Java)
//! checks every page of the content pack (embeds included), the demo site and an unpacked year archive; it runs as a
//! second test of this binary, beside the browser, so it adds little to the suite's wall time.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    let candidates = std::env::var_os("NIANBAO_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from));
    for c in candidates {
        if c.is_file() {
            return c;
        }
    }
    panic!(
        "Chromium is missing: the browser tests need Debian's chromium. Install it with \
         `sudo apt-get install -y chromium` (or set NIANBAO_CHROMIUM to a Chromium binary)."
    );
}

fn node_ready(e2e: &Path) {
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "Node.js is missing: the browser tests need node ≥ 18. Install it with \
         `sudo apt-get install -y nodejs npm`."
    );
    for package in ["playwright-core", "axe-core"] {
        assert!(
            e2e.join("node_modules").join(package).is_dir(),
            "{package} is missing: run `npm ci --prefix tests/e2e` (from the repository root)."
        );
    }
}

#[test]
fn the_site_works_in_a_real_browser() {
    let repo = common::repo_root();
    let e2e = repo.join("tests/e2e");
    let chromium = chromium();
    node_ready(&e2e);
    let work = tempfile::tempdir().expect("temp dir");
    let artifacts = std::env::var_os("NIANBAO_E2E_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target/e2e-artifacts"));
    let bin = assert_cmd::cargo::cargo_bin("nianbao");
    let output = Command::new("node")
        .arg(e2e.join("run.mjs"))
        .args(["--bin".as_ref(), bin.as_os_str()])
        .args(["--repo".as_ref(), repo.as_os_str()])
        .args(["--work".as_ref(), work.path().as_os_str()])
        .args(["--artifacts".as_ref(), artifacts.as_os_str()])
        .args(["--chromium".as_ref(), chromium.as_os_str()])
        .current_dir(&e2e)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "browser scenarios failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("browser scenarios passed"),
        "the runner finished: {stdout}"
    );
    for page in ["home-phone", "year-phone", "township-phone", "report-phone"] {
        assert!(
            artifacts.join(format!("{page}.png")).is_file(),
            "screenshot {page}.png saved"
        );
    }
}

/// The Java runtime that runs vnu.jar: `$NIANBAO_JAVA` or `java` on the PATH, version 11 or newer.
fn java() -> std::ffi::OsString {
    let java = std::env::var_os("NIANBAO_JAVA").unwrap_or_else(|| "java".into());
    let output = Command::new(&java).arg("-version").output();
    let version = match output {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stderr).into_owned(),
        _ => panic!(
            "Java is missing: the Nu HTML checker (vnu.jar) needs Java 11 or newer. Install it with \
             `sudo apt-get install -y default-jre-headless` (or set NIANBAO_JAVA to a java binary)."
        ),
    };
    // `openjdk version "17.0.15" …`, or `"1.8.0_…"` for Java 8.
    let major = version
        .split('"')
        .nth(1)
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse::<u32>().ok());
    assert!(
        major.is_some_and(|m| m >= 11),
        "the Nu HTML checker needs Java 11 or newer, found: {version}. Install it with \
         `sudo apt-get install -y default-jre-headless`."
    );
    java
}

/// What kind of page a built HTML file is, from its path inside the site.
fn page_type(rel: &str) -> &'static str {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["index.html"] => "home",
        ["embed", .., "index.html"] => "embed",
        ["404.html"] => "404",
        ["townships", _, "index.html"] => "township",
        ["county", "index.html"] => "county",
        ["data", "index.html"] => "data",
        ["audit", "index.html"] => "audit",
        ["search", "index.html"] => "search",
        [year, "index.html"] if year.parse::<u16>().is_ok() => "year",
        [year, _, "index.html"] if year.parse::<u16>().is_ok() => "report",
        [.., name] if name.ends_with(".css") => "style sheet",
        _ => "other",
    }
}

/// Every HTML file under `dir`, as (path inside the site, absolute path), sorted.
fn html_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk the built site");
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "html") {
            let rel = entry.path().strip_prefix(dir).expect("inside the site");
            let rel = rel.to_str().expect("UTF-8 paths").replace('\\', "/");
            files.push((rel, entry.into_path()));
        }
    }
    files
}

/// The Nu HTML checker (vnu.jar from the npm package vnu-jar, run once over every file: the JVM
/// takes seconds to start) finds no error on any page of the content pack, of the demo site, or of
/// a year archive unpacked from the pack, nor in the theme's style sheet; warnings are counted and
/// printed.
#[test]
fn every_page_type_passes_the_nu_html_checker() {
    let repo = common::repo_root();
    let vnu = repo.join("tests/e2e/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = java();
    assert!(
        vnu.is_file(),
        "vnu.jar is missing (npm package vnu-jar): run `npm ci --prefix tests/e2e` (from the \
         repository root)."
    );
    let work = tempfile::tempdir().expect("temp dir");
    let mut sites = Vec::new();
    for (label, root) in [("pack", repo.clone()), ("demo", repo.join("examples/demo"))] {
        let out = work.path().join(label);
        let out_arg = out.to_str().expect("UTF-8 temp path");
        let (code, _, stderr) = common::run_in(&root, "build", &["--quiet", "--output", out_arg]);
        assert_eq!(code, 0, "{label} builds: {stderr}");
        sites.push((label, out));
    }
    let zip = std::fs::File::open(work.path().join("pack/archive/2018.zip")).expect("2018.zip");
    let unpacked = work.path().join("archive");
    zip::ZipArchive::new(zip)
        .expect("a zip file")
        .extract(&unpacked)
        .expect("2018.zip unpacks");
    sites.push(("archive/2018.zip", unpacked));

    let mut files = Vec::new();
    for (label, dir) in &sites {
        let found = html_files(dir);
        let mut types: Vec<&str> = found.iter().map(|(rel, _)| page_type(rel)).collect();
        types.sort_unstable();
        types.dedup();
        let expected: &[&str] = if *label == "archive/2018.zip" {
            // An archive holds one year's reports and its own home and year pages: what lies
            // outside the year is on the live site; no 404 page (it is opened from disk), no
            // embeds (no other site frames a copy on a reader's disk).
            &["home", "report", "year"]
        } else {
            &[
                "404", "audit", "county", "data", "embed", "home", "report", "search", "township",
                "year",
            ]
        };
        assert_eq!(
            types, expected,
            "{label}: every page type is built and checked"
        );
        files.extend(found.into_iter().map(|(rel, path)| (*label, rel, path)));
    }

    // The theme's style sheet too (the same file in every site): the checker's CSS rules are cheap.
    let css = work.path().join("pack/static/style.css");
    assert!(css.is_file(), "the pack has static/style.css");
    files.push(("pack", "static/style.css".to_string(), css));

    let started = std::time::Instant::now();
    // A short run: the client compiler alone (`TieredStopAtLevel=1`) and the serial collector halve
    // the checker's CPU time (about 6 s instead of 13 s here) and leave the other core to the
    // browser test; the client compiler's deeper frames need the larger thread stack, which
    // vnu asks for anyway (at least 512k) for its schema.
    let output = Command::new(&java)
        .args(["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"])
        .arg("-jar")
        .arg(&vnu)
        .args(["--format", "json", "--exit-zero-always", "--also-check-css"])
        .args(files.iter().map(|(_, _, path)| path))
        .output()
        .expect("java runs vnu.jar");
    let elapsed = started.elapsed();
    // vnu prints its JSON report on stderr.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "vnu.jar failed:\n{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stderr)
        .unwrap_or_else(|e| panic!("vnu.jar printed no JSON report ({e}):\n{stderr}"));
    let messages = report["messages"].as_array().expect("a message list");
    let mut errors = Vec::new();
    let mut per_type = std::collections::BTreeMap::<String, usize>::new();
    let mut warnings = 0;
    for m in messages {
        let kind = m["type"].as_str().unwrap_or_default();
        if kind == "info" {
            warnings += usize::from(m["subType"] == "warning");
            continue;
        }
        let url = m["url"].as_str().unwrap_or_default();
        let (site, rel) = files
            .iter()
            .find(|(_, _, path)| url.ends_with(&*path.to_string_lossy()))
            .map_or(("?", url), |(site, rel, _)| (*site, rel.as_str()));
        *per_type
            .entry(format!("{site} {}", page_type(rel)))
            .or_default() += 1;
        errors.push(format!(
            "{site}/{rel}:{}: {} ({kind})\n      {}",
            m["lastLine"],
            m["message"].as_str().unwrap_or_default(),
            m["extract"].as_str().unwrap_or_default().replace('\n', "↵")
        ));
    }
    println!(
        "Nu HTML checker {}: {} files, {} errors, {warnings} warnings, {:.1} s",
        report["version"].as_str().unwrap_or("?"),
        files.len(),
        errors.len(),
        elapsed.as_secs_f64()
    );
    assert!(
        errors.is_empty(),
        "{} Nu HTML checker errors ({}):\n  {}",
        errors.len(),
        per_type
            .iter()
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        errors.join("\n  ")
    );
}
