//! A city's federation portal built from two counties: one served over HTTP on 127.0.0.1 by
//! this test, one a built portal folder. Its union data has every row of both with a county
//! column, its audit matches each county's own audit as of the same day, and a member that is
//! down, broken or on another schema version is a warning naming it while its last good copy is
//! used; `--offline` builds from the cache.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use common::{repo_root, run_in};

const AS_OF: &str = "2024-06-30";

/// What the member's server answers for `data/portal.json`.
#[derive(Clone)]
enum Mode {
    Files,
    Body(String),
}

/// A static file server on 127.0.0.1 for one built county portal.
struct Member {
    port: u16,
    mode: Arc<Mutex<Mode>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Member {
    fn bind() -> (TcpListener, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        (listener, port)
    }

    fn serve(listener: TcpListener, port: u16, dir: PathBuf) -> Member {
        let mode = Arc::new(Mutex::new(Mode::Files));
        let stop = Arc::new(AtomicBool::new(false));
        let (m, s) = (mode.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let mode = m.lock().unwrap().clone();
                answer(stream, &dir, &mode);
            }
        });
        Member {
            port,
            mode,
            stop,
            thread: Some(thread),
        }
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// Stop listening: connections are refused from now on.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

fn answer(stream: TcpStream, dir: &Path, mode: &Mode) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
    }
    let path = line
        .split(' ')
        .nth(1)
        .unwrap_or("/")
        .trim_start_matches('/');
    let body = match (mode, path) {
        (Mode::Body(text), "data/portal.json") => Some(text.clone().into_bytes()),
        _ if path.contains("..") => None,
        _ => fs::read(dir.join(path)).ok(),
    };
    let mut stream = stream;
    let _ = match body {
        Some(b) => stream
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    b.len()
                )
                .as_bytes(),
            )
            .and_then(|_| stream.write_all(&b)),
        None => stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        // Other tests build the demo in place; their cache may change under the walk.
        .filter_entry(|e| e.file_name() != ".nianbao-cache")
    {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["--output", out.to_str().unwrap(), "--as-of", AS_OF];
    args.extend_from_slice(extra);
    run_in(root, "build", &args)
}

/// Rows of a CSV file (BOM stripped), header first.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.starts_with('\u{feff}'), "{} has a BOM", path.display());
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// (year, township, status, days_late) of a county's own audit.csv.
fn county_audit(out: &Path) -> BTreeSet<(String, String, String, String)> {
    let rows = csv_rows(&out.join("audit/audit.csv"));
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (y, t, s, d) = (
        col("year"),
        col("township"),
        col("status"),
        col("days_late"),
    );
    rows[1..]
        .iter()
        .map(|r| (r[y].clone(), r[t].clone(), r[s].clone(), r[d].clone()))
        .collect()
}

/// The same of the city's audit.csv, for `county`.
fn city_audit(out: &Path, county: &str) -> BTreeSet<(String, String, String, String)> {
    let rows = csv_rows(&out.join("audit/audit.csv"));
    assert_eq!(rows[0][0], "county");
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let (y, t, s, d) = (
        col("year"),
        col("township"),
        col("status"),
        col("days_late"),
    );
    rows[1..]
        .iter()
        .filter(|r| r[0] == county)
        .map(|r| (r[y].clone(), r[t].clone(), r[s].clone(), r[d].clone()))
        .collect()
}

struct City {
    tmp: tempfile::TempDir,
    member: Member,
}

impl City {
    fn root(&self) -> PathBuf {
        self.tmp.path().join("city")
    }
    fn out(&self) -> PathBuf {
        self.tmp.path().join("city-out")
    }
    fn a_out(&self) -> PathBuf {
        self.tmp.path().join("a-out")
    }
    fn b_out(&self) -> PathBuf {
        self.tmp.path().join("b-out")
    }
}

