//! `nianbao import`: already-published reports (web text, saved pages, Excel tables) into content files.

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 要导入的文件或目录（目录中的 .txt、.htm、.html、.xls、.xlsx 都会导入）
    #[arg(required = true, value_name = "FILE|DIR")]
    pub(super) inputs: Vec<PathBuf>,
    /// 报告年度（默认从标题或统计期限说明中识别）
    #[arg(long)]
    pub(super) year: Option<u16>,
    /// 乡镇代号（默认从标题、发布机构或填报单位中识别已登记的乡镇名称）
    #[arg(long, value_name = "SLUG")]
    pub(super) township: Option<String>,
    /// 统计表格式（默认按表中的标签识别）
    #[arg(long, value_parser = ["gov-2014", "gov-2019", "gov-2021"])]
    pub(super) format: Option<String>,
    /// 试运行：只显示导入报告，不写入任何文件
    #[arg(long)]
    pub(super) dry_run: bool,
    /// 覆盖已有的 report.md 和 stats.yaml
    #[arg(long)]
    pub(super) force: bool,
}

pub(super) fn run(args: Args, root: &Path, _global: &Global) -> u8 {
    let Args {
        inputs,
        year,
        township,
        format,
        dry_run,
        force,
    } = args;
    let options = nianbao::import::Options {
        hints: nianbao::import::Hints {
            year,
            township,
            format,
        },
        dry_run,
        force,
    };
    import(root, &inputs, &options)
}

fn import(root: &Path, inputs: &[PathBuf], options: &nianbao::import::Options) -> u8 {
    match nianbao::import::run(root, inputs, options) {
        Ok(outcome) => {
            print!(
                "{}",
                nianbao::import::render_outcome(&outcome, options.dry_run)
            );
            if outcome.has_errors() {
                EXIT_CONTENT
            } else {
                EXIT_OK
            }
        }
        Err(nianbao::import::ImportError::Site(diagnostics)) => {
            print_diagnostics(root, &diagnostics, None);
            EXIT_CONTENT
        }
        Err(e @ nianbao::import::ImportError::NoInput(_)) => {
            eprintln!("错误: {e}");
            EXIT_USAGE
        }
        Err(e) => {
            eprintln!("错误: {e}");
            EXIT_CONTENT
        }
    }
}
