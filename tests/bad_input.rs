//! Bad input: every case must fail with exit code 1, a Chinese message naming the file (and line
//! where the problem has one), no panic, and the previous output left exactly as it was.

mod common;

use common::{Fixture, run_in, snapshot_tree};

/// Build the valid fixture, break it with `mutate`, build again and check the failure.
fn fails(mutate: impl FnOnce(&Fixture), position: &str, message: &str) {
    let f = Fixture::new();
    let out = f.root().join("public");
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "the fixture itself must build: {stderr}");
    let before = snapshot_tree(&out);
    mutate(&f);
    let (code, stdout, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 1, "exit code; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    assert!(
        stderr.contains(&format!("错误: {position}")),
        "expected an error at {position}; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains(message),
        "expected {message:?}; stderr:\n{stderr}"
    );
    assert!(stdout.is_empty(), "nothing on stdout: {stdout}");
    assert_eq!(
        snapshot_tree(&out),
        before,
        "the previous output must stay untouched"
    );
    let (code, _, check_err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1, "check agrees with build: {check_err}");
}

const STATS: &str = "content/2018/alpha/stats.yaml";
const REPORT: &str = "content/2018/alpha/report.md";

#[test]
fn malformed_yaml_in_stats() {
    fails(
        |f| f.edit(STATS, "complaints.total: 0", "complaints.total: [0"),
        "content/2018/alpha/stats.yaml:",
        "YAML 语法错误",
    );
}

#[test]
fn unknown_indicator_id_with_suggestion() {
    fails(
        |f| f.edit(STATS, "complaints.total: 0", "complaints.totl: 0"),
        "content/2018/alpha/stats.yaml:6:3",
        "不是 gov-2014 格式的指标",
    );
}

#[test]
fn suggestion_names_the_right_id() {
    let f = Fixture::new();
    f.edit(STATS, "complaints.total: 0", "complaints.totl: 0");
    let (_, _, stderr) = run_in(f.root(), "check", &[]);
    assert!(stderr.contains("是否想写「complaints.total」"), "{stderr}");
}

#[test]
fn string_value() {
    fails(
        |f| f.edit(STATS, "proactive.total: 10", "proactive.total: \"10\""),
        "content/2018/alpha/stats.yaml:3:20",
        "应为数字，这里写成了文字",
    );
}

#[test]
fn negative_count() {
    fails(
        |f| f.edit(STATS, "proactive.total: 10", "proactive.total: -10"),
        "content/2018/alpha/stats.yaml:3:20",
        "该指标不能为负",
    );
}

#[test]
fn decimal_count() {
    fails(
        |f| f.edit(STATS, "proactive.total: 10", "proactive.total: 10.5"),
        "content/2018/alpha/stats.yaml:3:20",
        "是小数",
    );
}

#[test]
fn unknown_format() {
    fails(
        |f| f.edit(STATS, "format: gov-2014", "format: gov-2015"),
        "content/2018/alpha/stats.yaml:1:1",
        "未知的表格格式「gov-2015」",
    );
}

#[test]
fn missing_format() {
    fails(
        |f| f.edit(STATS, "format: gov-2014\n", ""),
        "content/2018/alpha/stats.yaml:1",
        "缺少 format",
    );
}

#[test]
fn unknown_stats_key() {
    fails(
        |f| f.edit(STATS, "values:", "remark: x\nvalues:"),
        "content/2018/alpha/stats.yaml:2:1",
        "未知的键「remark」",
    );
}

#[test]
fn boolean_value() {
    fails(
        |f| f.edit(STATS, "complaints.total: 0", "complaints.total: yes"),
        "content/2018/alpha/stats.yaml:6:21",
        "应为数字",
    );
}

#[test]
fn duplicate_key_in_stats() {
    fails(
        |f| {
            f.edit(
                STATS,
                "complaints.total: 0",
                "complaints.total: 0\n  complaints.total: 1",
            )
        },
        "content/2018/alpha/stats.yaml:7:3: [complaints.total]",
        "键「complaints.total」写了两次",
    );
}

