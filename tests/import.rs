//! `nianbao import`: the seed reproduces the content pack; HTML pages and Excel tables of each
//! format (made here) come back figure for figure; every hazard is flagged, never fixed silently.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Fixture, SITE_TOML, repo_root, run, snapshot_tree};
use nianbao::schema::{self, Format};
use nianbao::site::Stats;
use nianbao::site::table::{TableView, tables};
use rust_decimal::Decimal;

const TOWNSHIPS: &str = "\
- slug: beijinggang
  name: 北景港镇
  kind: 镇
- slug: alpha
  name: 甲镇
  kind: 镇
  formerly: [old-alpha]
- slug: beta
  name: 乙乡
  kind: 乡
";

/// The seed page: the text of the 2018 北景港镇 report as the county website published it, which
/// the content pack keeps as the report's attachment (the project's own source document).
fn seed_path() -> PathBuf {
    let path = repo_root().join("content/2018/beijinggang/原文-北景港镇2018年度报告.txt");
    assert!(
        path.is_file(),
        "the seed {} is missing from the content pack",
        path.display()
    );
    path
}

/// An empty site with the townships above; the inputs go in `in/`.
fn site() -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", SITE_TOML);
    f.write("content/townships.yaml", TOWNSHIPS);
    f
}

fn import(f: &Fixture, args: &[&str]) -> (i32, String, String) {
    let root = f.root().to_str().expect("utf-8 path").to_string();
    let mut all = vec!["import", "--root", root.as_str()];
    all.extend_from_slice(args);
    run(&all)
}

fn input(f: &Fixture, name: &str, bytes: &[u8]) -> String {
    f.write_bytes(&format!("in/{name}"), bytes);
    f.root()
        .join("in")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// id → value exactly as written in a stats.yaml (`None` for `~`).
fn raw_values(path: &Path) -> BTreeMap<String, Option<String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(id, rest)| {
            let v = rest.split('#').next().unwrap_or_default().trim();
            (id.to_string(), (v != "~").then(|| v.to_string()))
        })
        .collect()
}

/// Front matter as YAML (comments dropped) and the body.
fn report_parts(path: &Path) -> (serde_yaml::Value, String) {
    let text = fs::read_to_string(path).expect("report.md");
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (yaml, body) = rest.split_once("\n---\n").expect("closing ---");
    (serde_yaml::from_str(yaml).expect("yaml"), body.to_string())
}

/// The imported 2018 北景港 report has the content pack's figures (blank as blank) and narrative.
fn assert_figures_and_narrative_are_the_pack_s(f: &Fixture) {
    let ours = f.root().join("content/2018/beijinggang");
    let pack = repo_root().join("content/2018/beijinggang");
    assert_eq!(
        raw_values(&ours.join("stats.yaml")),
        raw_values(&pack.join("stats.yaml"))
    );
    assert_eq!(
        report_parts(&ours.join("report.md")).1,
        report_parts(&pack.join("report.md")).1
    );
}

