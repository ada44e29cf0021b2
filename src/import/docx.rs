//! Word documents (.docx, the attachment many townships publish): the paragraphs in order and
//! the real table cells (spans repeated into every covered position), read from
//! `word/document.xml` with `zip` and `quick-xml`, then sorted like a page's text.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use std::collections::HashMap;

use super::source::{Grid, Place, Shape, Source, Text};
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

/// One level of a Word list: its number format (`decimal`, `chineseCounting`, `bullet` …), the
/// marker text (`%1、`) and the first number.
#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: usize,
}

/// What `numbering.xml` and `styles.xml` say: the levels of each list (by `numId`), and each
/// paragraph style's heading level and list.
#[derive(Debug, Default)]
struct Styles {
    /// numId → levels (by ilvl).
    lists: HashMap<String, Vec<Level>>,
    /// styleId → outline level (0 for Heading 1).
    outline: HashMap<String, usize>,
    /// styleId → (numId, ilvl) of a list style (`List Number`).
    numbered: HashMap<String, (String, usize)>,
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let mut xml = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut xml).ok()?;
    Some(xml)
}

impl Styles {
    fn read(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Styles {
        let mut styles = Styles::default();
        if let Some(xml) = read_part(zip, "word/numbering.xml") {
            styles.read_numbering(&xml);
        }
        if let Some(xml) = read_part(zip, "word/styles.xml") {
            styles.read_styles(&xml);
        }
        styles
    }

    fn read_numbering(&mut self, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        let mut nums: Vec<(String, String)> = Vec::new();
        let (mut abstract_id, mut num_id) = (None::<String>, None::<String>);
        let mut level: Option<(usize, Level)> = None;
        loop {
            let (e, empty) = match reader.read_event() {
                Ok(Event::Start(e)) => (e, false),
                Ok(Event::Empty(e)) => (e, true),
                Ok(Event::End(e)) => {
                    match local(e.name().as_ref()) {
                        "lvl" => {
                            if let (Some(a), Some((i, l))) = (&abstract_id, level.take()) {
                                let levels = abstracts.entry(a.clone()).or_default();
                                if levels.len() <= i {
                                    levels.resize(i + 1, Level::default());
                                }
                                levels[i] = l;
                            }
                        }
                        "abstractNum" => abstract_id = None,
                        "num" => num_id = None,
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => continue,
            };
            let _ = empty;
            match local(e.name().as_ref()) {
                "abstractNum" => abstract_id = attr(&e, "abstractNumId"),
                "lvl" => {
                    let i = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((
                        i,
                        Level {
                            start: 1,
                            ..Level::default()
                        },
                    ));
                }
                "start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                "numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(&e, "val").unwrap_or_default();
                    }
                }
                "lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(&e, "val").unwrap_or_default();
                    }
                }
                "num" => num_id = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(n), Some(a)) = (&num_id, attr(&e, "val")) {
                        nums.push((n.clone(), a));
                    }
                }
                _ => {}
            }
        }
        for (num, abs) in nums {
            if let Some(levels) = abstracts.get(&abs) {
                self.lists.insert(num, levels.clone());
            }
        }
    }

    fn read_styles(&mut self, xml: &str) {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut id: Option<String> = None;
        let mut num: Option<String> = None;
        let mut ilvl = 0;
        loop {
            let e = match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => e,
                Ok(Event::End(e)) if local(e.name().as_ref()) == "style" => {
                    if let (Some(i), Some(n)) = (id.take(), num.take()) {
                        self.numbered.insert(i, (n, ilvl));
                    }
                    ilvl = 0;
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => continue,
            };
            match local(e.name().as_ref()) {
                "style" => id = attr(&e, "styleId"),
                "name" => {
                    let name = attr(&e, "val").unwrap_or_default().to_ascii_lowercase();
                    if let (Some(i), Some(n)) = (&id, name.strip_prefix("heading "))
                        && let Ok(n) = n.trim().parse::<usize>()
                    {
                        self.outline.insert(i.clone(), n.saturating_sub(1));
                    }
                }
                "outlineLvl" => {
                    if let (Some(i), Some(v)) =
                        (&id, attr(&e, "val").and_then(|v| v.parse::<usize>().ok()))
                    {
                        // 9 is body text.
                        if v < 9 {
                            self.outline.insert(i.clone(), v);
                        }
                    }
                }
                "numId" => num = attr(&e, "val").filter(|v| v != "0"),
                "ilvl" => ilvl = attr(&e, "val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            }
        }
    }
}

/// A list number in a Word number format (`chineseCounting` 3 → 三, `decimalEnclosedCircle`
/// 3 → ③).
fn formatted(n: usize, format: &str) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "chineseLegalSimplified"
        | "ideographTraditional" => {
            if n == 0 || n >= 100 {
                return n.to_string();
            }
            let (tens, ones) = (n / 10, n % 10);
            let mut out = String::new();
            if tens > 1 {
                out.push_str(DIGITS[tens]);
            }
            if tens > 0 {
                out.push('十');
            }
            if ones > 0 {
                out.push_str(DIGITS[ones]);
            }
            out
        }
        "ideographDigital" => n
            .to_string()
            .chars()
            .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), String::from)
        }
        "lowerLetter" | "upperLetter" if (1..=26).contains(&n) => {
            let c = char::from(b'a' + (n - 1) as u8);
            if format == "upperLetter" {
                c.to_ascii_uppercase().to_string()
            } else {
                c.to_string()
            }
        }
        "decimalFullWidth" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect(),
        _ => n.to_string(),
    }
}

