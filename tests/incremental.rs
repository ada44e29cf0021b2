//! Incremental rebuilds (serve) give byte-identical output to a fresh full build, edit after edit,
//! and leave nothing stale; killed builds leave the previous output intact.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{repo_root, snapshot_tree};
use nianbao::build::{self, Options};
use nianbao::serve::Workspace;

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        // Other tests build the demo in place; their cache may change under the walk.
        .filter_entry(|e| e.file_name() != ".nianbao-cache")
    {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn without_marker(tree: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    tree.into_iter().filter(|(p, _)| p != ".nianbao").collect()
}

fn full_build(site: &Path, scratch: &Path, round: usize) -> Vec<(String, Vec<u8>)> {
    let out = scratch.join(format!("full-{round}"));
    build::build(site, &out, &Options::default(), &()).expect("full build");
    without_marker(snapshot_tree(&out))
}

/// Set one indicator of a stats.yaml to `value` (a number or `~`), whatever it was.
fn set_value(stats: &Path, id: &str, value: &str) {
    let text = fs::read_to_string(stats).unwrap();
    let key = format!("  {id}:");
    let line = text
        .lines()
        .find(|l| l.starts_with(&key))
        .unwrap_or_else(|| panic!("{id} in {}", stats.display()))
        .to_string();
    fs::write(stats, text.replace(&line, &format!("{key} {value}"))).unwrap();
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A copy of the demo site under `dir`, its preview folder, and a workspace after serve's first
/// build (the pages written, the rest left for `flush_deferred`).
fn serve_first_build(dir: &Path) -> (PathBuf, PathBuf, Workspace) {
    let site = dir.join("site");
    copy_tree(&repo_root().join("examples/demo"), &site);
    let out = dir.join("serve-out");
    let mut ws = Workspace::new(&site, &out, Options::default());
    ws.defer_aggregates(true);
    ws.rebuild_all().expect("initial build");
    (site, out, ws)
}

#[test]
fn a_stopped_preview_writes_nothing_more() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, out, mut ws) = serve_first_build(tmp.path());
    assert!(ws.completing());
    let pages_first = snapshot_tree(&out);
    // serve stopping while the rest is still to be written: nothing more may appear in the
    // preview folder it is about to remove.
    ws.stop_flag()
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let stopped = ws.flush_deferred().expect_err("a stopped rebuild");
    assert!(
        stopped.iter().all(|d| d.code == "serve.stopped"),
        "{stopped:?}"
    );
    assert_eq!(snapshot_tree(&out), pages_first);
}

#[test]
fn a_preempted_background_pass_keeps_the_site_and_the_next_one_catches_up() {
    use std::sync::atomic::Ordering;
    let tmp = tempfile::tempdir().unwrap();
    let (site, out, mut ws) = serve_first_build(tmp.path());
    let preempt = ws.preempt_flag();
    let pages_first = snapshot_tree(&out);
    // A save comes as the first build's other files are to be written: the pass gives way.
    preempt.store(true, Ordering::SeqCst);
    let given_up = ws.flush_deferred().expect_err("a pre-empted pass");
    assert!(nianbao::serve::given_up_only(&given_up), "{given_up:?}");
    assert!(
        ws.completing(),
        "the first build's other files are still to write"
    );
    assert_eq!(snapshot_tree(&out), pages_first, "nothing half written");
    preempt.store(false, Ordering::SeqCst);
    let stats = site.join("content/2018/donghu/stats.yaml");
    set_value(&stats, "proactive.total", "777");
    let saved = ws.apply(std::slice::from_ref(&stats)).expect("the save");
    assert!(
        !saved.full,
        "the site was kept: only what the save touches is rendered"
    );
    // The next passes are pre-empted at some point of their way (or not at all): each keeps
    // what it wrote, and the one that runs to the end leaves a fresh build's output.
    for (round, after_ms) in [5u64, 40, 150].into_iter().enumerate() {
        let flag = preempt.clone();
        let raiser = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(after_ms));
            flag.store(true, Ordering::SeqCst);
        });
        match ws.flush_deferred() {
            Ok(_) => {}
            Err(d) => assert!(nianbao::serve::given_up_only(&d), "round {round}: {d:?}"),
        }
        raiser.join().unwrap();
        preempt.store(false, Ordering::SeqCst);
        set_value(&stats, "proactive.total", &format!("{}", 800 + round));
        let saved = ws.apply(std::slice::from_ref(&stats)).expect("the save");
        assert!(!saved.full, "round {round}: the site was kept");
    }
    ws.flush_deferred().expect("the pass to its end");
    assert!(!ws.completing());
    assert!(ws.stale_paths().is_empty());
    assert_eq!(
        without_marker(snapshot_tree(&out)),
        full_build(&site, tmp.path(), 99)
    );
}

