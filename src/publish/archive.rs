//! Year archives (`/archive/<year>.zip`, `nianbao archive <year>`): the year's report pages and
//! their data files and attachments as the live site publishes them, byte for byte (a report
//! page's links that leave the year are absolute URLs to the live site: `Shared::insert_leaving`
//! in `render::pages`), with the year's figures, the format dictionaries and the theme's static
//! files, and two kinds of pages of the archive's own: its home page (`index.html` at the root,
//! the year's reports and townships) and the year's list pages, which link the live site for
//! everything outside the year. Opened from disk after unpacking, every file of the year works;
//! townships, other years, the county's figures, oversight and search are on the live site.
//!
//! The ZIP is reproducible: entries in path order, every entry dated with the newest 公开日期 of
//! the year's reports (00:00, the DOS timestamp has no zone; 1980-01-01 when there is none), no
//! extra fields, permissions 0644, deflate at a fixed level 1 (already compressed files stored).
//! Names are UTF-8 with the language-encoding flag (bit 11) set for non-ASCII names, which
//! Windows Explorer (since Windows 10 1903), macOS and Info-ZIP read as Chinese.

use std::fs;
use std::io::{self, Seek, Write};

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use rayon::prelude::*;
use thiserror::Error;
use zip::write::{PreparedZipFile, SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::sink::{self, Sink};
use super::staging::{OutputError, Staging};
use crate::diagnostics::Diagnostic;
use crate::plan::{Content, PlannedFile, plan};
use crate::produce::Producer;
use crate::site::Site;
use crate::theme::Theme;

/// Why an archive could not be written.
#[derive(Debug, Error)]
pub enum ArchiveError {
    /// A page could not be rendered.
    #[error("{0}")]
    Render(Box<Diagnostic>),
    /// Reading a copied file or writing the archive failed.
    #[error("写入压缩包失败：{0}")]
    Io(#[from] io::Error),
    /// The ZIP library refused an entry.
    #[error("写入压缩包失败：{0}")]
    Zip(#[from] zip::result::ZipError),
    /// A file to be copied into the archive (an attachment) could not be read.
    #[error("读取 {path} 失败：{source}")]
    Read {
        /// The source file.
        path: String,
        /// The error.
        source: io::Error,
    },
}

/// Files rendered in parallel before they are written (in order) into the archive: enough to
/// keep both cores busy, few enough to keep memory small.
const CHUNK: usize = 64;

/// Deflate level, fixed so that output does not depend on a library default. Level 1 rather than
/// zlib's default 6: on generated HTML it makes archives about 20% larger (4.4 MB instead of
/// 3.6 MB for 100 reports) but costs a third less CPU, and compression is most of an archive's
/// cost.
const LEVEL: i64 = 1;

/// One file of a year archive.
#[derive(Debug, Clone)]
pub struct ArchiveFile {
    /// The file; a live file's target indexes the whole site, an own page's the year's site
    /// ([`Site::restricted_to_year`]).
    pub file: PlannedFile,
    /// Whether it is the live site's file (else a page of the archive's own).
    pub live: bool,
}

/// The files of the archive of `year` of `site`, in the order they are stored: the live site's
/// files of that year (report pages, their data files and attachments, the year's figures), the
/// format dictionaries and static files, and the archive's own home page and year list pages.
pub fn archive_plan(site: &Site, theme: &Theme, year: u16) -> Vec<ArchiveFile> {
    let year_site = site.restricted_to_year(year);
    archive_files(site, &plan(site, theme), &year_site, theme, year)
}

/// [`archive_plan`] from the plan of the whole site and the year's site.
fn archive_files(
    site: &Site,
    live_plan: &[PlannedFile],
    year_site: &Site,
    theme: &Theme,
    year: u16,
) -> Vec<ArchiveFile> {
    use crate::plan::Target;
    let of_year = |i: usize| site.reports.get(i).is_some_and(|r| r.year == year);
    let live = live_plan
        .iter()
        .filter(|f| match f.target {
            Target::Report(i) | Target::ReportData(i, _) | Target::Attachment(i, _) => of_year(i),
            Target::YearFigures(y, _) => y == year,
            Target::FormatDictionary(_) | Target::Static(_) => true,
            _ => false,
        })
        .cloned();
    let own = plan(year_site, theme)
        .into_iter()
        .filter(|f| matches!(f.target, Target::Home | Target::Year(..)));
    let mut files: Vec<ArchiveFile> = live
        .map(|file| ArchiveFile { file, live: true })
        .chain(own.map(|file| ArchiveFile { file, live: false }))
        .collect();
    files.sort_unstable_by(|a, b| a.file.path.cmp(&b.file.path));
    files
}

/// Write the offline archive of `year` to the file at `path`, replacing it only when complete;
/// returns its size.
pub(crate) fn write_file(
    site: &Site,
    theme: &Theme,
    year: u16,
    path: &std::path::Path,
) -> Result<u64, ArchiveError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    let size = write_year(site, theme, year, PatchWriter::new(tmp.as_file_mut())?)?;
    // A temporary file is private (0600); the archive is meant to be handed on.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(size)
}

/// A file an archive takes instead of producing it.
pub(crate) enum Ready {
    /// An identical file on disk (a file the build has just written).
    Copy(std::path::PathBuf),
    /// The entry compressed ahead ([`Ahead`]).
    Compressed(PreparedZipFile),
}

/// Where an archive may take a file instead of rendering it: a build passes the files it has
/// just written and the entries it compressed ahead. `None` renders.
pub(crate) type Reuse<'a> = &'a (dyn Fn(&ArchiveFile) -> Option<Ready> + Sync);

/// Archive entries compressed while the live site is rendered, by year and path: the report
/// pages, whose live bytes the archive takes. Writing them out and
/// reading them back cost more than compressing them; compressed they are small enough to keep
/// until their archive is written.
pub(crate) struct Ahead {
    /// The years whose archive will be written, with the time of their entries.
    times: BTreeMap<u16, DateTime>,
    /// Compressed bytes held at most; an entry beyond it is dropped, and its archive copies
    /// the live file (the same bytes, read back).
    budget: u64,
    entries: Mutex<Held>,
}

/// The entries of [`Ahead`] and their compressed size.
#[derive(Default)]
struct Held {
    entries: HashMap<(u16, String), PreparedZipFile>,
    bytes: u64,
}

/// What [`Ahead`] holds at most in a build: 20,000 reports compress to 296 MiB, held whole
/// (a 20,000-report build peaks at about 935 MiB), and the whole build must stay under 1 GiB.
/// Beyond it, pages are read back from the live output for their archive.
pub(crate) const AHEAD_BUDGET: u64 = 320 << 20;

impl Ahead {
    /// Entries for the archives of `years` of `site`, holding at most `budget` bytes.
    pub(crate) fn new(site: &Site, years: impl IntoIterator<Item = u16>, budget: u64) -> Ahead {
        let times = years
            .into_iter()
            .map(|y| (y, newest_date(site.reports_of_year(y))))
            .collect();
        Ahead {
            times,
            budget,
            entries: Mutex::default(),
        }
    }

    /// Compress `bytes` as the entry `path` of the archive of `year`, if it will be written.
    pub(crate) fn add(&self, year: u16, path: &str, bytes: &[u8]) -> io::Result<()> {
        let Some(&time) = self.times.get(&year) else {
            return Ok(());
        };
        let mut builder = ZipFileBuilder::new(path, options(path, time, bytes.len() as u64))
            .map_err(io::Error::other)?;
        write_slices(&mut builder, bytes)?;
        let prepared = builder.finish().map_err(io::Error::other)?;
        self.keep((year, path.to_string()), prepared);
        Ok(())
    }

    /// Entries held and their compressed bytes (for `NIANBAO_PROFILE`).
    pub(crate) fn held(&self) -> (usize, u64) {
        self.entries
            .lock()
            .map_or((0, 0), |h| (h.entries.len(), h.bytes))
    }

    /// The entry `path` of the archive of `year`, taken out.
    pub(crate) fn take(&self, year: u16, path: &str) -> Option<PreparedZipFile> {
        let mut held = self.entries.lock().ok()?;
        let entry = held.entries.remove(&(year, path.to_string()))?;
        held.bytes -= entry.compressed_size();
        Some(entry)
    }

    /// Keep `entry` if the budget allows.
    fn keep(&self, key: (u16, String), entry: PreparedZipFile) {
        if let Ok(mut held) = self.entries.lock()
            && held.bytes + entry.compressed_size() <= self.budget
        {
            held.bytes += entry.compressed_size();
            held.entries.insert(key, entry);
        }
    }
}

/// A build's sink: the staging tree; the year archives are written after it, from what it holds
/// and what was compressed [`Ahead`].
pub(crate) struct Staged<'a> {
    /// The staging tree.
    pub(crate) staging: &'a Staging,
}

impl Sink for Staged<'_> {
    type Error = OutputError;

    fn bytes(&mut self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.staging.write(path, bytes)
    }

    fn copy(&mut self, path: &str, source: &std::path::Path) -> Result<(), OutputError> {
        self.staging.copy(path, source)
    }

    fn stream(
        &mut self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        self.staging.write_stream(path, |w| fill(w))
    }

    /// Archives are written after every other file ([`sink::after_archives`] is the other half of
    /// that order): they copy the data files just written.
    fn archive(&mut self, _: &Site, _: &Theme, _: &str, _: u16) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Produce `file` for a build: a report or township page comes with its embed, made from the
/// same context.
pub(crate) fn produce_with_embed(
    producer: &Producer<'_>,
    file: &PlannedFile,
) -> Result<(Content, Extra), Diagnostic> {
    use crate::plan::Target;
    let set = match file.target {
        Target::Report(i) => producer.report_set(file, i)?,
        Target::Township(i) => producer.township_set(file, i)?,
        _ => return Ok((producer.produce(file)?, Extra::default())),
    };
    Ok((
        Content::Bytes(set.live),
        Extra {
            embed: Some(set.embed),
        },
    ))
}

/// What a build makes beside a planned file: a report's or township's embed (whose own planned
/// file the build then skips).
#[derive(Default)]
pub(crate) struct Extra {
    /// The embed: its path and bytes.
    pub(crate) embed: Option<(String, Vec<u8>)>,
}

/// What a build's archive of `year` takes instead of producing `file`: the entry compressed
/// [`Ahead`] (a report page) or the live file just written under `live` (a report page beyond
/// the budget, data files, the year's figures). `None` for the archive's own pages and the files
/// that cost nothing to produce (attachments are copied from the sources, static files and
/// format dictionaries are at hand).
pub(crate) fn ready(
    ahead: &Ahead,
    year: u16,
    file: &ArchiveFile,
    live: &std::path::Path,
) -> Option<Ready> {
    use crate::plan::Target;
    if !file.live {
        return None;
    }
    let path = &file.file.path;
    match file.file.target {
        Target::Report(_) => Some(
            ahead
                .take(year, path)
                .map_or_else(|| Ready::Copy(live.join(path)), Ready::Compressed),
        ),
        Target::ReportData(..) | Target::YearFigures(..) => Some(Ready::Copy(live.join(path))),
        _ => None,
    }
}

/// Write the offline archive of `year` of `site` to `out`; returns the number of bytes written.
pub fn write_year<W: Write + Seek>(
    site: &Site,
    theme: &Theme,
    year: u16,
    out: W,
) -> Result<u64, ArchiveError> {
    write_year_reusing(site, theme, &plan(site, theme), year, out, &|_| None)
}

/// [`write_year`] given the plan of the whole site, taking the files for which `reuse` has them
/// ready.
pub(crate) fn write_year_reusing<W: Write + Seek>(
    site: &Site,
    theme: &Theme,
    live_plan: &[PlannedFile],
    year: u16,
    out: W,
    reuse: Reuse<'_>,
) -> Result<u64, ArchiveError> {
    let year_site = site.restricted_to_year(year);
    let files = archive_files(site, live_plan, &year_site, theme, year);
    let live = Producer::new(site, theme);
    let own = Producer::new(&year_site, theme);
    let time = timestamp(&year_site);
    let mut zip = ZipWriter::new(out);
    for chunk in files.chunks(CHUNK) {
        let rendered: Vec<Result<Result<Content, PreparedZipFile>, Diagnostic>> = chunk
            .par_iter()
            .map(|f| match reuse(f) {
                Some(Ready::Copy(path)) => Ok(Ok(Content::Copy(path))),
                Some(Ready::Compressed(entry)) => Ok(Err(entry)),
                None if f.live => live.produce(&f.file).map(Ok),
                None => own.produce(&f.file).map(Ok),
            })
            .collect();
        for (f, content) in chunk.iter().zip(rendered) {
            match content.map_err(|d| ArchiveError::Render(Box::new(d)))? {
                Ok(content) => {
                    let mut entries = Entries {
                        zip: &mut zip,
                        time,
                    };
                    sink::put(&mut entries, site, theme, &f.file.path, content)?
                }
                Err(entry) => zip.add_prepared_file(entry)?,
            }
        }
    }
    let mut out = zip.finish()?;
    out.flush()?;
    Ok(out.stream_position()?)
}

/// The entries of one archive being written.
struct Entries<'z, W: Write + Seek> {
    zip: &'z mut ZipWriter<W>,
    time: DateTime,
}

