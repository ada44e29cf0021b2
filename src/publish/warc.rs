//! A year as web archives keep it (`nianbao archive <year> --format warc`): a WARC 1.1 file
//! (ISO 28500:2017, adopted as GB/T 33994-2017), gzip-compressed one member per record, that
//! warcio and pywb read and replay.
//!
//! What it holds is the **published site**, not the offline ZIP: every file the year alone makes
//! ([`capture_plan`]: the year's reports, their files, and the home, township, county, data and
//! oversight pages) at the URL it has under `base_url`, with the bytes the live site serves there
//! (the pages of the whole site as `nianbao build` renders them, not the ZIP's own home and year
//! pages, which say 离线归档副本). The live site's own search index (its shards follow the whole site) and the year's
//! ZIP (`archive/<year>.zip`, which the live year page links to with its size) come with it; the
//! county-wide data files (`data/all.csv`, `data/all.json`: every year's figures) do not, as
//! each year's WARC would repeat all years (the year's own figures are in its reports' files and
//! its ZIP).
//! Links are relative on the live site as in the ZIP, so the pages replay at their URLs as
//! they are.
//!
//! Records, all dated with the capture time ([`Capture::at`]):
//! - one `warcinfo`: the software, the standard, and the capture as DA/T 80-2019 describes it
//!   (网站名称, 网站地址, 归档范围, 归档时间, 发布机构);
//! - a `response` per file, in path order, with an HTTP/1.1 status line, `Content-Type` (with
//!   `charset=utf-8` for the site's own text files) and `Content-Length`;
//! - a `revisit` (profile identical-payload-digest) for each directory page's address
//!   `…/`, pointing at its `…/index.html` response (the pages link to `…/index.html`; people,
//!   canonical links and QR codes use `…/`).
//!
//! Digests are SHA-1 in base32 (`sha1:…`), as warcio, pywb and CDX indexes expect; the bag
//! ([`super::bagit`]) holds SHA-256 of the whole file. Record IDs are name-based UUIDs of the
//! record's type, address, date and block digest, so the same input and capture time give the
//! same bytes.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;
use sha1::{Digest, Sha1};

use super::archive::ArchiveError;
use crate::plan::{Content, PlannedFile, Target, plan, urls};
use crate::produce::Producer;
use crate::site::Site;
use crate::theme::Theme;

/// The version line of every record.
const VERSION: &str = "WARC/1.1";

/// The revisit profile of a directory page's second address.
const IDENTICAL_PAYLOAD: &str = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";

/// Files produced in parallel before their records are written in order.
const CHUNK: usize = 64;

/// Gzip level of every record, fixed so that the output does not depend on a library default
/// (level 1 as the ZIP's deflate: most of an archive's cost is compression).
const LEVEL: u32 = 1;

/// One capture of a year.
#[derive(Debug, Clone)]
pub struct Capture<'a> {
    /// The year.
    pub year: u16,
    /// When the pages were captured (every record's `WARC-Date`), seconds since 1970 UTC.
    pub at: i64,
    /// The year's offline ZIP, already written: the live site publishes it as
    /// `archive/<year>.zip`, and the year page shows its size.
    pub zip: &'a Path,
    /// The WARC's own file name (`WARC-Filename` of the `warcinfo` record).
    pub filename: &'a str,
    /// 发布机构: who publishes the site.
    pub publisher: &'a str,
}

/// The live site's files a year's WARC holds, in path order: those the year alone makes
/// ([`Site::restricted_to_year`]: its reports and their files, the home, township, county, data
/// and oversight pages) but the county-wide data files (`data/all.csv`, `data/all.json`), the
/// live search index and the year's ZIP.
pub fn capture_plan(site: &Site, theme: &Theme, year: u16) -> Vec<PlannedFile> {
    let archived: HashSet<String> = plan(&site.restricted_to_year(year), theme)
        .into_iter()
        .map(|f| f.path)
        .collect();
    let mut files: Vec<PlannedFile> = plan(site, theme)
        .into_iter()
        .filter(|f| match f.target {
            Target::SearchDocs
            | Target::SearchFold
            | Target::SearchFoldBlock(_)
            | Target::SearchLabels(_)
            | Target::SearchShard(_)
            | Target::SearchTowns(_) => true,
            Target::Archive(y) => y == year,
            // Every year's figures of the county: the year's own are in its reports' files, its
            // figures and its ZIP; these would put all years into each year's WARC (116 MB of
            // its 305 at 20,000 reports).
            Target::AllData(_) => false,
            _ => archived.contains(&f.path),
        })
        .collect();
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    files
}

/// What the WARC of a year holds, for the message and the bag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Bytes of the file.
    pub bytes: u64,
    /// `response` records (files).
    pub responses: usize,
    /// `revisit` records (directory addresses).
    pub revisits: usize,
}

