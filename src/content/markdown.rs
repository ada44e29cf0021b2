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
}
