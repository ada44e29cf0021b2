//! The intermediate form every reader produces: metadata lines, title, narrative, tables as
//! grids of cells — each piece with the place it came from, so that every warning can name it.

use std::fmt;

/// Where a piece of text was in the source file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Place {
    /// Unknown or not applicable.
    #[default]
    Nowhere,
    /// A 1-based line of a text file or of an HTML page.
    Line(usize),
    /// A cell of an HTML table: 1-based table, row and column of the expanded grid.
    Table {
        /// Table number on the page.
        table: usize,
        /// Row of the expanded grid.
        row: usize,
        /// Column of the expanded grid.
        col: usize,
    },
    /// The n-th paragraph of text of an HTML page.
    Paragraph(usize),
    /// The n-th image of an HTML page.
    Image(usize),
    /// A cell of a worksheet, as Excel names it (`C6`).
    Sheet {
        /// Worksheet name.
        sheet: String,
        /// Cell reference.
        cell: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Nowhere => write!(f, "（无具体位置）"),
            Place::Line(n) => write!(f, "第 {n} 行"),
            Place::Table { table, row, col } => {
                write!(f, "第 {table} 个表格第 {row} 行第 {col} 列")
            }
            Place::Paragraph(n) => write!(f, "网页第 {n} 段文字"),
            Place::Image(n) => write!(f, "网页第 {n} 张图片"),
            Place::Sheet { sheet, cell } => write!(f, "工作表「{sheet}」{cell} 单元格"),
        }
    }
}

/// A piece of text and where it was.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    /// The text, trimmed.
    pub text: String,
    /// Where it was.
    pub at: Place,
}

impl Text {
    /// A piece of text at a place.
    pub fn new(text: impl Into<String>, at: Place) -> Self {
        Text {
            text: text.into(),
            at,
        }
    }
}

/// How a narrative block was printed, when its reader knows (a Word document's styles and
/// numbering): written as such in report.md instead of guessed from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A heading of this Markdown level (Word's Heading 1 is 2: the page's title is 1).
    Heading(usize),
    /// A list item; its marker (`1、`, `（一）`) is in its text, as printed.
    Item {
        /// 0 for the outer list.
        depth: usize,
        /// Which list of the document it belongs to (Word's `numId`): a numbered list followed
        /// by a bulleted one are two lists, not one.
        list: String,
    },
    /// Markdown already (a table of the narrative, cells escaped): written as it is.
    Markdown,
}

/// One table as printed: rows of cells, spans already expanded (a merged cell's text is
/// repeated in every position it covers).
pub type Grid = Vec<Vec<Text>>;

/// What a reader found in one source file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// `key: value` metadata of the page (索引号, 发布机构, …) and of the table footer
    /// (填报单位, 单位负责人, …), keys as printed.
    pub meta: Vec<(String, Text)>,
    /// The report title (lines of a title split over several lines are joined).
    pub title: Option<Text>,
    /// Narrative paragraphs in order, one per source line or HTML block.
    pub blocks: Vec<Text>,
    /// Captions printed just above a table (`…统计表`, `(2018年度)`).
    pub captions: Vec<Text>,
    /// The tables.
    pub tables: Vec<Grid>,
    /// The source lines each table was read from (same index as `tables`; empty for a table
    /// that was a grid already, HTML or Excel): a table no format recognises goes back into
    /// the narrative as these lines.
    pub table_lines: Vec<Vec<Text>>,
    /// The last line of a page cut off inside a table, when it is the start of a row that is
    /// not there (the number of the next row's label).
    pub cut_off: Option<Text>,
    /// Table rows printed with their cells run together (`规章000`) that were read one digit per
    /// cell: a person checks them against the original.
    pub run_together: Vec<Text>,
    /// Images on the page (a statistics table published as a picture).
    pub images: Vec<Text>,
    /// Lines printed above the title (a page's header and navigation), left out.
    pub before_title: Vec<Text>,
    /// Page furniture left out (`扫一扫在手机打开当前页`).
    pub dropped: Vec<Text>,
    /// A short description of the reader for the import report (`纯文本（UTF-8）`).
    pub kind: String,
    /// The shapes of narrative blocks, by the place of the block (see [`Shape`]).
    pub shapes: Vec<(Place, Shape)>,
    /// Where each table stood among the paragraphs (same index as `tables`; `Nowhere` when the
    /// reader does not know): a table read into no statistics goes back there.
    pub table_at: Vec<Place>,
    /// Figures located by indicator id (the 指标位置 sheet of a `nianbao template` workbook):
    /// id and the value cell's text; when present they are read by id, not by label.
    pub by_id: Vec<(String, Text)>,
}
