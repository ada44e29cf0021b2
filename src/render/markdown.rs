//! Markdown → sanitised HTML, with heading anchors for the table of contents.

use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::content::markdown::options;

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

/// Render Markdown to HTML; raw HTML in the source is sanitised (no scripts, no event handlers,
/// no `javascript:` URLs). Headings get positional ids `sec-1`, `sec-2`, … unless given `{#id}`.
pub fn render(markdown: &str) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let headings = anchor_headings(&mut events);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    let clean = sanitised(&raw);
    Rendered {
        html: unwrap_bare_anchors(&with_empty_alt(&clean)),
        headings,
    }
}

/// `raw` through the sanitiser, serialised straight into one buffer (its `Display` serialises,
/// then copies the whole page again through a formatter).
fn sanitised(raw: &str) -> String {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 8);
    // Writing into a Vec cannot fail, and html5ever serialises UTF-8 only.
    let _ = sanitizer().clean(raw).write_to(&mut out);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Every `<img>` of sanitised HTML with an `alt` (empty when the author wrote none: the image is
/// then announced as decoration, not by its file name). Sanitised HTML quotes every attribute.
fn with_empty_alt(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        out.push_str(&rest[..end]);
        if !rest[at..end].contains(" alt=\"") {
            let self_closing = rest[..end].ends_with('/');
            if self_closing {
                out.pop();
            }
            out.push_str(" alt=\"\"");
            if self_closing {
                out.push_str(" /");
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Anchors the sanitiser left without `href` (a `javascript:` link) unwrapped: their text stays,
/// no empty `<a>` (anchors with an `id` are targets and stay).
fn unwrap_bare_anchors(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut open_bare = 0usize;
    // One pass from `<` to `<`: searching the rest of the page for each kind of tag at every
    // step made long narratives with many links quadratic.
    let mut from = 0;
    while let Some(at) = rest[from..].find('<').map(|i| from + i) {
        let tail = &rest[at..];
        if tail.starts_with("<a ") || tail.starts_with("<a>") {
            let end = tail.find('>').map_or(rest.len(), |e| at + e + 1);
            let tag = &rest[at..end];
            out.push_str(&rest[..at]);
            if tag.contains("href=") || tag.contains(" id=") {
                out.push_str(tag);
            } else {
                open_bare += 1;
            }
            rest = &rest[end..];
            from = 0;
        } else if tail.starts_with("</a>") {
            out.push_str(&rest[..at]);
            if open_bare > 0 {
                open_bare -= 1;
            } else {
                out.push_str("</a>");
            }
            rest = &rest[at + 4..];
            from = 0;
        } else {
            from = at + 1;
        }
    }
    out.push_str(rest);
    out
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
        // Only the alignments tables use (the CSP allows these alone): any other value (`expression(…)`, `url(…)`) is dropped.
        b.attribute_filter(|_, attribute, value| {
            if attribute != "style" {
                return Some(value.into());
            }
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ';')
                .collect::<String>()
                .to_ascii_lowercase();
            // Written back in the one spelling whose hash the page's CSP allows.
            super::csp::ALIGNMENTS
                .iter()
                .find(|a| squeezed == a.replace(' ', ""))
                .map(|a| (*a).into())
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
    fn images_get_alt_and_anchors_without_href_are_unwrapped() {
        let r = render(
            "![](a.png) <img src=\"b.png\"> ![图](c.png)\n\n[点我](javascript:alert(1)) 与 [官网](https://e.com)\n",
        );
        assert_eq!(r.html.matches("alt=\"\"").count(), 2, "{}", r.html);
        assert!(r.html.contains("alt=\"图\""), "{}", r.html);
        assert!(r.html.contains("点我 与"), "{}", r.html);
        assert!(!r.html.contains("<a rel"), "{}", r.html);
        assert_eq!(r.html.matches("<a ").count(), 1, "{}", r.html);
        assert_eq!(r.html.matches("</a>").count(), 1, "{}", r.html);
    }

    #[test]
    fn bare_anchors_are_unwrapped_in_one_pass_and_the_rest_kept_byte_for_byte() {
        let html = "<p><a>甲</a> <abbr>缩</abbr> <a id=\"t\">乙</a> <a href=\"x\">丙</a> <b>&lt;a </b></p>\
                    <p><a rel=\"n\">丁</a><a href=\"y\"></a></p></a>";
        assert_eq!(
            unwrap_bare_anchors(html),
            "<p>甲 <abbr>缩</abbr> <a id=\"t\">乙</a> <a href=\"x\">丙</a> <b>&lt;a </b></p>\
             <p>丁<a href=\"y\"></a></p></a>"
        );
        assert_eq!(unwrap_bare_anchors("无链接 < 1"), "无链接 < 1");
    }

    #[test]
    fn css_in_style_attributes_is_limited_to_alignment() {
        let r = render(
            "<table><tr><td style=\"text-align: expression(alert(1))\">a</td><td style=\"text-align: center\">b</td></tr></table>\n",
        );
        assert!(!r.html.contains("expression"), "{}", r.html);
        let centre = super::super::csp::ALIGNMENTS[1];
        assert!(
            r.html.contains(&format!("style=\"{centre}\"")),
            "{}",
            r.html
        );
        // Markdown's own alignments come out in the same bytes, whose hashes the CSP allows.
        let r = render("| 甲 | 乙 | 丙 |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n");
        for a in &super::super::csp::ALIGNMENTS[..3] {
            assert!(r.html.contains(&format!("style=\"{a}\"")), "{}", r.html);
        }
    }

    #[test]
    fn gfm_tables_render() {
        let r = render("| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<td>1</td>"));
    }

    #[test]
    fn template_syntax_is_literal() {
        let r = render("{{ site.title }} {% if x %}\n");
        assert!(r.html.contains("{{ site.title }}"));
    }
}
