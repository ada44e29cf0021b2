//! Writing into a tree that is being served while it changes (`serve`'s preview): every file goes
//! through a temporary file and a rename, so a browser never receives half a file, and a file no
//! longer planned leaves no empty folders behind.

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::sink::Sink;
use crate::site::Site;
use crate::theme::Theme;

/// Write `bytes` as `rel` under `out`.
pub(crate) fn write(out: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = out.join(rel);
    let parent = path.parent().unwrap_or(out);
    fs::create_dir_all(parent)?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
    tmp.write_all(bytes)?;
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// Write `bytes` as `rel` under `out`, straight into place when no file is there yet. For serve's
/// completion pass, which writes files no browser has been given yet (a request for one waits
/// until the pass ends): a temporary file and a rename per file cost more than the writing itself
/// on a slow disk. An existing file is replaced through [`write`].
pub(crate) fn write_new(out: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = out.join(rel);
    fs::create_dir_all(path.parent().unwrap_or(out))?;
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut file) => file.write_all(bytes),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => write(out, rel, bytes),
        Err(e) => Err(e),
    }
}

/// Stream `rel` under `out` through `fill`, which returns the hash of what it wrote; the file is
/// replaced only when that hash differs from `known` (or the file is missing). Returns the new
/// hash when it was replaced.
pub(crate) fn stream(
    out: &Path,
    rel: &str,
    known: Option<u64>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<u64>,
) -> io::Result<Option<u64>> {
    let path = out.join(rel);
    let parent = path.parent().unwrap_or(out);
    fs::create_dir_all(parent)?;
    let tmp = tempfile::NamedTempFile::new_in(parent)?;
    let mut w = io::BufWriter::with_capacity(1 << 20, tmp.as_file());
    let hash = fill(&mut w)?;
    w.flush()?;
    drop(w);
    if known == Some(hash) && path.is_file() {
        return Ok(None);
    }
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(Some(hash))
}

/// Remove `rel` under `out`, and the folders it leaves empty (never `out` itself).
pub(crate) fn remove(out: &Path, rel: &str) {
    let path = out.join(rel);
    let _ = fs::remove_file(&path);
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// A sink that keeps one file's bytes in memory (`serve`'s small rebuilds).
#[derive(Debug, Default)]
pub(crate) struct InMemory<'a> {
    /// The bytes written.
    pub(crate) bytes: Vec<u8>,
    /// Once one of these is raised, a file being streamed or a year archive being written gives
    /// up at its next write (serve stopping, or a save pre-empting serve's background pass: a
    /// year archive of a large site takes seconds).
    pub(crate) abandon: &'a [&'a AtomicBool],
}

/// A writer that fails once one of `flags` is raised, and from then on takes and drops what it
/// is given: the zip writer, dropped after the failure, finishes its archive into nothing
/// instead of complaining on stderr. Once abandoned it also answers seeks with a position that
/// never goes back (the highest reached, plus what it dropped since): the zip writer checks that
/// an entry ends after it starts (`file_end >= self.stats.start`), and a failure between its seek
/// back to a header and its seek forward again would otherwise leave the position behind — a
/// panic in serve's background pass.
struct Abandoning<'a, W> {
    inner: W,
    flags: &'a [&'a AtomicBool],
    abandoned: bool,
    /// The position as last seen (seeks' answers, plus bytes written since).
    position: u64,
    /// The highest position seen.
    high: u64,
}

impl<'a, W> Abandoning<'a, W> {
    fn new(inner: W, flags: &'a [&'a AtomicBool]) -> Self {
        Abandoning {
            inner,
            flags,
            abandoned: false,
            position: 0,
            high: 0,
        }
    }

    fn moved_to(&mut self, position: u64) {
        self.position = position;
        self.high = self.high.max(position);
    }
}

impl<W: Write> Write for Abandoning<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.abandoned {
            self.moved_to(self.position.max(self.high) + buf.len() as u64);
            return Ok(buf.len());
        }
        if self.flags.iter().any(|f| f.load(Ordering::Relaxed)) {
            self.abandoned = true;
            self.position = self.high;
            return Err(io::Error::other("abandoned"));
        }
        let written = self.inner.write(buf)?;
        self.moved_to(self.position + written as u64);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.abandoned {
            return Ok(());
        }
        self.inner.flush()
    }
}

