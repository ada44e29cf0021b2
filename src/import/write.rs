//! The text of the files an import writes: report.md (front matter + Markdown narrative) and
//! stats.yaml (the scaffold's layout, filled). Pure functions of the analysed import.

use std::fmt::Write as _;

use super::source::{Place, Shape, Text};

/// Front-matter fields in the content format's order (docs/内容格式.md), with their comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// 标题.
    pub title: Option<String>,
    /// 索引号.
    pub index_no: Option<String>,
    /// 发布机构.
    pub publisher: Option<String>,
    /// 公开范围.
    pub scope: Option<String>,
    /// 生成日期 (ISO).
    pub generated: Option<String>,
    /// 公开日期 (ISO); `None` writes `~`: the original does not say.
    pub published: Option<String>,
    /// 公开方式.
    pub channel: Option<String>,
    /// Table footer: (key, value, comment) in order.
    pub form: Vec<(&'static str, String, &'static str)>,
    /// Attachments: (file, title).
    pub attachments: Vec<(String, String)>,
}

/// A YAML scalar that reads back as exactly `text`: plain when that is safe, else quoted.
pub(super) fn scalar(text: &str) -> String {
    let plain_ok = !text.is_empty()
        && !text.contains(['#', ':', '"', '\'', '\n'])
        && !text.starts_with(['-', '[', '{', '&', '*', '!', '|', '>', '%', '@', '`', ' '])
        && serde_yaml::from_str::<serde_yaml::Value>(text)
            .ok()
            .and_then(|v| v.as_str().map(|s| s == text))
            .unwrap_or(false);
    if plain_ok {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "")))
    }
}

/// How the keys of an imported report.md are commented.
#[derive(Debug, Clone, Copy)]
pub(super) enum Notes<'a> {
    /// Read from a published report: what the original did not show stays `~`.
    Original,
    /// A table without narrative: the skeleton of `nianbao new` (its comments, the deadline of
    /// the report year), filled with what the table gave.
    Skeleton {
        /// The deadline, as `nianbao new` writes it.
        deadline: &'a str,
    },
}

/// The front matter between `---` lines, one commented key per line, for a report of `year`.
pub(super) fn front_matter(fm: &FrontMatter, origin: &str, year: u16, notes: Notes<'_>) -> String {
    use crate::scaffold;
    let mut out = String::from("---\n");
    let _ = writeln!(
        out,
        "# 由 nianbao import 从「{origin}」导入；请对照原件核对后删去本行。"
    );
    let skeleton = matches!(notes, Notes::Skeleton { .. });
    // Every key of the scaffold `nianbao new` writes, with its comment: what the original did
    // not show stays `~` (unknown, shown as such), never a guess.
    let mut line = |key: &str, value: Option<&str>, comment: &str| match value {
        Some(v) => {
            let _ = writeln!(out, "{key}: {}   # {comment}", scalar(v));
        }
        None if skeleton => {
            let _ = writeln!(out, "{key}: ~   # {comment}");
        }
        None => {
            let _ = writeln!(
                out,
                "{key}: ~   # {comment}（原件中没有找到；原件有就照写，没有就保留 ~）"
            );
        }
    };
    line("title", fm.title.as_deref(), scaffold::TITLE_NOTE);
    line(
        "index_no",
        fm.index_no.as_deref(),
        &scaffold::index_no_note(year),
    );
    line(
        "publisher",
        fm.publisher.as_deref(),
        scaffold::PUBLISHER_NOTE,
    );
    line("scope", fm.scope.as_deref(), scaffold::SCOPE_NOTE);
    line(
        "generated",
        fm.generated.as_deref(),
        scaffold::GENERATED_NOTE,
    );
    let published = match (notes, &fm.published) {
        (Notes::Skeleton { deadline }, None) => scaffold::published_note(deadline),
        _ => "公开日期（YYYY-MM-DD）".to_string(),
    };
    line("published", fm.published.as_deref(), &published);
    line("channel", fm.channel.as_deref(), scaffold::CHANNEL_NOTE);
    if !fm.form.is_empty() {
        out.push_str("form:   # 统计表表尾\n");
        for (key, value, comment) in &fm.form {
            let _ = writeln!(out, "  {key}: {}   # {comment}", scalar(value));
        }
    }
    if fm.attachments.is_empty() {
        out.push_str(
            "# attachments:                   # 附件说明：报告目录中的其他文件都会作为附件发布\n",
        );
        out.push_str("#   - file: 统计表.xls            #   文件名（与目录中的文件完全一致）\n");
        out.push_str("#     title: 政府信息公开情况统计表 #   显示的标题\n");
    } else {
        out.push_str("attachments:   # 附件\n");
        for (file, title) in &fm.attachments {
            let _ = writeln!(out, "  - file: {}", scalar(file));
            let _ = writeln!(out, "    title: {}", scalar(title));
        }
    }
    out.push_str("---\n");
    out
}

