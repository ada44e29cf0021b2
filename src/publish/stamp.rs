//! "Nothing changed": a fingerprint of everything a build reads, kept in the output's marker
//! file, lets a rebuild of unchanged sources finish without loading or rendering anything.
//!
//! The fingerprint covers the nianbao binary (version, size, modification time), the build
//! options, and the path, size and modification time of every file under `site.toml`,
//! `content/`, `themes/`, `templates/` and `static/`. Any difference, or an output directory
//! whose file count no longer matches, means a real build.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// What a build reads besides the source files: its command-line settings.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Inputs<'a> {
    /// The `--base-url` that replaces site.toml's.
    pub base_url: Option<&'a str>,
    /// Warnings count as errors.
    pub strict: bool,
    /// Unfinished work is allowed.
    pub allow_draft: bool,
    /// The day the oversight is made as of (the audit page and the publication records say
    /// what was due by then). Only the whole site's fingerprint holds it: a year archive's
    /// depends on the day only until the year is settled ([`crate::site::Site::archive_as_of`]).
    pub as_of: chrono::NaiveDate,
}

const SOURCES: [&str; 5] = ["site.toml", "content", "themes", "templates", "static"];

/// What the marker file records about the build that wrote the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Fingerprint of the inputs.
    pub fingerprint: u64,
    /// Reports built.
    pub reports: usize,
    /// Pages written.
    pub pages: usize,
    /// Files in the output (without the marker).
    pub files: usize,
    /// Warnings the build reported.
    pub warnings: usize,
}

impl Stamp {
    /// The lines written into the marker file after its explanation.
    pub(crate) fn to_text(&self) -> String {
        format!(
            "fingerprint: {:016x}\nreports: {}\npages: {}\nfiles: {}\nwarnings: {}\n",
            self.fingerprint, self.reports, self.pages, self.files, self.warnings
        )
    }

    /// Read a stamp back from the marker file's text.
    pub(crate) fn parse(text: &str) -> Option<Stamp> {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
                .map(str::trim)
        };
        Some(Stamp {
            fingerprint: u64::from_str_radix(field("fingerprint")?, 16).ok()?,
            reports: field("reports")?.parse().ok()?,
            pages: field("pages")?.parse().ok()?,
            files: field("files")?.parse().ok()?,
            warnings: field("warnings")?.parse().ok()?,
        })
    }
}

fn add_file(h: &mut impl Hasher, rel: &str, meta: &std::fs::Metadata) {
    h.write(rel.as_bytes());
    h.write_u64(meta.len());
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .unwrap_or_default();
    h.write_u128(modified.as_nanos());
}

/// The fingerprint of everything a build of `root` with `options` reads.
#[cfg(test)]
fn fingerprint(root: &Path, options: &Inputs<'_>) -> u64 {
    fingerprints(root, options).0
}

/// Call `f` with the path (relative to `root`) and metadata of every source file and folder.
fn walk_sources(root: &Path, mut f: impl FnMut(&str, &std::fs::Metadata)) {
    for source in SOURCES {
        for entry in walkdir::WalkDir::new(root.join(source))
            .sort_by_file_name()
            .follow_links(false)
        {
            let Ok(entry) = entry else { continue };
            let Ok(meta) = entry.metadata() else { continue };
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_string_lossy();
            f(&rel, &meta);
        }
    }
}

/// A fingerprint per year of what that year's archive is made from: like [`fingerprint`], but
/// without the other years' folders (an archive holds one year), so that a build can keep the
/// archives of the years nobody touched. One walk of the sources for all years: the shared
/// sources and each year's folder are hashed apart and combined.
#[cfg(test)]
fn year_fingerprints(root: &Path, options: &Inputs<'_>) -> BTreeMap<u16, u64> {
    fingerprints(root, options).1
}

/// [`fingerprint`] and [`year_fingerprints`] in one walk of the sources.
pub(crate) fn fingerprints(root: &Path, options: &Inputs<'_>) -> (u64, BTreeMap<u16, u64>) {
    use std::collections::hash_map::DefaultHasher;
    let mut all = DefaultHasher::new();
    all.write(env!("CARGO_PKG_VERSION").as_bytes());
    let mut shared = DefaultHasher::new();
    shared.write(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        add_file(&mut all, "<nianbao>", &meta);
        add_file(&mut shared, "<nianbao>", &meta);
    }
    all.write(options.base_url.unwrap_or("").as_bytes());
    all.write_u8(u8::from(options.strict));
    all.write_u8(u8::from(options.allow_draft));
    all.write(options.as_of.to_string().as_bytes());
    shared.write(options.base_url.unwrap_or("").as_bytes());
    // Drafts are in an archive built with --allow-draft: a published one must never be taken for it.
    shared.write_u8(u8::from(options.allow_draft));
    let mut years: BTreeMap<u16, DefaultHasher> = BTreeMap::new();
    // Which files every year has: a report page, which its year's archive holds as the live
    // site has it, lists its township's other years.
    let mut membership = DefaultHasher::new();
    walk_sources(root, |rel, meta| {
        add_file(&mut all, rel, meta);
        let rel_slash = rel.replace('\\', "/");
        let year = rel_slash
            .strip_prefix("content/")
            .and_then(|r| r.split('/').next())
            .and_then(crate::content::parse_year);
        match year {
            Some(y) => {
                membership.write(rel.as_bytes());
                add_file(years.entry(y).or_default(), rel, meta)
            }
            None => add_file(&mut shared, rel, meta),
        }
    });
    shared.write_u64(membership.finish());
    let shared = shared.finish();
    let years = years
        .into_iter()
        .map(|(y, h)| {
            let mut combined = DefaultHasher::new();
            combined.write_u64(shared);
            combined.write_u16(y);
            combined.write_u64(h.finish());
            (y, combined.finish())
        })
        .collect();
    (all.finish(), years)
}

