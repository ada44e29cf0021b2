//! The preview of a federation portal (a city's site built from its counties' portals). The
//! members are read once when the preview starts; a save of the site's own files (site.toml,
//! templates) rebuilds from their cached copies at once, and the members are read again only
//! when asked (`<base>__nianbao/refresh`), so that editing a template never waits for a
//! hundred county servers.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Instant;

use super::{ServeError, ServeOptions, Shared, Status, http, plain, print_errors, watch};
use crate::federate::{self, Settings};

/// Serve the federation portal at `root` until interrupted; `rebuilds` carries the requests
/// (`true`: read the members again).
pub(super) fn serve(
    root: &Path,
    options: &ServeOptions,
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    (send, rebuilds): (Sender<bool>, Receiver<bool>),
    work: tempfile::TempDir,
    url: &str,
) -> Result<(), ServeError> {
    rebuild(root, &shared, true, options.quiet, false);
    eprintln!(
        "正在预览联合门户：{url}　（修改设置或模板后自动刷新；要重新读取各县门户，在浏览器中打开 {url}{}refresh；按 Ctrl+C 停止）",
        http::PREFIX
    );
    if options.open {
        super::open_browser(url);
    }
    let worker = {
        let (root, shared, quiet) = (root.to_path_buf(), shared.clone(), options.quiet);
        std::thread::Builder::new()
            .name("nianbao-federation".into())
            .spawn(move || {
                // Requests that arrive during a rebuild are served by one more: a refresh among
                // them makes it read the members.
                while let Ok(first) = rebuilds.recv() {
                    let fetch = rebuilds.try_iter().fold(first, |any, next| any || next);
                    rebuild(&root, &shared, fetch, quiet, true);
                }
            })
            .map_err(|e| ServeError::Other(e.to_string()))?
    };
    let watcher = watch::start(
        root,
        &shared.out,
        (options.poll, false),
        Arc::default(),
        {
            let send = send.clone();
            move |_: Vec<PathBuf>| {
                let _ = send.send(false);
                false
            }
        },
        || false,
    )
    .map_err(|e| ServeError::Other(format!("无法监视文件变化：{e}")))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Other(e.to_string()))?;
    let result = runtime.block_on(http::run(listener, shared));
    drop(watcher);
    drop(runtime);
    drop(send);
    let _ = worker.join();
    let removal = super::put_away(work);
    if !options.quiet {
        eprintln!("{}", super::stopped_message(removal, true));
    }
    result.map_err(|e| ServeError::Other(e.to_string()))
}

/// Build the portal into the preview; `fetch` reads the members, else their cached copies.
fn rebuild(root: &Path, shared: &Shared, fetch: bool, quiet: bool, reload: bool) {
    let start = Instant::now();
    let settings = Settings {
        base_url: None,
        as_of: None,
        offline: !fetch,
    };
    match federate::build(root, &shared.out, &settings) {
        Ok((outcome, warnings)) => {
            let text = super::listed(&warnings, root, crate::diagnostics::Severity::Warning);
            if !quiet {
                eprint!("{text}");
                eprintln!(
                    "已生成联合门户：{} 个县{}，{} 份报告，{} 个文件，用时 {} 毫秒。",
                    outcome.members,
                    if fetch {
                        format!("（{} 个县的门户已重新读取）", outcome.fresh)
                    } else {
                        "（使用缓存的各县数据）".to_string()
                    },
                    outcome.reports,
                    outcome.files,
                    start.elapsed().as_millis()
                );
            }
            shared.set(Status::Ok(text, warnings.warning_count()), reload);
        }
        Err(federate::Failure::Content(diagnostics)) => {
            print_errors(&diagnostics, root, shared.out.join("index.html").is_file());
            shared.set(Status::Error(plain(&diagnostics, root)), false);
        }
        Err(federate::Failure::Output(e)) => {
            eprintln!("错误: {e}");
            shared.set(Status::Error(e.to_string()), false);
        }
    }
}
