//! The Windows package (`packaging/windows.sh`): its layout and the encodings and line endings
//! of its text files, made around a stand-in executable (the cross-build itself runs in CI).

#[path = "../packaging/windows/assemble.rs"]
mod assemble;

use std::collections::BTreeMap;
use std::io::Read;

/// The package's entries (path under the top folder → bytes).
fn package() -> BTreeMap<String, Vec<u8>> {
    let tmp = tempfile::tempdir().expect("temp dir");
    let exe = tmp.path().join("nianbao.exe");
    std::fs::write(&exe, b"MZ stand-in").expect("write");
    let repo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = tmp.path().join("out");
    let path = assemble::assemble(&assemble::Inputs {
        repo: &repo,
        exe: &exe,
        version: "9.8.7",
        out: &out,
    })
    .expect("the package is made");
    assert_eq!(
        path.file_name().and_then(|n| n.to_str()),
        Some("nianbao-9.8.7-windows-x64.zip")
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("zip")).expect("a ZIP");
    let mut entries = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("a UTF-8 name").to_string();
        let rel = name
            .strip_prefix("nianbao-9.8.7-windows-x64/")
            .unwrap_or_else(|| panic!("{name} is not under the top folder"))
            .to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        entries.insert(rel, bytes);
    }
    entries
}

fn text(entries: &BTreeMap<String, Vec<u8>>, rel: &str) -> String {
    String::from_utf8(
        entries
            .get(rel)
            .unwrap_or_else(|| panic!("{rel} missing"))
            .clone(),
    )
    .unwrap_or_else(|_| panic!("{rel} is UTF-8"))
}

/// Every line ends in CRLF, and there is no bare LF or CR.
fn all_crlf(text: &str) -> bool {
    text.ends_with("\r\n") && text.split("\r\n").all(|l| !l.contains(['\r', '\n']))
}

#[test]
fn the_package_has_the_program_the_documents_and_both_sites() {
    let entries = package();
    assert_eq!(entries["nianbao.exe"], b"MZ stand-in");
    for rel in [
        "使用说明.txt",
        "网站/预览网站.bat",
        "网站/检查网站.bat",
        "网站/生成网站.bat",
        "文档/使用指南.html",
        "文档/使用指南.md",
        "文档/内容格式.html",
        "文档/内容格式.md",
        "网站/site.toml",
        "网站/content/townships.yaml",
        "网站/content/2024/shili/report.md",
        "网站/content/2024/shili/stats.yaml",
        "示例网站/site.toml",
        "示例网站/content/townships.yaml",
        "示例网站/content/2023/qingshan/report.md",
    ] {
        assert!(entries.contains_key(rel), "{rel} missing");
    }
    assert!(
        !entries
            .keys()
            .any(|k| k.contains("/public/") || k.ends_with(".nianbao")),
        "no built site is shipped"
    );
    assert_eq!(
        entries["文档/使用指南.md"],
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/使用指南.md")).unwrap()
    );
}

#[test]
fn readme_is_for_notepad_and_batch_files_for_cmd() {
    let entries = package();
    let readme = &entries["使用说明.txt"];
    assert!(
        readme.starts_with(b"\xEF\xBB\xBF"),
        "使用说明.txt has a BOM"
    );
    let readme = text(&entries, "使用说明.txt");
    assert!(all_crlf(&readme), "使用说明.txt has CRLF line endings");
    assert!(readme.contains("nianbao 9.8.7"), "the version is filled in");
    assert!(!readme.contains("{version}"));
    for name in assemble::BATCH_FILES {
        let bat = &format!("网站/{name}");
        let bytes = &entries[bat];
        assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "{bat}: no BOM");
        let body = text(&entries, bat);
        assert!(all_crlf(&body), "{bat} has CRLF line endings");
        let chcp = body.find("chcp 65001").expect("switches to UTF-8");
        assert!(body[..chcp].is_ascii(), "{bat}: ASCII before chcp");
        assert!(
            body.contains("\r\n..\\nianbao.exe "),
            "{bat} runs nianbao.exe one folder up"
        );
        for line in body.lines().filter(|l| !l.is_ascii()) {
            assert!(
                line.trim_start().starts_with("echo "),
                "{bat}: Chinese outside echo: {line}"
            );
        }
        assert!(body.trim_end().ends_with("pause"), "{bat} waits for a key");
    }
}

/// An `href` as the HTML writer puts it: non-ASCII bytes percent-encoded.
fn href(target: &str) -> String {
    let mut out = String::from("href=\"");
    for b in target.bytes() {
        if b.is_ascii() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out + "\""
}

#[test]
fn the_html_guide_links_to_the_shipped_documents_only() {
    let entries = package();
    let guide = text(&entries, "文档/使用指南.html");
    assert!(guide.starts_with("<!DOCTYPE html>") && guide.contains("<meta charset=\"utf-8\">"));
    assert!(
        guide.contains(&href("内容格式.html")),
        "the contract, as HTML"
    );
    assert!(!guide.contains(".md\""), "no link to a Markdown file");
    let contract = text(&entries, "文档/内容格式.html");
    assert!(contract.contains(&href("使用指南.html")));
    assert!(
        !contract.contains("SECURITY.md\""),
        "SECURITY.md is not shipped"
    );
    assert!(contract.contains("<table>"), "tables are rendered");
}

#[test]
fn a_batch_file_with_chinese_before_chcp_is_refused() {
    assert!(assemble::batch_text("@echo off\necho 你好\nchcp 65001\n").is_err());
    assert!(assemble::batch_text("@echo off\necho 你好\n").is_err());
    assert!(
        assemble::batch_text("@echo off\nchcp 65001\nnianbao.exe check --root 网站\n").is_err()
    );
    let ok = assemble::batch_text("@echo off\nchcp 65001 >nul\necho 你好\n").unwrap();
    assert_eq!(
        ok,
        "@echo off\r\nchcp 65001 >nul\r\necho 你好\r\n".as_bytes()
    );
    assert_eq!(
        assemble::notepad_text("一\n二\r\n"),
        "\u{feff}一\r\n二\r\n".as_bytes()
    );
    assert_eq!(assemble::folder_name("1.2.3"), "nianbao-1.2.3-windows-x64");
    assert_eq!(assemble::DOCS.len(), 2);
}
