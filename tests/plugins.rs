//! Plugins (`[[plugins]]` in site.toml): the two Python examples under examples/plugins/ in
//! build, check and serve; the document plugins receive is the export's; every way a plugin can
//! go wrong is a Chinese error naming it that leaves the previous output as it was.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::server::Server;
use common::{Fixture, repo_root, run_in, snapshot_tree};

const LOCAL: &str = "\n[[plugins]]\nname = \"本地特色指标\"\ncommand = [\"python3\", \"plugins/local_indicators/plugin.py\", \"plugins/local_indicators/indicators.csv\"]\n";
const RULE: &str = "\n[[plugins]]\nname = \"本县规则\"\ncommand = [\"python3\", \"plugins/county_rule/plugin.py\", \"--heading\", \"存在问题\", \"--heading\", \"工作要点\"]\n";

/// Fail naming Python when it is missing, rather than skipping.
fn need_python() {
    let found = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "python3 is needed by the plugin tests: install Python 3 (apt-get install python3)"
    );
}

/// The content pack (北景港镇 2018) in a temporary folder, with the example plugins copied to
/// `plugins/` and `extra` appended to its site.toml.
fn content_pack(extra: &str) -> Fixture {
    need_python();
    let f = Fixture::empty();
    let repo = repo_root();
    let toml = std::fs::read_to_string(repo.join("site.toml")).expect("site.toml");
    f.write("site.toml", &(toml + extra));
    copy_dir(&repo.join("content"), &f.root().join("content"));
    copy_dir(&repo.join("examples/plugins"), &f.root().join("plugins"));
    f
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        // Other tests build the demo in place; their cache may change under the walk.
        .filter_entry(|e| e.file_name() != ".nianbao-cache")
    {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn build(f: &Fixture) -> (i32, String) {
    let out = f.root().join("public");
    let (code, _, err) = run_in(f.root(), "build", &["--output", out.to_str().unwrap()]);
    (code, err)
}

fn read(f: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(f.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_example_plugins_add_a_page_and_warnings_in_build_and_check() {
    let f = content_pack(&format!("{LOCAL}{RULE}"));
    let (code, err) = build(&f);
    assert_eq!(code, 0, "{err}");
    let page = read(&f, "public/local/index.html");
    assert!(page.contains("<h1>本地特色指标</h1>"), "{page}");
    assert!(
        page.contains("政务公开栏更新次数"),
        "the CSV's rows are on the page"
    );
    assert!(page.contains("<td align=\"right\">24</td>") || page.contains(">24<"));
    assert!(
        page.contains("（未填报）"),
        "a blank value stays blank, not 0"
    );
    assert!(
        page.contains("href=\"../2018/beijinggang/\""),
        "links to the report"
    );
    assert!(
        read(&f, "public/sitemap.xml").contains("/nianbao/local/</loc>"),
        "the plugin page is in the sitemap"
    );
    assert!(
        err.contains("content/2018/beijinggang/report.md:20")
            && err.contains("正文缺少“工作要点”部分")
            && err.contains("由插件「本县规则」报告"),
        "the county rule's warning, located in the report: {err}"
    );
    assert!(
        !err.contains("缺少“存在问题”"),
        "the report has that part: no warning"
    );
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("content/2018/beijinggang/report.md:20"),
        "{err}"
    );
    let (code, _, err) = run_in(f.root(), "check", &["--strict"]);
    assert_eq!(
        code, 1,
        "--strict makes the plugin's warning an error: {err}"
    );
}

/// Search `out` (a built site) for `q` in node, as the search page does; the result URLs.
fn search(out: &Path, q: &str, year: &str) -> Vec<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "the search check runs static/search.js in node: install Node.js (apt-get install nodejs)"
    );
    let root = repo_root();
    let mut child = Command::new("node")
        .arg(root.join("tests/js/search_harness.js"))
        .arg(root.join("themes/default/static/search.js"))
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let request = serde_json::json!({"searches": [{"q": q, "year": year}]});
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(request.to_string().as_bytes())
        .expect("write");
    drop(stdin);
    let output = child.wait_with_output().expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    answer["searches"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn plugin_pages_are_found_by_search() {
    let f = content_pack(LOCAL);
    let (code, err) = build(&f);
    assert_eq!(code, 0, "{err}");
    let out = f.root().join("public");
    assert!(read(&f, "public/search/docs.js").contains("[\"local/index.html\",\"本地特色指标\"]"));
    assert_eq!(
        search(&out, "政务公开栏更新次数", ""),
        ["local/index.html"],
        "the plugin page's text is indexed"
    );
    assert!(
        search(&out, "政务公开栏更新次数", "2018").is_empty(),
        "a year filter leaves out pages that are not reports"
    );
    assert_eq!(
        search(&out, "北景港镇", "")[0],
        "2018/beijinggang/index.html",
        "reports are still found"
    );
}

#[test]
fn the_export_is_the_document_plugins_receive() {
    let dump = "\n[[plugins]]\nname = \"dump\"\ncommand = [\"python3\", \"-c\", \"import sys; open('received.json', 'wb').write(sys.stdin.buffer.read()); print('{}')\"]\n";
    let f = content_pack(dump);
    let (code, err) = build(&f);
    assert_eq!(code, 0, "{err}");
    let received = read(&f, "received.json");
    let exported = f.root().join("export.json");
    let (code, stdout, err) = run_in(
        f.root(),
        "export",
        &["--format", "json", "--output", exported.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    assert_eq!(read(&f, "export.json"), received);
    let (code, stdout, _) = run_in(f.root(), "export", &[]);
    assert_eq!(code, 0);
    assert_eq!(stdout, received, "stdout and --output agree");

    let doc: serde_json::Value = serde_json::from_str(&received).expect("JSON");
    assert_eq!(doc["version"], 1);
    let report = &doc["site"]["reports"][0];
    assert_eq!(report["year"], 2018);
    assert_eq!(report["township"], "beijinggang");
    assert_eq!(report["format"], "gov-2014");
    assert_eq!(report["front_matter"]["published"], "2019-03-12");
    assert_eq!(report["values"]["proactive.total"], 147);
    assert_eq!(report["values"]["response.total"], 92);
    assert!(
        report["values"]["proactive"].is_null(),
        "a blank cell is null, not 0"
    );
    assert!(
        report["narrative"]
            .as_str()
            .unwrap()
            .contains("## 一、概述")
    );
}

/// Build once with a good plugin, then with `bad`: the build fails with a message containing
/// every one of `expected`, and the output is byte for byte what it was.
fn fails_keeping_output(bad: &str, expected: &[&str]) {
    let f = content_pack(LOCAL);
    let (code, err) = build(&f);
    assert_eq!(code, 0, "{err}");
    let before = snapshot_tree(&f.root().join("public"));
    let toml = read(&f, "site.toml");
    f.write("site.toml", &format!("{toml}{bad}"));
    let started = Instant::now();
    let (code, err) = build(&f);
    assert_eq!(code, 1, "{err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    assert!(err.contains("原有输出保持不变"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        snapshot_tree(&f.root().join("public")) == before,
        "the previous output is unchanged"
    );
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1, "check fails too: {err}");
}

fn plugin(name: &str, python: &str, extra: &str) -> String {
    let python = python.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "\n[[plugins]]\nname = \"{name}\"\ncommand = [\"python3\", \"-c\", \"{python}\"]\n{extra}"
    )
}

fn printing(name: &str, output: &str) -> String {
    plugin(
        name,
        &format!("import sys; sys.stdin.read(); print({output:?})"),
        "",
    )
}

#[test]
fn a_failing_plugin_is_an_error_naming_it() {
    fails_keeping_output(
        &plugin(
            "坏插件",
            "import sys; sys.stderr.write('找不到数据文件'); sys.exit(3)",
            "",
        ),
        &["插件「坏插件」运行失败（退出码 3）", "找不到数据文件"],
    );
}

#[test]
fn a_plugin_past_its_timeout_is_stopped() {
    fails_keeping_output(
        &plugin("慢插件", "import time; time.sleep(60)", "timeout_s = 1\n"),
        &["插件「慢插件」运行超过 1 秒"],
    );
}

#[test]
fn a_plugin_printing_invalid_json_is_an_error_saying_where() {
    fails_keeping_output(
        &printing("乱码插件", "{\"pages\": [}"),
        &["插件「乱码插件」的输出不是有效的 JSON（第 1 行第"],
    );
}

#[test]
fn a_plugin_page_over_a_built_in_page_is_refused() {
    for path in ["2018/", "search/", "index.html/"] {
        let page = format!(
            "{{\"pages\": [{{\"path\": \"{path}\", \"title\": \"t\", \"markdown\": \"x\"}}]}}"
        );
        fails_keeping_output(
            &printing("覆盖插件", &page),
            &[&format!("插件「覆盖插件」的页面路径「{path}」无效")],
        );
    }
}

#[test]
fn a_plugin_page_outside_the_site_is_refused() {
    for path in ["../escape/", "/tmp/abs/", "local/../../x/"] {
        let page = format!(
            "{{\"pages\": [{{\"path\": \"{path}\", \"title\": \"t\", \"markdown\": \"x\"}}]}}"
        );
        fails_keeping_output(
            &printing("越界插件", &page),
            &[&format!("插件「越界插件」的页面路径「{path}」无效")],
        );
    }
}

#[test]
fn an_error_a_plugin_reports_fails_the_build() {
    let finding = "{\"diagnostics\": [{\"severity\": \"error\", \"file\": \"content/2018/beijinggang/report.md\", \"line\": 20, \"message\": \"本县要求写明联系人\"}]}";
    fails_keeping_output(
        &printing("严格规则", finding),
        &[
            "content/2018/beijinggang/report.md:20",
            "本县要求写明联系人",
            "由插件「严格规则」报告",
        ],
    );
}

#[test]
fn the_link_checker_reads_plugin_pages() {
    let page = "{\"pages\": [{\"path\": \"extra/\", \"title\": \"附加页\", \"markdown\": \"[报告](../2018/beijinggang/) [坏链接](../nowhere/)\"}]}";
    let f = content_pack(&printing("链接插件", page));
    let (code, _, err) = run_in(f.root(), "check", &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("extra/index.html") && err.contains("nowhere"),
        "the broken link of the plugin page is found: {err}"
    );
    assert!(
        !err.contains("2018/beijinggang/\u{ff09}"),
        "the good link is not reported"
    );
}

#[test]
fn serve_reruns_plugins_when_a_file_they_read_changes() {
    let f = content_pack(LOCAL);
    let server = Server::start(f.root(), &[]);
    let path = "/nianbao/local/";
    server.wait_for(path, "the plugin page", |s, b| {
        s == 200 && b.contains(">24<")
    });
    f.edit(
        "plugins/local_indicators/indicators.csv",
        "政务公开栏更新次数,次,24",
        "政务公开栏更新次数,次,31",
    );
    server.wait_for(path, "the edited CSV's value", |_, b| b.contains(">31<"));
    f.edit(
        "content/2018/beijinggang/report.md",
        "## 三、存在问题",
        "## 三、问题",
    );
    let toml = read(&f, "site.toml");
    f.write("site.toml", &format!("{toml}{RULE}"));
    let status = server.wait_for("/nianbao/__nianbao/status", "the rule's warning", |_, b| {
        b.contains("缺少“存在问题”")
    });
    assert!(
        status.contains("content/2018/beijinggang/report.md"),
        "{status}"
    );
}

#[cfg(unix)]
#[test]
fn a_program_named_by_a_relative_path_is_found_from_the_site_root() {
    use std::os::unix::fs::PermissionsExt;
    let f = content_pack("\n[[plugins]]\nname = \"脚本\"\ncommand = [\"plugins/page.sh\"]\n");
    f.write(
        "plugins/page.sh",
        "#!/bin/sh\ncat > /dev/null\necho '{\"pages\": [{\"path\": \"notes/\", \"title\": \"说明\", \"markdown\": \"本县说明。\"}]}'\n",
    );
    let script = f.root().join("plugins/page.sh");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // Run from elsewhere: the script is found from the site root, not the caller's folder.
    let (code, err) = build(&f);
    assert_eq!(code, 0, "{err}");
    assert!(read(&f, "public/notes/index.html").contains("本县说明。"));
}

/// A Python plugin written to `plugins/<file>` of the fixture, with `extra` settings.
fn script_plugin(f: &Fixture, name: &str, file: &str, script: &str, extra: &str) {
    f.write(&format!("plugins/{file}"), script);
    let toml = read(f, "site.toml");
    f.write(
        "site.toml",
        &format!("{toml}\n[[plugins]]\nname = \"{name}\"\ncommand = [\"python3\", \"plugins/{file}\"]\n{extra}"),
    );
}

/// Whether the process `pid` still runs (a zombie waiting for its parent has ended).
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|s| !s.trim_start().starts_with('Z'))
    })
}

