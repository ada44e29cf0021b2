//! The official table of a report as rows of cells, as printed: the one layout that the page,
//! the spreadsheets and the CSV all follow.
//!
//! Spans, scopes and blank cells are decided here, once, from the catalog; templates only loop.

use serde::Serialize;

use crate::schema::{Layout, Table};
use crate::site::Stats;

/// One printed cell.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CellView {
    /// Label or value text; empty for blank cells.
    pub text: String,
    /// A header cell (`<th>`).
    pub header: bool,
    /// `col`, `colgroup`, `row`, `rowgroup` or empty.
    pub scope: &'static str,
    /// Column span.
    pub colspan: usize,
    /// Row span.
    pub rowspan: usize,
    /// CSS classes.
    pub class: String,
    /// The indicator id of a value cell.
    pub id: String,
    /// A value cell with nothing reported.
    pub blank: bool,
    /// Numbers (from 1) of the rule findings shown beside this cell.
    pub notes: Vec<usize>,
}

impl CellView {
    pub(crate) fn header(text: &str, scope: &'static str, colspan: usize, rowspan: usize) -> Self {
        CellView {
            text: text.to_string(),
            header: true,
            scope,
            colspan,
            rowspan,
            class: String::new(),
            id: String::new(),
            blank: false,
            notes: Vec::new(),
        }
    }

    pub(crate) fn plain(text: &str, class: &str) -> Self {
        CellView {
            header: false,
            scope: "",
            class: class.to_string(),
            ..Self::header(text, "", 1, 1)
        }
    }
}

/// One printed table.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// The table id.
    pub id: String,
    /// Caption.
    pub title: String,
    /// `list` or `grid`.
    pub layout: &'static str,
    /// Header rows.
    pub head: Vec<Vec<CellView>>,
    /// Body rows.
    pub body: Vec<Vec<CellView>>,
}

/// Every table of a report's format, filled with its values.
pub fn tables(stats: &Stats) -> Vec<TableView> {
    stats
        .format
        .tables
        .iter()
        .map(|t| table(t, stats))
        .collect()
}

fn table(t: &Table, stats: &Stats) -> TableView {
    let (layout, head, body) = match t.layout {
        Layout::List => ("list", list_head(t), list_body(t, stats)),
        Layout::Grid => ("grid", grid_head(t), grid_body(t, stats)),
    };
    TableView {
        id: t.id.clone(),
        title: t.title.clone(),
        layout,
        head,
        body,
    }
}

/// The numbers (from 1) of the rule findings shown beside the value cell `cell`.
pub(crate) fn finding_numbers(stats: &Stats, cell: usize) -> impl Iterator<Item = usize> + '_ {
    // Findings are few (most reports have none): a scan per cell is cheaper than a map.
    (1..)
        .zip(&stats.findings)
        .filter(move |(_, f)| f.cell == cell)
        .map(|(n, _)| n)
}

fn value_cell(stats: &Stats, index: Option<usize>) -> CellView {
    let Some(i) = index else {
        return CellView::plain("", "num none");
    };
    let id = stats.format.cells[i].id.clone();
    let notes: Vec<usize> = finding_numbers(stats, i).collect();
    match stats.values[i] {
        Some(v) => CellView {
            id,
            notes,
            ..CellView::plain(&crate::site::figure::text(v), "num")
        },
        // A heading row's cell (一、主动公开情况) normally has no figure: its emptiness is the
        // form's, not an unreported figure, and it is drawn as part of the heading.
        None if stats.format.cells[i].heading => CellView {
            id,
            notes,
            ..CellView::plain("", "num heading")
        },
        None => CellView {
            id,
            blank: true,
            notes,
            ..CellView::plain("", "num blank")
        },
    }
}

fn list_head(t: &Table) -> Vec<Vec<CellView>> {
    vec![
        t.header
            .iter()
            .map(|h| CellView::header(h, "col", 1, 1))
            .collect(),
    ]
}

fn list_body(t: &Table, stats: &Stats) -> Vec<Vec<CellView>> {
    t.rows
        .iter()
        .map(|row| {
            let mut label = CellView::header(&row.label, "row", 1, 1);
            label.class = format!(
                "label level-{}{}",
                row.level,
                if row.heading { " heading" } else { "" }
            );
            let unit = CellView::plain(
                row.unit.as_deref().unwrap_or(""),
                if row.heading { "unit heading" } else { "unit" },
            );
            vec![
                label,
                unit,
                value_cell(stats, row.cells.first().copied().flatten()),
            ]
        })
        .collect()
}

/// Lengths of runs of equal keys: `run_starts(["a","a","b"]) = [Some(2), None, Some(1)]`.
fn run_starts<K: PartialEq>(keys: &[K]) -> Vec<Option<usize>> {
    let mut out = vec![None; keys.len()];
    let mut i = 0;
    while i < keys.len() {
        let mut j = i + 1;
        while j < keys.len() && keys[j] == keys[i] {
            j += 1;
        }
        out[i] = Some(j - i);
        i = j;
    }
    out
}

fn row_label_width(t: &Table) -> usize {
    if !t.row_labels {
        return 0;
    }
    t.rows.iter().map(|r| r.group.len() + 1).max().unwrap_or(1)
}

