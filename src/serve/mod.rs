//! `nianbao serve`: build, serve on loopback, watch, rebuild what changed, reload the browser.
//!
//! axum + tokio (what Zola and mdBook use) serve the output directory with a websocket for reload
//! messages; notify with notify-debouncer-full watches the sources. The last good build keeps
//! being served while an error is shown in the browser as an overlay.
//!
//! A save is never queued behind background work: the files that depend on many reports (county
//! downloads, search, year archives, overview pages) are written by a background pass once the
//! sources are quiet, and a save pre-empts that pass (see [`incremental`]). Requests for a file
//! that pass has still to write wait for it, within a bound. Stopping answers at once: the
//! preview folder is renamed aside and deleted by a detached process.

mod federation;
mod http;
mod incremental;
mod watch;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use thiserror::Error;
use tokio::sync::broadcast;

use crate::build::Options;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, render_human};
pub use incremental::{Rebuilt, Scope, Workspace, given_up_only};

/// Settings of `serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind.
    pub bind: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Open a browser.
    pub open: bool,
    /// Poll the file system instead of native events (network drives, WSL, containers).
    pub poll: bool,
    /// Print only errors.
    pub quiet: bool,
}

/// Why `serve` could not run.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("无法在 {addr} 上启动预览服务：{source}（端口可能已被占用，可用 --port 换一个端口）")]
    Bind {
        /// The address.
        addr: String,
        /// The error.
        source: std::io::Error,
    },
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

/// The state of the last rebuild, shown to browsers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The site is up to date; the warnings of its content, as text, and how many.
    Ok(String, usize),
    /// The last rebuild failed; the text lists the problems.
    Error(String),
}

impl Status {
    /// The websocket message for this status.
    pub fn message(&self) -> String {
        match self {
            Status::Ok(text, count) => {
                serde_json::json!({ "type": "ok", "warnings": count, "text": text }).to_string()
            }
            Status::Error(text) => serde_json::json!({ "type": "error", "text": text }).to_string(),
        }
    }
}

/// What the HTTP server and the rebuild loop share.
pub struct Shared {
    /// The output directory being served.
    pub out: PathBuf,
    /// The base path, e.g. `/nianbao/`.
    pub base: String,
    /// The site's `base_url`: a report page links what lies outside its year (which its year
    /// archive does not hold) by absolute URLs under it, and the preview answers them with its
    /// own pages. Empty when there is none.
    pub live: String,
    /// The last rebuild's status.
    pub status: RwLock<Status>,
    /// Reload and status messages to browsers.
    pub messages: broadcast::Sender<String>,
    /// True while the files serve's first build left for later are being written.
    pub completing: tokio::sync::watch::Sender<bool>,
    /// Those files, by path: while `completing`, a request for one waits (they are written
    /// straight into place, so one may be half written).
    pub pending: RwLock<HashSet<String>>,
    /// Files a save left stale for the background pass, by path: a request for one waits for
    /// their new bytes while `refreshing` (within a bound), then gets the file as it is (each is
    /// replaced whole, never written in place).
    pub stale: RwLock<HashSet<String>>,
    /// True while `stale` names any file.
    pub refreshing: tokio::sync::watch::Sender<bool>,
    /// Set once serve is asked to stop: requests still waiting for a file are answered at once
    /// (they would hold the stop up).
    pub stopping: std::sync::atomic::AtomicBool,
    /// A federation portal's rebuilds: `true` reads the member portals again, `false` builds
    /// from their cached copies (see [`federation`]). `None` for a county site.
    pub federation: Option<std::sync::mpsc::Sender<bool>>,
}

