//! How every generated worksheet prints: A4, fitted to the page width only, the header rows on every page, the
//! title in the page header and 第 n 页 / 共 m 页 in the footer. One owner, so that `stats.xlsx`,
//! `compare.xlsx` and the input template cannot drift apart on paper.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// Excel's paper size index of A4.
const PAPER_A4: u8 = 9;
/// Excel drops a header longer than 255 UTF-16 units without an error; the title is cut well
/// before that so the `&C` code and the ellipsis still fit.
const HEADER_TITLE_MAX: usize = 200;

/// The page setup of one worksheet.
pub(crate) struct PrintSetup<'a> {
    /// Landscape for sheets that are wide by nature (years or townships side by side).
    pub(crate) landscape: bool,
    /// Pages the width is fitted to: 1, or more for a sheet too wide to print on one page at a
    /// readable size (its columns then continue on the next page, `repeat_columns` at the left).
    pub(crate) pages_wide: u16,
    /// The workbook's title, printed centred in the page header.
    pub(crate) title: &'a str,
    /// First and last row (from 0) repeated at the top of every printed page.
    pub(crate) repeat_rows: Option<(u32, u32)>,
    /// First and last column (from 0) repeated at the left of every printed page.
    pub(crate) repeat_columns: Option<(u16, u16)>,
}

/// Apply `setup` to `ws`.
pub(crate) fn print_setup(ws: &mut Worksheet, setup: &PrintSetup) -> Result<(), XlsxError> {
    ws.set_paper_size(PAPER_A4);
    if setup.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    // Height 0 lets the rows run onto as many pages as they need; only the width is fitted,
    // which is what keeps labels and figures on the same sheet of paper.
    ws.set_print_fit_to_pages(setup.pages_wide.max(1), 0);
    // Not centred horizontally: LibreOffice then centres the columns alone and cuts text that
    // runs past them (a long title, the template's instructions) off at the left margin.
    // Inches: narrow sides leave more room for columns; top and bottom leave room for the header
    // and footer.
    ws.set_margins(0.4, 0.4, 0.7, 0.7, 0.3, 0.3);
    ws.set_header(format!("&C{}", header_title(setup.title)));
    ws.set_footer("&C第 &P 页 / 共 &N 页");
    // The page is shrunk to fit its width; the header and footer keep their size to stay legible.
    ws.set_header_footer_scale_with_doc(false);
    if let Some((first, last)) = setup.repeat_rows {
        ws.set_repeat_rows(first, last)?;
    }
    if let Some((first, last)) = setup.repeat_columns {
        ws.set_repeat_columns(first, last)?;
    }
    Ok(())
}

/// `title` as header text: `&` doubled (a single one starts a header code) and cut to a length
/// Excel accepts. The lean writers put it in place of the probe's title mark.
pub(crate) fn header_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut units = 0;
    for c in title.chars() {
        let escaped: &[char] = if c == '&' { &['&', '&'] } else { &[c] };
        let len: usize = escaped.iter().map(|e| e.len_utf16()).sum();
        if units + len > HEADER_TITLE_MAX {
            out.push('…');
            break;
        }
        out.extend(escaped);
        units += len;
    }
    out
}

/// The page setup a workbook's first sheet carries, as its XML: `fitToPage`, margins, page
/// setup, header and footer, and the workbook's print titles. The lean writers are tested
/// against the reference writers with it.
#[cfg(test)]
pub(crate) fn page_setup_xml(workbook: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let sheet = read("xl/worksheets/sheet1.xml");
    let book = read("xl/workbook.xml");
    let between = |text: &str, from: &str, to: &str| {
        let start = text
            .find(from)
            .unwrap_or_else(|| panic!("{from} in {text}"));
        let end = text[start..].find(to).unwrap() + start + to.len();
        text[start..end].to_string()
    };
    [
        between(&sheet, "<sheetPr>", "</sheetPr>"),
        between(&sheet, "<pageMargins", "</headerFooter>"),
        between(&book, "<definedNames>", "</definedNames>"),
    ]
    .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_title_doubles_ampersands_and_stays_within_excel_limits() {
        assert_eq!(header_title("甲 & 乙"), "甲 && 乙");
        assert_eq!(header_title("示例县2023年度报告"), "示例县2023年度报告");
        let long = header_title(&"&".repeat(500));
        assert!(long.ends_with('…'));
        assert!(long.encode_utf16().count() + "&C".len() <= 255);
        // A cut never splits a doubled ampersand.
        assert_eq!(long.trim_end_matches('…').len() % 2, 0);
    }
}
