//! `nianbao serve` over real HTTP and websocket on an ephemeral loopback port.

mod common;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Fixture;
use common::server::Server;

const PAGE: &str = "/nianbao/2018/alpha/index.html";
const STATS: &str = "content/2018/alpha/stats.yaml";

fn value_cell(body: &str) -> Option<&str> {
    let marker = "data-id=\"proactive.total\">";
    let at = body.find(marker)? + marker.len();
    Some(&body[at..at + body[at..].find('<')?])
}

/// Edit a figure, break the file, fix it and delete the report, checking the preview follows each
/// step: the whole of what a clerk does in an afternoon.
fn edit_break_fix_delete(f: &Fixture, server: &Server) {
    let (status, head, body) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert_eq!(value_cell(&body), Some("10"));
    assert!(
        body.contains("/nianbao/__nianbao/livereload.js"),
        "reload script injected under the base path"
    );

    f.edit(STATS, "proactive.total: 10", "proactive.total: 12");
    server.wait_for(PAGE, "the new value", |_, b| value_cell(b) == Some("12"));
    let township = server.wait_for("/nianbao/townships/alpha/", "the township page", |_, b| {
        b.contains(">12<")
    });
    assert!(township.contains("历年数据对比"));

    f.edit(STATS, "proactive.total: 12", "proactive.total: 1２");
    let status = server.wait_for("/nianbao/__nianbao/status", "the error status", |_, b| {
        b.contains("\"error\"")
    });
    assert!(
        status.contains("content/2018/alpha/stats.yaml:3:20"),
        "file and line in the overlay text: {status}"
    );
    let (_, _, body) = server.get(PAGE);
    assert_eq!(
        value_cell(&body),
        Some("12"),
        "the last good build is still served"
    );

    f.edit(STATS, "proactive.total: 1２", "proactive.total: 13");
    server.wait_for("/nianbao/__nianbao/status", "the error to clear", |_, b| {
        b.contains("\"ok\"")
    });
    server.wait_for(PAGE, "the fixed value", |_, b| value_cell(b) == Some("13"));

    f.remove("content/2018/alpha");
    server.wait_for(PAGE, "the deleted report to disappear", |s, _| s == 404);
    let (status, _, _) = server.get("/nianbao/2018/alpha/stats.csv");
    assert_eq!(status, 404, "its data files are gone too");
}

#[test]
fn edit_error_fix_delete_over_http() {
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    edit_break_fix_delete(&f, &server);
}

const COUNTY_FOLDER: &str = "华容县年报";

#[test]
fn serve_from_inside_the_site_folder_follows_edits() {
    let f = Fixture::in_folder(COUNTY_FOLDER);
    let server = Server::start_from(Some(f.root()), &[]);
    edit_break_fix_delete(&f, &server);
}

#[test]
fn serve_with_root_dot_follows_edits() {
    let f = Fixture::in_folder(COUNTY_FOLDER);
    let server = Server::start_from(Some(f.root()), &[OsStr::new("--root"), OsStr::new(".")]);
    edit_break_fix_delete(&f, &server);
}

#[test]
fn serve_from_the_parent_folder_follows_edits() {
    let f = Fixture::in_folder(COUNTY_FOLDER);
    let server = Server::start_from(
        Some(f.dir.path()),
        &[OsStr::new("--root"), OsStr::new(COUNTY_FOLDER)],
    );
    edit_break_fix_delete(&f, &server);
}

#[test]
fn serve_from_a_sibling_folder_through_dot_dot_follows_edits() {
    let f = Fixture::in_folder(COUNTY_FOLDER);
    let sibling = f.dir.path().join("文档");
    std::fs::create_dir(&sibling).expect("mkdir");
    let root = format!("../{COUNTY_FOLDER}");
    let server = Server::start_from(Some(&sibling), &[OsStr::new("--root"), OsStr::new(&root)]);
    edit_break_fix_delete(&f, &server);
}

#[cfg(unix)]
#[test]
fn serve_through_a_symlinked_root_follows_edits() {
    let f = Fixture::in_folder(COUNTY_FOLDER);
    let link = f.dir.path().join("桌面快捷方式");
    std::os::unix::fs::symlink(f.root(), &link).expect("symlink");
    let server = Server::start_from(
        Some(f.dir.path()),
        &[OsStr::new("--root"), OsStr::new("桌面快捷方式")],
    );
    edit_break_fix_delete(&f, &server);
}

