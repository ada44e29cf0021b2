//! Reading the figures of a format's table out of the grids of a source, by the catalog's
//! printed labels: a row is taken only when its label matches, a value only when it is plainly
//! a number in the right place.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::hazards::{Finding, Level};
use super::labels::{Figure, figure, key};
use super::source::{Grid, Text};
use crate::schema::{Format, Layout};

/// Units printed in the unit column of a 2014-edition table, or after a figure.
const UNITS: &[&str] = &[
    "条", "件", "次", "篇", "个", "人", "人次", "万元", "元", "项", "处",
];

/// Whether a cell is a unit.
pub(super) fn is_unit(text: &str) -> bool {
    UNITS.contains(&key(text).as_str())
}

/// Known printed variants (FORMATS.md §2.1, §3): (format, variant label, catalog label).
const VARIANTS: &[(&str, &str, &str)] = &[
    ("gov-2021", "规范性文件", "行政规范性文件"),
    ("gov-2019", "行政规范性文件", "规范性文件"),
];

/// The figures of one format read from a source's grids.
#[derive(Debug, Clone)]
pub struct Matched {
    /// One slot per catalog cell; `None` is blank.
    pub values: Vec<Option<Decimal>>,
    /// A comment for the cell's line in stats.yaml (what the importer did there).
    pub notes: Vec<Option<String>>,
    /// What was noticed.
    pub findings: Vec<Finding>,
    /// Catalog rows whose label was found.
    pub rows_found: usize,
    /// What became of each printed row: one list per grid, one entry per row, in print order
    /// (for the import report's line-by-line listing).
    pub fates: Vec<Vec<Fate>>,
}

/// What became of one printed row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Its figures went to these indicators of stats.yaml (a blank cell as `~`).
    Read(Vec<String>),
    /// Headings and labels only: no figure in it.
    Heading,
    /// It has figures that were not imported; a finding on its line says why.
    NotRead,
}

/// Where a printed row label leads: the catalog tables and rows with that label (the 2014
/// edition prints `(二)被依法纠错数` under both 四 and 五).
type RowIndex = HashMap<String, Vec<(usize, usize)>>;

fn row_index(format: &Format) -> RowIndex {
    let mut index = RowIndex::new();
    for (t, table) in format.tables.iter().enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            if !row.label.is_empty() {
                index.entry(key(&row.label)).or_default().push((t, r));
            }
        }
    }
    for (fmt, variant, label) in VARIANTS {
        if *fmt == format.id
            && let Some(at) = index.get(&key(label)).cloned()
        {
            index.entry(key(variant)).or_insert(at);
        }
    }
    index
}

/// The index key of a printed cell that is a catalog label followed by a bracketed note
/// (`规范性文件（行政机关制定发布的……）`: some counties print the form's guidance after the
/// label), and that note. Only asked when no cell of the row is a catalog label as printed.
fn noted_label(index: &RowIndex, text: &str) -> Option<(String, String)> {
    let (label, note) = trailing_note(text)?;
    let label = key(label);
    index
        .contains_key(&label)
        .then(|| (label, note.to_string()))
}

/// `text` split before a bracketed note that ends it (`（`…`）` or `(`…`)`, brackets balanced
/// inside), with a label of at least two characters before it.
fn trailing_note(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_end();
    let mut depth = 0usize;
    for (at, c) in text.char_indices().rev() {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    let label = text[..at].trim_end();
                    let note = &text[at..];
                    return (label.chars().count() >= 2 && note.chars().count() > 2)
                        .then_some((label, note));
                }
            }
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// The printed label of the first catalog row behind an index entry.
fn label_text<'f>(format: &'f Format, rows: &[(usize, usize)]) -> &'f str {
    rows.first()
        .map_or("", |&(t, r)| format.tables[t].rows[r].label.as_str())
}