/// Write the WARC of `capture` of the live `site` to `out`.
pub fn write<W: Write>(
    site: &Site,
    theme: &Theme,
    capture: &Capture<'_>,
    out: W,
) -> Result<Written, ArchiveError> {
    let files = capture_plan(site, theme, capture.year);
    let zip_size = std::fs::metadata(capture.zip)
        .map_err(|e| read_error(capture.zip, e))?
        .len();
    let mut producer = Producer::new(site, theme);
    producer.set_archive_sizes([(capture.year, zip_size)].into());
    let date = warc_date(capture.at);
    let mut out = Counted { out, bytes: 0 };
    let info = warcinfo(site, capture, &files, &date);
    let info_id = record_id(&["warcinfo", capture.filename, &date, &digest(&info)]);
    out.write_all(&record(
        &[
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", &info_id),
            ("WARC-Date", &date),
            ("WARC-Filename", capture.filename),
            ("Content-Type", "application/warc-fields"),
        ],
        &[&info],
    )?)?;
    let context = Records {
        base_url: &site.config.base_url,
        date: &date,
        info_id: &info_id,
    };
    let mut written = Written {
        bytes: 0,
        responses: 0,
        revisits: 0,
    };
    let profile = crate::profile::Kinds::from_env();
    for chunk in files.chunks(CHUNK) {
        let records: Vec<Result<(Vec<u8>, bool), ArchiveError>> = chunk
            .par_iter()
            .map(|file| {
                let start = std::time::Instant::now();
                let content = producer
                    .produce(file)
                    .map_err(|d| ArchiveError::Render(Box::new(d)))?;
                let payload = payload(site, capture, content)?;
                let rendered = start.elapsed();
                let records = context.of(file, &payload)?;
                profile.record(|| kind(&file.target), rendered, start.elapsed() - rendered);
                Ok(records)
            })
            .collect();
        for result in records {
            let (bytes, revisit) = result?;
            out.write_all(&bytes)?;
            written.responses += 1;
            written.revisits += usize::from(revisit);
        }
    }
    out.flush()?;
    profile.report();
    written.bytes = out.bytes;
    Ok(written)
}

/// The kind of a planned file, for `NIANBAO_PROFILE`: its target's name.
fn kind(target: &Target) -> String {
    let name = format!("{target:?}");
    name.split('(').next().unwrap_or_default().to_string()
}

/// A file's bytes as the live site serves them.
fn payload(site: &Site, capture: &Capture<'_>, content: Content) -> Result<Vec<u8>, ArchiveError> {
    Ok(match content {
        Content::Bytes(bytes) => bytes,
        Content::Embedded(bytes) => bytes.to_vec(),
        Content::Copy(path) => std::fs::read(&path).map_err(|e| read_error(&path, e))?,
        Content::CountyFile { json } => {
            let mut bytes = Vec::new();
            crate::export::data::write_county_file(site, json, &mut bytes)?;
            bytes
        }
        Content::Archive(_) => {
            std::fs::read(capture.zip).map_err(|e| read_error(capture.zip, e))?
        }
    })
}

fn read_error(path: &Path, source: io::Error) -> ArchiveError {
    ArchiveError::Read {
        path: path.display().to_string(),
        source,
    }
}

/// What every record of one capture shares.
struct Records<'a> {
    base_url: &'a str,
    date: &'a str,
    info_id: &'a str,
}

impl Records<'_> {
    /// The records of the file `file` with `payload`: its response and, for a directory page, the
    /// revisit of its directory address; whether there is a revisit.
    fn of(&self, file: &PlannedFile, payload: &[u8]) -> io::Result<(Vec<u8>, bool)> {
        let uri = format!("{}{}", self.base_url, urls::href(&file.path));
        let http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
            content_type(&file.path, &file.target, payload),
            payload.len()
        );
        let payload_digest = digest(payload);
        let block_digest = {
            let mut h = Sha1::new();
            h.update(http.as_bytes());
            h.update(payload);
            format_sha1(&h.finalize())
        };
        let id = record_id(&["response", &uri, self.date, &block_digest]);
        let mut bytes = record(
            &[
                ("WARC-Type", "response"),
                ("WARC-Record-ID", &id),
                ("WARC-Date", self.date),
                ("WARC-Target-URI", &uri),
                ("WARC-Warcinfo-ID", self.info_id),
                ("Content-Type", "application/http;msgtype=response"),
                ("WARC-Payload-Digest", &payload_digest),
            ],
            &[http.as_bytes(), payload],
        )?;
        let Some(directory) = file.path.strip_suffix("index.html") else {
            return Ok((bytes, false));
        };
        let dir_uri = format!("{}{}", self.base_url, urls::href(directory));
        let revisit_id = record_id(&["revisit", &dir_uri, self.date, &id]);
        bytes.extend(record(
            &[
                ("WARC-Type", "revisit"),
                ("WARC-Record-ID", &revisit_id),
                ("WARC-Date", self.date),
                ("WARC-Target-URI", &dir_uri),
                ("WARC-Warcinfo-ID", self.info_id),
                ("WARC-Profile", IDENTICAL_PAYLOAD),
                ("WARC-Refers-To", &id),
                ("WARC-Refers-To-Target-URI", &uri),
                ("WARC-Refers-To-Date", self.date),
                ("Content-Type", "application/http;msgtype=response"),
                ("WARC-Payload-Digest", &payload_digest),
            ],
            &[http.as_bytes()],
        )?);
        Ok((bytes, true))
    }
}

