//! Reading Markdown narratives: the dialect (one set of extensions for rendering, search and the
//! link checker) and the links that point outside a report's folder.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The Markdown extensions of narratives (search and the link checker read the text with the same ones).
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Text pasted from Word into a narrative, read as it was meant: lines that begin with a Chinese
/// list marker (`1、`, `（一）`, `①`, `一、`) next to each other become list items, and a block of
/// tab-separated lines with the same number of cells becomes a table. Everything else is left
/// as written; [`pasted_doubts`] names the lines a rule could misread. The marker stays in the
/// item's text, as printed.
pub(crate) fn pasted(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !markdown.contains(['\t', '、', '）', ')']) && !markdown.chars().any(is_circled) {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let lines: Vec<&str> = markdown.split('\n').collect();
    let shapes = shapes(&lines);
    if shapes.iter().all(|s| matches!(s, Shape::Keep)) {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut i = 0;
    while i < lines.len() {
        match &shapes[i] {
            Shape::Keep => {
                out.push_str(lines[i]);
                out.push('\n');
                i += 1;
            }
            Shape::Item => {
                if i > 0 && !lines[i - 1].trim().is_empty() && !matches!(shapes[i - 1], Shape::Item)
                {
                    out.push('\n');
                }
                out.push_str("- ");
                out.push_str(escape_item(lines[i].trim()).as_str());
                out.push('\n');
                i += 1;
                if i < lines.len()
                    && !lines[i].trim().is_empty()
                    && !matches!(shapes[i], Shape::Item)
                {
                    out.push('\n');
                }
            }
            Shape::Table(n) => {
                if i > 0 && !lines[i - 1].trim().is_empty() {
                    out.push('\n');
                }
                out.push_str(&table_markdown(&lines[i..i + n]));
                i += n;
                if i < lines.len() && !lines[i].trim().is_empty() {
                    out.push('\n');
                }
            }
            Shape::Inside => i += 1,
        }
    }
    // `split` gave one more piece than there are line ends.
    out.pop();
    std::borrow::Cow::Owned(out)
}

/// A line of a narrative a rule could misread, with the Markdown to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doubt {
    /// Byte offset of the line in the narrative.
    pub(crate) offset: usize,
    /// What was noticed, in Chinese.
    pub(crate) message: String,
    /// The Markdown to write.
    pub(crate) write: String,
}

/// Lines of pasted text that [`pasted`] leaves alone because a rule could misread them: a
/// numbered line glued to the paragraph under it (a heading, or the first of a list?), and
/// tab-separated lines whose rows have different numbers of cells.
pub(crate) fn pasted_doubts(markdown: &str) -> Vec<Doubt> {
    let lines: Vec<&str> = markdown.split('\n').collect();
    let shapes = shapes(&lines);
    let offsets: Vec<usize> = lines
        .iter()
        .scan(0, |at, l| {
            let here = *at;
            *at += l.len() + 1;
            Some(here)
        })
        .collect();
    let mut out = Vec::new();
    let fenced = fenced_lines(&lines);
    let mut i = 0;
    while i < lines.len() {
        if !matches!(shapes[i], Shape::Keep) || fenced[i] {
            i += 1;
            continue;
        }
        let line = lines[i].trim();
        let next_text = lines
            .get(i + 1)
            .is_some_and(|n| !n.trim().is_empty() && marker(n.trim()).is_none());
        if marker(line).is_some()
            && next_text
            && !line.contains(['。', '；', ';'])
            && line.chars().count() <= 30
        {
            let level = if matches!(marker(line), Some(Marker::Numeral)) {
                "##"
            } else {
                "###"
            };
            out.push(Doubt {
                offset: offsets[i],
                message: format!(
                    "「{line}」与下一行连在一起，网页上会并成一段：如果它是小标题，请在前面加 {level} 并在它后面空一行；如果是列表的一项，请在前面加 - 并在它后面空一行"
                ),
                write: format!("{level} {line}"),
            });
        }
        if line.contains('\t') {
            let end = (i..lines.len())
                .find(|&j| !lines[j].contains('\t') || lines[j].trim().is_empty())
                .unwrap_or(lines.len());
            if end - i >= 2 {
                let counts: Vec<usize> = lines[i..end].iter().map(|l| cells(l).len()).collect();
                let widest = counts.iter().copied().max().unwrap_or(0);
                let counts: Vec<String> = counts.iter().map(ToString::to_string).collect();
                out.push(Doubt {
                    offset: offsets[i],
                    message: format!(
                        "这 {} 行用制表符分栏，像是从 Word 粘贴的表格，但各行的栏数不同（{}），没有转成表格：请把它写成 Markdown 表格，每行的栏数相同",
                        end - i,
                        counts.join("、")
                    ),
                    write: table_markdown_padded(&lines[i..end], widest),
                });
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Written as is.
    Keep,
    /// A list item.
    Item,
    /// The first of `n` lines of a tab-separated table.
    Table(usize),
    /// A later line of a table.
    Inside,
}

/// The kinds of Chinese list marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// `1、` `1．`
    Arabic,
    /// `（一）` `(1)`
    Paren,
    /// `①`
    Circled,
    /// `一、`
    Numeral,
}

fn is_circled(c: char) -> bool {
    ('\u{2460}'..='\u{2473}').contains(&c)
}

const NUMERALS: &str = "一二三四五六七八九十";

/// The list marker a line starts with, when text follows it.
/// Whether a list item's text begins with a marker of its own, as printed (`1、`, `（一）`,
/// `①`, `一、`, or Word's `1.` / `1)`): such a list is shown without bullets.
pub(crate) fn starts_with_list_marker(text: &str) -> bool {
    if marker(text).is_some() {
        return true;
    }
    let text = text.trim_start_matches(['\u{3000}', ' ']);
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (1..=2).contains(&digits)
        && text[digits..]
            .strip_prefix(['.', ')'])
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| !c.is_ascii_digit())
}

fn marker(line: &str) -> Option<Marker> {
    let line = line.trim_start_matches(['\u{3000}', ' ']);
    let rest_ok = |rest: &str| !rest.trim().is_empty();
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=2).contains(&digits) {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(['、', '．']) {
            return rest_ok(r).then_some(Marker::Arabic);
        }
        return None;
    }
    if let Some(inner) = line.strip_prefix(['（', '(']) {
        let n = inner.len()
            - inner
                .trim_start_matches(|c: char| NUMERALS.contains(c) || c.is_ascii_digit())
                .len();
        let rest = &inner[n..];
        if n > 0
            && n <= 9
            && let Some(r) = rest.strip_prefix(['）', ')'])
        {
            return rest_ok(r).then_some(Marker::Paren);
        }
        return None;
    }
    let mut chars = line.chars();
    if chars.next().is_some_and(is_circled) {
        return rest_ok(chars.as_str()).then_some(Marker::Circled);
    }
    let n = line.len()
        - line
            .trim_start_matches(|c: char| NUMERALS.contains(c))
            .len();
    if n > 0
        && n <= 9
        && let Some(r) = line[n..].strip_prefix('、')
    {
        return rest_ok(r).then_some(Marker::Numeral);
    }
    None
}

/// Lines inside fenced code blocks (left alone).
fn fenced_lines(lines: &[&str]) -> Vec<bool> {
    let mut inside = false;
    lines
        .iter()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                inside = !inside;
                return true;
            }
            inside
        })
        .collect()
}

