//! Shared helpers of the integration tests: a small valid site to mutate, and running the binary.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub mod office;
pub mod server;

/// The repository root (the content pack).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `nianbao` with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let output: Output = Command::cargo_bin("nianbao")
        .expect("the nianbao binary is built by cargo test")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("nianbao runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Run `nianbao <command> --root <root> [extra…]`.
pub fn run_in(root: &Path, command: &str, extra: &[&str]) -> (i32, String, String) {
    let root = root.to_str().expect("temp paths are UTF-8");
    let mut args = vec![command, "--root", root];
    args.extend_from_slice(extra);
    run(&args)
}

/// A minimal valid site: two townships, a 2018 report (2014 format) and a 2020 report (2019
/// format) with an attachment.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    /// The site root: `dir` itself, or a folder inside it (see [`Fixture::in_folder`]).
    root: PathBuf,
}

/// The test site's settings; its oversight is as of a fixed day (after the 2020 reports were
/// due), so that what the tests read does not change with the day they run.
pub const SITE_TOML: &str = "title = \"测试县年报\"\nbase_url = \"https://example.gov.cn/nianbao/\"\n\n[portal]\nregion = \"测试县\"\n\n[audit]\nas_of = \"2021-06-30\"\n";

pub const TOWNSHIPS: &str = "\
- slug: alpha
  name: 甲镇
  kind: 镇
  order: 1
- slug: beta
  name: 乙乡
  kind: 乡
  order: 2
";

pub const REPORT_2018: &str = "\
---
title: 测试县甲镇2018年度政府信息公开工作年度报告
index_no: 000/2019-1
publisher: 甲镇
published: 2019-03-01
attachments:
  - file: 统计表.xls
    title: 统计表原件
---
## 一、概述

正文。
";

pub const STATS_2018: &str = "\
format: gov-2014
values:
  proactive.total: 10
  proactive.normative_docs_published: 2
  proactive.normative_docs_issued: 3
  complaints.total: 0
  org.budget: 1.50
";

pub const REPORT_2020: &str = "\
---
published: 2021-01-20
---
正文。
";

pub const STATS_2020: &str = "\
format: gov-2019
values:
  apps.new_received.natural_person: 2
  apps.new_received.total: 2
  art20_5.licensing.delta_items: -1
";

impl Fixture {
    /// Write the fixture into a fresh temporary directory.
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        Fixture::fill(Fixture { dir, root })
    }

    /// The fixture in the folder `name` (e.g. a Chinese county name) of a fresh temporary
    /// directory, as a clerk's site folder sits inside their documents.
    pub fn in_folder(name: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join(name);
        Fixture::fill(Fixture { dir, root })
    }

    /// An empty temporary directory, for tests that write their own site.
    pub fn empty() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        Fixture { dir, root }
    }

    fn fill(f: Fixture) -> Fixture {
        f.write("site.toml", SITE_TOML);
        f.write("content/townships.yaml", TOWNSHIPS);
        f.write("content/2018/alpha/report.md", REPORT_2018);
        f.write("content/2018/alpha/stats.yaml", STATS_2018);
        f.write_bytes(
            "content/2018/alpha/统计表.xls",
            b"\xD0\xCF\x11\xE0 fake xls bytes\x00\x01",
        );
        f.write("content/2020/beta/report.md", REPORT_2020);
        f.write("content/2020/beta/stats.yaml", STATS_2020);
        f
    }

    /// Register the fixture's townships for exactly the years of their reports (甲镇 until 2018,
    /// 乙乡 since 2020), so that its oversight shows no 未发布 and `check` gives no warning for
    /// it: for tests that count the warnings they cause.
    pub fn without_missing_years(self) -> Fixture {
        self.edit(
            "content/townships.yaml",
            "  order: 1\n",
            "  order: 1\n  until: 2018\n",
        );
        self.edit(
            "content/townships.yaml",
            "  order: 2\n",
            "  order: 2\n  since: 2020\n",
        );
        self
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Write a text file under the root (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    /// Write a file under the root (creating folders).
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    }

    /// Replace `from` by `to` in a file, failing the test when `from` is not there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root().join(rel);
        let text = fs::read_to_string(&path).expect("read");
        assert!(
            text.contains(from),
            "fixture {rel} does not contain {from:?}"
        );
        fs::write(path, text.replacen(from, to, 1)).expect("write");
    }

    /// Remove a file or folder.
    pub fn remove(&self, rel: &str) {
        let path = self.root().join(rel);
        if path.is_dir() {
            fs::remove_dir_all(path).expect("rm -r");
        } else {
            fs::remove_file(path).expect("rm");
        }
    }
}

/// Every file under `dir` (relative path → bytes), sorted.
pub fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}
