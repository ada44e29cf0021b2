//! A program that uses nianbao as a library without its default features (no `import`, `serve`
//! or `cli`): it loads a site, checks it, builds it into a folder and exports the model as JSON.
//! CI compiles and runs it against the library built with `--no-default-features`, so that
//! `nianbao = { version = "0.1", default-features = false }` keeps being enough for this.
//!
//! `cargo run --example lean --no-default-features -- [SITE [OUT]]` (the repository's content
//! pack and its `public/` folder by default, as `nianbao build`)

use std::path::PathBuf;
use std::process::ExitCode;

use nianbao::build::{Failure, Options, build, check, export_json, load};
use nianbao::diagnostics::render_human;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let root = args
        .next()
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let out = args
        .next()
        .map_or_else(|| root.join("public"), PathBuf::from);
    match run(&root, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Content(diagnostics)) => {
            for d in diagnostics.iter() {
                eprint!("{}", render_human(d, None, false));
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("错误: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &std::path::Path, out: &std::path::Path) -> Result<(), Failure> {
    let options = Options::default();
    let site = load(root, &options)?.site;
    println!(
        "{} 份报告，{} 个乡镇",
        site.reports.len(),
        site.townships.len()
    );
    let (checked, _warnings) = check(root, &options)?;
    println!("检查通过：{} 个页面", checked.pages);
    // `&()`: no progress bar.
    let (built, _warnings) = build(root, out, &options, &())?;
    println!("已生成 {} 个文件到 {}", built.files, out.display());
    let json = export_json(root, &options)?;
    println!("导出 JSON：{} 字节", json.len());
    Ok(())
}
