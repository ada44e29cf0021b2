//! A running `nianbao serve --port 0` for the tests that talk to it over HTTP.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `nianbao serve --port 0`, stopped on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
    /// Lines serve prints on stderr after its address.
    pub log: mpsc::Receiver<String>,
    /// Everything stderr said up to the address line.
    pub banner: Vec<String>,
    /// Serve's own `TMPDIR`, where it keeps its preview: nothing is left in the system's.
    pub tmp: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stop().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Server {
    /// Start serve on the site at `root` with `extra` arguments; returns once it printed its
    /// address.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut args: Vec<&OsStr> = vec![OsStr::new("--root"), root.as_os_str()];
        args.extend(extra.iter().map(OsStr::new));
        Server::start_from(None, &args)
    }

    /// Start `nianbao serve --port 0 <args>` in the working directory `cwd` (the test's own when
    /// `None`), as a clerk does with `cd 华容县年报 && nianbao serve`.
    pub fn start_from(cwd: Option<&Path>, args: &[&OsStr]) -> Server {
        Server::start_with(cwd, args, &[])
    }

    /// [`Server::start`] with these environment variables set (the tests' hooks, such as
    /// `NIANBAO_SLOW_BACKGROUND`).
    pub fn start_env(root: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_with(None, &[OsStr::new("--root"), root.as_os_str()], env)
    }

    fn start_with(cwd: Option<&Path>, args: &[&OsStr], env: &[(&str, &str)]) -> Server {
        let tmp = tempfile::tempdir().expect("a temporary directory for serve");
        let mut command = Command::new(env!("CARGO_BIN_EXE_nianbao"));
        if let Some(cwd) = cwd {
            command.current_dir(cwd);
        }
        let child = command
            .args(["serve", "--port", "0"])
            .args(args)
            .env("NO_COLOR", "1")
            .env("TMPDIR", tmp.path())
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("serve starts");
        let (tx, rx) = mpsc::channel();
        // Owning the child first: it is killed and waited for even if a check below fails.
        let mut server = Server {
            child,
            port: 0,
            log: rx,
            banner: Vec::new(),
            tmp,
        };
        let stderr = server.child.stderr.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            let line = server
                .log
                .recv_timeout(wait)
                .expect("serve prints its address");
            let port = line
                .split("http://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .and_then(|host| host.rsplit(':').next())
                .and_then(|p| p.parse().ok());
            server.banner.push(line);
            if let Some(port) = port {
                server.port = port;
                return server;
            }
        }
    }

    /// Stop serve as `kill` or a service manager does (SIGTERM); its exit status, or `None` when
    /// it is still running 10 s later.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Send raw bytes and read the whole answer (empty when the server just closed).
    pub fn raw(&self, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let _ = stream.write_all(request);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }

    /// (status, headers, body) of a GET of `target` (sent as is in the request line); status 0
    /// when the answer has none.
    pub fn get(&self, target: &str) -> (u16, String, String) {
        let answer = self.raw(
            format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        (status_of(head), head.to_string(), body.to_string())
    }

    /// The lines serve has printed since the last look, waiting up to 10 s until `enough`
    /// holds for them: serve writes a page before it prints the line that reports it, and the
    /// line reaches the test through a pipe and a thread, so a look right after the page changed
    /// can come before its line.
    pub fn log_until(&self, enough: impl Fn(&[String]) -> bool) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut lines: Vec<String> = self.log.try_iter().collect();
        while !enough(&lines) {
            let wait = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(wait) {
                Ok(line) => lines.push(line),
                Err(_) => break,
            }
        }
        lines
    }

    /// Poll `path` until `check` holds for its status and body; returns the body.
    pub fn wait_for(&self, path: &str, what: &str, check: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (status, _, body) = self.get(path);
            if check(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; log: {:?}",
                self.log.try_iter().collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The status code of an HTTP answer, 0 when it has none.
pub fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}
