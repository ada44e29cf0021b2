//! Faults while building: a killed process, a full disk, an unwritable output, files changing
//! under the build. Each leaves the previous output byte for byte as it was, says what happened
//! in Chinese, and the next build succeeds.
//!
//! `NIANBAO_FAULT` (src/output.rs) injects the faults at the N-th file write: `hang:N` stops
//! there so that the test kills the process with SIGKILL mid-build, `enospc:N` fails the write as
//! a full disk does.

use assert_cmd::Command;

use crate::common::{Fixture, run_in, snapshot_tree};
use crate::{REPORT, case};

/// Build with `NIANBAO_FAULT=<fault>`; returns (exit code, stderr).
fn build_with_fault(f: &Fixture, fault: &str) -> (i32, String) {
    let out = Command::cargo_bin("nianbao")
        .expect("binary")
        .args(["build", "--root"])
        .arg(f.root())
        .env("NO_COLOR", "1")
        .env("NIANBAO_FAULT", fault)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A built fixture with a changed narrative, so that the next build has something to write.
fn built_then_edited() -> (Fixture, Vec<(String, Vec<u8>)>) {
    let f = Fixture::new();
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "{stderr}");
    let before = snapshot_tree(&f.root().join("public"));
    f.edit(REPORT, "正文。", "修改后的正文。");
    (f, before)
}

fn assert_recovers(f: &Fixture) {
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "the next build succeeds: {stderr}");
    let page =
        std::fs::read_to_string(f.root().join("public/2018/alpha/index.html")).expect("page");
    assert!(
        page.contains("修改后的正文"),
        "the next build publishes the edit"
    );
}

/// Start a build that stops at its `at`-th file write, then kill it there with SIGKILL. Returns
/// false when the build finished first (it has fewer writes).
fn kill_build_at(f: &Fixture, at: usize) -> bool {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["build", "--root"])
        .arg(f.root())
        .env("NO_COLOR", "1")
        .env("NIANBAO_FAULT", format!("hang:{at}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("build starts");
    let stderr = child.stderr.take().expect("piped");
    let reached = std::io::BufRead::lines(std::io::BufReader::new(stderr))
        .map_while(Result::ok)
        .any(|line| line.starts_with("NIANBAO_FAULT: hanging"));
    let _ = child.kill();
    let status = child.wait().expect("wait");
    if reached {
        assert!(status.code().is_none(), "killed by a signal: {status}");
    }
    reached
}

#[test]
fn a_build_killed_at_any_point_leaves_the_previous_output() {
    let mut killed = 0;
    for at in [1, 2, 5, 10, 20, 40] {
        let (f, before) = built_then_edited();
        if !kill_build_at(&f, at) {
            continue;
        }
        killed += 1;
        let after = snapshot_tree(&f.root().join("public"));
        assert!(after == before, "output damaged by a kill at write {at}");
        assert_recovers(&f);
    }
    assert!(
        killed >= 4,
        "the kill points fall inside the build ({killed} did)"
    );
}

#[test]
fn two_killed_builds_in_a_row_still_recover() {
    let (f, before) = built_then_edited();
    for at in [3, 7] {
        assert!(kill_build_at(&f, at));
        assert!(snapshot_tree(&f.root().join("public")) == before);
    }
    assert_recovers(&f);
}

#[test]
fn a_full_disk_leaves_the_previous_output_and_says_so() {
    for at in [1, 4, 15] {
        let (f, before) = built_then_edited();
        let (code, stderr) = build_with_fault(&f, &format!("enospc:{at}"));
        assert_eq!(code, 1, "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("磁盘空间不足"), "{stderr}");
        assert!(stderr.contains("原有输出保持不变"), "{stderr}");
        assert!(
            snapshot_tree(&f.root().join("public")) == before,
            "disk full at write {at}"
        );
        assert_recovers(&f);
    }
}

#[test]
fn an_unwritable_output_location_is_a_clear_error() {
    // /proc refuses new directories even to root (chmod would not stop root).
    let f = Fixture::new();
    let (code, _, stderr) = run_in(f.root(), "build", &["--output", "/proc/nianbao-public"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("错误: 写入 /proc"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_output_that_is_a_file_is_refused_and_kept() {
    let f = Fixture::new();
    f.write("public", "不是目录");
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(f.root().join("public")).expect("kept"),
        "不是目录"
    );
}

#[test]
fn attachments_deleted_and_replaced_during_builds_never_damage_the_output() {
    let f = Fixture::new();
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "{stderr}");
    let attachment = f.root().join("content/2018/alpha/统计表.xls");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let stop = stop.clone();
        let attachment = attachment.clone();
        std::thread::spawn(move || {
            let mut i = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::remove_file(&attachment);
                std::thread::sleep(std::time::Duration::from_micros(300));
                let _ = std::fs::write(&attachment, format!("version {i}"));
                i += 1;
            }
        })
    };
    for _ in 0..8 {
        let before = snapshot_tree(&f.root().join("public"));
        let (code, _, stderr) = run_in(f.root(), "build", &[]);
        assert!(!stderr.contains("panicked"), "{stderr}");
        match code {
            0 => {}
            1 => {
                assert!(
                    stderr.contains("统计表.xls"),
                    "a failure names the file: {stderr}"
                );
                assert!(
                    snapshot_tree(&f.root().join("public")) == before,
                    "output damaged"
                );
            }
            other => panic!("exit code {other}: {stderr}"),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().expect("churn thread");
    std::fs::write(&attachment, "final").expect("write");
    let (code, _, stderr) = run_in(f.root(), "build", &[]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_report_replaced_by_a_half_written_file_fails_cleanly() {
    case(
        |f| f.write(REPORT, "---\ntitle: 写到一半"),
        1,
        &["错误: content/2018/alpha/report.md:1: 元数据没有结束标记"],
    );
}
