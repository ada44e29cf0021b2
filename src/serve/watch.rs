//! Watching the site's sources: `site.toml`, `content/`, `themes/`, `templates/`, `static/`;
//! everything under the site root when it has plugins.
//!
//! Events are debounced briefly (an editor's save is several events within milliseconds), batches
//! that queue up while a rebuild runs are merged into the next one, and editor temporary files
//! are ignored. A batch raises the pre-emption flag the moment it is debounced, so that the
//! background pass running on the watching thread gives way to the save at once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, NoCache, new_debouncer, new_debouncer_opt};

/// Quiet time after the last event of a burst before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(20);
/// Poll interval of `--poll`.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct WatchHandle {
    _debouncer: Box<dyn Send>,
}

/// Whether a changed path is an editor's or office suite's temporary file.
pub(super) fn is_temporary(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    name.starts_with('.')
        || name.starts_with("~$")
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".crdownload",
            ".part",
            ".kate-swp",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// How long the sources must stay quiet before deferred work (the county-wide data files) runs.
const IDLE: Duration = Duration::from_millis(800);

/// Start watching the site at `root`. `on_change` receives each batch of changed paths and says
/// whether it left work for a quiet moment; `on_idle` does that work once nothing has changed for
/// a while, so that a burst of edits is never held up by it, and says whether some is left (a
/// save pre-empted it). Every batch sets `preempt` as soon as it is known, before it is queued:
/// the work `on_idle` is doing checks it and stops, and `on_change` clears it once it holds the
/// site (every batch queued reaches `on_change`, so the flag never stays raised by itself).
pub(super) fn start(
    root: &Path,
    out: &Path,
    (poll, everything): (bool, bool),
    preempt: Arc<AtomicBool>,
    mut on_change: impl FnMut(Vec<PathBuf>) -> bool + Send + 'static,
    mut on_idle: impl FnMut() -> bool + Send + 'static,
) -> notify::Result<WatchHandle> {
    let (tx, rx) = mpsc::channel::<BTreeSet<PathBuf>>();
    let handler = {
        let out = out.to_path_buf();
        move |result: DebounceEventResult| {
            let mut paths = BTreeSet::new();
            collect(result, &out, &mut paths);
            if !paths.is_empty() {
                preempt.store(true, Ordering::SeqCst);
                let _ = tx.send(paths);
            }
        }
    };
    // A site with plugins watches everything under its root: a plugin may read any file.
    let top = match everything {
        true => RecursiveMode::Recursive,
        false => RecursiveMode::NonRecursive,
    };
    let targets: Vec<(PathBuf, RecursiveMode)> = std::iter::once((root.to_path_buf(), top))
        .chain(
            ["content", "themes", "templates", "static"]
                .iter()
                .map(|d| root.join(d))
                .filter(|d| !everything && d.is_dir())
                .map(|d| (d, RecursiveMode::Recursive)),
        )
        .collect();
    let debouncer: Box<dyn Send> = if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let mut d = new_debouncer_opt::<_, notify::PollWatcher, NoCache>(
            DEBOUNCE, None, handler, NoCache, config,
        )?;
        for (path, mode) in &targets {
            d.watch(path, *mode)?;
        }
        Box::new(d)
    } else {
        let mut d = new_debouncer(DEBOUNCE, None, handler)?;
        for (path, mode) in &targets {
            d.watch(path, *mode)?;
        }
        Box::new(d)
    };
    std::thread::Builder::new()
        .name("nianbao-watch".into())
        .spawn(move || {
            let mut idle_work = false;
            loop {
                let first = if idle_work {
                    match rx.recv_timeout(IDLE) {
                        Ok(batch) => batch,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            idle_work = on_idle();
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                } else {
                    match rx.recv() {
                        Ok(batch) => batch,
                        Err(_) => return,
                    }
                };
                let mut paths = first;
                while let Ok(more) = rx.try_recv() {
                    paths.extend(more);
                }
                idle_work |= on_change(paths.into_iter().collect());
            }
        })?;
    Ok(WatchHandle {
        _debouncer: debouncer,
    })
}

fn collect(result: DebounceEventResult, out: &Path, paths: &mut BTreeSet<PathBuf>) {
    let Ok(events) = result else { return };
    // Reading files (including our own reads during a rebuild) is not a change.
    for event in events
        .iter()
        .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
    {
        for path in &event.paths {
            if !path.starts_with(out) && !is_temporary(path) {
                paths.insert(path.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            ".stats.yaml.swp",
            "stats.yaml~",
            "~$统计表.xlsx",
            "#report.md#",
            "4913",
            "a.tmp",
        ] {
            assert!(is_temporary(Path::new(name)), "{name}");
        }
        for name in ["stats.yaml", "report.md", "统计表.xlsx"] {
            assert!(!is_temporary(Path::new(name)), "{name}");
        }
    }
}
