//! Real-browser end-to-end tests: tests/e2e/run.mjs drives Debian's Chromium (playwright-core)
//! over the built content pack — navigation, axe-core, downloads, 关怀模式, serve's live reload
//! and the scenarios under tests/e2e/scenarios/. Missing tools fail with the command that
//! installs them; nothing is skipped.

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