/// What each line of a narrative becomes.
fn shapes(lines: &[&str]) -> Vec<Shape> {
    let fenced = fenced_lines(lines);
    let mut shapes = vec![Shape::Keep; lines.len()];
    let kind = |i: usize| -> Option<Marker> {
        (!fenced[i] && !lines[i].starts_with("    "))
            .then(|| marker(lines[i].trim()))
            .flatten()
    };
    let mut i = 0;
    while i < lines.len() {
        // Tab-separated lines, two or more, all with the same number of cells (two or more).
        if !fenced[i] && lines[i].contains('\t') && !lines[i].trim().is_empty() {
            let end = (i..lines.len())
                .find(|&j| !lines[j].contains('\t') || lines[j].trim().is_empty() || fenced[j])
                .unwrap_or(lines.len());
            let n = cells(lines[i]).len();
            if end - i >= 2 && n >= 2 && lines[i..end].iter().all(|l| cells(l).len() == n) {
                shapes[i] = Shape::Table(end - i);
                for s in &mut shapes[i + 1..end] {
                    *s = Shape::Inside;
                }
            }
            i = end.max(i + 1);
            continue;
        }
        // Two or more lines next to each other, each starting with a marker of the same kind:
        // a list. (A lone numbered line is a paragraph, or a heading its writer marks.)
        if let Some(k) = kind(i) {
            let end = (i..lines.len())
                .find(|&j| kind(j) != Some(k))
                .unwrap_or(lines.len());
            // `一、` lines are headings unless they are sentences.
            let sentences = k != Marker::Numeral
                || lines[i..end]
                    .iter()
                    .all(|l| l.contains(['。', '；', ';', '，', ',']));
            if end - i >= 2 && sentences {
                for s in &mut shapes[i..end] {
                    *s = Shape::Item;
                }
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    shapes
}

/// The cells of a tab-separated line.
fn cells(line: &str) -> Vec<&str> {
    line.trim_end_matches(['\r', ' '])
        .trim_end_matches('\t')
        .split('\t')
        .map(str::trim)
        .collect()
}

/// A cell's text safe inside a Markdown table.
fn cell_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|")
}

/// A list item's text: what would start another block at the start of the item is escaped.
fn escape_item(text: &str) -> String {
    let text = text.trim_start_matches(['\u{3000}', ' ']);
    if text.starts_with(['#', '>', '-', '+', '*', '|']) {
        format!("\\{text}")
    } else {
        text.to_string()
    }
}

/// Tab-separated lines as a Markdown table, the first line its header.
fn table_markdown(lines: &[&str]) -> String {
    let n = lines.first().map_or(0, |l| cells(l).len());
    table_markdown_padded(lines, n)
}

fn table_markdown_padded(lines: &[&str], width: usize) -> String {
    let mut out = String::new();
    for (r, line) in lines.iter().enumerate() {
        let mut row: Vec<String> = cells(line).into_iter().map(cell_text).collect();
        row.resize(width, String::new());
        out.push_str("| ");
        out.push_str(&row.join(" | "));
        out.push_str(" |\n");
        if r == 0 {
            out.push('|');
            out.push_str(&"---|".repeat(width));
            out.push('\n');
        }
    }
    out
}

/// Whether a character is Chinese (or Japanese/Korean) script or full-width punctuation: a line
/// break between two of them is no space.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// The link and image targets of `markdown` that leave the folder of the document (`../../x`,
/// `/etc/x`, `C:\\x`, `file:` URLs), with the byte offset of each in `markdown`. Such files are
/// never copied into the site, so the link would be broken or point at a clerk's own computer.
/// Links to other pages of the site (`../../2019/alpha/`) leave the folder too, so only targets
/// that name a file (an extension other than `.html`) or a path on a computer are returned.
pub(crate) fn outside_links(markdown: &str) -> Vec<(String, usize)> {
    if !may_link(markdown) {
        return Vec::new();
    }
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if leaves_folder(&dest_url) =>
            {
                Some((dest_url.to_string(), range.start))
            }
            _ => None,
        })
        .collect()
}

