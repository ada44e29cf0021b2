//! `nianbao new`: the skeleton of one report (report.md and a stats.yaml listing every indicator).

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 报告年度，例如 2025
    pub(super) year: u16,
    /// 乡镇代号（content/townships.yaml 中登记的 slug）
    pub(super) slug: String,
    /// 统计表格式；默认按年度：2018 年度及以前 gov-2014，2019–2020 年度 gov-2019，2021 年度起 gov-2021
    #[arg(long, value_parser = ["gov-2014", "gov-2019", "gov-2021"])]
    pub(super) format: Option<String>,
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let Args { year, slug, format } = args;
    match nianbao::scaffold::new_report(root, year, &slug, format.as_deref()) {
        Ok(dir) => {
            if !global.quiet {
                eprintln!(
                    "已新建 {}：report.md（元数据和正文提纲）和 stats.yaml（全部指标，均为 ~ 未填报）。\n填好后运行 nianbao serve 预览，或 nianbao check 检查。",
                    dir.strip_prefix(root).unwrap_or(&dir).display()
                );
            }
            EXIT_OK
        }
        Err(nianbao::scaffold::ScaffoldError::Content(diagnostics)) => {
            print_diagnostics(root, &diagnostics, None);
            EXIT_CONTENT
        }
        Err(e) => {
            eprintln!("错误: {e}");
            EXIT_CONTENT
        }
    }
}
