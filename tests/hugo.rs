//! The Hugo example (examples/hugo/): an existing Hugo site shows a report's table and a
//! township comparison from nianbao's JSON through shortcodes, its data refreshed by
//! `examples/hugo/update-data.sh <Hugo site> <nianbao> <nianbao site>`. Debian's `hugo` builds
//! it; every figure and every status on the page is checked against what nianbao exported, not
//! against numbers written here. The script writes only into the Hugo site it is given.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{repo_root, run_in};
use serde_json::Value;

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        // Other tests build the demo in place; their cache may change under the walk.
        .filter_entry(|e| e.file_name() != ".nianbao-cache")
    {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("JSON")
}

fn hugo_ready() {
    let hugo = Command::new("hugo").arg("version").output();
    assert!(
        hugo.is_ok_and(|o| o.status.success()),
        "hugo is needed by this test: install Debian's hugo (apt-get install hugo; tests/run.sh does)"
    );
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("nianbao")
}

/// Run `examples/hugo/update-data.sh` (of the repository, never a copy) with `args`; returns
/// (exit code, stdout, stderr).
fn update_data(args: &[&Path]) -> (i32, String, String) {
    let out = Command::new("bash")
        .arg(repo_root().join("examples/hugo/update-data.sh"))
        .args(args)
        .output()
        .expect("bash runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Build the nianbao site at `root` into `built`, refresh the Hugo site `hugo_site` with
/// update-data.sh, and build it with Hugo into `out`; returns the page `content/nianbao.md`.
fn refresh_and_build(root: &Path, built: &Path, hugo_site: &Path, out: &Path) -> String {
    let (code, _, err) = run_in(
        root,
        "build",
        &["--quiet", "--output", built.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let (code, stdout, stderr) = update_data(&[hugo_site, &bin(), root, built]);
    assert_eq!(code, 0, "update-data.sh: {stdout}{stderr}");
    let run = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(hugo_site)
        .arg("--destination")
        .arg(out)
        .output()
        .expect("hugo runs");
    assert!(
        run.status.success(),
        "hugo failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(out.join("nianbao/index.html")).expect("the page")
}

/// A figure as the Hugo table shows it: blank is 未填报, never 0.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "未填报".to_string(),
        other => other.to_string(),
    }
}

/// The row of `nianbao-table` for each value of a report's stats.json is on the page, with the
/// label and unit of its format's dictionary.
fn assert_table_rows(page: &str, stats: &Value, dictionary: &Value) {
    let values = stats["values"].as_object().expect("values by id");
    let items = dictionary["items"].as_array().expect("items");
    assert!(values.len() > 50, "the whole table");
    assert_eq!(values.len(), items.len(), "one value per item");
    for item in items {
        let id = item["id"].as_str().expect("id");
        let row = format!(
            "<tr data-id=\"{id}\"><td>{}</td><td>{}</td><td>{}</td></tr>",
            item["label"].as_str().unwrap_or_default(),
            item["unit"].as_str().unwrap_or_default(),
            shown(&values[id])
        );
        assert!(page.contains(&row), "row {row} in the Hugo page");
    }
}

/// What `nianbao-compare` must show for township `t` in `year` and indicator `id`, derived from
/// the exported model alone: (data-status, text).
fn expected_cell(model: &Value, t: &Value, year: u64, id: &str) -> (&'static str, String) {
    let slug = t["slug"].as_str().expect("slug");
    let report = model["site"]["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .find(|r| r["year"].as_u64() == Some(year) && r["township"].as_str() == Some(slug));
    match report {
        Some(r) if r["format"].is_null() => ("no-table", "无统计表".into()),
        Some(r) => match r["values"].get(id) {
            None => ("not-collected", "本格式不统计".into()),
            Some(Value::Null) => ("blank", "未填报".into()),
            Some(v) => ("reported", v.to_string()),
        },
        None if t["since"].as_u64().is_some_and(|s| year < s) => {
            ("not-required", "尚未设立".into())
        }
        None if t["until"].as_u64().is_some_and(|u| year > u) => ("not-required", "已撤并".into()),
        None => ("unpublished", "未发布".into()),
    }
}

/// The example as shipped, on the content pack: the script refreshes it, Hugo builds it, and the
/// report's table and the comparison show what nianbao published.
#[test]
fn the_hugo_example_shows_the_exported_figures() {
    hugo_ready();
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("hugo");
    copy_dir(&repo_root().join("examples/hugo"), &site);
    let built = tmp.path().join("nianbao");
    let page = refresh_and_build(&repo_root(), &built, &site, &tmp.path().join("out"));
    let data = site.join("data/nianbao");
    let stats = json(&data.join("stats/2018/beijinggang.json"));
    assert_eq!(
        stats,
        json(&built.join("2018/beijinggang/stats.json")),
        "update-data.sh copied the report's stats.json"
    );
    let format = stats["format"].as_str().expect("format");
    let dictionary = json(&data.join(format!("formats/{format}.json")));
    assert_eq!(
        dictionary,
        json(&built.join(format!("data/formats/{format}.json"))),
        "update-data.sh copied the format's dictionary"
    );
    assert_table_rows(&page, &stats, &dictionary);

    let model = json(&data.join("model.json"));
    let reports = model["site"]["reports"].as_array().expect("reports");
    assert!(!reports.is_empty());
    for r in reports {
        let value = shown(&r["values"]["proactive.total"]);
        let cell = format!("data-status=\"reported\">{value}</td>");
        let row_start = format!("<tr data-township=\"{}\">", r["township"].as_str().unwrap());
        let row = page
            .split(&row_start)
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .expect("the township's comparison row");
        assert!(row.contains(&cell), "{cell} in {row}");
    }
}

/// On the demo site (blanks, three formats, a missing report, a township set up in 2022, a
/// report without a table) and a township merged away (`until`), the comparison shows each
/// township and year as the portal does: the figure, 未填报, 本格式不统计, 无统计表, 未发布,
/// 尚未设立 or 已撤并 — each checked against the exported model, and each seen at least once.
#[test]
fn the_comparison_keeps_every_status_apart_as_the_portal_does() {
    hugo_ready();
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("demo");
    copy_dir(&repo_root().join("examples/demo"), &root);
    // A township merged away after 2017: a 2016 report without a table, none in 2017.
    let townships = root.join("content/townships.yaml");
    let mut text = std::fs::read_to_string(&townships).expect("townships.yaml");
    text.push_str("- slug: jiucheng\n  name: 旧城镇\n  kind: 镇\n  order: 90\n  until: 2017\n");
    std::fs::write(&townships, text).expect("write townships.yaml");
    let report = root.join("content/2016/jiucheng/report.md");
    std::fs::create_dir_all(report.parent().unwrap()).expect("mkdir");
    std::fs::write(&report, "---\npublished: 2017-01-10\n---\n正文。\n").expect("report.md");

    let site = tmp.path().join("hugo");
    copy_dir(&repo_root().join("examples/hugo"), &site);
    let built = tmp.path().join("built");
    // The indicator: one that some reports give, some leave blank and some formats lack, chosen
    // from the export (the first such id, so the test follows the demo's data).
    let model_file = tmp.path().join("model.json");
    let (code, _, err) = run_in(&root, "export", &["--output", model_file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let model = json(&model_file);
    let reports = model["site"]["reports"].as_array().expect("reports");
    let ids: BTreeSet<&str> = reports
        .iter()
        .filter_map(|r| r["values"].as_object())
        .flat_map(|v| v.keys().map(String::as_str))
        .collect();
    let id = ids
        .iter()
        .copied()
        .find(|id| {
            let values: Vec<Option<&Value>> = reports
                .iter()
                .filter(|r| !r["format"].is_null())
                .map(|r| r["values"].get(*id))
                .collect();
            values.iter().any(|v| v.is_some_and(Value::is_number))
                && values.iter().any(|v| v.is_some_and(Value::is_null))
                && values.iter().any(Option::is_none)
        })
        .expect("an indicator with figures, blanks and formats without it");
    // A year and report with a table, for nianbao-table.
    let with_table = reports
        .iter()
        .find(|r| !r["format"].is_null())
        .expect("a report with a table");
    let (year, slug) = (
        with_table["year"].as_u64().unwrap(),
        with_table["township"].as_str().unwrap(),
    );
    std::fs::write(
        site.join("content/nianbao.md"),
        format!(
            "---\ntitle: 数据\n---\n{{{{< nianbao-table year=\"{year}\" township=\"{slug}\" >}}}}\n\n\
             {{{{< nianbao-compare id=\"{id}\" >}}}}\n"
        ),
    )
    .expect("the page");
    let page = refresh_and_build(&root, &built, &site, &tmp.path().join("out"));
    assert_eq!(
        json(&site.join("data/nianbao/model.json")),
        model,
        "update-data.sh saved the export"
    );
    let stats = json(&site.join(format!("data/nianbao/stats/{year}/{slug}.json")));
    let format = stats["format"].as_str().expect("format");
    assert_table_rows(
        &page,
        &stats,
        &json(&site.join(format!("data/nianbao/formats/{format}.json"))),
    );

    let mut years: Vec<u64> = reports.iter().filter_map(|r| r["year"].as_u64()).collect();
    years.sort_unstable();
    years.dedup();
    let mut seen = BTreeSet::new();
    let townships = model["site"]["townships"].as_array().expect("townships");
    for t in townships {
        let row_start = format!("<tr data-township=\"{}\">", t["slug"].as_str().unwrap());
        let row = page
            .split(&row_start)
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .unwrap_or_else(|| panic!("the comparison row of {t}"));
        for &year in &years {
            let (status, text) = expected_cell(&model, t, year, id);
            let cell = format!("<td data-year=\"{year}\" data-status=\"{status}\">{text}</td>");
            assert!(row.contains(&cell), "{id}: {cell} in {row}");
            seen.insert(text.clone());
            if status == "reported" {
                seen.insert("a figure".to_string());
            }
        }
    }
    for status in [
        "a figure",
        "未填报",
        "本格式不统计",
        "无统计表",
        "未发布",
        "尚未设立",
        "已撤并",
    ] {
        assert!(
            seen.contains(status),
            "{id}: the page shows {status}: {seen:?}"
        );
    }
}

/// Wrong use of update-data.sh: a usage message in Chinese and a non-zero exit, nothing written;
/// right use writes only into the Hugo site given (not into the script's own folder, the nianbao
/// site or its built output).
#[test]
fn update_data_sh_says_how_to_use_it_and_writes_only_into_the_hugo_site() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("hugo");
    copy_dir(&repo_root().join("examples/hugo"), &site);
    let f = common::Fixture::new();
    let built = tmp.path().join("built");
    let (code, _, err) = run_in(
        f.root(),
        "build",
        &["--quiet", "--output", built.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    let nowhere = tmp.path().join("nowhere");
    let not_a_program = f.root().join("site.toml");
    let bin = bin();
    let cases: Vec<(&str, Vec<&Path>)> = vec![
        ("no argument", vec![]),
        ("two arguments", vec![&site, &bin]),
        (
            "five arguments",
            vec![&site, &bin, f.root(), &built, &built],
        ),
        ("no Hugo site", vec![&nowhere, &bin, f.root(), &built]),
        (
            "a folder without Hugo config",
            vec![&built, &bin, f.root(), &built],
        ),
        (
            "not a program",
            vec![&site, &not_a_program, f.root(), &built],
        ),
        ("no nianbao site", vec![&site, &bin, &built, &built]),
        ("no built output", vec![&site, &bin, f.root(), &nowhere]),
    ];
    let before = common::snapshot_tree(tmp.path());
    for (what, args) in &cases {
        let (code, stdout, stderr) = update_data(args);
        assert_ne!(code, 0, "{what}: a non-zero exit");
        assert!(
            stderr
                .contains("用法：update-data.sh <Hugo 网站文件夹> <nianbao 程序> <年报网站文件夹>"),
            "{what}: the usage in Chinese: {stderr}"
        );
        assert!(
            stderr.contains("错误："),
            "{what}: says what is wrong: {stderr}"
        );
        assert!(stdout.is_empty(), "{what}: {stdout}");
    }
    assert!(
        common::snapshot_tree(tmp.path()) == before,
        "wrong use writes nothing"
    );

    let site_before = common::snapshot_tree(f.root());
    let built_before = common::snapshot_tree(&built);
    let (code, stdout, stderr) = update_data(&[&site, &bin, f.root(), &built]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("已更新"), "{stdout}");
    assert!(
        site_before == common::snapshot_tree(f.root()),
        "the nianbao site is only read"
    );
    assert!(
        built_before == common::snapshot_tree(&built),
        "its output is only read"
    );
    let written: BTreeSet<String> = common::snapshot_tree(&site.join("data"))
        .into_iter()
        .map(|(p, _)| p.replace('\\', "/"))
        .collect();
    // model.json and one file per stats.json of the built site.
    let mut expected: BTreeSet<String> = common::snapshot_tree(&built)
        .into_iter()
        .map(|(p, _)| p.replace('\\', "/"))
        .filter_map(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            match parts.as_slice() {
                [year, slug, "stats.json"] => Some(format!("nianbao/stats/{year}/{slug}.json")),
                _ => None,
            }
        })
        .collect();
    assert_eq!(expected.len(), 2, "the fixture's two reports have tables");
    expected.insert("nianbao/model.json".to_string());
    for format in nianbao::schema::format_ids() {
        expected.insert(format!("nianbao/formats/{format}.json"));
    }
    assert_eq!(written, expected, "only data/nianbao/ of the Hugo site");
    assert!(
        !repo_root().join("examples/hugo/data").exists(),
        "nothing written beside the script"
    );
    // A second run replaces the data whole: a report gone from the portal leaves no stale file.
    std::fs::write(site.join("data/nianbao/stats/2018/gone.json"), "{}").expect("stale");
    let (code, _, stderr) = update_data(&[&site, &bin, f.root(), &built]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!site.join("data/nianbao/stats/2018/gone.json").exists());
}