/// The catalog row a printed label stands for: the first one not taken yet after the last row
/// read (rows come in official order), else the first one not taken yet.
fn pick(
    candidates: &[(usize, usize)],
    taken: &HashMap<(usize, usize), Text>,
    last: Option<(usize, usize)>,
) -> Result<(usize, usize), (usize, usize)> {
    let free = |at: &&(usize, usize)| !taken.contains_key(at);
    candidates
        .iter()
        .filter(free)
        .find(|at| last.is_none_or(|l| **at > l))
        .or_else(|| candidates.iter().find(free))
        .copied()
        .ok_or(candidates[0])
}

/// Whether a printed text is a row label, a column heading or a table caption of any format
/// (`规范性文件`, `本年新制作数量`, `第二十条第(一)项`): a line of a table copied one cell per line.
pub(super) fn is_catalog_text(text: &str) -> bool {
    let k = key(text);
    catalog_keys().contains(&k) || (k.starts_with("第二十条第") && k.chars().count() <= 12)
}

/// Two or more labels of the formats run together with nothing between them
/// (`信息内容本年新制作数量本年新公开数量对外公开总数量`, a table's header row copied with its cell
/// borders lost), as the labels' comparison keys; `None` when the text is not spelled by labels.
pub(super) fn run_together_labels(text: &str) -> Option<Vec<String>> {
    let k = key(text);
    let keys = catalog_keys();
    // Byte offsets of the key's characters, and its end.
    let bounds: Vec<usize> = k.char_indices().map(|(i, _)| i).chain([k.len()]).collect();
    // parts[e]: the fewest labels that spell the key up to bounds[e], and the bound where the
    // last of them starts. No label is longer than the longest key: a paragraph costs no more
    // than a header row.
    let longest = longest_catalog_key();
    let mut parts: Vec<Option<(usize, usize)>> = vec![None; bounds.len()];
    parts[0] = Some((0, 0));
    for e in 1..bounds.len() {
        parts[e] = (e.saturating_sub(longest)..e)
            .filter_map(|s| {
                let (n, _) = parts[s]?;
                keys.contains(&k[bounds[s]..bounds[e]])
                    .then_some((n + 1, s))
            })
            .min();
    }
    let last = bounds.len() - 1;
    let (n, _) = parts[last]?;
    if n < 2 {
        return None;
    }
    let mut labels = Vec::with_capacity(n);
    let mut e = last;
    while e > 0 {
        let (_, s) = parts[e]?;
        labels.push(k[bounds[s]..bounds[e]].to_string());
        e = s;
    }
    labels.reverse();
    Some(labels)
}

/// The length in characters of the longest of [`catalog_keys`].
fn longest_catalog_key() -> usize {
    static LONGEST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LONGEST.get_or_init(|| {
        catalog_keys()
            .iter()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0)
    })
}

/// The comparison keys of every printed label, column heading, caption and corner note of the
/// formats.
fn catalog_keys() -> &'static std::collections::HashSet<String> {
    static KEYS: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = std::collections::HashSet::new();
        for f in crate::schema::formats() {
            for t in &f.tables {
                keys.insert(key(&t.title));
                keys.extend(t.columns.iter().map(|c| key(&c.label)));
                keys.extend(t.rows.iter().map(|r| key(&r.label)));
                // The corner note and the group headings are cells of the printed header too.
                keys.extend(t.corner.iter().map(|c| key(c)));
                keys.extend(
                    t.columns
                        .iter()
                        .flat_map(|c| c.group.iter().map(|g| key(g))),
                );
                keys.extend(t.rows.iter().flat_map(|r| r.group.iter().map(|g| key(g))));
            }
        }
        keys.extend(VARIANTS.iter().map(|(_, v, _)| key(v)));
        keys.extend(["统计指标", "单位", "统计数", "信息内容"].map(key));
        keys.remove("");
        keys
    })
}

/// A report section heading that names a statistics table (`三、收到和处理政府信息公开申请情况`):
/// a numbered heading of the narrative printed just above or below a table, never a cell of it.
pub(super) fn is_section_heading(text: &str) -> bool {
    static TITLES: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    let titles = TITLES.get_or_init(|| {
        let mut titles = std::collections::HashSet::new();
        for f in crate::schema::formats() {
            titles.extend(f.tables.iter().map(|t| key(&t.title)));
        }
        titles.extend(
            [
                "总体情况",
                "主动公开政府信息情况",
                "存在的主要问题及改进情况",
                "其他需要报告的事项",
            ]
            .map(key),
        );
        titles.remove("");
        titles
    });
    let k = key(text.trim_matches(|c: char| c == '|' || c.is_whitespace()));
    let rest = k.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c));
    rest.len() < k.len() && rest.strip_prefix('、').is_some_and(|r| titles.contains(r))
}