impl Shared {
    fn set(&self, status: Status, reload: bool) {
        let message = status.message();
        if let Ok(mut s) = self.status.write() {
            *s = status;
        }
        let _ = self.messages.send(message);
        if reload {
            let _ = self.messages.send(r#"{"type":"reload"}"#.to_string());
        }
    }

    /// Record the files the background pass has still to rewrite.
    fn mark_stale(&self, paths: HashSet<String>) {
        let any = !paths.is_empty();
        if let Ok(mut stale) = self.stale.write() {
            *stale = paths;
        }
        self.refreshing.send_replace(any);
    }

    /// Bring the waiting of requests in line with what `workspace` has still to write.
    fn follow(&self, workspace: &Workspace) {
        if !workspace.completing() {
            self.completing.send_replace(false);
        }
        self.mark_stale(workspace.stale_paths());
    }

    /// Reload only the browsers showing one of these output pages.
    fn reload_pages(&self, pages: &[String]) {
        let paths: Vec<String> = pages
            .iter()
            .map(|p| format!("{}{}", self.base, crate::plan::urls::pretty(p)))
            .collect();
        let message = serde_json::json!({ "type": "reload", "paths": paths });
        let _ = self.messages.send(message.to_string());
    }
}

/// The status after a successful rebuild: the content's warnings, for the page's warning panel.
fn ok_status(warnings: &Diagnostics, root: &Path, texts: &mut WarningTexts) -> Status {
    Status::Ok(texts.listed(warnings, root), warnings.warning_count())
}

/// The warnings panel's text, file by file, kept between rebuilds. Each warning shows its source
/// line, read from its file: reading the 800 files with warnings of a 10,000-report site again
/// cost each save about 15 ms. A file's part is made again when its warnings, its size or its
/// modification time changed.
#[derive(Default)]
struct WarningTexts {
    by_file: std::collections::HashMap<String, FileWarnings>,
}

/// The warnings of one file and their text.
struct FileWarnings {
    warnings: Vec<Diagnostic>,
    stamp: Option<(std::time::SystemTime, u64)>,
    text: String,
}

impl WarningTexts {
    /// The warnings of `diagnostics` as [`listed`] gives them.
    fn listed(&mut self, diagnostics: &Diagnostics, root: &Path) -> String {
        let warnings: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        let mut kept = std::collections::HashMap::with_capacity(self.by_file.len());
        let mut parts = Vec::new();
        for group in warnings.chunk_by(|a, b| a.file == b.file) {
            let file = &group[0].file;
            let stamp = std::fs::metadata(root.join(file))
                .ok()
                .and_then(|m| Some((m.modified().ok()?, m.len())));
            let known = self.by_file.remove(file).filter(|k| {
                k.stamp.is_some() && k.stamp == stamp && k.warnings.iter().eq(group.iter().copied())
            });
            let entry = known.unwrap_or_else(|| FileWarnings {
                warnings: group.iter().map(|d| (*d).clone()).collect(),
                stamp,
                text: human_text(group.iter().copied(), root),
            });
            parts.push(entry.text.clone());
            kept.insert(file.clone(), entry);
        }
        self.by_file = kept;
        parts.join("\n")
    }
}

fn plain(diagnostics: &Diagnostics, root: &Path) -> String {
    listed(diagnostics, root, Severity::Error)
}

/// The diagnostics of `severity` as people read them (the warnings panel's text is
/// [`WarningTexts::listed`], kept between rebuilds).
fn listed(diagnostics: &Diagnostics, root: &Path, severity: Severity) -> String {
    human_text(diagnostics.iter().filter(|d| d.severity == severity), root)
}

/// `diagnostics` as people read them, each with its source line, one after another.
fn human_text<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>, root: &Path) -> String {
    diagnostics
        .map(|d| render_human(d, crate::build::source_of(root, d).as_deref(), false))
        .collect::<Vec<_>>()
        .join("\n")
}

fn print_errors(diagnostics: &Diagnostics, root: &Path, served: bool) {
    eprint!("{}", plain(diagnostics, root));
    if served {
        eprintln!(
            "生成失败：{} 个错误。继续提供上一次成功生成的网站，浏览器中显示这些错误；修正后自动重新生成。",
            diagnostics.error_count()
        );
    } else {
        eprintln!(
            "生成失败：{} 个错误，还没有可以预览的网站；浏览器中显示这些错误，修正并保存后自动重新生成。",
            diagnostics.error_count()
        );
    }
}

/// Where the clerk finds the warnings a build reported.
fn warnings_hint(warnings: usize) -> String {
    if warnings == 0 {
        "0 条警告".to_string()
    } else {
        format!(
            "{warnings} 条警告：预览页面右下角的“预览提示”列出全部，也可运行 nianbao check 查看；数据核对问题还列在各报告页面统计表下的“数据核对提示”中"
        )
    }
}

