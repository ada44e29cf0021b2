//! QR codes of page addresses, drawn as inline SVG at build time (no script, no image file).

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

/// Modules of white border around the code, as the standard asks.
const QUIET_ZONE: usize = 4;

/// The modules of the QR code of `url` (level M) and its width. The mask is fixed: choosing the
/// best of the eight by their penalty scores, as `QrCode::new` does, costs about 0.5 ms a code —
/// seconds on a large site — and any mask is valid and decodes; the mask only tunes contrast.
fn modules(url: &str) -> Option<(usize, Vec<Color>)> {
    let bits = qrcode::bits::encode_auto(url.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Some((usize::try_from(version.width()).ok()?, canvas.into_colors()))
}

/// [`svg`], remembered for the process: a township page's code is drawn for the live page and
/// again for the township's page in every year archive, with the same address.
pub(crate) fn svg_remembered(url: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    /// Enough for every township of a province; past it the memo starts over.
    const LIMIT: usize = 50_000;
    static MEMO: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    if let Some(known) = memo.lock().ok().and_then(|m| m.get(url).cloned()) {
        return known;
    }
    let drawn = svg(url);
    if let Ok(mut m) = memo.lock() {
        if m.len() >= LIMIT {
            m.clear();
        }
        m.insert(url.to_string(), drawn.clone());
    }
    drawn
}

/// Append `n` in decimal. A code's path is thousands of small numbers; `write!` per run was half
/// of the time a report page took to draw its code.
fn push_number(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// An accessible inline SVG QR code of `url`; empty when the URL is too long to encode.
pub fn svg(url: &str) -> String {
    let Some((width, colors)) = modules(url) else {
        return String::new();
    };
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width);
    // One horizontal run of dark modules per path segment keeps the markup small.
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                path.push('M');
                push_number(&mut path, start + QUIET_ZONE);
                path.push(' ');
                push_number(&mut path, y + QUIET_ZONE);
                path.push('h');
                push_number(&mut path, run);
                path.push_str("v1h-");
                push_number(&mut path, run);
                path.push('z');
            } else {
                x += 1;
            }
        }
    }
    let label = super::feeds::escape(&format!("二维码：{url}"));
    format!(
        "<svg class=\"qr-code\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><title>{label}</title><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_an_accessible_svg_of_whole_modules() {
        let s = svg("https://example.gov.cn/nianbao/2018/alpha/");
        assert!(s.starts_with("<svg class=\"qr-code\""));
        assert!(s.contains("role=\"img\""));
        assert!(s.contains("<title>二维码：https://example.gov.cn/nianbao/2018/alpha/</title>"));
        // 43 bytes at level M need version 4 (33 modules), plus the quiet zone on both sides.
        assert!(s.contains("viewBox=\"0 0 41 41\""), "{s}");
        assert_eq!(s, svg("https://example.gov.cn/nianbao/2018/alpha/"));
    }
}

#[cfg(test)]
mod memo_tests {
    #[test]
    fn a_remembered_code_is_the_code() {
        let url = "https://example.gov.cn/xxgk/townships/t00001/";
        assert_eq!(super::svg_remembered(url), super::svg(url));
        assert_eq!(super::svg_remembered(url), super::svg(url));
        assert!(super::svg(url).starts_with("<svg"));
    }
}
