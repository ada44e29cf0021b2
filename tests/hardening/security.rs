//! Untrusted content: nothing executable is published, template syntax stays text, and no file
//! from outside the content directory is read or published.

use crate::common::{Fixture, REPORT_2018, run_in, snapshot_tree};
use crate::{FOLDER, Outcome, REPORT, STATS, case, symlink};

/// Every published HTML page (path, text).
fn html_pages(out: &Outcome) -> Vec<(String, String)> {
    snapshot_tree(&out.fixture.root().join("public"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("pages are UTF-8")))
        .collect()
}

/// No published page holds any of `needles`.
fn nowhere(out: &Outcome, needles: &[&str]) {
    for (path, page) in html_pages(out) {
        for needle in needles {
            assert!(!page.contains(needle), "{path} publishes {needle:?}");
        }
    }
}

/// Each hostile fragment of the narrative, and what must not appear in any page because of it.
const NARRATIVE_ATTACKS: &[(&str, &[&str])] = &[
    ("<script>PWNED01()</script>", &["PWNED01"]),
    // An external image: a missing local one is an error of its own (build refuses it).
    (
        "<img src=https://images.example/x.png onerror=\"PWNED02()\">",
        &["PWNED02", "onerror"],
    ),
    ("[点我](javascript:PWNED03())", &["PWNED03"]),
    ("<a href=\"JaVaScRiPt:PWNED04()\">大小写</a>", &["PWNED04"]),
    (
        "<a href=\"&#106;avascript:PWNED05()\">实体</a>",
        &["PWNED05"],
    ),
    (
        "![图](data:text/html;base64,UFdORUQ2)",
        &["UFdORUQ2", "data:text/html"],
    ),
    (
        "<iframe src=\"https://evil.example/PWNED07\"></iframe>",
        &["PWNED07", "<iframe"],
    ),
    (
        "<div style=\"background:url(javascript:PWNED08)\">样式</div>",
        &["PWNED08"],
    ),
    (
        "<table><tr><td style=\"text-align: expression(PWNED09)\">表达式</td></tr></table>",
        &["PWNED09", "expression("],
    ),
    (
        "<svg onload=\"PWNED10()\"><circle/></svg>",
        &["PWNED10", "<svg onload"],
    ),
    (
        "<object data=\"evil.swf\">PWNED11</object><embed src=\"https://images.example/PWNED11.swf\">",
        &["<object", "<embed", "PWNED11.swf"],
    ),
    (
        "<form action=\"https://evil.example/\"><button formaction=\"javascript:PWNED12()\">提交</button></form>",
        &[
            "PWNED12",
            "<form action=\"https://evil",
            "evil.example",
            "formaction",
        ],
    ),
    (
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/PWNED13\">",
        // Every page's own CSP meta is an `http-equiv` too: the refresh must be gone.
        &["PWNED13", "http-equiv=\"refresh\""],
    ),
    (
        "<base href=\"https://evil.example/PWNED14/\">",
        // An embed's own `<base target="_top">` sets no address: an address must be gone.
        &["PWNED14", "<base href"],
    ),
    (
        "<style>body{background:url(PWNED15)}</style><link rel=\"stylesheet\" href=\"https://images.example/PWNED15.css\">",
        &["PWNED15"],
    ),
    ("<a href=\"vbscript:PWNED16\">vb</a>", &["PWNED16"]),
];

#[test]
fn raw_html_in_the_narrative_is_sanitised() {
    let body: String = NARRATIVE_ATTACKS
        .iter()
        .map(|(attack, _)| format!("{attack}\n\n"))
        .collect();
    let out = case(|f| f.edit(REPORT, "正文。", &body), 0, &[]);
    for (attack, needles) in NARRATIVE_ATTACKS {
        for needle in *needles {
            for (path, page) in html_pages(&out) {
                if let Some(i) = page.find(needle) {
                    let from = (0..=i.saturating_sub(120))
                        .rev()
                        .find(|&j| page.is_char_boundary(j))
                        .unwrap_or(0);
                    let context: String = page[from..].chars().take(200).collect();
                    panic!("{path}: {attack} left {needle:?}: {context:?}");
                }
            }
        }
    }
    let page = out.published("2018/alpha/index.html");
    assert!(
        page.contains("点我") && page.contains("表达式"),
        "harmless text stays"
    );
}