/// How many printed row labels of `format` the grids contain (for format detection).
pub(super) fn label_hits(format: &Format, grids: &[Grid]) -> usize {
    let index = row_index(format);
    let mut seen = std::collections::HashSet::new();
    for cell in grids.iter().flatten().flatten() {
        let found = index
            .get(&key(&cell.text))
            .or_else(|| noted_label(&index, &cell.text).and_then(|(label, _)| index.get(&label)));
        if let Some(at) = found {
            seen.extend(at.iter().copied());
        }
    }
    seen.len()
}

/// Read the figures of `format` from the grids.
pub(super) fn match_tables(format: &'static Format, grids: &[Grid]) -> Matched {
    let mut m = Matched {
        values: vec![None; format.cells.len()],
        notes: vec![None; format.cells.len()],
        findings: Vec::new(),
        rows_found: 0,
        fates: Vec::new(),
    };
    let index = row_index(format);
    let mut taken: HashMap<(usize, usize), Text> = HashMap::new();
    let mut last = None;
    for grid in grids {
        let yuan_fee_column = grid
            .iter()
            .flatten()
            .any(|c| key(&c.text) == key("本年收费金额（单位：元）"));
        let has_review = grid.iter().flatten().any(|c| key(&c.text) == "行政复议");
        let misordered = misordered_tables(format, grid);
        let value_col = grid
            .iter()
            .find_map(|r| r.iter().position(|c| key(&c.text) == "统计数"));
        for (t, at) in &misordered {
            m.findings.push(Finding::new(
                Level::Person,
                at,
                format!(
                    "「{}」表的栏目顺序与格式规定的不同，无法确定各数值所属的栏，该表未导入，请照原表手工填写",
                    format.tables[*t].title
                ),
            ));
        }
        let mut fates = Vec::with_capacity(grid.len());
        for row in grid {
            // A row with no figure in it is headings and labels, whatever else happens to it.
            let unread = if row
                .iter()
                .any(|c| matches!(figure(&c.text), Figure::Number { .. }))
            {
                Fate::NotRead
            } else {
                Fate::Heading
            };
            let label = row
                .iter()
                .rposition(|c| index.contains_key(&key(&c.text)))
                .map(|at| (at, (key(&row[at].text), None)))
                .or_else(|| {
                    row.iter().enumerate().rev().find_map(|(at, c)| {
                        let (label, note) = noted_label(&index, &c.text)?;
                        Some((at, (label, Some(note))))
                    })
                });
            let Some((label_at, (label_key, note))) = label else {
                let found = m.rows_found;
                if has_review {
                    review_row(format, row, &mut m);
                } else {
                    unmatched_row(row, &mut m);
                }
                fates.push(if m.rows_found > found {
                    review_ids(format)
                } else {
                    unread
                });
                continue;
            };
            if let Some(note) = note {
                m.findings.push(Finding::new(
                    Level::Warning,
                    &row[label_at].at,
                    format!(
                        "标签「{}」按格式中的指标「{}」导入：后面括号里的说明「{note}」不是格式中的文字，没有写入统计表（原文文件中保留）；请核对这一行是否就是该指标",
                        row[label_at].text,
                        label_text(format, &index[&label_key]),
                    ),
                ));
            }
            let at = match pick(&index[&label_key], &taken, last) {
                Ok(at) => at,
                Err(first) => {
                    m.findings.push(Finding::new(
                        Level::Person,
                        &row[label_at].at,
                        format!(
                            "指标行「{}」出现了两次（第一次在{}），只导入了第一次的数值，请核对",
                            row[label_at].text, taken[&first].at
                        ),
                    ));
                    fates.push(unread);
                    continue;
                }
            };
            last = Some(at);
            if misordered.iter().any(|(t, _)| *t == at.0) {
                fates.push(unread);
                continue;
            }
            taken.insert(at, row[label_at].clone());
            m.rows_found += 1;
            let rest = &row[label_at + 1..];
            let read = match format.tables[at.0].layout {
                Layout::List => {
                    let columns = Columns {
                        first: label_at + 1,
                        value: value_col,
                    };
                    list_row(format, at, &row[label_at], rest, columns, &mut m);
                    true
                }
                Layout::Grid => grid_row(format, at, &row[label_at], rest, yuan_fee_column, &mut m),
            };
            fates.push(if read {
                Fate::Read(row_ids(format, at))
            } else {
                unread
            });
        }
        m.fates.push(fates);
    }
    missing_tables(format, &taken, &mut m);
    m
}

