//! Running one plugin: its input on stdin, its output and errors read on threads (a plugin that
//! prints much, or never reads its input, cannot block nianbao), stopped at its timeout.
//!
//! The plugin runs in a process group of its own. Whatever it started is stopped with it: at the
//! timeout, when its answer grows past `max_output_mib`, and after it exits (a child left behind
//! would otherwise hold the output pipe open and keep the build waiting). Its answer is read
//! with a bound, so memory stays bounded whatever it prints.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use crate::config::Plugin;

/// Why a plugin gave no usable output (the message names the plugin).
pub(crate) type Failed = String;

/// How much of the error output is kept for the message (its end is shown).
const STDERR_KEPT: u64 = 1 << 20;

/// How often the wait for the plugin looks whether its answer grew too long.
const POLL: Duration = Duration::from_millis(50);

/// Run `plugin` in `root` with `input` on its standard input; its standard output on success.
pub(crate) fn run(root: &Path, plugin: &Plugin, input: &[u8]) -> Result<Vec<u8>, Failed> {
    let name = &plugin.name;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(plugin.timeout_s);
    let mut child = spawn(root, plugin)?;
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.to_vec();
        // A plugin may exit without reading all of it: a broken pipe is not our error.
        std::thread::spawn(move || drop(stdin.write_all(&input)))
    });
    let limit = plugin.max_output_mib.saturating_mul(1024 * 1024);
    let too_long = Arc::new(AtomicBool::new(false));
    let stdout = reader(child.stdout.take(), limit, Some(too_long.clone()));
    let stderr = reader(child.stderr.take(), STDERR_KEPT, None);
    let waited = wait(&mut child, deadline, &too_long);
    // Whatever the plugin started goes with it, also after a normal exit.
    stop_group(&mut child);
    let status = match waited {
        Waited::Exited(status) => status,
        Waited::TimedOut => return Err(timed_out(plugin)),
        Waited::TooLong => return Err(too_long_answer(plugin)),
        Waited::Failed(e) => return Err(format!("插件「{name}」运行出错：{e}")),
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    // A child that left the group (setsid) can still hold the pipes: wait no longer than the
    // timeout for them either.
    let out = collect(&stdout, deadline).ok_or_else(|| timed_out(plugin))?;
    if too_long.load(Ordering::Relaxed) {
        return Err(too_long_answer(plugin));
    }
    let err = collect(&stderr, deadline).unwrap_or_default();
    if !status.success() {
        let code = status
            .code()
            .map_or_else(|| "被信号终止".to_string(), |c| format!("退出码 {c}"));
        let err = String::from_utf8_lossy(&err);
        let err = err.trim();
        let shown = if err.is_empty() {
            "（没有错误输出）".to_string()
        } else {
            format!("错误输出：\n{}", tail(err, 4000))
        };
        return Err(format!("插件「{name}」运行失败（{code}）。{shown}"));
    }
    Ok(out)
}

fn spawn(root: &Path, plugin: &Plugin) -> Result<Child, Failed> {
    // A program named by a relative path (a script in the site's own folders) is found from the
    // site root, as its arguments are; a bare name (`python3`) is looked up on PATH.
    let program = Path::new(&plugin.command[0]);
    let program = match program.components().count() > 1 && program.is_relative() {
        true => root.join(program),
        false => program.to_path_buf(),
    };
    let mut command = Command::new(&program);
    command
        .args(&plugin.command[1..])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    own_group(&mut command);
    command.spawn().map_err(|e| {
        format!(
            "插件「{}」无法启动：找不到或不能运行命令「{}」（{e}）",
            plugin.name, plugin.command[0]
        )
    })
}

fn timed_out(plugin: &Plugin) -> Failed {
    format!(
        "插件「{}」运行超过 {} 秒（timeout_s）仍未结束，已停止它及它启动的子进程",
        plugin.name, plugin.timeout_s
    )
}

fn too_long_answer(plugin: &Plugin) -> Failed {
    format!(
        "插件「{}」的输出超过 {} MiB（max_output_mib），已停止读取并停止该插件；\
         如确需更大的输出，请在 site.toml 中为它调大 max_output_mib",
        plugin.name, plugin.max_output_mib
    )
}

/// How the wait for the plugin ended.
enum Waited {
    Exited(ExitStatus),
    TimedOut,
    TooLong,
    Failed(std::io::Error),
}

/// Wait for the plugin until `deadline`, looking every [`POLL`] whether its answer grew past
/// the limit (then it need not run on).
fn wait(child: &mut Child, deadline: Instant, too_long: &AtomicBool) -> Waited {
    loop {
        if too_long.load(Ordering::Relaxed) {
            return Waited::TooLong;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Waited::TimedOut;
        }
        match child.wait_timeout(left.min(POLL)) {
            Ok(Some(status)) => return Waited::Exited(status),
            Ok(None) => {}
            Err(e) => return Waited::Failed(e),
        }
    }
}

/// A reader's bytes, or `None` when the pipe is still open at `deadline`.
fn collect(bytes: &Receiver<Vec<u8>>, deadline: Instant) -> Option<Vec<u8>> {
    let left = deadline.saturating_duration_since(Instant::now());
    match bytes.recv_timeout(left.max(Duration::from_millis(100))) {
        Ok(bytes) => Some(bytes),
        Err(RecvTimeoutError::Timeout) => None,
        Err(RecvTimeoutError::Disconnected) => Some(Vec::new()),
    }
}

/// The end of a long text, where the cause of a failure usually is.
fn tail(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// Read `pipe` on a thread, keeping at most `limit` bytes. Past the limit, standard output sets
/// `too_long` and stops reading (the plugin is then stopped); error output keeps its end. The
/// bytes are kept in pieces and joined once at the end, so a growing answer is never copied
/// into a buffer twice its size.
fn reader<R: Read + Send + 'static>(
    pipe: Option<R>,
    limit: u64,
    too_long: Option<Arc<AtomicBool>>,
) -> Receiver<Vec<u8>> {
    const PIECE: usize = 1 << 20;
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut pieces: std::collections::VecDeque<Vec<u8>> = Default::default();
        let mut kept = 0u64;
        if let Some(mut pipe) = pipe {
            loop {
                let mut piece = Vec::with_capacity(PIECE);
                match (&mut pipe).take(PIECE as u64).read_to_end(&mut piece) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => kept += n as u64,
                }
                pieces.push_back(piece);
                if kept <= limit {
                    continue;
                }
                match &too_long {
                    Some(flag) => {
                        flag.store(true, Ordering::Relaxed);
                        pieces.clear();
                        break;
                    }
                    // Error output: drop its oldest pieces and read on to the end.
                    None => {
                        while kept > limit && pieces.len() > 1 {
                            kept -= pieces.pop_front().map_or(0, |p| p.len() as u64);
                        }
                    }
                }
            }
        }
        let mut bytes = Vec::with_capacity(kept as usize);
        for piece in pieces {
            bytes.extend_from_slice(&piece);
        }
        let _ = send.send(bytes);
    });
    receive
}

/// Start the plugin in a process group of its own, so that stopping it stops what it started.
#[cfg(unix)]
fn own_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
fn own_group(_: &mut Command) {}

/// Stop the plugin's whole process group (itself, if still running, and whatever it started)
/// and reap it.
fn stop_group(child: &mut Child) {
    #[cfg(unix)]
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}