#[test]
fn incremental_output_equals_a_fresh_full_build_after_every_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, out, mut ws) = serve_first_build(tmp.path());
    let full = full_build(&site, tmp.path(), 0);
    // serve's first build writes the pages (and attachments, and search's fixed folding blocks
    // and label lists) and answers at once; downloads, search, embeds, feeds and archives follow.
    assert!(
        ws.completing(),
        "the first build left the other files for later"
    );
    let pages_first = without_marker(snapshot_tree(&out));
    let later = |p: &str| {
        p.starts_with("embed/")
            || p.starts_with("search/")
                && p != "search/index.html"
                && !p.starts_with("search/f-")
                && !p.starts_with("search/l-")
            || p.starts_with("archive/")
            || [".csv", ".json", ".xlsx", ".xml", ".zip"]
                .iter()
                .any(|e| p.ends_with(e))
    };
    for (path, _) in &full {
        let written = pages_first.iter().any(|(p, _)| p == path);
        assert_eq!(written, !later(path), "{path} in the first pass");
    }
    let reloaded = ws.flush_deferred().expect("the rest");
    assert!(!ws.completing());
    assert!(
        reloaded
            .pages
            .iter()
            .any(|p| p.ends_with("index.html") && p.len() == "2018/index.html".len()),
        "the year pages are written again with their archive sizes: {:?}",
        reloaded.pages
    );
    assert_eq!(without_marker(snapshot_tree(&out)), full);

    let report = |y: u16, s: &str| site.join("content").join(y.to_string()).join(s);
    type Edit = Box<dyn Fn() -> Vec<PathBuf>>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "change a figure",
            Box::new({
                let d = report(2022, "baisha");
                move || {
                    let f = d.join("stats.yaml");
                    set_value(&f, "apps.new_received.total", "4242");
                    vec![f]
                }
            }),
        ),
        (
            "blank a figure",
            Box::new({
                let d = report(2019, "qingshan");
                move || {
                    let f = d.join("stats.yaml");
                    set_value(&f, "review.total", "~");
                    vec![f]
                }
            }),
        ),
        (
            "retitle a report",
            Box::new({
                let d = report(2017, "donghu");
                move || {
                    let f = d.join("report.md");
                    replace(&f, "title: ", "title: 修订版");
                    vec![f]
                }
            }),
        ),
        (
            "rewrite the narrative (search shards and text)",
            Box::new({
                let d = report(2018, "baisha");
                move || {
                    let f = d.join("report.md");
                    let text = fs::read_to_string(&f).unwrap();
                    fs::write(
                        &f,
                        format!("{text}\n新增段落：便民服务中心全面推行一窗受理。\n"),
                    )
                    .unwrap();
                    vec![f]
                }
            }),
        ),
        (
            "add an attachment",
            Box::new({
                let d = report(2021, "liulin");
                move || {
                    let f = d.join("新附件.pdf");
                    fs::write(&f, b"%PDF-1.4 demo").unwrap();
                    vec![f]
                }
            }),
        ),
        (
            "rename that attachment",
            Box::new({
                let d = report(2021, "liulin");
                move || {
                    fs::rename(d.join("新附件.pdf"), d.join("改名.pdf")).unwrap();
                    vec![d.join("新附件.pdf"), d.join("改名.pdf")]
                }
            }),
        ),
        (
            "delete a report",
            Box::new({
                let d = report(2019, "donghu");
                move || {
                    fs::remove_dir_all(&d).unwrap();
                    vec![d.join("report.md"), d.join("stats.yaml"), d.clone()]
                }
            }),
        ),
        (
            "add a report back in another township's year",
            Box::new({
                let from = report(2021, "donghu");
                let to = report(2019, "donghu");
                move || {
                    copy_tree(&from, &to);
                    fs::read_dir(&to)
                        .unwrap()
                        .map(|e| e.unwrap().path())
                        .collect()
                }
            }),
        ),
        (
            "remove a whole year",
            Box::new({
                let year = site.join("content/2016");
                move || {
                    let paths: Vec<PathBuf> = walkdir::WalkDir::new(&year)
                        .into_iter()
                        .map(|e| e.unwrap().path().to_path_buf())
                        .collect();
                    fs::remove_dir_all(&year).unwrap();
                    paths
                }
            }),
        ),
        (
            "override a template",
            Box::new({
                let t = site.join("templates/404.html");
                move || {
                    fs::create_dir_all(t.parent().unwrap()).unwrap();
                    fs::write(&t, "{% extends \"base.html\" %}{% block content %}<h1>找不到</h1>{% endblock content %}").unwrap();
                    vec![t.clone()]
                }
            }),
        ),
        (
            "rename a township",
            Box::new({
                let f = site.join("content/townships.yaml");
                move || {
                    replace(&f, "name: 白沙乡", "name: 白沙镇");
                    vec![f.clone()]
                }
            }),
        ),
    ];
    for (round, (name, edit)) in edits.iter().enumerate() {
        let changed = edit();
        let rebuilt = ws
            .apply(&changed)
            .unwrap_or_else(|d| panic!("{name}: {d:?}"));
        assert!(rebuilt.rendered > 0, "{name}: something was rendered");
        ws.flush_deferred().unwrap();
        assert_eq!(
            without_marker(snapshot_tree(&out)),
            full_build(&site, tmp.path(), round + 1),
            "{name}: incremental ≠ full"
        );
    }
}