#[test]
fn tab_indentation() {
    fails(
        |f| f.edit(STATS, "  complaints.total: 0", "\tcomplaints.total: 0"),
        "content/2018/alpha/stats.yaml:6",
        "制表符",
    );
}

#[test]
fn unknown_front_matter_key_with_suggestion() {
    fails(
        |f| f.edit(REPORT, "publisher: 甲镇", "publsher: 甲镇"),
        "content/2018/alpha/report.md:4:1",
        "未知的键「publsher」",
    );
}

#[test]
fn year_mismatch() {
    fails(
        |f| f.edit(REPORT, "publisher: 甲镇", "publisher: 甲镇\nyear: 2019"),
        "content/2018/alpha/report.md:5:1",
        "与所在目录的年度 2018 不一致",
    );
}

#[test]
fn township_mismatch() {
    fails(
        |f| f.edit(REPORT, "publisher: 甲镇", "publisher: 甲镇\ntownship: beta"),
        "content/2018/alpha/report.md:5:1",
        "与所在目录「alpha」不一致",
    );
}

#[test]
fn invalid_date() {
    fails(
        |f| f.edit(REPORT, "published: 2019-03-01", "published: 2019-02-30"),
        "content/2018/alpha/report.md:5:1",
        "不是有效日期",
    );
}

#[test]
fn missing_published() {
    fails(
        |f| f.edit(REPORT, "published: 2019-03-01\n", ""),
        "content/2018/alpha/report.md:2",
        "缺少公开日期 published",
    );
}

#[test]
fn missing_front_matter() {
    fails(
        |f| f.write(REPORT, "# 没有元数据\n正文\n"),
        "content/2018/alpha/report.md:1",
        "没有以元数据开头",
    );
}

#[test]
fn unterminated_front_matter() {
    fails(
        |f| f.write(REPORT, "---\npublished: 2019-03-01\n正文\n"),
        "content/2018/alpha/report.md:1",
        "缺少第二个 --- 行",
    );
}

#[test]
fn unregistered_slug() {
    fails(
        |f| {
            f.write("content/2018/gamma/report.md", common::REPORT_2020);
        },
        "content/2018/gamma",
        "不是已登记的乡镇代号",
    );
}

#[test]
fn missing_report_md() {
    fails(|f| f.remove(REPORT), "content/2018/alpha", "缺少 report.md");
}

#[test]
fn duplicate_slug_in_registry() {
    fails(
        |f| {
            f.edit(
                "content/townships.yaml",
                "- slug: beta",
                "- slug: alpha\n  name: 重复\n  kind: 镇\n- slug: beta",
            )
        },
        "content/townships.yaml:5",
        "重复登记",
    );
}

#[test]
fn invalid_slug_in_registry() {
    fails(
        |f| f.edit("content/townships.yaml", "- slug: beta", "- slug: Beta_2"),
        "content/townships.yaml:5:3",
        "不合规",
    );
}

#[test]
fn registry_entry_without_name() {
    fails(
        |f| f.edit("content/townships.yaml", "  name: 乙乡\n", ""),
        "content/townships.yaml:5",
        "缺少名称",
    );
}

#[test]
fn attachment_title_names_missing_file() {
    fails(
        |f| f.edit(REPORT, "file: 统计表.xls", "file: 统计表.xlsx"),
        "content/2018/alpha/report.md:7",
        "在报告目录中不存在",
    );
}

#[test]
fn attachment_named_like_a_generated_file() {
    fails(
        |f| f.write("content/2018/alpha/stats.csv", "a,b\n"),
        "content/2018/alpha/stats.csv",
        "生成器会在同一位置写出同名文件",
    );
}

#[test]
fn unknown_site_toml_key() {
    fails(
        |f| f.edit("site.toml", "[portal]", "titel = \"x\"\n[portal]"),
        "site.toml:4:1",
        "未知的设置项「titel」",
    );
}

