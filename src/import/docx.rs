//! Word documents (.docx, the attachment many townships publish): the paragraphs in order and
//! the real table cells (spans repeated into every covered position), read from
//! `word/document.xml` with `zip` and `quick-xml`, then sorted like a page's text.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::source::{Grid, Place, Source, Text};
use super::text::from_lines;

/// Why a Word document cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// Not a .docx (zip) file, or damaged.
    #[error("无法读取 Word 文档（.docx）：{0}")]
    Read(String),
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == name)
        .map(|a| a.value.to_string())
}

/// A table cell being read: its text, how many columns it spans, whether it continues the
/// cell above (`vMerge` without `restart`).
#[derive(Default)]
struct Cell {
    text: String,
    span: usize,
    merged_below: bool,
}

/// What the reader is inside of.
#[derive(Default)]
struct Walk {
    lines: Vec<Option<Text>>,
    tables: Vec<Grid>,
    paragraph: String,
    paragraphs: usize,
    /// Rows of the table being read (a nested table's text joins its cell).
    rows: Vec<Vec<Text>>,
    row: Vec<Text>,
    cell: Option<Cell>,
    depth: usize,
}

impl Walk {
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.paragraph);
        if let Some(cell) = &mut self.cell {
            if !cell.text.is_empty() && !text.trim().is_empty() {
                cell.text.push('\n');
            }
            cell.text.push_str(text.trim());
            return;
        }
        self.paragraphs += 1;
        for line in text.split('\n') {
            self.lines.push(Some(Text::new(
                line.trim(),
                Place::Paragraph(self.paragraphs),
            )));
        }
    }

    fn end_cell(&mut self) {
        let Some(cell) = self.cell.take() else { return };
        let col = self.row.len();
        let table = self.tables.len() + 1;
        let row = self.rows.len() + 1;
        let text = if cell.merged_below {
            self.rows
                .last()
                .and_then(|r| r.get(col))
                .map(|c| c.text.clone())
                .unwrap_or_default()
        } else {
            cell.text
        };
        for k in 0..cell.span.max(1) {
            let at = Place::Table {
                table,
                row,
                col: col + k + 1,
            };
            self.row.push(Text::new(text.clone(), at));
        }
    }
}

/// Read a .docx into the intermediate form.
pub fn parse_docx(bytes: &[u8]) -> Result<Source, DocxError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Read(e.to_string()))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|e| DocxError::Read(e.to_string()))?
        .read_to_string(&mut xml)
        .map_err(|e| DocxError::Read(e.to_string()))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut w = Walk::default();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match local(e.name().as_ref()) {
                "t" => in_text = true,
                "tbl" => {
                    w.depth += 1;
                }
                "tc" if w.depth == 1 => {
                    w.cell = Some(Cell {
                        span: 1,
                        ..Cell::default()
                    });
                }
                _ => {}
            },
            Ok(Event::Empty(e)) => match local(e.name().as_ref()) {
                "tab" => w.paragraph.push('\t'),
                "br" | "cr" => w.paragraph.push('\n'),
                "gridSpan" => {
                    if let Some(c) = &mut w.cell {
                        c.span = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                "vMerge" => {
                    if let Some(c) = &mut w.cell {
                        c.merged_below = attr(&e, "val").is_none_or(|v| v != "restart");
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                w.paragraph.push_str(&t.xml10_content());
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    w.paragraph.push(c);
                    continue;
                }
                let name = r.as_ref().to_string();
                w.paragraph.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Ok(Event::End(e)) => match local(e.name().as_ref()) {
                "t" => in_text = false,
                "p" => w.end_paragraph(),
                "tc" if w.depth == 1 => w.end_cell(),
                "tr" if w.depth == 1 => {
                    let row = std::mem::take(&mut w.row);
                    w.rows.push(row);
                }
                "tbl" => {
                    w.depth = w.depth.saturating_sub(1);
                    if w.depth == 0 {
                        let grid = std::mem::take(&mut w.rows);
                        w.tables.push(grid);
                        w.lines.push(None);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => return Err(DocxError::Read(e.to_string())),
            _ => {}
        }
    }
    let mut source = from_lines(w.lines, w.tables);
    source.kind = "Word 文档".to_string();
    Ok(source)
}