/// Read the figures of `format` by indicator id (a `nianbao template` workbook's index sheet):
/// exact positions, no label matching; an id the format does not have is left to a person.
pub(super) fn match_by_id(format: &'static Format, by_id: &[(String, Text)]) -> Matched {
    let mut m = Matched {
        values: vec![None; format.cells.len()],
        notes: vec![None; format.cells.len()],
        findings: Vec::new(),
        rows_found: 0,
        fates: Vec::new(),
    };
    for (id, text) in by_id {
        match format.cell_index(id) {
            Some(cell) => {
                m.rows_found += 1;
                put(format, cell, text, &figure(&text.text), None, text, &mut m);
            }
            None => m.findings.push(
                Finding::new(
                    Level::Person,
                    &text.at,
                    format!(
                        "“指标位置”工作表中的指标 {id} 不属于 {} 格式，这一格的内容「{}」没有导入",
                        format.id, text.text
                    ),
                )
                .field(id),
            ),
        }
    }
    m
}

/// The indicator ids of a catalog row.
fn row_ids(format: &Format, at: (usize, usize)) -> Vec<String> {
    format.tables[at.0].rows[at.1]
        .cells
        .iter()
        .flatten()
        .map(|&cell| format.cells[cell].id.clone())
        .collect()
}

/// The ids of the review/litigation table's one data row.
fn review_ids(format: &Format) -> Fate {
    let ids = format
        .tables
        .iter()
        .position(|t| !t.row_labels)
        .map_or_else(Vec::new, |t| row_ids(format, (t, 0)));
    Fate::Read(ids)
}

fn unmatched_row(row: &[Text], m: &mut Matched) {
    let numbers: Vec<&Text> = row
        .iter()
        .filter(|c| matches!(figure(&c.text), Figure::Number { .. }))
        .collect();
    let Some(first) = numbers.first() else {
        return;
    };
    let label = row
        .iter()
        .find(|c| {
            !c.text.is_empty()
                && matches!(figure(&c.text), Figure::NotANumber(_))
                && !is_unit(&c.text)
        })
        .map_or("（无标签）".to_string(), |c| c.text.clone());
    let shown: Vec<&str> = numbers.iter().map(|c| c.text.as_str()).collect();
    m.findings.push(Finding::new(
        Level::Person,
        &first.at,
        format!(
            "这一行的标签「{label}」与统计表格式中的任何指标都对不上，其中的数值 {} 没有导入；请确认它属于哪个指标后手工填写",
            shown.join("、")
        ),
    ));
}

/// Grid tables whose column headings in this grid are printed in another order than the
/// catalog's (values are read by position, so such a table cannot be read safely).
fn misordered_tables(format: &Format, grid: &Grid) -> Vec<(usize, super::source::Place)> {
    let mut out: Vec<(usize, super::source::Place)> = Vec::new();
    for (t, table) in format.tables.iter().enumerate() {
        if table.layout != Layout::Grid || !table.row_labels {
            continue;
        }
        let columns: Vec<String> = table.columns.iter().map(|c| key(&c.label)).collect();
        for row in grid {
            let mut seen: Vec<usize> = Vec::new();
            for cell in row {
                let k = key(&cell.text);
                if k.chars().count() < 2 {
                    continue;
                }
                let hits: Vec<usize> = (0..columns.len())
                    .filter(|&i| {
                        columns[i] == k || (k.chars().count() >= 4 && columns[i].starts_with(&k))
                    })
                    .collect();
                if let [one] = hits.as_slice()
                    && seen.last() != Some(one)
                {
                    seen.push(*one);
                }
            }
            if seen.len() >= 2 && seen.windows(2).any(|w| w[0] >= w[1]) {
                out.push((t, row[0].at.clone()));
                break;
            }
        }
    }
    out
}