/// The marker lines recording the archives' fingerprints.
pub(crate) fn archives_text(fingerprints: &BTreeMap<u16, u64>) -> String {
    fingerprints
        .iter()
        .map(|(y, f)| format!("archive {y}: {f:016x}\n"))
        .collect()
}

/// The marker file of an output as the last build left it (empty when there is none): read once
/// per build for the stamp and the archives' fingerprints.
pub(crate) struct Marker {
    text: String,
    stamp: Option<Stamp>,
}

impl Marker {
    /// The marker of the output at `output`.
    pub(crate) fn read(output: &Path) -> Marker {
        let text = std::fs::read_to_string(output.join(crate::publish::staging::MARKER))
            .unwrap_or_default();
        let stamp = Stamp::parse(&text);
        Marker { text, stamp }
    }

    /// The build's stamp, if the marker has one.
    pub(crate) fn stamp(&self) -> Option<&Stamp> {
        self.stamp.as_ref()
    }

    /// The archive fingerprints recorded in the marker.
    pub(crate) fn archives(&self) -> BTreeMap<u16, u64> {
        self.text
            .lines()
            .filter_map(|l| {
                let (year, hex) = l.strip_prefix("archive ")?.split_once(": ")?;
                Some((
                    year.parse().ok()?,
                    u64::from_str_radix(hex.trim(), 16).ok()?,
                ))
            })
            .collect()
    }

    /// The stamp of `output` (whose marker this is) when it was built from exactly these inputs
    /// and still holds its files.
    pub(crate) fn up_to_date(&self, output: &Path, fingerprint: u64) -> Option<Stamp> {
        let stamp = self
            .stamp
            .clone()
            .filter(|s| s.fingerprint == fingerprint)?;
        let files = walkdir::WalkDir::new(output)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        (files == stamp.files + 1).then_some(stamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip() {
        let s = Stamp {
            fingerprint: 0xdead_beef,
            reports: 3,
            pages: 9,
            files: 20,
            warnings: 2,
        };
        assert_eq!(
            Stamp::parse(&format!("explanation\n{}", s.to_text())),
            Some(s)
        );
        assert_eq!(Stamp::parse("no stamp"), None);
    }

    #[test]
    fn a_year_fingerprint_ignores_other_years() {
        let tmp = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let p = tmp.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("content/2018/a/report.md", "一");
        write("content/2019/a/report.md", "二");
        let options = Inputs::default();
        let before = year_fingerprints(tmp.path(), &options);
        write("content/2019/a/report.md", "二二");
        let after = year_fingerprints(tmp.path(), &options);
        assert_eq!(before[&2018], after[&2018]);
        assert_ne!(before[&2019], after[&2019]);
        write("content/townships.yaml", "[]");
        let shared = year_fingerprints(tmp.path(), &options);
        assert_ne!(after[&2018], shared[&2018]);
        // A new report in another year is listed on the year's report pages (its township's
        // other years), which the year's archive holds as they are.
        write("content/2019/b/report.md", "三");
        let joined = year_fingerprints(tmp.path(), &options);
        assert_ne!(shared[&2018], joined[&2018]);
        let text = format!("x\n{}", archives_text(&shared));
        std::fs::write(tmp.path().join(crate::publish::staging::MARKER), text).unwrap();
        assert_eq!(Marker::read(tmp.path()).archives(), shared);
    }

    #[test]
    fn fingerprint_follows_the_sources() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(tmp.path().join("content/a.md"), "一").unwrap();
        let options = Inputs::default();
        let first = fingerprint(tmp.path(), &options);
        assert_eq!(first, fingerprint(tmp.path(), &options));
        std::fs::write(tmp.path().join("content/a.md"), "一二").unwrap();
        assert_ne!(
            first,
            fingerprint(tmp.path(), &options),
            "a changed file changes it"
        );
        let other = Inputs {
            base_url: Some("https://x.cn/"),
            ..Inputs::default()
        };
        assert_ne!(
            fingerprint(tmp.path(), &options),
            fingerprint(tmp.path(), &other)
        );
    }
}
