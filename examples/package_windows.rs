//! Lay out and zip the Windows package around a cross-compiled `nianbao.exe`
//! (see `packaging/windows.sh`, which builds the executable and calls this).
//!
//! `cargo run --example package_windows -- --exe PATH --version X.Y.Z --out DIR`

#[path = "../packaging/windows/assemble.rs"]
mod assemble;

use std::path::PathBuf;

fn main() -> std::process::ExitCode {
    let mut exe = None;
    let mut version = env!("CARGO_PKG_VERSION").to_string();
    let mut out = PathBuf::from("target/package");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--exe", Some(v)) => exe = Some(PathBuf::from(v)),
            ("--version", Some(v)) => version = v,
            ("--out", Some(v)) => out = PathBuf::from(v),
            _ => {
                eprintln!("usage: package_windows --exe PATH [--version X.Y.Z] [--out DIR]");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let Some(exe) = exe else {
        eprintln!("usage: package_windows --exe PATH [--version X.Y.Z] [--out DIR]");
        return std::process::ExitCode::from(2);
    };
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let inputs = assemble::Inputs {
        repo: &repo,
        exe: &exe,
        version: &version,
        out: &out,
    };
    match assemble::assemble(&inputs) {
        Ok(path) => {
            println!("{}", path.display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("package_windows: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