/// The site root as the file watcher reports it: absolute, with `.`, `..` and symbolic links
/// resolved. Events name absolute paths; compared with a root spelled `.` or `华容县年报` they would
/// all look outside the site and every edit would be ignored.
fn watched_root(root: &Path) -> Result<PathBuf, ServeError> {
    dunce::canonicalize(root)
        .map_err(|e| ServeError::Other(format!("无法读取站点根目录 {}：{e}", root.display())))
}

/// Run the preview server until interrupted.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<(), ServeError> {
    let root = &watched_root(root)?;
    if !matches!(options.bind.as_str(), "127.0.0.1" | "localhost" | "::1") {
        eprintln!(
            "警告: 预览服务绑定在 {}，同一网络中的其他人也能访问你的预览。仅在确有需要时这样做。",
            options.bind
        );
    }
    let addr = format!("{}:{}", options.bind, options.port);
    let listener = std::net::TcpListener::bind(&addr).map_err(|source| ServeError::Bind {
        addr: addr.clone(),
        source,
    })?;
    let local: SocketAddr = listener
        .local_addr()
        .map_err(|e| ServeError::Other(e.to_string()))?;
    let config = Config::load(root).ok();
    let base = config
        .as_ref()
        .map_or_else(|| "/".to_string(), |c| c.base_path().to_string());
    let live = config.map(|c| c.base_url).unwrap_or_default();
    let host = if local.ip().is_loopback() && local.is_ipv4() {
        "127.0.0.1".to_string()
    } else {
        local.ip().to_string()
    };
    let url = format!("http://{host}:{}{base}", local.port());
    // The preview and its staging tree (a sibling of the output) both live in one temporary
    // directory, put away when serve stops (Ctrl+C or SIGTERM).
    remove_put_away();
    let work = tempfile::Builder::new()
        .prefix("nianbao-serve-")
        .tempdir()
        .map_err(|e| ServeError::Other(format!("无法创建预览目录：{e}")))?;
    let out = work.path().join("site");
    let (messages, _) = broadcast::channel(64);
    let federation_rebuilds =
        crate::federate::is_federation(root).then(std::sync::mpsc::channel::<bool>);
    let shared = Arc::new(Shared {
        out: out.clone(),
        base: base.clone(),
        live,
        status: RwLock::new(Status::Ok(String::new(), 0)),
        messages,
        completing: tokio::sync::watch::Sender::new(false),
        pending: RwLock::default(),
        stale: RwLock::default(),
        refreshing: tokio::sync::watch::Sender::new(false),
        stopping: std::sync::atomic::AtomicBool::new(false),
        federation: federation_rebuilds.as_ref().map(|(send, _)| send.clone()),
    });
    if let Some((send, receive)) = federation_rebuilds {
        return federation::serve(root, options, listener, shared, (send, receive), work, &url);
    }
    let mut workspace = Workspace::new(
        root,
        &out,
        Options {
            // Pages link relatively, so the preview needs no address of its own; keeping
            // site.toml's base_url gives the 嵌入本表 code, QR codes, canonical links and feeds
            // the published address the clerk will paste into the county CMS.
            base_url: None,
            strict: false,
            // A preview shows unfinished work (with its warnings); publishing refuses it.
            allow_draft: true,
            // The oversight as of the day the preview started.
            as_of: None,
            offline: false,
        },
    );
    workspace.defer_aggregates(true);
    let mut texts = WarningTexts::default();
    match workspace.rebuild_all() {
        Ok(r) => {
            shared.set(ok_status(workspace.warnings(), root, &mut texts), false);
            if !options.quiet {
                let rest = if workspace.completing() {
                    "；下载文件、搜索索引、嵌入页和离线归档接着在后台生成"
                } else {
                    ""
                };
                eprintln!(
                    "已生成 {} 个文件（{}），用时 {} 毫秒{rest}。",
                    r.rendered,
                    warnings_hint(r.warnings),
                    r.elapsed.as_millis()
                );
            }
        }
        Err(d) => {
            print_errors(&d, root, false);
            shared.set(Status::Error(plain(&d, root)), false);
        }
    }
    eprintln!("正在预览：{url}　（修改内容后自动刷新；按 Ctrl+C 停止）");
    if options.open {
        open_browser(&url);
    }
    let completing = workspace.completing();
    let stop = workspace.stop_flag();
    let preempt = workspace.preempt_flag();
    if let Ok(mut pending) = shared.pending.write() {
        *pending = workspace.pending_paths();
    }
    let workspace = Arc::new(Mutex::new(workspace));
    if completing {
        complete_in_background(&workspace, &shared, root, options.quiet);
    }
    let watcher = watch::start(
        root,
        &out,
        (
            options.poll,
            Config::load(root).is_ok_and(|c| !c.plugins.is_empty()),
        ),
        preempt.clone(),
        {
            let (shared, root, workspace) = (shared.clone(), root.to_path_buf(), workspace.clone());
            let quiet = options.quiet;
            move |paths: Vec<PathBuf>| match (Instant::now(), workspace.lock()) {
                (asked, Ok(mut ws)) => {
                    // The save holds the site: the background pass it pre-empted has stopped.
                    preempt.store(false, Ordering::SeqCst);
                    if crate::profile::enabled() {
                        eprintln!(
                            "  waited for the site: {:.1} ms",
                            asked.elapsed().as_secs_f64() * 1e3
                        );
                    }
                    rebuild(&mut ws, &shared, &root, &paths, quiet, &mut texts)
                }
                (_, Err(_)) => false,
            }
        },
        {
            let (shared, root, workspace) = (shared.clone(), root.to_path_buf(), workspace.clone());
            let quiet = options.quiet;
            move || match workspace.lock() {
                Ok(mut ws) => flush(&mut ws, &shared, &root, quiet),
                Err(_) => false,
            }
        },
    )
    .map_err(|e| ServeError::Other(format!("无法监视文件变化：{e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Other(e.to_string()))?;
    let result = runtime.block_on(http::run(listener, shared));
    let stopped = Instant::now();
    let lap = |what: &str| {
        if crate::profile::enabled() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis();
            eprintln!(
                "  stop: {what} after {:.1} ms (at {now})",
                stopped.elapsed().as_secs_f64() * 1e3
            );
        }
    };
    // A pass still writing stops at its next file (or next write of a year archive or county
    // file) and lets go of the workspace; only then is the preview folder put away, or the
    // writer could recreate it.
    stop.store(true, Ordering::SeqCst);
    runtime.shutdown_background();
    drop(watcher);
    lap("watcher stopped");
    let released = wait_for_release(&workspace, STOP_WAIT);
    lap("site released");
    let removal = put_away(work);
    lap("preview put away");
    if !options.quiet {
        eprintln!("{}", stopped_message(removal, released));
    }
    lap("returning");
    result.map_err(|e| ServeError::Other(e.to_string()))
}

/// How long serve waits, once asked to stop, for a pass in progress to let go of the preview.
const STOP_WAIT: Duration = Duration::from_millis(1500);

/// Wait up to `limit` until nothing holds `workspace`; whether nothing does.
fn wait_for_release(workspace: &Mutex<Workspace>, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        match workspace.try_lock() {
            Ok(_) | Err(std::sync::TryLockError::Poisoned(_)) => return true,
            Err(std::sync::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(std::sync::TryLockError::WouldBlock) => return false,
        }
    }
}

/// The name a stopped preview folder is renamed to before it is deleted.
const PUT_AWAY: &str = "nianbao-stopped-";

/// How the preview folder went when serve stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Removal {
    /// Renamed aside and being deleted by a detached process.
    Detached,
    /// Deleted before serve exits (no detached process could be started).
    Deleted,
}

