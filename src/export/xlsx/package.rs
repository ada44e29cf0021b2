//! The ZIP container of the template workbooks (`stats.xlsx`, `compare.xlsx`), written directly:
//! a handful of deflated entries with fixed headers. The ZIP library's writer costs, per file, a
//! compressor, a parse of every pre-compressed part it copies and its own bookkeeping, which was
//! half of a workbook's time. The bytes are exactly those the library writes (the test below
//! compares both on every kind of part): local headers without extra fields, entries dated
//! 1980-01-01 00:00, Unix permissions 0600, deflate level 1, no data descriptors.

use std::cell::RefCell;
use std::io::{self, Write};

use flate2::Compression;
use flate2::write::DeflateEncoder;

/// One deflated entry: its name, CRC-32, size and compressed bytes.
pub(super) struct Entry {
    name: String,
    crc: u32,
    size: u32,
    data: Vec<u8>,
}

impl Entry {
    /// `text` compressed as the entry `name`.
    pub(super) fn deflated(name: &str, text: &[u8]) -> io::Result<Entry> {
        Ok(Entry {
            name: name.to_string(),
            crc: crc32fast::hash(text),
            size: u32_of(text.len())?,
            data: deflate(text)?,
        })
    }
}

/// A workbook package being written: entries in order, then the central directory.
pub(super) struct Package {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

/// Version 2.0 (deflate) needed to extract; made by Unix (3) with the same version.
const VERSION: u16 = 20;
const MADE_BY: u16 = 3 << 8 | VERSION;
/// DOS date of 1980-01-01 (the time is 00:00, all zero bits).
const DOS_DATE: u16 = 1 << 5 | 1;
/// A regular file with permissions 0600, as the external attributes carry it.
const EXTERNAL: u32 = 0o100_600 << 16;

impl Package {
    /// An empty package with room for `capacity` bytes.
    pub(super) fn with_capacity(capacity: usize) -> Package {
        Package {
            out: Vec::with_capacity(capacity),
            central: Vec::with_capacity(1024),
            entries: 0,
        }
    }

    /// Compress `text` as the next entry, `name`.
    pub(super) fn add(&mut self, name: &str, text: &[u8]) -> io::Result<()> {
        self.add_entry(&Entry::deflated(name, text)?)
    }

    /// Append an entry compressed before.
    pub(super) fn add_entry(&mut self, entry: &Entry) -> io::Result<()> {
        let offset = u32_of(self.out.len())?;
        let compressed = u32_of(entry.data.len())?;
        let name_len = u16::try_from(entry.name.len()).map_err(io::Error::other)?;
        // Bit 11: the name is UTF-8.
        let flags: u16 = if entry.name.is_ascii() { 0 } else { 1 << 11 };
        let fixed = |out: &mut Vec<u8>| {
            for half in [flags, 8, 0, DOS_DATE] {
                out.extend_from_slice(&half.to_le_bytes());
            }
            for word in [entry.crc, compressed, entry.size] {
                out.extend_from_slice(&word.to_le_bytes());
            }
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
        };
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&VERSION.to_le_bytes());
        fixed(&mut self.out);
        self.out.extend_from_slice(entry.name.as_bytes());
        self.out.extend_from_slice(&entry.data);

        self.central
            .extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&MADE_BY.to_le_bytes());
        self.central.extend_from_slice(&VERSION.to_le_bytes());
        fixed(&mut self.central);
        // Comment length, disk number, internal attributes.
        self.central.extend_from_slice(&[0; 6]);
        self.central.extend_from_slice(&EXTERNAL.to_le_bytes());
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(entry.name.as_bytes());
        self.entries = self.entries.checked_add(1).ok_or_else(too_large)?;
        Ok(())
    }

    /// The package's bytes: the entries, the central directory and its end record.
    pub(super) fn finish(mut self) -> io::Result<Vec<u8>> {
        let start = u32_of(self.out.len())?;
        let size = u32_of(self.central.len())?;
        self.out.extend_from_slice(&self.central);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&[0; 4]);
        for count in [self.entries, self.entries] {
            self.out.extend_from_slice(&count.to_le_bytes());
        }
        for word in [size, start] {
            self.out.extend_from_slice(&word.to_le_bytes());
        }
        self.out.extend_from_slice(&0u16.to_le_bytes());
        Ok(self.out)
    }
}

/// Deflate `text` at level 1 with this thread's compressor, fed as the ZIP library feeds it (one
/// `write_all`): deflate's output depends on how its input is handed over.
fn deflate(text: &[u8]) -> io::Result<Vec<u8>> {
    thread_local! {
        static ENCODER: RefCell<Option<DeflateEncoder<Vec<u8>>>> = const { RefCell::new(None) };
    }
    ENCODER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let encoder = match slot.as_mut() {
            Some(encoder) => {
                encoder.reset(Vec::with_capacity(text.len() / 3))?;
                encoder
            }
            None => slot.insert(DeflateEncoder::new(
                Vec::with_capacity(text.len() / 3),
                Compression::new(1),
            )),
        };
        encoder.write_all(text)?;
        encoder.try_finish()?;
        Ok(std::mem::take(encoder.get_mut()))
    })
}

fn u32_of(len: usize) -> io::Result<u32> {
    u32::try_from(len).map_err(|_| too_large())
}

fn too_large() -> io::Error {
    io::Error::other("工作簿过大，超出 ZIP 格式的限制")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the ZIP library writes for the same entries with the workbooks' former options.
    fn with_zip_crate(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .unix_permissions(0o600)
            .last_modified_time(zip::DateTime::default());
        let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for (name, text) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(text).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_package_is_byte_for_byte_what_the_zip_library_writes() {
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let words = [
            "<row r=\"",
            "\"><c t=\"s\"><v>",
            "</v></c>",
            "统计表",
            "华容县",
            "\n",
        ];
        for round in 0..12 {
            let entries: Vec<(&str, Vec<u8>)> = [
                "[Content_Types].xml",
                "xl/worksheets/sheet1.xml",
                "xl/styles.xml",
                "docProps/核心.xml",
            ]
            .iter()
            .map(|name| {
                // Empty, small and large (several of the compressor's buffers) entries.
                let len = match round % 3 {
                    0 => next(3),
                    1 => next(2_000),
                    _ => 200_000 + next(100_000),
                };
                let mut text = Vec::new();
                while (text.len() as u64) < len {
                    text.extend_from_slice(words[next(words.len() as u64) as usize].as_bytes());
                    text.extend_from_slice(next(100_000).to_string().as_bytes());
                }
                (*name, text)
            })
            .collect();
            let mut package = Package::with_capacity(0);
            for (i, (name, text)) in entries.iter().enumerate() {
                if i % 2 == 0 {
                    package.add(name, text).unwrap();
                } else {
                    package
                        .add_entry(&Entry::deflated(name, text).unwrap())
                        .unwrap();
                }
            }
            assert_eq!(
                package.finish().unwrap(),
                with_zip_crate(&entries),
                "round {round}"
            );
        }
    }
}