#[test]
fn stopping_serve_leaves_nothing_in_the_temporary_directory() {
    let f = Fixture::new();
    let mut server = Server::start(f.root(), &[]);
    assert_eq!(server.get(PAGE).0, 200);
    let entries = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let held = entries(server.tmp.path());
    assert_eq!(held.len(), 1, "one directory of serve's own: {held:?}");
    assert!(held[0].starts_with("nianbao-serve-"), "{held:?}");
    // The preview, and the staging tree beside it once there is one, are inside it.
    let inside = entries(&server.tmp.path().join(&held[0]));
    assert!(inside.contains(&"site".to_string()), "{inside:?}");
    assert!(
        inside.iter().all(|n| n == "site" || n == ".site.staging"),
        "{inside:?}"
    );
    // A websocket client open (a browser tab) must not keep serve from stopping.
    let mut tab = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    tab.write_all(
        b"GET /nianbao/__nianbao/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    )
    .expect("upgrade request");
    let mut answer = [0u8; 12];
    tab.read_exact(&mut answer).expect("upgrade answer");
    assert_eq!(&answer, b"HTTP/1.1 101");
    let status = server.stop().expect("serve stops on SIGTERM within 10 s");
    assert!(status.success(), "{status:?}");
    // The preview folder is renamed aside and deleted by a process of its own.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !entries(server.tmp.path()).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(entries(server.tmp.path()), Vec::<String>::new());
}

/// Add the 2018 report of 甲镇 for 2014–2017 too: enough reports that one edit re-renders a
/// minority of the files, so that serve writes the overview pages, downloads and search after
/// the reload, in its background pass.
fn more_years(f: &Fixture) {
    for year in [2014, 2015, 2016, 2017] {
        for name in ["report.md", "stats.yaml"] {
            let text = std::fs::read_to_string(f.root().join("content/2018/alpha").join(name))
                .expect("the fixture's report")
                .replace("2018", &year.to_string())
                .replace("2019-", &format!("{}-", year + 1));
            f.write(&format!("content/{year}/alpha/{name}"), &text);
        }
        f.write(&format!("content/{year}/alpha/统计表.xls"), "xls");
    }
}

/// Each file of serve's background pass waits this long (`NIANBAO_SLOW_BACKGROUND`, a hook for
/// tests): the pass takes seconds on the test site, as it does on a large county's. (250 ms since
/// the search index has four shards per report and rest parts: at 400 ms the pass took longer
/// than serve's 10-s wait for a stale page.)
const SLOW: (&str, &str) = ("NIANBAO_SLOW_BACKGROUND", "250");

#[test]
fn a_save_preempts_the_background_pass_and_the_pass_follows_both_saves() {
    let f = Fixture::new().without_missing_years();
    more_years(&f);
    let server = Server::start_env(f.root(), &[SLOW]);
    // The first build's other files are written (a request for one waits for them; the slowed
    // pass can outlast one request's read timeout, so ask again until it answers).
    server.wait_for(
        "/nianbao/search/docs.js",
        "the first build's background pass",
        |s, _| s == 200,
    );
    f.edit(STATS, "proactive.total: 10", "proactive.total: 12");
    server.wait_for(PAGE, "the first save", |_, b| value_cell(b) == Some("12"));
    // Past the quiet time (800 ms) after which the first save's background pass starts.
    std::thread::sleep(Duration::from_millis(1500));
    let saved = Instant::now();
    f.edit(
        "content/2018/alpha/report.md",
        "title: 测试县甲镇2018年度",
        "title: 修订后的测试县甲镇2018年度",
    );
    server.wait_for(PAGE, "the second save", |_, b| {
        b.contains("修订后的测试县甲镇")
    });
    let took = saved.elapsed();
    let log =
        server.log_until(|lines| lines.iter().filter(|l| l.contains("已重新生成")).count() >= 2);
    let saves: Vec<usize> = (0..log.len())
        .filter(|i| log[*i].contains("已重新生成"))
        .collect();
    assert_eq!(saves.len(), 2, "{log:#?}");
    assert!(
        !log[saves[0]..saves[1]]
            .iter()
            .any(|l| l.contains("已更新全县汇总")),
        "the second save came while the first one's background pass ran: {log:#?}"
    );
    // The pass has seconds of files left: the save did not wait for them.
    assert!(
        took < Duration::from_millis(2500),
        "the second save took {took:?}: {log:#?}"
    );
    // The files the pass rewrites are stale until then: a request waits for their new bytes,
    // which are those of a fresh build of both saves.
    let (_, _, year) = server.get("/nianbao/2018/index.html");
    assert!(
        year.contains("修订后的测试县甲镇"),
        "the year page lists the new title"
    );
    let out = f.dir.path().join("built");
    let (code, _, stderr) = common::run_in(
        f.root(),
        "build",
        &["--output", out.to_str().expect("a UTF-8 path")],
    );
    assert_eq!(code, 0, "{stderr}");
    for file in ["data/all.csv", "data/all.json", "search/docs.js"] {
        let (status, _, served) = server.get(&format!("/nianbao/{file}"));
        assert_eq!(status, 200, "{file}");
        let built = std::fs::read_to_string(out.join(file)).expect("built");
        assert!(served == built, "{file} as served is the fresh build's");
        assert!(
            file != "search/docs.js" || served.contains("修订后的测试县甲镇"),
            "{served}"
        );
    }
}

#[test]
fn sigterm_stops_serve_within_two_seconds_during_its_background_pass() {
    let f = Fixture::new().without_missing_years();
    more_years(&f);
    let mut server = Server::start_env(f.root(), &[SLOW]);
    assert_eq!(server.get(PAGE).0, 200);
    // A browser tab asking for a download the pass has not written yet: its request waits, and
    // must not hold the stop up.
    let mut waiting = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    waiting
        .write_all(b"GET /nianbao/search/docs.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("request");
    std::thread::sleep(Duration::from_millis(300));
    let asked = Instant::now();
    let status = server.stop().expect("serve stops on SIGTERM");
    let took = asked.elapsed();
    assert!(status.success(), "{status:?}");
    let log = server.log_until(|lines| lines.iter().any(|l| l.contains("已停止预览")));
    assert!(
        !log.iter().any(|l| l.contains("后台生成完毕")),
        "stopped while the first build's other files were being written: {log:#?}"
    );
    assert!(took < Duration::from_secs(2), "stopping took {took:?}");
    waiting
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut answer = String::new();
    let _ = waiting.read_to_string(&mut answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 503"),
        "the waiting request is told the file is not there: {answer}"
    );
    assert!(
        log.iter().any(|l| l.contains("已停止预览")),
        "serve says it stopped: {log:#?}"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(server.tmp.path()).map_or(0, |d| d.count()) > 0
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        std::fs::read_dir(server.tmp.path()).map_or(0, |d| d.count()),
        0,
        "the preview folder is deleted in the background"
    );
}

#[test]
fn paths_that_escape_the_output_are_refused() {
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    for path in [
        "/nianbao/../../etc/passwd",
        "/nianbao/%2e%2e/%2e%2e/etc/passwd",
        "/nianbao/%2E%2E%2f%2E%2E%2fetc%2fpasswd",
        "/nianbao/..%5c..%5cetc",
        "/nianbao/%00",
    ] {
        let (status, _, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("root:"), "{path} leaked a file");
    }
    let (status, _, _) = server.get("/etc/passwd");
    assert_eq!(status, 404);
    let (status, head, _) = server.get("/");
    assert_eq!(status, 302);
    assert!(head.contains("/nianbao/"));
}

#[test]
fn chinese_file_names_are_served_with_the_right_type() {
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    let (status, head, _) = server.get("/nianbao/2018/alpha/%E7%BB%9F%E8%AE%A1%E8%A1%A8.xls");
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_lowercase()
            .contains("content-type: application/vnd.ms-excel"),
        "{head}"
    );
    let (status, head, body) = server.get("/nianbao/2018/alpha/stats.csv");
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase().contains("text/csv; charset=utf-8"),
        "{head}"
    );
    assert!(body.starts_with('\u{feff}'));
}