impl<W: io::Seek> io::Seek for Abandoning<'_, W> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        if self.abandoned {
            // Nothing is written any more: stay at the highest position.
            self.position = self.high;
            return Ok(self.high);
        }
        let at = self.inner.seek(pos)?;
        self.moved_to(at);
        Ok(at)
    }
}

/// Why [`InMemory`] could not take a file.
#[derive(Debug, thiserror::Error)]
pub(crate) enum MemoryError {
    /// Reading a copied file failed.
    #[error("无法读取要复制的文件：{0}")]
    Read(io::Error),
    /// Streaming a file failed.
    #[error("{0}")]
    Write(#[from] io::Error),
    /// The archive could not be written.
    #[error(transparent)]
    Archive(#[from] super::archive::ArchiveError),
}

impl MemoryError {
    /// The diagnostic's code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            MemoryError::Read(_) => "output.read",
            MemoryError::Write(_) => "output.write",
            MemoryError::Archive(_) => "output.archive",
        }
    }
}

impl Sink for InMemory<'_> {
    type Error = MemoryError;

    fn bytes(&mut self, _: &str, bytes: &[u8]) -> Result<(), MemoryError> {
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }

    fn copy(&mut self, _: &str, source: &Path) -> Result<(), MemoryError> {
        self.bytes = std::fs::read(source).map_err(MemoryError::Read)?;
        Ok(())
    }

    fn stream(
        &mut self,
        _: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), MemoryError> {
        let mut w = Abandoning::new(&mut self.bytes, self.abandon);
        Ok(fill(&mut w)?)
    }

    fn archive(
        &mut self,
        site: &Site,
        theme: &Theme,
        _: &str,
        year: u16,
    ) -> Result<(), MemoryError> {
        let mut zip = Abandoning::new(
            io::Cursor::new(std::mem::take(&mut self.bytes)),
            self.abandon,
        );
        super::archive::write_year(site, theme, year, &mut zip)?;
        self.bytes = zip.inner.into_inner();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cursor that raises `flag` after `after` writes: pre-emption landing at any point of
    /// an archive (a local header, an entry's data, a seek back, the central directory).
    struct RaisingAfter<'a> {
        cursor: io::Cursor<Vec<u8>>,
        after: usize,
        flag: &'a AtomicBool,
    }

    impl Write for RaisingAfter<'_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.after == 0 {
                self.flag.store(true, Ordering::Relaxed);
            }
            self.after = self.after.saturating_sub(1);
            self.cursor.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl io::Seek for RaisingAfter<'_> {
        fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
            self.cursor.seek(pos)
        }
    }

    fn archive(sink: &mut Abandoning<'_, RaisingAfter<'_>>) -> zip::result::ZipResult<()> {
        let mut zip = zip::ZipWriter::new(sink);
        for (i, method) in [
            zip::CompressionMethod::Deflated,
            zip::CompressionMethod::Stored,
        ]
        .into_iter()
        .cycle()
        .take(6)
        .enumerate()
        {
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            zip.start_file(format!("{i}.html"), options)?;
            for k in 0..20u8 {
                zip.write_all(&vec![b'a' + k; 700 + 97 * usize::from(k)])?;
            }
        }
        zip.finish()?;
        Ok(())
    }

    /// An archive given up at any of its writes is dropped without a panic, whatever the zip
    /// writer does on drop (it finishes the entry and writes the central directory).
    #[test]
    fn an_archive_abandoned_at_any_write_drops_quietly() {
        let mut abandoned = 0;
        for after in 0..400 {
            let flag = AtomicBool::new(false);
            let flags = [&flag];
            let inner = RaisingAfter {
                cursor: io::Cursor::new(Vec::new()),
                after,
                flag: &flag,
            };
            let mut sink = Abandoning::new(inner, &flags);
            if archive(&mut sink).is_err() {
                abandoned += 1;
            }
        }
        assert!(abandoned > 50, "pre-emption hit {abandoned} archives");
    }
}