/// The pid a plugin's child wrote into the fixture.
fn child_pid(f: &Fixture) -> u32 {
    read(f, "child.pid").trim().parse().expect("a pid")
}

/// Wait a moment for a killed process to go (the kernel ends it asynchronously).
fn gone_soon(pid: u32) -> bool {
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        if !running(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

const CHILD_HOLDING_OUTPUT: &str = "\
import subprocess, sys
child = subprocess.Popen(['sleep', '120'])
open('child.pid', 'w').write(str(child.pid))
sys.stdin.read()
print('{\"pages\": []}')
sys.stdout.flush()
";

#[cfg(unix)]
#[test]
fn a_child_left_holding_the_output_does_not_keep_the_build_waiting() {
    let f = content_pack("");
    script_plugin(
        &f,
        "留子进程",
        "leaves_child.py",
        CHILD_HOLDING_OUTPUT,
        "timeout_s = 10\n",
    );
    let started = Instant::now();
    let (code, err) = build(&f);
    let took = started.elapsed();
    assert_eq!(code, 0, "the plugin answered and exited: {err}");
    assert!(took < Duration::from_secs(10), "the build waited {took:?}");
    let pid = child_pid(&f);
    assert!(gone_soon(pid), "the plugin's child {pid} was left running");
}

#[cfg(unix)]
#[test]
fn a_plugin_past_its_timeout_is_stopped_with_its_children() {
    let f = content_pack(LOCAL);
    let (code, err) = build(&f);
    assert_eq!(code, 0, "{err}");
    let before = snapshot_tree(&f.root().join("public"));
    let hangs = CHILD_HOLDING_OUTPUT.replace("sys.stdin.read()", "import time; time.sleep(120)");
    script_plugin(&f, "挂起插件", "hangs.py", &hangs, "timeout_s = 2\n");
    let started = Instant::now();
    let (code, err) = build(&f);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("插件「挂起插件」运行超过 2 秒"),
        "the message names the plugin and its timeout: {err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let pid = child_pid(&f);
    assert!(gone_soon(pid), "the plugin's child {pid} was left running");
    assert!(snapshot_tree(&f.root().join("public")) == before);
}

#[cfg(unix)]
#[test]
fn a_child_that_left_the_group_holding_the_output_ends_at_the_timeout() {
    let f = content_pack("");
    let escapes = CHILD_HOLDING_OUTPUT.replace(
        "['sleep', '120']",
        "['sleep', '120'], start_new_session=True",
    );
    script_plugin(&f, "脱离插件", "escapes.py", &escapes, "timeout_s = 2\n");
    let started = Instant::now();
    let (code, err) = build(&f);
    let took = started.elapsed();
    // Its own session is out of reach of the group: the build stops waiting at the timeout.
    let pid = child_pid(&f);
    let _ = std::process::Command::new("kill")
        .arg(pid.to_string())
        .status();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("插件「脱离插件」运行超过 2 秒"), "{err}");
    assert!(took < Duration::from_secs(8), "the build waited {took:?}");
}

/// A plugin answering with a page of `mib` MiB, written in pieces (the plugin stays small).
fn big_answer(mib: usize) -> String {
    format!(
        "\
import sys
sys.stdin.read()
sys.stdout.write('{{\"pages\": [{{\"path\": \"big/\", \"title\": \"大\", \"markdown\": \"')
for _ in range({mib}):
    sys.stdout.write('x' * 1048576)
sys.stdout.write('\"}}]}}')
"
    )
}

/// Build with `python3` measuring the largest resident size of nianbao and the plugin (KiB).
fn build_measuring_memory(f: &Fixture) -> (i32, String, u64) {
    let out = f.root().join("public");
    let measure = "\
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(r.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(r.returncode)
";
    let output = std::process::Command::new("python3")
        .args([
            "-c",
            measure,
            env!("CARGO_BIN_EXE_nianbao"),
            "build",
            "--output",
        ])
        .arg(&out)
        .current_dir(f.root())
        .output()
        .expect("python3 runs");
    let rss = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("ru_maxrss");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        rss,
    )
}

