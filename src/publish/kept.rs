//! Year archives kept beside the site (`<site>/.nianbao-cache/archives/`): a build that finds the archive
//! of a year already made from the same sources takes it instead of making it again, even into an
//! empty output folder. Once a year's reports are published nothing it is made from changes, so
//! its archive is made once.
//!
//! A kept archive is named by its year and the fingerprint of everything that year's archive is
//! made from ([`super::stamp::fingerprints`]: the nianbao binary, the build options, the shared
//! sources and that year's folder). Archives are deterministic, so a kept one is byte for byte
//! the archive a build would make. The store is a cache: when it cannot be read or written the
//! build makes the archives itself and says nothing; deleting the folder is always safe.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The folder, under the site's root, of nianbao's own files.
const FOLDER: &str = ".nianbao-cache";

/// What a person who finds the folder reads.
const README: &str = "此文件夹由 nianbao 自动生成，保存已经生成过的年度离线归档（archives/），\
下次生成网站时直接使用，不必重新制作；staging/ 中是上一次生成时替换下来的网站副本，\
下次生成时用来少写文件。可以随时删除，删除后下次生成时会重新制作。\n";

/// Where the staging tree of the output at `target` waits between builds: under the site's own
/// folder, so that nothing of nianbao's stays beside an output a web server serves.
pub(crate) fn parked_staging(root: &Path, target: &Path) -> PathBuf {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(target.as_os_str().as_encoded_bytes());
    let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    root.join(FOLDER).join("staging").join(name)
}

/// The kept archives of one site.
pub(crate) struct Kept {
    dir: PathBuf,
}

impl Kept {
    /// The kept archives of the site at `root`.
    pub(crate) fn of_site(root: &Path) -> Kept {
        Kept {
            dir: root.join(FOLDER).join("archives"),
        }
    }

    fn name(year: u16, print: u64) -> String {
        format!("{year}-{print:016x}.zip")
    }

    /// The kept archive of `year` made from sources with fingerprint `print`, if there is one.
    pub(crate) fn find(&self, year: u16, print: u64) -> Option<PathBuf> {
        let path = self.dir.join(Self::name(year, print));
        fs::metadata(&path)
            .is_ok_and(|m| m.is_file())
            .then_some(path)
    }

    /// Keep the archive of `year` just written at `archive` (linked when the file system allows,
    /// else copied), replacing the year's archive kept before.
    pub(crate) fn keep(&self, year: u16, print: u64, archive: &Path) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let readme = self.dir.parent().unwrap_or(&self.dir).join("说明.txt");
        if !readme.exists() {
            fs::write(&readme, README)?;
        }
        let name = Self::name(year, print);
        let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let _ = fs::remove_file(&tmp);
        if fs::hard_link(archive, &tmp).is_err() {
            fs::copy(archive, &tmp)?;
        }
        fs::rename(&tmp, self.dir.join(&name))?;
        self.remove_others(year, &name)
    }

    /// Remove the archives of `year` kept under another name than `name`.
    fn remove_others(&self, year: u16, name: &str) -> io::Result<()> {
        self.remove_where(|y, file_name| y == year && file_name != name)
    }

    /// Remove the archives kept of years the site no longer has.
    pub(crate) fn forget_other_years(&self, years: &[u16]) -> io::Result<()> {
        if !self.dir.is_dir() {
            return Ok(());
        }
        self.remove_where(|y, _| !years.contains(&y))
    }

    /// Remove every kept archive for which `gone(year, file name)` holds.
    fn remove_where(&self, gone: impl Fn(u16, &str) -> bool) -> io::Result<()> {
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let file_name = entry.file_name();
            let file_name = file_name.to_string_lossy();
            let year = file_name
                .strip_suffix(".zip")
                .and_then(|stem| stem.split_once('-'))
                .and_then(|(year, _)| year.parse::<u16>().ok());
            if let Some(year) = year
                && gone(year, &file_name)
            {
                fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_kept_is_found_by_its_year_and_print_only() {
        let site = tempfile::tempdir().unwrap();
        let built = site.path().join("2018.zip");
        fs::write(&built, b"first").unwrap();
        let kept = Kept::of_site(site.path());
        assert_eq!(kept.find(2018, 7), None);
        kept.keep(2018, 7, &built).unwrap();
        let found = kept.find(2018, 7).expect("kept");
        assert_eq!(fs::read(&found).unwrap(), b"first");
        assert_eq!(kept.find(2018, 8), None, "another print is another archive");
        assert_eq!(kept.find(2019, 7), None, "another year is another archive");
        assert!(site.path().join(".nianbao-cache/说明.txt").is_file());
    }

    #[test]
    fn keeping_a_year_again_replaces_what_was_kept_for_it() {
        let site = tempfile::tempdir().unwrap();
        let kept = Kept::of_site(site.path());
        for (print, bytes) in [(1u64, &b"old"[..]), (2, b"new")] {
            let built = site.path().join(format!("{print}.zip"));
            fs::write(&built, bytes).unwrap();
            kept.keep(2018, print, &built).unwrap();
        }
        let other = site.path().join("other.zip");
        fs::write(&other, b"2019").unwrap();
        kept.keep(2019, 1, &other).unwrap();
        assert_eq!(kept.find(2018, 1), None, "the old archive of 2018 is gone");
        assert_eq!(fs::read(kept.find(2018, 2).unwrap()).unwrap(), b"new");
        assert!(kept.find(2019, 1).is_some(), "other years stay");
        let names: Vec<String> = fs::read_dir(site.path().join(".nianbao-cache/archives"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no temporary files left: {names:?}");

        kept.forget_other_years(&[2019]).unwrap();
        assert_eq!(kept.find(2018, 2), None, "a year the site no longer has");
        assert!(kept.find(2019, 1).is_some());
    }
}
