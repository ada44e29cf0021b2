//! Comparison tables and charts as template-ready values: text, classes, footnotes, SVG.

use serde::Serialize;

use super::chart::{self, Point};
use crate::plan::urls;
use crate::schema::compare::{Grade, Indicator};
use crate::schema::format;
use crate::site::Site;
use crate::site::compare::{
    Comparability, CompareRow, Measure, TownshipComparison, YearComparison, change_text,
};
use crate::site::totals::{CountyTotals, TotalCell, YearTotals};

/// `gov-2014` → `2014年版`.
pub(crate) fn format_short(format_id: &str) -> String {
    format_id
        .strip_prefix("gov-")
        .map_or_else(|| format_id.to_string(), |y| format!("{y}年版"))
}

#[derive(Debug, Serialize)]
struct YearHead {
    year: u16,
    format: String,
    boundary: bool,
    href: String,
}

#[derive(Debug, Serialize)]
struct Era {
    label: String,
    span: usize,
}

/// One cell of a comparison table.
#[derive(Debug, Serialize)]
pub(crate) struct CellText {
    text: String,
    /// `reported`, `blank` or `none`, plus `boundary` at a format change.
    class: String,
    /// Screen-reader text for blank and not-collected cells.
    sr: String,
    change: String,
    note: Option<usize>,
    /// Numeric value for client-side sorting (empty when there is none).
    sort: String,
}

fn measure_text(m: Measure) -> (String, &'static str, &'static str) {
    match m {
        Measure::Reported { value, blanks: 0 } => {
            (crate::site::figure::text(value), "reported", "")
        }
        Measure::Reported { value, .. } => (
            crate::site::figure::text(value) + "*",
            "reported partial",
            "",
        ),
        Measure::Blank => (String::new(), "blank", "未填报"),
        Measure::NotCollected => ("—".to_string(), "none", "未统计"),
    }
}

#[derive(Debug, Serialize)]
struct RowText {
    label: String,
    unit: String,
    cells: Vec<CellText>,
}

#[derive(Debug, Serialize)]
struct Group {
    title: String,
    rows: Vec<RowText>,
}

#[derive(Debug, Serialize)]
struct ChartView {
    title: String,
    svg: String,
}

/// A township's comparison, ready for the template.
#[derive(Debug, Serialize)]
pub(crate) struct TownshipCompareView {
    /// What the table shows, from the township's own format history.
    legend: String,
    years: Vec<YearHead>,
    eras: Vec<Era>,
    /// Left out of the context when no template reads it (see [`township_view`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<Group>>,
    /// The table's `<tbody>` groups as HTML, the same markup a template would make of `groups`.
    /// It holds no link that depends on the page's depth, so the page and its embed share it;
    /// drawing hundreds of cells through the template engine was most of a township page's time.
    body: String,
    notes: Vec<String>,
    charts: Vec<ChartView>,
}

