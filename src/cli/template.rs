//! `nianbao template`: the Excel input template of one table format.

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 表格格式
    #[arg(value_parser = ["gov-2014", "gov-2019", "gov-2021"])]
    pub(super) format: String,
    /// 输出文件，例如 2025年统计表.xlsx（不会覆盖已有文件）
    #[arg(long, short, value_name = "FILE.xlsx")]
    pub(super) output: PathBuf,
}

pub(super) fn run(args: Args, _root: &Path, global: &Global) -> u8 {
    let Args { format, output } = args;
    match nianbao::scaffold::write_template(&format, &output) {
        Ok(()) => {
            if !global.quiet {
                eprintln!(
                    "已生成 {}（{format} 统计表填报模板）。用 Excel 或 WPS 打开，在浅黄色格子里填数字，没有填报的留空。\n填好后运行 nianbao import {} --year 年度 --township 乡镇代号 导入。",
                    output.display(),
                    output.display()
                );
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("错误: {e}");
            EXIT_CONTENT
        }
    }
}
