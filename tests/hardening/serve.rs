//! The preview server facing hostile requests and a clerk's broken edits.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::STATS;
use crate::common::Fixture;
use crate::common::server::{Server, status_of};

/// The server still answers a normal request.
fn assert_alive(server: &Server) {
    let (status, _, _) = server.get(PAGE);
    assert_eq!(status, 200, "the server still serves pages");
}

const PAGE: &str = "/nianbao/2018/alpha/index.html";
const STATUS: &str = "/nianbao/__nianbao/status";

/// Whether something listens on `port` at 127.0.0.1 only (Linux /proc/net/tcp: local address
/// 0100007F is 127.0.0.1 in little-endian hex).
fn listening_addresses(port: u16) -> Vec<String> {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default()
        + &std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    let port = format!(":{port:04X}");
    table
        .lines()
        .filter_map(|l| {
            let mut fields = l.split_whitespace();
            let local = fields.nth(1)?;
            let state = fields.nth(1)?;
            (state == "0A" && local.ends_with(&port)).then(|| local.to_string())
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn binds_loopback_by_default_and_warns_otherwise() {
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    assert_eq!(
        listening_addresses(server.port),
        ["0100007F".to_string() + &format!(":{:04X}", server.port)]
    );
    assert!(
        !server.banner.iter().any(|l| l.starts_with("警告:")),
        "{:?}",
        server.banner
    );
    drop(server);
    let open = Server::start(f.root(), &["--bind", "0.0.0.0"]);
    assert!(
        open.banner.iter().any(|l| l.contains("警告: 预览服务绑定在 0.0.0.0，同一网络中的其他人也能访问你的预览")),
        "{:?}",
        open.banner
    );
    assert_eq!(
        listening_addresses(open.port),
        [format!("00000000:{:04X}", open.port)]
    );
}

#[test]
fn traversal_is_refused_in_every_encoding() {
    let f = Fixture::new();
    f.write("secret.txt", "SECRET-SERVE");
    let server = Server::start(f.root(), &[]);
    let root = f.root().display().to_string();
    for target in [
        "/nianbao/../secret.txt",
        "/nianbao/../../../../../../etc/passwd",
        "/nianbao/%2e%2e/secret.txt",
        "/nianbao/%2E%2E%2Fsecret.txt",
        "/nianbao/.%2e/.%2e/etc/passwd",
        "/nianbao/%252e%252e/%252e%252e/etc/passwd",
        "/nianbao/..%5csecret.txt",
        "/nianbao/..\\..\\secret.txt",
        "/nianbao/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/nianbao/%e0%80%ae%e0%80%ae/etc/passwd",
        "/nianbao/%c0%af..%c0%afetc/passwd",
        "/nianbao//etc/passwd",
        "/nianbao/%2fetc%2fpasswd",
        "//etc/passwd",
        "/nianbao/2018/alpha/..%2f..%2f..%2f..%2fsecret.txt",
        "/nianbao/%00/../secret.txt",
        "http://127.0.0.1/nianbao/../../etc/passwd",
        "http://evil.example/../../etc/passwd",
        &format!("/nianbao/{root}/secret.txt"),
        &format!("file://{root}/secret.txt"),
    ] {
        let (status, head, body) = server.get(target);
        let answer = format!("{head}\r\n\r\n{body}");
        assert!(
            matches!(status, 400 | 404 | 302),
            "{target}: {status}\n{answer}"
        );
        assert!(
            !answer.contains("SECRET-SERVE") && !answer.contains("root:x:0:0"),
            "{target} leaked"
        );
    }
    assert_alive(&server);
}

#[test]
fn no_directory_listings() {
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    for dir in [
        "/nianbao/static/",
        "/nianbao/2018/alpha/../",
        "/nianbao/townships/",
    ] {
        let (status, head, body) = server.get(dir);
        let answer = format!("{head}\r\n\r\n{body}");
        assert!(
            !answer.contains("sort.js") && !answer.contains("Index of"),
            "{dir} listed: {answer}"
        );
        assert!(matches!(status, 400 | 404), "{dir}: {status}");
    }
}

#[test]
fn malformed_and_oversized_requests_are_answered_or_dropped_never_fatal() {
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    let huge_header = format!(
        "GET {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let many_headers: String = (0..5000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let many = format!("GET {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\n{many_headers}\r\n");
    let long_uri = format!(
        "GET /nianbao/{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(1 << 20)
    );
    let cases: Vec<(&str, Vec<u8>, &[u16])> = vec![
        ("1 MB header", huge_header.into_bytes(), &[431, 400, 0]),
        ("5000 headers", many.into_bytes(), &[431, 400, 0]),
        ("1 MB URI", long_uri.into_bytes(), &[414, 431, 400, 404, 0]),
        ("garbage", b"\x00\xff\xfe\x16\x03\x01 random bytes\r\n\r\n".to_vec(), &[400, 0]),
        ("TLS hello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(), &[400, 0]),
        ("no version", b"GET /nianbao/\r\n\r\n".to_vec(), &[400, 505, 0]),
        ("bad version", b"GET /nianbao/ HTTP/9.9\r\n\r\n".to_vec(), &[400, 505, 0]),
        ("bad method", b"G\x01T /nianbao/ HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), &[400, 405, 0]),
        (
            "POST with a 10 MB body",
            [
                format!("POST {PAGE} HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n").into_bytes(),
                vec![b'x'; 1 << 16],
            ]
            .concat(),
            &[405, 0],
        ),
        ("negative length", b"GET /nianbao/ HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".to_vec(), &[400, 0]),
        ("two lengths", b"GET /nianbao/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".to_vec(), &[400, 0]),
        ("bad chunking", b"POST /nianbao/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(), &[400, 405, 0]),
        ("websocket without key", b"GET /nianbao/__nianbao/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".to_vec(), &[400, 426, 0]),
        ("half a request line", b"GET /nianbao/2018".to_vec(), &[0, 400, 408]),
    ];
    for (what, request, allowed) in cases {
        let answer = server.raw(&request);
        let status = status_of(&answer);
        assert!(
            allowed.contains(&status),
            "{what}: {status}\n{}",
            &answer[..answer.len().min(300)]
        );
        assert_alive(&server);
    }
}

/// Raise this process's open-file limit (inherited by the server) so that 1,000 sockets on
/// each side fit even where the default soft limit is 1,024.
#[cfg(target_os = "linux")]
fn raise_open_files() {
    #[repr(C)]
    struct Rlimit {
        cur: u64,
        max: u64,
    }
    unsafe extern "C" {
        fn getrlimit(resource: i32, rlim: *mut Rlimit) -> i32;
        fn setrlimit(resource: i32, rlim: *const Rlimit) -> i32;
    }
    const RLIMIT_NOFILE: i32 = 7;
    let mut limit = Rlimit { cur: 0, max: 0 };
    // SAFETY: plain libc calls on a struct of the kernel's layout.
    unsafe {
        if getrlimit(RLIMIT_NOFILE, &mut limit) == 0 && limit.cur < 4096 {
            limit.cur = limit.max.min(4096);
            setrlimit(RLIMIT_NOFILE, &limit);
        }
    }
}

#[test]
fn a_thousand_concurrent_requests_are_all_answered() {
    #[cfg(target_os = "linux")]
    raise_open_files();
    let f = Fixture::new();
    let server = Server::start(f.root(), &[]);
    let port = server.port;
    let paths = [
        PAGE,
        "/nianbao/",
        "/nianbao/2018/alpha/stats.csv",
        "/nianbao/no-such-page",
        "/nianbao/../etc/passwd",
    ];
    // All 1,000 connections are open and have sent their request before any answer is read.
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(10));
    let workers: Vec<_> = (0..10)
        .map(|w| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut streams = Vec::new();
                for i in 0..100 {
                    let path = paths[(w * 100 + i) % paths.len()];
                    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                    s.set_read_timeout(Some(Duration::from_secs(60)))
                        .expect("timeout");
                    write!(
                        s,
                        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    )
                    .expect("send");
                    streams.push((path, s));
                }
                barrier.wait();
                streams
                    .into_iter()
                    .map(|(path, mut s)| {
                        let mut answer = String::new();
                        let _ = s.read_to_string(&mut answer);
                        (path, status_of(&answer))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut answered = 0;
    for worker in workers {
        for (path, status) in worker.join().expect("worker") {
            let expected = match path {
                "/nianbao/no-such-page" => 404,
                "/nianbao/../etc/passwd" => 400,
                _ => 200,
            };
            assert_eq!(status, expected, "{path}");
            answered += 1;
        }
    }
    assert_eq!(answered, 1000);
    assert_alive(&server);
}

#[test]
fn a_hundred_broken_edits_in_a_row_then_a_fix() {
    let f = Fixture::new();
    let mut server = Server::start(f.root(), &[]);
    assert_alive(&server);
    let good = std::fs::read_to_string(f.root().join(STATS)).expect("stats");
    let broken = |i: usize| match i % 5 {
        0 => good.replace("proactive.total: 10", &format!("proactive.total: {i}x")),
        1 => good.replace("values:", "values: ["),
        2 => good.replace("format: gov-2014", &format!("format: gov-{i}")),
        3 => good[..good.len() / 2].to_string(),
        _ => format!("\u{FEFF}<<<<<<< HEAD\n{good}=======\n>>>>>>> x{i}\n"),
    };
    for i in 0..100 {
        f.write(STATS, &broken(i));
        std::thread::sleep(Duration::from_millis(20));
        if i % 10 == 9 {
            assert_alive(&server);
            let (status, _, body) = server.get(STATUS);
            assert_eq!(status, 200);
            assert!(!body.contains("panicked"), "{body}");
        }
    }
    let status = server.wait_for(STATUS, "the error overlay text", |_, b| {
        b.contains("\"error\"")
    });
    assert!(
        status.contains("content/2018/alpha/stats.yaml:"),
        "file and line shown: {status}"
    );
    let (_, _, page) = server.get(PAGE);
    assert!(
        page.contains("data-id=\"proactive.total\">10<"),
        "the last good page is served"
    );
    f.write(
        STATS,
        &good.replace("proactive.total: 10", "proactive.total: 77"),
    );
    server.wait_for(STATUS, "the error to clear", |_, b| b.contains("\"ok\""));
    server.wait_for(PAGE, "the fixed page", |_, b| {
        b.contains("data-id=\"proactive.total\">77<")
    });
    assert!(
        server.child.try_wait().ok().flatten().is_none(),
        "the server is still running"
    );
}
