//! A year as archives keep it (`nianbao archive <year> --format warc|bagit`), checked by the tools
//! archives use: warcio (`warcio check`, `warcio index`, its record reader), pywb (`wb-manager`,
//! `wayback`, replaying the pages) and bagit.py (`--validate`). They come from PyPI, pinned in
//! tests/archive-tools.txt (included by tests/requirements.txt), in the virtual environment tests/.venv that tests/run.sh makes; without
//! it these tests fail and say how to make it.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{Fixture, repo_root, run_in};
use sha2::{Digest, Sha256};

/// The year archived: the demo's 2022 has several townships and an attachment.
const YEAR: &str = "2022";
/// The capture time given with `--archived-at`, and the same moment as WARC writes it (UTC).
const AT: &str = "2025-03-01T08:00:00+08:00";
const WARC_DATE: &str = "2025-03-01T00:00:00Z";

fn demo_root() -> PathBuf {
    repo_root().join("examples/demo")
}

/// The program `name` of the archive tools' environment, or a failure that says how to get it.
fn tool(name: &str) -> PathBuf {
    let path = repo_root().join("tests/.venv/bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: the archive tools (warcio, pywb, bagit from PyPI) are not installed. \
         Run tests/run.sh, or: python3 -m venv tests/.venv && \
         tests/.venv/bin/pip install -r tests/requirements.txt",
        path.display()
    );
    path
}

/// Run a tool; returns (success, stdout and stderr together).
fn run_tool(name: &str, args: &[&str], dir: Option<&Path>) -> (bool, String) {
    let mut command = Command::new(tool(name));
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command.output().expect("the tool runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// What every test reads: the demo built as published, the year's WARC twice (two folders, same
/// name and capture time), its ZIP, and its bag.
struct Made {
    dir: tempfile::TempDir,
}

impl Made {
    fn public(&self) -> PathBuf {
        self.dir.path().join("public")
    }
    fn warc(&self) -> PathBuf {
        self.dir
            .path()
            .join("a")
            .join(format!("archive-{YEAR}.warc.gz"))
    }
    fn bag(&self) -> PathBuf {
        self.dir.path().join("bag")
    }
}

fn made() -> &'static Made {
    static MADE: OnceLock<Made> = OnceLock::new();
    MADE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = |p: &str| dir.path().join(p).to_str().unwrap().to_string();
        let (code, _, stderr) = run_in(&demo_root(), "build", &["--output", &path("public")]);
        assert_eq!(code, 0, "the demo builds: {stderr}");
        for folder in ["a", "b"] {
            let out = path(&format!("{folder}/archive-{YEAR}.warc.gz"));
            let (code, _, stderr) = run_in(
                &demo_root(),
                "archive",
                &[YEAR, "--format", "warc", "-o", &out, "--archived-at", AT],
            );
            assert_eq!(code, 0, "archive --format warc: {stderr}");
            assert!(stderr.contains("网页归档文件"), "{stderr}");
        }
        let zip = path(&format!("archive-{YEAR}.zip"));
        let (code, _, stderr) = run_in(&demo_root(), "archive", &[YEAR, "-o", &zip]);
        assert_eq!(code, 0, "archive: {stderr}");
        let (code, _, stderr) = run_in(
            &demo_root(),
            "archive",
            &[
                YEAR,
                "--format",
                "bagit",
                "-o",
                &path("bag"),
                "--archived-at",
                AT,
            ],
        );
        assert_eq!(code, 0, "archive --format bagit: {stderr}");
        Made { dir }
    })
}

/// One record as warcio reads it.
#[derive(Debug, serde::Deserialize)]
struct Record {
    #[serde(rename = "type")]
    kind: String,
    uri: Option<String>,
    date: Option<String>,
    status: Option<String>,
    refers_to: Option<String>,
    content_type: Option<String>,
    /// SHA-256 of the HTTP payload, hex.
    payload: Option<String>,
}