/// The properties of the paragraph being read that give its shape.
#[derive(Default)]
struct Props {
    style: Option<String>,
    num: Option<String>,
    ilvl: Option<usize>,
    outline: Option<usize>,
}

/// What the reader is inside of.
#[derive(Default)]
struct Walk {
    styles: Styles,
    props: Props,
    /// (numId, ilvl) → the last number given.
    counters: HashMap<(String, usize), usize>,
    shapes: Vec<(Place, Shape)>,
    table_at: Vec<Place>,
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
        let at = Place::Paragraph(self.paragraphs);
        let props = std::mem::take(&mut self.props);
        let (marker, shape) = if text.trim().is_empty() {
            (String::new(), None)
        } else {
            self.shape(&props)
        };
        if let Some(shape) = shape {
            self.shapes.push((at.clone(), shape));
        }
        for (i, line) in text.split('\n').enumerate() {
            let line = line.trim();
            let line = if i == 0 && !marker.is_empty() {
                format!("{marker}{line}")
            } else {
                line.to_string()
            };
            self.lines.push(Some(Text::new(line, at.clone())));
        }
    }

    /// The marker text and shape of a paragraph with these properties: a heading by its Word
    /// outline level, a list item by its numbering (the number as Word prints it).
    fn shape(&mut self, props: &Props) -> (String, Option<Shape>) {
        let style = props.style.as_deref().unwrap_or_default();
        let outline = props
            .outline
            .or_else(|| self.styles.outline.get(style).copied());
        let numbering = match &props.num {
            Some(n) if n == "0" => None,
            Some(n) => Some((n.clone(), props.ilvl.unwrap_or(0))),
            None => self
                .styles
                .numbered
                .get(style)
                .map(|(n, l)| (n.clone(), props.ilvl.unwrap_or(*l))),
        };
        let mut marker = String::new();
        if let Some((num, ilvl)) = &numbering {
            let levels = self.styles.lists.get(num).cloned().unwrap_or_default();
            let start = |i: usize| levels.get(i).map_or(1, |l| l.start);
            let n = self
                .counters
                .get(&(num.clone(), *ilvl))
                .map_or(start(*ilvl), |n| n + 1);
            self.counters.insert((num.clone(), *ilvl), n);
            self.counters.retain(|(k, l), _| k != num || *l <= *ilvl);
            if let Some(level) = levels.get(*ilvl).filter(|l| l.format != "bullet") {
                marker = level.text.clone();
                for (i, l) in levels.iter().enumerate().take(*ilvl + 1) {
                    let value = if i == *ilvl {
                        n
                    } else {
                        self.counters
                            .get(&(num.clone(), i))
                            .copied()
                            .unwrap_or(l.start)
                    };
                    marker = marker.replace(&format!("%{}", i + 1), &formatted(value, &l.format));
                }
            }
        }
        let shape = match (outline, &numbering) {
            (Some(level), _) => Some(Shape::Heading((level + 2).min(6))),
            (None, Some((num, ilvl))) => Some(Shape::Item {
                depth: *ilvl,
                list: num.clone(),
            }),
            (None, None) => None,
        };
        (marker, shape)
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
    let mut w = Walk {
        styles: Styles::read(&mut zip),
        ..Walk::default()
    };
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
                "pStyle" if w.cell.is_none() => w.props.style = attr(&e, "val"),
                "numId" if w.cell.is_none() => w.props.num = attr(&e, "val"),
                "ilvl" if w.cell.is_none() => {
                    w.props.ilvl = attr(&e, "val").and_then(|v| v.parse().ok());
                }
                "outlineLvl" if w.cell.is_none() => {
                    w.props.outline = attr(&e, "val")
                        .and_then(|v| v.parse().ok())
                        .filter(|v| *v < 9);
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
                        // The table counts as a paragraph: it stands between its neighbours.
                        w.paragraphs += 1;
                        w.table_at.push(Place::Paragraph(w.paragraphs));
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
    source.shapes = w.shapes;
    // The document's own tables come first in `tables`; any read from its text have no place.
    source.table_at = w.table_at;
    source.table_at.resize(source.tables.len(), Place::Nowhere);
    Ok(source)
}