/// Build the township comparison view; its rows as data (`groups`) only `with_groups`, for a
/// theme that draws the table itself.
pub(crate) fn township_view(
    slug: &str,
    name: &str,
    cmp: &TownshipComparison,
    with_groups: bool,
) -> TownshipCompareView {
    let years: Vec<YearHead> = cmp
        .years
        .iter()
        .map(|y| YearHead {
            year: y.year,
            format: match (&y.format, y.published) {
                (Some(f), _) => format_short(f),
                (None, true) => "无统计表".to_string(),
                (None, false) => "未发布".to_string(),
            },
            boundary: y.boundary,
            // A year without a report has no page to link to.
            href: if y.published {
                urls::report(y.year, slug)
            } else {
                String::new()
            },
        })
        .collect();
    let mut eras: Vec<Era> = Vec::new();
    for (i, y) in cmp.years.iter().enumerate() {
        let label = y.format.as_deref().and_then(format).map_or_else(
            || "无统计表".to_string(),
            |f| format!("{}表格", format_short(&f.id)),
        );
        match eras.last_mut() {
            Some(era) if i > 0 && !y.boundary => era.span += 1,
            _ => eras.push(Era { label, span: 1 }),
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for row in &cmp.rows {
        let title = group_title(row, cmp);
        let text = row_text(row, cmp);
        match groups.last_mut() {
            Some(g) if g.title == title => g.rows.push(text),
            _ => groups.push(Group {
                title,
                rows: vec![text],
            }),
        }
    }
    let charts = cmp
        .rows
        .iter()
        // A change over the years needs two years with a figure; one point is not a trend (and
        // a one-year archive would otherwise carry a chart per indicator of a single dot).
        .filter(|r| {
            r.indicator.key
                && r.cells
                    .iter()
                    .filter(|c| c.measure.value().is_some())
                    .count()
                    >= MIN_CHART_YEARS
        })
        .map(|r| {
            // Every year of the span, so that a year without a report is a visible gap.
            let first = cmp.years.first().map_or(0, |y| y.year);
            let last = cmp.years.last().map_or(0, |y| y.year);
            let points: Vec<Point> = (first..=last)
                .map(|year| {
                    let cell = cmp
                        .years
                        .iter()
                        .position(|y| y.year == year)
                        .map(|i| &r.cells[i]);
                    Point {
                        year,
                        value: cell.and_then(|c| c.measure.value()),
                        grade: cell.and_then(|c| c.grade),
                        joined: cell.is_some_and(|c| c.change.is_some()),
                        covers: None,
                    }
                })
                .collect();
            let title = format!("{name}：{}（{}）", r.indicator.label, r.indicator.unit);
            ChartView {
                svg: chart::line_chart(
                    &format!("chart-{}", r.indicator.id.replace('.', "-")),
                    &title,
                    &r.indicator.unit,
                    &points,
                ),
                title,
            }
        })
        .collect();
    let body = body_html(&groups, years.len() + 2);
    TownshipCompareView {
        legend: legend(cmp),
        years,
        eras,
        groups: with_groups.then_some(groups),
        body,
        notes: cmp.notes.clone(),
        charts,
    }
}

/// The legend of a township's comparison, from its real history: the years its table format
/// changed, the years it published nothing, the reports without a table.
fn legend(cmp: &TownshipComparison) -> String {
    let list = |years: Vec<u16>| {
        years
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join("、")
    };
    let changes: Vec<u16> = cmp
        .years
        .iter()
        .filter(|y| y.boundary)
        .map(|y| y.year)
        .collect();
    let mut text = match changes.len() {
        0 => "各年度的统计表格式相同。".to_string(),
        n => format!(
            "统计表格式在 {} 年度变化（共 {n} 次），表中以竖粗线标出。",
            list(changes)
        ),
    };
    let missing: Vec<u16> = cmp
        .years
        .iter()
        .filter(|y| !y.published)
        .map(|y| y.year)
        .collect();
    if !missing.is_empty() {
        text += &format!("{} 年度未发布报告。", list(missing));
    }
    let no_table: Vec<u16> = cmp
        .years
        .iter()
        .filter(|y| y.published && y.format.is_none())
        .map(|y| y.year)
        .collect();
    if !no_table.is_empty() {
        text += &format!("{} 年度的报告没有统计表。", list(no_table));
    }
    text + "“比上年”只在两个年度的数字含义相同时给出（同一种表格格式，或两种格式口径相同的指标）；口径不同处写“口径不同”，含未填报项的合计不比较。"
}

/// Years with a figure an indicator needs before its change over the years is drawn.
const MIN_CHART_YEARS: usize = 2;

/// The `<tbody>` of each group, `columns` wide (indicator, unit and one column a year).
fn body_html(groups: &[Group], columns: usize) -> String {
    let cells: usize = groups
        .iter()
        .flat_map(|g| &g.rows)
        .map(|r| r.cells.len())
        .sum();
    let mut h = String::with_capacity(256 + cells * 96);
    let mut number = itoa::Buffer::new();
    for g in groups {
        h.push_str("\n  <tbody>\n    <tr class=\"group\"><th scope=\"rowgroup\" colspan=\"");
        h.push_str(number.format(columns));
        h.push_str("\">");
        push_escaped(&mut h, &g.title);
        h.push_str("</th></tr>");
        for row in &g.rows {
            h.push_str("\n    <tr>\n      <th scope=\"row\">");
            push_escaped(&mut h, &row.label);
            h.push_str("</th>\n      <td class=\"unit\">");
            push_escaped(&mut h, &row.unit);
            h.push_str("</td>");
            for c in &row.cells {
                push_cell(&mut h, c, &mut number);
            }
            h.push_str("\n    </tr>");
        }
        h.push_str("\n  </tbody>");
    }
    h
}

fn push_cell(h: &mut String, c: &CellText, number: &mut itoa::Buffer) {
    h.push_str("\n      <td class=\"cell ");
    push_escaped(h, &c.class);
    h.push_str("\">");
    if c.sr.is_empty() {
        h.push_str("<span class=\"value\">");
        push_escaped(h, &c.text);
        h.push_str("</span>");
    } else {
        h.push_str("<span class=\"visually-hidden\">");
        push_escaped(h, &c.sr);
        h.push_str("</span><span aria-hidden=\"true\">");
        push_escaped(h, &c.text);
        h.push_str("</span>");
    }
    if let Some(note) = c.note.filter(|n| *n != 0) {
        let note = number.format(note);
        h.push_str("<sup class=\"note-ref\"><a href=\"#note-");
        h.push_str(note);
        h.push_str("\">注");
        h.push_str(note);
        h.push_str("</a></sup>");
    }
    if !c.change.is_empty() {
        h.push_str("<span class=\"change\"><span class=\"visually-hidden\">比上年</span>");
        push_escaped(h, &c.change);
        h.push_str("</span>");
    }
    h.push_str("</td>");
}

/// Escape text for HTML as the template engine does (`&`, `<`, `>`, `"`, `'`).
fn push_escaped(h: &mut String, text: &str) {
    crate::markup::push_escaped(h, text, Some("&#39;"));
}

fn group_title(row: &CompareRow, cmp: &TownshipComparison) -> String {
    if row.across_formats {
        return "跨格式可比的指标".to_string();
    }
    let format = cmp
        .years
        .iter()
        .zip(&row.cells)
        .find(|(_, c)| c.measure != Measure::NotCollected)
        .and_then(|(y, _)| y.format.clone())
        .unwrap_or_default();
    format!("仅{}表格统计的指标", format_short(&format))
}

fn row_text(row: &CompareRow, cmp: &TownshipComparison) -> RowText {
    RowText {
        label: row.indicator.label.clone(),
        unit: row.indicator.unit.clone(),
        cells: row
            .cells
            .iter()
            .zip(&cmp.years)
            .map(|(c, y)| {
                let (text, class, sr) = if y.published {
                    measure_text(c.measure)
                } else {
                    ("未发布".to_string(), "none unpublished", "该年度未发布报告")
                };
                CellText {
                    text,
                    class: if y.boundary {
                        format!("{class} boundary")
                    } else {
                        class.to_string()
                    },
                    sr: sr.to_string(),
                    change: crate::site::compare::change_text(c.comparability, c.change),
                    note: c.note,
                    sort: c
                        .measure
                        .value()
                        .map(crate::site::figure::text)
                        .unwrap_or_default(),
                }
            })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
struct IndicatorHead {
    label: String,
    unit: String,
}

fn heads(indicators: &[&Indicator]) -> Vec<IndicatorHead> {
    indicators
        .iter()
        .map(|i| IndicatorHead {
            label: i.label.clone(),
            unit: i.unit.clone(),
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct YearRowText {
    name: String,
    href: String,
    published: bool,
    format: String,
    cells: Vec<CellText>,
}

/// The text of a county total: the sum (empty when no township reported it, `—` when no
/// township's table collects it) and the townships it covers, 「3/4 个乡镇」.
fn total_text(cell: &TotalCell) -> CellText {
    let t = &cell.total;
    let text = match t.sum {
        Some(sum) => crate::site::figure::text(sum),
        None if t.collected > 0 => String::new(),
        None => "—".to_string(),
    };
    // A total no township's table collects covers nothing: `—` says it all.
    let mut change = if t.collected > 0 || t.sum.is_some() {
        cell.covers_text()
    } else {
        String::new()
    };
    if t.approximate {
        change.push_str("，含口径近似数");
    }
    CellText {
        sort: t.sum.map(crate::site::figure::text).unwrap_or_default(),
        sr: if t.sum.is_none() {
            "无数据".to_string()
        } else {
            String::new()
        },
        text,
        class: "total".to_string(),
        change,
        note: None,
    }
}

/// The townships of one year side by side, ready for the template.
#[derive(Debug, Serialize)]
pub(crate) struct YearCompareView {
    indicators: Vec<IndicatorHead>,
    rows: Vec<YearRowText>,
    totals: Vec<CellText>,
    has_approximate: bool,
}

/// Build the year comparison view.
pub(crate) fn year_view(
    site: &Site,
    year: u16,
    cmp: &YearComparison,
    totals: &YearTotals,
    keep: &dyn Fn(&str) -> bool,
) -> YearCompareView {
    let mut has_approximate = false;
    let rows = cmp
        .rows
        .iter()
        .filter(|row| keep(&row.township))
        .map(|row| {
            let township = site.township(&row.township);
            let report = site.report(year, &row.township);
            YearRowText {
                name: township.map_or_else(|| row.township.clone(), |t| t.name.clone()),
                href: if row.published {
                    urls::report(year, &row.township)
                } else {
                    urls::township(&row.township)
                },
                published: row.published,
                format: report
                    .and_then(|r| r.stats.as_ref())
                    .map_or_else(String::new, |s| format_short(&s.format.id)),
                cells: row
                    .cells
                    .iter()
                    .map(|&(m, grade)| {
                        let (text, class, sr) = measure_text(m);
                        let approx = grade == Some(Grade::Approximate) && m.value().is_some();
                        has_approximate |= approx;
                        CellText {
                            text: if approx { format!("{text} ≈") } else { text },
                            class: class.to_string(),
                            sr: sr.to_string(),
                            change: String::new(),
                            note: None,
                            sort: m.value().map(crate::site::figure::text).unwrap_or_default(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    YearCompareView {
        indicators: heads(&cmp.indicators),
        rows,
        totals: totals.cells.iter().map(total_text).collect(),
        has_approximate,
    }
}

/// One county total of the county table: the total with the townships it covers, and its
/// change from the previous year or why there is none.
#[derive(Debug, Serialize)]
struct CountyCell {
    #[serde(flatten)]
    total: CellText,
    /// 比上年: `+12（+3.0%）`.
    diff: String,
    /// Why the total is not compared with the previous year's (乡镇不同：…, 口径不同：…).
    reason: String,
}

#[derive(Debug, Serialize)]
struct CountyYear {
    year: u16,
    href: String,
    cells: Vec<CountyCell>,
}

/// County totals per year, with charts.
#[derive(Debug, Serialize)]
pub(crate) struct CountyView {
    indicators: Vec<IndicatorHead>,
    years: Vec<CountyYear>,
    charts: Vec<ChartView>,
}

/// Build the county view from the county totals: the table and one chart per indicator reported
/// in enough years, whose line joins two years exactly where the table gives a change.
pub(crate) fn county_view(region: &str, totals: &CountyTotals) -> CountyView {
    let years = totals
        .years
        .iter()
        .map(|y| CountyYear {
            year: y.year,
            href: urls::year(y.year),
            cells: y
                .cells
                .iter()
                .map(|cell| CountyCell {
                    total: total_text(cell),
                    diff: cell
                        .change
                        .map(|c| change_text(cell.comparability, Some(c)))
                        .unwrap_or_default(),
                    reason: match cell.comparability {
                        Comparability::DifferentTownships
                        | Comparability::DifferentDefinition
                        | Comparability::PartlyReported => cell.reason.clone(),
                        _ => String::new(),
                    },
                })
                .collect(),
        })
        .collect();
    let charts = totals
        .indicators
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            totals
                .years
                .iter()
                .filter(|y| y.cells[*i].total.sum.is_some())
                .count()
                >= MIN_CHART_YEARS
        })
        .map(|(i, ind)| {
            let points: Vec<Point> = totals
                .years
                .iter()
                .map(|y| {
                    let cell = &y.cells[i];
                    Point {
                        year: y.year,
                        value: cell.total.sum,
                        grade: Some(if cell.total.approximate {
                            Grade::Approximate
                        } else {
                            Grade::Same
                        }),
                        joined: cell.joined(),
                        covers: Some((cell.townships.len(), cell.of)),
                    }
                })
                .collect();
            let title = format!("{region}合计：{}（{}）", ind.label, ind.unit);
            ChartView {
                svg: chart::line_chart(
                    &format!("chart-county-{}", ind.id.replace('.', "-")),
                    &title,
                    &ind.unit,
                    &points,
                ),
                title,
            }
        })
        .collect();
    CountyView {
        indicators: heads(&totals.indicators),
        years,
        charts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, class: &str, sr: &str, change: &str, note: Option<usize>) -> CellText {
        CellText {
            text: text.into(),
            class: class.into(),
            sr: sr.into(),
            change: change.into(),
            note,
            sort: String::new(),
        }
    }

    /// The markup the template engine made of `groups` before the body was drawn in Rust.
    const TEMPLATE_LOOP: &str = r##"{%- for g in groups %}
  <tbody>
    <tr class="group"><th scope="rowgroup" colspan="{{ columns }}">{{ g.title }}</th></tr>
    {%- for row in g.rows %}
    <tr>
      <th scope="row">{{ row.label }}</th>
      <td class="unit">{{ row.unit }}</td>
      {%- for c in row.cells %}
      <td class="cell {{ c.class }}">{% if c.sr %}<span class="visually-hidden">{{ c.sr }}</span><span aria-hidden="true">{{ c.text }}</span>{% else %}<span class="value">{{ c.text }}</span>{% endif %}{% if c.note %}<sup class="note-ref"><a href="#note-{{ c.note }}">注{{ c.note }}</a></sup>{% endif %}{% if c.change %}<span class="change"><span class="visually-hidden">比上年</span>{{ c.change }}</span>{% endif %}</td>
      {%- endfor %}
    </tr>
    {%- endfor %}
  </tbody>
  {%- endfor %}"##;

    #[test]
    fn the_body_is_the_markup_the_template_made() {
        let groups = vec![
            Group {
                title: "跨格式可比的指标 & <其他> \"引\" '单'".into(),
                rows: vec![
                    RowText {
                        label: "申请数 <a> & 'x'".into(),
                        unit: "件".into(),
                        cells: vec![
                            cell("12", "reported", "", "+3", None),
                            cell("", "blank boundary", "未填报", "", Some(2)),
                            cell("—", "none", "未统计", "", Some(0)),
                            cell("5*", "reported partial", "", "−58.3% \"&\"", Some(11)),
                        ],
                    },
                    RowText {
                        label: "办结".into(),
                        unit: String::new(),
                        cells: vec![cell(
                            "未发布",
                            "none unpublished",
                            "该年度未发布报告",
                            "",
                            None,
                        )],
                    },
                ],
            },
            Group {
                title: "仅2014年版表格统计的指标".into(),
                rows: Vec::new(),
            },
        ];
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_template("loop.html", TEMPLATE_LOOP).unwrap();
        let mut context = tera::Context::new();
        context.insert("groups", &groups);
        context.insert("columns", &6);
        let by_template = tera.render("loop.html", &context).unwrap();
        assert_eq!(body_html(&groups, 6), by_template);
        assert!(by_template.contains("&#39;"), "{by_template}");
    }
}
