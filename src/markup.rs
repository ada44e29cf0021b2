//! Escaping text for HTML, SVG and XML output. The pages, the charts and the workbooks escape the
//! same four characters; they differ only in whether and how an apostrophe is written, which each
//! keeps as its output has always had it.

/// Append `text` to `out` with `&`, `<`, `>` and `"` written as entities, and `'` as
/// `apostrophe` when one is given (left as it is otherwise). Unchanged stretches are copied whole.
pub(crate) fn push_escaped(out: &mut String, text: &str, apostrophe: Option<&str>) {
    let mut plain_from = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => match apostrophe {
                Some(entity) => entity,
                None => continue,
            },
            _ => continue,
        };
        out.push_str(&text[plain_from..i]);
        out.push_str(entity);
        plain_from = i + 1;
    }
    out.push_str(&text[plain_from..]);
}

/// `text` escaped as [`push_escaped`] escapes it.
pub(crate) fn escaped(text: &str, apostrophe: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text, apostrophe);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_is_the_replacements_in_one_pass() {
        for text in [
            "",
            "a",
            "&",
            "'",
            "<a href=\"x\">&amp;</a>",
            "县&乡 < 镇 > \"村\" '站'",
            "&&''",
            "plain 文本",
        ] {
            let four = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            assert_eq!(escaped(text, None), four, "{text:?}");
            assert_eq!(
                escaped(text, Some("&#39;")),
                four.replace('\'', "&#39;"),
                "{text:?}"
            );
        }
    }
}