#[test]
fn an_answer_over_the_limit_is_refused_while_read_with_memory_bounded() {
    let f = content_pack(LOCAL);
    let (code, err) = build(&f);
    assert_eq!(code, 0, "{err}");
    let before = snapshot_tree(&f.root().join("public"));
    script_plugin(&f, "巨量插件", "big.py", &big_answer(100), "");
    let (code, err, rss_kib) = build_measuring_memory(&f);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("插件「巨量插件」的输出超过 64 MiB（max_output_mib）"),
        "the default limit, naming the plugin: {err}"
    );
    // The answer is cut at 64 MiB while read: neither 100 MiB of it nor its parse are held.
    assert!(rss_kib < 160 * 1024, "peak {rss_kib} KiB");
    eprintln!("peak resident size with a 100 MiB answer: {rss_kib} KiB");
    assert!(snapshot_tree(&f.root().join("public")) == before);
}

#[test]
fn the_answer_limit_is_set_per_plugin() {
    let f = content_pack("");
    script_plugin(
        &f,
        "小限额",
        "two.py",
        &big_answer(2),
        "max_output_mib = 1\n",
    );
    let (code, err) = build(&f);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("插件「小限额」的输出超过 1 MiB"), "{err}");

    let f = content_pack("");
    script_plugin(
        &f,
        "大限额",
        "two.py",
        &big_answer(2),
        "max_output_mib = 3\n",
    );
    let (code, err) = build(&f);
    assert_eq!(
        code, 0,
        "a 2 MiB page within a 3 MiB limit is published: {err}"
    );
    let page = read(&f, "public/big/index.html");
    assert!(page.len() > 2 * 1024 * 1024);

    let f = content_pack("");
    script_plugin(
        &f,
        "零限额",
        "two.py",
        &big_answer(1),
        "max_output_mib = 0\n",
    );
    let (code, err) = build(&f);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("max_output_mib 必须在 1 到 4096 之间"),
        "{err}"
    );
}
