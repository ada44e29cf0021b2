//! `nianbao import` reads a Chinese PDF as a PDF reader shows it. The PDFs are made here from
//! tests/fixtures/pdf/report.html by LibreOffice Writer (Type 1/CFF fonts with ToUnicode maps)
//! and by Chromium (CID TrueType fonts with Identity-H and Type 3 fonts, ToUnicode maps that give
//! Kangxi radicals for common ideographs); the imported title and narrative are compared with
//! the page's text character for character.

mod common;

use std::fs;
use std::path::Path;

use common::office::{chromium_pdf, writer_convert};
use common::{Fixture, SITE_TOML, repo_root, run};

const TITLE: &str = "甲镇2023年政府信息公开工作年度报告";

/// The text of report.html under its title, a paragraph or heading a line.
const LINES: [&str; 5] = [
    "本报告统计期限为2023年1月1日至2023年12月31日。",
    "一、总体情况",
    "本年度甲镇主动公开政府信息一百二十条，办理依申请公开三件。",
    "二、存在的主要问题及改进情况",
    "公开内容还不够全面，下一步将完善目录。",
];

fn html(dir: &Path) -> std::path::PathBuf {
    let html = dir.join("report.html");
    fs::copy(repo_root().join("tests/fixtures/pdf/report.html"), &html).expect("copy");
    html
}

/// Imports `pdf` into a fresh site; checks the title and the narrative's lines.
fn assert_imported_as_printed(pdf: &Path) {
    let f = Fixture::empty();
    f.write("site.toml", SITE_TOML);
    f.write(
        "content/townships.yaml",
        "- slug: alpha\n  name: 甲镇\n  kind: 镇\n",
    );
    let root = f.root().to_str().expect("utf-8");
    let (code, stdout, stderr) = run(&["import", "--root", root, pdf.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("年度：2023"), "{stdout}");
    let md = fs::read_to_string(f.root().join("content/2023/alpha/report.md")).expect("report.md");
    assert!(md.contains(&format!("title: {TITLE} ")), "{md}");
    let body = md.splitn(3, "---\n").nth(2).expect("front matter");
    let got: Vec<&str> = body
        .lines()
        .map(|l| l.trim_start_matches('#').trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(got, LINES, "{md}");
}

#[test]
fn a_libreoffice_pdf_reads_character_for_character() {
    let dir = tempfile::tempdir().expect("tmp");
    let html = html(dir.path());
    let pdf = writer_convert(&html, dir.path(), "pdf:writer_pdf_Export", "pdf");
    assert_imported_as_printed(&pdf);
}

#[test]
fn a_chromium_pdf_reads_character_for_character() {
    let dir = tempfile::tempdir().expect("tmp");
    let html = html(dir.path());
    let pdf = dir.path().join("report.pdf");
    chromium_pdf(&html, &pdf, &dir.path().join("profile"));
    assert_imported_as_printed(&pdf);
}

/// A PDF whose cross-reference table is sound but whose page has no MediaBox and whose Type0
/// font has no descendant: pdf-extract panics on it (the panic is caught by the importer).
fn damaged_pdf() -> Vec<u8> {
    let content = "BT /F1 12 Tf 10 10 Td <0001> Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer << /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF",
        objects.len() + 1
    ));
    out.into_bytes()
}

#[test]
fn a_damaged_pdf_is_refused_in_chinese_without_a_panic_message() {
    let f = Fixture::empty();
    f.write("site.toml", SITE_TOML);
    f.write(
        "content/townships.yaml",
        "- slug: alpha\n  name: 甲镇\n  kind: 镇\n",
    );
    let pdf = f.root().join("损坏.pdf");
    fs::write(&pdf, damaged_pdf()).expect("write");
    let root = f.root().to_str().expect("utf-8");
    let (code, stdout, stderr) = run(&["import", "--root", root, pdf.to_str().expect("utf-8")]);
    assert_ne!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("无法读取 PDF 文件：文件已损坏或使用了不支持的结构"),
        "{stdout}{stderr}"
    );
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    assert!(!f.root().join("content/2023").exists());
}