impl<W: Write + Seek> Sink for Entries<'_, W> {
    type Error = ArchiveError;

    fn bytes(&mut self, path: &str, bytes: &[u8]) -> Result<(), ArchiveError> {
        self.zip
            .start_file(path, options(path, self.time, bytes.len() as u64))?;
        Ok(write_slices(self.zip, bytes)?)
    }

    fn copy(&mut self, path: &str, source: &std::path::Path) -> Result<(), ArchiveError> {
        let read = |e: io::Error| ArchiveError::Read {
            path: source.display().to_string(),
            source: e,
        };
        let mut file = fs::File::open(source).map_err(read)?;
        let len = file.metadata().map_err(read)?.len();
        self.zip.start_file(path, options(path, self.time, len))?;
        if len <= WHOLE {
            // Read at once and handed on in slices: no block buffer to allocate and fill.
            let mut bytes = Vec::with_capacity(len as usize);
            io::Read::read_to_end(&mut file, &mut bytes).map_err(read)?;
            return Ok(write_slices(self.zip, &bytes)?);
        }
        Ok(write_in_blocks(self.zip, &mut file)?)
    }

    fn stream(
        &mut self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), ArchiveError> {
        self.zip.start_file(path, options(path, self.time, 0))?;
        let mut blocks = Blocks::new(&mut *self.zip);
        fill(&mut blocks)?;
        blocks.finish()?;
        Ok(())
    }

    /// An archive plan has no archives.
    fn archive(&mut self, _: &Site, _: &Theme, _: &str, _: u16) -> Result<(), ArchiveError> {
        Ok(())
    }
}

