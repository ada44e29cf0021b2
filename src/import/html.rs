//! Saved HTML pages of published reports: the text in reading order, data tables expanded into
//! grids (rowspan/colspan repeated into every covered position), `<br>` and `&nbsp;` handled.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::source::{Grid, Place, Source, Text};
use super::text::from_lines;

const SKIPPED: &[&str] = &[
    "script", "style", "head", "noscript", "template", "select", "button",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "tr",
    "section",
    "article",
    "center",
    "blockquote",
    "pre",
    "header",
    "footer",
    "form",
    "hr",
    "caption",
    "main",
    "nav",
    "aside",
    "address",
    "figure",
    "figcaption",
    "body",
];

struct Walker {
    lines: Vec<Option<Text>>,
    paragraphs: usize,
    current: String,
    tables: Vec<Grid>,
    images: Vec<Text>,
}

impl Walker {
    fn flush(&mut self) {
        let text = tidy(&std::mem::take(&mut self.current));
        if !text.is_empty() {
            self.paragraphs += 1;
            let n = self.paragraphs;
            self.lines.push(Some(Text::new(text, Place::Paragraph(n))));
        }
    }

    fn walk(&mut self, node: NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(t) => self.current.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name) {
                    return;
                }
                match name {
                    "br" => self.flush(),
                    "img" => {
                        let what = e
                            .attr("alt")
                            .filter(|a| !a.is_empty())
                            .or(e.attr("src"))
                            .unwrap_or("（无说明）");
                        let n = self.images.len() + 1;
                        self.images.push(Text::new(what, Place::Image(n)));
                    }
                    "table" if !has_descendant_table(node) => self.table(node),
                    _ => {
                        let block = BLOCKS.contains(&name)
                            || name == "table"
                            || name == "td"
                            || name == "th";
                        if block {
                            self.flush();
                        }
                        for child in node.children() {
                            self.walk(child);
                        }
                        if block {
                            self.flush();
                        }
                    }
                }
            }
            _ => {
                for child in node.children() {
                    self.walk(child);
                }
            }
        }
    }

    /// A data table: a metadata table (索引号 …) becomes lines, anything else a grid.
    fn table(&mut self, node: NodeRef<'_, Node>) {
        self.flush();
        let number = self.tables.len() + 1;
        let grid = expand(node, number);
        let is_meta = grid.iter().flatten().any(|c| c.text.starts_with("索引号"))
            || grid.first().is_some_and(|r| key_row(r));
        if is_meta {
            // Keys printed in one row and their values in the row under it.
            if grid.len() >= 2
                && grid
                    .chunks(2)
                    .all(|p| key_row(&p[0]) && p.get(1).is_none_or(|v| !key_row(v)))
            {
                for pair in grid.chunks(2) {
                    let [keys, values] = pair else { continue };
                    for (k, v) in keys.iter().zip(values) {
                        if !k.text.is_empty() {
                            self.current =
                                format!("{}: {}", k.text.trim_end_matches([':', '：']), v.text);
                            self.flush();
                        }
                    }
                }
                return;
            }
            for row in grid {
                let mut cells: Vec<String> = row.into_iter().map(|c| c.text).collect();
                cells.dedup();
                self.current = cells.join(" ");
                self.flush();
            }
            return;
        }
        self.lines.push(None);
        self.tables.push(grid);
    }
}

/// A row of metadata keys only (`索引号 | 发布机构 | 发布日期`): the first row of a metadata
/// table printed as keys over values.
fn key_row(row: &[Text]) -> bool {
    let cells: Vec<&Text> = row.iter().filter(|c| !c.text.is_empty()).collect();
    cells.len() >= 2
        && cells
            .iter()
            .all(|c| super::text::meta_key(&c.text).is_some())
}

fn has_descendant_table(node: NodeRef<'_, Node>) -> bool {
    node.descendants()
        .skip(1)
        .any(|d| matches!(d.value(), Node::Element(e) if e.name() == "table"))
}

/// Collapse whitespace (and `&nbsp;`); a break between two Chinese characters is dropped, since
/// source HTML wraps lines anywhere.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{00A0}' || c == '\u{3000}' {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            let prev_ascii = out.chars().last().is_some_and(|p| p.is_ascii());
            if prev_ascii || c.is_ascii() {
                out.push(' ');
            }
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// The text of a cell: `<br>` and block children become spaces (labels are compared without
/// spaces; figures are trimmed).
fn cell_text(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        match d.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" || BLOCKS.contains(&e.name()) => out.push(' '),
            _ => {}
        }
    }
    tidy(&out)
}