/// A 2014-edition row: label, then the unit and one value in any order (the seed prints the
/// 九 heading's value where the unit goes).
/// Where the cells after a row label are: the column of the first one, and the column headed
/// 统计数 when the table prints that heading.
#[derive(Clone, Copy)]
struct Columns {
    first: usize,
    value: Option<usize>,
}

fn list_row(
    format: &Format,
    at: (usize, usize),
    label: &Text,
    rest: &[Text],
    columns: Columns,
    m: &mut Matched,
) {
    let row = &format.tables[at.0].rows[at.1];
    let Some(Some(cell)) = row.cells.first().copied() else {
        return;
    };
    let id = format.cells[cell].id.clone();
    let mut unit: Option<&Text> = None;
    let mut figures: Vec<(&Text, Figure)> = Vec::new();
    let mut value_column = None;
    for (j, c) in rest.iter().enumerate().filter(|(_, c)| !c.text.is_empty()) {
        if j > 0 && is_span_copy(&rest[j - 1], c) {
            continue;
        }
        if is_unit(&c.text) && unit.is_none() {
            unit = Some(c);
        } else {
            let f = figure(&c.text);
            if matches!(f, Figure::NotANumber(ref mark) if is_dash(mark))
                && columns.value.is_some_and(|v| v != columns.first + j)
            {
                // `——` outside the 统计数 column marks "no unit" (2014 section rows).
                continue;
            }
            if !matches!(f, Figure::Blank) {
                value_column = Some(columns.first + j);
            }
            figures.push((c, f));
        }
    }
    let expected = format.cells[cell].unit.as_str();
    let printed = unit.map(|u| key(&u.text));
    if let (Some(p), Some(u)) = (&printed, unit)
        && !expected.is_empty()
        && p != expected
        && !(p == "元" && expected == "万元")
    {
        m.findings.push(
            Finding::new(
                Level::Warning,
                &u.at,
                format!(
                    "「{}」印的单位是「{p}」，格式规定为「{expected}」；数值照原样导入，请核对",
                    row.label
                ),
            )
            .field(&id),
        );
    }
    let numbers: Vec<&(&Text, Figure)> = figures
        .iter()
        .filter(|(_, f)| !matches!(f, Figure::Blank))
        .collect();
    match numbers.as_slice() {
        [] => {}
        [(text, f)] => {
            if let (Some(expected), Some(got)) = (columns.value, value_column)
                && expected != got
            {
                m.findings.push(
                    Finding::new(
                        Level::Warning,
                        &text.at,
                        format!(
                            "「{}」的数值「{}」没有印在“统计数”栏，而在第 {} 栏（可能错位）；已作为这一行的数值导入，请核对",
                            row.label,
                            text.text,
                            got + 1
                        ),
                    )
                    .field(&id),
                );
            }
            let unit_text = printed.filter(|p| p == "元");
            put(format, cell, text, f, unit_text.as_deref(), label, m);
        }
        _ => {
            let shown: Vec<&str> = numbers.iter().map(|(t, _)| t.text.as_str()).collect();
            m.findings.push(
                Finding::new(
                    Level::Person,
                    &numbers[0].0.at,
                    format!(
                        "「{}」一行有多个数值（{}），无法确定哪个是统计数，已留空",
                        row.label,
                        shown.join("、")
                    ),
                )
                .field(&id),
            );
            m.notes[cell] = Some(format!("原表此行有多个数值：{}", shown.join("、")));
        }
    }
}