#[test]
fn raw_html_in_the_home_and_year_introductions_is_sanitised() {
    let out = case(
        |f| {
            f.write(
                "content/_index.md",
                "<script>PWNEDH()</script>\n\n<img src=https://images.example/x.png onerror=PWNEDH2()>\n",
            );
            f.write(
                "content/2018/_index.md",
                "<iframe src=\"https://evil.example/PWNEDY\"></iframe>\n",
            );
        },
        0,
        &[],
    );
    nowhere(&out, &["PWNEDH", "PWNEDY"]);
}

#[test]
fn template_syntax_in_content_is_rendered_literally() {
    let out = case(
        |f| {
            f.edit(
                REPORT,
                "title: 测试县甲镇2018年度政府信息公开工作年度报告",
                "title: \"{{ 7*7 }}{% if true %}甲镇{% endif %}\"",
            );
            f.edit(
                REPORT,
                "正文。",
                "正文 {{ config.title }} {% for x in [1,2] %}{{ x }}{% endfor %} {# 注释 #}",
            );
            f.edit(
                "content/townships.yaml",
                "name: 甲镇",
                "name: \"{{ 6*6 }}镇\"",
            );
        },
        0,
        &[],
    );
    let page = out.published("2018/alpha/index.html");
    for literal in [
        "{{ 7*7 }}",
        "{% if true %}",
        "{{ config.title }}",
        "{% for x in [1,2] %}",
        "{# 注释 #}",
        "{{ 6*6 }}镇",
    ] {
        assert!(
            page.contains(literal),
            "{literal} not kept literally:\n{page}"
        );
    }
    assert!(
        !page.contains(">49<") && !page.contains("正文 12") && !page.contains(">36镇"),
        "a template expression ran"
    );
}

#[test]
fn every_metadata_string_is_escaped() {
    let out = case(
        |f| {
            f.edit(
                REPORT,
                "title: 测试县甲镇2018年度政府信息公开工作年度报告",
                "title: \"</title><script>PWNEDT()</script>\"",
            );
            f.edit(
                REPORT,
                "index_no: 000/2019-1",
                "index_no: \"<img src=x onerror=PWNEDI()>\"",
            );
            f.edit(REPORT, "publisher: 甲镇", "publisher: '\" onmouseover=\"PWNEDP()'\nsource_url: 'https://x.gov.cn/\"><script>PWNEDU()</script>'\nform:\n  filler: \"<script>PWNEDF()</script>\"\n  phone: \"<b onclick=PWNEDF2()>1</b>\"");
            f.edit(
                REPORT,
                "title: 统计表原件",
                "title: \"<svg onload=PWNEDA()>\"",
            );
            f.edit("content/townships.yaml", "name: 甲镇", "name: \"<script>PWNEDN()</script>\"\n  formerly: [\"<img src=x onerror=PWNEDN2()>\"]");
            f.edit("site.toml", "测试县年报", "<script>PWNEDS()</script>");
            f.edit(
                "site.toml",
                "region = \"测试县\"",
                "region = \"<iframe src=//evil.example>\"",
            );
        },
        0,
        &[],
    );
    nowhere(
        &out,
        &[
            "<script>PWNED",
            "<img src=x",
            "\" onmouseover=\"PWNEDP",
            "<svg onload",
            "<b onclick",
            "<iframe src=//evil",
        ],
    );
    assert!(
        out.published("2018/alpha/index.html")
            .contains("&lt;script&gt;PWNEDT()"),
        "shown as text"
    );
}

