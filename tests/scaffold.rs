//! `nianbao new`: scaffolds that preview at once, are published only once filled in, never
//! overwrite, and refuse unknown townships.

mod common;

use std::fs;

use common::{Fixture, run_in};

#[test]
fn a_new_report_of_each_format_builds_without_errors() {
    let f = Fixture::new();
    for (year, slug, format) in [
        (2017, "beta", "gov-2014"),
        (2019, "alpha", "gov-2019"),
        (2025, "alpha", "gov-2021"),
    ] {
        let (code, _, stderr) = run_in(f.root(), "new", &[&year.to_string(), slug]);
        assert_eq!(code, 0, "{stderr}");
        let stats =
            fs::read_to_string(f.root().join(format!("content/{year}/{slug}/stats.yaml"))).unwrap();
        assert!(
            stats.contains(&format!("format: {format}")),
            "the format follows the year"
        );
        let f = nianbao::schema::format(format).unwrap();
        for cell in &f.cells {
            assert_eq!(
                stats.matches(&format!("\n  {}: ~", cell.id)).count(),
                1,
                "{} once",
                cell.id
            );
        }
    }
    // Untouched, a scaffold is not published: each placeholder is an error naming its line.
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("错误: content/2025/alpha/report.md:")
            && stderr.contains("正文中还有未填写的占位文字")
            && stderr.contains("公开日期还没有填写")
            && !stderr.contains("公开日期未注明"),
        "{stderr}"
    );
    assert!(!f.root().join("public").exists(), "nothing was published");
    // As a draft it checks without other problems, and builds.
    let (code, _, stderr) = run_in(f.root(), "check", &["--allow-draft"]);
    assert_eq!(code, 0, "scaffolds check as drafts: {stderr}");
    let (code, _, stderr) = run_in(f.root(), "build", &["--allow-draft"]);
    assert_eq!(code, 0, "{stderr}");
    let page = fs::read_to_string(f.root().join("public/2025/alpha/index.html")).unwrap();
    assert!(page.contains("测试县甲镇2025年度政府信息公开工作年度报告"));
    // A draft's unknown date is shown as unknown: the deadline is never published as its date.
    assert!(page.contains("原文未注明"), "the date is unknown");
    assert!(
        !page.contains("2026-01-31"),
        "the deadline is not shown as a date"
    );
    // Filled in, it is published without the flag.
    for (year, slug) in [(2017, "beta"), (2019, "alpha"), (2025, "alpha")] {
        let path = f.root().join(format!("content/{year}/{slug}/report.md"));
        let text = fs::read_to_string(&path).unwrap();
        let filled: String = text
            .lines()
            .filter(|l| !l.contains("请改为实际日期"))
            .map(|l| {
                if l.contains("请改为实际公开日期") {
                    format!("published: {}-01-20", year + 1)
                } else {
                    l.replace("（在此填写正文。）", "本年度按条例要求公开了政府信息。")
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(&path, filled + "\n").unwrap();
    }
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "a filled-in report is published: {stderr}");
}

#[test]
fn the_format_can_be_chosen() {
    let f = Fixture::new();
    let (code, _, stderr) = run_in(f.root(), "new", &["2022", "beta", "--format", "gov-2019"]);
    assert_eq!(code, 0, "{stderr}");
    let stats = fs::read_to_string(f.root().join("content/2022/beta/stats.yaml")).unwrap();
    assert!(stats.contains("format: gov-2019"));
    let (code, _, _) = run_in(f.root(), "new", &["2023", "beta", "--format", "gov-2020"]);
    assert_eq!(code, 2, "an unknown format is a usage error");
}

#[test]
fn never_overwrites() {
    let f = Fixture::new();
    let before = fs::read_to_string(f.root().join("content/2018/alpha/report.md")).unwrap();
    let (code, _, stderr) = run_in(f.root(), "new", &["2018", "alpha"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("已经存在"), "{stderr}");
    assert_eq!(
        fs::read_to_string(f.root().join("content/2018/alpha/report.md")).unwrap(),
        before
    );
}

#[test]
fn an_unregistered_township_is_refused_with_the_known_ones() {
    let f = Fixture::new();
    let (code, _, stderr) = run_in(f.root(), "new", &["2024", "gamma"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("未在 content/townships.yaml 中登记"),
        "{stderr}"
    );
    assert!(
        stderr.contains("alpha（甲镇）") && stderr.contains("beta（乙乡）"),
        "{stderr}"
    );
    assert!(!f.root().join("content/2024").exists());
}

#[test]
fn init_makes_a_site_that_previews_and_refuses_a_non_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("新站点");
    let (code, _, stderr) = common::run(&["init", site.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(site.join("说明.md").is_file());
    for format in ["gov-2014", "gov-2019", "gov-2021"] {
        let found = walkdir::WalkDir::new(site.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "stats.yaml")
            .any(|e| {
                fs::read_to_string(e.path())
                    .unwrap()
                    .contains(&format!("format: {format}"))
            });
        assert!(found, "an example report in {format}");
    }
    // The sample previews, and builds as a draft; its placeholders keep it from being published.
    let (code, _, stderr) = run_in(&site, "check", &["--allow-draft"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run_in(&site, "build", &["--allow-draft"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run_in(&site, "check", &[]);
    assert_eq!(
        code, 1,
        "unfinished sample reports are not published: {stderr}"
    );
    let (code, _, stderr) = common::run(&["init", site.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("不是空目录"), "{stderr}");
}

/// The comments of every scaffold say what they mean: the 索引号 comes from the county website's
/// system, `~` is how an unknown 公开日期 is written (no 必填), and a unit printed in a label is
/// not added a second time — in `new`'s files and in the Excel form of `nianbao template`.
#[test]
fn scaffold_comments_mean_what_they_say() {
    let f = Fixture::new();
    for (year, format) in [(2017, "gov-2014"), (2019, "gov-2019"), (2024, "gov-2021")] {
        let (code, _, err) = run_in(
            f.root(),
            "new",
            &[&year.to_string(), "beta", "--format", format],
        );
        assert_eq!(code, 0, "{err}");
        let dir = f.root().join(format!("content/{year}/beta"));
        let md = fs::read_to_string(dir.join("report.md")).unwrap();
        let index_no = md.lines().find(|l| l.starts_with("index_no:")).unwrap();
        assert!(index_no.contains("网站系统编号"), "{index_no}");
        assert!(!index_no.contains("网站生成后"), "{index_no}");
        let published = md.lines().find(|l| l.starts_with("published:")).unwrap();
        assert!(published.contains("保留 ~"), "{published}");
        assert!(!md.contains("必填"), "{md}");
        let stats = fs::read_to_string(dir.join("stats.yaml")).unwrap();
        for line in stats.lines().filter(|l| l.contains(" # ")) {
            let comment = line.split_once(" # ").unwrap().1;
            for unit in ["万元", "元", "件", "条", "人次", "次"] {
                let once = format!("（{unit}）");
                assert!(
                    !(comment.contains(&format!("单位：{unit}）")) && comment.ends_with(&once)),
                    "the unit twice: {line}"
                );
            }
        }
    }
    let fee =
        "art20_8.admin_fees.amount_10k_yuan: ~   # 行政事业性收费 / 本年收费金额（单位：万元）\n";
    let stats = fs::read_to_string(f.root().join("content/2024/beta/stats.yaml")).unwrap();
    assert!(stats.contains(fee), "{stats}");
}