#[test]
fn relative_base_url() {
    fails(
        |f| f.edit("site.toml", "https://example.gov.cn/nianbao/", "/nianbao/"),
        "site.toml:2",
        "不是以 http:// 或 https:// 开头",
    );
}

#[test]
fn non_year_folder() {
    fails(
        |f| f.write("content/misc/readme.md", "x"),
        "content/misc",
        "四位年份",
    );
}

#[test]
fn non_utf8_report() {
    // UTF-8 text with 公开 in GBK appended: no single encoding reads it, so it is refused (a
    // whole file in GBK is converted with a warning: tests/hardening).
    fails(
        |f| {
            let mut bytes = common::REPORT_2018.as_bytes().to_vec();
            bytes.extend_from_slice(b"\xB9\xAB\xBF\xAA\n");
            f.write_bytes(REPORT, &bytes)
        },
        "content/2018/alpha/report.md:1",
        "无法识别文件的文本编码",
    );
}

#[test]
fn template_error_names_the_override() {
    fails(
        |f| {
            f.write("templates/report.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ title | nosuchfilter }}\n{% endblock content %}\n")
        },
        "templates/report.html:3",
        "模板错误",
    );
}

#[test]
fn many_problems_are_reported_together() {
    let f = Fixture::new();
    f.edit(STATS, "proactive.total: 10", "proactive.total: x");
    f.edit(STATS, "complaints.total: 0", "complaints.totl: 0");
    f.edit(REPORT, "published: 2019-03-01", "published: 2019-13-01");
    let (code, _, stderr) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1);
    // A wrong value is pointed at where it is written, an unknown id at the id.
    assert!(stderr.contains("stats.yaml:3:20"), "{stderr}");
    assert!(stderr.contains("stats.yaml:6:3"), "{stderr}");
    assert!(stderr.contains("report.md:5:1"), "{stderr}");
    assert!(stderr.contains("3 个错误"), "{stderr}");
}

#[test]
fn strict_turns_rule_warnings_into_errors() {
    let f = Fixture::new();
    f.edit(
        STATS,
        "proactive.normative_docs_issued: 3",
        "proactive.normative_docs_issued: 1",
    );
    let (code, _, stderr) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "a broken sum rule is only a warning: {stderr}");
    assert!(
        stderr.contains("警告: content/2018/alpha/stats.yaml:4:3"),
        "{stderr}"
    );
    assert!(stderr.contains("2 > 1"), "{stderr}");
    let (code, _, stderr) = run_in(f.root(), "check", &["--strict"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("错误: content/2018/alpha/stats.yaml:4:3"),
        "{stderr}"
    );
}

