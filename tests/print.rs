//! The spreadsheets on paper: the demo site's `stats.xlsx` and `compare.xlsx` and the input
//! template of `nianbao template`, printed to PDF by LibreOffice headless and read back page by
//! page with poppler's pdftotext. Every page must carry row labels and their figures together
//! (before the page setup, a gov-2014 `stats.xlsx` printed its labels on pages 1–2 and the 统计数
//! column alone on pages 3–4, and `compare.xlsx` printed one or two years per page on 7 pages),
//! the repeated header rows, the title in the page header and 第 n 页 / 共 m 页 in the footer.
//! Read back from the PDF's word boxes: A4 portrait for `stats.xlsx` and the template, landscape
//! for `compare.xlsx`; no text under 9 points (before, the 2019/2021 tables and the comparison
//! printed at about 5 points); no row too low for its wrapped text; every row label printed; and
//! every footnoted figure of the comparison marked ≈注N. The fonts matter: LibreOffice measures
//! column widths with Calibri's metrics, which Debian's fonts-crosextra-carlito provides.
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
                       poppler-utils fonts-noto-cjk fonts-crosextra-carlito` (tests/run.sh does \
                       this when they are missing).";

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

/// Fail, naming the Debian package, unless fontconfig knows `family`.
fn require_font(family: &str, package: &str) {
    let listed = Command::new("fc-list")
        .arg(family)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(family))
        .unwrap_or(false);
    assert!(
        listed,
        "the font {family} is missing: the print tests need Debian's {package}, or \
         LibreOffice measures the columns with another font's widths. {INSTALL}"
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

/// Each page's size in points, (width, height).
fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let info = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "999"])
        .arg(pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    // `Page    1 size: 595.304 x 841.89 pts (A4)`
    info.lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" size: "))
        .map(|l| {
            let size = l.split(" size: ").nth(1).unwrap();
            let mut parts = size.split_whitespace();
            let w: f64 = parts.next().unwrap().parse().unwrap();
            let h: f64 = parts.nth(1).unwrap().parse().unwrap();
            (w, h)
        })
        .collect()
}

/// A printed word: page (from 1), box (x0, y0, x1, y1) in points, text.
struct Word {
    page: usize,
    bbox: (f64, f64, f64, f64),
    text: String,
}

/// Every word of a PDF with its box, as poppler's `pdftotext -bbox` gives them.
fn words(pdf: &Path) -> Vec<Word> {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext -bbox {}", pdf.display());
    let text = String::from_utf8(out.stdout).unwrap();
    let attr = |line: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let from = line.find(&key).unwrap() + key.len();
        let len = line[from..].find('"').unwrap();
        line[from..from + len].parse().unwrap()
    };
    let mut page = 0;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
        } else if line.starts_with("<word ") {
            let body = &line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()];
            out.push(Word {
                page,
                bbox: (
                    attr(line, "xMin"),
                    attr(line, "yMin"),
                    attr(line, "xMax"),
                    attr(line, "yMax"),
                ),
                text: body.to_string(),
            });
        }
    }
    out
}

/// The printed size in points of the smallest text: a CJK character is one em wide, so a word of
/// CJK characters only is as many ems wide as it has characters.
fn smallest_font(words: &[Word]) -> (f64, String) {
    words
        .iter()
        .filter(|w| {
            w.text.chars().count() >= 2
                && w.text
                    .chars()
                    .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        })
        .map(|w| {
            let size = (w.bbox.2 - w.bbox.0) / w.text.chars().count() as f64;
            (size, format!("「{}」 on page {}", w.text, w.page))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("the PDF has CJK words")
}

/// Words printed over one another: a row too low for its wrapped text runs into the next.
/// Overlaps with the rows `repeated` at the top of every page are left out: LibreOffice draws a
/// label spanning rows across a page break again on the next page, clipped away under those rows
/// (invisible on paper, but its glyphs are in the PDF).
fn overlapping(words: &[Word], repeated: &[&str]) -> Vec<String> {
    let is_repeated = |w: &Word| repeated.iter().any(|r| w.text.contains(r));
    let mut found = Vec::new();
    for (i, a) in words.iter().enumerate() {
        if is_repeated(a) {
            continue;
        }
        for b in words[i + 1..]
            .iter()
            .filter(|b| b.page == a.page && !is_repeated(b))
        {
            let x = a.bbox.2.min(b.bbox.2) - a.bbox.0.max(b.bbox.0);
            let y = a.bbox.3.min(b.bbox.3) - a.bbox.1.max(b.bbox.1);
            if x > 1.0 && y > 1.0 {
                found.push(format!(
                    "page {}: 「{}」 over 「{}」",
                    a.page, a.text, b.text
                ));
            }
        }
    }
    found
}

/// The whole text in content order without any white space: a cell's wrapped lines follow each
/// other, so a label is found whole however it wraps.
fn compact_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect()
}

/// A workbook printed on A4 (`landscape` or portrait) at 9 points or more, no line run over
/// another (outside the `repeated` rows) and every one of `labels` printed.
fn check_print(name: &str, pdf: &Path, landscape: bool, repeated: &[&str], labels: &[String]) {
    let sizes = page_sizes(pdf);
    assert!(!sizes.is_empty(), "{name}: page sizes from pdfinfo");
    for (i, (w, h)) in sizes.iter().enumerate() {
        let a4 = |a: f64, b: f64| (a - 595.3).abs() < 2.0 && (b - 841.9).abs() < 2.0;
        let ok = if landscape { a4(*h, *w) } else { a4(*w, *h) };
        assert!(
            ok,
            "{name}: page {} is A4 {}, not {w} × {h} pt",
            i + 1,
            if landscape { "landscape" } else { "portrait" }
        );
    }
    let words = words(pdf);
    let (smallest, which) = smallest_font(&words);
    assert!(
        smallest >= 9.0,
        "{name}: the smallest text prints at {smallest:.2} pt ({which}), under 9 pt"
    );
    let over = overlapping(&words, repeated);
    assert!(
        over.is_empty(),
        "{name}: rows too low for their text, {} words printed over others: {:#?}",
        over.len(),
        &over[..over.len().min(10)]
    );
    let text = compact_text(pdf);
    let missing: Vec<&String> = labels
        .iter()
        .filter(|l| {
            let l: String = l.split_whitespace().collect();
            !text.contains(&l)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{name}: {} of {} row labels are not printed: {missing:?}",
        missing.len(),
        labels.len()
    );
    println!(
        "{name}: {} pages, smallest text {smallest:.2} pt, {} labels printed",
        sizes.len(),
        labels.len()
    );
}

/// Every label a format's tables print: table titles, row and group labels, column headings.
fn format_labels(format: &str) -> Vec<String> {
    let format = nianbao::schema::format(format).unwrap();
    let mut labels = Vec::new();
    for t in &format.tables {
        labels.push(t.title.clone());
        labels.extend(t.header.iter().cloned());
        for r in &t.rows {
            labels.push(r.label.clone());
            labels.extend(r.group.iter().cloned());
        }
        for c in &t.columns {
            labels.push(c.label.clone());
            labels.extend(c.group.iter().cloned());
        }
    }
    labels.retain(|l| !l.trim().is_empty());
    labels.sort();
    labels.dedup();
    labels
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
    require_font("Carlito", "fonts-crosextra-carlito");

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
    assert!(
        (2..=6).contains(&compare.len()),
        "qingshan/compare.xlsx prints on a few pages (one page wide), not {}",
        compare.len()
    );
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
    // The label wraps in its column; its first line and the figures start the row.
    row_with(
        "qingshan/compare.xlsx",
        &compare,
        "本年制发规范性文件",
        &figures,
    );

    // Portrait A4 for a report's table, at 9 points or more, every row label printed whole.
    for (report, format) in [
        ("2016/baisha", "gov-2014"),
        ("2019/baisha", "gov-2019"),
        ("2023/baisha", "gov-2021"),
    ] {
        let pdf = books.join(format!("stats-{}.pdf", report.replace('/', "-")));
        let (year, _) = report.split_once('/').unwrap();
        let title = format!("示例县白沙乡{year}年度政府信息公开工作年度报告");
        check_print(
            &format!("{report}/stats.xlsx"),
            &pdf,
            false,
            &[&title, "表格格式："],
            &format_labels(format),
        );
    }

    // compare.xlsx: landscape at 9 points or more, every indicator printed, and every figure
    // with a footnote marked ≈注N beside it, tied to the note 注N below the table.
    let demo_site = {
        let config = nianbao::config::Config::load(&demo).unwrap();
        let (site, _) = nianbao::content::load_site(&demo, config);
        site.expect("the demo loads")
    };
    let cmp = nianbao::site::compare::township_comparison(&demo_site, "qingshan");
    let labels: Vec<String> = cmp.rows.iter().map(|r| r.indicator.label.clone()).collect();
    let pdf = books.join("compare-qingshan.pdf");
    check_print(
        "qingshan/compare.xlsx",
        &pdf,
        true,
        &["青山镇历年政府信息公开统计对比", "空白"],
        &labels,
    );
    let noted: Vec<usize> = cmp
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter_map(|c| c.note)
        .collect();
    assert!(
        cmp.notes.len() >= 10 && noted.len() >= cmp.notes.len(),
        "qingshan has its figures' footnotes: {} notes, {} noted figures",
        cmp.notes.len(),
        noted.len()
    );
    let text = compact_text(&pdf);
    for (i, note) in cmp.notes.iter().enumerate() {
        let n = i + 1;
        let listed: String = format!("注{n}：{note}").split_whitespace().collect();
        assert!(text.contains(&listed), "the notes list has 注{n}: {listed}");
        let marks = text.matches(&format!("≈注{n}")).count();
        // `≈注1` is also the start of `≈注10`…: count the marks of exactly n.
        let longer: usize = (0..10)
            .map(|d| text.matches(&format!("≈注{n}{d}")).count())
            .sum();
        let expected = noted.iter().filter(|m| **m == n).count();
        assert_eq!(
            marks - longer,
            expected,
            "qingshan/compare.xlsx: 注{n} marks every figure it explains"
        );
    }

    // The input template: the table sheet on two portrait pages at 9 points or more, then its
    // instructions (the id index is hidden and not printed).
    let form_pdf = books.join("template-gov-2021.pdf");
    let form = pages(&form_pdf);
    assert_eq!(form.len(), 3, "the gov-2021 template prints on 3 pages");
    let table: String = form[..2].concat().split_whitespace().collect();
    for text in [
        "一、本年新收政府信息公开申请数量",
        "行政诉讼",
        "第1页/共3页",
        "第2页/共3页",
    ] {
        assert!(
            table.contains(text),
            "pages 1–2 of the template have {text}:\n{}",
            form[..2].join("\n")
        );
    }
    assert!(form[2].contains("填写说明"), "page 3: {}", form[2]);
    check_print(
        "template-gov-2021.xlsx",
        &form_pdf,
        false,
        &["（待填写）", "表格格式："],
        &format_labels("gov-2021"),
    );
}
