//! Running one plugin: its input on stdin, its output and errors read on threads (a plugin that
//! prints much, or never reads its input, cannot block nianbao), stopped at its timeout.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::Duration;

use wait_timeout::ChildExt;

use crate::config::Plugin;

/// Why a plugin gave no usable output (the message names the plugin).
pub(crate) type Failed = String;

/// Run `plugin` in `root` with `input` on its standard input; its standard output on success.
pub(crate) fn run(root: &Path, plugin: &Plugin, input: &[u8]) -> Result<Vec<u8>, Failed> {
    let name = &plugin.name;
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
    let mut child = command.spawn().map_err(|e| {
        format!(
            "插件「{name}」无法启动：找不到或不能运行命令「{}」（{e}）",
            plugin.command[0]
        )
    })?;
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.to_vec();
        // A plugin may exit without reading all of it: a broken pipe is not our error.
        std::thread::spawn(move || drop(stdin.write_all(&input)))
    });
    let stdout = reader(child.stdout.take());
    let stderr = reader(child.stderr.take());
    let timeout = Duration::from_secs(plugin.timeout_s);
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            stop(&mut child);
            return Err(format!(
                "插件「{name}」运行超过 {} 秒（timeout_s）仍未结束，已被停止",
                plugin.timeout_s
            ));
        }
        Err(e) => {
            stop(&mut child);
            return Err(format!("插件「{name}」运行出错：{e}"));
        }
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
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

fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Start the plugin in a process group of its own, so that stopping it stops what it started.
#[cfg(unix)]
fn own_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
fn own_group(_: &mut Command) {}

/// Stop a plugin that ran too long, with its children where the system allows it.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}
