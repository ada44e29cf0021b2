//! `nianbao archive`: one year as an offline ZIP.

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 年度，例如 2018
    pub(super) year: u16,
    /// 压缩包文件名（默认为当前目录下的 archive-<年度>.zip）
    #[arg(long, short, value_name = "FILE")]
    pub(super) output: Option<PathBuf>,
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let Args { year, output } = args;
    let output = output.unwrap_or_else(|| PathBuf::from(format!("archive-{year}.zip")));
    archive(root, year, &output, global.quiet)
}

/// `archive <year>`: write the year's offline copy to `output`.
fn archive(root: &Path, year: u16, output: &Path, quiet: bool) -> u8 {
    let start = std::time::Instant::now();
    match nianbao::build::archive(root, year, output) {
        Ok(archived) => {
            if !quiet {
                eprintln!(
                    "已归档：{year} 年度 {} 份报告，写入 {}（{}），{} 条警告（运行 nianbao check 查看），用时 {}。\n解压后打开其中的 index.html 即可离线浏览。",
                    archived.reports,
                    output.display(),
                    archived.size,
                    archived.warnings,
                    seconds(start.elapsed())
                );
            }
            EXIT_OK
        }
        Err(e) => report(root, Err(e), quiet, None, |_| String::new()),
    }
}
