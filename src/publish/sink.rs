//! The one place where a planned file's [`Content`] becomes writes. A build, `serve` and the year
//! archives differ only in where the bytes go (the staging tree, memory, a ZIP entry), so each is a
//! [`Sink`] and [`put`] decides, once, what every kind of content means: rendered bytes are
//! written, copies are read from their source, county-wide files are streamed, archives are
//! written by the sink's own rule.

use std::io::{self, Write};
use std::path::Path;

use super::archive::Ahead;
use super::staging::{OutputError, Staging};
use crate::export::data;
use crate::plan::{Content, Target};
use crate::site::Site;
use crate::theme::Theme;

/// Where planned files are written.
pub(crate) trait Sink {
    /// What goes wrong while writing.
    type Error;

    /// Write `bytes` as the file at `path`.
    fn bytes(&mut self, path: &str, bytes: &[u8]) -> Result<(), Self::Error>;

    /// Copy the file at `source` (an attachment, a theme file) to `path`.
    fn copy(&mut self, path: &str, source: &Path) -> Result<(), Self::Error>;

    /// Write the file at `path` by streaming it through `fill`: the county-wide files are too
    /// large to hold in memory for a province.
    fn stream(
        &mut self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Self::Error>;

    /// Write `all.csv` (or `all.json`) of `site` at `path`.
    fn county_file(&mut self, site: &Site, path: &str, json: bool) -> Result<(), Self::Error> {
        self.stream(path, &mut |w| data::write_county_file(site, json, w))
    }

    /// Write the archive of `year` at `path`.
    fn archive(
        &mut self,
        site: &Site,
        theme: &Theme,
        path: &str,
        year: u16,
    ) -> Result<(), Self::Error>;
}

/// Write one planned file's content into `sink`.
pub(crate) fn put<S: Sink>(
    sink: &mut S,
    site: &Site,
    theme: &Theme,
    path: &str,
    content: Content,
) -> Result<(), S::Error> {
    match content {
        Content::Bytes(bytes) => sink.bytes(path, &bytes),
        Content::Embedded(bytes) => sink.bytes(path, bytes),
        Content::Copy(source) => sink.copy(path, &source),
        Content::CountyFile { json } => sink.county_file(site, path, json),
        Content::Archive(year) => sink.archive(site, theme, path, year),
    }
}

/// Whether a file must be written after the year archives: a year page shows the size of its
/// year's archive. Build and `serve` both order their writes by it.
pub(crate) fn after_archives(target: &Target) -> bool {
    matches!(target, Target::Year(_))
}

/// A build's sink: the staging tree, with each year's slice of the county-wide files compressed
/// on the way for its archive.
pub(crate) struct Staged<'a> {
    /// The staging tree.
    pub(crate) staging: &'a Staging,
    /// Archive entries compressed ahead.
    pub(crate) ahead: &'a Ahead,
}

impl Sink for Staged<'_> {
    type Error = OutputError;

    fn bytes(&mut self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.staging.write(path, bytes)
    }

    fn copy(&mut self, path: &str, source: &Path) -> Result<(), OutputError> {
        self.staging.copy(path, source)
    }

    fn stream(
        &mut self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        self.staging.write_stream(path, |w| fill(w))
    }

    fn county_file(&mut self, site: &Site, path: &str, json: bool) -> Result<(), OutputError> {
        let ahead = self.ahead;
        self.staging.write_stream(path, |w| {
            data::write_county_file_split(site, json, w, &mut |year| {
                Ok(ahead
                    .writer(year, path)?
                    .map(|w| Box::new(w) as Box<dyn Write>))
            })
        })
    }

    /// Archives are written after every other file ([`after_archives`] is the other half of
    /// that order): they copy the data files just written.
    fn archive(&mut self, _: &Site, _: &Theme, _: &str, _: u16) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A sink that keeps one file's bytes in memory (`serve`'s small rebuilds).
#[derive(Debug, Default)]
pub(crate) struct InMemory {
    /// The bytes written.
    pub(crate) bytes: Vec<u8>,
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

impl Sink for InMemory {
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
        Ok(fill(&mut self.bytes)?)
    }

    fn archive(
        &mut self,
        site: &Site,
        theme: &Theme,
        _: &str,
        year: u16,
    ) -> Result<(), MemoryError> {
        let mut zip = io::Cursor::new(std::mem::take(&mut self.bytes));
        super::archive::write_year(site, theme, year, &mut zip)?;
        self.bytes = zip.into_inner();
        Ok(())
    }
}
