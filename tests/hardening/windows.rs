//! Files as a clerk on Windows makes them: saved by Notepad (UTF-8 with a byte-order mark and
//! CRLF line endings), in folders and with attachment names in Chinese, built into a folder with
//! a Chinese name.

use std::path::Path;

use crate::common::{Fixture, run, run_in, snapshot_tree};

/// Every source file of the fixture that a clerk edits in a text editor.
const TEXT_FILES: [&str; 6] = [
    "site.toml",
    "content/townships.yaml",
    "content/2018/alpha/report.md",
    "content/2018/alpha/stats.yaml",
    "content/2020/beta/report.md",
    "content/2020/beta/stats.yaml",
];

/// A narrative with what CRLF could disturb: a paragraph broken over lines, a list, a table, a
/// fenced block, a hard line break and a heading with its own anchor.
const NARRATIVE: &str = "## 一、概述 {#gaishu}\n\n本年度，甲镇\n继续推进政务公开。  \n全年主动公开 10 条。\n\n- 政府网站\n- 政务公开栏\n\n| 渠道 | 条数 |\n|---|---|\n| 网站 | 8 |\n\n```\n原表备注\n第二行\n```\n";

/// Notepad's "UTF-8 with BOM" and CRLF line endings.
fn notepad(text: &str) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    out
}

/// The output without the marker file, whose fingerprint covers the sources' sizes.
fn published(root: &Path, output: &str) -> Vec<(String, Vec<u8>)> {
    let mut tree = snapshot_tree(&root.join(output));
    tree.retain(|(path, _)| path != ".nianbao");
    tree
}

#[test]
fn notepad_files_build_byte_for_byte_like_lf_files() {
    let f = Fixture::new();
    let report = crate::common::REPORT_2018.replace("## 一、概述\n\n正文。\n", NARRATIVE);
    f.write("content/2018/alpha/report.md", &report);
    f.write("content/_index.md", "本站发布\n各乡镇的年度报告。\n");
    let (code, _, stderr) = run_in(f.root(), "build", &["--output", "lf"]);
    assert_eq!(code, 0, "{stderr}");

    for rel in TEXT_FILES.iter().chain(&["content/_index.md"]) {
        let text = std::fs::read_to_string(f.root().join(rel)).expect("fixture file");
        f.write_bytes(rel, &notepad(&text));
    }
    let (code, _, stderr_crlf) = run_in(f.root(), "build", &["--output", "crlf"]);
    assert_eq!(code, 0, "{stderr_crlf}");
    assert!(!stderr_crlf.contains("编码"), "{stderr_crlf}");
    assert_eq!(
        stderr_crlf
            .lines()
            .filter(|l| l.starts_with("警告"))
            .count(),
        stderr.lines().filter(|l| l.starts_with("警告")).count(),
        "the same warnings:\n{stderr}\n----\n{stderr_crlf}"
    );

    let (lf, crlf) = (published(f.root(), "lf"), published(f.root(), "crlf"));
    assert_eq!(
        lf.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        crlf.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "the same files"
    );
    for ((path, a), (_, b)) in lf.iter().zip(&crlf) {
        assert!(
            a == b,
            "{path} differs between the LF and the Notepad (BOM + CRLF) sources"
        );
    }
    let page = String::from_utf8_lossy(
        &lf.iter()
            .find(|(p, _)| p == "2018/alpha/index.html")
            .expect("report page")
            .1,
    )
    .into_owned();
    assert!(page.contains("id=\"gaishu\""), "the heading's own anchor");
    assert!(page.contains("<li>政务公开栏</li>"), "the list");
}

#[test]
fn site_toml_from_notepad_with_deadlines_is_read() {
    let f = Fixture::new();
    let toml = "# 站点设置（记事本保存）\ntitle = \"测试县年报\"\nbase_url = \"https://example.gov.cn/nianbao/\"\n\n[portal]\nregion = \"测试县\"\n\n[deadlines]\ndefault = \"01-20\"\n";
    f.write_bytes("site.toml", &notepad(toml));
    let (_, stdout, stderr) = run_in(f.root(), "audit", &["--format", "csv"]);
    assert!(!stderr.contains("site.toml"), "{stderr}");
    // The 2020 report was published on 2021-01-20: on time by the site's own deadline (the
    // regulation's would be 2021-01-31).
    assert!(
        stdout.contains("2020,beta,乙乡,on_time,2021-01-20,2021-01-20,0,"),
        "{stdout}"
    );
}

#[test]
fn notepad_site_toml_errors_name_the_right_line() {
    let f = Fixture::new();
    let toml = "title = \"测试县年报\"\r\nbase_url = \"https://example.gov.cn/nianbao/\"\r\nbaseurl = \"x\"\r\n";
    f.write_bytes(
        "site.toml",
        &[b"\xEF\xBB\xBF".as_slice(), toml.as_bytes()].concat(),
    );
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("site.toml:3"), "{stderr}");
    assert!(
        !stderr.contains('\r'),
        "no carriage return in messages: {stderr:?}"
    );
}

#[test]
fn chinese_folders_and_attachment_names_build_check_and_archive() {
    let f = Fixture::in_folder("华容县 年报网站");
    let pdf = b"%PDF-1.4 fake\n%\xE2\xE3\xCF\xD3\n".as_slice();
    f.write_bytes("content/2018/alpha/附件（原件）/统计表 2018年度.pdf", pdf);
    f.edit(
        "content/2018/alpha/report.md",
        "正文。",
        "正文。见[统计表原件](附件（原件）/统计表%202018年度.pdf)。",
    );
    let output = f.dir.path().join("发布 目录").join("网站");
    let out = output.to_str().expect("UTF-8 path");
    let (code, _, stderr) = run_in(f.root(), "build", &["--output", out]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("网站"),
        "the summary names the output: {stderr}"
    );
    let published = output.join("2018/alpha/附件（原件）/统计表 2018年度.pdf");
    assert_eq!(
        std::fs::read(&published).expect("published attachment"),
        pdf
    );
    let page = std::fs::read_to_string(output.join("2018/alpha/index.html")).expect("page");
    assert!(
        page.contains("统计表 2018年度.pdf"),
        "listed as an attachment"
    );

    let (code, _, stderr) = run_in(f.root(), "check", &[]);
    assert_eq!(
        code, 0,
        "the link to the Chinese-named attachment resolves: {stderr}"
    );

    let zip_path = f.dir.path().join("归档").join("测试县2018年度.zip");
    let root = f.root().to_str().expect("UTF-8 path");
    let zip_arg = zip_path.to_str().expect("UTF-8 path");
    let (code, _, stderr) = run(&["archive", "2018", "--root", root, "--output", zip_arg]);
    assert_eq!(code, 0, "{stderr}");
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(&zip_path).expect("archive")).expect("a ZIP");
    let entry = zip
        .by_name("2018/alpha/附件（原件）/统计表 2018年度.pdf")
        .expect("the attachment under its Chinese name");
    assert_eq!(entry.size(), pdf.len() as u64);
}
