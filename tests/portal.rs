//! The portal features around the pages: Atom feed, sitemap, canonical links, QR codes, the link
//! checker of `nianbao check`, and year archives.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use common::{Fixture, repo_root, run, run_in};

const BASE: &str = "https://example.gov.cn/nianbao/";

fn build(f: &Fixture, out: &Path) {
    let (code, _, err) = run_in(f.root(), "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
}

fn built(f: &Fixture) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(f, &out);
    (tmp, out)
}

/// An element: name, attributes, text.
type Element = (String, Vec<(String, String)>, String);

/// Every element and attribute of an XML document, failing on malformed XML.
fn xml_events(text: &str) -> Vec<Element> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out: Vec<Element> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        (
                            a.key.as_ref().to_string(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("escaped value")
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((e.name().as_ref().to_string(), attrs, String::new()));
            }
            Event::Text(t) => {
                if let Some(last) = out.last_mut() {
                    last.2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content().into_owned();
                let c = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                if let Some(last) = out.last_mut() {
                    last.2.push_str(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn texts<'a>(events: &'a [Element], name: &str) -> Vec<&'a str> {
    events
        .iter()
        .filter(|e| e.0 == name)
        .map(|e| e.2.trim())
        .collect()
}

#[test]
fn feed_and_sitemap_are_well_formed_absolute_and_newest_first() {
    let f = Fixture::new();
    f.edit(
        "content/2018/alpha/report.md",
        "title: 测试县甲镇2018年度政府信息公开工作年度报告",
        "title: 测试县甲镇2018年度报告 & <附表>",
    );
    let (_tmp, out) = built(&f);

    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    let events = xml_events(&atom);
    let ids = texts(&events, "id");
    assert_eq!(
        ids,
        [
            BASE,
            "https://example.gov.cn/nianbao/2020/beta/",
            "https://example.gov.cn/nianbao/2018/alpha/"
        ],
        "feed id, then reports newest first"
    );
    assert_eq!(
        texts(&events, "updated"),
        [
            "2021-01-20T00:00:00+08:00",
            "2021-01-20T00:00:00+08:00",
            "2019-03-01T00:00:00+08:00"
        ],
        "dates from the reports, not the clock"
    );
    assert!(texts(&events, "title").contains(&"测试县甲镇2018年度报告 & <附表>"));
    let self_link = events
        .iter()
        .find(|e| e.0 == "link" && e.1.iter().any(|(k, v)| k == "rel" && v == "self"))
        .expect("self link");
    assert!(
        self_link
            .1
            .contains(&("href".to_string(), format!("{BASE}atom.xml")))
    );

    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let locs = texts(&xml_events(&sitemap), "loc")
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    for page in [
        "",
        "2018/",
        "2018/alpha/",
        "2020/beta/",
        "townships/alpha/",
        "county/",
        "data/",
    ] {
        assert!(
            locs.contains(&format!("{BASE}{page}")),
            "{page} in {locs:?}"
        );
    }
    assert!(locs.iter().all(|l| l.starts_with(BASE)));
    assert!(!locs.iter().any(|l| l.contains("404")), "no 404 page");
    let mut sorted = locs.clone();
    sorted.sort();
    assert_eq!(
        locs, sorted,
        "sorted, so the same content gives the same bytes"
    );

    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("type=\"application/atom+xml\""));
    assert!(home.contains("href=\"atom.xml\""));
}

#[test]
fn every_page_names_its_published_address_as_canonical() {
    let f = Fixture::new();
    let (_tmp, out) = built(&f);
    for (file, url) in [
        ("index.html", BASE.to_string()),
        ("2018/alpha/index.html", format!("{BASE}2018/alpha/")),
        (
            "townships/beta/index.html",
            format!("{BASE}townships/beta/"),
        ),
        ("county/index.html", format!("{BASE}county/")),
    ] {
        let html = fs::read_to_string(out.join(file)).unwrap();
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            "{file}"
        );
    }
}

/// Read the inline QR code SVG of a page back into modules and decode it.
fn decode_qr(html: &str) -> String {
    let svg_start = html
        .find("<svg class=\"qr-code\"")
        .expect("QR code on the page");
    let svg = &html[svg_start..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(svg.contains("role=\"img\""));
    let view = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let size: usize = view.split(' ').next().unwrap().parse().unwrap();
    let d = svg.split(" d=\"").nth(1).unwrap();
    let d = &d[..d.find('"').unwrap()];
    let mut dark = vec![false; size * size];
    for run in d.split('M').filter(|s| !s.is_empty()) {
        // M{x} {y}h{w}v1h-{w}z
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let w: usize = rest.split('v').next().unwrap().parse().unwrap();
        for i in x..x + w {
            dark[y * size + i] = true;
        }
    }
    let scale = 4;
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(size * scale, size * scale, |x, y| {
            if dark[(y / scale) * size + x / scale] {
                0
            } else {
                255
            }
        });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("decodes").1
}

#[test]
fn report_and_township_pages_carry_a_qr_code_of_their_address() {
    let f = Fixture::new();
    let (_tmp, out) = built(&f);
    for (file, url) in [
        ("2018/alpha/index.html", format!("{BASE}2018/alpha/")),
        (
            "townships/beta/index.html",
            format!("{BASE}townships/beta/"),
        ),
    ] {
        let html = fs::read_to_string(out.join(file)).unwrap();
        assert_eq!(decode_qr(&html), url, "{file}");
        assert!(html.contains("<figcaption>扫一扫在手机打开当前页</figcaption>"));
        assert!(html.contains(&format!("<title>二维码：{url}</title>")));
    }
    let year = fs::read_to_string(out.join("2018/index.html")).unwrap();
    assert!(!year.contains("qr-code"), "only report and township pages");
}

fn broken_fixture() -> Fixture {
    let f = Fixture::new();
    f.edit(
        "content/2018/alpha/report.md",
        "正文。\n",
        "正文。\n\n见[统计表](#stats-title)和[没有的节](#nope)。\n\n\
         下载[缺的附件](缺的附件.pdf)，[原件](%E7%BB%9F%E8%AE%A1%E8%A1%A8.xls)。\n\n\
         ![示意图](图1.png)\n\n\
         [乙乡2020](../../2020/beta/index.html)，[外站](https://www.gov.cn/)。\n",
    );
    f
}

#[test]
fn check_reports_each_broken_link_at_its_line_in_report_md() {
    let f = broken_fixture();
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1, "{err}");
    for expected in [
        "content/2018/alpha/report.md:14:22: [#nope] 链接指向的锚点 #nope 在页面 2018/alpha/index.html 中不存在",
        "content/2018/alpha/report.md:16:3: [缺的附件.pdf] 附件链接指向的文件 2018/alpha/缺的附件.pdf 不存在",
        "content/2018/alpha/report.md:18:1: [图1.png] 图片指向的文件 2018/alpha/图1.png 不存在",
    ] {
        assert!(err.contains(expected), "{expected}\n---\n{err}");
    }
    assert_eq!(err.matches("错误: ").count(), 3, "{err}");
    assert!(err.contains("把文件 缺的附件.pdf 放进报告目录"), "{err}");

    // Fixing them passes.
    f.write_bytes("content/2018/alpha/缺的附件.pdf", b"%PDF-1.4");
    f.write_bytes("content/2018/alpha/图1.png", b"\x89PNG");
    f.edit("content/2018/alpha/report.md", "(#nope)", "(#sec-1)");
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_missing_anchor_on_another_page_and_in_a_year_introduction_are_found() {
    let f = Fixture::new();
    f.write(
        "content/2018/_index.md",
        "本年度说明。\n\n参见[甲镇统计表](alpha/index.html#stats-title)与[甲镇第九节](alpha/index.html#sec-9)。\n",
    );
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/2018/_index.md:3:41: [alpha/index.html#sec-9] 链接指向的锚点 #sec-9 在页面 2018/alpha/index.html 中不存在"),
        "{err}"
    );
    assert_eq!(err.matches("错误: ").count(), 1, "{err}");
}

#[test]
fn check_json_is_one_document_with_every_field() {
    let f = broken_fixture();
    let (code, out, _) = run_in(f.root(), "check", &["--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("stdout is JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"], 3);
    let ds = v["diagnostics"].as_array().unwrap();
    let image = ds
        .iter()
        .find(|d| d["field"] == "图1.png")
        .expect("the missing image");
    assert_eq!(image["file"], "content/2018/alpha/report.md");
    assert_eq!(image["line"], 18);
    assert_eq!(image["column"], 1);
    assert_eq!(image["severity"], "error");
    assert_eq!(image["code"], "link.broken");
    assert!(image["message"].as_str().unwrap().contains("图片"));
    assert!(image["hint"].is_string());

    let clean = Fixture::new();
    let (code, out, _) = run_in(clean.root(), "check", &["--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true);
    assert!(v["summary"]["pages"].as_u64().unwrap() >= 7);
    assert!(v["diagnostics"].is_array());

    let (code, _, _) = run_in(clean.root(), "check", &["--format", "xml"]);
    assert_eq!(code, 2, "an unknown format is a usage error");
}

#[test]
fn a_broken_link_in_a_template_names_the_template() {
    let f = Fixture::new();
    f.write(
        "templates/township.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"{{ root }}nowhere/index.html\">x</a><a href=\"#missing\">y</a>{% endblock content %}",
    );
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("templates/township.html: [../../nowhere/index.html] 模板生成的页面 townships/alpha/index.html 中链接指向的文件 nowhere/index.html 不存在"),
        "{err}"
    );
    assert!(err.contains("[#missing]"), "{err}");
    assert!(err.contains("这是模板"), "{err}");
}

/// The entries of a ZIP file, in stored order.
fn zip_entries(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        out.insert(e.name().unwrap().into_owned(), data);
    }
    out
}

/// (name, general-purpose flags, extra field length in the central and the local header).
fn raw_central_directory(bytes: &[u8]) -> Vec<(String, u16, u16, u16)> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let eocd = (0..bytes.len() - 21)
        .rev()
        .find(|&i| u32_at(i) == 0x0605_4b50)
        .expect("end of central directory");
    let count = u16_at(eocd + 10) as usize;
    let mut at = u32_at(eocd + 16) as usize;
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(at), 0x0201_4b50);
        let flags = u16_at(at + 8);
        let (name_len, extra_len, comment_len) = (
            u16_at(at + 28) as usize,
            u16_at(at + 30),
            u16_at(at + 32) as usize,
        );
        let local = u32_at(at + 42) as usize;
        let name = String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).unwrap();
        out.push((name, flags, extra_len, u16_at(local + 28)));
        at += 46 + name_len + extra_len as usize + comment_len;
    }
    out
}

