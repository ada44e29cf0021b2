//! The spreadsheets on paper: the demo site's `stats.xlsx` and `compare.xlsx` and the input
//! template of `nianbao template`, printed to PDF by LibreOffice headless and read back page by
//! page with poppler's pdftotext. Every page must carry row labels and their figures together
//! (before the page setup, a gov-2014 `stats.xlsx` printed its labels on pages 1–2 and the 统计数
//! column alone on pages 3–4, and `compare.xlsx` printed one or two years per page on 7 pages),
//! the repeated header rows, the title in the page header and 第 n 页 / 共 m 页 in the footer.
//! Missing tools fail with the command that installs them; nothing is skipped.
//!
//! The workbooks are made by the library linked into this test, not by the `nianbao` binary:
//! what is checked is what this source tree writes, even when another checkout sharing the
//! target directory has just rebuilt the binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::repo_root;

const INSTALL: &str = "Install them with `sudo apt-get install -y libreoffice-calc-nogui \
                       poppler-utils fonts-noto-cjk` (tests/run.sh does this when they are missing).";

/// Fail, naming the Debian package, unless `program` runs.
fn require(program: &str, arg: &str, package: &str) {
    let runs = Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        runs,
        "`{program}` is missing: the print tests need Debian's {package}. {INSTALL}"
    );
}

/// Convert every workbook in `dir` to PDF with one LibreOffice run, in a profile of its own so
/// that parallel runs never share (and lock) one.
fn to_pdf(dir: &Path, work: &Path) {
    let profile = format!("file://{}", work.join("profile").display());
    let books: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    let mut child = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .args(&books)
        .env("HOME", work.join("home"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("soffice does not start ({e}). {INSTALL}"));
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("soffice did not finish converting {books:?} in 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
    }
    assert!(status.success(), "soffice failed: {stderr}");
    for book in &books {
        assert!(
            book.with_extension("pdf").is_file(),
            "soffice made no PDF of {}: {stderr}",
            book.display()
        );
    }
}

/// The text of each page of a PDF, laid out as printed.
fn pages(pdf: &Path) -> Vec<String> {
    let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let count: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo gives no page count for {}: {info}", pdf.display()));
    (1..=count)
        .map(|p| {
            let page = p.to_string();
            let out = Command::new("pdftotext")
                .args(["-layout", "-f", &page, "-l", &page])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "pdftotext page {p} of {}",
                pdf.display()
            );
            String::from_utf8(out.stdout).unwrap()
        })
        .collect()
}