/// A grid row: the label, then exactly one value cell per catalog column. False when the row
/// could not be read (a finding says why).
fn grid_row(
    format: &Format,
    at: (usize, usize),
    label: &Text,
    rest: &[Text],
    yuan_fee_column: bool,
    m: &mut Matched,
) -> bool {
    let table = &format.tables[at.0];
    let row = &table.rows[at.1];
    let printed = printed_cells(rest);
    let mut values = printed.as_slice();
    while values.len() > table.columns.len() && values.last().is_some_and(|c| c.text.is_empty()) {
        values = &values[..values.len() - 1];
    }
    if values.len() != table.columns.len() {
        m.findings.push(Finding::new(
            Level::Person,
            &label.at,
            format!(
                "「{}」一行有 {} 个数值栏，格式规定为 {} 栏；无法确定各数值所属的栏，整行未导入",
                row.label,
                values.len(),
                table.columns.len()
            ),
        ));
        return false;
    }
    for (position, (col, text)) in table.columns.iter().zip(values).enumerate() {
        let Some(Some(cell)) = row.cells.get(position).copied() else {
            continue;
        };
        let unit = (col.id == "amount_10k_yuan" && yuan_fee_column).then_some("元");
        put(format, cell, text, &figure(&text.text), unit, label, m);
    }
    true
}

/// Whether a mark is a dash or slash printed in place of a unit or figure.
fn is_dash(mark: &str) -> bool {
    !mark.is_empty()
        && mark
            .chars()
            .all(|c| matches!(c, '—' | '-' | '－' | '―' | '/' | '／'))
}

/// Whether `cell` is a copy of `before` made by a `colspan` (an HTML or Word table cell keeps the
/// place of the cell it copies): one printed cell, not two figures.
fn is_span_copy(before: &Text, cell: &Text) -> bool {
    matches!(cell.at, super::source::Place::Table { .. }) && before.at == cell.at
}

/// The cells of a row as printed: a cell spanning several columns counts once.
fn printed_cells(cells: &[Text]) -> Vec<Text> {
    let mut out: Vec<Text> = Vec::with_capacity(cells.len());
    for c in cells {
        if !out.last().is_some_and(|before| is_span_copy(before, c)) {
            out.push(c.clone());
        }
    }
    out
}

/// The one data row of the review/litigation table: 15 figures, no label.
fn review_row(format: &Format, row: &[Text], m: &mut Matched) {
    let Some(table) = format.tables.iter().find(|t| !t.row_labels) else {
        return;
    };
    let values: Vec<&Text> = row.iter().collect();
    if values.len() != table.columns.len()
        || values
            .iter()
            .any(|c| matches!(figure(&c.text), Figure::NotANumber(_)))
        || values.iter().all(|c| c.text.is_empty())
    {
        return;
    }
    let Some(cells) = table.rows.first().map(|r| r.cells.clone()) else {
        return;
    };
    m.rows_found += 1;
    for (cell, text) in cells.into_iter().zip(values) {
        if let Some(cell) = cell {
            put(format, cell, text, &figure(&text.text), None, text, m);
        }
    }
}

