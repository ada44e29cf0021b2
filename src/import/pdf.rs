//! PDF attachments with a text layer: the text as a PDF reader shows it, through the
//! `pdf-extract` crate (CID fonts with Identity-H and a ToUnicode map, TrueType and Type 3 fonts
//! with ToUnicode, Type 1/CFF encodings; characters placed in reading order, a line per printed
//! line). The lines of each page are read like a text page. A table's cells come out in drawing
//! order, so tables are flagged for hand entry. Text that does not read as Chinese (a font
//! without a usable map gives mojibake such as `W’’p‡ˆAR`) is refused, and so is a scan.
//!
//! Why `pdf-extract` and not lopdf's own `extract_text` (the crate this reader used before):
//! lopdf decodes a string by the font's simple encoding only, so a CID font (every Chinese PDF
//! made by Word, WPS, LibreOffice or a browser) came out as code points of glyph ids. pdfium
//! reads everything but is a C++ library that is not fetchable as a crate (it needs a prebuilt
//! binary per platform); `pdf-extract` is pure Rust (it builds for the Windows cross-build like
//! the rest), maintained, and itself built on lopdf.

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
    /// The text layer does not decode to Chinese.
    #[error(
        "PDF 文件中的文字无法正确读出（字体没有可用的字符对照表，读出的是乱码，例如「{sample}」）：没有导入；请导入同一报告的 Word 文档（nianbao import 报告.docx）或网页，或照原件手工录入"
    )]
    Unreadable {
        /// A piece of what came out.
        sample: String,
    },
}

/// Read the text layer of a PDF into the intermediate form.
pub fn parse_pdf(bytes: &[u8]) -> Result<Source, PdfError> {
    if !bytes.starts_with(b"%PDF") && !bytes.get(..1024).is_some_and(|h| contains(h, b"%PDF")) {
        return Err(PdfError::Read("不是 PDF 文件".to_string()));
    }
    // The extractor panics on some damaged files: a panic is a file that cannot be read, and
    // the refusal says so in Chinese, without the panic's own message on stderr.
    let pages = quiet_panics(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .ok_or_else(|| PdfError::Read("文件已损坏或使用了不支持的结构".to_string()))?
        .map_err(|e| PdfError::Read(format!("文件结构无法解析（{e}）")))?;
    let text = pages.join("\n");
    if text.trim().is_empty() {
        return Err(PdfError::NoText);
    }
    if !reads_as_chinese(&text) {
        let sample: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(20)
            .collect();
        return Err(PdfError::Unreadable { sample });
    }
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| Some(Text::new(as_printed(l), Place::Line(i + 1))))
        .collect();
    let mut source = from_lines(lines, Vec::new());
    source.kind = "PDF 文字层".to_string();
    Ok(source)
}

thread_local! {
    /// Set while this thread runs [`quiet_panics`]: its panics are caught and refused there.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, catching a panic as `None` without the panic hook printing it. The process-wide
/// hook is wrapped once, and stays quiet only on a thread inside this call: a panic anywhere
/// else (another thread importing, a bug elsewhere) is still printed by the hook it had before.
fn quiet_panics<T>(f: impl FnOnce() -> T) -> Option<T> {
    static WRAPPED: std::sync::Once = std::sync::Once::new();
    WRAPPED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    /// Clears the flag however `f` ends.
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            QUIET.with(|q| q.set(self.0));
        }
    }
    let _reset = Reset(QUIET.with(|q| q.replace(true)));
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

/// A line as the reader sees it: a Kangxi radical that a font's map gives for an ideograph
/// (`⼀` U+2F00 for `一`: Chromium's PDFs) and a Latin ligature (`ﬁ`) as the characters they
/// stand for, and the gaps a layout puts between Chinese and Western text (`甲镇 2023 年`) left
/// out; other spaces as extracted.
fn as_printed(line: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut chars: Vec<char> = Vec::with_capacity(line.len());
    for c in line.trim().chars() {
        if ('\u{2F00}'..='\u{2FD5}').contains(&c) || ('\u{FB00}'..='\u{FB06}').contains(&c) {
            chars.extend(std::iter::once(c).nfkc());
        } else {
            chars.push(c);
        }
    }
    let ideograph = |c: Option<&char>| c.is_some_and(|c| crate::content::markdown::is_cjk(*c));
    let mut out = String::with_capacity(line.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let before = chars[..i].iter().rev().find(|c| **c != ' ');
            let after = chars[i + 1..].iter().find(|c| **c != ' ');
            if ideograph(before) || ideograph(after) {
                continue;
            }
        }
        out.push(*c);
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether extracted text is Chinese as printed: most of its letters are Chinese characters and
/// almost none are what an undecoded font gives (control characters, the replacement character,
/// private-use code points, Latin-1 symbols such as `‡ˆ’`).
pub(super) fn reads_as_chinese(text: &str) -> bool {
    let (mut cjk, mut letters, mut junk) = (0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let u = c as u32;
        if (0x4E00..=0x9FFF).contains(&u) || (0x3400..=0x4DBF).contains(&u) {
            cjk += 1;
            letters += 1;
        } else if c.is_control()
            || c == '\u{FFFD}'
            || (0xE000..=0xF8FF).contains(&u)
            || (0x80..=0x24F).contains(&u)
            || matches!(
                c,
                '‡' | 'ˆ' | '†' | '‰' | '‹' | '›' | '’' | '‘' | '‚' | '„' | '•'
            )
        {
            junk += 1;
        } else if c.is_alphabetic() {
            letters += 1;
        }
    }
    cjk * 2 >= letters && junk * 20 <= cjk.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_ligatures_and_layout_gaps_read_as_printed() {
        assert_eq!(as_printed("本年度⼀百⼆⼗条 ⽉"), "本年度一百二十条月");
        assert_eq!(as_printed(" 甲镇 2023 年 1 月 "), "甲镇2023年1月");
        assert_eq!(as_printed("ﬁle: a b"), "file: a b");
    }

    #[test]
    fn mojibake_is_not_chinese() {
        assert!(reads_as_chinese(
            "甲镇2023年政府信息公开工作年度报告\n一、总体情况"
        ));
        assert!(!reads_as_chinese("W’’p‡ˆAR,’5 W’’p‡ˆAR"));
        assert!(!reads_as_chinese("\u{1}\u{2}\u{3}"));
        assert!(!reads_as_chinese("Annual report of the township"));
    }

    #[test]
    fn a_caught_panic_is_quiet_only_inside_the_call() {
        assert_eq!(quiet_panics(|| 7), Some(7));
        assert_eq!(quiet_panics(|| -> u8 { panic!("damaged") }), None);
        // The flag is cleared after the call: a later panic on this thread is not quiet.
        assert!(!QUIET.with(std::cell::Cell::get));
    }

    #[test]
    fn not_a_pdf_and_a_damaged_pdf_are_refused_without_a_panic() {
        assert!(matches!(parse_pdf(b"hello"), Err(PdfError::Read(_))));
        assert!(matches!(
            parse_pdf(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"),
            Err(PdfError::Read(_) | PdfError::NoText)
        ));
    }
}
