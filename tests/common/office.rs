//! The office tools the import tests make their documents with: LibreOffice Writer (HTML to
//! .docx or PDF), Chromium (HTML to PDF) and python-docx in the tests' venv. Each fails naming
//! what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::repo_root;

/// `html` converted by LibreOffice Writer to `filter` (`docx:MS Word 2007 XML`,
/// `pdf:writer_pdf_Export`) in `dir`; the file it made (`<stem>.<ext>`).
pub fn writer_convert(html: &Path, dir: &Path, filter: &str, ext: &str) -> PathBuf {
    let profile = format!("file://{}", dir.join("profile").display());
    let output = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--infilter=HTML (StarWriter)",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(dir)
        .arg(html)
        .env("HOME", dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("soffice does not start ({e}): install Debian's libreoffice-writer-nogui")
        });
    let made = dir
        .join(html.file_stem().expect("stem"))
        .with_extension(ext);
    assert!(
        made.is_file(),
        "soffice made no .{ext} (is Debian's libreoffice-writer-nogui installed?): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    made
}

/// `html` printed to `pdf` by headless Chromium, with its profile in `profile`.
pub fn chromium_pdf(html: &Path, pdf: &Path, profile: &Path) {
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap_or_else(|e| panic!("chromium does not start ({e}): install Debian's chromium"));
    assert!(
        pdf.is_file(),
        "chromium made no PDF: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The tests' venv Python, checked to have python-docx.
pub fn venv_python_with_docx() -> PathBuf {
    let python = repo_root().join("tests/.venv/bin/python");
    let ok = Command::new(&python)
        .args(["-c", "import docx"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "{} with python-docx is missing: run tests/run.sh (or `python3 -m venv tests/.venv && \
         tests/.venv/bin/pip install -r tests/requirements.txt`)",
        python.display()
    );
    python
}

/// The python-docx report of tests/fixtures/word/make_docx.py written to `docx` (`with_stats`:
/// with its statistics table).
pub fn python_docx_report(docx: &Path, with_stats: bool) {
    let mut command = Command::new(venv_python_with_docx());
    command
        .arg(repo_root().join("tests/fixtures/word/make_docx.py"))
        .arg(docx);
    if with_stats {
        command.arg("--with-stats");
    }
    let status = command.status().expect("python runs");
    assert!(status.success(), "make_docx.py failed");
}