fn grid_head(t: &Table) -> Vec<Vec<CellView>> {
    let depth = t
        .columns
        .iter()
        .map(|c| c.group.len() + 1)
        .max()
        .unwrap_or(1);
    let label_width = row_label_width(t);
    let mut rows: Vec<Vec<CellView>> = vec![Vec::new(); depth];
    if label_width > 0 {
        let corner = t.corner.as_deref().unwrap_or("");
        rows[0].push(CellView::header(corner, "col", label_width, depth));
    }
    for (level, row) in rows.iter_mut().enumerate() {
        let keys: Vec<Option<&[String]>> = t
            .columns
            .iter()
            .map(|c| (level < c.group.len()).then(|| &c.group[..=level]))
            .collect();
        let runs = run_starts(&keys);
        for (j, col) in t.columns.iter().enumerate() {
            if level < col.group.len() {
                if let Some(span) = runs[j] {
                    let scope = if span > 1 { "colgroup" } else { "col" };
                    row.push(CellView::header(&col.group[level], scope, span, 1));
                }
            } else if level == col.group.len() {
                row.push(CellView::header(&col.label, "col", 1, depth - level));
            }
        }
    }
    rows
}

fn grid_body(t: &Table, stats: &Stats) -> Vec<Vec<CellView>> {
    let label_width = row_label_width(t);
    let depth = t.rows.iter().map(|r| r.group.len()).max().unwrap_or(0);
    let runs: Vec<Vec<Option<usize>>> = (0..depth)
        .map(|level| {
            let keys: Vec<Option<&[String]>> = t
                .rows
                .iter()
                .map(|r| (level < r.group.len()).then(|| &r.group[..=level]))
                .collect();
            run_starts(&keys)
        })
        .collect();
    t.rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = Vec::with_capacity(label_width + row.cells.len());
            if label_width > 0 {
                for (level, group) in row.group.iter().enumerate() {
                    if let Some(span) = runs[level][i] {
                        let mut c = CellView::header(group, "rowgroup", 1, span);
                        c.class = "label group".to_string();
                        cells.push(c);
                    }
                }
                let mut label =
                    CellView::header(&row.label, "row", label_width - row.group.len(), 1);
                label.class = "label".to_string();
                cells.push(label);
            }
            cells.extend(row.cells.iter().map(|&c| value_cell(stats, c)));
            cells
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;
    use rust_decimal::Decimal;

    fn stats(format: &str, set: &[(&str, i64)]) -> Stats {
        let f = schema::format(format).unwrap();
        let mut values = vec![None; f.cells.len()];
        for (id, v) in set {
            values[f.cell_index(id).unwrap()] = Some(Decimal::from(*v));
        }
        Stats {
            format: f,
            values,
            findings: Vec::new(),
        }
    }

    #[test]
    fn list_rows_follow_the_catalog_with_blanks() {
        let s = stats(
            "gov-2014",
            &[("proactive.total", 147), ("complaints.total", 0)],
        );
        let t = &tables(&s)[0];
        assert_eq!(t.body.len(), 65);
        assert_eq!(
            t.body[1][0].text,
            "(一)主动公开政府信息数 (不同渠道和方式公开相同信息计1条)"
        );
        assert_eq!(t.body[1][1].text, "条");
        assert_eq!(t.body[1][2].text, "147");
        assert!(t.body[5][2].blank);
        assert_eq!(t.body[5][2].text, "");
        let zero = t
            .body
            .iter()
            .find(|r| r[2].id == "complaints.total")
            .unwrap();
        assert_eq!((zero[2].text.as_str(), zero[2].blank), ("0", false));
    }

    #[test]
    fn application_table_spans_like_the_official_form() {
        let s = stats("gov-2019", &[]);
        let apps = tables(&s).into_iter().find(|t| t.id == "apps").unwrap();
        assert_eq!(apps.head.len(), 3);
        let corner = &apps.head[0][0];
        assert_eq!((corner.colspan, corner.rowspan), (3, 3));
        assert_eq!(apps.head[0][1].text, "申请人情况");
        assert_eq!(apps.head[0][1].colspan, 7);
        let legal = apps.head[1]
            .iter()
            .find(|c| c.text == "法人或其他组织")
            .unwrap();
        assert_eq!(legal.colspan, 5);
        let natural = apps.head[1].iter().find(|c| c.text == "自然人").unwrap();
        assert_eq!(natural.rowspan, 2);
        assert_eq!(apps.head[2].len(), 5);
        // 一、本年新收 spans all three label columns.
        assert_eq!(apps.body[0][0].colspan, 3);
        // 三、本年度办理结果 spans every outcome row of B (2 + 8 + 3 + 5 + 1 + 1 = 20).
        let outcome = apps.body[2]
            .iter()
            .find(|c| c.text == "三、本年度办理结果")
            .unwrap();
        assert_eq!(outcome.rowspan, 20);
        let denied = apps.body[4]
            .iter()
            .find(|c| c.text == "（三）不予公开")
            .unwrap();
        assert_eq!(denied.rowspan, 8);
        for row in &apps.body {
            let width: usize = row.iter().map(|c| c.colspan).sum();
            assert!(width <= 10);
        }
    }

    #[test]
    fn review_table_has_three_header_rows_and_no_labels() {
        let s = stats("gov-2021", &[("review.total", 7)]);
        let t = tables(&s)
            .into_iter()
            .find(|t| t.id == "review_litigation")
            .unwrap();
        assert_eq!(t.head.len(), 3);
        assert_eq!(t.head[0].len(), 2);
        assert_eq!(t.head[0][0].colspan, 5);
        assert_eq!(t.head[0][1].colspan, 10);
        assert_eq!(t.head[1][0].rowspan, 2);
        assert_eq!(t.body[0].len(), 15);
        assert!(t.body[0].iter().any(|c| c.text == "7"));
    }
}
