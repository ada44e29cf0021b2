//! Markdown → sanitised HTML: never panics, and nothing executable survives the sanitiser: no
//! dangerous element, no event-handler attribute, no script URL in any attribute; and the direct
//! path for plain Markdown gives exactly the sanitiser's output.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::render::markdown::{render, render_through_sanitiser};

const BANNED_TAGS: &[&str] = &[
    "script", "iframe", "frame", "object", "embed", "style", "base", "meta", "link", "form", "svg",
    "math",
];
const BANNED_URLS: &[&str] = &["javascript:", "vbscript:", "data:"];

fuzz_target!(|text: &str| {
    let html = render(text).html;
    check(&html.to_ascii_lowercase());
    // Plain Markdown skips the sanitiser; it must come out in the sanitiser's very bytes.
    assert_eq!(html, render_through_sanitiser(text).html, "{text:?}");
});

/// Walk the tags of the sanitiser's output (text never holds a raw `<`: it is escaped).
fn check(html: &str) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            !BANNED_TAGS.contains(&name.as_str()),
            "<{name}> survived: {html}"
        );
        let (attrs, after) = tag_attributes(&rest[name.len()..]);
        for (attr, value) in attrs {
            assert!(!attr.starts_with("on"), "{attr}= survived: {html}");
            let squeezed: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            for url in BANNED_URLS {
                assert!(
                    !squeezed.starts_with(url),
                    "{attr}={value} survived: {html}"
                );
            }
            assert!(
                !squeezed.contains("expression("),
                "{attr}={value} survived: {html}"
            );
        }
        rest = after;
    }
}

/// `name="value"` pairs up to the closing `>` (outside quotes), and the text after it.
fn tag_attributes(tag: &str) -> (Vec<(String, String)>, &str) {
    let mut attrs = Vec::new();
    let mut name = String::new();
    let mut value = String::new();
    let mut in_value = false;
    for (i, c) in tag.char_indices() {
        match (in_value, c) {
            (false, '>') => return (attrs, &tag[i + 1..]),
            (false, '"') => in_value = true,
            (true, '"') => {
                attrs.push((std::mem::take(&mut name), std::mem::take(&mut value)));
                in_value = false;
            }
            (true, c) => value.push(c),
            (false, ' ' | '/') => name.clear(),
            (false, '=') => {}
            (false, c) => name.push(c),
        }
    }
    (attrs, "")
}
