//! The Content-Security-Policy every page carries in a `<meta>`: the site's own scripts and
//! styles, and inline code only by the hash of its exact bytes, so a script that slipped into a
//! narrative would not run.
//!
//! Chromium matches `'self'` of a `file://` page against the files beside it (the offline
//! archives rely on it; `tests/e2e/scenarios/csp.mjs` checks it in the browser).

use base64::Engine as _;
use sha2::Digest as _;

/// The table alignments Markdown may give a cell, as the one `style` attribute value each is
/// written with (the sanitiser rewrites any spelling of them to these bytes). Their hashes, with
/// `'unsafe-hashes'`, let exactly these four attributes apply and nothing else inline.
pub(crate) const ALIGNMENTS: [&str; 4] = [
    "text-align:left",
    "text-align:center",
    "text-align:right",
    "text-align:justify",
];

/// The CSP source of inline code: `'sha256-<base64 of the SHA-256 of its bytes>'`.
pub(crate) fn hash(inline: &str) -> String {
    let digest = sha2::Sha256::digest(inline.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy of a full page: scripts, styles, images and connections from the site itself
/// (`connect-src` falls back to `'self'`, which `serve`'s live-reload socket needs), Markdown's
/// alignment attributes by hash, no plugins, no `<base>`, forms only to the site: itself, and
/// the live site at `base_url` by name, where a report page unpacked from a year archive sends
/// its search form.
pub(crate) fn page(base_url: &str) -> String {
    let alignments: Vec<String> = ALIGNMENTS.iter().map(|a| hash(a)).collect();
    // A source expression is one token of the policy: a URL that would end it is left out.
    let live = if base_url.contains(|c: char| c.is_whitespace() || ";,'\"<>".contains(c)) {
        ""
    } else {
        base_url
    };
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-hashes' {}; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self' {live}",
        alignments.join(" ")
    )
}

/// The policy of an embed: nothing but its own inline style and script (by hash) and `data:`
/// images. `'self'` for scripts and connections is there only for `serve`'s live reload, which
/// the preview adds to every page; a built embed asks for no other file.
pub(crate) fn embed(style: &str, script: &str) -> String {
    format!(
        "default-src 'none'; style-src {}; script-src 'self' {}; connect-src 'self'; \
         img-src data:; object-src 'none'; base-uri 'none'; form-action 'none'",
        hash(style),
        hash(script)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_those_browsers_compute() {
        // The hash Chromium prints for `<script>window.inl = 1;</script>` when it blocks it.
        assert_eq!(
            hash("window.inl = 1;"),
            "'sha256-EtiV5NJRthEdH8ly0wa025tERQyRaMWKeMjQ/TiqmFU='"
        );
    }

    #[test]
    fn policies_allow_no_inline_code_but_their_own() {
        let page = page("https://a.cn/nb/");
        assert!(
            page.ends_with("form-action 'self' https://a.cn/nb/"),
            "{page}"
        );
        assert!(!page.contains("unsafe-inline"), "{page}");
        assert!(page.contains("object-src 'none'") && page.contains("base-uri 'none'"));
        let embed = embed("a{}", "b()");
        assert!(embed.contains(&hash("a{}")) && embed.contains(&hash("b()")));
        assert!(!embed.contains("unsafe"), "{embed}");
    }
}