/// One record as a gzip member: the version line, `fields`, its `WARC-Block-Digest` and
/// `Content-Length` (of the block, the concatenation of `block`), the block, two line ends.
fn record(fields: &[(&str, &str)], block: &[&[u8]]) -> io::Result<Vec<u8>> {
    let mut hasher = Sha1::new();
    let mut length = 0;
    for part in block {
        hasher.update(part);
        length += part.len();
    }
    let mut head = String::with_capacity(512);
    head.push_str(VERSION);
    head.push_str("\r\n");
    for (name, value) in fields {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("WARC-Block-Digest: ");
    head.push_str(&format_sha1(&hasher.finalize()));
    head.push_str("\r\nContent-Length: ");
    head.push_str(&length.to_string());
    head.push_str("\r\n\r\n");
    let mut gz = GzEncoder::new(
        Vec::with_capacity(head.len() + length / 3 + 64),
        Compression::new(LEVEL),
    );
    gz.write_all(head.as_bytes())?;
    for part in block {
        gz.write_all(part)?;
    }
    gz.write_all(b"\r\n\r\n")?;
    gz.finish()
}

/// `sha1:` and the base32 of the SHA-1 of `bytes`.
fn digest(bytes: &[u8]) -> String {
    format_sha1(&Sha1::digest(bytes))
}

fn format_sha1(hash: &[u8]) -> String {
    format!("sha1:{}", data_encoding::BASE32.encode(hash))
}

/// A name-based UUID (version 5 layout) of `parts`, as a WARC record ID.
fn record_id(parts: &[&str]) -> String {
    let mut h = Sha1::new();
    h.update(b"nianbao-warc-record");
    for part in parts {
        h.update([0]);
        h.update(part.as_bytes());
    }
    let hash = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&hash[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = data_encoding::HEXLOWER.encode(&b);
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `WARC-Date`: UTC, seconds (`2025-03-01T00:00:00Z`).
pub fn warc_date(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A moment in China Standard Time, as people there read it (`2025-03-01T08:00:00+08:00`).
pub fn china_time(seconds: i64) -> String {
    chrono::FixedOffset::east_opt(8 * 3600)
        .and_then(|china| {
            chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.with_timezone(&china))
        })
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S+08:00").to_string())
        .unwrap_or_default()
}

/// The capture as DA/T 80-2019 describes one, in the field names of the `warcinfo` record
/// (documented in docs/内容格式.md), in this order.
pub fn description(site: &Site, capture: &Capture<'_>) -> Vec<(&'static str, String)> {
    let year = capture.year;
    let reports = site.reports_of_year(year).count();
    vec![
        ("site-name", site.config.title.clone()),
        ("site-url", site.config.base_url.clone()),
        (
            "scope",
            format!(
                "{year} 年度 {reports} 份报告的页面、附件和数据文件（CSV、JSON、XLSX），{year} 年度的年度页面、汇总表和离线归档包（archive/{year}.zip）；归档时网站的首页、乡镇页面、全县汇总、数据下载页、督查和搜索页面，以及样式、脚本和搜索索引（不含汇集各年度数据的 data/all.csv、data/all.json，本年度的数据在各报告的数据文件和离线归档包中）"
            ),
        ),
        ("archived-at", china_time(capture.at)),
        ("publisher", capture.publisher.to_string()),
    ]
}

/// The `warcinfo` record's block (`application/warc-fields`).
fn warcinfo(site: &Site, capture: &Capture<'_>, files: &[PlannedFile], date: &str) -> Vec<u8> {
    let mut fields: Vec<(&str, String)> = vec![
        ("software", format!("nianbao/{}", env!("CARGO_PKG_VERSION"))),
        ("format", "WARC File Format 1.1".to_string()),
        (
            "conformsTo",
            "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
                .to_string(),
        ),
        (
            "standard",
            "ISO 28500:2017; GB/T 33994-2017《信息和文献 WARC 文件格式》".to_string(),
        ),
        (
            "guideline",
            "DA/T 80-2019《政府网站网页归档指南》".to_string(),
        ),
        (
            "isPartOf",
            format!("{} {} 年度", site.config.title, capture.year),
        ),
        (
            "description",
            format!("{} 个文件，采集时间 {date}", files.len()),
        ),
    ];
    fields.extend(description(site, capture));
    let mut block = String::new();
    for (name, value) in fields {
        block.push_str(name);
        block.push_str(": ");
        // A field value is one line.
        block.push_str(&value.replace(['\r', '\n'], " "));
        block.push_str("\r\n");
    }
    block.into_bytes()
}

/// The `Content-Type` the file would be served with: `charset=utf-8` for the site's own text
/// files; an attachment's text only when its bytes are UTF-8 (attachments are published as they
/// came, and may be GBK).
fn content_type(path: &str, target: &Target, payload: &[u8]) -> String {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (mime, text) = match extension.as_str() {
        "html" | "htm" => ("text/html", true),
        "css" => ("text/css", true),
        "js" | "mjs" => ("text/javascript", true),
        "json" => ("application/json", true),
        "csv" => ("text/csv", true),
        "txt" | "md" => ("text/plain", true),
        "xml" => ("application/xml", true),
        "svg" => ("image/svg+xml", true),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            false,
        ),
        "xls" => ("application/vnd.ms-excel", false),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            false,
        ),
        "doc" => ("application/msword", false),
        "pdf" => ("application/pdf", false),
        "ofd" => ("application/ofd", false),
        "zip" => ("application/zip", false),
        "png" => ("image/png", false),
        "jpg" | "jpeg" => ("image/jpeg", false),
        "gif" => ("image/gif", false),
        "webp" => ("image/webp", false),
        "ico" => ("image/x-icon", false),
        "woff2" => ("font/woff2", false),
        "woff" => ("font/woff", false),
        _ => ("application/octet-stream", false),
    };
    let utf8 = match target {
        Target::Attachment(..) => std::str::from_utf8(payload).is_ok(),
        _ => true,
    };
    if text && utf8 {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// A writer that counts what it writes.
struct Counted<W: Write> {
    out: W,
    bytes: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_record_is_one_gzip_member_with_its_length_and_digest() {
        let member = record(&[("WARC-Type", "resource")], &[b"ab", b"c"]).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(member.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        let expected_digest = format_sha1(&Sha1::digest(b"abc"));
        assert_eq!(
            text,
            format!(
                "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Block-Digest: {expected_digest}\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n"
            )
        );
    }

    #[test]
    fn digests_are_base32_sha1() {
        // RFC 3174's test vector "abc": a9993e364706816aba3e25717850c26c9cd0d89d.
        let hex = "a9993e364706816aba3e25717850c26c9cd0d89d";
        let bytes = data_encoding::HEXLOWER.decode(hex.as_bytes()).unwrap();
        assert_eq!(
            digest(b"abc"),
            format!("sha1:{}", data_encoding::BASE32.encode(&bytes))
        );
        assert_eq!(digest(b"abc").len(), "sha1:".len() + 32);
    }

    #[test]
    fn record_ids_are_uuids_that_follow_their_parts() {
        let a = record_id(&["response", "https://a.cn/x", "2025-01-01T00:00:00Z"]);
        let b = record_id(&["response", "https://a.cn/y", "2025-01-01T00:00:00Z"]);
        assert_ne!(a, b);
        assert_eq!(
            a,
            record_id(&["response", "https://a.cn/x", "2025-01-01T00:00:00Z"])
        );
        let uuid = a
            .strip_prefix("<urn:uuid:")
            .and_then(|s| s.strip_suffix('>'))
            .unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "5", "version 5 layout");
    }

    #[test]
    fn times_in_utc_and_in_china() {
        // 2025-03-01T00:00:00Z
        let t = 1_740_787_200;
        assert_eq!(warc_date(t), "2025-03-01T00:00:00Z");
        assert_eq!(china_time(t), "2025-03-01T08:00:00+08:00");
    }

    #[test]
    fn attachments_get_a_charset_only_when_they_are_utf8() {
        let gbk = [0xc4u8, 0xea, 0xb1, 0xa8];
        let attachment = Target::Attachment(0, 0);
        assert_eq!(content_type("a/b.txt", &attachment, &gbk), "text/plain");
        assert_eq!(
            content_type("a/b.txt", &attachment, "年报".as_bytes()),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            content_type("2018/x/index.html", &Target::Home, b""),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type("a/b.PDF", &attachment, b""), "application/pdf");
    }
}
