//! County totals that never compare different townships: `county/totals.csv` and `.json`, the
//! county page's table and charts, and the year pages' totals row, on a site built in a temporary
//! folder whose figures the tests know. Expected sums and changes are computed here from the
//! figures written into the content, not copied from a build.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Fixture, run_in};
use rust_decimal::{Decimal, RoundingStrategy};

/// The townships: slug, name, extra registry lines. 丁镇 was merged away after 2018.
const TOWNSHIPS: [(&str, &str, &str); 4] = [
    ("alpha", "甲镇", ""),
    ("beta", "乙乡", ""),
    ("gamma", "丙街道", ""),
    ("delta", "丁镇", "  until: 2018\n"),
];

/// The key indicators and where each table format keeps them (none: not collected; several ids:
/// the figure is their sum, written on the first id with 0 on the others).
const INDICATORS: [(&str, [&[&str]; 3]); 8] = [
    (
        "normative_docs.issued_this_year",
        [
            &["proactive.normative_docs_issued"],
            &["art20_1.normative_docs.new_made"],
            &["art20_1.normative_docs.issued"],
        ],
    ),
    (
        "licensing.decisions",
        [
            &[],
            &["art20_5.licensing.decisions"],
            &["art20_5.licensing.decisions"],
        ],
    ),
    (
        "penalty.decisions",
        [
            &[],
            &["art20_6.penalty.decisions"],
            &["art20_6.penalty.decisions"],
        ],
    ),
    (
        "apps.new_received",
        [
            &["applications.received"],
            &["apps.new_received.total"],
            &["apps.new_received.total"],
        ],
    ),
    (
        "apps.outcome.total",
        [
            &["applications.replies"],
            &["apps.outcome.total.total"],
            &["apps.outcome.total.total"],
        ],
    ),
    (
        "apps.outcome.granted",
        [
            &[
                "applications.replies.granted",
                "applications.replies.already_public",
            ],
            &["apps.outcome.granted.total"],
            &["apps.outcome.granted.total"],
        ],
    ),
    (
        "review.total",
        [&["review.total"], &["review.total"], &["review.total"]],
    ),
    (
        "litigation.total",
        [
            &["litigation.total"],
            &["litigation.direct.total", "litigation.after_review.total"],
            &["litigation.direct.total", "litigation.after_review.total"],
        ],
    ),
];

const FORMATS: [&str; 3] = ["gov-2014", "gov-2019", "gov-2021"];

/// A figure of the content: `None` is blank (`~`).
type Figure = Option<i64>;

/// The site's figures: (year, township, indicator) → figure, and each report's format.
struct Content {
    figures: BTreeMap<(u16, &'static str, &'static str), Figure>,
    formats: BTreeMap<(u16, &'static str), usize>,
}

/// Which townships publish which year on which format:
/// 2018 every township on the 2014 form (≈ against the later forms for these indicators);
/// 2019–2022 the 2019 form, 丙街道 publishing nothing for 2020; 2023 the 2021 form (`=`).
/// 2022 has every township write 0 for 行政处罚 and leave 行政许可 blank, as in 2021 for 行政处罚.
fn content() -> Content {
    let mut figures = BTreeMap::new();
    let mut formats = BTreeMap::new();
    for year in 2018u16..=2023 {
        let format = match year {
            2018 => 0,
            2019..=2022 => 1,
            _ => 2,
        };
        for (t, (slug, _, _)) in TOWNSHIPS.iter().enumerate() {
            if (year > 2018 && *slug == "delta") || (year == 2020 && *slug == "gamma") {
                continue;
            }
            formats.insert((year, *slug), format);
            for (k, (indicator, sources)) in INDICATORS.iter().enumerate() {
                if sources[format].is_empty() {
                    continue;
                }
                let figure = match (*indicator, year) {
                    ("penalty.decisions", 2021 | 2022) => Some(0),
                    ("licensing.decisions", 2022) => None,
                    // A figure of its own for each report and indicator, never a tie in percent.
                    _ => Some(i64::from(year % 100) * 3 + t as i64 * 17 + k as i64 * 11 + 5),
                };
                figures.insert((year, *slug, *indicator), figure);
            }
        }
    }
    Content { figures, formats }
}

/// Write `content` as a site.
fn site(content: &Content) -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", common::SITE_TOML);
    let registry: String = TOWNSHIPS
        .iter()
        .enumerate()
        .map(|(i, (slug, name, extra))| {
            format!("- slug: {slug}\n  name: {name}\n  kind: 镇\n  order: {i}\n{extra}")
        })
        .collect();
    f.write("content/townships.yaml", &registry);
    for (&(year, slug), &format) in &content.formats {
        f.write(
            &format!("content/{year}/{slug}/report.md"),
            &format!("---\npublished: {}-01-15\n---\n正文。\n", year + 1),
        );
        let mut stats = format!("format: {}\nvalues:\n", FORMATS[format]);
        for (indicator, sources) in INDICATORS {
            if let Some(figure) = content.figures.get(&(year, slug, indicator)) {
                for (n, id) in sources[format].iter().enumerate() {
                    let text = match figure {
                        Some(v) if n == 0 => v.to_string(),
                        Some(_) => "0".to_string(),
                        None => "~".to_string(),
                    };
                    stats.push_str(&format!("  {id}: {text}\n"));
                }
            }
        }
        f.write(&format!("content/{year}/{slug}/stats.yaml"), &stats);
    }
    f
}