#[test]
fn websocket_sends_the_status_then_reload() {
    let f = Fixture::new().without_missing_years();
    // Enough reports that one edit re-renders a minority of the files, so that serve defers the
    // overview pages until after the reload (a small site is rebuilt whole, all before it).
    for year in [2014, 2015, 2016, 2017] {
        for name in ["report.md", "stats.yaml"] {
            let text = std::fs::read_to_string(f.root().join("content/2018/alpha").join(name))
                .unwrap()
                .replace("2018", &year.to_string())
                .replace("2019-", &format!("{}-", year + 1));
            f.write(&format!("content/{year}/alpha/{name}"), &text);
        }
        f.write(&format!("content/{year}/alpha/统计表.xls"), "xls");
    }
    let server = Server::start(f.root(), &[]);
    // A file the first build leaves for later is answered once everything is written: from then
    // on the only messages are the edit's.
    assert_eq!(server.get("/nianbao/search/docs.js").0, 200);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET /nianbao/__nianbao/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.contains("101"), "switching protocols: {line}");
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
    }
    assert_eq!(
        read_text_frame(&mut reader),
        r#"{"text":"","type":"ok","warnings":0}"#
    );
    f.edit(
        "content/2018/alpha/report.md",
        "title: 测试县甲镇2018年度",
        "title: 修订后的测试县甲镇2018年度",
    );
    let mut seen = Vec::new();
    while !seen.iter().any(|m: &String| m.contains("reload")) {
        seen.push(read_text_frame(&mut reader));
    }
    assert_eq!(seen.last().unwrap(), r#"{"type":"reload"}"#, "{seen:?}");
    // The year page (which lists the titles) is written once the sources are quiet, then the
    // browsers showing it are reloaded by name.
    let targeted = read_text_frame(&mut reader);
    let message: serde_json::Value = serde_json::from_str(&targeted).unwrap();
    assert_eq!(message["type"], "reload", "{targeted}");
    let paths = message["paths"].as_array().unwrap();
    assert!(paths.contains(&"/nianbao/2018/".into()), "{targeted}");
    assert!(
        !paths.contains(&"/nianbao/2018/alpha/".into()),
        "{targeted}"
    );
    let (_, _, year_page) = server.get("/nianbao/2018/index.html");
    assert!(
        year_page.contains("修订后的测试县甲镇"),
        "the year page shows the new title"
    );
}

