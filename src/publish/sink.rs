//! The one place where a planned file's [`Content`] becomes writes. A build, `serve` and the year
//! archives differ only in where the bytes go (the staging tree, memory, a ZIP entry), so each is a
//! [`Sink`] and [`put`] decides, once, what every kind of content means: rendered bytes are
//! written, copies are read from their source, county-wide files are streamed, archives are
//! written by the sink's own rule.

use std::io::{self, Write};
use std::path::Path;

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
    matches!(target, Target::Year(..))
}