/// Store one figure, flagging everything doubtful and never fixing a figure silently.
fn put(
    format: &Format,
    cell: usize,
    text: &Text,
    f: &Figure,
    column_unit: Option<&str>,
    label: &Text,
    m: &mut Matched,
) {
    let spec = &format.cells[cell];
    let id = spec.id.clone();
    let (value, unit, normalised) = match f {
        Figure::Blank => return,
        Figure::NotANumber(raw) => {
            m.findings.push(
                Finding::new(
                    Level::Person,
                    &text.at,
                    format!(
                        "「{}」的内容「{raw}」不是数字，已留空（未填报）；如原意为 0，请手工改为 0",
                        spec.label
                    ),
                )
                .field(&id),
            );
            m.notes[cell] = Some(format!("原表为「{raw}」"));
            return;
        }
        Figure::Number {
            value,
            unit,
            normalised,
        } => (*value, unit.as_deref().or(column_unit), *normalised),
    };
    if normalised {
        m.findings.push(
            Finding::new(
                Level::Note,
                &text.at,
                format!(
                    "「{}」原文写作「{}」（全角数字或千位分隔符），按 {value} 导入（数值不变）",
                    spec.label, text.text
                ),
            )
            .field(&id),
        );
    }
    let Some(value) = unit_checked(spec, value, unit, text, m) else {
        return;
    };
    if value.is_sign_negative() && !value.is_zero() && !spec.signed {
        return refuse(
            m,
            cell,
            &id,
            text,
            format!(
                "「{}」不能为负数，原文为「{}」，已留空",
                spec.label, text.text
            ),
        );
    }
    let value = if value.scale() > 0 && !spec.decimal && value.fract().is_zero() {
        // A count shown with zero decimals (a `0.00` cell format) is the same whole number.
        m.findings.push(
            Finding::new(
                Level::Note,
                &text.at,
                format!(
                    "「{}」原文显示为「{}」，是个数，按 {} 导入（数值不变）",
                    spec.label,
                    text.text,
                    value.normalize()
                ),
            )
            .field(&id),
        );
        value.normalize()
    } else {
        value
    };
    if value.scale() > 0 && !spec.decimal {
        return refuse(
            m,
            cell,
            &id,
            text,
            format!(
                "「{}」是个数，不能有小数，原文为「{}」，已留空",
                spec.label, text.text
            ),
        );
    }
    if spec.heading {
        m.findings.push(
            Finding::new(
                Level::Warning,
                &label.at,
                format!("「{}」在格式中是标题行，原表却在这一行印了数值 {value}；已照原表保留，请核对它是否属于下面的某一行", spec.label),
            )
            .field(&id),
        );
        m.notes[cell] = Some("标题行上印有数值，照原表保留".to_string());
    }
    m.values[cell] = Some(value);
}

fn refuse(m: &mut Matched, cell: usize, id: &str, text: &Text, message: String) {
    m.findings
        .push(Finding::new(Level::Person, &text.at, message).field(id));
    m.notes[cell] = Some(format!("原表为「{}」", text.text));
}

/// A unit printed with the figure: 元 where the format says 万元 is converted exactly, and
/// said with both figures; any other disagreement leaves the cell blank for a person.
fn unit_checked(
    spec: &crate::schema::Cell,
    value: Decimal,
    unit: Option<&str>,
    text: &Text,
    m: &mut Matched,
) -> Option<Decimal> {
    let Some(unit) = unit else {
        return Some(value);
    };
    if unit == spec.unit || spec.unit.is_empty() {
        return Some(value);
    }
    if unit == "元" && spec.unit == "万元" {
        let converted = (value / Decimal::from(10_000)).normalize();
        m.findings.push(
            Finding::new(
                Level::Warning,
                &text.at,
                format!(
                    "「{}」原表以元为单位（{value} 元），格式规定为万元；已换算为 {converted} 万元（{value} 元 ÷ 10000），请核对",
                    spec.label
                ),
            )
            .field(&spec.id),
        );
        return Some(converted);
    }
    m.findings.push(
        Finding::new(
            Level::Person,
            &text.at,
            format!(
                "「{}」原文为「{}」，单位与格式规定的「{}」不同，无法换算，已留空",
                spec.label, text.text, spec.unit
            ),
        )
        .field(&spec.id),
    );
    None
}