/// Read one unmasked server text frame (short payloads only).
fn read_text_frame(reader: &mut impl Read) -> String {
    let mut head = [0u8; 2];
    reader.read_exact(&mut head).unwrap();
    assert_eq!(head[0] & 0x0f, 1, "text frame");
    let mut len = usize::from(head[1] & 0x7f);
    if len == 126 {
        let mut ext = [0u8; 2];
        reader.read_exact(&mut ext).unwrap();
        len = usize::from(u16::from_be_bytes(ext));
    }
    let mut payload = vec![0u8; len];
    reader.read_exact(&mut payload).unwrap();
    String::from_utf8(payload).unwrap()
}

#[test]
fn a_first_build_that_fails_serves_its_errors_and_recovers() {
    let f = Fixture::new();
    f.edit(STATS, "proactive.total: 10", "proactive.total: 1２");
    let server = Server::start(f.root(), &[]);
    let banner = server.banner.join("\n");
    assert!(
        banner.contains("还没有可以预览的网站") && !banner.contains("继续提供上一次成功生成的网站"),
        "no earlier site is claimed: {banner}"
    );
    let (status, _, body) = server.get("/nianbao/");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("网站尚未生成成功"), "{body}");
    assert!(
        body.contains("content/2018/alpha/stats.yaml:3:20"),
        "the error with its file and line: {body}"
    );
    assert!(
        body.contains("/nianbao/__nianbao/livereload.js"),
        "the page reloads itself once fixed"
    );
    let (status, _, body) = server.get(PAGE);
    assert_eq!(status, 503, "every page says so, not a bare 404: {body}");
    f.edit(STATS, "proactive.total: 1２", "proactive.total: 11");
    server.wait_for(PAGE, "the fixed site", |s, b| {
        s == 200 && value_cell(b) == Some("11")
    });
}

#[test]
fn serve_says_where_its_warnings_are() {
    let f = Fixture::new().without_missing_years();
    // 主动公开规范性文件数 above 制发规范性文件总数: a rule warning, the site still builds.
    f.edit(
        STATS,
        "proactive.normative_docs_published: 2",
        "proactive.normative_docs_published: 9",
    );
    let server = Server::start(f.root(), &[]);
    let banner = server.banner.join("\n");
    assert!(
        banner
            .contains("1 条警告：预览页面右下角的“预览提示”列出全部，也可运行 nianbao check 查看"),
        "the warning count says where to read them: {banner}"
    );
    let (_, _, body) = server.get(PAGE);
    assert!(
        body.contains("数据核对提示"),
        "and the report page lists it"
    );
}