fn build(f: &Fixture) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let (code, _, stderr) = run_in(f.root(), "build", &["--output", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    (tmp, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// totals.csv as (year, indicator) → column → field.
fn totals_csv(out: &Path) -> BTreeMap<(u16, String), BTreeMap<String, String>> {
    let bytes = fs::read(out.join("county/totals.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header[..10],
        [
            "year",
            "indicator",
            "label",
            "unit",
            "value",
            "townships",
            "expected",
            "comparability",
            "change",
            "change_percent"
        ]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect();
            (
                (row["year"].parse().unwrap(), row["indicator"].clone()),
                row,
            )
        })
        .collect()
}

/// The townships (slugs, sorted) whose figure of `indicator` is reported in `year`, and its sum.
fn expected_total(c: &Content, year: u16, indicator: &str) -> (Vec<&'static str>, Option<i64>) {
    let mut slugs: Vec<&'static str> = c
        .figures
        .iter()
        .filter(|((y, _, i), v)| *y == year && *i == indicator && v.is_some())
        .map(|((_, t, _), _)| *t)
        .collect();
    slugs.sort_unstable();
    let sum = c
        .figures
        .iter()
        .filter(|((y, _, i), _)| *y == year && *i == indicator)
        .filter_map(|(_, v)| *v)
        .reduce(|a, b| a + b);
    (slugs, sum)
}

fn percent(before: i64, after: i64) -> String {
    if before == 0 {
        return String::new();
    }
    (Decimal::from(after - before) * Decimal::ONE_HUNDRED / Decimal::from(before))
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .to_string()
}

#[test]
fn totals_name_their_townships_and_compare_only_the_same_townships() {
    let c = content();
    let f = site(&c);
    let (_tmp, out) = build(&f);
    let rows = totals_csv(&out);
    assert_eq!(
        rows.len(),
        6 * INDICATORS.len(),
        "a row per year and indicator"
    );
    for ((year, indicator), row) in &rows {
        let (slugs, sum) = expected_total(&c, *year, indicator);
        assert_eq!(row["townships"], slugs.join(" "), "{year} {indicator}");
        assert_eq!(
            row["value"],
            sum.map(|s| s.to_string()).unwrap_or_default(),
            "{year} {indicator}: the sum of the published figures, empty over no township"
        );
        let expected = if *year <= 2018 {
            "alpha beta delta gamma"
        } else {
            "alpha beta gamma"
        };
        assert_eq!(row["expected"], expected, "{year}: the registry's until");
    }

    // 2020: 丙街道 published nothing. No change for any indicator, and the reason names it.
    for (indicator, _) in INDICATORS {
        let row = &rows[&(2020, indicator.to_string())];
        assert_eq!(row["comparability"], "different_townships", "{indicator}");
        assert_eq!(
            (row["change"].as_str(), row["change_percent"].as_str()),
            ("", "")
        );
        assert!(
            row["reason"].contains("乡镇不同：2020 年缺 丙街道（未发布）"),
            "{indicator}: {}",
            row["reason"]
        );
        // …and 2021, when it is back, is not compared with 2020 either.
        let row = &rows[&(2021, indicator.to_string())];
        assert_eq!(row["change"], "", "{indicator} 2021");
        assert!(
            row["reason"].contains("2020 年缺 丙街道"),
            "{}",
            row["reason"]
        );
    }

    // 2021→2022 (one format) and 2022→2023 (2019 → 2021 form, graded =): the same townships,
    // so a change from the published figures.
    let mut computed = 0;
    for (year, code) in [(2022u16, "same_format"), (2023, "same_quantity")] {
        for (indicator, _) in INDICATORS {
            let row = &rows[&(year, indicator.to_string())];
            let (before_set, before) = expected_total(&c, year - 1, indicator);
            let (after_set, after) = expected_total(&c, year, indicator);
            match (before, after) {
                (Some(before), Some(after)) => {
                    assert_eq!(before_set, after_set);
                    assert_eq!(row["comparability"], code, "{year} {indicator}");
                    assert_eq!(
                        row["change"],
                        (after - before).to_string(),
                        "{year} {indicator}"
                    );
                    assert_eq!(row["change_percent"], percent(before, after));
                    assert_eq!(row["reason"], "");
                    computed += 1;
                }
                _ => {
                    assert_eq!(row["comparability"], "missing", "{year} {indicator}");
                    assert_eq!(row["change"], "");
                }
            }
        }
    }
    assert!(computed >= 12, "most indicators compare: {computed}");

    // Blank is not 0: 行政许可 left blank everywhere in 2022 is no total; 行政处罚 written 0 is
    // a total of 0, and 0 → 0 is a change of 0 without a percentage.
    let blank = &rows[&(2022, "licensing.decisions".to_string())];
    assert_eq!(
        (blank["value"].as_str(), blank["townships"].as_str()),
        ("", "")
    );
    let zero = &rows[&(2022, "penalty.decisions".to_string())];
    assert_eq!(zero["value"], "0");
    assert_eq!(zero["townships"], "alpha beta gamma");
    assert_eq!(
        (zero["change"].as_str(), zero["change_percent"].as_str()),
        ("0", "")
    );

    // 2018 (2014 form) → 2019 (2019 form) is ≈ for these indicators: no change, and why.
    for indicator in ["apps.new_received", "review.total", "litigation.total"] {
        let row = &rows[&(2019, indicator.to_string())];
        assert_eq!(row["change"], "", "{indicator}");
        assert!(
            row["reason"].contains("口径不同：2018 年（2014年版表格）与 2019 年（2019年版表格）"),
            "{indicator}: {}",
            row["reason"]
        );
        // 丁镇 was merged after 2018: the townships differ too, and the reason says so.
        assert!(
            row["reason"].contains("2019 年缺 丁镇（已撤并）"),
            "{}",
            row["reason"]
        );
        assert_eq!(row["comparability"], "different_townships");
    }

    // The JSON twin holds the same rows.
    let json: serde_json::Value = serde_json::from_str(&read(&out, "county/totals.json")).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), rows.len());
    for item in list {
        let key = (
            item["year"].as_u64().unwrap() as u16,
            item["indicator"].as_str().unwrap().to_string(),
        );
        let row = &rows[&key];
        let value = match &item["value"] {
            serde_json::Value::Null => String::new(),
            v => v.to_string(),
        };
        assert_eq!(value, row["value"], "{key:?}");
        let slugs: Vec<&str> = item["townships"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(slugs.join(" "), row["townships"]);
        let change = match &item["change"] {
            serde_json::Value::Null => String::new(),
            v => v.to_string(),
        };
        assert_eq!(change, row["change"], "{key:?}");
        assert_eq!(item["reason"].as_str().unwrap(), row["reason"]);
    }
}

/// A point's x position and title in a chart's SVG, by year.
fn points(svg: &str) -> BTreeMap<u16, (String, String)> {
    svg.split("<circle class=\"point\" ")
        .skip(1)
        .map(|p| {
            let cx = p.split("cx=\"").nth(1).unwrap().split('"').next().unwrap();
            let title = p
                .split("<title>")
                .nth(1)
                .unwrap()
                .split("</title>")
                .next()
                .unwrap();
            let year = title.split('年').next().unwrap().parse().unwrap();
            (year, (cx.to_string(), title.to_string()))
        })
        .collect()
}

/// The (x1, x2) of each line segment of a chart.
fn segments(svg: &str) -> Vec<(String, String)> {
    svg.split("<line class=\"line\" ")
        .skip(1)
        .map(|l| {
            let attr = |name: &str| {
                l.split(&format!("{name}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_string()
            };
            (attr("x1"), attr("x2"))
        })
        .collect()
}

#[test]
fn the_county_chart_breaks_where_the_townships_change_and_each_point_says_how_many() {
    let c = content();
    let f = site(&c);
    let (_tmp, out) = build(&f);
    let page = read(&out, "county/index.html");
    let start = page
        .find("<svg class=\"chart\" id=\"chart-county-apps-new_received\"")
        .expect("the chart of 本年新收政府信息公开申请数");
    let svg = &page[start..start + page[start..].find("</svg>").unwrap()];
    let points = points(svg);
    assert_eq!(
        points.keys().copied().collect::<Vec<_>>(),
        (2018..=2023).collect::<Vec<_>>()
    );
    for (year, (_, title)) in &points {
        let (slugs, sum) = expected_total(&c, *year, "apps.new_received");
        let of = if *year <= 2018 { 4 } else { 3 };
        assert_eq!(
            *title,
            format!(
                "{year}年：{}件（{}/{of} 个乡镇）",
                sum.unwrap(),
                slugs.len()
            ),
        );
    }
    let joined =
        |a: u16, b: u16| segments(svg).contains(&(points[&a].0.clone(), points[&b].0.clone()));
    assert!(!joined(2018, 2019), "≈: not joined");
    assert!(
        !joined(2019, 2020),
        "丙街道 missing in 2020: the line breaks"
    );
    assert!(
        !joined(2020, 2021),
        "…and is not joined to its return either"
    );
    assert!(
        joined(2021, 2022),
        "the same townships in one format: joined"
    );
    assert!(
        joined(2022, 2023),
        "the same townships, formats graded =: joined"
    );
    assert_eq!(segments(svg).len(), 2);
    assert!(svg.contains("2020年 "), "the description lists the year");
    assert!(svg.contains("（2/3 个乡镇）"), "{svg}");

    // The table says the same: n/m per total, the change or why not.
    let table = &page[page.find("<table class=\"compare\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let row = |year: u16| {
        let s = &table[table.find(&format!(">{year}</a></th>")).unwrap()..];
        s[..s.find("</tr>").unwrap()].to_string()
    };
    let (_, sum2020) = expected_total(&c, 2020, "apps.new_received");
    assert!(
        row(2020).contains(&format!(
            "{}<span class=\"change\">2/3 个乡镇</span><span class=\"change\">乡镇不同：2020 年缺 丙街道（未发布）</span>",
            sum2020.unwrap()
        )),
        "{}",
        row(2020)
    );
    let (_, before) = expected_total(&c, 2021, "apps.new_received");
    let (_, after) = expected_total(&c, 2022, "apps.new_received");
    let (before, after) = (before.unwrap(), after.unwrap());
    let change = format!(
        "{:+}（{:+.1}%）",
        after - before,
        percent(before, after).parse::<Decimal>().unwrap()
    );
    assert!(
        row(2022).contains(&format!("{after}<span class=\"change\">3/3 个乡镇</span><span class=\"change\">比上年 {change}</span>")),
        "{}",
        row(2022)
    );
    assert!(
        page.contains("county/totals.csv"),
        "the page links its data"
    );

    // The year page's totals row says how many townships each total covers.
    let year = read(&out, "2020/index.html");
    let foot = &year[year.find("<tfoot>").unwrap()..];
    let foot = &foot[..foot.find("</tfoot>").unwrap()];
    assert!(
        foot.contains(&format!(
            "{}<span class=\"change\">2/3 个乡镇</span>",
            sum2020.unwrap()
        )),
        "{foot}"
    );
}
