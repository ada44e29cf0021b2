//! One set of content errors: what `check` reports as an error about the content — a link,
//! image or anchor written in a narrative included — `build` refuses with the same message, and
//! `serve` shows in its overlay while the last good site stays served.

mod common;

use std::collections::BTreeSet;

use common::server::Server;
use common::{Fixture, run_in, snapshot_tree};

const REPORT: &str = "content/2018/alpha/report.md";

/// The error lines (`错误: …`) of a run's stderr.
fn errors(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("错误: "))
        .map(str::to_string)
        .collect()
}

/// Each kind of content error, written into the valid fixture.
fn broken_sites() -> Vec<(&'static str, Fixture)> {
    let attachment = Fixture::new();
    attachment.edit(REPORT, "正文。\n", "正文。\n\n详见[附件1](附件一.pdf)。\n");
    let image = Fixture::new();
    image.edit(REPORT, "正文。\n", "正文。\n\n![示意图](图1.png)\n");
    let anchor = Fixture::new();
    anchor.write(
        "content/2018/_index.md",
        "本年度说明。\n\n参见[甲镇第九节](alpha/index.html#sec-9)和[本页](#nope)。\n",
    );
    let outside = Fixture::new();
    outside.edit(REPORT, "正文。\n", "正文。\n\n[上级](../../../../x.html)\n");
    let unknown_id = Fixture::new();
    unknown_id.edit(
        "content/2018/alpha/stats.yaml",
        "  complaints.total: 0\n",
        "  complaints.total: 0\n  complaints.totl: 1\n",
    );
    let date = Fixture::new();
    date.edit(REPORT, "published: 2019-03-01", "published: 2019-02-30");
    let placeholder = Fixture::new();
    placeholder.edit(REPORT, "正文。\n", "（在此填写正文。）\n");
    vec![
        ("attachment link", attachment),
        ("image", image),
        ("anchors", anchor),
        ("link above the root", outside),
        ("unknown id", unknown_id),
        ("impossible date", date),
        ("placeholder", placeholder),
    ]
}

#[test]
fn build_refuses_every_error_check_reports_with_the_same_message() {
    for (what, f) in broken_sites() {
        let (check_code, _, check_err) = run_in(f.root(), "check", &[]);
        assert_eq!(check_code, 1, "{what}: check fails\n{check_err}");
        let (build_code, build_out, build_err) = run_in(f.root(), "build", &[]);
        assert_eq!(build_code, 1, "{what}: build fails\n{build_err}");
        assert!(build_out.is_empty(), "{what}: {build_out}");
        assert!(!build_err.contains("已生成"), "{what}: {build_err}");
        assert!(
            !f.root().join("public").exists(),
            "{what}: nothing published"
        );
        let expected = errors(&check_err);
        assert!(!expected.is_empty(), "{what}: {check_err}");
        assert_eq!(errors(&build_err), expected, "{what}: the same errors");
    }
}

#[test]
fn a_broken_attachment_link_fails_build_with_checks_message_and_fixing_it_builds() {
    let f = Fixture::new();
    let (code, _, err) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "{err}");
    let before = snapshot_tree(&f.root().join("public"));
    f.edit(REPORT, "正文。\n", "正文。\n\n详见[附件1](附件一.pdf)。\n");
    let message = "content/2018/alpha/report.md:14:3: [附件一.pdf] 附件链接指向的文件 2018/alpha/附件一.pdf 不存在";
    let (code, _, err) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(message), "{err}");
    assert!(
        err.contains("把文件 附件一.pdf 放进报告目录"),
        "the hint: {err}"
    );
    assert_eq!(
        snapshot_tree(&f.root().join("public")),
        before,
        "the published site stays as it was"
    );
    let (_, _, check_err) = run_in(f.root(), "check", &[]);
    assert!(check_err.contains(message), "{check_err}");

    f.write_bytes("content/2018/alpha/附件一.pdf", b"%PDF-1.4");
    let (code, _, err) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(f.root().join("public/2018/alpha/附件一.pdf").is_file());
}

#[test]
fn serve_shows_a_broken_link_in_its_overlay_and_keeps_the_last_good_site() {
    const STATUS: &str = "/nianbao/__nianbao/status";
    const PAGE: &str = "/nianbao/2018/alpha/";
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    server.wait_for(PAGE, "the report page", |s, _| s == 200);
    f.edit(
        REPORT,
        "正文。\n",
        "正文。\n\n改过的正文，详见[附件1](附件一.pdf)。\n",
    );
    let status = server.wait_for(STATUS, "the error status", |_, b| b.contains("\"error\""));
    assert!(
        status.contains("content/2018/alpha/report.md:14:")
            && status.contains("附件链接指向的文件 2018/alpha/附件一.pdf 不存在"),
        "{status}"
    );
    let (_, _, body) = server.get(PAGE);
    assert!(!body.contains("改过的正文"), "the last good page is served");

    // An anchor that is not on its page, in a file already rendered.
    f.edit(REPORT, "(附件一.pdf)", "(#sec-7)");
    let status = server.wait_for(STATUS, "the anchor error", |_, b| b.contains("#sec-7"));
    assert!(
        status.contains("锚点 #sec-7 在页面 2018/alpha/index.html 中不存在"),
        "{status}"
    );

    f.edit(REPORT, "(#sec-7)", "(#sec-1)");
    server.wait_for(STATUS, "the error to clear", |_, b| b.contains("\"ok\""));
    server.wait_for(PAGE, "the new text", |_, b| b.contains("改过的正文"));
}

#[test]
fn deleting_a_listed_attachment_says_both_steps_and_fixing_both_builds() {
    let f = Fixture::new();
    f.remove("content/2018/alpha/统计表.xls");
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("附件说明中的文件「统计表.xls」在报告目录中不存在"),
        "{err}"
    );
    assert!(
        err.contains("还要删去 report.md 中这条附件说明（- file: 统计表.xls 和下面的 title 两行）"),
        "the hint names the second step: {err}"
    );
    let (code, _, build_err) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 1);
    assert_eq!(errors(&build_err), errors(&err));
    // The guide's second step.
    f.edit(
        REPORT,
        "attachments:\n  - file: 统计表.xls\n    title: 统计表原件\n",
        "",
    );
    let (code, _, err) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "{err}");
}
