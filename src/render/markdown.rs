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
    render_with(markdown, true)
}

/// [`render`] with every document through the sanitiser, for the fuzzer's differential check
/// of the direct path.
#[doc(hidden)]
pub fn render_through_sanitiser(markdown: &str) -> Rendered {
    render_with(markdown, false)
}

fn render_with(markdown: &str, direct: bool) -> Rendered {
    let markdown = crate::content::markdown::pasted(markdown);
    let mut events: Vec<Event<'_>> = Parser::new_ext(&markdown, options()).collect();
    drop_cjk_soft_breaks(&mut events);
    let headings = anchor_headings(&mut events);
    let plain = direct && events.iter().all(is_plain);
    mark_lists(&mut events);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    // The direct path writes no image and keeps every link's address, so only the
    // sanitiser's output needs alt texts added and emptied anchors unwrapped.
    let html = match plain.then(|| plain::sanitised(&raw)).flatten() {
        Some(html) => html,
        None => unwrap_bare_anchors(&with_empty_alt(&sanitised(&raw))),
    };
    Rendered { html, headings }
}

/// A line break inside Chinese text is no space (a browser shows a soft break as one): the soft
/// breaks between two Chinese characters are left out.
fn drop_cjk_soft_breaks(events: &mut Vec<Event<'_>>) {
    use crate::content::markdown::is_cjk;
    let mut i = 1;
    while i + 1 < events.len() {
        let joins = matches!(&events[i], Event::SoftBreak)
            && matches!(&events[i - 1], Event::Text(t) if t.chars().next_back().is_some_and(is_cjk))
            && matches!(&events[i + 1], Event::Text(t) if t.chars().next().is_some_and(is_cjk));
        if joins {
            events.remove(i);
        } else {
            i += 1;
        }
    }
}

/// The class of a bulleted list whose every item begins with its own printed marker (`1、`,
/// `（一）`, `①`, `1.`): the theme shows it without bullets, so a reader sees the source's
/// marker once, not a bullet and then the number.
pub(crate) const MARKED_LIST: &str = "marked";

/// Bulleted lists whose every item begins with a printed list marker are opened as
/// `<ul class="marked">` (see [`MARKED_LIST`]).
fn mark_lists(events: &mut [Event<'_>]) {
    use crate::content::markdown::starts_with_list_marker;
    let starts: Vec<usize> = (0..events.len())
        .filter(|&i| matches!(events[i], Event::Start(Tag::List(None))))
        .collect();
    for start in starts {
        let (mut depth, mut items, mut marked) = (0usize, 0usize, true);
        let mut end = None;
        for i in start..events.len() {
            match &events[i] {
                Event::Start(Tag::List(_)) => depth += 1,
                Event::End(TagEnd::List(_)) => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(i);
                        break;
                    }
                }
                Event::Start(Tag::Item) if depth == 1 => {
                    items += 1;
                    marked &= starts_with_list_marker(&item_text(&events[i + 1..]));
                }
                _ => {}
            }
        }
        if let (Some(end), true) = (end, marked && items > 0) {
            events[start] = Event::Html(CowStr::from(format!("<ul class=\"{MARKED_LIST}\">\n")));
            events[end] = Event::Html(CowStr::Borrowed("</ul>\n"));
        }
    }
}

/// The leading text of a list item (its text events up to the first other markup; a
/// paragraph's start is skipped, as in a loose list).
fn item_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Start(Tag::Paragraph) if text.is_empty() => {}
            Event::Text(t) => text.push_str(t),
            _ => break,
        }
    }
    text
}

/// Whether pulldown-cmark writes `event` as markup whose sanitised form [`plain::sanitised`] can
/// produce without the sanitiser: no raw HTML, no images, no code blocks, no footnotes, headings
/// without classes or attributes. Anything else goes through the sanitiser.
fn is_plain(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => match tag {
            Tag::Heading { classes, attrs, .. } => classes.is_empty() && attrs.is_empty(),
            Tag::BlockQuote(kind) => kind.is_none(),
            Tag::Paragraph
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::List(_)
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. } => true,
            _ => false,
        },
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Image | TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::FootnoteDefinition
        ),
        Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::Rule => true,
        _ => false,
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

/// The sanitiser's output made directly from pulldown-cmark's markup of plain Markdown.
///
/// The sanitiser parses the page into a DOM and serialises it again, which was a fifth of a
/// report page's time; for markup pulldown-cmark wrote from the events [`is_plain`] accepts,
/// the result is known tag by tag. This writes exactly those bytes (a test holds it to the
/// sanitiser's output) and answers `None` for anything it does not know, which then goes
/// through the sanitiser.
mod plain {
    /// What the sanitiser adds to every link.
    const LINK_REL: &str = "noopener noreferrer";
    /// The sanitiser's default URL schemes that links of reports use; others go the long way.
    const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