/// Tables of the format of which no row was found: all blank, said once.
fn missing_tables(format: &Format, taken: &HashMap<(usize, usize), Text>, m: &mut Matched) {
    for (t, table) in format.tables.iter().enumerate() {
        if !table.row_labels {
            let has = table
                .rows
                .first()
                .and_then(|r| r.cells.first().copied().flatten())
                .is_some_and(|c| {
                    m.values[c..c + table.columns.len()]
                        .iter()
                        .any(Option::is_some)
                });
            if !has && m.rows_found > 0 {
                m.findings.push(Finding::new(
                    Level::Person,
                    &super::source::Place::Nowhere,
                    format!(
                        "原文中没有读到「{}」表的数值行，该表全部留空；如原表有数值请手工填写",
                        table.title
                    ),
                ));
            }
            continue;
        }
        let found = taken.keys().filter(|(tt, _)| *tt == t).count();
        let missing: Vec<&str> = table
            .rows
            .iter()
            .enumerate()
            .filter(|(r, row)| !row.label.is_empty() && !taken.contains_key(&(t, *r)))
            .map(|(_, row)| row.label.as_str())
            .collect();
        if found > 0 && !missing.is_empty() {
            m.findings.push(Finding::new(
                Level::Person,
                &super::source::Place::Nowhere,
                format!(
                    "「{}」表中没有读到这些行：{}（原文可能被截断或漏印），这些行留空；如原表有数值请手工填写",
                    table.title,
                    missing.join("、")
                ),
            ));
        }
        if found == 0 {
            m.findings.push(Finding::new(
                Level::Person,
                &super::source::Place::Nowhere,
                format!(
                    "原文中没有找到「{}」表，该表全部留空；如原表有此表请手工填写",
                    table.title
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::source::Place;

    fn row(cells: &[&str]) -> Vec<Text> {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| Text::new(*c, Place::Line(i + 1)))
            .collect()
    }

    #[test]
    fn a_trailing_bracketed_note_is_split_off_only_when_it_ends_the_label() {
        assert_eq!(
            trailing_note("规范性文件（含决定、通告（试行）等）"),
            Some(("规范性文件", "（含决定、通告（试行）等）"))
        );
        assert_eq!(
            trailing_note("规章 (市级填写) "),
            Some(("规章", "(市级填写)"))
        );
        assert_eq!(trailing_note("（一）收到申请数"), None);
        assert_eq!(trailing_note("行政许可"), None);
        assert_eq!(trailing_note("许（说明）"), None);
        assert_eq!(trailing_note("规章（）"), None);
        assert_eq!(trailing_note("规章说明）"), None);
    }

    #[test]
    fn a_label_followed_by_a_note_reads_as_the_form_row_and_says_so() {
        let f = crate::schema::format("gov-2019").unwrap();
        let grid = vec![
            row(&["规范性文件（以本单位名义印发的文件）", "6", "2", "9"]),
            row(&["其他文件（以本单位名义印发的文件）", "1", "1", "1"]),
        ];
        let m = match_tables(f, &[grid]);
        let value = |id: &str| m.values[f.cell_index(id).unwrap()].map(|v| v.to_string());
        assert_eq!(
            value("art20_1.normative_docs.new_made").as_deref(),
            Some("6")
        );
        assert_eq!(
            value("art20_1.normative_docs.public_total").as_deref(),
            Some("9")
        );
        assert_eq!(m.rows_found, 1);
        let said: Vec<&str> = m.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(
            said.iter()
                .any(|s| s.contains("按格式中的指标「规范性文件」导入")),
            "{said:?}"
        );
        assert!(
            said.iter().any(|s| s.contains(
                "「其他文件（以本单位名义印发的文件）」与统计表格式中的任何指标都对不上"
            )),
            "{said:?}"
        );
    }

    #[test]
    fn counts_with_zero_decimals_are_whole_and_fractions_are_refused() {
        let f = crate::schema::format("gov-2014").unwrap();
        let grid = vec![
            row(&["制发规范性文件总数", "件", "85.00"]),
            row(&["(一)收到申请数", "件", "2.5"]),
            row(&[
                "(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)",
                "万元",
                "1.50",
            ]),
        ];
        let m = match_tables(f, &[grid]);
        let v = |id: &str| m.values[f.cell_index(id).unwrap()].map(|d| d.to_string());
        assert_eq!(v("proactive.normative_docs_issued").as_deref(), Some("85"));
        assert_eq!(v("applications.received"), None);
        assert_eq!(v("org.budget").as_deref(), Some("1.50"));
        assert!(
            m.findings
                .iter()
                .any(|x| x.level == Level::Person && x.message.contains("2.5"))
        );
    }

    #[test]
    fn a_row_with_two_figures_is_left_blank() {
        let f = crate::schema::format("gov-2014").unwrap();
        let grid = vec![row(&["六、举报投诉数量", "件", "3", "4"])];
        let m = match_tables(f, &[grid]);
        assert_eq!(m.values[f.cell_index("complaints.total").unwrap()], None);
        assert!(m.findings.iter().any(|x| x.message.contains("多个数值")));
    }
}