#[test]
fn one_report_edit_renders_only_what_depends_on_it() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&repo_root().join("examples/demo"), &site);
    let mut ws = Workspace::new(&site, &tmp.path().join("out"), Options::default());
    let all = ws.rebuild_all().unwrap().rendered;
    // The search shards: about one per report (their count follows the site's size).
    let shards = fs::read_dir(tmp.path().join("out/search"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.starts_with("s-") && name.ends_with(".js")
        })
        .count();
    assert!(shards >= 16, "{shards}");
    let f = site.join("content/2020/qingshan/stats.yaml");
    set_value(&f, "review.total", "777");
    let r = ws.apply(std::slice::from_ref(&f)).unwrap();
    assert!(!r.full);
    // report page + 3 data files, township page + 2 comparison files, year page, county,
    // county/totals.csv and totals.json, data page, all.csv, all.json, the year's archive; its two search text files (the first
    // has the table labels) and the search shards; the oversight page and its CSV and XLSX
    // (rule warnings, blank cells); the year's figures.csv and figures.xlsx; the embeds of the
    // report, township, year and county; data/portal.json (the audit's blank cells).
    assert_eq!(
        r.rendered,
        27 + shards,
        "of {all}: a figure is not on the home page"
    );
    assert!(r.written >= 8 && r.written <= 24, "{r:?}"); // up to 4 of them embeds
    // With deferral (serve), the county-wide data files come after the reload.
    let text = fs::read_to_string(&f).unwrap();
    fs::write(
        &f,
        text.replace("  review.total: 777", "  review.total: 778"),
    )
    .unwrap();
    ws.defer_aggregates(true);
    let r = ws.apply(std::slice::from_ref(&f)).unwrap();
    // All of them less data/portal.json, the year page, county page (and their embeds), the county totals CSV and
    // JSON, all.csv, all.json, archive,
    // the search shards, the oversight page with its CSV and XLSX, and the year's figures.csv and
    // figures.xlsx.
    assert_eq!(r.rendered, 12);
    // all.csv, all.json, portal.json, the search shards, the year's archive, the county page with its
    // totals.csv and totals.json, the oversight
    // page, audit.csv, audit.xlsx, the year's figures.csv and figures.xlsx, every year page (a year page shows its archive's size), and
    // the embeds of every year page and of the county page (aggregates like their pages); of the
    // pages, only the edited year's and the county page and their embeds change (the edit breaks
    // no rule and blanks no cell, so the oversight page stays the same).
    let years = fs::read_dir(site.join("content"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_dir())
        .count();
    let mut flushed = ws.flush_deferred().unwrap();
    assert_eq!(flushed.rendered, 13 + shards + 2 * years);
    flushed.pages.sort();
    assert_eq!(
        flushed.pages,
        [
            "2020/index.html",
            "county/index.html",
            "embed/2020/index.html",
            "embed/county/index.html"
        ]
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_output_and_the_fix_recovers() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&repo_root().join("examples/demo"), &site);
    let out = tmp.path().join("out");
    let mut ws = Workspace::new(&site, &out, Options::default());
    ws.rebuild_all().unwrap();
    let before = snapshot_tree(&out);
    let f = site.join("content/2023/liulin/report.md");
    let good = fs::read_to_string(&f).unwrap();
    for i in 0..100 {
        fs::write(
            &f,
            good.replace("published: ", &format!("published: 2024-02-3{i}")),
        )
        .unwrap();
        let err = ws
            .apply(std::slice::from_ref(&f))
            .expect_err("broken edit fails");
        assert!(
            err.iter()
                .any(|d| d.file.ends_with("report.md") && d.location.is_some()),
            "{err:?}"
        );
        assert_eq!(snapshot_tree(&out), before, "round {i}: output untouched");
    }
    fs::write(&f, good.replace("title: ", "title: 改好了")).unwrap();
    ws.apply(&[f]).unwrap();
    assert_eq!(
        without_marker(snapshot_tree(&out)),
        full_build(&site, tmp.path(), 99)
    );
}