    pub(super) fn sanitised(raw: &str) -> Option<String> {
        let mut out = String::with_capacity(raw.len() + raw.len() / 16);
        let mut rest = raw;
        while let Some(at) = rest.find('<') {
            text(&mut out, &rest[..at])?;
            let end = at + rest[at..].find('>')?;
            tag(&mut out, &rest[at + 1..end])?;
            rest = &rest[end + 1..];
        }
        text(&mut out, rest)?;
        Some(out)
    }

    /// A tag's inside (between `<` and `>`), as the sanitiser writes it back.
    fn tag(out: &mut String, inside: &str) -> Option<()> {
        if let Some(name) = inside.strip_prefix('/') {
            known(name)?;
            out.push_str("</");
            out.push_str(name);
            out.push('>');
            return Some(());
        }
        let inside = inside.strip_suffix(" /").unwrap_or(inside);
        let (name, mut attributes) = inside.split_once(' ').unwrap_or((inside, ""));
        let allowed: &[&str] = match known(name)? {
            Kind::Plain if name == "ul" => &["class"],
            Kind::Plain => &[],
            Kind::Heading => &["id"],
            Kind::List => &["start"],
            Kind::Cell => &["style"],
            Kind::Link => &["href", "title"],
        };
        out.push('<');
        out.push_str(name);
        while !attributes.is_empty() {
            let (attribute, value, after) = attribute(attributes)?;
            if !allowed.contains(&attribute) {
                return None;
            }
            let value = decoded(value)?;
            let value = match attribute {
                "style" => super::allowed_alignment(&value)?.to_string(),
                "class" if value != super::MARKED_LIST => return None,
                "href" if !allowed_url(&value) => return None,
                _ => value,
            };
            out.push(' ');
            out.push_str(attribute);
            out.push_str("=\"");
            escape_attribute(out, &value);
            out.push('"');
            attributes = after;
        }
        if name == "a" {
            out.push_str(" rel=\"");
            out.push_str(LINK_REL);
            out.push('"');
        }
        out.push('>');
        Some(())
    }

    enum Kind {
        Plain,
        Heading,
        List,
        Cell,
        Link,
    }

    fn known(name: &str) -> Option<Kind> {
        Some(match name {
            "p" | "ul" | "li" | "em" | "strong" | "del" | "code" | "blockquote" | "table"
            | "thead" | "tbody" | "tr" | "br" | "hr" => Kind::Plain,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Kind::Heading,
            "ol" => Kind::List,
            "th" | "td" => Kind::Cell,
            "a" => Kind::Link,
            _ => return None,
        })
    }

    /// The first `name="value"` of `attributes` and what follows it.
    fn attribute(attributes: &str) -> Option<(&str, &str, &str)> {
        let (name, rest) = attributes.split_once("=\"")?;
        let (value, rest) = rest.split_once('"')?;
        Some((name, value, rest.strip_prefix(' ').unwrap_or(rest)))
    }

    /// Whether the sanitiser keeps `url` as it is: a relative URL (no scheme), or one with a
    /// scheme it allows that parses.
    fn allowed_url(url: &str) -> bool {
        match url::Url::parse(url) {
            Ok(parsed) => SCHEMES.contains(&parsed.scheme()),
            Err(url::ParseError::RelativeUrlWithoutBase) => true,
            Err(_) => false,
        }
    }

    /// Text as the sanitiser's serialiser writes it: pulldown-cmark's escapes undone, then `&`,
    /// `<`, `>` and the no-break space escaped. Control characters the parser would rewrite
    /// (carriage returns, NUL) are left to it.
    fn text(out: &mut String, text: &str) -> Option<()> {
        let mut rest = text;
        while let Some(at) = rest.find(|c: char| matches!(c, '&' | '>' | '\u{a0}') || is_control(c))
        {
            out.push_str(&rest[..at]);
            let c = rest[at..].chars().next()?;
            if is_control(c) {
                return None;
            }
            let (c, length) = if c == '&' {
                entity(&rest[at..])?
            } else {
                (c, c.len_utf8())
            };
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\u{a0}' => out.push_str("&nbsp;"),
                c => out.push(c),
            }
            rest = &rest[at + length..];
        }
        out.push_str(rest);
        Some(())
    }

    fn is_control(c: char) -> bool {
        c.is_control() && c != '\n' && c != '\t'
    }

    /// An attribute value with pulldown-cmark's escapes undone.
    fn decoded(value: &str) -> Option<String> {
        let mut out = String::with_capacity(value.len());
        let mut rest = value;
        while let Some(at) = rest.find(|c: char| c == '&' || is_control(c)) {
            out.push_str(&rest[..at]);
            let (c, length) = entity(&rest[at..])?;
            out.push(c);
            rest = &rest[at + length..];
        }
        out.push_str(rest);
        Some(out)
    }

    /// The character of the escape pulldown-cmark wrote at the start of `text`, and its length.
    fn entity(text: &str) -> Option<(char, usize)> {
        [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&#x27;", '\''),
        ]
        .into_iter()
        .find(|(escape, _)| text.starts_with(escape))
        .map(|(escape, c)| (c, escape.len()))
    }

    fn escape_attribute(out: &mut String, value: &str) {
        for c in value.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                '\u{a0}' => out.push_str("&nbsp;"),
                c => out.push(c),
            }
        }
    }
}