/// County 甲 (the demo, served over HTTP), county 乙 (the demo without 2019 柳林镇, a folder),
/// and the city naming both.
fn city() -> City {
    let tmp = tempfile::tempdir().unwrap();
    let demo = repo_root().join("examples/demo");
    let (listener, port) = Member::bind();
    let base = format!("http://127.0.0.1:{port}/");
    let a_out = tmp.path().join("a-out");
    let (code, _, err) = build(&demo, &a_out, &["--base-url", &base]);
    assert_eq!(code, 0, "{err}");
    let member = Member::serve(listener, port, a_out);

    let b = tmp.path().join("b");
    copy_dir(&demo, &b);
    fs::remove_dir_all(b.join("content/2019/liulin")).unwrap();
    let toml = fs::read_to_string(b.join("site.toml")).unwrap();
    fs::write(
        b.join("site.toml"),
        toml.replace("region = \"示例县\"", "region = \"乙县\"")
            .replace(
                "https://example.gov.cn/nianbao/",
                "https://yi.example.gov.cn/",
            ),
    )
    .unwrap();
    let (code, _, err) = build(&b, &tmp.path().join("b-out"), &[]);
    assert_eq!(code, 0, "{err}");

    let city = tmp.path().join("city");
    fs::create_dir_all(&city).unwrap();
    fs::write(
        city.join("site.toml"),
        format!(
            "title = \"示例市年报汇总\"\nbase_url = \"https://city.example.gov.cn/\"\n[portal]\nregion = \"示例市\"\n\
             [federation]\ntimeout_s = 5\n\
             [[federation.members]]\nname = \"甲县\"\nslug = \"jia\"\nsource = \"{base}\"\n\
             [[federation.members]]\nname = \"乙县\"\nslug = \"yi\"\nsource = \"../b-out\"\n"
        ),
    )
    .unwrap();
    City { tmp, member }
}