/// Put the preview folder away without keeping the clerk waiting (removing 20,000 reports'
/// preview takes 10–20 s): it is renamed aside at once — a folder of that name is never served
/// or reused, so one half deleted is harmless — and deleted by a detached process (`rm -rf`,
/// `rd /s /q` on Windows). What that leaves behind (the machine turned off meanwhile) the next
/// start removes ([`remove_put_away`]).
fn put_away(work: tempfile::TempDir) -> Removal {
    let path = work.keep();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().replace("nianbao-serve-", ""))
        .unwrap_or_default();
    let aside = path.with_file_name(format!("{PUT_AWAY}{name}"));
    if std::fs::rename(&path, &aside).is_ok() && remove_detached(&aside).is_ok() {
        return Removal::Detached;
    }
    let _ = std::fs::remove_dir_all(&aside);
    let _ = std::fs::remove_dir_all(&path);
    Removal::Deleted
}

/// Start a process that deletes `dir` and outlives serve: in a process group of its own, so that
/// the Ctrl+C that stopped serve does not stop it too.
fn remove_detached(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    let mut command = {
        use std::os::unix::process::CommandExt;
        let mut c = std::process::Command::new("rm");
        c.arg("-rf").arg("--").arg(dir).process_group(0);
        c
    };
    #[cfg(windows)]
    let mut command = {
        use std::os::windows::process::CommandExt;
        // CREATE_NEW_PROCESS_GROUP | DETACHED_PROCESS
        const FLAGS: u32 = 0x0000_0200 | 0x0000_0008;
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "rd", "/S", "/Q"])
            .arg(dir)
            .creation_flags(FLAGS);
        c
    };
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // Reaped if this process lives on (a library caller); otherwise it outlives us.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// Delete, in the background, preview folders that earlier runs put away and that are still
/// there (their deleting process was stopped with the machine).
fn remove_put_away() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    let left: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(PUT_AWAY))
        .map(|e| e.path())
        .collect();
    if !left.is_empty() {
        std::thread::spawn(move || {
            for dir in left {
                let _ = std::fs::remove_dir_all(dir);
            }
        });
    }
}

