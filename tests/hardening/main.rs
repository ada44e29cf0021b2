//! Hardening (issue #7): a corpus of bad and hostile content beyond tests/bad_input.rs.
//!
//! Every case starts from a site that built, breaks it, builds again and checks:
//! - the exit code (1 for content errors; 0 when the input is accepted with a warning),
//! - no panic,
//! - each expected line fragment of stderr — written as `错误: <file>:<line>[:<col>]: [<field>] <message>`
//!   so one fragment asserts file, line, field and the Chinese message together,
//! - on failure: nothing on stdout, and the previous `public/` byte for byte as it was,
//! - `check` agrees with `build` on the exit code.
//!
//! Cases that are accepted also check what was published (no mojibake, no script, no leaked file).

#[path = "../common/mod.rs"]
mod common;

mod content;
mod faults;
mod limits;
mod security;
mod serve;
mod windows;

use std::path::Path;

use common::{Fixture, run_in, snapshot_tree};

pub const STATS: &str = "content/2018/alpha/stats.yaml";
pub const REPORT: &str = "content/2018/alpha/report.md";
pub const FOLDER: &str = "content/2018/alpha";

/// The outcome of one broken build.
pub struct Outcome {
    pub fixture: Fixture,
    pub stderr: String,
}

impl Outcome {
    /// The published file at `rel` under public/, as text.
    pub fn published(&self, rel: &str) -> String {
        let path = self.fixture.root().join("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Whether a file was published at `rel`.
    pub fn is_published(&self, rel: &str) -> bool {
        self.fixture.root().join("public").join(rel).exists()
    }

    /// Every published file's text, concatenated (binary files lossily).
    pub fn all_published(&self) -> String {
        snapshot_tree(&self.fixture.root().join("public"))
            .into_iter()
            .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Build the valid fixture, break it with `mutate`, build again; check the exit code, that
/// nothing panicked, every `expected` fragment of stderr, and — when the build fails — that the
/// previous output is untouched.
pub fn case(mutate: impl FnOnce(&Fixture), code: i32, expected: &[&str]) -> Outcome {
    let fixture = Fixture::new();
    let out = fixture.root().join("public");
    let (first, _, stderr) = run_in(fixture.root(), "build", &[]);
    assert_eq!(first, 0, "the fixture itself must build: {stderr}");
    let before = snapshot_tree(&out);
    mutate(&fixture);
    let (got, stdout, stderr) = run_in(fixture.root(), "build", &[]);
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    assert_eq!(got, code, "exit code; stderr:\n{stderr}");
    for fragment in expected {
        assert!(
            stderr.contains(fragment),
            "expected {fragment:?} in stderr:\n{stderr}"
        );
    }
    if code != 0 {
        assert!(stdout.is_empty(), "nothing on stdout: {stdout}");
        assert!(
            snapshot_tree(&out) == before,
            "the previous output must stay untouched"
        );
    }
    let (check, json, check_err) = run_in(fixture.root(), "check", &["--format", "json"]);
    if check != code {
        // `check` also follows every link of the rendered pages, which `build` does not: a
        // content that builds may still fail `check` — for broken links only.
        let report: serde_json::Value = serde_json::from_str(&json).expect("check's JSON");
        let errors: Vec<&str> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["severity"] == "error")
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert!(
            code == 0 && check == 1 && errors.iter().all(|c| c.starts_with("link.")),
            "check agrees with build (beyond broken links): {errors:?} {check_err}"
        );
    }
    Outcome { fixture, stderr }
}

/// Write `text` to `rel` encoded with `encoding` (no BOM).
pub fn write_encoded(f: &Fixture, rel: &str, text: &str, encoding: &'static encoding_rs::Encoding) {
    let bytes: Vec<u8> = if encoding == encoding_rs::UTF_16LE {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    } else if encoding == encoding_rs::UTF_16BE {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    } else {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "{rel} is representable in {}", encoding.name());
        bytes.into_owned()
    };
    f.write_bytes(rel, &bytes);
}

/// The text of a fixture file.
pub fn read(f: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(f.root().join(rel)).expect("fixture file")
}

/// Make `link` a symbolic link to `target`.
pub fn symlink(target: &Path, link: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link).expect("symlink");
}