#[test]
fn a_killed_build_leaves_the_previous_output_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&repo_root().join("examples/demo"), &site);
    let out = tmp.path().join("public");
    let bin = assert_cmd::cargo::cargo_bin("nianbao");
    let run = |args: &[&str]| {
        std::process::Command::new(&bin)
            .args(args)
            .arg("--root")
            .arg(&site)
            .arg("-q")
            .output()
            .unwrap()
    };
    assert!(
        run(&["build", "--output", out.to_str().unwrap()])
            .status
            .success()
    );
    let f = site.join("content/2023/qingshan/stats.yaml");
    let text = fs::read_to_string(&f).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("  review.total:"))
        .unwrap()
        .to_string();
    for (i, delay_ms) in [0u64, 2, 5, 10, 20, 40, 80, 160].into_iter().enumerate() {
        let before = snapshot_tree(&out);
        fs::write(
            &f,
            text.replace(&line, &format!("  review.total: {}", 1000 + i)),
        )
        .unwrap();
        let reference = tmp.path().join(format!("ref-{i}"));
        assert!(
            run(&["build", "--output", reference.to_str().unwrap()])
                .status
                .success()
        );
        let after = snapshot_tree(&reference);
        let mut child = std::process::Command::new(&bin)
            .args(["build", "-q", "--output", out.to_str().unwrap(), "--root"])
            .arg(&site)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot_tree(&out);
        assert!(
            now == before || now == after,
            "delay {delay_ms} ms: output is neither the old nor the new build"
        );
    }
}

#[test]
fn rebuilding_unchanged_sources_does_nothing_and_any_change_rebuilds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&repo_root().join("examples/demo"), &site);
    let out = tmp.path().join("public");
    let bin = assert_cmd::cargo::cargo_bin("nianbao");
    let build = || {
        let o = std::process::Command::new(&bin)
            .args(["build", "--output"])
            .arg(&out)
            .arg("--root")
            .arg(&site)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    assert!(build().contains("已生成"));
    let before = snapshot_tree(&out);
    let stderr = build();
    assert!(stderr.contains("输出已是最新"), "{stderr}");
    assert_eq!(snapshot_tree(&out), before, "nothing rewritten");
    // Same bytes, new modification time: rebuilt, and no output file changes.
    let f = site.join("content/2019/qingshan/report.md");
    let text = fs::read(&f).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&f, &text).unwrap();
    let stderr = build();
    assert!(stderr.contains("（0 个有变化）"), "{stderr}");
    // A deleted output file is noticed.
    fs::remove_file(out.join("county/index.html")).unwrap();
    assert!(build().contains("已生成"));
    assert!(out.join("county/index.html").is_file());
}

/// Every entry of `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_build_into_a_web_root_leaves_nothing_beside_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&repo_root().join("examples/demo"), &site);
    let www = tmp.path().join("www/xxgk");
    fs::create_dir_all(&www).unwrap();
    fs::write(www.join("index.html"), "县政府网站").unwrap();
    let out = www.join("nianbao");
    let bin = assert_cmd::cargo::cargo_bin("nianbao");
    let build = |extra: &[&str]| {
        std::process::Command::new(&bin)
            .args(["build", "--output"])
            .arg(&out)
            .arg("--root")
            .arg(&site)
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let stats = site.join("content/2023/qingshan/stats.yaml");
    let text = fs::read_to_string(&stats).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("  review.total:"))
        .unwrap()
        .to_string();
    for round in 0..3 {
        fs::write(
            &stats,
            text.replace(&line, &format!("  review.total: {}", 500 + round)),
        )
        .unwrap();
        let o = build(&[]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(entries(&www), ["index.html", "nianbao"], "round {round}");
        // From the second build on, the swapped-out tree waits under the site's own folder.
        if round > 0 {
            assert_eq!(entries(&site.join(".nianbao-cache/staging")).len(), 1);
        }
    }
    let o = build(&[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("输出已是最新"), "{stderr}");
    assert_eq!(entries(&www), ["index.html", "nianbao"]);

    // A build that fails while writing (the disk full at its third file) leaves nothing beside
    // the output either, and the output as it was.
    let before = snapshot_tree(&out);
    fs::write(&stats, text.replace(&line, "  review.total: 900")).unwrap();
    let o = std::process::Command::new(&bin)
        .args(["build", "--output"])
        .arg(&out)
        .arg("--root")
        .arg(&site)
        .env("NIANBAO_FAULT", "enospc:3")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(stderr.contains("磁盘空间不足"), "{stderr}");
    assert_eq!(entries(&www), ["index.html", "nianbao"]);
    assert_eq!(snapshot_tree(&out), before);

    // What stays in the output of nianbao's own says what it is and holds no path or secret.
    let marker = fs::read_to_string(out.join(".nianbao")).unwrap();
    assert!(
        marker.starts_with("This directory is generated by nianbao"),
        "{marker}"
    );
    assert!(!marker.contains(site.to_str().unwrap()), "{marker}");
}