/// The alignment a table cell's `style` asks for, in the one spelling whose hash the pages' CSP
/// allows; `None` for any other style (`expression(…)`, `url(…)`), which is dropped. The
/// sanitiser's attribute filter and the direct path both write styles through it.
fn allowed_alignment(style: &str) -> Option<&'static str> {
    let squeezed: String = style
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ';')
        .collect::<String>()
        .to_ascii_lowercase();
    super::csp::ALIGNMENTS
        .iter()
        .find(|a| squeezed == a.replace(' ', ""))
        .copied()
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        for tag in ["h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div"] {
            b.add_tag_attributes(tag, &["id"]);
        }
        b.add_tag_attributes("a", &["id"]);
        b.add_allowed_classes("ul", &[MARKED_LIST]);
        b.add_tag_attributes("th", &["align", "style"]);
        b.add_tag_attributes("td", &["align", "style"]);
        b.filter_style_properties(["text-align"].into_iter().collect());
        // Only the alignments tables use (the CSP allows these alone): any other value (`expression(…)`, `url(…)`) is dropped.
        b.attribute_filter(|_, attribute, value| {
            if attribute != "style" {
                return Some(value.into());
            }
            allowed_alignment(value).map(Into::into)
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

    /// The direct path's output for `markdown` (`None` when it declines) and the sanitiser's.
    fn both_ways(markdown: &str) -> (Option<String>, String) {
        let markdown = crate::content::markdown::pasted(markdown);
        let mut events: Vec<Event<'_>> = Parser::new_ext(&markdown, options()).collect();
        drop_cjk_soft_breaks(&mut events);
        anchor_headings(&mut events);
        let is_plain = events.iter().all(is_plain);
        mark_lists(&mut events);
        let mut raw = String::new();
        html::push_html(&mut raw, events.into_iter());
        let direct = if is_plain {
            plain::sanitised(&raw)
        } else {
            None
        };
        (direct, sanitised(&raw))
    }

    #[test]
    fn a_list_whose_items_carry_their_own_markers_has_no_bullets() {
        let r = render(
            "本年度做了：\n\n1、建立制度\n2、更新目录\n\n渠道有：\n\n- 公告栏\n- 1.政府网站\n",
        );
        assert!(
            r.html.contains(
                "<ul class=\"marked\">\n<li>1、建立制度</li>\n<li>2、更新目录</li>\n</ul>"
            ),
            "{}",
            r.html
        );
        // One item without a marker: the list keeps its bullets.
        assert!(
            r.html
                .contains("<ul>\n<li>公告栏</li>\n<li>1.政府网站</li>\n</ul>"),
            "{}",
            r.html
        );
        // Through the sanitiser too (an image sends the page the long way).
        let r = render("![图](a.png)\n\n- （一）甲\n- （二）乙\n");
        assert!(r.html.contains("<ul class=\"marked\">"), "{}", r.html);
    }

    #[test]
    fn plain_markdown_skips_the_sanitiser_with_the_same_bytes() {
        let plain = [
            "正文一段。\n\n## 一、概述\n\n第二段 & <尖括号> \"引号\" '单引号'\u{a0}不换行。\n",
            "# 标题 {#own-id}\n\n- 甲\n- 乙\n  - 丙\n\n3. 三\n4. 四\n\n1. 一\n\n> 引用\n> 第二行\n",
            "*强调* **加粗** ~~删除~~ `代码 <b> & \"x\"` 硬换行  \n下一行\n\n---\n\n***\n",
            "| 项目 | 数量 | 说明 |\n|:--|:-:|--:|\n| 申请 | 3 | a&b |\n| 答复 | | \\<x\\> |\n\n| 甲 |\n|---|\n",
            "[官网](http://www.example.gov.cn/a?b=1&c=2 \"标题 & \\\"引\\\"\") 与 [相对](../2019/x/index.html#sec-1) \
             [邮件](mailto:a@example.cn) <https://example.com/路径?q=政务 公开> [空]() [片段](#sec-2) \
             [协议相对](//example.com/x) [单引号](http://e.com/it's)\n",
            "列表中的表格：\n\n- 项\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n\n- 另一项\n\n  第二段\n",
            "&amp; &lt; &copy; &nbsp; &#169; &#x4E00; \\* \\<p\\>\n",
            "### 三级 *斜* `码`\n\n#### 四 ####\n\n##### 五\n\n###### 六\n\n段落\n===\n",
            "1、建立制度\n2、更新目录\n\n- 1\\.甲\n- 2\\.乙\n\n* （一）丙\n\n  - ①丁\n",
        ];
        for markdown in plain {
            let (direct, sanitised) = both_ways(markdown);
            assert_eq!(direct.as_deref(), Some(sanitised.as_str()), "{markdown}");
        }
    }

    #[test]
    fn markup_the_direct_path_does_not_know_goes_through_the_sanitiser() {
        let declined = [
            "<b>原始 HTML</b>\n",
            "<div>块</div>\n",
            "![图](a.png)\n",
            "```rust\nfn main() {}\n```\n",
            "    缩进代码\n",
            "脚注[^1]\n\n[^1]: 注\n",
            "# 标题 {.cls}\n",
            "[坏](javascript:alert(1))\n",
            "[未知协议](ftp://example.com/x)\n",
            "[坏主机](http://)\n",
            "回车\r\n换行\u{1}控制\n",
        ];
        for markdown in declined {
            let (direct, _) = both_ways(markdown);
            assert_eq!(direct, None, "{markdown}");
            // And the page still gets the sanitiser's output.
            let (_, sanitised) = both_ways(markdown);
            assert_eq!(
                render(markdown).html,
                unwrap_bare_anchors(&with_empty_alt(&sanitised))
            );
        }
    }

    /// Random compositions of tricky Markdown pieces: whenever the direct path takes one, its
    /// bytes are the sanitiser's.
    #[test]
    fn random_compositions_give_the_sanitisers_bytes() {
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "段落文字", "## 标题", "# 一 {#id-1}", "- 项", "  - 子项", "1. 一", "7) 七", "> 引用",
            "| 甲 | 乙 |", "|:-|-:|", "|---|:---:|", "| 1 | 2 |", "*斜*", "**粗**", "~~删~~",
            "_下_", "`码 & <x>`", "[链](http://e.gov.cn/a?b=1&c=2)", "[相对](../x/index.html)",
            "[题](https://e.cn \"标 \\\"题\\\"\")", "<http://e.cn/x>", "<a@b.cn>",
            "[坏](javascript:x)", "[空]()", "&amp;", "&nbsp;", "\u{a0}", "&copy;", "&#60;", "\\*",
            "\\<", "\"", "'", "<", ">", "&", "---", "***", "===", "[ref]", "[ref]: http://e.cn/r",
            "![图](a.png)", "<br>", "\t缩进", "    代码", "```", "[^1]", "2019年", "1.5", "|",
        ];
        const GLUE: &[&str] = &["", " ", "\n", "\n\n", "  \n", "\n- ", "\n| "];
        let mut random = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let mut next = |n: usize| random(n as u64) as usize;
        let mut direct_count = 0;
        for _ in 0..3000 {
            let mut markdown = String::new();
            for _ in 0..1 + next(12) {
                markdown.push_str(PIECES[next(PIECES.len())]);
                markdown.push_str(GLUE[next(GLUE.len())]);
            }
            let (direct, sanitised) = both_ways(&markdown);
            if let Some(direct) = direct {
                assert_eq!(direct, sanitised, "{markdown:?}");
                direct_count += 1;
            }
        }
        // Both paths are exercised, so the comparison above is not vacuous.
        assert!(
            (300..2700).contains(&direct_count),
            "{direct_count} took the direct path"
        );
    }

    /// Every narrative shipped with the project (the bundled pack and the demo site) comes out
    /// of the direct path, when it takes it, exactly as out of the sanitiser.
    #[test]
    fn shipped_narratives_give_the_sanitisers_bytes() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for folder in ["content", "examples"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.unwrap();
                if entry.path().extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(entry.path()).unwrap();
                    let body = text.rsplit("\n---\n").next().unwrap_or(&text);
                    let (direct, sanitised) = both_ways(body);
                    if let Some(direct) = direct {
                        assert_eq!(direct, sanitised, "{}", entry.path().display());
                        checked += 1;
                    }
                }
            }
        }
        assert!(
            checked >= 20,
            "only {checked} narratives took the direct path"
        );
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
