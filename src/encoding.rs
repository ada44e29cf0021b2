//! Text encodings of files that come from Word, Excel and old Windows machines: one place decides
//! what bytes mean, for content files and for imported pages alike.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// The encoding a file turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Windows Notepad's "UTF-8 with BOM").
    Utf8Bom,
    /// UTF-16, little-endian (Notepad's "Unicode").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// GBK / GB18030 (Notepad's "ANSI" on a Chinese Windows).
    Gb18030,
}

impl TextEncoding {
    /// The name clerks see in their editor's "save as" dialog.
    pub(crate) fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8（带 BOM）",
            TextEncoding::Utf16Le => "UTF-16 LE（记事本的 Unicode）",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Gb18030 => "GBK/GB18030（记事本的 ANSI）",
        }
    }

    /// Whether the file is UTF-8, the content format's encoding (a BOM is harmless).
    pub(crate) fn is_utf8(self) -> bool {
        matches!(self, TextEncoding::Utf8 | TextEncoding::Utf8Bom)
    }
}

/// A decoded text file.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text, without a byte-order mark.
    pub text: Cow<'a, str>,
    /// What the bytes were.
    pub encoding: TextEncoding,
}

/// The bytes are not text in any encoding we recognise.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("无法识别文件的文本编码（不是 UTF-8、UTF-16 或 GBK/GB18030）")]
pub struct UnknownEncoding;

/// Decode `bytes` exactly: a BOM decides; else valid UTF-8 is UTF-8; else UTF-16 without a BOM
/// is recognised by its zero bytes; else chardetng (told the text is Chinese) must name GBK and
/// the text must decode as GB18030 without a single error.
/// Nothing is ever decoded lossily, so a wrong guess cannot put mojibake into a page.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, UnknownEncoding> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let kind = if encoding == UTF_8 {
            TextEncoding::Utf8Bom
        } else if encoding == UTF_16LE {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        return strict(encoding, body, kind);
    }
    // ASCII text in UTF-16 is valid UTF-8 (with a NUL in every other byte), and no real text
    // file holds NULs: zero bytes are checked for UTF-16 first.
    let has_nul = bytes.contains(&0);
    if !has_nul && let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: TextEncoding::Utf8,
        });
    }
    if let Some(kind) = utf16_without_bom(bytes) {
        let encoding = if kind == TextEncoding::Utf16Le {
            UTF_16LE
        } else {
            UTF_16BE
        };
        return strict(encoding, bytes, kind);
    }
    if has_nul {
        return Err(UnknownEncoding);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny);
    if (guess == encoding_rs::GBK || guess == GB18030) && mostly_common_hanzi(bytes) {
        return strict(GB18030, bytes, TextEncoding::Gb18030);
    }
    Err(UnknownEncoding)
}

/// Whether the double-byte characters of GBK-looking bytes are mostly GB2312 (the 6,763 common
/// hanzi and the usual punctuation: lead 0xA1–0xF7, trail 0xA1–0xFE). Real Chinese text is; bytes
/// of another encoding read as GBK (UTF-16 without BOM, Big5, Shift-JIS) fall mostly into the
/// rare GBK extensions, and decoding them would publish mojibake.
fn mostly_common_hanzi(bytes: &[u8]) -> bool {
    let (mut common, mut rare) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let trail = bytes.get(i + 1).copied().unwrap_or(0);
        if trail.is_ascii_digit() {
            // A four-byte GB18030 sequence (rare characters, e.g. in place names): its strict
            // digit pattern does not happen by chance, so it counts neither way.
            i += 4;
            continue;
        }
        if (0xA1..=0xF7).contains(&lead) && (0xA1..=0xFE).contains(&trail) {
            common += 1;
        } else {
            rare += 1;
        }
        i += 2;
    }
    rare * 4 <= common
}

fn strict<'a>(
    encoding: &'static Encoding,
    body: &'a [u8],
    kind: TextEncoding,
) -> Result<Decoded<'a>, UnknownEncoding> {
    match encoding.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok(Decoded {
            text,
            encoding: kind,
        }),
        None => Err(UnknownEncoding),
    }
}

/// UTF-16 text of mostly ASCII or CJK has a zero byte in many code units; which half holds the
/// zeros tells the byte order.
fn utf16_without_bom(bytes: &[u8]) -> Option<TextEncoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let even_zeros = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zeros = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_zeros * 4 >= pairs && even_zeros * 20 < pairs {
        Some(TextEncoding::Utf16Le)
    } else if even_zeros * 4 >= pairs && odd_zeros * 20 < pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "北景港镇人民政府2018年政府信息公开工作年度报告\nformat: gov-2014\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(SAMPLE.as_bytes()).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), (SAMPLE, TextEncoding::Utf8));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&bom).unwrap();
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            (SAMPLE, TextEncoding::Utf8Bom)
        );
    }

    #[test]
    fn gbk_is_recognised_and_decoded_exactly() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        let d = decode(&bytes).unwrap();
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            (SAMPLE, TextEncoding::Gb18030)
        );
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let units: Vec<u16> = SAMPLE.encode_utf16().collect();
        let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
        for (bytes, kind) in [(&le, TextEncoding::Utf16Le), (&be, TextEncoding::Utf16Be)] {
            let d = decode(bytes).unwrap();
            assert_eq!((d.text.as_ref(), d.encoding), (SAMPLE, kind));
        }
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend_from_slice(&le);
        let d = decode(&with_bom).unwrap();
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            (SAMPLE, TextEncoding::Utf16Le)
        );
    }

    #[test]
    fn ascii_utf16_without_bom_is_not_taken_for_utf8() {
        let be: Vec<u8> = "format: gov-2014\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&be).unwrap().encoding, TextEncoding::Utf16Be);
    }

    #[test]
    fn chinese_utf16_without_bom_is_refused_not_read_as_gbk() {
        let le: Vec<u8> = "本县政府信息公开年报汇编。"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&le).err(), Some(UnknownEncoding));
    }

    #[test]
    fn binary_garbage_is_refused_not_guessed() {
        assert_eq!(
            decode(&[0x81, 0x20, 0xFF, 0xFF, 0x80]).err(),
            Some(UnknownEncoding)
        );
    }
}