/// What serve says when it stops.
fn stopped_message(removal: Removal, released: bool) -> String {
    let unfinished = if released {
        ""
    } else {
        "（后台生成尚未结束，已中止）"
    };
    match removal {
        Removal::Detached => format!("已停止预览{unfinished}；临时预览文件在后台删除。"),
        Removal::Deleted => format!("已停止预览{unfinished}，临时预览文件已删除。"),
    }
}

/// Apply a batch of changes; returns whether deferred work is pending.
fn rebuild(
    workspace: &mut Workspace,
    shared: &Shared,
    root: &Path,
    paths: &[PathBuf],
    quiet: bool,
    texts: &mut WarningTexts,
) -> bool {
    let start = Instant::now();
    match workspace.apply(paths) {
        Ok(r) if r.rendered == 0 && r.removed == 0 && !r.full => workspace.has_deferred(),
        Ok(r) => {
            // Before the browsers reload: from now on a request for a file the background pass
            // has to rewrite waits for it.
            shared.follow(workspace);
            shared.set(ok_status(workspace.warnings(), root, texts), true);
            if !quiet {
                eprintln!(
                    "已重新生成：{}，渲染 {} 个文件，写入 {} 个，删除 {} 个，用时 {} 毫秒；已通知浏览器刷新。",
                    if r.full { "全部" } else { "变化部分" },
                    r.rendered,
                    r.written,
                    r.removed,
                    start.elapsed().as_millis()
                );
            }
            workspace.has_deferred()
        }
        Err(d) => {
            print_errors(&d, root, shared.out.join("index.html").is_file());
            shared.set(Status::Error(plain(&d, root)), false);
            // No new bytes come until the error is fixed: the files as they are are served.
            shared.mark_stale(HashSet::new());
            false
        }
    }
}

/// Write the files the first build left for later on another thread, while the pages are
/// served; returns once that thread holds the workspace, so that no rebuild comes first. A save
/// pre-empts it; the watcher's background pass then writes what is left.
fn complete_in_background(
    workspace: &Arc<Mutex<Workspace>>,
    shared: &Arc<Shared>,
    root: &Path,
    quiet: bool,
) {
    shared.completing.send_replace(true);
    let (locked, wait) = std::sync::mpsc::channel();
    let (workspace, shared, root) = (workspace.clone(), shared.clone(), root.to_path_buf());
    std::thread::spawn(move || {
        if let Ok(mut ws) = workspace.lock() {
            let _ = locked.send(());
            flush(&mut ws, &shared, &root, quiet);
        }
    });
    let _ = wait.recv();
}

