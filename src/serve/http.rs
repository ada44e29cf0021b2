//! The preview HTTP server: the output directory under the site's base path, the live-reload
//! script and websocket, nothing else. Paths that escape the output are refused.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Shared;

const LIVERELOAD_JS: &str = include_str!("livereload.js");
/// Where serve's own files live under the base path.
pub(super) const PREFIX: &str = "__nianbao/";
/// How long a request for a file a save left stale waits for its new bytes before it gets the
/// previous ones (whole: files are replaced, never written in place).
const FRESH_WAIT: Duration = Duration::from_secs(10);
/// How long a request for a file the first build has not written yet waits for it before it is
/// told to try again (20,000 reports take about half a minute).
const FIRST_WAIT: Duration = Duration::from_secs(60);

/// Serve until Ctrl+C.
pub(super) async fn run(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let base = shared.base.clone();
    let app = Router::new()
        .route(&format!("{base}{PREFIX}livereload.js"), get(livereload))
        .route(&format!("{base}{PREFIX}ws"), get(websocket))
        .route(&format!("{base}{PREFIX}status"), get(status))
        .route(&format!("{base}{PREFIX}refresh"), get(refresh))
        .fallback(files)
        .with_state(shared.clone());
    let waiting = shared;
    let stop = async move {
        stop_requested().await;
        // Requests waiting for a file are answered now: the pass writing it is stopping too.
        waiting
            .stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        waiting.completing.send_replace(false);
        waiting.refreshing.send_replace(false);
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
}

/// Ctrl+C, or SIGTERM (what `kill` and service managers send): either stops serve cleanly, so
/// that its temporary preview is removed.
async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn livereload() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVERELOAD_JS,
    )
        .into_response()
}

/// A federation portal's members read again (the page says so; the preview reloads when done).
async fn refresh(State(shared): State<Arc<Shared>>) -> Response {
    let Some(rebuilds) = &shared.federation else {
        return (StatusCode::NOT_FOUND, "只有联合门户需要重新读取各县门户").into_response();
    };
    let _ = rebuilds.send(true);
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "已开始重新读取各县门户；读取完成后，打开着的预览页面会自动刷新。",
    )
        .into_response()
}

async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let message = shared
        .status
        .read()
        .map(|s| s.message())
        .unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        message,
    )
        .into_response()
}

async fn websocket(State(shared): State<Arc<Shared>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade
        .max_message_size(4096)
        .on_upgrade(move |socket| talk(socket, shared))
}