/// The rows of a table with spans expanded: a cell with rowspan/colspan fills every position it
/// covers, so that each grid row has one entry per printed column.
fn expand(table: NodeRef<'_, Node>, number: usize) -> Grid {
    let rows = table
        .descendants()
        .filter(|d| matches!(d.value(), Node::Element(e) if e.name() == "tr"));
    let mut grid: Vec<Vec<Option<Text>>> = Vec::new();
    for (r, tr) in rows.enumerate() {
        if grid.len() <= r {
            grid.resize(r + 1, Vec::new());
        }
        let mut col = 0;
        for td in tr.children() {
            let Node::Element(e) = td.value() else {
                continue;
            };
            if e.name() != "td" && e.name() != "th" {
                continue;
            }
            let span = |name: &str| {
                e.attr(name)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .filter(|&n| n >= 1)
                    .unwrap_or(1)
                    .min(100)
            };
            let (rowspan, colspan) = (span("rowspan"), span("colspan"));
            while grid[r].get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let text = cell_text(td);
            for rr in r..r + rowspan {
                if grid.len() <= rr {
                    grid.resize(rr + 1, Vec::new());
                }
                for cc in col..col + colspan {
                    if grid[rr].len() <= cc {
                        grid[rr].resize(cc + 1, None);
                    }
                    grid[rr][cc] = Some(Text::new(
                        text.clone(),
                        Place::Table {
                            table: number,
                            row: r + 1,
                            col: col + 1,
                        },
                    ));
                }
            }
            col += colspan;
        }
    }
    grid.into_iter()
        .map(|row| row.into_iter().map(Option::unwrap_or_default).collect())
        .filter(|row: &Vec<Text>| !row.is_empty())
        .collect()
}

/// Read a saved report page. Pure: no I/O.
pub fn parse_html(html: &str) -> Source {
    let doc = Html::parse_document(html);
    let mut walker = Walker {
        lines: Vec::new(),
        paragraphs: 0,
        current: String::new(),
        tables: Vec::new(),
        images: Vec::new(),
    };
    walker.walk(doc.tree.root());
    walker.flush();
    let mut source = from_lines(walker.lines, walker.tables);
    for grid in source.tables.clone() {
        super::text::scan_grid_texts(&grid, &mut source);
    }
    source.images = walker.images;
    source.kind = "网页（HTML）".to_string();
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_expanded_and_breaks_kept_out_of_labels() {
        let html = "<table><tr><td rowspan=2>三、本年度<br>办理结果</td><td>（一）予以公开</td><td>1</td></tr><tr><td>（二）部分公开</td><td>&nbsp;</td></tr></table>";
        let s = parse_html(html);
        let g = &s.tables[0];
        assert_eq!(g[1][0].text, "三、本年度办理结果");
        assert_eq!(g[1][1].text, "（二）部分公开");
        assert_eq!(g[1][2].text, "");
        assert_eq!(g[0][2].text, "1");
    }

    #[test]
    fn a_table_flattened_into_paragraphs_is_still_a_table() {
        let html = "<p>统计指标 | 单位 | 统计数 |</p><p>(一)主动公开政府信息数 | 条 | 147 |</p><p>正文。</p>";
        let s = parse_html(html);
        assert_eq!(s.tables.len(), 1);
        assert_eq!(s.tables[0][1][2].text, "147");
        assert_eq!(s.blocks[0].text, "正文。");
    }

    #[test]
    fn text_metadata_and_title() {
        let html = "<html><body><table><tr><td>索引号：</td><td>1/2019-2</td></tr></table><h1>甲镇2018年度政府信息公开工作年度报告</h1><p>第一段\n文字。</p><img alt=\"统计表\"></body></html>";
        let s = parse_html(html);
        assert_eq!(s.meta[0].1.text, "1/2019-2");
        assert_eq!(
            s.title.unwrap().text,
            "甲镇2018年度政府信息公开工作年度报告"
        );
        assert_eq!(s.blocks[0].text, "第一段文字。");
        assert_eq!(s.images.len(), 1);
        assert!(s.tables.is_empty());
    }

    #[test]
    fn metadata_printed_as_keys_over_values_keeps_its_values() {
        let s = parse_html(
            "<table><tr><td>索引号</td><td>发布机构</td><td>发布日期：</td></tr><tr><td>1/2026-5</td><td>甲镇人民政府</td><td>2026-01-22</td></tr></table><h1>甲镇2025年政府信息公开工作年度报告</h1><p>正文。</p>",
        );
        let meta: Vec<(&str, &str)> = s
            .meta
            .iter()
            .map(|(k, v)| (k.as_str(), v.text.as_str()))
            .collect();
        assert_eq!(
            meta,
            [
                ("索引号", "1/2026-5"),
                ("发布机构", "甲镇人民政府"),
                ("发布日期", "2026-01-22")
            ]
        );
        assert!(s.tables.is_empty());
    }
}