/// Hand the memory a large rebuild freed back to the system now, while nobody waits. mimalloc
/// otherwise does it lazily, inside whichever allocation comes next: on a 10,000-report site
/// that was the next save's first allocation, about 30 ms of unmapping in its save→reload.
fn release_freed_memory() {
    // SAFETY: mi_collect takes no arguments that could dangle and may be called from any thread
    // at any time; when mimalloc is not the global allocator it has nothing to collect.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// The background pass: the files the first build left for later, or the county-wide files and
/// overview pages once the sources are quiet after a save; reloads the browsers showing an
/// overview page that changed. Returns whether work is left (a save pre-empted it).
fn flush(workspace: &mut Workspace, shared: &Shared, root: &Path, quiet: bool) -> bool {
    let start = Instant::now();
    let workspace_was_busy = workspace.has_deferred();
    let completing = workspace.completing();
    let left = match workspace.flush_deferred() {
        Ok(r) => {
            if !r.pages.is_empty() {
                shared.reload_pages(&r.pages);
            }
            if !quiet && completing {
                eprintln!(
                    "后台生成完毕：下载文件、搜索索引、嵌入页和离线归档共 {} 个文件，用时 {} 毫秒。",
                    r.rendered,
                    start.elapsed().as_millis()
                );
            } else if r.rendered > 0 && !quiet {
                eprintln!(
                    "已更新全县汇总数据文件和总览页面（{} 个），用时 {} 毫秒。",
                    r.rendered,
                    start.elapsed().as_millis()
                );
            }
            false
        }
        Err(d) if given_up_only(&d) => {
            if crate::profile::enabled() {
                eprintln!(
                    "  background pass given way after {:.1} ms ({})",
                    start.elapsed().as_secs_f64() * 1e3,
                    d.iter().next().map_or("", |d| d.file.as_str())
                );
            }
            workspace.has_deferred()
        }
        Err(d) => {
            print_errors(&d, root, shared.out.join("index.html").is_file());
            false
        }
    };
    shared.follow(workspace);
    // Not when a save waits for the workspace: it would wait for this too.
    if workspace_was_busy && !left {
        release_freed_memory();
    }
    left
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(command)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("无法自动打开浏览器，请手动打开 {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(items: &[(&str, usize, &str)]) -> Diagnostics {
        let mut ds = Diagnostics::new();
        for (file, line, message) in items {
            ds.push(Diagnostic::warning("test.warning", *file, *message).at_line(*line));
        }
        ds.push(Diagnostic::error("test.error", "a.yaml", "不列出").at_line(1));
        ds.sort();
        ds
    }

    #[test]
    fn kept_warning_texts_are_the_listed_ones_and_follow_edits() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let root = dir.path();
        std::fs::write(root.join("a.yaml"), "一: 1\n二: 2\n").expect("write");
        std::fs::write(root.join("b.yaml"), "三: 3\n").expect("write");
        let ds = warnings(&[
            ("a.yaml", 2, "甲"),
            ("b.yaml", 1, "乙"),
            ("a.yaml", 1, "丙"),
        ]);
        let mut texts = WarningTexts::default();
        let first = texts.listed(&ds, root);
        assert_eq!(first, listed(&ds, root, Severity::Warning));
        assert!(
            first.contains("二: 2") && first.contains("三: 3"),
            "{first}"
        );
        assert!(!first.contains("不列出"), "{first}");
        assert_eq!(texts.listed(&ds, root), first);

        // The same warnings over an edited file show the edited line.
        std::fs::write(root.join("b.yaml"), "三: 33333\n").expect("write");
        let edited = texts.listed(&ds, root);
        assert!(edited.contains("三: 33333"), "{edited}");
        assert_eq!(edited, listed(&ds, root, Severity::Warning));

        // A warning gone from a file is gone from the text.
        let fewer = warnings(&[("a.yaml", 2, "甲"), ("b.yaml", 1, "乙")]);
        let text = texts.listed(&fewer, root);
        assert!(!text.contains("丙"), "{text}");
        assert_eq!(text, listed(&fewer, root, Severity::Warning));
    }
}
