//! Since when: a new county's townships say from which report year they must publish, and
//! `check`/`build` warn once, before publishing, when the public oversight will show 未发布.

mod common;

use common::{Fixture, run_in};

const SITE: &str = "title = \"测试县年报\"\nbase_url = \"https://example.gov.cn/nianbao/\"\n\n[portal]\nregion = \"测试县\"\n\n[audit]\nas_of = \"2025-06-30\"\n";

/// Two townships; `since` lines as given.
fn registry(since: Option<u16>) -> String {
    let since = since.map_or(String::new(), |y| format!("  since: {y}\n"));
    format!(
        "- slug: beijinggang\n  name: 北景港镇\n  kind: 镇\n{since}- slug: meitianhu\n  name: 梅田湖镇\n  kind: 镇\n{since}"
    )
}

/// A new site, its townships registered, one 2018 and one 2024 report of 北景港镇 entered.
fn site(since: Option<u16>) -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", SITE);
    f.write("content/townships.yaml", &registry(since));
    for (year, published, format) in [
        (2018, "2019-03-01", "gov-2014"),
        (2024, "2025-01-20", "gov-2021"),
    ] {
        f.write(
            &format!("content/{year}/beijinggang/report.md"),
            &format!("---\npublished: {published}\n---\n正文。\n"),
        );
        f.write(
            &format!("content/{year}/beijinggang/stats.yaml"),
            &format!("format: {format}\nvalues: {{}}\n"),
        );
    }
    f
}

fn warning_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("将在督查页和乡镇页上显示为未发布"))
        .collect()
}

#[test]
fn townships_without_since_warn_once_with_the_count_before_publishing() {
    let f = site(None);
    // Computed from the audit the page shows, not written down: every red cell of /audit/.
    let (code, _, err) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "a warning, the site builds: {err}");
    let page = std::fs::read_to_string(f.root().join("public/audit/index.html")).unwrap();
    let red = page.matches("class=\"audit-cell missing\"").count();
    assert!(red > 0, "the audit page shows 未发布 cells");
    let lines = warning_lines(&err);
    assert_eq!(lines.len(), 1, "warned once: {err}");
    assert!(
        lines[0].contains(&format!(
            "content/townships.yaml: {red} 个乡镇·年度将在督查页和乡镇页上显示为未发布：北景港镇 2019—2023 年度、梅田湖镇 2018—2024 年度"
        )),
        "{err}"
    );
    assert!(
        err.contains("在 content/townships.yaml 中为它写 since"),
        "{err}"
    );
    assert!(
        err.contains("梅田湖镇（meitianhu）没有写 since，也还没有任何报告"),
        "{err}"
    );
    let (code, _, check_err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "{check_err}");
    assert_eq!(warning_lines(&check_err), lines, "check says the same");
}

#[test]
fn a_township_whose_first_report_is_later_gets_a_since_hint() {
    let f = site(None);
    f.edit(
        "content/townships.yaml",
        "  name: 北景港镇\n  kind: 镇\n",
        "  name: 北景港镇\n  kind: 镇\n  since: 2018\n",
    );
    f.remove("content/2018/beijinggang");
    f.write(
        "content/2022/meitianhu/report.md",
        "---\npublished: 2023-01-20\n---\n正文。\n",
    );
    f.write(
        "content/2022/meitianhu/stats.yaml",
        "format: gov-2021\nvalues: {}\n",
    );
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("梅田湖镇（meitianhu）没有写 since，它的第一份报告是 2022 年度：如果它从 2022 年度起才需要发布，在名录中为它加一行 since: 2022"),
        "{err}"
    );
    assert!(
        !err.contains("北景港镇（beijinggang）没有写 since"),
        "it has one: {err}"
    );
}

#[test]
fn with_since_set_there_is_no_warning() {
    let f = site(Some(2024));
    f.remove("content/2018/beijinggang");
    f.write(
        "content/2024/meitianhu/report.md",
        "---\npublished: 2025-01-20\n---\n正文。\n",
    );
    f.write(
        "content/2024/meitianhu/stats.yaml",
        "format: gov-2021\nvalues: {}\n",
    );
    let (code, _, err) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(warning_lines(&err).is_empty(), "{err}");
    let page = std::fs::read_to_string(f.root().join("public/audit/index.html")).unwrap();
    assert!(!page.contains("audit-cell missing"), "and no red cell");
}

#[test]
fn init_asks_for_since_and_explains_it() {
    let f = Fixture::empty();
    let dir = f.root().join("site");
    let (code, _, err) = common::run(&["init", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("since（第一个需要发布年报的年度"), "{err}");
    let registry = std::fs::read_to_string(dir.join("content/townships.yaml")).unwrap();
    assert!(registry.contains("  since: 2018"), "{registry}");
    assert!(registry.contains("第一个需要发布年报的年度"), "{registry}");
    let readme = std::fs::read_to_string(dir.join("说明.md")).unwrap();
    assert!(readme.contains("since"), "{readme}");
}
