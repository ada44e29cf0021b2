//! Markdown → sanitised HTML, with heading anchors for the table of contents.

use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

/// A heading of the narrative, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading's text.
    pub text: String,
}

/// A rendered Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Headings in document order.
    pub headings: Vec<Heading>,
}

/// The Markdown extensions of narratives (search and the link checker read the text with the same ones).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render Markdown to HTML; raw HTML in the source is sanitised (no scripts, no event handlers,
/// no `javascript:` URLs). Headings get positional ids `sec-1`, `sec-2`, … unless given `{#id}`.
pub fn render(markdown: &str) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let headings = anchor_headings(&mut events);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    Rendered {
        html: sanitizer().clean(&raw).to_string(),
        headings,
    }
}

/// The link and image targets of `markdown` that leave the folder of the document (`../../x`,
/// `/etc/x`, `C:\\x`, `file:` URLs), with the byte offset of each in `markdown`. Such files are
/// never copied into the site, so the link would be broken or point at a clerk's own computer.
/// Links to other pages of the site (`../../2019/alpha/`) leave the folder too, so only targets
/// that name a file (an extension other than `.html`) or a path on a computer are returned.
pub fn outside_links(markdown: &str) -> Vec<(String, usize)> {
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

fn anchor_headings(events: &mut [Event<'_>]) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut open: Option<(usize, u8)> = None;
    let mut text = String::new();
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some((i, heading_number(*level)));
                text.clear();
            }
            Event::Text(t) | Event::Code(t) if open.is_some() => text.push_str(t),
            Event::End(TagEnd::Heading(_)) => {
                let Some((start, level)) = open.take() else {
                    continue;
                };
                let id = match &mut events[start] {
                    Event::Start(Tag::Heading { id: Some(id), .. }) => id.to_string(),
                    Event::Start(Tag::Heading { id, .. }) => {
                        let generated = format!("sec-{}", headings.len() + 1);
                        *id = Some(CowStr::from(generated.clone()));
                        generated
                    }
                    _ => continue,
                };
                headings.push(Heading {
                    level,
                    id,
                    text: text.trim().to_string(),
                });
            }
            _ => {}
        }
    }
    headings
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        for tag in ["h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div"] {
            b.add_tag_attributes(tag, &["id"]);
        }
        b.add_tag_attributes("a", &["id"]);
        b.add_tag_attributes("th", &["align", "style"]);
        b.add_tag_attributes("td", &["align", "style"]);
        b.filter_style_properties(["text-align"].into_iter().collect());
        // Only the alignments tables use: any other value (`expression(…)`, `url(…)`) is dropped.
        b.attribute_filter(|_, attribute, value| {
            if attribute != "style" {
                return Some(value.into());
            }
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ';')
                .collect::<String>()
                .to_ascii_lowercase();
            ["left", "center", "right", "justify"]
                .iter()
                .any(|a| squeezed == format!("text-align:{a}"))
                .then(|| value.into())
        });
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_and_toc_entries() {
        let r = render("## 一、概述\n\n正文\n\n### 1、强化责任\n\n## 自定 {#custom}\n");
        assert!(
            r.html.contains("<h2 id=\"sec-1\">一、概述</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h3 id=\"sec-2\">1、强化责任</h3>"));
        assert!(r.html.contains("id=\"custom\""));
        assert_eq!(r.headings.len(), 3);
        assert_eq!(r.headings[1].level, 3);
        assert_eq!(r.headings[2].id, "custom");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let r = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))\n\n<iframe src=\"https://e.com\"></iframe>\n",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"));
        assert!(!r.html.contains("javascript:"));
        assert!(!r.html.contains("<iframe"));
    }

    #[test]
    fn css_in_style_attributes_is_limited_to_alignment() {
        let r = render(
            "<table><tr><td style=\"text-align: expression(alert(1))\">a</td><td style=\"text-align: center\">b</td></tr></table>\n",
        );
        assert!(!r.html.contains("expression"), "{}", r.html);
        assert!(r.html.contains("text-align:center"), "{}", r.html);
    }

    #[test]
    fn gfm_tables_render() {
        let r = render("| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<td>1</td>"));
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
    fn template_syntax_is_literal() {
        let r = render("{{ site.title }} {% if x %}\n");
        assert!(r.html.contains("{{ site.title }}"));
    }
}