/// Images of `markdown` without alt text (`![](x.png)`, raw `<img src=x>`), each with the
/// image's target and its byte offset: a screen reader has nothing to say for them.
pub(crate) fn images_without_alt(markdown: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    if !markdown.contains("![") && !markdown.contains('<') {
        return out;
    }
    let mut open: Option<(String, usize, bool)> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some((dest_url.to_string(), range.start, false));
            }
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some(o) = &mut open {
                    o.2 = true;
                }
            }
            Event::End(pulldown_cmark::TagEnd::Image) => {
                if let Some((url, at, false)) = open.take() {
                    out.push((url, at));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                out.extend(raw_images_without_alt(&h).map(|(url, o)| (url, range.start + o)));
            }
            _ => {}
        }
    }
    out
}

/// Whether `markdown` can hold a link or image at all: an inline one needs `](`, a reference
/// one its definition's `]:`, an autolink or raw HTML a `<`. Most narratives have none, and
/// parsing every one of a province's narratives only to find that was measurable.
fn may_link(markdown: &str) -> bool {
    markdown.contains("](") || markdown.contains("]:") || markdown.contains('<')
}

/// `<img …>` tags of raw HTML without a non-empty `alt`.
fn raw_images_without_alt(html: &str) -> impl Iterator<Item = (String, usize)> + '_ {
    let lower = html.to_ascii_lowercase();
    let starts: Vec<usize> = lower.match_indices("<img").map(|(i, _)| i).collect();
    starts.into_iter().filter_map(move |at| {
        let end = html[at..].find('>').map_or(html.len(), |e| at + e);
        let tag = &html[at..end];
        let tag_lower = tag.to_ascii_lowercase();
        let has_alt = tag_lower.find("alt=").is_some_and(|a| {
            let v = tag[a + 4..].trim_start_matches(['"', '\'']);
            !v.starts_with(['"', '\'']) && !v.trim().is_empty()
        });
        let src = tag_lower
            .find("src=")
            .map(|a| {
                tag[a + 4..]
                    .trim_start_matches(['"', '\''])
                    .split(['"', '\'', ' ', '>'])
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .unwrap_or_default();
        (!has_alt).then_some((src, at))
    })
}

fn leaves_folder(url: &str) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let bytes = url.as_bytes();
    let windows_drive = bytes.len() > 2
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/');
    if lower.starts_with("file:") || windows_drive || url.starts_with('\\') {
        return true;
    }
    if url.contains("://") || url.starts_with('#') || lower.starts_with("mailto:") {
        return false;
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let names_file = path
        .rsplit('/')
        .next()
        .and_then(|last| last.rsplit_once('.'))
        .is_some_and(|(_, ext)| !ext.eq_ignore_ascii_case("html") && !ext.is_empty());
    if !names_file {
        return false;
    }
    if path.starts_with('/') {
        return true;
    }
    let mut depth: i32 = 0;
    for part in path.split(['/', '\\']) {
        match part {
            ".." => depth -= 1,
            "" | "." => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_item_with_its_own_marker_is_known() {
        for text in [
            "1、建立",
            "12．更新",
            "（一）公开",
            "(2)目录",
            "①制度",
            "一、总体",
            "1.建立",
            "2)更新",
        ] {
            assert!(super::starts_with_list_marker(text), "{text}");
        }
        for text in ["公告栏", "1.5万元", "2023年", "123、多位", "、起", "1、"] {
            assert!(!super::starts_with_list_marker(text), "{text}");
        }
    }

    use super::*;

    #[test]
    fn images_without_alt_are_found() {
        let md = "![统计表](a.png)\n\n![](b.png)\n\n<img src=\"c.png\">\n\n<img src=\"d.png\" alt=\"图\">\n";
        let found: Vec<(String, usize)> = images_without_alt(md);
        let urls: Vec<&str> = found.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(urls, ["b.png", "c.png"]);
        assert_eq!(&md[found[1].1..found[1].1 + 4], "<img");
    }

    #[test]
    fn links_leaving_the_folder_are_found() {
        let md = "[a](../../secret.pdf) [b](附件.pdf) ![c](/etc/passwd.png) [d](C:\\Users\\x.doc) \
                  [e](../../2019/alpha/) [f](https://e.com/x.pdf) [g](file:///x) [h](sub/../../x.pdf)";
        let found: Vec<String> = outside_links(md).into_iter().map(|(u, _)| u).collect();
        assert_eq!(
            found,
            [
                "../../secret.pdf",
                "/etc/passwd.png",
                "C:\\Users\\x.doc",
                "file:///x",
                "sub/../../x.pdf"
            ]
        );
    }

    #[test]
    fn reference_links_and_autolinks_are_found_without_inline_brackets() {
        let md = "见[附件][1]和 <file:///C:/x.doc>。\n\n[1]: ../../secret.pdf\n";
        let found: Vec<String> = outside_links(md).into_iter().map(|(u, _)| u).collect();
        assert_eq!(found, ["../../secret.pdf", "file:///C:/x.doc"]);
        let md = "![][图]\n\n[图]: a.png\n";
        assert_eq!(images_without_alt(md).len(), 1);
        // Nothing that can be a link or an image: nothing found, without a parse.
        assert!(!may_link("正文（见附件）[1] ！[注]"));
        assert!(outside_links("正文（见附件）[1] ！[注]").is_empty());
    }

    #[test]
    fn pasted_numbered_lines_become_list_items() {
        let md = "我镇做了以下工作：\n1、建立制度。\n2、公开信息。\n（一）主动公开。\n（二）依申请公开。\n①网站\n②公告栏\n其后正文。\n";
        assert_eq!(
            pasted(md),
            "我镇做了以下工作：\n\n- 1、建立制度。\n- 2、公开信息。\n- （一）主动公开。\n- （二）依申请公开。\n- ①网站\n- ②公告栏\n\n其后正文。\n"
        );
        // `一、` lines are list items only when they are sentences; short ones are headings.
        let md = "一、加强领导，明确责任。\n二、完善制度，规范流程。\n";
        assert!(pasted(md).starts_with("- 一、加强领导"), "{}", pasted(md));
        let md = "一、总体情况\n二、主动公开情况\n";
        assert_eq!(pasted(md), md);
        // A lone numbered line, Markdown lists and code are left alone.
        for md in [
            "1、只有一行。\n\n正文。\n",
            "1. 甲\n2. 乙\n",
            "```\n1、甲\n2、乙\n```\n",
        ] {
            assert_eq!(pasted(md), md);
        }
    }

    #[test]
    fn pasted_tab_lines_become_a_table() {
        let md = "统计如下：\n项目\t数量\n主动公开\t12\n依申请|公开\t3\n说明。\n";
        assert_eq!(
            pasted(md),
            "统计如下：\n\n| 项目 | 数量 |\n|---|---|\n| 主动公开 | 12 |\n| 依申请\\|公开 | 3 |\n\n说明。\n"
        );
        let html = crate::render::markdown::render(md).html;
        assert!(
            html.contains("<table>") && html.contains("依申请|公开"),
            "{html}"
        );
        // Rows of different widths: not a table, a doubt that shows the Markdown to write.
        let md = "项目\t数量\t备注\n主动公开\t12\n";
        assert_eq!(pasted(md), md);
        let doubts = pasted_doubts(md);
        assert_eq!(doubts.len(), 1);
        assert!(doubts[0].message.contains("3、2"), "{doubts:?}");
        assert_eq!(
            doubts[0].write,
            "| 项目 | 数量 | 备注 |\n|---|---|---|\n| 主动公开 | 12 |  |\n"
        );
    }

    #[test]
    fn a_numbered_line_glued_to_its_paragraph_is_a_doubt() {
        let md = "正文。\n\n（一）主动公开情况\n本年度主动公开信息12条。\n";
        let doubts = pasted_doubts(md);
        assert_eq!(doubts.len(), 1, "{doubts:?}");
        assert_eq!(doubts[0].offset, md.find('（').unwrap());
        assert_eq!(doubts[0].write, "### （一）主动公开情况");
        assert!(pasted_doubts("## 一、总体情况\n正文。\n").is_empty());
    }

    #[test]
    fn a_line_break_inside_chinese_is_no_space() {
        let html = crate::render::markdown::render("第一行文字\n第二行文字\nLatin\nwords\n").html;
        assert!(html.contains("第一行文字第二行文字"), "{html}");
        assert!(html.contains("Latin\nwords"), "{html}");
    }
}