#[test]
fn a_city_of_an_http_member_and_a_folder_member() {
    let mut c = city();
    let (code, out, err) = build(&c.root(), &c.out(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("0 条警告") && !err.contains("成员「"),
        "no warning when both are read: {err}"
    );

    // data/all.csv: every row of both members, after their county.
    let all = csv_rows(&c.out().join("data/all.csv"));
    assert_eq!(
        all[0],
        "county,county_name,year,township,township_name,format,id,label,unit,value"
            .split(',')
            .collect::<Vec<_>>()
    );
    for (slug, name, out) in [("jia", "甲县", c.a_out()), ("yi", "乙县", c.b_out())] {
        let own = csv_rows(&out.join("data/all.csv"));
        let mine: Vec<Vec<String>> = all[1..]
            .iter()
            .filter(|r| r[0] == slug)
            .map(|r| {
                assert_eq!(r[1], name);
                r[2..].to_vec()
            })
            .collect();
        assert_eq!(mine, own[1..].to_vec(), "{slug}'s rows");
        assert!(!mine.is_empty());
    }
    // all.json: the same rows, typed.
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(c.out().join("data/all.json")).unwrap()).unwrap();
    assert_eq!(json.len(), all.len() - 1);
    for (row, object) in all[1..].iter().zip(&json) {
        assert_eq!(object["county"], row[0].as_str());
        assert!(object["year"].is_u64());
        if row[9].is_empty() {
            assert!(object["value"].is_null());
        } else {
            assert_eq!(
                object["value"].as_f64(),
                row[9].parse::<f64>().ok(),
                "{row:?}"
            );
        }
    }

    // The audit: each county's cells are its own audit's, as of the same day; both have late
    // and missing reports.
    for (slug, out) in [("jia", c.a_out()), ("yi", c.b_out())] {
        let mine = city_audit(&c.out(), slug);
        assert_eq!(mine, county_audit(&out), "{slug}");
        assert!(mine.iter().any(|r| r.2 == "late"), "{slug} late");
        assert!(mine.iter().any(|r| r.2 == "missing"), "{slug} missing");
    }
    assert!(city_audit(&c.out(), "yi").contains(&(
        "2019".into(),
        "liulin".into(),
        "missing".into(),
        String::new()
    )));
    let audit_page = fs::read_to_string(c.out().join("audit/index.html")).unwrap();
    assert!(audit_page.contains("截至 2024-06-30"));
    assert!(
        audit_page.contains(&format!("http://127.0.0.1:{}/2022/liulin/", c.member.port)),
        "report pages linked"
    );
    let counties = fs::read_to_string(c.out().join("counties/index.html")).unwrap();
    assert!(counties.contains("甲县") && counties.contains("乙县"));
    assert!(
        counties.contains("https://yi.example.gov.cn/"),
        "members' portals linked"
    );
    assert!(
        !c.out().join("2019").exists(),
        "members' pages are not copied"
    );
    let compare = fs::read_to_string(c.out().join("compare/index.html")).unwrap();
    assert!(compare.contains("全市合计"));

    // The HTTP member stops: the build succeeds, names it, and keeps its data.
    c.member.stop();
    let before = fs::read(c.out().join("data/all.csv")).unwrap();
    let (code, out, err) = build(&c.root(), &c.out(), &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("成员「甲县」") && err.contains("无法连接"),
        "{err}"
    );
    assert!(
        err.contains("使用 ") && err.contains("获取的缓存数据"),
        "{err}"
    );
    assert_eq!(fs::read(c.out().join("data/all.csv")).unwrap(), before);
    let counties = fs::read_to_string(c.out().join("counties/index.html")).unwrap();
    assert!(
        counties.contains("获取的数据"),
        "the stale member is marked"
    );

    // --offline: from the cache alone, the same data.
    let (code, _, err) = build(&c.root(), &c.out(), &["--offline"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 条警告") && !err.contains("成员「"), "{err}");
    assert_eq!(fs::read(c.out().join("data/all.csv")).unwrap(), before);
}

#[test]
fn a_broken_or_other_version_member_is_a_warning_and_keeps_its_last_data() {
    let c = city();
    let (code, _, err) = build(&c.root(), &c.out(), &[]);
    assert_eq!(code, 0, "{err}");
    let good = fs::read(c.out().join("data/all.csv")).unwrap();
    let portal = fs::read_to_string(c.a_out().join("data/portal.json")).unwrap();
    let cases = [
        (
            "{\"schema\": \"nianbao-portal\",".to_string(),
            "不是有效的 JSON",
        ),
        (
            portal.replace("\"schema_version\": 1", "\"schema_version\": 2"),
            "门户描述的结构版本为 2，本程序只能读取 1",
        ),
        (
            portal.replace("\"schema_version\": 1", "\"schema_version\": 0"),
            "门户描述的结构版本为 0",
        ),
        (
            portal.replace("/data/all.csv", "/../secret.csv"),
            "不在本门户的 base_url",
        ),
    ];
    for (body, cause) in cases {
        c.member.set(Mode::Body(body));
        let (code, out, err) = build(&c.root(), &c.out(), &[]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(
            err.contains("成员「甲县」") && err.contains(cause),
            "{cause}: {err}"
        );
        assert_eq!(
            fs::read(c.out().join("data/all.csv")).unwrap(),
            good,
            "{cause}"
        );
    }
    // A 404 for the description.
    c.member.set(Mode::Files);
    fs::remove_file(c.a_out().join("data/portal.json")).unwrap();
    let (code, _, err) = build(&c.root(), &c.out(), &[]);
    assert_eq!(code, 0);
    assert!(err.contains("返回 HTTP 404"), "{err}");
}

#[test]
fn a_federation_site_has_no_content_folder() {
    let c = city();
    fs::create_dir_all(c.root().join("content")).unwrap();
    let (code, _, err) = build(&c.root(), &c.out(), &["--offline"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("联合门户站点不能有 content/ 目录"), "{err}");
}

/// The query docs/内容格式.md shows for the on-time rate per county per year.
fn documented_query() -> String {
    let doc = fs::read_to_string(repo_root().join("docs/内容格式.md")).unwrap();
    let start = doc
        .find("```sql\n")
        .expect("docs/内容格式.md shows the DuckDB query")
        + 7;
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].to_string()
}

#[test]
fn duckdb_reads_the_union_with_numbers_and_the_documented_query_gives_on_time_rates() {
    let python = repo_root().join("tests/.venv/bin/python");
    assert!(
        python.is_file(),
        "tests/.venv is missing: run tests/run.sh, or python3 -m venv tests/.venv && tests/.venv/bin/pip install -r tests/requirements.txt (the duckdb package)"
    );
    let c = city();
    let (code, _, err) = build(&c.root(), &c.out(), &[]);
    assert_eq!(code, 0, "{err}");
    let data = c.out().join("data");
    // The documented query reads audit.csv files; the union's value column is numeric.
    let script = "import duckdb, json, sys\n\
         con = duckdb.connect()\n\
         types = {r[0]: r[1] for r in con.execute(\"DESCRIBE SELECT * FROM read_csv_auto('all.csv')\").fetchall()}\n\
         count = con.execute(\"SELECT count(*) FROM read_csv_auto('all.csv')\").fetchone()[0]\n\
         total = con.execute(\"SELECT sum(value) FROM read_csv_auto('all.csv')\").fetchone()[0]\n\
         rows = con.execute(sys.stdin.read()).fetchall()\n\
         print(json.dumps({'types': types, 'count': count, 'total': float(total), 'rows': [[str(x) for x in r] for r in rows]}))\n";
    let mut child = std::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .current_dir(&data)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let query = documented_query().replace("'*/audit/audit.csv'", "'../audit/audit.csv'");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(query.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["types"]["value"], "DOUBLE", "{answer}");
    assert_eq!(answer["types"]["year"], "BIGINT", "{answer}");
    let all = csv_rows(&data.join("all.csv"));
    assert_eq!(answer["count"].as_u64(), Some(all.len() as u64 - 1));
    let sum: f64 = all[1..]
        .iter()
        .filter_map(|r| r[9].parse::<f64>().ok())
        .sum();
    assert!((answer["total"].as_f64().unwrap() - sum).abs() < 1e-6);
    // The on-time rate per county per year, computed here from audit.csv.
    let audit = csv_rows(&c.out().join("audit/audit.csv"));
    let mut expected = std::collections::BTreeMap::new();
    for r in &audit[1..] {
        if matches!(r[5].as_str(), "not_required" | "not_due") {
            continue;
        }
        let e = expected
            .entry((r[0].clone(), r[2].clone()))
            .or_insert((0u32, 0u32));
        e.1 += 1;
        if r[5] == "on_time" {
            e.0 += 1;
        }
    }
    let rows = answer["rows"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len(), "{answer}");
    for row in rows {
        let key = (
            row[0].as_str().unwrap().to_string(),
            row[1].as_str().unwrap().to_string(),
        );
        let (on_time, required) = expected[&key];
        assert_eq!(
            row[2].as_str().unwrap().parse::<u32>().unwrap(),
            required,
            "{row}"
        );
        assert_eq!(
            row[3].as_str().unwrap().parse::<u32>().unwrap(),
            on_time,
            "{row}"
        );
        let rate: f64 = row[4].as_str().unwrap().parse().unwrap();
        assert!(
            (rate - (f64::from(on_time) * 100.0 / f64::from(required))).abs() < 0.051,
            "{row}"
        );
    }
}

#[test]
fn serve_previews_a_city_and_reads_the_members_again_only_when_asked() {
    let mut c = city();
    let server = common::server::Server::start(&c.root(), &[]);
    let counties = server.wait_for("/counties/index.html", "the counties page", |s, b| {
        s == 200 && b.contains("甲县") && b.contains("乙县")
    });
    assert!(counties.contains(&format!("http://127.0.0.1:{}/", c.member.port)));
    // A county's server goes down; a save of the city's own settings rebuilds from the cached
    // copies at once, without asking the counties (so no warning about it).
    c.member.stop();
    let toml = fs::read_to_string(c.root().join("site.toml")).unwrap();
    fs::write(
        c.root().join("site.toml"),
        toml.replace("示例市年报汇总", "示例市年报汇总（预览）"),
    )
    .unwrap();
    server.wait_for("/index.html", "the rebuild after the save", |s, b| {
        s == 200 && b.contains("示例市年报汇总（预览）")
    });
    let (_, _, status) = server.get("/__nianbao/status");
    assert!(
        !status.contains("甲县"),
        "a save does not read the members: {status}"
    );
    // Asked to, it reads them again: the county that is down is named, its cached data kept.
    let (code, _, body) = server.get("/__nianbao/refresh");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("已开始重新读取各县门户"), "{body}");
    let status = server.wait_for("/__nianbao/status", "the refresh's warning", |s, b| {
        s == 200 && b.contains("甲县")
    });
    assert!(status.contains("\"warnings\":"), "{status}");
    let (_, _, counties) = server.get("/counties/index.html");
    assert!(counties.contains("甲县"), "its last data is still shown");
}
