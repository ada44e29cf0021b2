//! An official table as HTML: the markup is fixed (themes style it with CSS), and writing it here
//! costs a fraction of a per-cell template loop.

use std::sync::Arc;

use serde::Serialize;

use crate::schema::{Format, PerFormat};
use crate::site::Stats;
use crate::site::table::{CellView, TableView};

/// A printed table as HTML, for templates: the markup of an official table is fixed (themes
/// style it with CSS), and building it here costs a fraction of a per-cell template loop.
#[derive(Debug, Clone, Serialize)]
pub struct TableHtml {
    /// The table id.
    pub id: String,
    /// Caption.
    pub title: String,
    /// `list` or `grid`.
    pub layout: &'static str,
    /// `<table>…</table>`.
    pub html: String,
}

impl TableView {
    /// The `<table>` element: caption, header rows with scopes and spans, body rows; blank
    /// value cells are empty for the eye and say 未填报 to screen readers.
    pub fn to_html(&self) -> TableHtml {
        let mut h = String::with_capacity(
            256 + 96 * self.body.len() * self.body.first().map_or(1, Vec::len),
        );
        write_table(self, &mut h, |h, c| push_cell(h, c, false));
        TableHtml {
            id: self.id.clone(),
            title: self.title.clone(),
            layout: self.layout,
            html: h,
        }
    }
}