fn is_figure(token: &str) -> bool {
    let digits = token.strip_prefix('-').unwrap_or(token);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What every printed page of a generated workbook carries: a row with a Chinese label and a
/// figure side by side, the repeated header row `repeated`, the title `title` in the page header
/// and the page number in the footer.
fn check_every_page(name: &str, pages: &[String], title: &str, repeated: &str) {
    let count = pages.len();
    for (i, text) in pages.iter().enumerate() {
        let at = format!("{name}, page {} of {count}:\n{text}", i + 1);
        assert!(
            text.lines()
                .any(|l| has_han(l) && l.split_whitespace().any(is_figure)),
            "a row label and its figures on the same line — {at}"
        );
        assert!(text.contains(repeated), "the header rows repeat — {at}");
        assert!(
            text.matches(title).count() >= 2,
            "the title in the page header and in the repeated title row — {at}"
        );
        let compact: String = text.split_whitespace().collect();
        assert!(
            compact.contains(&format!("第{}页/共{count}页", i + 1)),
            "第 n 页 / 共 m 页 in the footer — {at}"
        );
    }
}

/// The page (from 1) of the printed line that holds `label` and, after it, `figures` in order.
fn row_with(name: &str, pages: &[String], label: &str, figures: &[&str]) -> usize {
    let holds_figures = |line: &str| {
        let mut tokens = line.split_whitespace();
        figures.iter().all(|f| tokens.any(|t| t == *f))
    };
    let mut seen = Vec::new();
    for (i, text) in pages.iter().enumerate() {
        for line in text.lines().filter(|l| l.contains(label)) {
            if holds_figures(line) {
                return i + 1;
            }
            seen.push(format!("page {}: {line:?}", i + 1));
        }
    }
    panic!(
        "{name}: no printed line holds 「{label}」 with its figures {figures:?} beside it; the \
         label is printed on {seen:#?}\n{}",
        pages.join("\n\u{c}\n")
    );
}

/// A figure of a demo report exactly as its stats.yaml writes it (`12.70`, not `12.7`).
fn source_figure(report: &str, id: &str) -> String {
    let path = repo_root()
        .join("examples/demo/content")
        .join(report)
        .join("stats.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let prefix = format!("  {id}: ");
    let value = text
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{id} in {}", path.display()))
        .trim();
    assert!(is_figure(value), "{report} {id} has a figure: {value}");
    value.to_string()
}

/// A township's figures of one indicator by year, from the built compare.csv.
fn compare_figures(csv: &Path, indicator: &str) -> Vec<(String, String)> {
    let bytes = fs::read(csv).unwrap();
    csv::Reader::from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[4] == indicator)
        .map(|r| (r[2].to_string(), r[7].to_string()))
        .collect()
}

#[test]
fn workbooks_print_one_page_wide_with_labels_and_figures_on_every_page() {
    require("soffice", "--version", "libreoffice-calc-nogui");
    require("pdftotext", "-v", "poppler-utils");
    require("pdfinfo", "-v", "poppler-utils");

    let work = tempfile::tempdir().unwrap();
    let public = work.path().join("public");
    let demo = repo_root().join("examples/demo");
    if let Err(e) = nianbao::build::build(&demo, &public, &nianbao::build::Options::default(), &())
    {
        panic!("the demo builds: {e:?}");
    }
    let books = work.path().join("books");
    fs::create_dir(&books).unwrap();
    // One report of each format: gov-2014 is narrow (portrait), gov-2019 and gov-2021 carry the
    // 15-column review table (landscape).
    let reports = ["2016/baisha", "2019/baisha", "2023/baisha"];
    for report in reports {
        let name = format!("stats-{}.xlsx", report.replace('/', "-"));
        fs::copy(public.join(report).join("stats.xlsx"), books.join(name)).unwrap();
    }
    fs::copy(
        public.join("townships/qingshan/compare.xlsx"),
        books.join("compare-qingshan.xlsx"),
    )
    .unwrap();
    // What `nianbao template gov-2021` writes.
    let format = nianbao::schema::format("gov-2021").unwrap();
    let template = nianbao::export::xlsx::form::input_workbook(format).unwrap();
    fs::write(books.join("template-gov-2021.xlsx"), template).unwrap();
    to_pdf(&books, work.path());

    // stats.xlsx: one or two pages (four to eight before), each with labels and figures.
    let stats: Vec<Vec<String>> = reports
        .iter()
        .map(|r| pages(&books.join(format!("stats-{}.pdf", r.replace('/', "-")))))
        .collect();
    for (report, pages) in reports.iter().zip(&stats) {
        let (year, _) = report.split_once('/').unwrap();
        let name = format!("{report}/stats.xlsx");
        assert!(
            (1..=2).contains(&pages.len()),
            "{name} prints on 1 or 2 pages, not {}",
            pages.len()
        );
        let title = format!("示例县白沙乡{year}年度政府信息公开工作年度报告");
        check_every_page(&name, pages, &title, "表格格式：");
    }
    let [gov2014, gov2019, gov2021] = &stats[..] else {
        unreachable!()
    };
    assert_eq!(gov2014.len(), 2, "2016/baisha/stats.xlsx prints on 2 pages");
    // The first row of the 2014 table and the last (its fees, on the second page), each with the
    // figure of the source.
    let first = row_with(
        "2016/baisha",
        gov2014,
        "主动公开政府信息数",
        &[&source_figure("2016/baisha", "proactive.total")],
    );
    let last = row_with(
        "2016/baisha",
        gov2014,
        "七、依申请公开信息收取的费用",
        &[&source_figure("2016/baisha", "fees.application_fees")],
    );
    assert_eq!(
        (first, last),
        (1, 2),
        "2016/baisha: the rows run onto page 2"
    );
    // The widest rows: the label, the first applicant column and the 总计 column on one line.
    for (report, pages) in [("2019/baisha", gov2019), ("2023/baisha", gov2021)] {
        row_with(
            report,
            pages,
            "一、本年新收政府信息公开申请数量",
            &[
                &source_figure(report, "apps.new_received.natural_person"),
                &source_figure(report, "apps.new_received.total"),
            ],
        );
    }
    row_with(
        "2023/baisha",
        gov2021,
        "行政许可",
        &[&source_figure("2023/baisha", "art20_5.licensing.decisions")],
    );

    // compare.xlsx: eight years side by side on one landscape page (seven pages before).
    let compare = pages(&books.join("compare-qingshan.pdf"));
    assert_eq!(compare.len(), 1, "qingshan/compare.xlsx prints on 1 page");
    check_every_page(
        "qingshan/compare.xlsx",
        &compare,
        "青山镇历年政府信息公开统计对比",
        "空白 = 原表未填报",
    );
    for text in &compare {
        for year in 2016..=2023 {
            assert!(
                text.contains(&format!("{year}年度")),
                "every page has every year's column ({year}):\n{text}"
            );
        }
    }
    let by_year = compare_figures(
        &public.join("townships/qingshan/compare.csv"),
        "normative_docs.issued_this_year",
    );
    assert_eq!(by_year.len(), 8, "{by_year:?}");
    let figures: Vec<&str> = by_year.iter().map(|(_, v)| v.as_str()).collect();
    row_with(
        "qingshan/compare.xlsx",
        &compare,
        "本年制发规范性文件数",
        &figures,
    );

    // The input template: the table sheet on one page, then its instructions (the id index is
    // hidden and not printed).
    let form = pages(&books.join("template-gov-2021.pdf"));
    assert_eq!(form.len(), 2, "the gov-2021 template prints on 2 pages");
    let first: String = form[0].split_whitespace().collect();
    for text in [
        "一、本年新收政府信息公开申请数量",
        "行政诉讼",
        "第1页/共2页",
    ] {
        assert!(
            first.contains(text),
            "page 1 of the template has {text}:\n{}",
            form[0]
        );
    }
    assert!(form[1].contains("填写说明"), "page 2: {}", form[1]);
}
