//! Inputs built to exhaust time or memory: each must finish quickly with a clear message.
//! Peak memory is read from the child's rusage (`ru_maxrss` of waited-for children, Linux).

use std::time::{Duration, Instant};

use crate::common::REPORT_2018;
use crate::{REPORT, STATS};

/// CPU time (user + system) a hostile input may cost: CPU time, unlike wall time, does not grow
/// when other jobs share the two cores. Generous for the unoptimised test binary.
const CPU_BOUND: Duration = Duration::from_secs(20);
/// Wall time beyond which the run counts as hung, however loaded the machine.
const WALL_BOUND: Duration = Duration::from_secs(120);
/// Peak resident memory a build of one hostile file may use.
const MEMORY_BOUND_KB: i64 = 1_000_000;

/// One measured run of the binary.
pub struct Measured {
    pub code: i32,
    pub stderr: String,
    pub wall: Duration,
    pub cpu: Duration,
    /// Peak resident memory in kB.
    pub rss_kb: i64,
}

impl Measured {
    fn assert_bounded(&self, rss_bound_kb: i64) {
        assert!(self.cpu < CPU_BOUND, "CPU time {:?}", self.cpu);
        assert!(self.wall < WALL_BOUND, "wall time {:?}", self.wall);
        assert!(self.rss_kb < rss_bound_kb, "peak RSS {} kB", self.rss_kb);
    }
}

/// Run `nianbao <command> --root <fixture>`, measured by `wait4`'s rusage (this child only, not
/// other tests' children).
// The child is reaped by `wait4`, which clippy does not know.
#[allow(clippy::zombie_processes)]
pub fn measured(f: &crate::common::Fixture, command: &str) -> Measured {
    let err = tempfile::tempfile().expect("temp file");
    let start = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args([command, "--root"])
        .arg(f.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(err.try_clone().expect("dup"))
        .spawn()
        .expect("nianbao runs");
    let mut status = 0i32;
    let mut usage = Rusage::default();
    // SAFETY: wait4 writes only the status and the rusage struct it is given, which has the
    // layout of Linux x86_64/aarch64 `struct rusage`.
    let pid = unsafe { wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4");
    let elapsed = start.elapsed();
    let code = if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        -1
    };
    let mut stderr = String::new();
    let mut err = err;
    std::io::Seek::rewind(&mut err).expect("rewind");
    std::io::Read::read_to_string(&mut err, &mut stderr).expect("stderr");
    let seconds =
        |t: [i64; 2]| Duration::from_secs(t[0] as u64) + Duration::from_micros(t[1] as u64);
    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    eprintln!(
        "{command}: wall {elapsed:?}, CPU {cpu:?}, peak RSS {} kB",
        usage.ru_maxrss
    );
    Measured {
        code,
        stderr,
        wall: elapsed,
        cpu,
        rss_kb: usage.ru_maxrss,
    }
}

#[repr(C)]
#[derive(Default)]
struct Rusage {
    ru_utime: [i64; 2],
    ru_stime: [i64; 2],
    ru_maxrss: i64,
    rest: [i64; 13],
}

unsafe extern "C" {
    fn wait4(pid: i32, status: *mut i32, options: i32, usage: *mut Rusage) -> i32;
}

/// Like [`case`], with the broken build itself measured (one run of the hostile input instead of
/// three: these inputs are large).
fn bounded(mutate: impl FnOnce(&crate::common::Fixture), expected: &[&str]) {
    let f = crate::common::Fixture::new();
    let out = f.root().join("public");
    let (first, _, stderr) = crate::common::run_in(f.root(), "build", &[]);
    assert_eq!(first, 0, "the fixture itself must build: {stderr}");
    let before = crate::common::snapshot_tree(&out);
    mutate(&f);
    let run = measured(&f, "build");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    for fragment in expected {
        assert!(
            run.stderr.contains(fragment),
            "expected {fragment:?} in:\n{}",
            run.stderr
        );
    }
    assert!(
        crate::common::snapshot_tree(&out) == before,
        "the previous output must stay untouched"
    );
    run.assert_bounded(MEMORY_BOUND_KB);
}

#[test]
fn fifty_megabyte_report_is_published_in_bounded_time_and_memory() {
    let f = crate::common::Fixture::new();
    let paragraph =
        "本年度，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。\n\n";
    let mut text = REPORT_2018.to_string();
    text.reserve(50 << 20);
    while text.len() < 50 << 20 {
        text.push_str(paragraph);
    }
    f.write(REPORT, &text);
    let run = measured(&f, "build");
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The page holds the text a few times over (Markdown, HTML, sanitised HTML, the page).
    run.assert_bounded(1_500_000);
    let page = f.root().join("public/2018/alpha/index.html");
    assert!(std::fs::metadata(page).expect("page").len() > 50 << 20);
}

#[test]
fn yaml_alias_bomb_in_stats() {
    bounded(
        |f| {
            let mut text =
                String::from("format: gov-2014\nbomb0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for i in 1..40 {
                let prev = i - 1;
                text.push_str(&format!(
                    "bomb{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
                ));
            }
            text.push_str("values:\n  proactive.total: 10\n");
            f.write(STATS, &text);
        },
        &["错误: content/2018/alpha/stats.yaml:", "YAML"],
    );
}

#[test]
fn yaml_alias_bomb_in_front_matter() {
    bounded(
        |f| {
            let mut yaml = String::from(
                "published: 2019-03-01\nb0: &a0 [\"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\", \"ha\"]\n",
            );
            for i in 1..40 {
                let p = i - 1;
                yaml.push_str(&format!(
                    "b{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
                ));
            }
            f.write(REPORT, &format!("---\n{yaml}---\n正文\n"));
        },
        &["错误: content/2018/alpha/report.md:", "YAML"],
    );
}

#[test]
fn ten_thousand_deep_flow_nesting_in_stats() {
    bounded(
        |f| {
            let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
            f.write(
                STATS,
                &format!("format: gov-2014\nvalues:\n  proactive.total: {deep}\n"),
            );
        },
        &["错误: content/2018/alpha/stats.yaml:3", "YAML"],
    );
}

#[test]
fn ten_thousand_deep_block_nesting_in_front_matter() {
    bounded(
        |f| {
            let mut yaml = String::from("published: 2019-03-01\nform:\n");
            for depth in 1..10_000 {
                yaml.push_str(&" ".repeat(depth));
                yaml.push_str("k:\n");
            }
            f.write(REPORT, &format!("---\n{yaml}---\n正文\n"));
        },
        &["错误: content/2018/alpha/report.md:"],
    );
}

#[test]
fn megabyte_long_key_line_in_stats() {
    bounded(
        |f| {
            f.edit(
                STATS,
                "complaints.total: 0",
                &format!("{}: 0", "x".repeat(1 << 20)),
            )
        },
        &["错误: content/2018/alpha/stats.yaml:6: 这一行太长：YAML 的键不能超过 1024 个字符"],
    );
}