async fn talk(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut messages = shared.messages.subscribe();
    let current = shared
        .status
        .read()
        .map(|s| s.message())
        .unwrap_or_default();
    if socket.send(Message::Text(current.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            message = messages.recv() => match message {
                Ok(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(_) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// Not under the base path.
    NotFound,
    /// Malformed or escaping (`..`, encoded or not, backslashes, NUL).
    BadRequest,
}

/// Map a request path to a file path relative to the output, refusing anything that could
/// escape it. An empty result or one ending in `/` means a directory's `index.html`.
pub(super) fn resolve(base: &str, path: &str) -> Result<String, Refusal> {
    let rest = path.strip_prefix(base).ok_or(Refusal::NotFound)?;
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .map_err(|_| Refusal::BadRequest)?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with('/') {
        return Err(Refusal::BadRequest);
    }
    let plain = Path::new(decoded.as_ref())
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !plain && !decoded.is_empty() {
        return Err(Refusal::BadRequest);
    }
    Ok(decoded.into_owned())
}

async fn files(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "只支持 GET").into_response();
    }
    let path = uri.path();
    if path.len() + 1 == shared.base.len() && shared.base.starts_with(path)
        || (path == "/" && shared.base != "/")
    {
        return redirect(&shared.base);
    }
    let rel = match resolve(&shared.base, path) {
        Ok(rel) => rel,
        Err(Refusal::BadRequest) => {
            return (StatusCode::BAD_REQUEST, "请求路径无效").into_response();
        }
        Err(Refusal::NotFound) => return not_found(&shared).await,
    };
    let mut completing = shared.completing.subscribe();
    if *completing.borrow() && listed(&shared.pending, &rel) {
        // Written straight into place: none of it is served before the pass ends.
        let written = tokio::time::timeout(FIRST_WAIT, completing.wait_for(|busy| !busy))
            .await
            .is_ok();
        if !written || shared.stopping.load(std::sync::atomic::Ordering::SeqCst) {
            return still_writing(&shared);
        }
    }
    let mut refreshing = shared.refreshing.subscribe();
    if *refreshing.borrow() && listed(&shared.stale, &rel) {
        let _ = tokio::time::timeout(FRESH_WAIT, refreshing.wait_for(|busy| !busy)).await;
    }
    if let Some(found) = file_response(&shared, path, &rel).await {
        return found;
    }
    // The first build wrote the pages first; a download, search file or embed asked for in the
    // meantime is answered once it is written.
    if *completing.borrow() {
        let written = tokio::time::timeout(FIRST_WAIT, completing.wait_for(|busy| !busy))
            .await
            .is_ok();
        if !written || shared.stopping.load(std::sync::atomic::Ordering::SeqCst) {
            return still_writing(&shared);
        }
        if let Some(found) = file_response(&shared, path, &rel).await {
            return found;
        }
    }
    not_found(&shared).await
}

/// Whether `rel` (a directory's `index.html` for a path ending in `/`) is among `files`.
fn listed(files: &std::sync::RwLock<std::collections::HashSet<String>>, rel: &str) -> bool {
    let Ok(files) = files.read() else {
        return false;
    };
    if rel.is_empty() || rel.ends_with('/') {
        files.contains(&format!("{rel}index.html"))
    } else {
        files.contains(rel)
    }
}

/// The answer for a file still being written after [`FIRST_WAIT`]: try again shortly.
fn still_writing(shared: &Shared) -> Response {
    let mut r = respond(
        StatusCode::SERVICE_UNAVAILABLE,
        &PathBuf::from("index.html"),
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>正在生成</title></head><body><p>此文件仍在后台生成，请稍后刷新。</p></body></html>\n".as_bytes().to_vec(),
        &shared.base,
        &shared.live,
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r
}

/// The file at `rel` (or the redirect to its directory), if there is one.
async fn file_response(shared: &Shared, path: &str, rel: &str) -> Option<Response> {
    let mut file = shared.out.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        file = file.join("index.html");
    } else if file.is_dir() {
        return Some(redirect(&format!("{path}/")));
    }
    if !inside(&shared.out, &file) {
        return None;
    }
    let bytes = tokio::fs::read(&file).await.ok()?;
    Some(respond(
        StatusCode::OK,
        &file,
        bytes,
        &shared.base,
        &shared.live,
    ))
}

/// The canonical file stays inside the canonical output (no symlink escapes).
fn inside(out: &Path, file: &Path) -> bool {
    match (out.canonicalize(), file.canonicalize()) {
        (Ok(out), Ok(file)) => file.starts_with(out),
        (Ok(_), Err(_)) => true,
        _ => false,
    }
}

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn not_found(shared: &Shared) -> Response {
    let page = shared.out.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => respond(
            StatusCode::NOT_FOUND,
            &PathBuf::from("404.html"),
            bytes,
            &shared.base,
            &shared.live,
        ),
        // No site was ever built: say why instead of a bare 404, and reload once it is fixed.
        Err(_) => {
            let errors = match shared.status.read().map(|s| s.clone()) {
                Ok(super::Status::Error(text)) => text,
                _ => String::new(),
            };
            respond(
                StatusCode::SERVICE_UNAVAILABLE,
                &PathBuf::from("index.html"),
                first_build_failed(&errors).into_bytes(),
                &shared.base,
                &shared.live,
            )
        }
    }
}

/// The page served while no build has succeeded yet: the errors, and that the page reloads by
/// itself once they are fixed.
fn first_build_failed(errors: &str) -> String {
    let escaped = errors
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let list = if escaped.is_empty() {
        "<p>网站正在生成，请稍候刷新。</p>".to_string()
    } else {
        format!("<pre>{escaped}</pre>")
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>网站尚未生成成功</title></head>\n<body id=\"nianbao-first-build-error\" style=\"font:16px/1.7 sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem\">\n<h1>网站尚未生成成功</h1>\n<p>内容中有下列错误，预览还没有可以显示的页面。按提示修改文件并保存，本页会自动刷新。</p>\n{list}\n</body>\n</html>\n"
    )
}

fn content_type(file: &Path) -> String {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "svg"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

fn respond(status: StatusCode, file: &Path, bytes: Vec<u8>, base: &str, live: &str) -> Response {
    let kind = content_type(file);
    let body = if kind.starts_with("text/html") {
        inject(to_preview(bytes, base, live), base)
    } else {
        bytes
    };
    let mut r = (status, Body::from(body)).into_response();
    let headers = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&kind) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// Links and forms to the live site at `live` (a report page's links that leave its year) sent
/// to the preview's own pages under `base` instead.
fn to_preview(html: Vec<u8>, base: &str, live: &str) -> Vec<u8> {
    if live.is_empty() || !html.windows(live.len()).any(|w| w == live.as_bytes()) {
        return html;
    }
    match String::from_utf8(html) {
        Ok(text) => text
            .replace(&format!("href=\"{live}"), &format!("href=\"{base}"))
            .replace(&format!("action=\"{live}"), &format!("action=\"{base}"))
            .into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// Add the live-reload script before `</body>` (or at the end).
fn inject(mut html: Vec<u8>, base: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{base}{PREFIX}livereload.js\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_in(out: &Path, completing: bool) -> Arc<Shared> {
        Arc::new(Shared {
            out: out.to_path_buf(),
            base: "/nianbao/".to_string(),
            live: "https://example.gov.cn/nianbao/".to_string(),
            status: std::sync::RwLock::new(super::super::Status::Ok(String::new(), 0)),
            messages: tokio::sync::broadcast::channel(4).0,
            completing: tokio::sync::watch::Sender::new(completing),
            pending: std::sync::RwLock::default(),
            stale: std::sync::RwLock::default(),
            refreshing: tokio::sync::watch::Sender::new(false),
            stopping: std::sync::atomic::AtomicBool::new(false),
            federation: None,
        })
    }

    async fn get_status(shared: &Arc<Shared>, path: &str) -> StatusCode {
        let uri: Uri = path.parse().expect("a test path");
        files(State(shared.clone()), Method::GET, uri)
            .await
            .status()
    }

    #[tokio::test]
    async fn a_file_still_being_written_after_the_first_build_is_awaited() {
        let tmp = tempfile::tempdir().expect("tmp");
        let shared = shared_in(tmp.path(), true);
        let writer = shared.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            std::fs::create_dir_all(writer.out.join("search")).expect("dir");
            std::fs::write(writer.out.join("search/docs.js"), "x").expect("write");
            writer.completing.send_replace(false);
        });
        assert_eq!(
            get_status(&shared, "/nianbao/search/docs.js").await,
            StatusCode::OK
        );
        // Once everything is written, a missing file is a plain 404 without waiting.
        std::fs::write(tmp.path().join("404.html"), "<p>404</p>").expect("404 page");
        assert_eq!(
            get_status(&shared, "/nianbao/search/none.js").await,
            StatusCode::NOT_FOUND
        );
    }

    #[tokio::test]
    async fn a_pending_file_already_on_disk_is_served_only_once_written_whole() {
        let tmp = tempfile::tempdir().expect("tmp");
        let shared = shared_in(tmp.path(), true);
        std::fs::create_dir_all(tmp.path().join("data")).expect("dir");
        std::fs::write(tmp.path().join("data/all.csv"), "half").expect("write");
        if let Ok(mut pending) = shared.pending.write() {
            pending.insert("data/all.csv".to_string());
        }
        let writer = shared.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            std::fs::write(writer.out.join("data/all.csv"), "whole").expect("write");
            writer.completing.send_replace(false);
        });
        let uri: Uri = "/nianbao/data/all.csv".parse().expect("a test path");
        let response = files(State(shared.clone()), Method::GET, uri).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        assert_eq!(&body[..], b"whole");
    }

    #[tokio::test]
    async fn a_stale_file_is_answered_with_its_new_bytes_once_rewritten() {
        let tmp = tempfile::tempdir().expect("tmp");
        let shared = shared_in(tmp.path(), false);
        std::fs::create_dir_all(tmp.path().join("2018")).expect("dir");
        std::fs::write(tmp.path().join("2018/index.html"), "old").expect("write");
        std::fs::write(tmp.path().join("other.txt"), "other").expect("write");
        shared.mark_stale(["2018/index.html".to_string()].into_iter().collect());
        let writer = shared.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
            std::fs::write(writer.out.join("2018/index.html"), "new").expect("write");
            writer.mark_stale(Default::default());
        });
        // A file not stale is answered at once, as it is (before the stale one is rewritten).
        let (status, body) = get_body(&shared, "/nianbao/other.txt").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "other"));
        let on_disk = std::fs::read_to_string(tmp.path().join("2018/index.html")).expect("read");
        assert_eq!(on_disk, "old");
        // The stale one (asked for as its folder) waits for its new bytes.
        let (status, body) = get_body(&shared, "/nianbao/2018/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.starts_with("new<script"), "{body}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_stale_file_never_rewritten_is_answered_as_it_is_after_the_bound() {
        let tmp = tempfile::tempdir().expect("tmp");
        let shared = shared_in(tmp.path(), false);
        std::fs::write(tmp.path().join("all.csv"), "old").expect("write");
        shared.mark_stale(["all.csv".to_string()].into_iter().collect());
        let (status, body) = get_body(&shared, "/nianbao/all.csv").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "old"));
    }

    async fn get_body(shared: &Arc<Shared>, path: &str) -> (StatusCode, String) {
        let uri: Uri = path.parse().expect("a test path");
        let response = files(State(shared.clone()), Method::GET, uri).await;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for bad in [
            "/nianbao/../etc/passwd",
            "/nianbao/%2e%2e/secret",
            "/nianbao/a/%2E%2E/%2E%2E/x",
            "/nianbao/..%2fx",
            "/nianbao/%2fetc/passwd",
            "/nianbao/a\\..\\b",
            "/nianbao/%00",
            "/nianbao/./a",
        ] {
            assert_eq!(resolve("/nianbao/", bad), Err(Refusal::BadRequest), "{bad}");
        }
        assert_eq!(resolve("/nianbao/", "/other/x"), Err(Refusal::NotFound));
    }

    #[test]
    fn chinese_names_and_directories_resolve() {
        assert_eq!(
            resolve(
                "/nianbao/",
                "/nianbao/2018/a/%E7%BB%9F%E8%AE%A1%E8%A1%A8.xls"
            )
            .unwrap(),
            "2018/a/统计表.xls"
        );
        assert_eq!(resolve("/nianbao/", "/nianbao/").unwrap(), "");
        assert_eq!(resolve("/", "/2018/").unwrap(), "2018/");
    }

    #[test]
    fn mime_types_carry_charset() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("s.csv")), "text/csv; charset=utf-8");
        assert_eq!(
            content_type(Path::new("s.json")),
            "application/json; charset=utf-8"
        );
        assert!(content_type(Path::new("s.xlsx")).starts_with("application/vnd.openxmlformats"));
    }

    #[test]
    fn links_to_the_live_site_stay_in_the_preview() {
        let page = "<a href=\"https://e.cn/nb/2019/a/index.html\">2019</a>\
                    <form action=\"https://e.cn/nb/search/index.html\"></form>\
                    <a href=\"https://gov.cn/x\">x</a><p>https://e.cn/nb/</p>";
        let out = String::from_utf8(to_preview(page.into(), "/nb/", "https://e.cn/nb/")).unwrap();
        assert_eq!(
            out,
            "<a href=\"/nb/2019/a/index.html\">2019</a>\
             <form action=\"/nb/search/index.html\"></form>\
             <a href=\"https://gov.cn/x\">x</a><p>https://e.cn/nb/</p>"
        );
    }

    #[test]
    fn script_goes_before_body_end() {
        let html = inject(b"<html><body>x</body></html>".to_vec(), "/n/");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body>x<script src=\"/n/__nianbao/livereload.js\"></script></body></html>"
        );
    }
}
