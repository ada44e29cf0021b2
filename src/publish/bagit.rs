//! A BagIt 1.0 bag (RFC 8493) around a year's archive files (`nianbao archive <year> --format
//! bagit`): the payload under `data/`, `bagit.txt`, `bag-info.txt`, `manifest-sha256.txt` and
//! `tagmanifest-sha256.txt`, every tag file UTF-8 with LF line ends, manifests in path order.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// The payload directory of a bag.
pub const DATA: &str = "data";

/// `bag-info.txt`: its labels and values, in this order (a value is one line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BagInfo(pub Vec<(String, String)>);

/// Complete the bag at `dir`, whose payload is already under `dir/data/` (files only, no
/// subfolders): write its manifests and tag files. Returns the payload's bytes and files
/// (`Payload-Oxum`).
pub fn finish(dir: &Path, info: &BagInfo) -> io::Result<(u64, usize)> {
    let mut names: Vec<String> = Vec::new();
    for entry in fs::read_dir(dir.join(DATA))? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            return Err(io::Error::other(format!(
                "{} 不是文件",
                entry.path().display()
            )));
        }
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    let mut manifest = String::new();
    let (mut bytes, files) = (0u64, names.len());
    for name in &names {
        let path = dir.join(DATA).join(name);
        bytes += fs::metadata(&path)?.len();
        manifest.push_str(&format!(
            "{}  {DATA}/{}\n",
            sha256_of(&path)?,
            encode_path(name)
        ));
    }
    fs::write(dir.join("manifest-sha256.txt"), &manifest)?;
    fs::write(
        dir.join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )?;
    let mut text = String::new();
    for (label, value) in &info.0 {
        text.push_str(&format!("{label}: {}\n", value.replace(['\r', '\n'], " ")));
    }
    text.push_str(&format!("Payload-Oxum: {bytes}.{files}\n"));
    fs::write(dir.join("bag-info.txt"), text)?;
    let mut tags = String::new();
    for name in ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"] {
        tags.push_str(&format!("{}  {name}\n", sha256_of(&dir.join(name))?));
    }
    fs::write(dir.join("tagmanifest-sha256.txt"), tags)?;
    Ok((bytes, files))
}

/// The lowercase hex SHA-256 of the file at `path`.
pub fn sha256_of(path: &Path) -> io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A file path as a manifest line writes it: CR, LF and `%` percent-encoded (RFC 8493 2.1.3).
fn encode_path(name: &str) -> String {
    name.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bag_lists_its_payload_and_tag_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(DATA)).unwrap();
        fs::write(dir.path().join("data/b.txt"), "abc").unwrap();
        fs::write(dir.path().join("data/a.txt"), "").unwrap();
        let info = BagInfo(vec![(
            "Source-Organization".into(),
            "华容县\n人民政府".into(),
        )]);
        assert_eq!(finish(dir.path(), &info).unwrap(), (3, 2));
        let manifest = fs::read_to_string(dir.path().join("manifest-sha256.txt")).unwrap();
        assert_eq!(
            manifest,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  data/a.txt\n\
             ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  data/b.txt\n"
        );
        let info = fs::read_to_string(dir.path().join("bag-info.txt")).unwrap();
        assert_eq!(
            info,
            "Source-Organization: 华容县 人民政府\nPayload-Oxum: 3.2\n"
        );
        let tags = fs::read_to_string(dir.path().join("tagmanifest-sha256.txt")).unwrap();
        let listed: Vec<&str> = tags.lines().map(|l| &l[66..]).collect();
        assert_eq!(listed, ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"]);
        for line in tags.lines() {
            let (hash, name) = line.split_once("  ").unwrap();
            assert_eq!(hash, sha256_of(&dir.path().join(name)).unwrap());
        }
    }

    #[test]
    fn a_folder_in_the_payload_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("data/sub")).unwrap();
        assert!(finish(dir.path(), &BagInfo::default()).is_err());
    }

    #[test]
    fn manifest_paths_encode_line_ends_and_percent() {
        assert_eq!(encode_path("a%b\nc\r"), "a%25b%0Ac%0D");
    }
}
