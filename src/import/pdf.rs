//! PDF attachments with a text layer (lopdf's text extraction): the lines of each page read like
//! a text page. A table's cells come out in drawing order, so tables are flagged for hand entry;
//! a scanned PDF (no text layer) is refused.

use super::source::{Place, Source, Text};
use super::text::from_lines;

/// Why a PDF cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// Not a PDF, or damaged.
    #[error("无法读取 PDF 文件：{0}")]
    Read(String),
    /// Pages with no text layer (a scan).
    #[error(
        "PDF 文件中没有文字层（可能是扫描件或图片）：无法导入；请找原网页或 Word 原件导入，或照原件手工录入"
    )]
    NoText,
}

/// Read the text layer of a PDF into the intermediate form.
pub fn parse_pdf(bytes: &[u8]) -> Result<Source, PdfError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| PdfError::Read(e.to_string()))?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc
        .extract_text(&pages)
        .map_err(|e| PdfError::Read(e.to_string()))?;
    if text.trim().is_empty() {
        return Err(PdfError::NoText);
    }
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| Some(Text::new(l.trim(), Place::Line(i + 1))))
        .collect();
    let mut source = from_lines(lines, Vec::new());
    source.kind = "PDF 文字层".to_string();
    Ok(source)
}