/// The narrative as Markdown: one paragraph per block; short numbered lines become headings
/// (`一、` → `##`, `1、`/`(一)` → `###`) when they are not sentences.
///
/// A block whose reader knows its shape (`shapes`, a Word document's headings, lists and
/// tables) is written as that shape; list items of one list are written without blank lines
/// between them. A list right after another (a numbered list, then a bulleted one) is written
/// with the other bullet character (`-`, then `*`), so that Markdown keeps them two lists.
pub(super) fn narrative(blocks: &[Text], shapes: &[(Place, Shape)]) -> String {
    let mut out = String::new();
    let mut previous_list: Option<&str> = None;
    let mut bullet = '*';
    for block in blocks {
        let shape = shapes
            .iter()
            .find(|(at, _)| *at == block.at)
            .map(|(_, s)| s);
        let list = match shape {
            Some(Shape::Item { list, .. }) => Some(list.as_str()),
            _ => None,
        };
        let same_list = list.is_some() && list == previous_list;
        if list.is_some() && !same_list {
            bullet = if previous_list.is_some() && bullet == '-' {
                '*'
            } else {
                '-'
            };
        }
        if !out.is_empty() && !same_list {
            out.push('\n');
        }
        previous_list = list;
        let text = block.text.trim();
        match shape {
            Some(Shape::Markdown) => {
                out.push_str(text);
                out.push('\n');
            }
            Some(Shape::Item { depth, .. }) => {
                let _ = writeln!(
                    out,
                    "{}{bullet} {}",
                    "  ".repeat(*depth),
                    escape(text, true)
                );
            }
            Some(Shape::Heading(n)) => {
                let _ = writeln!(out, "{} {}", "#".repeat(*n), escape(text, false));
            }
            None => {
                let prefix =
                    heading_level(text).map_or(String::new(), |n| format!("{} ", "#".repeat(n)));
                let _ = writeln!(out, "{prefix}{}", escape(text, prefix.is_empty()));
            }
        }
    }
    out
}

/// A table of the narrative as a Markdown table: the first row its header, each cell's text
/// escaped and its line breaks kept as `<br>`-free spaces.
pub(super) fn table(grid: &[Vec<Text>]) -> String {
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = String::new();
    for (r, row) in grid.iter().enumerate() {
        out.push('|');
        for c in 0..width {
            let text = row.get(c).map_or("", |t| t.text.as_str());
            let cell = escape(
                &text.split_whitespace().collect::<Vec<_>>().join(" "),
                false,
            )
            .replace('|', "\\|");
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
        if r == 0 {
            out.push('|');
            out.push_str(&"---|".repeat(width));
            out.push('\n');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

fn heading_level(text: &str) -> Option<usize> {
    let chars = text.chars().count();
    if chars > 30 || text.contains(['。', ';', '；']) || text.ends_with([':', '：', ',', '，'])
    {
        return None;
    }
    let first = text.chars().next()?;
    let after_numeral = text.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c));
    if after_numeral.len() < text.len() && after_numeral.starts_with('、') {
        return Some(2);
    }
    let after_digits = text.trim_start_matches(|c: char| c.is_ascii_digit());
    if first.is_ascii_digit() && after_digits.starts_with(['、', '．']) {
        return Some(3);
    }
    let paren = text
        .strip_prefix(['(', '（'])
        .map(|t| t.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c)));
    if paren.is_some_and(|t| t.starts_with([')', '）']) && t.len() + 3 < text.len()) {
        return Some(3);
    }
    None
}

/// Escape what Markdown would read as markup; a paragraph's leading marker too. CommonMark
/// takes a backslash as an escape only before ASCII punctuation (`\\1` shows the backslash), so
/// an ordered-list marker is escaped at its `.` or `)`: `1\\. 组织领导`.
fn escape(text: &str, paragraph: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // `&` starts an entity (`&copy;` would show ©).
        if matches!(c, '\\' | '*' | '_' | '`' | '<' | '[' | ']' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    if paragraph {
        let digits = out.len() - out.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && out[digits..].starts_with(['.', ')']) {
            out.insert(digits, '\\');
        } else if out.starts_with(['#', '>', '-', '+', '=', '|', '~']) {
            out.insert(0, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_exactly() {
        for s in [
            "00638229X4/2019-1513549",
            "18598936331",
            "2019-03-12",
            "北景港镇",
            "a: b",
            "# x",
            "~",
            "1.50",
            "yes",
        ] {
            let yaml = format!("k: {}\n", scalar(s));
            let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            if s == "2019-03-12" {
                continue;
            }
            assert_eq!(v["k"].as_str(), Some(s), "{s} → {yaml}");
        }
    }

    #[test]
    fn headings_only_for_short_numbered_lines() {
        assert_eq!(heading_level("一、概述"), Some(2));
        assert_eq!(heading_level("1、强化责任,确保政务公开组织到位"), Some(3));
        assert_eq!(
            heading_level("2、工作力度不大,政务公开的力度不大,进展不快。"),
            None
        );
        assert_eq!(
            heading_level("(一)围绕政策和决策抓公开。围绕相关政策"),
            None
        );
        assert_eq!(heading_level("（一）主动公开情况"), Some(3));
        assert_eq!(heading_level("2018年,主动公开"), None);
    }

    #[test]
    fn markup_is_escaped() {
        let md = narrative(
            &[Text::new("1. 不是列表 *也不是强调*", Place::Line(1))],
            &[],
        );
        assert_eq!(md, "1\\. 不是列表 \\*也不是强调\\*\n");
    }

    /// Every escape the importer writes is one CommonMark honours: the rendered page shows the
    /// text exactly as printed, with no backslash (issue 22: `<p>\\1.组织领导`).
    #[test]
    fn the_rendered_narrative_shows_the_text_as_printed() {
        let lines = [
            "1.组织领导",
            "2) 制度建设",
            "1. 不是列表 *也不是强调*",
            "- 横线开头",
            "# 井号开头",
            "> 引用号开头",
            "+ 加号",
            "a_b [c] <d> `e` \\f &copy; &amp;",
            "| 竖线 |",
            "2018.全年",
        ];
        let blocks: Vec<Text> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| Text::new(*l, Place::Line(i + 1)))
            .collect();
        let html = crate::render::markdown::render(&narrative(&blocks, &[])).html;
        for line in lines {
            let shown = line
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(html.contains(&format!(">{shown}<")), "{line} → {html}");
        }
        // The one backslash shown is the one printed in the source.
        assert_eq!(html.matches('\\').count(), 1, "{html}");
    }
}