/// Write `view` as HTML into `h`, handing each value cell (a body cell that is not a header and
/// has an indicator id) to `value`.
fn write_table(view: &TableView, h: &mut String, mut value: impl FnMut(&mut String, &CellView)) {
    h.push_str("<table class=\"official ");
    h.push_str(view.layout);
    h.push_str("\" id=\"table-");
    h.push_str(&escape(&view.id));
    h.push_str("\">\n<caption id=\"cap-");
    h.push_str(&escape(&view.id));
    h.push_str("\"><span class=\"caption-text\">");
    h.push_str(&escape(&view.title));
    h.push_str("</span></caption>\n<thead>");
    for row in &view.head {
        h.push_str("\n<tr>");
        for c in row {
            push_cell(h, c, true);
        }
        h.push_str("</tr>");
    }
    h.push_str("\n</thead>\n<tbody>");
    for row in &view.body {
        h.push_str("\n<tr>");
        for c in row {
            if is_value(c) {
                value(h, c);
            } else {
                push_cell(h, c, false);
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("\n</tbody>\n</table>");
}

/// A body cell that holds a figure (or its blank): the only cells that differ between two
/// reports of one format.
fn is_value(c: &CellView) -> bool {
    !c.header && !c.id.is_empty()
}

/// The HTML of every table of a report's format, filled with its values: the same bytes as
/// [`crate::site::table::tables`] then [`TableView::to_html`], from the format's markup made
/// once ([`Template`]) with only the value cells written per report.
pub(crate) fn tables_html(stats: &Stats) -> Vec<TableHtml> {
    match template(stats.format) {
        Some(template) => template.iter().map(|t| t.fill(stats)).collect(),
        None => crate::site::table::tables(stats)
            .iter()
            .map(TableView::to_html)
            .collect(),
    }
}

/// One table of a format as HTML pieces: the fixed markup, and a slot for each value cell.
struct Template {
    id: String,
    title: String,
    layout: &'static str,
    pieces: Vec<Piece>,
    /// The length of the markup without the value cells.
    fixed_len: usize,
}

enum Piece {
    Markup(String),
    /// A value cell: the cell's index in its format and its id, escaped for an attribute.
    Value {
        cell: usize,
        id: String,
    },
}

impl Template {
    fn fill(&self, stats: &Stats) -> TableHtml {
        let mut h = String::with_capacity(self.fixed_len + 64 * self.pieces.len());
        for piece in &self.pieces {
            match piece {
                Piece::Markup(markup) => h.push_str(markup),
                Piece::Value { cell, id } => push_value(&mut h, stats, *cell, id),
            }
        }
        TableHtml {
            id: self.id.clone(),
            title: self.title.clone(),
            layout: self.layout,
            html: h,
        }
    }
}

/// The value cell `cell` of `stats`, as [`push_cell`] writes the cell that
/// [`crate::site::table`] makes of it.
fn push_value(h: &mut String, stats: &Stats, cell: usize, id: &str) {
    let mut notes = crate::site::table::finding_numbers(stats, cell).peekable();
    let flagged = notes.peek().is_some();
    let value = stats.values.get(cell).copied().flatten();
    let heading = stats.format.cells.get(cell).is_some_and(|c| c.heading);
    h.push_str(match (value.is_some(), heading, flagged) {
        (true, _, false) => "<td class=\"num\" data-id=\"",
        (true, _, true) => "<td class=\"num flagged\" data-id=\"",
        (false, true, false) => "<td class=\"num heading\" data-id=\"",
        (false, true, true) => "<td class=\"num heading flagged\" data-id=\"",
        (false, false, false) => "<td class=\"num blank\" data-id=\"",
        (false, false, true) => "<td class=\"num blank flagged\" data-id=\"",
    });
    h.push_str(id);
    match value {
        Some(v) => {
            h.push_str("\">");
            crate::site::figure::push_str(h, v);
        }
        // A heading row's empty cell is the form's, not an unreported figure: nothing to say.
        None if heading => h.push_str("\">"),
        None => h.push_str("\"><span class=\"visually-hidden\">未填报</span>"),
    }
    for n in notes {
        push_note(h, n);
    }
    h.push_str("</td>");
}

/// The templates of `format`'s tables, made on first use; `None` when a value cell's id is not
/// the format's (then the tables are written cell by cell).
fn template(format: &'static Format) -> Option<Arc<Vec<Template>>> {
    static TEMPLATES: PerFormat<Option<Arc<Vec<Template>>>> = PerFormat::new();
    let made = TEMPLATES.get_or_try_make(format, || {
        Ok::<_, std::convert::Infallible>(make_templates(format).map(Arc::new))
    });
    match made {
        Ok(made) => made,
        Err(never) => match never {},
    }
}

fn make_templates(format: &'static Format) -> Option<Vec<Template>> {
    let blank = Stats {
        format,
        values: vec![None; format.cells.len()],
        findings: Vec::new(),
    };
    crate::site::table::tables(&blank)
        .iter()
        .map(|view| {
            let mut h = String::new();
            let mut slots = Vec::new();
            write_table(view, &mut h, |h, c| {
                slots.push((
                    h.len(),
                    format.cell_index(&c.id),
                    escape(&c.id).into_owned(),
                ));
            });
            let mut pieces = Vec::with_capacity(2 * slots.len() + 1);
            let mut from = 0;
            for (at, cell, id) in slots {
                pieces.push(Piece::Markup(h[from..at].to_string()));
                pieces.push(Piece::Value { cell: cell?, id });
                from = at;
            }
            pieces.push(Piece::Markup(h[from..].to_string()));
            Some(Template {
                id: view.id.clone(),
                title: view.title.clone(),
                layout: view.layout,
                pieces,
                fixed_len: h.len(),
            })
        })
        .collect()
}

fn push_cell(h: &mut String, c: &CellView, head: bool) {
    use std::fmt::Write;
    let spans = |h: &mut String| {
        if c.colspan > 1 {
            let _ = write!(h, " colspan=\"{}\"", c.colspan);
        }
        if c.rowspan > 1 {
            let _ = write!(h, " rowspan=\"{}\"", c.rowspan);
        }
    };
    if head || c.header {
        let _ = write!(h, "<th scope=\"{}\"", c.scope);
        if !head {
            let _ = write!(h, " class=\"{}\"", c.class);
        }
        spans(h);
        let _ = write!(h, ">{}</th>", escape(&c.text));
    } else if c.blank {
        let _ = write!(
            h,
            "<td class=\"{}{}\" data-id=\"{}\"><span class=\"visually-hidden\">未填报</span>",
            c.class,
            if c.notes.is_empty() { "" } else { " flagged" },
            escape(&c.id)
        );
        push_notes(h, &c.notes);
        h.push_str("</td>");
    } else {
        let _ = write!(
            h,
            "<td class=\"{}{}\"",
            c.class,
            if c.notes.is_empty() { "" } else { " flagged" }
        );
        if !c.id.is_empty() {
            let _ = write!(h, " data-id=\"{}\"", escape(&c.id));
        }
        let _ = write!(h, ">{}", escape(&c.text));
        push_notes(h, &c.notes);
        h.push_str("</td>");
    }
}

/// The references from a cell to the rule findings about it, below the table.
fn push_notes(h: &mut String, notes: &[usize]) {
    for &n in notes {
        push_note(h, n);
    }
}

/// A reference from a cell to the rule finding `n` below the table.
fn push_note(h: &mut String, n: usize) {
    let mut number = itoa::Buffer::new();
    let number = number.format(n);
    h.push_str("<a class=\"rule-ref\" href=\"#finding-");
    h.push_str(number);
    h.push_str("\"><span class=\"visually-hidden\">核对提示 </span>※");
    h.push_str(number);
    h.push_str("</a>");
}

/// HTML-escape text and attribute values.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(crate::markup::escaped(text, Some("&#x27;")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::formats;
    use rust_decimal::Decimal;

    #[test]
    fn templates_write_the_same_tables_as_the_cells() {
        // Every format, with figures (whole, decimal, negative), blanks, and the findings its
        // rules give on those values (so that flagged cells and their notes are covered).
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let mut flagged = 0;
        for format in formats() {
            for _ in 0..20 {
                let values: Vec<Option<Decimal>> = (0..format.cells.len())
                    .map(|_| match next(6) {
                        0 => None,
                        1 => Some(Decimal::new(next(100_000) as i64, 2)),
                        2 => Some(-Decimal::from(next(10))),
                        _ => Some(Decimal::from(next(300))),
                    })
                    .collect();
                let findings: Vec<_> = format
                    .rules
                    .iter()
                    .filter_map(|rule| crate::validate::evaluate(rule, &values))
                    .collect();
                flagged += findings.len();
                let stats = Stats {
                    format,
                    values,
                    findings,
                };
                let by_cell: Vec<TableHtml> = crate::site::table::tables(&stats)
                    .iter()
                    .map(TableView::to_html)
                    .collect();
                let templated = tables_html(&stats);
                assert_eq!(by_cell.len(), templated.len());
                for (a, b) in by_cell.iter().zip(&templated) {
                    assert_eq!((&a.id, &a.title, a.layout), (&b.id, &b.title, b.layout));
                    assert_eq!(a.html, b.html, "format {} table {}", format.id, a.id);
                }
            }
            assert!(
                template(format).is_some(),
                "format {} has a template",
                format.id
            );
        }
        assert!(flagged > 20, "findings covered: {flagged}");
    }
}