#[test]
fn links_outside_the_report_folder_are_reported_and_nothing_is_copied() {
    let out = case(
        |f| {
            f.write("secret.pdf", "SECRET-OUTSIDE");
            f.edit(REPORT, "正文。", "见[上级文件](../../../secret.pdf)与![公章](/etc/hostname.png)及[本机](C:\\Users\\clerk\\报告.docx)。");
        },
        // Links above the site's root are errors (build refuses them, as check does); each
        // link out of the report folder is also explained by a warning.
        1,
        &[
            "错误: content/2018/alpha/report.md:12:2: [../../../secret.pdf] 链接超出了网站根目录",
            "警告: content/2018/alpha/report.md:12:2: 链接「../../../secret.pdf」指向报告目录以外的文件",
            "链接「/etc/hostname.png」指向报告目录以外",
            "链接「C:\\Users\\clerk\\报告.docx」指向报告目录以外",
        ],
    );
    assert!(!out.all_published().contains("SECRET-OUTSIDE"));
}

#[cfg(unix)]
#[test]
fn symlinked_attachment_is_not_published() {
    let out = case(
        |f| {
            f.write("secret.txt", "SECRET-SYMLINK");
            symlink(
                &f.root().join("secret.txt"),
                &f.root().join(FOLDER).join("公告.txt"),
            );
        },
        0,
        &["警告: content/2018/alpha/公告.txt: 附件是符号链接，不予发布"],
    );
    assert!(!out.all_published().contains("SECRET-SYMLINK"));
    assert!(!out.is_published("2018/alpha/公告.txt"));
}

#[cfg(unix)]
#[test]
fn hard_linked_attachment_is_not_published() {
    let out = case(
        |f| {
            f.write("secret.txt", "SECRET-HARDLINK");
            std::fs::hard_link(
                f.root().join("secret.txt"),
                f.root().join(FOLDER).join("公告.txt"),
            )
            .expect("ln");
        },
        0,
        &["警告: content/2018/alpha/公告.txt: 附件是硬链接"],
    );
    assert!(!out.all_published().contains("SECRET-HARDLINK"));
}

#[cfg(unix)]
#[test]
fn symlinked_report_md_is_refused() {
    case(
        |f| {
            f.write(
                "outside.md",
                &REPORT_2018.replace("正文。", "SECRET-REPORT"),
            );
            f.remove(REPORT);
            symlink(&f.root().join("outside.md"), &f.root().join(REPORT));
        },
        1,
        &["错误: content/2018/alpha/report.md: 文件是符号链接（快捷方式），出于安全考虑不予读取"],
    );
}

#[cfg(unix)]
#[test]
fn symlinked_stats_yaml_is_refused() {
    case(
        |f| {
            let outside = f.root().join("outside.yaml");
            std::fs::rename(f.root().join(STATS), &outside).expect("mv");
            symlink(&outside, &f.root().join(STATS));
        },
        1,
        &["错误: content/2018/alpha/stats.yaml: 文件是符号链接"],
    );
}

#[cfg(unix)]
#[test]
fn symlinked_report_folder_is_refused() {
    case(
        |f| {
            let outside = f.root().join("elsewhere");
            std::fs::rename(f.root().join("content/2020/beta"), &outside).expect("mv");
            symlink(&outside, &f.root().join("content/2020/beta"));
        },
        1,
        &["错误: content/2020/beta: 这是符号链接（快捷方式），出于安全考虑不予读取"],
    );
}

#[cfg(unix)]
#[test]
fn symlinked_year_folder_to_the_system_is_refused() {
    case(
        |f| symlink(std::path::Path::new("/etc"), &f.root().join("content/2019")),
        1,
        &["错误: content/2019: 这是符号链接"],
    );
}

#[test]
fn output_inside_the_content_directory_is_refused() {
    let f = Fixture::new();
    let target = f.root().join("content/2018/alpha/out");
    let (code, _, stderr) = run_in(
        f.root(),
        "build",
        &["--output", target.to_str().expect("utf-8")],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("与站点源文件重叠"), "{stderr}");
    assert!(!target.exists());
}

#[test]
fn a_township_name_that_excel_would_run_as_a_formula_is_refused() {
    case(
        |f| {
            f.edit(
                "content/townships.yaml",
                "name: 甲镇",
                "name: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"甲镇\\\")\"",
            )
        },
        1,
        &[
            "错误: content/townships.yaml:2:3: [[0].name] 乡镇名称「=HYPERLINK(\"https://evil.example\",\"甲镇\")」不能以 = + - @ 开头",
        ],
    );
}