#[test]
fn serve_previews_unfinished_work_that_build_refuses() {
    let f = Fixture::new().without_missing_years();
    f.edit(
        "content/2018/alpha/report.md",
        "正文。",
        "（在此填写正文。）",
    );
    let server = Server::start(f.root(), &[]);
    let (status, _, body) = server.get(PAGE);
    assert_eq!(status, 200, "the draft is previewed");
    assert!(body.contains("（在此填写正文。）"));
    let banner = server.banner.join("\n");
    assert!(banner.contains("1 条警告"), "as a warning: {banner}");
    let (_, _, status) = server.get("/nianbao/__nianbao/status");
    assert!(status.contains("\"ok\""), "no error overlay: {status}");
    // The page's warning panel gets the warning with its file and line, …
    let json: serde_json::Value = serde_json::from_str(&status).expect("JSON status");
    assert_eq!(json["warnings"], 1, "{status}");
    let text = json["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("content/2018/alpha/report.md:12:1")
            && text.contains("正文中还有未填写的占位文字"),
        "{text}"
    );
    // … an edit elsewhere keeps it, and filling the text in clears it.
    f.edit(
        "content/2020/beta/stats.yaml",
        "natural_person: 2",
        "natural_person: 3",
    );
    f.edit("content/2020/beta/stats.yaml", "total: 2", "total: 3");
    server.wait_for("/nianbao/2020/beta/", "the other edit", |_, b| {
        b.contains(">3<")
    });
    let (_, _, status) = server.get("/nianbao/__nianbao/status");
    assert!(status.contains("\"warnings\":1"), "{status}");
    f.edit(
        "content/2018/alpha/report.md",
        "（在此填写正文。）",
        "正文。",
    );
    server.wait_for(
        "/nianbao/__nianbao/status",
        "the warning to clear",
        |_, b| b.contains("\"warnings\":0"),
    );
    f.edit(
        "content/2018/alpha/report.md",
        "正文。",
        "（在此填写正文。）",
    );
    let (code, _, stderr) = common::run_in(f.root(), "build", &[]);
    assert_eq!(code, 1, "publishing it is refused: {stderr}");
    assert!(
        stderr.contains("错误: content/2018/alpha/report.md:12:1: 正文中还有未填写的占位文字"),
        "{stderr}"
    );
}

#[test]
fn a_draft_is_previewed_and_left_out_of_the_build() {
    let f = Fixture::new();
    let beta = "content/2020/beta/report.md";
    f.edit(
        beta,
        "published: 2021-01-20",
        "published: 2021-01-20\ndraft: true",
    );
    f.edit(beta, "正文。", "（在此填写正文。）");
    let server = Server::start(f.root(), &[]);
    let (status, _, _) = server.get("/nianbao/2020/beta/index.html");
    assert_eq!(status, 200, "serve previews the draft");
    let (code, _, stderr) = common::run_in(f.root(), "build", &[]);
    assert_eq!(
        code, 0,
        "a draft's placeholders do not stop the build: {stderr}"
    );
    assert!(stderr.contains("这份报告标为草稿"), "{stderr}");
    assert!(
        !f.root().join("public/2020/beta").exists(),
        "the draft is not published"
    );
    assert!(f.root().join("public/2018/alpha/index.html").is_file());
    f.edit(beta, "draft: true", "draft: 是");
    let (code, _, stderr) = common::run_in(f.root(), "check", &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("draft 只能写 true 或 false"), "{stderr}");
}

#[test]
fn the_preview_gives_embed_code_and_qr_the_published_address() {
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    let (status, _, body) = server.get(PAGE);
    assert_eq!(status, 200);
    // The 嵌入本表 code is HTML-escaped text inside the page.
    assert!(
        body.contains("&lt;iframe src=&quot;https://example.gov.cn/nianbao/embed/2018/alpha/"),
        "the code to paste names site.toml's base_url"
    );
    assert!(
        !body.contains("127.0.0.1"),
        "no preview address in a page a clerk copies from"
    );
}
