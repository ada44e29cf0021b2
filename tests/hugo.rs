//! The Hugo example (examples/hugo/): an existing Hugo site shows a report's table and a
//! township comparison from nianbao's JSON through shortcodes. Debian's `hugo` builds it; every
//! figure on the page is checked against what nianbao exported, not against numbers written here.

mod common;

use std::path::Path;
use std::process::Command;

use common::{repo_root, run_in};

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("JSON")
}

/// A figure as the Hugo page shows it: blank is 未填报, never 0.
fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "未填报".to_string(),
        other => other.to_string(),
    }
}

#[test]
fn the_hugo_example_shows_the_exported_figures() {
    let hugo = Command::new("hugo").arg("version").output();
    assert!(
        hugo.is_ok_and(|o| o.status.success()),
        "hugo is needed by this test: install Debian's hugo (apt-get install hugo; tests/run.sh does)"
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("hugo");
    copy_dir(&repo_root().join("examples/hugo"), &site);
    let built = tmp.path().join("nianbao");
    let pack = repo_root();
    let (code, _, err) = run_in(&pack, "build", &["--output", built.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // What examples/hugo/update-data.sh does: the model, and each report's stats.json.
    let data = site.join("data/nianbao");
    std::fs::create_dir_all(data.join("stats/2018")).expect("mkdir");
    let model = data.join("model.json");
    let (code, _, err) = run_in(&pack, "export", &["--output", model.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    std::fs::copy(
        built.join("2018/beijinggang/stats.json"),
        data.join("stats/2018/beijinggang.json"),
    )
    .expect("copy stats.json");

    let out = tmp.path().join("out");
    let run = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(&site)
        .arg("--destination")
        .arg(&out)
        .output()
        .expect("hugo runs");
    assert!(
        run.status.success(),
        "hugo failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = std::fs::read_to_string(out.join("nianbao/index.html")).expect("the page");

    let stats = json(&data.join("stats/2018/beijinggang.json"));
    let values = stats["values"].as_array().expect("values");
    assert!(values.len() > 50, "the whole table");
    for v in values {
        let id = v["id"].as_str().expect("id");
        let row = format!(
            "<tr data-id=\"{id}\"><td>{}</td><td>{}</td><td>{}</td></tr>",
            v["label"].as_str().unwrap_or_default(),
            v["unit"].as_str().unwrap_or_default(),
            shown(&v["value"])
        );
        assert!(page.contains(&row), "row {row} in the Hugo page");
    }
    assert!(
        page.contains(">147</td></tr>"),
        "北景港镇's 主动公开政府信息数"
    );

    let model = json(&model);
    let reports = model["site"]["reports"].as_array().expect("reports");
    for r in reports {
        let value = shown(&r["values"]["proactive.total"]);
        let cell = format!("<td data-year=\"{}\">{value}</td>", r["year"]);
        let row_start = format!("<tr data-township=\"{}\">", r["township"].as_str().unwrap());
        let row = page
            .split(&row_start)
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .expect("the township's comparison row");
        assert!(row.contains(&cell), "{cell} in {row}");
    }
}
