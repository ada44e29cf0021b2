//! Timings for finding where a build spends its time, printed on stderr when the environment
//! variable `NIANBAO_PROFILE` is set: phases of a build ([`phase`]), time per kind of output file
//! ([`Kinds`]) and the steps of a `serve` rebuild (`Laps`). Off, each costs one branch.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Whether `NIANBAO_PROFILE` is set (read once).
pub(crate) fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("NIANBAO_PROFILE").is_some())
}

/// Print that the phase `name` ended, with the time since `start`.
pub(crate) fn phase(name: &str, start: Instant) {
    if enabled() {
        eprintln!(
            "{name:<22} at {:>8.1} ms",
            start.elapsed().as_secs_f64() * 1e3
        );
    }
}

/// Time spent per kind of output file, printed when `NIANBAO_PROFILE` is set: the first thing to
/// look at before optimising.
pub(crate) struct Kinds(Option<std::sync::Mutex<ProfileTable>>);

/// Per kind: files, render time, write time.
type ProfileTable = std::collections::BTreeMap<String, (usize, Duration, Duration)>;

impl Kinds {
    /// A table that records only when profiling is on.
    pub(crate) fn from_env() -> Kinds {
        Kinds(enabled().then(Default::default))
    }

    /// Add one file's render and write time to its kind.
    pub(crate) fn record(&self, kind: impl FnOnce() -> String, render: Duration, write: Duration) {
        let Some(table) = &self.0 else { return };
        let kind = kind();
        if let Ok(mut t) = table.lock() {
            let e = t.entry(kind).or_default();
            e.0 += 1;
            e.1 += render;
            e.2 += write;
        }
    }

    /// Print the table.
    pub(crate) fn report(&self) {
        let Some(table) = &self.0 else { return };
        let Ok(t) = table.lock() else { return };
        eprintln!(
            "{:<22} {:>8} {:>12} {:>12}",
            "kind", "files", "render ms", "write ms"
        );
        for (kind, (n, render, write)) in t.iter() {
            eprintln!(
                "{kind:<22} {n:>8} {:>12.1} {:>12.1}",
                render.as_secs_f64() * 1e3,
                write.as_secs_f64() * 1e3
            );
        }
    }
}

/// Phase timings printed when `NIANBAO_PROFILE` is set.
#[cfg(feature = "serve")]
pub(crate) struct Laps(Option<std::cell::Cell<Instant>>);

#[cfg(feature = "serve")]
impl Laps {
    /// Laps from now; silent unless profiling is on.
    pub(crate) fn start() -> Laps {
        Laps(enabled().then(|| std::cell::Cell::new(Instant::now())))
    }

    /// Print the time since the previous lap.
    pub(crate) fn lap(&self, what: &str) {
        if let Some(cell) = &self.0 {
            eprintln!(
                "  {what}: {:.1} ms",
                cell.get().elapsed().as_secs_f64() * 1e3
            );
            cell.set(Instant::now());
        }
    }
}