/// Files copied into an archive up to this size are read whole rather than through a block.
const WHOLE: u64 = 16 << 20;

/// Hand `bytes` on as [`Blocks`] does, in writes of exactly [`BLOCK`] bytes (the last shorter),
/// without copying them into a block first: each archive entry would otherwise allocate and
/// zero a block of its own (70,000 entries at 10,000 reports).
fn write_slices(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    bytes
        .chunks(BLOCK)
        .try_for_each(|piece| out.write_all(piece))
}

/// Feed the compressor in blocks of a fixed size whatever the source: deflate's output depends on
/// how its input is split into writes, and a file must compress the same whether it was rendered,
/// copied or streamed.
fn write_in_blocks(out: &mut impl Write, source: &mut impl io::Read) -> io::Result<()> {
    let mut blocks = Blocks::new(out);
    blocks.read_from(source)?;
    blocks.finish().map(drop)
}

/// A writer that hands its output on in blocks of exactly [`BLOCK`] bytes (the last one
/// shorter, at [`Blocks::finish`]).
struct Blocks<W: Write> {
    out: W,
    block: Box<[u8]>,
    /// How much of `block` is filled.
    filled: usize,
}

impl<W: Write> Blocks<W> {
    fn new(out: W) -> Self {
        Blocks {
            out,
            block: vec![0; BLOCK].into_boxed_slice(),
            filled: 0,
        }
    }