#[test]
fn foreign_output_directory_is_not_replaced() {
    let f = Fixture::new();
    f.write("mydocs/keep.txt", "重要文件");
    let out = f.root().join("mydocs");
    let (code, _, stderr) = run_in(f.root(), "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("拒绝覆盖"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "重要文件"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = common::run(&["build", "--no-such-flag"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = common::run(&["frobnicate"]);
    assert_eq!(code, 2);
    let f = Fixture::new();
    let (code, _, stderr) = run_in(f.root(), "build", &["--base-url", "not a url"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--base-url"), "{stderr}");
}

#[test]
fn missing_root_is_a_usage_error() {
    let (code, _, stderr) = common::run(&["check", "--root", "/nonexistent/site"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("不存在"), "{stderr}");
}

/// No English from the parsers: what a clerk types with a Chinese input method is named, with the
/// half-width character to type instead.
#[test]
fn full_width_quotes_in_site_toml() {
    fails(
        |f| {
            f.edit(
                "site.toml",
                "base_url = \"https://example.gov.cn/nianbao/\"",
                "base_url = “https://example.gov.cn/nianbao/”",
            )
        },
        "site.toml:2:12",
        "site.toml 的这一行用了全角符号「“」",
    );
    let f = Fixture::new();
    f.edit(
        "site.toml",
        "title = \"测试县年报\"",
        "title ＝ \"测试县年报\"",
    );
    let (_, _, stderr) = run_in(f.root(), "check", &[]);
    assert!(stderr.contains("改成英文（半角）的 ="), "{stderr}");
    assert!(!stderr.contains("expected"), "no English: {stderr}");
}

#[test]
fn common_toml_errors_are_chinese() {
    for (line, message) in [
        ("title = 测试县年报", "设置值没有用引号括起来"),
        (
            "title = \"测试县年报\" region = \"x\"",
            "一行只能写一个设置项",
        ),
    ] {
        let f = Fixture::new();
        f.edit("site.toml", "title = \"测试县年报\"", line);
        let (code, _, stderr) = run_in(f.root(), "check", &[]);
        assert_eq!(code, 1);
        assert!(stderr.contains(message), "{line}: {stderr}");
        assert!(
            !stderr.contains("string values") && !stderr.contains("expected newline"),
            "the parser's English is not the message: {stderr}"
        );
    }
}

#[test]
fn full_width_colon_in_front_matter() {
    fails(
        |f| f.edit(REPORT, "published: 2019-03-01", "published： 2019-03-01"),
        "content/2018/alpha/report.md:5",
        "这一行用了全角符号「：」",
    );
}

#[test]
fn the_sample_township_s_folders_can_be_deleted() {
    let f = Fixture::new();
    f.write(
        "content/2025/shili/report.md",
        "---\npublished: 2026-01-20\n---\n正文。\n",
    );
    let (code, _, stderr) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("这是 nianbao init 生成的示例镇的报告")
            && stderr.contains("content/2025/shili"),
        "the hint says to delete the sample folder, not to register it: {stderr}"
    );
    f.write(
        "content/2025/gamma/report.md",
        "---\npublished: 2026-01-20\n---\n正文。\n",
    );
    let (_, _, stderr) = run_in(f.root(), "check", &[]);
    assert!(
        stderr.contains("若这个文件夹已不需要，直接删除 content/2025/gamma"),
        "any unregistered folder: register it or delete it: {stderr}"
    );
}

/// Text pasted from Word: numbered lines and a tab-separated block are published as a list and
/// a table; a numbered line glued to its paragraph and rows of different widths are warnings
/// (not errors) that name the line and show the Markdown to write.
#[test]
fn pasted_word_text_is_published_as_meant_and_doubts_are_warnings() {
    let f = Fixture::new();
    f.edit(
        REPORT,
        "正文。\n",
        "正文。\n1、建立制度。\n2、公开目录。\n\n项目\t数量\n主动公开\t12\n\n（一）主动公开情况\n本年度主动公开政府信息12条。\n\n甲\t乙\t丙\n丁\t戊\n",
    );
    let (code, _, stderr) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("警告: content/2018/alpha/report.md:19:1"),
        "{stderr}"
    );
    assert!(stderr.contains("### （一）主动公开情况"), "{stderr}");
    assert!(
        stderr.contains("警告: content/2018/alpha/report.md:22:1"),
        "{stderr}"
    );
    assert!(stderr.contains("| 丁 | 戊 |  |"), "{stderr}");
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(f.root().join("public/2018/alpha/index.html")).unwrap();
    // The items carry their own markers: a list without bullets, so 1、 shows once.
    assert!(
        page.contains(
            "<ul class=\"marked\">\n<li>1、建立制度。</li>\n<li>2、公开目录。</li>\n</ul>"
        ),
        "{page}"
    );
    let css = std::fs::read_to_string(f.root().join("public/static/style.css")).unwrap();
    assert!(
        css.contains(".narrative ul.marked{list-style:none;"),
        "the theme hides the bullets of a marked list"
    );
    assert!(page.contains("<td>主动公开</td>"), "{page}");
    assert!(page.contains("（一）主动公开情况本年度"), "{page}");
}
