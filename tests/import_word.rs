//! `nianbao import` of Word documents keeps their shape: headings by Word heading level,
//! numbered and bulleted paragraphs as Markdown list items (the number as Word prints it), and a
//! table that is not the statistics table as a Markdown table where it stood. The documents are
//! made here, by python-docx (tests/fixtures/word/make_docx.py, in the venv `tests/run.sh`
//! makes at tests/.venv) and by LibreOffice Writer (from tests/fixtures/word/report.html).

mod common;

use std::fs;
use std::path::Path;

use common::office::{python_docx_report, writer_convert};
use common::{Fixture, SITE_TOML, repo_root, run};

const TOWNSHIPS: &str = "- slug: alpha\n  name: 甲镇\n  kind: 镇\n";

/// The report.md body both documents must give, from the first heading on.
const BODY: &str = "\
### 一、总体情况

本年度甲镇做了以下工作：

- 1\\.建立公开制度。
- 2\\.更新公开目录。

* 公告栏
* 政府网站

| 项目 | 次数 |
|---|---|
| 培训 | 3 |

以上为培训情况。

### 二、存在的主要问题及改进情况

公开内容还不够全面。
";

fn imported_body(docx: &Path) -> String {
    let f = Fixture::empty();
    f.write("site.toml", SITE_TOML);
    f.write("content/townships.yaml", TOWNSHIPS);
    let root = f.root().to_str().expect("utf-8");
    let (code, stdout, stderr) = run(&["import", "--root", root, docx.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("已作为表格放入正文原处"), "{stdout}");
    let md = fs::read_to_string(f.root().join("content/2023/alpha/report.md")).expect("report.md");
    let body = md
        .splitn(3, "---\n")
        .nth(2)
        .expect("front matter")
        .to_string();
    // The page shows the lists and the table as such.
    let out = f.root().join("public");
    let (code, _, stderr) = run(&[
        "build",
        "--root",
        root,
        "--allow-draft",
        "--quiet",
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let page = fs::read_to_string(out.join("2023/alpha/index.html")).expect("page");
    // Two lists, as in the document: the numbered one shows Word's numbers and no bullet (its
    // items carry their own marker), the bulleted one its bullets.
    assert!(
        page.contains(
            "<ul class=\"marked\">\n<li>1.建立公开制度。</li>\n<li>2.更新公开目录。</li>\n</ul>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<ul>\n<li>公告栏</li>\n<li>政府网站</li>\n</ul>"),
        "{page}"
    );
    assert!(page.contains("<td>培训</td>"), "{page}");
    body
}

fn from_heading(body: &str) -> &str {
    body.find("### ").map_or(body, |at| &body[at..])
}

#[test]
fn a_python_docx_document_keeps_headings_lists_and_its_table_in_place() {
    let dir = tempfile::tempdir().expect("tmp");
    let docx = dir.path().join("报告.docx");
    python_docx_report(&docx, false);
    let body = imported_body(&docx);
    assert_eq!(from_heading(&body), BODY, "{body}");
}

#[test]
fn a_libreoffice_document_keeps_headings_lists_and_its_table_in_place() {
    let dir = tempfile::tempdir().expect("tmp");
    let html = dir.path().join("report.html");
    fs::copy(repo_root().join("tests/fixtures/word/report.html"), &html).expect("copy");
    let docx = writer_convert(&html, dir.path(), "docx:MS Word 2007 XML", "docx");
    let body = imported_body(&docx);
    assert_eq!(from_heading(&body), BODY, "{body}");
}

/// Beside a statistics table, the small table of section 一 still stands where it stood (it
/// used to be moved to the end), and the statistics go to stats.yaml.
#[test]
fn a_small_table_beside_the_statistics_stays_in_place() {
    let dir = tempfile::tempdir().expect("tmp");
    let docx = dir.path().join("报告.docx");
    python_docx_report(&docx, true);
    let f = Fixture::empty();
    f.write("site.toml", SITE_TOML);
    f.write("content/townships.yaml", TOWNSHIPS);
    let root = f.root().to_str().expect("utf-8");
    let (code, stdout, stderr) = run(&["import", "--root", root, docx.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("不是统计表，已作为表格放入正文原处"),
        "{stdout}"
    );
    let dir = f.root().join("content/2023/alpha");
    let stats = fs::read_to_string(dir.join("stats.yaml")).expect("stats.yaml");
    assert!(stats.contains("art20_1.normative_docs.valid: 2"), "{stats}");
    let md = fs::read_to_string(dir.join("report.md")).expect("report.md");
    let table = md.find("| 培训 | 3 |").expect("the small table");
    assert!(
        md.find("本年度甲镇做了以下工作").expect("before") < table,
        "{md}"
    );
    assert!(table < md.find("以上为培训情况").expect("after"), "{md}");
    assert!(!md.contains("本年制发件数"), "{md}");
}