    /// Hand on a full block.
    fn pass_on(&mut self) -> io::Result<()> {
        if self.filled == BLOCK {
            self.out.write_all(&self.block)?;
            self.filled = 0;
        }
        Ok(())
    }

    /// Everything `source` holds, read straight into the block (a file copied into an archive
    /// is read a block at a time, not in `io::copy`'s 8 KiB pieces).
    fn read_from(&mut self, source: &mut impl io::Read) -> io::Result<()> {
        loop {
            match source.read(&mut self.block[self.filled..]) {
                Ok(0) => return Ok(()),
                Ok(n) => {
                    self.filled += n;
                    self.pass_on()?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Write the last, partial block; returns the writer.
    fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&self.block[..self.filled])?;
        Ok(self.out)
    }
}

impl<W: Write> Write for Blocks<W> {
    fn write(&mut self, mut buf: &[u8]) -> io::Result<usize> {
        let written = buf.len();
        while !buf.is_empty() {
            let take = (BLOCK - self.filled).min(buf.len());
            self.block[self.filled..self.filled + take].copy_from_slice(&buf[..take]);
            self.filled += take;
            buf = &buf[take..];
            self.pass_on()?;
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A buffered writer for an archive file that keeps position queries and seeks within its buffer
/// to itself. The ZIP writer asks for its position and seeks back to patch a local header after
/// every entry; through a [`io::BufWriter`] each of those is a flush and two `lseek`s, three
/// system calls per entry (a 10,000-report build writes 63,000 entries).
pub(crate) struct PatchWriter<W: Write + Seek> {
    inner: W,
    /// Bytes from the file offset `base` on, not yet written to `inner`.
    buf: Vec<u8>,
    /// The file offset of `buf[0]`; `inner` is positioned there.
    base: u64,
    /// The position, relative to `base` (at most `buf.len()`).
    pos: usize,
}

/// The buffer of [`PatchWriter`]: flushed when full.
const PATCH_BUFFER: usize = 1 << 20;

impl<W: Write + Seek> PatchWriter<W> {
    /// A writer at the current position of `inner`.
    pub(crate) fn new(mut inner: W) -> io::Result<Self> {
        let base = inner.stream_position()?;
        Ok(PatchWriter {
            inner,
            buf: Vec::with_capacity(PATCH_BUFFER),
            base,
            pos: 0,
        })
    }

    /// Write out the buffer and leave `inner` at the current position.
    fn drain(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.inner.write_all(&self.buf)?;
        let end = self.buf.len();
        self.buf.clear();
        if self.pos != end {
            self.inner
                .seek(io::SeekFrom::Start(self.base + self.pos as u64))?;
        }
        self.base += self.pos as u64;
        self.pos = 0;
        Ok(())
    }
}

impl<W: Write + Seek> Write for PatchWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() && self.buf.len() + data.len() > PATCH_BUFFER {
            self.drain()?;
            if data.len() >= PATCH_BUFFER {
                let n = self.inner.write(data)?;
                self.base += n as u64;
                return Ok(n);
            }
        }
        // Overwrite what the buffer holds past the position (a patched header), then append.
        let over = (self.buf.len() - self.pos).min(data.len());
        self.buf[self.pos..self.pos + over].copy_from_slice(&data[..over]);
        self.buf.extend_from_slice(&data[over..]);
        self.pos += data.len();
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain()?;
        self.inner.flush()
    }
}

impl<W: Write + Seek> Drop for PatchWriter<W> {
    fn drop(&mut self) {
        // As `BufWriter` does; a caller that cares about the error flushes first.
        let _ = self.drain();
    }
}

impl<W: Write + Seek> Seek for PatchWriter<W> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        let here = self.base + self.pos as u64;
        let target = match to {
            io::SeekFrom::Start(t) => Some(t),
            io::SeekFrom::Current(d) => here.checked_add_signed(d),
            io::SeekFrom::End(_) => None,
        };
        match target {
            Some(t) if t >= self.base && t - self.base <= self.buf.len() as u64 => {
                self.pos = (t - self.base) as usize;
                Ok(t)
            }
            _ => {
                self.drain()?;
                self.base = self.inner.seek(to)?;
                Ok(self.base)
            }
        }
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.base + self.pos as u64)
    }
}