/// Every record of `warc`, read by warcio's own reader.
fn records(warc: &Path) -> Vec<Record> {
    const SCRIPT: &str = r#"
import hashlib, json, sys
from warcio.archiveiterator import ArchiveIterator
with open(sys.argv[1], 'rb') as f:
    for r in ArchiveIterator(f):
        h = r.http_headers
        out = {'type': r.rec_type, 'uri': r.rec_headers.get_header('WARC-Target-URI'),
               'date': r.rec_headers.get_header('WARC-Date'),
               'refers_to': r.rec_headers.get_header('WARC-Refers-To-Target-URI'),
               'status': h.get_statuscode() if h else None,
               'content_type': h.get_header('Content-Type') if h else None,
               'payload': None}
        if r.rec_type == 'response':
            out['payload'] = hashlib.sha256(r.content_stream().read()).hexdigest()
        print(json.dumps(out))
"#;
    let (ok, out) = run_tool("python", &["-c", SCRIPT, warc.to_str().unwrap()], None);
    assert!(ok, "warcio reads the WARC: {out}");
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The published files (relative paths) under `public`.
fn published(public: &Path) -> BTreeMap<String, PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(public).unwrap();
            (rel.to_string_lossy().replace('\\', "/"), e.into_path())
        })
        .filter(|(rel, _)| !rel.starts_with(".nianbao"))
        .collect()
}

/// The entry names of the year's offline ZIP.
fn zip_entries(zip: &Path) -> BTreeSet<String> {
    let archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    archive
        .file_names()
        .map(|n| n.expect("a UTF-8 name").into_owned())
        .collect()
}

/// The site's address of a URL's path, decoded (`2022/qingshan/附件-工作台账.txt`).
fn path_of(uri: &str) -> String {
    let base = "https://example.gov.cn/nianbao/";
    let rel = uri
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{uri} is under {base}"));
    percent_decode(rel)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_warc_is_reproducible_and_passes_warcio_check() {
    let made = made();
    let a = fs::read(made.warc()).unwrap();
    let b = fs::read(
        made.dir
            .path()
            .join("b")
            .join(format!("archive-{YEAR}.warc.gz")),
    )
    .unwrap();
    assert!(
        a == b,
        "the same input and --archived-at give the same bytes"
    );
    let (ok, out) = run_tool(
        "warcio",
        &["check", "-v", made.warc().to_str().unwrap()],
        None,
    );
    assert!(ok, "warcio check: {out}");
    let checked = out.matches("digest pass").count();
    let responses = records(&made.warc())
        .iter()
        .filter(|r| r.kind != "revisit")
        .count();
    assert_eq!(
        checked, responses,
        "every record but the revisits is checked: {out}"
    );
    assert!(!out.contains("fail"), "{out}");
    // Every record of the file is its own gzip member: warcio check walks them one by one.
    assert_eq!(
        out.matches("WARC-Record-ID").count(),
        records(&made.warc()).len()
    );
}

#[test]
fn warcio_index_lists_every_file_of_the_year_with_status_200_and_the_published_bytes() {
    let made = made();
    let (ok, out) = run_tool(
        "warcio",
        &[
            "index",
            "-f",
            "warc-type,warc-target-uri,http:status",
            made.warc().to_str().unwrap(),
        ],
        None,
    );
    assert!(ok, "warcio index: {out}");
    let indexed: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        indexed[0]["warc-type"], "warcinfo",
        "the warcinfo record comes first"
    );
    let mut responses = BTreeSet::new();
    for entry in &indexed[1..] {
        assert_eq!(entry["http:status"], "200", "{entry}");
        if entry["warc-type"] == "response" {
            responses.insert(path_of(entry["warc-target-uri"].as_str().unwrap()));
        }
    }
    // Every file of the year's archive is there, at its published address, and the live site's
    // search (the ZIP has none: its pages search on the live site). The county-wide data files,
    // every year's figures, are in neither: the live site publishes no year's slice of them, and
    // an archive holds only files the live site publishes.
    let zip = made.dir.path().join(format!("archive-{YEAR}.zip"));
    let shard = |p: &str| p.starts_with("search/s-");
    let county_wide = |p: &str| p.starts_with("data/all.");
    let entries = zip_entries(&zip);
    assert!(!entries.iter().any(|p| p.starts_with("search/")));
    assert!(responses.iter().any(|p| shard(p)));
    assert!(
        !entries.iter().any(|p| county_wide(p)),
        "no county-wide file in the ZIP"
    );
    for entry in &entries {
        assert!(responses.contains(entry), "{entry} is in the WARC");
    }
    assert!(!responses.iter().any(|p| county_wide(p)));
    assert!(responses.contains(&format!("archive/{YEAR}.zip")));
    // Nothing of another year: the year's scope.
    for path in &responses {
        let first = path.split('/').next().unwrap();
        if first.len() == 4 && first.bytes().all(|b| b.is_ascii_digit()) {
            assert_eq!(first, YEAR, "{path} belongs to another year");
        }
        assert!(!path.starts_with("embed/") && path != "atom.xml" && path != "404.html");
    }

    // The payloads are the files the live site publishes, byte for byte (not the ZIP's copies,
    // which say 离线归档副本).
    let public = published(&made.public());
    let records = records(&made.warc());
    let info = &records[0];
    assert_eq!(info.kind, "warcinfo");
    let mut pages = 0;
    for r in records.iter().filter(|r| r.kind == "response") {
        let uri = r.uri.as_deref().unwrap();
        let path = path_of(uri);
        let file = public
            .get(&path)
            .unwrap_or_else(|| panic!("{path} is published"));
        let bytes = fs::read(file).unwrap();
        assert_eq!(
            r.payload.as_deref(),
            Some(sha256_hex(&bytes).as_str()),
            "{path}"
        );
        assert_eq!(r.date.as_deref(), Some(WARC_DATE));
        assert_eq!(r.status.as_deref(), Some("200"), "{path}");
        let content_type = r.content_type.as_deref().unwrap();
        if path.ends_with(".html") {
            pages += 1;
            assert_eq!(content_type, "text/html; charset=utf-8");
            assert!(!String::from_utf8_lossy(&bytes).contains("离线归档副本"));
        }
        if path.ends_with(".csv") || path.ends_with(".js") || path.ends_with(".css") {
            assert!(
                content_type.ends_with("; charset=utf-8"),
                "{path}: {content_type}"
            );
        }
    }
    assert!(pages > 5);
    // Each directory page also answers at its directory address, as a revisit of its page.
    let revisits: BTreeMap<String, String> = records
        .iter()
        .filter(|r| r.kind == "revisit")
        .map(|r| {
            (
                path_of(r.uri.as_deref().unwrap()),
                path_of(r.refers_to.as_deref().unwrap()),
            )
        })
        .collect();
    let directory_pages: Vec<&String> = responses
        .iter()
        .filter(|p| p.ends_with("index.html"))
        .collect();
    assert_eq!(revisits.len(), directory_pages.len());
    for page in directory_pages {
        let dir = page.strip_suffix("index.html").unwrap();
        assert_eq!(revisits.get(dir), Some(page), "{dir} revisits {page}");
    }
}