#[test]
fn year_archive_is_reproducible_self_contained_and_names_are_utf8() {
    let f = Fixture::new();
    let (_a, first) = built(&f);
    let zip = fs::read(first.join("archive/2018.zip")).unwrap();
    // Another build at another time of the same content: the same bytes.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (_b, second) = built(&f);
    assert_eq!(zip, fs::read(second.join("archive/2018.zip")).unwrap());

    let year_page = fs::read_to_string(first.join("2018/index.html")).unwrap();
    let size = nianbao::render::pages::human_size(zip.len() as u64);
    assert!(
        year_page.contains(&format!(
            "href=\"../archive/2018.zip\" download=\"测试县-2018-年度报告离线归档.zip\" data-print-url=\"https://example.gov.cn/nianbao/archive/2018.zip\">下载2018年度离线归档（ZIP 压缩包，{size}）"
        )),
        "the year page links its archive with the size"
    );

    let raw = raw_central_directory(&zip);
    let names: Vec<&str> = raw.iter().map(|e| e.0.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries sorted");
    for (name, flags, central_extra, local_extra) in &raw {
        assert_eq!(
            flags & 0x0800 != 0,
            !name.is_ascii(),
            "{name}: UTF-8 flag (bit 11) exactly on non-ASCII names"
        );
        assert_eq!(
            (*central_extra, *local_extra),
            (0, 0),
            "{name}: no extra fields"
        );
    }
    assert!(names.contains(&"2018/alpha/统计表.xls"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    let entry = archive.by_name("index.html").unwrap();
    let t = entry.last_modified().unwrap();
    assert_eq!(
        (t.year(), t.month(), t.day(), t.hour(), t.minute()),
        (2019, 3, 1, 0, 0),
        "dated with the year's newest 公开日期"
    );
    drop(entry);

    let files = zip_entries(&zip);
    for expected in [
        "index.html",
        "2018/index.html",
        "2018/alpha/index.html",
        "2018/alpha/stats.csv",
        "2018/alpha/stats.xlsx",
        "2018/figures.csv",
        "static/style.css",
    ] {
        assert!(files.contains_key(expected), "{expected} in {names:?}");
    }
    // What lies outside the year is on the live site: other years, township, county, data,
    // oversight and search pages.
    assert!(
        !names.iter().any(|n| n.starts_with("2020/")
            || n.starts_with("archive/")
            || n.starts_with("townships/")
            || n.starts_with("county/")
            || n.starts_with("audit/")
            || n.starts_with("search/")
            || n.starts_with("embed/")
            || *n == "data/index.html"
            || *n == "404.html"
            || *n == "atom.xml"),
        "only 2018, no server files: {names:?}"
    );
    // A report page is the live file, byte for byte; it links what the archive does not hold
    // on the live site, and what it holds relatively.
    let report = &files["2018/alpha/index.html"];
    assert_eq!(
        report,
        &fs::read(first.join("2018/alpha/index.html")).unwrap()
    );
    let report = String::from_utf8_lossy(report);
    for leaving in [
        "href=\"https://example.gov.cn/nianbao/townships/alpha/index.html\"",
        "href=\"https://example.gov.cn/nianbao/county/index.html\"",
        "action=\"https://example.gov.cn/nianbao/search/index.html\"",
    ] {
        assert!(report.contains(leaving), "{leaving}");
    }
    assert!(report.contains("href=\"../../2018/alpha/stats.csv\""));
    assert!(report.contains("href=\"../../2018/index.html\""));
    assert_eq!(
        files["2018/alpha/统计表.xls"],
        fs::read(f.root().join("content/2018/alpha/统计表.xls")).unwrap()
    );
    // The build copies report data files into the archive: they must be what the archive's own
    // rendering gives, which is what `nianbao archive` renders.
    for kind in ["csv", "json", "xlsx"] {
        let path = format!("2018/alpha/stats.{kind}");
        assert_eq!(files[&path], fs::read(first.join(&path)).unwrap(), "{path}");
    }
    assert!(
        !names.iter().any(|n| n.contains("compare.")),
        "no comparison across years in a one-year archive"
    );
    let home = String::from_utf8_lossy(&files["index.html"]);
    assert!(home.contains("离线归档副本"));
    assert!(!home.contains("2020"), "the other year is not listed");
    assert!(home.contains("href=\"2018/index.html\""), "{home}");
    assert!(
        home.contains("href=\"https://example.gov.cn/nianbao/data/index.html\""),
        "{home}"
    );
    // The county-wide files (every year's figures) are the live site's alone.
    assert!(
        !names.iter().any(|n| n.starts_with("data/all.")),
        "no county-wide data file: {names:?}"
    );

    let broken = nianbao::linkcheck::check_tree(&files);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// A build puts into its archives what it rendered for the live site (report pages compressed as
/// they are rendered): every archive must be what `nianbao archive` writes. The demo site has
/// townships with reports in several years (a report page links them on the live site).
#[test]
fn every_archive_of_a_build_is_what_the_archive_command_renders() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repo_root().join("examples/demo");
    let out = tmp.path().join("public");
    let (code, _, err) = run_in(&root, "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let years: Vec<String> = fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.parse::<u16>().is_ok())
        .collect();
    assert!(years.len() >= 5, "{years:?}");
    for year in &years {
        let alone = tmp.path().join(format!("{year}.zip"));
        let (code, _, err) = run_in(
            &root,
            "archive",
            &[year, "--output", alone.to_str().unwrap()],
        );
        assert_eq!(code, 0, "{err}");
        assert!(
            fs::read(&alone).unwrap() == fs::read(out.join(format!("archive/{year}.zip"))).unwrap(),
            "archive/{year}.zip differs from `nianbao archive {year}`"
        );
    }
    // Every report page of the year is the live file, which links the township's other years.
    let zip = fs::read(out.join("archive/2018.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let pages: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| {
            n.starts_with("2018/") && n.matches('/').count() == 2 && n.ends_with("/index.html")
        })
        .collect();
    assert!(pages.len() >= 3, "{pages:?}");
    for name in &pages {
        let mut page = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut page)
            .unwrap();
        assert_eq!(page, fs::read(out.join(name)).unwrap(), "{name}");
    }
    let mut page = String::new();
    archive
        .by_name("2018/donghu/index.html")
        .unwrap()
        .read_to_string(&mut page)
        .unwrap();
    assert!(
        page.contains("href=\"https://example.gov.cn/"),
        "links leave the year absolutely"
    );
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "scratch trees left: {leftovers:?}");
}

#[test]
fn archive_command_writes_the_build_s_archive_and_refuses_unknown_years() {
    let f = Fixture::new();
    let (_tmp, out) = built(&f);
    let target = f.root().join("归档/甲.zip");
    let (code, _, err) = run_in(
        f.root(),
        "archive",
        &["2018", "--output", target.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("已归档：2018 年度 1 份报告"), "{err}");
    assert_eq!(
        fs::read(&target).unwrap(),
        fs::read(out.join("archive/2018.zip")).unwrap()
    );

    let (code, _, err) = run_in(f.root(), "archive", &["2019"]);
    assert_eq!(code, 2);
    assert!(err.contains("2019 年度没有报告"), "{err}");

    let (code, _, err) = run(&["archive", "--help"]);
    assert_eq!(code, 0);
    assert!(err.is_empty());
}

#[test]
fn a_rebuild_keeps_the_archives_of_untouched_years() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::new();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&f, &out);
    let inode = |y: u16| {
        fs::metadata(out.join(format!("archive/{y}.zip")))
            .unwrap()
            .ino()
    };
    let bytes = |y: u16| fs::read(out.join(format!("archive/{y}.zip"))).unwrap();
    let (kept, old_2020) = (inode(2018), bytes(2020));

    f.edit("content/2020/beta/report.md", "正文。", "正文有改动。");
    build(&f, &out);
    assert_eq!(
        inode(2018),
        kept,
        "2018 untouched: its archive is kept, not rewritten"
    );
    assert_ne!(
        bytes(2020),
        old_2020,
        "2020 changed: its archive is made anew"
    );
    // Made anew, not taken from the archives kept beside the site.
    fs::remove_dir_all(f.root().join(".nianbao-cache")).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    build(&f, &fresh.path().join("p"));
    for y in [2018, 2020] {
        assert_eq!(
            bytes(y),
            fs::read(fresh.path().join(format!("p/archive/{y}.zip"))).unwrap(),
            "{y}: same as a fresh build"
        );
    }

    // Shared sources (here the site's title) change every archive.
    let old_2018 = bytes(2018);
    f.edit("site.toml", "测试县年报", "测试县年度报告");
    build(&f, &out);
    assert_ne!(bytes(2018), old_2018);
}

/// The archives kept beside the site (`.nianbao-cache/archives/`) serve a build into an empty
/// folder, year by year: a year whose sources changed is made anew and kept in place of the old.
#[test]
fn a_build_into_an_empty_folder_takes_the_archives_kept_beside_the_site() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::new();
    let tmp = tempfile::tempdir().unwrap();
    let kept_dir = f.root().join(".nianbao-cache/archives");
    let kept = |y: u16| -> Vec<PathBuf> {
        fs::read_dir(&kept_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("{y}-"))
            })
            .collect()
    };
    let inode = |p: &Path| fs::metadata(p).unwrap().ino();
    let first = tmp.path().join("first");
    build(&f, &first);
    for y in [2018, 2020] {
        let [one] = kept(y).try_into().expect("one kept archive per year");
        assert_eq!(
            fs::read(&one).unwrap(),
            fs::read(first.join(format!("archive/{y}.zip"))).unwrap()
        );
    }

    f.edit("content/2020/beta/report.md", "正文。", "正文有改动。");
    let second = tmp.path().join("second");
    build(&f, &second);
    let [kept_2018] = kept(2018).try_into().unwrap();
    assert_eq!(
        inode(&second.join("archive/2018.zip")),
        inode(&kept_2018),
        "2018 untouched: the kept archive is taken"
    );
    let [kept_2020] = kept(2020)
        .try_into()
        .expect("the old 2020 archive is replaced");
    let new_2020 = fs::read(second.join("archive/2020.zip")).unwrap();
    assert_ne!(new_2020, fs::read(first.join("archive/2020.zip")).unwrap());
    assert_eq!(fs::read(&kept_2020).unwrap(), new_2020, "and kept");

    // What a build makes with no kept archives at all: the same bytes.
    fs::remove_dir_all(f.root().join(".nianbao-cache")).unwrap();
    let fresh = tmp.path().join("fresh");
    build(&f, &fresh);
    assert_eq!(snapshot(&second), snapshot(&fresh));

    // A preview with drafts neither takes the kept archives nor keeps its own.
    build(&f, &second);
    let [published_2018] = kept(2018).try_into().unwrap();
    let drafts = tmp.path().join("drafts");
    let (code, _, err) = run_in(
        f.root(),
        "build",
        &["--allow-draft", "--output", drafts.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert_ne!(
        inode(&drafts.join("archive/2018.zip")),
        inode(&published_2018)
    );
    assert_eq!(kept(2018), [published_2018]);

    // A store that cannot be written costs nothing but the time: the build is complete.
    fs::remove_dir_all(f.root().join(".nianbao-cache")).unwrap();
    fs::write(f.root().join(".nianbao-cache"), "not a folder").unwrap();
    let blocked = tmp.path().join("blocked");
    build(&f, &blocked);
    assert_eq!(snapshot(&blocked), snapshot(&fresh));
}

/// Every file of a built site but the output's marker, relative path → bytes.
fn snapshot(out: &Path) -> Vec<(String, Vec<u8>)> {
    common::snapshot_tree(out)
        .into_iter()
        .filter(|(p, _)| p != ".nianbao")
        .collect()
}

#[test]
fn archive_counts_only_its_own_year_s_warnings() {
    let f = Fixture::new();
    // A rule warning in the 2018 report only.
    f.edit(
        "content/2018/alpha/stats.yaml",
        "proactive.normative_docs_published: 2",
        "proactive.normative_docs_published: 9",
    );
    let tmp = tempfile::tempdir().unwrap();
    let target = |year: &str| tmp.path().join(format!("{year}.zip"));
    let (code, _, err) = run_in(
        f.root(),
        "archive",
        &["2020", "--output", target("2020").to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("0 条警告"),
        "2018's warning is not 2020's: {err}"
    );
    let (code, _, err) = run_in(
        f.root(),
        "archive",
        &["2018", "--output", target("2018").to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 条警告"), "{err}");
}

/// `published: ~`: the original does not say. It builds, `check` warns with the line, every page
/// and download shows it as unknown, and no date is made up for it anywhere.
#[test]
fn an_unknown_publication_date_builds_and_is_shown_as_unknown() {
    let f = Fixture::new();
    f.edit(
        "content/2020/beta/report.md",
        "published: 2021-01-20",
        "published: ~",
    );
    let (code, _, stderr) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "an unknown date is a warning: {stderr}");
    assert!(
        stderr.contains("content/2020/beta/report.md:2:1: [published] 公开日期未注明"),
        "{stderr}"
    );
    let (_out_dir, out) = built(&f);
    let page = fs::read_to_string(out.join("2020/beta/index.html")).unwrap();
    assert!(page.contains("原文未注明"), "the report page says so");
    let year = fs::read_to_string(out.join("2020/index.html")).unwrap();
    assert!(year.contains("原文未注明"), "the year page says so");
    let township = fs::read_to_string(out.join("townships/beta/index.html")).unwrap();
    assert!(township.contains("原文未注明"), "the township page says so");
    let json = fs::read_to_string(out.join("2020/beta/stats.json")).unwrap();
    assert!(json.contains("\"published\":null"), "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert!(value["published"].is_null());
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        !atom.contains("2020/beta/"),
        "a report without a date has no feed entry (a feed entry needs a date)"
    );
    assert!(
        atom.contains("2018/alpha/"),
        "the dated report still has one"
    );
    for (path, text) in [("2020/beta/index.html", &page), ("2020/index.html", &year)] {
        assert!(!text.contains("2021-01-"), "{path}: no date was made up");
    }
}

/// The row labels of the township comparison table in a township page, in order.
fn compare_row_labels(page: &str, row_start: &str) -> Vec<String> {
    let table = page
        .split_once("<table class=\"compare\">")
        .and_then(|(_, rest)| rest.split_once("</table>"))
        .map(|(table, _)| table)
        .expect("a comparison table");
    table
        .split(row_start)
        .skip(1)
        .filter_map(|s| s.split_once("</th>").map(|(label, _)| label.to_string()))
        .collect()
}

#[test]
fn a_theme_drawing_the_comparison_rows_itself_still_gets_them() {
    let f = Fixture::new();
    let (_keep, out) = built(&f);
    let page = fs::read_to_string(out.join("townships/alpha/index.html")).unwrap();
    let drawn = compare_row_labels(&page, "<th scope=\"row\">");
    assert!(!drawn.is_empty(), "the default theme's table has rows");

    // A theme that writes its own rows from `compare.groups`, as themes could before the body
    // was drawn by nianbao.
    f.write(
        "templates/partials/township_compare.html",
        "<table class=\"compare\">{% for g in compare.groups %}{% for r in g.rows %}\
         <tr><th class=\"own\">{{ r.label }}</th>{% for c in r.cells %}<td>{{ c.text }}</td>{% endfor %}</tr>\
         {% endfor %}{% endfor %}</table>",
    );
    let (_keep2, out) = built(&f);
    let page = fs::read_to_string(out.join("townships/alpha/index.html")).unwrap();
    assert_eq!(compare_row_labels(&page, "<th class=\"own\">"), drawn);
    let embed = fs::read_to_string(out.join("embed/townships/alpha/index.html")).unwrap();
    assert_eq!(compare_row_labels(&embed, "<th class=\"own\">"), drawn);
}