/// The block size of [`Blocks`].
const BLOCK: usize = 64 * 1024;

/// Entry options: fixed time and permissions; files that are already compressed are stored.
fn options(path: &str, time: DateTime, len: u64) -> SimpleFileOptions {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let compressed = matches!(
        extension.as_str(),
        "zip"
            | "xlsx"
            | "docx"
            | "pptx"
            | "ofd"
            | "pdf"
            | "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "gz"
            | "7z"
            | "rar"
            | "mp4"
    );
    let options = SimpleFileOptions::default()
        .last_modified_time(time)
        .unix_permissions(0o644)
        .large_file(len >= u64::from(u32::MAX));
    if compressed {
        options.compression_method(CompressionMethod::Stored)
    } else {
        options
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(LEVEL))
    }
}

/// The newest 公开日期 of the year's reports, at 00:00.
fn timestamp(year_site: &Site) -> DateTime {
    newest_date(year_site.reports.iter())
}

/// The newest 公开日期 of `reports` as a ZIP time (1980-01-01 when there is none).
fn newest_date<'a>(reports: impl Iterator<Item = &'a crate::site::Report>) -> DateTime {
    use chrono::Datelike;
    reports
        .filter_map(|r| r.meta.published)
        .max()
        .and_then(|d| {
            let year = u16::try_from(d.year()).ok()?;
            DateTime::from_date_and_time(year, d.month() as u8, d.day() as u8, 0, 0, 0).ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compress `source` into a one-entry archive, handing it on with `feed`.
    fn zipped(feed: impl FnOnce(&mut ZipWriter<io::Cursor<Vec<u8>>>)) -> Vec<u8> {
        let mut zip = ZipWriter::new(io::Cursor::new(Vec::new()));
        zip.start_file("all.json", options("all.json", DateTime::default(), 0))
            .unwrap();
        feed(&mut zip);
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_patch_writer_writes_what_a_cursor_holds() {
        // Writes of every size around the buffer's, seeks back into and before the buffer,
        // to the end and forward, flushes in between: the file must hold exactly what a cursor does.
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1du64);
        // One pattern to take every write from: a write is a slice of it.
        let pattern: Vec<u8> = (0..PATCH_BUFFER + 263).map(|i| i as u8).collect();
        let mut file = io::Cursor::new(Vec::new());
        let mut expected = io::Cursor::new(Vec::new());
        let mut large = 0;
        {
            let mut patched = PatchWriter::new(&mut file).unwrap();
            for step in 0..1500usize {
                // Large writes (past the buffer's size, written around it) are rarer.
                let len = [
                    0,
                    1,
                    30,
                    4096,
                    70_000,
                    30,
                    PATCH_BUFFER - 1,
                    PATCH_BUFFER + 7,
                ][next(if step % 8 == 0 { 8 } else { 6 }) as usize];
                let data = &pattern[step % 256..step % 256 + len];
                match next(6) {
                    5 => patched.flush().unwrap(),
                    0 => {
                        let end = expected.get_ref().len() as u64;
                        let to = io::SeekFrom::Start(next(end + 1));
                        assert_eq!(patched.seek(to).unwrap(), expected.seek(to).unwrap());
                    }
                    1 => {
                        let to = io::SeekFrom::End(0);
                        assert_eq!(patched.seek(to).unwrap(), expected.seek(to).unwrap());
                    }
                    _ => {
                        large += usize::from(len > PATCH_BUFFER);
                        patched.write_all(data).unwrap();
                        expected.write_all(data).unwrap();
                    }
                }
                assert_eq!(
                    patched.stream_position().unwrap(),
                    expected.stream_position().unwrap()
                );
            }
            patched.flush().unwrap();
        }
        assert!(expected.get_ref().len() > 2 * PATCH_BUFFER);
        assert!(large > 3, "writes larger than the buffer: {large}");
        assert_eq!(file.get_ref(), expected.get_ref());
    }

    #[test]
    fn entries_beyond_the_budget_are_left_to_the_archive() {
        let config =
            crate::config::Config::parse("title = \"t\"\nbase_url = \"https://a.cn/\"\n").unwrap();
        let site = Site::new(config, Vec::new(), Vec::new(), None, Default::default());
        let page = vec![b'x'; 10_000];
        let roomy = Ahead::new(&site, [2018], 1 << 20);
        roomy.add(2018, "2018/a/index.html", &page).unwrap();
        roomy.add(2019, "2019/a/index.html", &page).unwrap();
        assert_eq!(roomy.held().0, 1, "only years whose archive is written");
        assert!(roomy.take(2018, "2018/a/index.html").is_some());
        assert_eq!(roomy.held(), (0, 0));
        let tight = Ahead::new(&site, [2018], 10);
        tight.add(2018, "2018/a/index.html", &page).unwrap();
        assert!(tight.take(2018, "2018/a/index.html").is_none());
    }

    #[test]
    fn a_streamed_file_compresses_as_the_same_file_copied() {
        let source: Vec<u8> = (0..300_000u32)
            .flat_map(|i| format!("{{\"v\":{}}},", i % 977).into_bytes())
            .collect();
        // The contract: the compressor sees writes of exactly BLOCK bytes, the last shorter.
        let blocked = zipped(|zip| {
            for piece in source.chunks(BLOCK) {
                zip.write_all(piece).unwrap();
            }
        });
        // A copy reads in pieces of whatever size the reader gives.
        let copied = zipped(|zip| {
            write_in_blocks(
                zip,
                &mut io::BufReader::with_capacity(1000, source.as_slice()),
            )
            .unwrap()
        });
        let streamed = zipped(|zip| {
            let mut blocks = Blocks::new(zip);
            // Pieces of uneven sizes, as the county file's chunks are.
            for piece in source.chunks(12_345) {
                blocks.write_all(piece).unwrap();
            }
            blocks.finish().unwrap();
        });
        let unblocked = zipped(|zip| {
            for piece in source.chunks(12_345) {
                zip.write_all(piece).unwrap();
            }
        });
        let sliced = zipped(|zip| write_slices(zip, &source).unwrap());
        assert_eq!(copied, blocked);
        assert_eq!(sliced, blocked);
        assert_eq!(streamed, blocked);
        // The test would pass vacuously if the split did not matter to the compressor.
        assert_ne!(unblocked, blocked);
    }
}