#[test]
fn the_warcinfo_record_describes_the_capture_as_da_t_80_asks() {
    let made = made();
    const SCRIPT: &str = r#"
import sys
from warcio.archiveiterator import ArchiveIterator
with open(sys.argv[1], 'rb') as f:
    r = next(iter(ArchiveIterator(f)))
    sys.stdout.write(r.content_stream().read().decode('utf-8'))
"#;
    let (ok, info) = run_tool(
        "python",
        &["-c", SCRIPT, made.warc().to_str().unwrap()],
        None,
    );
    assert!(ok, "{info}");
    let fields: BTreeMap<&str, &str> = info.lines().filter_map(|l| l.split_once(": ")).collect();
    let config = fs::read_to_string(demo_root().join("site.toml")).unwrap();
    let title = config
        .lines()
        .find_map(|l| l.strip_prefix("title = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap();
    assert_eq!(fields["site-name"], title);
    assert_eq!(fields["site-url"], "https://example.gov.cn/nianbao/");
    assert_eq!(fields["archived-at"], AT);
    assert!(fields["scope"].starts_with(&format!("{YEAR} 年度")));
    assert!(fields["standard"].contains("GB/T 33994-2017"));
    assert!(fields["software"].starts_with("nianbao/"));
    assert!(fields.contains_key("publisher"));
}

/// A running `wayback` (pywb), stopped when dropped.
struct Wayback {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Wayback {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Wayback {
    /// Serve the collection under `dir` on a free port of 127.0.0.1, waiting at most a minute.
    fn start(dir: &Path) -> Wayback {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let log = dir.join("wayback.log");
        let child = Command::new(tool("wayback"))
            .args(["-b", "127.0.0.1", "-p", &port.to_string()])
            .current_dir(dir)
            .stdout(Stdio::from(fs::File::create(&log).unwrap()))
            .stderr(Stdio::from(
                fs::File::create(dir.join("wayback.err")).unwrap(),
            ))
            .spawn()
            .expect("wayback starts");
        let mut wayback = Wayback { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = wayback.child.try_wait() {
                panic!(
                    "wayback exited ({status}): {}",
                    fs::read_to_string(dir.join("wayback.err")).unwrap_or_default()
                );
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return wayback;
            }
            assert!(
                Instant::now() < deadline,
                "wayback did not listen within a minute"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// GET `path` (HTTP/1.0, so that the body is not chunked): (status, body).
    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let end = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("an HTTP answer: {}", String::from_utf8_lossy(&response)));
        let head = String::from_utf8_lossy(&response[..end]).into_owned();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("a status line: {head}"));
        (status, response[end + 4..].to_vec())
    }
}

/// The slug of a township with a report and an attachment in the year.
fn report_with_attachment() -> (String, String) {
    let year = demo_root().join("content").join(YEAR);
    let mut found: Vec<(String, String)> = fs::read_dir(&year)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let attachment = fs::read_dir(e.path())
                .unwrap()
                .filter_map(Result::ok)
                .map(|f| f.file_name().to_string_lossy().into_owned())
                .find(|n| n.ends_with(".txt"))?;
            Some((e.file_name().to_string_lossy().into_owned(), attachment))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .next()
        .expect("a report of the year has an attachment")
}

#[test]
fn pywb_replays_a_report_page_with_its_figures_and_data_files_byte_for_byte() {
    let made = made();
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = run_tool("wb-manager", &["init", "nianbao"], Some(dir.path()));
    assert!(ok, "wb-manager init: {out}");
    let (ok, out) = run_tool(
        "wb-manager",
        &["add", "nianbao", made.warc().to_str().unwrap()],
        Some(dir.path()),
    );
    assert!(ok, "wb-manager add: {out}");
    let wayback = Wayback::start(dir.path());
    let (slug, attachment) = report_with_attachment();
    let base = "https://example.gov.cn/nianbao/";
    let at = "20250301000000";
    let public = made.public();
    let live = |rel: &str| fs::read(public.join(rel)).unwrap();
    let page = format!("{YEAR}/{slug}/index.html");

    // The original bytes (`id_`): the page at both its addresses, the data files, the attachment.
    let original = |rel: &str| {
        let encoded: String = rel
            .split('/')
            .map(|s| {
                s.bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("/");
        wayback.get(&format!("/nianbao/{at}id_/{base}{encoded}"))
    };
    for rel in [
        page.clone(),
        format!("{YEAR}/{slug}/stats.csv"),
        format!("{YEAR}/{slug}/stats.json"),
        format!("{YEAR}/{slug}/stats.xlsx"),
        format!("{YEAR}/{slug}/{attachment}"),
        "county/totals.csv".to_string(),
        format!("archive/{YEAR}.zip"),
    ] {
        let (status, body) = original(&rel);
        assert_eq!(
            status,
            200,
            "{rel}: {}",
            fs::read_to_string(&wayback.log).unwrap_or_default()
        );
        assert!(body == live(&rel), "{rel} replays byte for byte");
    }
    let (status, body) = original(&format!("{YEAR}/{slug}/"));
    assert_eq!(status, 200);
    assert!(
        body == live(&page),
        "the directory address replays the page"
    );

    // The page as a reader sees it replayed (`mp_`: the page inside pywb's frame, its links
    // rewritten into the archive): its official table with every figure, as the live page has it.
    let (status, body) = wayback.get(&format!("/nianbao/{at}mp_/{base}{YEAR}/{slug}/index.html"));
    assert_eq!(status, 200);
    let replayed = String::from_utf8(body).unwrap();
    let stats =
        fs::read_to_string(demo_root().join(format!("content/{YEAR}/{slug}/stats.yaml"))).unwrap();
    // id → figure as written (`~`, not reported, is shown blank).
    let figures: Vec<(&str, &str)> = stats
        .lines()
        .filter_map(|l| l.trim().split_once(": "))
        .filter(|(_, v)| v.parse::<f64>().is_ok())
        .collect();
    assert!(
        figures.len() > 50,
        "the report has its figures: {}",
        figures.len()
    );
    for (id, figure) in figures {
        let cell = format!("data-id=\"{id}\">{figure}<");
        assert!(
            live_page_contains(&live(&page), &cell),
            "the published page shows {id} = {figure}"
        );
        assert!(
            replayed.contains(&cell),
            "the replayed page shows {id} = {figure}"
        );
    }
}

fn live_page_contains(page: &[u8], text: &str) -> bool {
    String::from_utf8_lossy(page).contains(text)
}

#[test]
fn bagit_validates_the_bag_and_rejects_it_after_one_payload_byte_is_changed() {
    let made = made();
    let bag = made.bag();
    let (ok, out) = run_tool("bagit.py", &["--validate", bag.to_str().unwrap()], None);
    assert!(ok, "bagit.py --validate: {out}");
    let mut data: Vec<String> = fs::read_dir(bag.join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    data.sort();
    assert_eq!(
        data,
        [
            format!("archive-{YEAR}.warc.gz"),
            format!("archive-{YEAR}.zip")
        ]
    );
    // The bag's WARC is the WARC of the same capture time.
    assert!(fs::read(bag.join("data").join(&data[0])).unwrap() == fs::read(made.warc()).unwrap());
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    let labels: BTreeMap<&str, &str> = info.lines().filter_map(|l| l.split_once(": ")).collect();
    for label in [
        "Source-Organization",
        "Bagging-Date",
        "Payload-Oxum",
        "External-Description",
        "External-Identifier",
        "X-DAT80-Site-Name",
        "X-DAT80-Site-Url",
        "X-DAT80-Scope",
        "X-DAT80-Archived-At",
        "X-DAT80-Publisher",
    ] {
        assert!(
            labels.contains_key(label),
            "bag-info.txt has {label}: {info}"
        );
    }
    assert_eq!(labels["Bagging-Date"], "2025-03-01");
    let bytes: u64 = data
        .iter()
        .map(|n| fs::metadata(bag.join("data").join(n)).unwrap().len())
        .sum();
    assert_eq!(labels["Payload-Oxum"], format!("{bytes}.{}", data.len()));

    let copy = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&bag).into_iter().map(Result::unwrap) {
        let to = copy.path().join(entry.path().strip_prefix(&bag).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
    let changed = copy.path().join("data").join(&data[1]);
    let mut bytes = fs::read(&changed).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    fs::write(&changed, bytes).unwrap();
    let (ok, out) = run_tool(
        "bagit.py",
        &["--validate", copy.path().to_str().unwrap()],
        None,
    );
    assert!(!ok, "a changed payload byte is found: {out}");
    assert!(out.contains(&data[1]), "{out}");
}

#[test]
fn without_a_fixed_day_the_capture_time_decides_the_oversight() {
    // The live site is audited as of its build day unless site.toml fixes one; a WARC is the
    // site as published at its capture time, so the same --archived-at gives the same file
    // whatever the day it is made.
    let site = Fixture::new();
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let unfixed: String = toml
        .lines()
        .filter(|l| !l.starts_with("[audit]") && !l.starts_with("as_of"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("site.toml", &unfixed);
    let out = tempfile::tempdir().unwrap();
    let make = |name: &str, epoch: &str, at: &str| {
        let path = out.path().join(name).join("a.warc.gz");
        let output = assert_cmd::Command::cargo_bin("nianbao")
            .unwrap()
            .args(["archive", "2020", "--format", "warc", "--root"])
            .arg(site.root())
            .arg("-o")
            .arg(&path)
            .args(["--archived-at", at])
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        fs::read(path).unwrap()
    };
    // 2021-03-01 and 2030-03-01 as build days; the 2020 reports are due in between.
    let early = make("a", "1614556800", "2021-07-01T00:00:00+08:00");
    let late = make("b", "1898553600", "2021-07-01T00:00:00+08:00");
    assert!(early == late, "the day the WARC is made does not change it");
    let other = make("c", "1614556800", "2021-03-01T00:00:00+08:00");
    assert!(other != early, "the capture time does");
}

#[test]
fn wrong_arguments_are_refused_in_chinese() {
    let site = Fixture::new();
    let out = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    let (code, _, stderr) = common::run(&[
        "archive",
        "2020",
        "--root",
        root,
        "--format",
        "warc",
        "--archived-at",
        "2025-03-01",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("不是有效的时间"), "{stderr}");
    let (code, _, stderr) = common::run(&[
        "archive",
        "2020",
        "--root",
        root,
        "--archived-at",
        "2025-03-01T00:00:00Z",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("只用于"), "{stderr}");
    let full = out.path().join("full");
    fs::create_dir(&full).unwrap();
    fs::write(full.join("x.txt"), "x").unwrap();
    let (code, _, stderr) = common::run(&[
        "archive",
        "2020",
        "--root",
        root,
        "--format",
        "bagit",
        "-o",
        full.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("不是空目录"), "{stderr}");
    assert_eq!(
        fs::read_dir(&full).unwrap().count(),
        1,
        "nothing written into it"
    );
    assert_eq!(
        fs::read_dir(out.path()).unwrap().count(),
        1,
        "no working folder left behind"
    );
}
