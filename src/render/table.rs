//! An official table as HTML: the markup is fixed (themes style it with CSS), and writing it here
//! costs a fraction of a per-cell template loop.

use serde::Serialize;

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
        use std::fmt::Write;
        let mut h = String::with_capacity(
            256 + 96 * self.body.len() * self.body.first().map_or(1, Vec::len),
        );
        let _ = write!(
            h,
            "<table class=\"official {}\" id=\"table-{}\">\n<caption id=\"cap-{}\"><span class=\"caption-text\">{}</span></caption>\n<thead>",
            self.layout,
            escape(&self.id),
            escape(&self.id),
            escape(&self.title)
        );
        for row in &self.head {
            h.push_str("\n<tr>");
            for c in row {
                push_cell(&mut h, c, true);
            }
            h.push_str("</tr>");
        }
        h.push_str("\n</thead>\n<tbody>");
        for row in &self.body {
            h.push_str("\n<tr>");
            for c in row {
                push_cell(&mut h, c, false);
            }
            h.push_str("</tr>");
        }
        h.push_str("\n</tbody>\n</table>");
        TableHtml {
            id: self.id.clone(),
            title: self.title.clone(),
            layout: self.layout,
            html: h,
        }
    }
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
    use std::fmt::Write;
    for n in notes {
        let _ = write!(
            h,
            "<a class=\"rule-ref\" href=\"#finding-{n}\"><span class=\"visually-hidden\">核对提示 </span>※{n}</a>"
        );
    }
}

/// HTML-escape text and attribute values.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}