#[test]
fn the_seed_reproduces_the_content_pack() {
    let f = site();
    let (code, stdout, stderr) = import(&f, &[seed_path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let ours = f.root().join("content/2018/beijinggang");
    let pack = repo_root().join("content/2018/beijinggang");
    // Documented hand edits of the content pack, which the importer does not make:
    // 1. comments: the pack's front matter and stats.yaml carry hand-written Chinese comments
    //    (e.g. "原网页分两行印出，此处合并为一行", "“条列”原文如此", the 124 on the 微信 row);
    //    the importer writes its own (label and unit per indicator, notes of what it did).
    // 2. layout: aligned comment columns and a stats.yaml header in the pack's wording.
    // Everything else — every front-matter value, the Markdown narrative, every figure
    // (blank as ~, 0 as 0), the attachment's name, title and bytes — is equal.
    let (our_front, our_body) = report_parts(&ours.join("report.md"));
    let (pack_front, pack_body) = report_parts(&pack.join("report.md"));
    assert_eq!(our_front, pack_front);
    assert_eq!(our_body, pack_body);
    assert_eq!(
        raw_values(&ours.join("stats.yaml")),
        raw_values(&pack.join("stats.yaml"))
    );
    let attachment = "原文-北景港镇2018年度报告.txt";
    assert_eq!(
        fs::read(ours.join(attachment)).unwrap(),
        fs::read(pack.join(attachment)).unwrap()
    );
    assert!(stdout.contains("第 238 行 [training]"), "{stdout}");
    assert!(
        stdout.contains("第 239 行 [training]：「九、政府信息公开会议和培训情况」的数值「1」没有印在“统计数”栏，而在第 2 栏"),
        "{stdout}"
    );
    assert!(stdout.contains("扫一扫在手机打开当前页"), "{stdout}");
    // FORMATS.md §7: the narrative's 124 "通过网站、政报等渠道" sits on the 微信 row.
    assert!(
        stdout.contains("第 12 行 [proactive.channels.wechat]：正文说“通过网站、政报等渠道发布和更新各类信息124条”"),
        "{stdout}"
    );
    assert!(
        stdout.contains("A-R13"),
        "the content check runs on the result: {stdout}"
    );
}

#[test]
fn a_gbk_copy_of_the_seed_gives_the_same_report() {
    let seed = fs::read_to_string(seed_path()).unwrap();
    let (gbk, _, bad) = encoding_rs::GBK.encode(&seed);
    assert!(!bad);
    let f = site();
    let path = input(&f, "gbk.txt", &gbk);
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("GBK"), "{stdout}");
    assert_figures_and_narrative_are_the_pack_s(&f);
}

#[test]
fn dry_run_writes_nothing_and_existing_content_needs_force() {
    let f = site();
    let seed = seed_path();
    let before = snapshot_tree(f.root());
    let (code, stdout, _) = import(&f, &[seed.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("试运行"), "{stdout}");
    assert_eq!(snapshot_tree(f.root()), before, "--dry-run must not write");

    let (code, _, _) = import(&f, &[seed.to_str().unwrap()]);
    assert_eq!(code, 0);
    f.edit(
        "content/2018/beijinggang/stats.yaml",
        "proactive.total: 147",
        "proactive.total: 148",
    );
    let edited = snapshot_tree(f.root());
    let (code, stdout, _) = import(&f, &[seed.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("--force"), "{stdout}");
    assert_eq!(
        snapshot_tree(f.root()),
        edited,
        "no overwrite without --force"
    );
    let (code, stdout, _) = import(&f, &[seed.to_str().unwrap(), "--force"]);
    assert_eq!(code, 0, "{stdout}");
    let values = raw_values(&f.root().join("content/2018/beijinggang/stats.yaml"));
    assert_eq!(values["proactive.total"].as_deref(), Some("147"));
}

#[test]
fn unknown_township_lists_the_registered_ones_and_flags_override() {
    let f = site();
    let seed = fs::read_to_string(seed_path())
        .unwrap()
        .replace("北景港镇", "南景港镇");
    let path = input(&f, "other.txt", seed.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("北景港镇（beijinggang）"), "{stdout}");
    assert!(stdout.contains("--township"), "{stdout}");
    let (code, stdout, _) = import(&f, &[&path, "--township", "beta", "--year", "2017"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(f.root().join("content/2017/beta/stats.yaml").is_file());
    assert!(stdout.contains("由 --year 指定"), "{stdout}");
    let (code, _, stderr) = run(&[
        "import",
        "--root",
        f.root().to_str().unwrap(),
        "/no/such/file.txt",
    ]);
    assert_eq!(code, 2, "{stderr}");
}

/// A small 2014-edition page in the seed's text shape with the hazards under test.
const HAZARD_PAGE: &str = "\
- 索引号:1/2016-9
- 发布机构:甲镇
- 公开日期:2016年3月1日
测试县甲镇政府信息公开工作年度报告
本报告中所列数据统计期限为2015年1月1日至12月31日。
一、概述
全年主动公开政府信息150条,其中主动公开规范性文件2条。
统 计 指 标 |
单位 |
统计数 |
|||
一、主动公开情况 |
|||||
(一)主动公开政府信息数 (不同渠道和方式公开相同信息计1条) |
条 |
1,47 |
|||
其中:主动公开规范性文件数 |
条 |
２ |
|||
制发规范性文件总数 |
件 |
0 |
|||
1、政府公报公开政府信息数 |
条 |
— |
|||
2、政府网站公开政府信息数 |
条 |
1,234 |
|||
六、举报投诉数量 |
件 |
0 |
|||
七、依申请公开信息收取的费用 |
元 |
2500 |
|||
八、机构建设和保障经费情况 |
3 |
||||
政府信息公开宣传册 |
份 |
40 |
|||
";

#[test]
fn hazards_are_flagged_and_figures_kept_exact() {
    let f = site();
    let path = input(&f, "hazards.txt", HAZARD_PAGE.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    let dir = f.root().join("content/2015/alpha");
    let v = raw_values(&dir.join("stats.yaml"));
    let get = |id: &str| v[id].as_deref();
    // Year from the 统计期限 sentence (the title has none; the 索引号's 2016 is not used).
    assert!(
        stdout.contains("年度：2015，依据统计期限的说明"),
        "{stdout}"
    );
    // Blank vs 0.
    assert_eq!(get("proactive.normative_docs_issued"), Some("0"));
    assert_eq!(get("complaints.total"), Some("0"));
    assert_eq!(get("proactive.channels.weibo"), None);
    // Full-width digits and thousands separators: exact, said in the report.
    assert_eq!(get("proactive.normative_docs_published"), Some("2"));
    assert_eq!(get("proactive.channels.website"), Some("1234"));
    assert!(
        stdout.contains("「２」（全角数字或千位分隔符），按 2 导入"),
        "{stdout}"
    );
    // Ambiguous marks are left blank for a person, with the source line.
    assert_eq!(get("proactive.total"), None, "1,47 is not a figure");
    assert!(stdout.contains("第 16 行 [proactive.total]"), "{stdout}");
    assert_eq!(get("proactive.channels.gazette"), None);
    assert!(stdout.contains("「—」不是数字"), "{stdout}");
    // 元 where the format says 万元: converted, both figures shown.
    assert_eq!(get("fees.application_fees"), Some("0.25"));
    assert!(
        stdout.contains("2500 元") && stdout.contains("0.25 万元"),
        "{stdout}"
    );
    // A value on a heading row is kept and flagged.
    assert_eq!(get("org"), Some("3"));
    assert!(
        stdout.contains("[org]：「八、机构建设和保障经费情况」在格式中是标题行"),
        "{stdout}"
    );
    // A row the format does not have: its figure is not imported, a person decides.
    assert!(
        stdout.contains("「政府信息公开宣传册」与统计表格式中的任何指标都对不上"),
        "{stdout}"
    );
    // The narrative states a total that the table contradicts (the table's is blank here).
    assert!(stdout.contains("正文写“主动公开政府信息150条”"), "{stdout}");
    assert!(stdout.contains("需人工处理"), "{stdout}");
    // The result loads: the content check ran.
    assert!(stdout.contains("内容检查"), "{stdout}");
}

#[test]
fn narrative_total_contradicting_the_table_is_flagged() {
    let f = site();
    let seed = fs::read_to_string(seed_path())
        .unwrap()
        .replace("主动公开政府信息147条", "主动公开政府信息150条");
    let path = input(&f, "seed.txt", seed.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("第 12 行 [proactive.total]：正文写“主动公开政府信息150条”，而统计表「(一)主动公开政府信息数 (不同渠道和方式公开相同信息计1条)」为 147"),
        "{stdout}"
    );
    let v = raw_values(&f.root().join("content/2018/beijinggang/stats.yaml"));
    assert_eq!(
        v["proactive.total"].as_deref(),
        Some("147"),
        "the table wins, flagged"
    );
}

/// Figures for every cell of a format: blanks, zeros, counts, a negative 增/减, a decimal.
fn sample(format: &'static Format) -> Stats {
    let values = format
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| match i % 5 {
            _ if c.heading => None,
            _ if c.decimal => Some("1.50".parse::<Decimal>().unwrap()),
            0 => None,
            1 => Some(Decimal::ZERO),
            2 if c.signed => Some(Decimal::from(-(i as i64))),
            _ => Some(Decimal::from(i as i64 + 1)),
        })
        .collect();
    Stats {
        format,
        values,
        findings: Vec::new(),
    }
}

fn assert_same_figures(stats: &Stats, path: &Path) {
    let got = raw_values(path);
    for (i, cell) in stats.format.cells.iter().enumerate() {
        assert_eq!(
            got.get(&cell.id).cloned().flatten(),
            stats.values[i].map(|v| v.to_string()),
            "{} {}",
            stats.format.id,
            cell.id
        );
    }
}

/// A saved report page with the official tables as HTML (spans, `&nbsp;` in blank cells).
fn page(stats: &Stats, title: &str, charset: &str, edit: impl Fn(String) -> String) -> String {
    let tables: String = tables(stats)
        .iter()
        .map(|t| {
            t.to_html()
                .html
                .replace("<span class=\"visually-hidden\">未填报</span>", "&nbsp;")
        })
        .collect::<Vec<_>>()
        .join("\n<p>表后说明。</p>\n");
    edit(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\"><title>{title}</title></head><body>\n<table class=\"meta\"><tr><td>索引号：</td><td>001/2021-7</td><td>发布机构：</td><td>甲镇</td></tr><tr><td>公开日期：</td><td>2021-01-20</td></tr></table>\n<h1>{title}</h1>\n<p>一、总体情况</p>\n<p>本年度&nbsp;工作情况。</p>\n{tables}\n<p>扫一扫在手机打开当前页</p></body></html>\n"
    ))
}

#[test]
fn html_pages_of_each_format_come_back_figure_for_figure() {
    for (id, year) in [("gov-2014", 2018), ("gov-2019", 2022), ("gov-2021", 2021)] {
        let format = schema::format(id).unwrap();
        let stats = sample(format);
        let title = format!("测试县甲镇{year}年度政府信息公开工作年度报告");
        let html = page(&stats, &title, "utf-8", |h| {
            h.replace("商业企业", "商业<br>企业")
                .replace("1.属于国家秘密", "1.属于<br>\n国家秘密")
                .replace("制发规范性文件总数", "制发规范性<br>文件总数")
                .replace("(一)主动公开政府信息数", "（一）主动公开政府信息数")
                .replace("现行有效件数", "现行有效件")
                .replace(">行政规范性文件<", ">规范性文件<")
                .replace("行政处罚", "行政處罰")
        });
        let f = site();
        let path = input(&f, "page.html", html.as_bytes());
        let (code, stdout, _) = import(&f, &[&path]);
        assert_eq!(code, 0, "{id}: {stdout}");
        assert!(
            stdout.contains(&format!("表格格式：{id}")),
            "{id}: {stdout}"
        );
        let dir = f.root().join(format!("content/{year}/alpha"));
        assert_same_figures(&stats, &dir.join("stats.yaml"));
        let (front, body) = report_parts(&dir.join("report.md"));
        assert_eq!(front["title"].as_str(), Some(title.as_str()));
        assert_eq!(front["index_no"].as_str(), Some("001/2021-7"));
        assert_eq!(front["published"].as_str(), Some("2021-01-20"));
        assert!(
            body.contains("## 一、总体情况\n\n本年度工作情况。"),
            "{body}"
        );
        assert!(dir.join(format!("原文-甲镇{year}年度报告.html")).is_file());
        if id == "gov-2019" {
            assert!(stdout.contains("2022 年度通常使用 gov-2021"), "{stdout}");
        }
    }
}

#[test]
fn a_gbk_page_with_a_gbk_meta_charset_is_read() {
    let stats = sample(schema::format("gov-2021").unwrap());
    let html = page(
        &stats,
        "测试县乙乡2023年度政府信息公开工作年度报告",
        "gbk",
        |h| h,
    );
    let (bytes, _, bad) = encoding_rs::GBK.encode(&html);
    assert!(!bad);
    let f = site();
    let path = input(&f, "gbk.htm", &bytes);
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("GBK"), "{stdout}");
    assert_same_figures(&stats, &f.root().join("content/2023/beta/stats.yaml"));
}

#[test]
fn a_page_whose_table_is_an_image_gets_no_stats_and_a_person_is_asked() {
    let html = "<html><body><h1>测试县甲镇2019年度政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p><p><img src=\"table.png\" alt=\"统计表\"></p></body></html>";
    let f = site();
    let path = input(&f, "image.html", html.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("统计表可能以图片发布"), "{stdout}");
    assert!(
        stdout.contains("公开日期"),
        "a missing 公开日期 is asked for: {stdout}"
    );
    let dir = f.root().join("content/2019/alpha");
    assert!(dir.join("report.md").is_file());
    assert!(!dir.join("stats.yaml").exists());
}

#[test]
fn a_fee_column_in_yuan_is_converted_with_both_figures_shown() {
    let format = schema::format("gov-2021").unwrap();
    let mut stats = sample(format);
    let fee = format
        .cell_index("art20_8.admin_fees.amount_10k_yuan")
        .unwrap();
    stats.values[fee] = Some(Decimal::from(25_000));
    let html = page(
        &stats,
        "测试县甲镇2025年度政府信息公开工作年度报告",
        "utf-8",
        |h| h.replace("本年收费金额（单位：万元）", "本年收费金额(单位:元)"),
    );
    let f = site();
    let path = input(&f, "yuan.html", html.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    let v = raw_values(&f.root().join("content/2025/alpha/stats.yaml"));
    assert_eq!(
        v["art20_8.admin_fees.amount_10k_yuan"].as_deref(),
        Some("2.5")
    );
    assert!(
        stdout.contains("25000 元") && stdout.contains("2.5 万元"),
        "{stdout}"
    );
}

/// Grid positions of a printed table's cells (spans skip covered positions), as Excel lays them.
fn positions(t: &TableView) -> Vec<(u32, u16, usize, usize, String, bool)> {
    let mut taken: Vec<Vec<bool>> = Vec::new();
    let mut out = Vec::new();
    for (r, row) in t.head.iter().chain(&t.body).enumerate() {
        let mut col = 0;
        for c in row {
            while taken
                .get(r)
                .and_then(|x| x.get(col))
                .copied()
                .unwrap_or(false)
            {
                col += 1;
            }
            for rr in r..r + c.rowspan {
                if taken.len() <= rr {
                    taken.resize(rr + 1, Vec::new());
                }
                if taken[rr].len() < col + c.colspan {
                    taken[rr].resize(col + c.colspan, false);
                }
                taken[rr][col..col + c.colspan].fill(true);
            }
            let is_value = !c.id.is_empty();
            out.push((
                r as u32,
                col as u16,
                c.rowspan,
                c.colspan,
                c.text.clone(),
                is_value,
            ));
            col += c.colspan;
        }
    }
    out
}

/// A generic Excel table laid out like the printed one: a title, the tables one below the
/// other from column B, merged headers, numbers as numbers (decimals with a 0.00 format).
fn generic_xlsx(stats: &Stats, title: &str) -> Vec<u8> {
    use rust_xlsxwriter::{Format as Fmt, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 1, title).unwrap();
    let two = Fmt::new().set_num_format("0.00");
    let mut top = 2u32;
    for t in tables(stats) {
        let mut last = top;
        for (r, c, rs, cs, text, is_value) in positions(&t) {
            let (row, col) = (top + r, 1 + c);
            last = last.max(row + rs as u32);
            if is_value {
                if let Ok(v) = text.parse::<Decimal>() {
                    let n: f64 = text.parse().unwrap();
                    if v.scale() > 0 {
                        ws.write_number_with_format(row, col, n, &two).unwrap();
                    } else {
                        ws.write_number(row, col, n).unwrap();
                    }
                }
            } else if rs > 1 || cs > 1 {
                let end = (row + rs as u32 - 1, col + cs as u16 - 1);
                ws.merge_range(row, col, end.0, end.1, &text, &Fmt::new())
                    .unwrap();
            } else {
                ws.write_string(row, col, &text).unwrap();
            }
        }
        top = last + 1;
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn generic_excel_tables_of_each_format_come_back_figure_for_figure() {
    for (id, year) in [("gov-2014", 2016), ("gov-2019", 2020), ("gov-2021", 2024)] {
        let format = schema::format(id).unwrap();
        let stats = sample(format);
        let bytes = generic_xlsx(&stats, &format!("甲镇{year}年度政府信息公开情况统计表"));
        let f = site();
        let path = input(&f, "table.xlsx", &bytes);
        let (code, stdout, _) = import(&f, &[&path]);
        assert_eq!(code, 0, "{id}: {stdout}");
        assert!(
            stdout.contains(&format!("表格格式：{id}")),
            "{id}: {stdout}"
        );
        // The labels the format was recognised by are each named once.
        let cues = stdout
            .lines()
            .find_map(|l| l.split("依据表中的标签：").nth(1))
            .expect("the labels are named");
        let cues: Vec<&str> = cues
            .split('；')
            .next()
            .unwrap_or_default()
            .split('、')
            .collect();
        for (i, cue) in cues.iter().enumerate() {
            assert!(
                !cues[i + 1..]
                    .iter()
                    .any(|o| o.starts_with(cue) || cue.starts_with(o)),
                "{id}: 「{cue}」 named twice: {cues:?}"
            );
        }
        let dir = f.root().join(format!("content/{year}/alpha"));
        assert_same_figures(&stats, &dir.join("stats.yaml"));
        assert!(stdout.contains("没有报告正文"), "{stdout}");
        let md = fs::read_to_string(dir.join("report.md")).unwrap();
        assert!(
            md.contains("（在此填写正文。）"),
            "the scaffold's outline: {md}"
        );
        assert!(
            dir.join(format!("原表-甲镇{year}年度统计表.xlsx"))
                .is_file()
        );
    }
}

#[test]
fn the_content_packs_stats_xlsx_reads_back_exactly() {
    let loaded = nianbao::build::load(&repo_root(), &Default::default()).expect("pack loads");
    let report = loaded.site.report(2018, "beijinggang").expect("report");
    let bytes =
        nianbao::export::xlsx::sheet::stats_xlsx(report, report.stats.as_ref().unwrap()).unwrap();
    let f = site();
    let path = input(&f, "stats.xlsx", &bytes);
    let (code, stdout, _) = import(&f, &[&path, "--year", "2018", "--township", "beijinggang"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("表格格式：gov-2014"), "{stdout}");
    assert_eq!(
        raw_values(&f.root().join("content/2018/beijinggang/stats.yaml")),
        raw_values(&repo_root().join("content/2018/beijinggang/stats.yaml"))
    );
}

#[test]
fn stats_xlsx_of_every_format_keeps_blank_zero_and_decimals() {
    let fixture = Fixture::new();
    let loaded = nianbao::build::load(fixture.root(), &Default::default()).expect("fixture loads");
    let report = loaded.site.report(2018, "alpha").expect("report");
    for id in ["gov-2014", "gov-2019", "gov-2021"] {
        let stats = sample(schema::format(id).unwrap());
        let bytes = nianbao::export::xlsx::sheet::stats_xlsx(report, &stats).unwrap();
        let f = site();
        let path = input(&f, "stats.xlsx", &bytes);
        let (code, stdout, _) = import(&f, &[&path, "--year", "2020", "--township", "alpha"]);
        assert_eq!(code, 0, "{id}: {stdout}");
        assert_same_figures(&stats, &f.root().join("content/2020/alpha/stats.yaml"));
    }
}

#[test]
fn a_page_and_its_excel_table_make_one_report() {
    let format = schema::format("gov-2014").unwrap();
    let stats = sample(format);
    let f = site();
    let html = "<html><body><h1>测试县甲镇2017年度政府信息公开工作年度报告</h1><p>公开日期：2018-03-01</p><p>一、概述</p><p>正文。</p><img alt=\"统计表\"></body></html>";
    input(&f, "a.html", html.as_bytes());
    input(
        &f,
        "b.xlsx",
        &generic_xlsx(&stats, "甲镇2017年度政府信息公开情况统计表"),
    );
    let dir_arg = f.root().join("in");
    let (code, stdout, _) = import(&f, &[dir_arg.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    let dir = f.root().join("content/2017/alpha");
    assert_same_figures(&stats, &dir.join("stats.yaml"));
    let (_, body) = report_parts(&dir.join("report.md"));
    assert!(body.contains("正文。"), "{body}");
    assert!(dir.join("原文-甲镇2017年度报告.html").is_file());
    assert!(dir.join("原表-甲镇2017年度统计表.xlsx").is_file());
}

/// A report page's text with the official tables flattened one row per line (`a | b | c |`),
/// spanning labels printed only on their first row, as county CMS pages come out as text.
fn text_page(stats: &Stats, title: &str, period: &str) -> String {
    let mut out =
        format!("- 索引号:9/2023-1\n- 公开日期:2023-01-20\n{title}\n一、总体情况\n{period}\n");
    for t in tables(stats) {
        out.push_str(&format!("{}\n", t.title));
        for row in t.head.iter().chain(&t.body) {
            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            out.push_str(&format!("{} |\n", cells.join(" | ")));
        }
        out.push_str("（表后文字）\n");
    }
    out
}

#[test]
fn text_pages_with_grid_tables_come_back_figure_for_figure() {
    for id in ["gov-2019", "gov-2021"] {
        let stats = sample(schema::format(id).unwrap());
        let page = text_page(
            &stats,
            "测试县乙乡2022年度政府信息公开工作年度报告",
            "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
        );
        let f = site();
        let path = input(&f, "grid.txt", page.as_bytes());
        let (code, stdout, _) = import(&f, &[&path]);
        assert_eq!(code, 0, "{id}: {stdout}");
        assert!(stdout.contains(&format!("表格格式：{id}")), "{stdout}");
        assert!(!stdout.contains("需人工处理（"), "{id}: {stdout}");
        assert_same_figures(&stats, &f.root().join("content/2022/beta/stats.yaml"));
    }
}

#[test]
fn a_title_year_that_the_period_sentence_contradicts_is_flagged() {
    let stats = sample(schema::format("gov-2021").unwrap());
    let page = text_page(
        &stats,
        "测试县乙乡2023年度政府信息公开工作年度报告",
        "本报告中所列数据的统计期限为2022年1月1日至12月31日。",
    );
    let f = site();
    let path = input(&f, "year.txt", page.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("统计期限的说明写的是 2022 年"), "{stdout}");
    assert!(f.root().join("content/2023/beta/stats.yaml").is_file());
}

#[test]
fn a_grid_table_with_columns_in_another_order_is_not_guessed() {
    let stats = sample(schema::format("gov-2021").unwrap());
    let html = page(
        &stats,
        "测试县甲镇2023年度政府信息公开工作年度报告",
        "utf-8",
        |h| {
            h.replacen("本年制发件数", "@@", 1)
                .replacen("本年废止件数", "本年制发件数", 1)
                .replacen("@@", "本年废止件数", 1)
        },
    );
    let f = site();
    let path = input(&f, "swapped.html", html.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("「第二十条第（一）项」表的栏目顺序与格式规定的不同"),
        "{stdout}"
    );
    let v = raw_values(&f.root().join("content/2023/alpha/stats.yaml"));
    assert_eq!(v["art20_1.normative_docs.issued"], None);
    assert_eq!(v["art20_1.regulations.repealed"], None);
}

#[test]
fn the_seed_without_pipes_one_cell_per_line_gives_the_same_report() {
    let seed = fs::read_to_string(seed_path()).unwrap();
    let bare: String = seed
        .lines()
        .map(|l| l.trim_end_matches([' ', '|']))
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    let f = site();
    let path = input(&f, "bare.txt", bare.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    assert_figures_and_narrative_are_the_pack_s(&f);
}

#[test]
fn a_folder_of_pages_and_tables_imports_into_a_site_that_checks() {
    let f = site();
    input(&f, "seed.txt", &fs::read(seed_path()).unwrap());
    let b = sample(schema::format("gov-2019").unwrap());
    input(
        &f,
        "乙乡2020.html",
        page(
            &b,
            "测试县乙乡2020年度政府信息公开工作年度报告",
            "utf-8",
            |h| h,
        )
        .as_bytes(),
    );
    let c = sample(schema::format("gov-2021").unwrap());
    input(
        &f,
        "甲镇2021.xlsx",
        &generic_xlsx(&c, "甲镇2021年度政府信息公开情况统计表"),
    );
    let dir = f.root().join("in");
    let (code, stdout, _) = import(&f, &[dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("已创建 3 份报告"), "{stdout}");
    // Imported reports are unfinished until a person has checked them against the originals.
    let (code, _, stderr) = common::run_in(f.root(), "check", &[]);
    assert_eq!(code, 1, "unreviewed imports are not published: {stderr}");
    assert_eq!(
        stderr.matches("导入的报告还没有核对").count(),
        3,
        "one per imported report, located: {stderr}"
    );
    let (code, _, stderr) = common::run_in(f.root(), "check", &["--allow-draft"]);
    assert_eq!(code, 0, "the imported site checks as a draft: {stderr}");
    assert!(stderr.contains("3 份报告"), "{stderr}");
}

/// The seed as the county CMS page it was saved from: metadata in a list, the title over two
/// lines with `<br>`, one `<p>` per paragraph, the table as HTML (the 九 heading's 1 in the
/// unit column), GBK-encoded like old county sites.
fn seed_as_html(seed: &str) -> String {
    let mut html = String::from(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head><body>\n<div class=\"nav\">首页 &gt; 政务公开 &gt; 年度报告</div>\n<ul>\n",
    );
    let lines: Vec<&str> = seed.lines().collect();
    let mut row: Vec<String> = Vec::new();
    let mut in_table = false;
    for (i, line) in lines.iter().enumerate() {
        if let Some(meta) = line.strip_prefix("- ") {
            html.push_str(&format!("<li>{meta}</li>\n"));
        } else if i == 6 {
            html.push_str(&format!("</ul>\n<h1>{line}<br>\n"));
        } else if i == 7 {
            html.push_str(&format!("{line}</h1>\n"));
        } else if line.ends_with('|') {
            if !in_table {
                html.push_str("<table border=\"1\">\n");
                in_table = true;
            }
            if line.chars().all(|c| c == '|') {
                let cells: String = row
                    .drain(..)
                    .map(|c| format!("<td>{c}</td>"))
                    .chain((0..line.len()).map(|_| "<td>&nbsp;</td>".to_string()))
                    .collect();
                html.push_str(&format!("<tr>{cells}</tr>\n"));
            } else {
                row.push(line.trim_end_matches([' ', '|']).to_string());
            }
        } else {
            if in_table {
                html.push_str("</table>\n");
                in_table = false;
            }
            html.push_str(&format!("<p>{line}</p>\n"));
        }
    }
    html.push_str("</body></html>\n");
    html
}

#[test]
fn the_seed_as_a_saved_gbk_html_page_gives_the_same_report() {
    let html = seed_as_html(&fs::read_to_string(seed_path()).unwrap());
    let (gbk, _, bad) = encoding_rs::GBK.encode(&html);
    assert!(!bad);
    let f = site();
    let path = input(&f, "page.htm", &gbk);
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("网页（HTML）（GBK"), "{stdout}");
    assert!(
        stdout.contains("标题之前的文字「首页 > 政务公开 > 年度报告」"),
        "{stdout}"
    );
    assert_figures_and_narrative_are_the_pack_s(&f);
    let ours = f.root().join("content/2018/beijinggang");
    let pack = repo_root().join("content/2018/beijinggang");
    let (mut our_front, _) = report_parts(&ours.join("report.md"));
    let (mut pack_front, _) = report_parts(&pack.join("report.md"));
    // The attachment is the saved page, not the page text.
    our_front.as_mapping_mut().unwrap().remove("attachments");
    pack_front.as_mapping_mut().unwrap().remove("attachments");
    assert_eq!(our_front, pack_front);
    assert_eq!(
        fs::read(ours.join("原文-北景港镇2018年度报告.htm")).unwrap(),
        gbk.to_vec()
    );
}

#[test]
fn mangled_inputs_never_panic() {
    use nianbao::import::{Hints, analyze, parse_html, parse_text, parse_xlsx};
    let townships = vec![nianbao::site::Township {
        slug: "beijinggang".into(),
        name: "北景港镇".into(),
        kind: "镇".into(),
        code: None,
        order: 0,
        formerly: Vec::new(),
        since: None,
        until: None,
    }];
    let seed: Vec<char> = fs::read_to_string(seed_path()).unwrap().chars().collect();
    let inserts = [
        '|', '\n', '年', '：', ':', '１', ',', '<', '>', '条', '元', '报', '告', ' ', '—', '(',
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for _ in 0..120 {
        let mut text = seed.clone();
        for _ in 0..1 + next(8) {
            let at = next(text.len());
            match next(3) {
                0 => {
                    let end = (at + next(40)).min(text.len());
                    text.drain(at..end);
                }
                1 => text.insert(at, inserts[next(inserts.len())]),
                _ => {
                    let end = (at + next(200)).min(text.len());
                    let copy: Vec<char> = text[at..end].to_vec();
                    text.splice(at..at, copy);
                }
            }
        }
        let text: String = text.into_iter().collect();
        for source in [parse_text(&text), parse_html(&text)] {
            let _ = analyze(&source, &Hints::default(), &townships);
        }
        let _ = parse_xlsx(text.as_bytes());
    }
}

/// A `nianbao template` workbook filled in as a clerk would: a number typed into the value cell
/// of each reported indicator (found through the template's 指标位置 sheet), blanks left blank.
fn fill_template(format: &'static Format, values: &[Option<Decimal>]) -> Vec<u8> {
    use calamine::Reader;
    use std::io::{Read, Write};
    let blank = nianbao::export::xlsx::form::input_workbook(format).unwrap();
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(blank.clone())).unwrap();
    let index = wb.worksheet_range("指标位置").unwrap();
    let cells: BTreeMap<String, String> = index
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(blank)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(data).unwrap();
            for (k, cell) in format.cells.iter().enumerate() {
                let Some(v) = values[k] else { continue };
                let reference = &cells[&cell.id];
                let open = format!("<c r=\"{reference}\" ");
                let at = xml
                    .find(&open)
                    .unwrap_or_else(|| panic!("no cell {reference}"));
                let end = at + xml[at..].find("/>").unwrap();
                let attrs = xml[at + 3..end].to_string();
                xml.replace_range(at..end + 2, &format!("<c {attrs}><v>{v}</v></c>"));
            }
            data = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_filled_template_reads_back_exactly_by_its_index_sheet() {
    for id in ["gov-2014", "gov-2019", "gov-2021"] {
        let format = schema::format(id).unwrap();
        let mut stats = sample(format);
        // Excel keeps a number, not its digits: 1.50 typed into a General cell is stored as 1.5.
        for (k, cell) in format.cells.iter().enumerate() {
            if cell.decimal && stats.values[k].is_some() {
                stats.values[k] = Some("1.5".parse().unwrap());
            }
        }
        let bytes = fill_template(format, &stats.values);
        let f = site();
        let path = input(&f, "填好的模板.xlsx", &bytes);
        let (code, stdout, _) = import(&f, &[&path, "--year", "2024", "--township", "alpha"]);
        assert_eq!(code, 0, "{id}: {stdout}");
        assert!(stdout.contains("指标位置"), "{stdout}");
        assert!(stdout.contains(&format!("表格格式：{id}")), "{stdout}");
        assert!(!stdout.contains("需人工处理（1"), "{id}: {stdout}");
        assert_same_figures(&stats, &f.root().join("content/2024/alpha/stats.yaml"));
    }
}

#[test]
fn a_filled_template_for_a_report_that_exists_updates_only_its_figures() {
    let f = site();
    let (code, _, stderr) = common::run_in(f.root(), "new", &["2025", "alpha"]);
    assert_eq!(code, 0, "{stderr}");
    f.edit(
        "content/2025/alpha/report.md",
        "（在此填写正文。）",
        "本年度正文已写好。",
    );
    let md_before = fs::read(f.root().join("content/2025/alpha/report.md")).unwrap();
    let format = schema::format("gov-2021").unwrap();
    let mut stats = sample(format);
    for (k, cell) in format.cells.iter().enumerate() {
        if cell.decimal && stats.values[k].is_some() {
            stats.values[k] = Some(Decimal::from(2));
        }
    }
    let path = input(&f, "2025.xlsx", &fill_template(format, &stats.values));
    let args = [path.as_str(), "--year", "2025", "--township", "alpha"];
    // Only the blank stats.yaml of `new` would change: merged without --force.
    let (code, stdout, _) = import(&f, &args);
    assert_eq!(
        code, 0,
        "the scaffold's blank stats.yaml is filled in: {stdout}"
    );
    assert!(stdout.contains("保留不变，只导入统计表"), "{stdout}");
    assert!(stdout.contains("不需要 --force"), "{stdout}");
    assert_eq!(
        fs::read(f.root().join("content/2025/alpha/report.md")).unwrap(),
        md_before,
        "the clerk's report.md is kept"
    );
    assert_same_figures(&stats, &f.root().join("content/2025/alpha/stats.yaml"));
    // The same workbook again changes nothing and needs nothing.
    let (code, stdout, _) = import(&f, &args);
    assert_eq!(code, 0, "{stdout}");

    // Figures already entered are not replaced without --force.
    let mut other = stats.values.clone();
    let k = other.iter().position(Option::is_some).expect("a figure");
    other[k] = Some(Decimal::from(777));
    let path = input(&f, "2025-改.xlsx", &fill_template(format, &other));
    let args = [path.as_str(), "--year", "2025", "--township", "alpha"];
    let (code, stdout, _) = import(&f, &args);
    assert_eq!(code, 1, "a filled stats.yaml is kept: {stdout}");
    assert_same_figures(&stats, &f.root().join("content/2025/alpha/stats.yaml"));
    let (code, stdout, _) = import(&f, &[&args[..], &["--force"]].concat());
    assert_eq!(code, 0, "{stdout}");
    let stats_text = fs::read_to_string(f.root().join("content/2025/alpha/stats.yaml")).unwrap();
    assert!(
        stats_text.contains(&format!("  {}: 777 ", format.cells[k].id)),
        "{stats_text}"
    );
}

/// A legacy Excel 97-2003 (.xls) table — what older clerks' machines save — made from the
/// content pack by tests/fixtures/make_xls.py (Rust cannot write .xls) and read back figure
/// for figure, the 九 heading-row value flagged rather than dropped.
#[test]
fn a_legacy_xls_table_reads_back_figure_for_figure() {
    let fixture = repo_root().join("tests/fixtures/beijinggang-2018.xls");
    let bytes = fs::read(&fixture).expect("the committed .xls fixture");
    assert!(
        bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
        "an OLE2 (BIFF) file, not XLSX"
    );
    let loaded = nianbao::build::load(&repo_root(), &Default::default()).expect("pack loads");
    let pack = loaded.site.report(2018, "beijinggang").expect("report");
    let stats = pack.stats.as_ref().expect("the pack's table");
    let f = site();
    let path = input(&f, "2018统计表.xls", &bytes);
    let (code, stdout, _) = import(&f, &[&path, "--year", "2018", "--township", "alpha"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("表格格式：gov-2014"), "{stdout}");
    assert_same_figures(stats, &f.root().join("content/2018/alpha/stats.yaml"));
    assert!(
        stdout.contains("标题行"),
        "the heading-row value is flagged: {stdout}"
    );
}

/// The labels of a report page's metadata box (`<dl class="meta">`).
fn meta_labels(html: &str) -> Vec<String> {
    let Some(start) = html.find("<dl class=\"meta\">") else {
        return Vec::new();
    };
    let end = html[start..]
        .find("</dl>")
        .map_or(html.len(), |e| start + e);
    html[start..end]
        .split("<dt>")
        .skip(1)
        .filter_map(|d| d.split_once("</dt>").map(|(l, _)| l.to_string()))
        .collect()
}

#[test]
fn an_excel_only_import_and_a_new_skeleton_show_the_same_metadata_on_the_page() {
    let f = site();
    let format = schema::format("gov-2021").unwrap();
    let c = sample(format);
    let path = input(&f, "2021.xlsx", &fill_template(format, &c.values));
    let (code, stdout, _) = import(&f, &[&path, "--year", "2021", "--township", "alpha"]);
    assert_eq!(code, 0, "{stdout}");
    let (code, _, stderr) = common::run_in(f.root(), "new", &["2022", "alpha"]);
    assert_eq!(code, 0, "{stderr}");
    for year in ["2021", "2022"] {
        f.edit(
            &format!("content/{year}/alpha/report.md"),
            "index_no: ~",
            &format!("index_no: 00638229X4/{year}-1"),
        );
    }
    let (code, _, stderr) = common::run_in(f.root(), "build", &["--allow-draft"]);
    assert_eq!(code, 0, "{stderr}");
    let page = |year: &str| {
        fs::read_to_string(f.root().join(format!("public/{year}/alpha/index.html"))).unwrap()
    };
    let (imported, scaffold) = (meta_labels(&page("2021")), meta_labels(&page("2022")));
    assert!(scaffold.len() >= 5, "{scaffold:?}");
    assert_eq!(imported, scaffold);
}

/// The front-matter keys of a report.md (top level, in order), commented-out ones included.
fn front_matter_keys(text: &str) -> Vec<String> {
    text.split("---\n")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim_start_matches("# "))
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim().to_string()))
        .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

#[test]
fn an_excel_import_writes_the_same_commented_skeleton_as_new() {
    let f = site();
    let c = sample(schema::format("gov-2021").unwrap());
    let file = input(
        &f,
        "甲镇2021.xlsx",
        &generic_xlsx(&c, "甲镇2021年度政府信息公开情况统计表"),
    );
    let (code, stdout, _) = import(&f, &[&file, "--year", "2021", "--township", "alpha"]);
    assert_eq!(code, 0, "{stdout}");
    let imported = fs::read_to_string(f.root().join("content/2021/alpha/report.md")).unwrap();
    let (code, _, stderr) = common::run_in(f.root(), "new", &["2022", "alpha"]);
    assert_eq!(code, 0, "{stderr}");
    let scaffold = fs::read_to_string(f.root().join("content/2022/alpha/report.md")).unwrap();
    let wanted: Vec<String> = front_matter_keys(&scaffold)
        .into_iter()
        .filter(|k| k != "form")
        .collect();
    assert!(wanted.len() >= 8, "{wanted:?}");
    assert_eq!(
        front_matter_keys(&imported),
        wanted,
        "imported:\n{imported}"
    );
    // The same defaults and comments as `new`, key by key (alignment aside; the year's own
    // numbers differ: 2022 vs 2021).
    let lines = |text: &str, year: &str| -> Vec<String> {
        text.split("---\n")
            .nth(1)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && !l.starts_with("attachments"))
            .map(|l| {
                let (kv, comment) = l.split_once(" # ").unwrap_or((l, ""));
                format!("{} # {}", kv.trim_end(), comment.trim())
                    .replace(year, "<年>")
                    .replace(&(year.parse::<u16>().unwrap() + 1).to_string(), "<次年>")
            })
            .collect()
    };
    assert_eq!(lines(&imported, "2021"), lines(&scaffold, "2022"));
    assert!(
        imported.contains("scope: 全部公开") && imported.contains("channel: 政府网站"),
        "{imported}"
    );
    let commented = imported.lines().filter(|l| l.contains(" # ")).count();
    assert!(
        commented >= wanted.len(),
        "every key has its comment:\n{imported}"
    );
}

/// A page that shows no 公开日期 is imported with `published: ~`: no date is made up (neither the
/// deadline nor the 生成日期), the report says where the date is missing, and once reviewed the
/// page shows 原文未注明.
#[test]
fn a_page_without_a_publication_date_gets_an_unknown_date_not_a_made_up_one() {
    let stats = sample(schema::format("gov-2021").unwrap());
    let title = "测试县甲镇2021年度政府信息公开工作年度报告";
    let html = page(&stats, title, "utf-8", |h| {
        h.replace(
            "<tr><td>公开日期：</td><td>2021-01-20</td></tr>",
            "<tr><td>生成日期：</td><td>2022-01-10</td></tr>",
        )
    });
    let f = site();
    let path = input(&f, "page.html", html.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("原文没有找到公开日期"), "{stdout}");
    let dir = f.root().join("content/2021/alpha");
    let (front, _) = report_parts(&dir.join("report.md"));
    assert!(front["published"].is_null(), "published: ~, not {front:?}");
    assert_eq!(front["generated"].as_str(), Some("2022-01-10"));
    let text = fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(!text.contains("2022-01-31"), "the deadline is not a date");
    // Reviewed (the importer's marker removed), it builds and shows the date as unknown.
    let reviewed: String = text
        .lines()
        .filter(|l| !l.contains("请对照原件核对后删去本行"))
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(dir.join("report.md"), reviewed + "\n").unwrap();
    let out = f.root().join("public");
    let (code, _, stderr) = run(&[
        "build",
        "--root",
        f.root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("公开日期未注明"), "{stderr}");
    let built = fs::read_to_string(out.join("2021/alpha/index.html")).unwrap();
    assert!(built.contains("原文未注明"));
}

/// Issue 22: a report whose whole body is one long line ending in `|` is narrative, not a table:
/// the text is in report.md (no outline placeholders), and nothing speaks of an Excel file.
#[test]
fn a_body_on_one_line_ending_in_a_pipe_stays_narrative() {
    let body = "一、总体情况。2019年，甲镇主动公开政府信息共计35条，其中政策文件4条、通知公告31条，依申请公开0件，未发生行政复议和行政诉讼。二、存在问题和改进措施：公开内容还不够全面。|";
    let page = format!(
        "甲镇2019年政府信息公开工作年度报告\n发布日期：2020-01-20\n文号：甲政发〔2020〕1号\n{body}\n"
    );
    let f = site();
    let path = input(&f, "one-line.txt", page.as_bytes());
    let (code, stdout, stderr) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let md = fs::read_to_string(f.root().join("content/2019/alpha/report.md")).unwrap();
    assert!(md.contains("甲镇主动公开政府信息共计35条"), "{md}");
    assert!(!md.contains("在此填写正文"), "{md}");
    assert!(!stdout.contains("Excel 表只有统计数据"), "{stdout}");
    // The page's 文号 has no front-matter field: listed with its line, not silently dropped.
    assert!(
        stdout.contains("第 3 行：页面信息「文号：甲政发〔2020〕1号」"),
        "{stdout}"
    );
}

/// A table no format recognises goes back into the narrative line for line, in its place.
#[test]
fn a_table_no_format_recognises_stays_in_the_narrative() {
    let page = "甲镇2019年政府信息公开工作年度报告\n发布日期：2020-01-20\n一、概述\n下表为本镇办件情况。\n事项 | 件数 |\n户籍 | 12 |\n低保 | 3 |\n二、其他\n无。\n";
    let f = site();
    let path = input(&f, "odd-table.txt", page.as_bytes());
    let (code, stdout, stderr) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (_, body) = report_parts(&f.root().join("content/2019/alpha/report.md"));
    let order: Vec<usize> = [
        "下表为本镇办件情况",
        "户籍 | 12 |",
        "低保 | 3 |",
        "二、其他",
    ]
    .iter()
    .map(|t| {
        body.find(t)
            .unwrap_or_else(|| panic!("{t} missing: {body}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{body}");
    assert!(stdout.contains("已照原样放入正文"), "{stdout}");
    assert_eq!(
        stdout.matches("--format").count(),
        1,
        "one note per table, not a second general one: {stdout}"
    );
}

/// Issue 22: dates are read wherever the page prints them and the report says where; labels
/// are matched however printed (spaced, full-width, traditional, two on a line, furniture glued
/// on); page furniture is kept out of the narrative and listed with its line.
#[test]
fn dates_labels_and_furniture_as_pages_print_them() {
    let page = "首页 > 信息公开 > 年报\n\
甲鎮2017年政府信息公開工作年報\n\
索 引 号：1234/2018-01 發布機構：甲镇 发布目录:信息公开年报\n\
發布日期：2018年3月21日 15:52   来源：本站\n\
字体大小:大 中 小\n\
打印本页\n\
一、概述\n\
1.组织领导 本镇成立了政务公开工作领导小组。\n\
甲镇人民政府\n\
2018年1月25日\n\
【打印】 关闭窗口\n";
    let f = site();
    let path = input(&f, "page.txt", page.as_bytes());
    let (code, stdout, stderr) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let dir = f.root().join("content/2017/alpha");
    let (front, body) = report_parts(&dir.join("report.md"));
    assert_eq!(
        front["title"].as_str(),
        Some("甲鎮2017年政府信息公開工作年報")
    );
    assert_eq!(front["index_no"].as_str(), Some("1234/2018-01"));
    assert_eq!(front["publisher"].as_str(), Some("甲镇"));
    assert_eq!(front["published"].as_str(), Some("2018-03-21"));
    assert_eq!(front["generated"].as_str(), Some("2018-01-25"));
    assert!(
        stdout.contains("公开日期 2018-03-21（取自第 4 行“发布日期”）"),
        "{stdout}"
    );
    assert!(
        stdout.contains("生成日期 2018-01-25（取自第 10 行文末落款日期）"),
        "{stdout}"
    );
    for furniture in ["字体", "打印", "关闭窗口", "来源", "发布目录"] {
        assert!(!body.contains(furniture), "{furniture} in {body}");
    }
    for line in [5, 6, 11] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(&format!("第 {line} 行")) && l.contains("未导入")),
            "line {line} not listed: {stdout}"
        );
    }
    assert!(body.contains("1\\.组织领导"), "{body}");
    assert!(
        body.contains("2018年1月25日"),
        "the signature stays: {body}"
    );
}

/// Issue 22: a file lacking both township and year names both, each with its flag, in one run;
/// a batch ends with one table of every file and what became of it.
#[test]
fn every_blocking_reason_at_once_and_one_table_for_the_batch() {
    let f = site();
    let nothing = input(
        &f,
        "nothing.txt",
        "本单位今年的政务公开工作取得了进展。\n".as_bytes(),
    );
    let body_only = input(
        &f,
        "body-only.txt",
        "现公布乙乡2020年政府信息公开工作年度报告。本报告由乙乡人民政府编制。\n一、总体情况\n本乡主动公开信息12条。\n"
            .as_bytes(),
    );
    let (code, stdout, stderr) = import(&f, &[&nothing, &body_only]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let refusal = stdout
        .lines()
        .find(|l| l.contains("nothing.txt：") && l.contains("无法确定"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(refusal.contains("--township"), "{refusal}");
    assert!(refusal.contains("--year"), "{refusal}");
    // The page copied without its title: township and year from the body, said where.
    assert!(
        f.root().join("content/2020/beta/report.md").is_file(),
        "{stdout}"
    );
    assert!(
        stdout.contains("乡镇：乙乡（beta），依据正文第 1 行"),
        "{stdout}"
    );
    assert!(stdout.contains("== 本批文件一览（2 个文件）=="), "{stdout}");
    let row = |name: &str| {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name}: {stdout}"))
            .to_string()
    };
    assert!(row("nothing.txt").contains("无法导入"));
    assert!(row("body-only.txt").contains("需人工处理"));
}

/// Author content hygiene: an image without alt text is a warning at its file:line in `check`.
#[test]
fn an_image_without_alt_text_is_a_located_warning() {
    let f = site();
    let page = "甲镇2019年政府信息公开工作年度报告\n发布日期：2020-01-20\n一、概述\n正文。\n";
    let path = input(&f, "p.txt", page.as_bytes());
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}");
    let md = f.root().join("content/2019/alpha/report.md");
    let mut text = fs::read_to_string(&md).unwrap();
    text.push_str("\n![](图.png)\n");
    let line = text.lines().count();
    fs::write(&md, text).unwrap();
    f.write_bytes("content/2019/alpha/图.png", b"\x89PNG\r\n\x1a\n");
    let (_, out, err) = run(&["check", "--root", f.root().to_str().unwrap()]);
    let all = format!("{out}{err}");
    assert!(
        all.contains(&format!("content/2019/alpha/report.md:{line}:1"))
            && all.contains("图片「图.png」没有说明文字"),
        "{all}"
    );
}

/// A Word document made here: paragraphs, then each table of `stats` as real table cells.
fn docx(stats: &Stats, paragraphs: &[&str]) -> Vec<u8> {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let para = |s: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(s)
        )
    };
    let mut body: String = paragraphs.iter().map(|p| para(p)).collect();
    for t in tables(stats) {
        body.push_str(&para(&t.title));
        body.push_str("<w:tbl>");
        for row in t.head.iter().chain(&t.body) {
            body.push_str("<w:tr>");
            for c in row {
                body.push_str(&format!("<w:tc>{}</w:tc>", para(&c.text)));
            }
            body.push_str("</w:tr>");
        }
        body.push_str("</w:tbl>");
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).unwrap();
    std::io::Write::write_all(&mut zip, xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

/// Issue 22: a report published as a Word attachment imports: text, headings, real table cells
/// through the same table reader, figure for figure.
#[test]
fn a_word_document_imports_text_and_table_cells() {
    let stats = sample(schema::format("gov-2021").unwrap());
    let bytes = docx(
        &stats,
        &[
            "测试县乙乡2022年度政府信息公开工作年度报告",
            "发布日期：2023年1月18日",
            "一、总体情况",
            "1.组织领导 本乡成立了政务公开领导小组。",
            "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
        ],
    );
    let f = site();
    let path = input(&f, "report.docx", &bytes);
    let (code, stdout, stderr) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Word 文档"), "{stdout}");
    assert!(stdout.contains("表格格式：gov-2021"), "{stdout}");
    let dir = f.root().join("content/2022/beta");
    assert_same_figures(&stats, &dir.join("stats.yaml"));
    let (front, body) = report_parts(&dir.join("report.md"));
    assert_eq!(front["published"].as_str(), Some("2023-01-18"));
    assert!(body.contains("## 一、总体情况"), "{body}");
    assert!(body.contains("1\\.组织领导"), "{body}");
}

/// A one-page PDF made here with lopdf: `lines` drawn as text (Helvetica), or no text at all.
fn pdf(lines: &[&str]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut operations = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        operations.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![50.into(), (750 - 20 * i as i64).into()]),
            Operation::new("Tj", vec![Object::string_literal(*line)]),
            Operation::new("ET", vec![]),
        ]);
    }
    let content = Content { operations };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF whose text does not decode to Chinese (here Latin text in Helvetica, as a font without
/// a usable map gives mojibake) is refused, saying it cannot be read and what to import instead;
/// a PDF without a text layer is refused too. Chinese PDFs made by LibreOffice and Chromium are
/// read in tests/import_pdf.rs.
#[test]
fn a_pdf_that_does_not_read_as_chinese_and_a_scan_are_refused() {
    let f = site();
    let text = input(
        &f,
        "report.pdf",
        &pdf(&[
            "W''p AR,'5 W''p",
            "Open government work went well this year.",
        ]),
    );
    let scan = input(&f, "scan.pdf", &pdf(&[]));
    let (code, stdout, stderr) = import(&f, &[&text, "--township", "beta", "--year", "2022"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("report.pdf")
            && stdout.contains("无法正确读出")
            && stdout.contains(".docx"),
        "{stdout}"
    );
    assert!(!f.root().join("content/2022/beta/report.md").exists());
    let (code, stdout, _) = import(&f, &[&scan, "--township", "beta", "--year", "2021"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("scan.pdf") && stdout.contains("没有文字层"),
        "{stdout}"
    );
}

/// The import report's check is `nianbao check`'s: the same count of errors, the review line the
/// importer writes counted as the error `check` makes of it, and the report says what to do.
#[test]
fn the_import_report_and_check_count_the_same_errors() {
    let f = site();
    let path = input(
        &f,
        "page.txt",
        "甲镇2020年政府信息公开工作年度报告\n发布日期：2021-01-20\n一、总体情况\n本年度甲镇主动公开政府信息。\n"
            .as_bytes(),
    );
    let (code, stdout, stderr) = import(&f, &[&path]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("内容检查（与 nianbao check 相同）：1 个错误"),
        "{stdout}"
    );
    assert!(stdout.contains("下一步："), "{stdout}");
    assert!(
        stdout.contains("全站检查（即 nianbao check）==\n  1 个错误"),
        "{stdout}"
    );
    let root = f.root().to_str().expect("utf-8");
    let (code, _, stderr) = run(&["check", "--root", root]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("失败：1 个错误"), "{stderr}");
    assert!(stderr.contains("导入的报告还没有核对"), "{stderr}");
}

/// A refusal names the ten registered townships closest to the source, once, not the registry.
#[test]
fn a_refusal_names_the_ten_closest_townships_once() {
    let f = site();
    let mut registry = String::from(TOWNSHIPS);
    for i in 0..30 {
        let name: String = ["东", "西", "南", "北", "中"][i % 5].to_string()
            + ["山", "河", "湖", "林", "桥", "岭"][i / 5]
            + "乡";
        registry.push_str(&format!("- slug: t{i}\n  name: {name}\n  kind: 乡\n"));
    }
    f.write("content/townships.yaml", &registry);
    let path = input(
        &f,
        "page.txt",
        "北湖镇2020年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息。\n".as_bytes(),
    );
    let (code, stdout, _) = import(&f, &[&path]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("共 33 个，与原文最接近的 10 个是 北湖乡（t13）"),
        "{stdout}"
    );
    let listed = stdout
        .split("最接近的 10 个是 ")
        .nth(1)
        .and_then(|l| l.lines().next())
        .unwrap_or_default();
    assert_eq!(listed.split('、').count(), 10, "{stdout}");
    assert_eq!(stdout.matches("北湖乡").count(), 1, "{stdout}");
}
