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
            if !options.dry_run && outcome.wrote_any() {
                print!("{}", site_check(root, &outcome));
            }
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

/// The whole site checked as `nianbao check` checks it, after the import wrote: the same
/// errors and warnings, those of the imported folders apart from the rest of the site (an
/// `init` sample township's placeholders), and what to do.
fn site_check(root: &Path, outcome: &nianbao::import::Outcome) -> String {
    use std::fmt::Write as _;
    let diagnostics = match nianbao::build::check(root, &Options::default()) {
        Ok((_, d)) | Err(Failure::Content(d)) => d,
        Err(Failure::Usage(m)) => return format!("\n全站检查（nianbao check）未能运行：{m}\n"),
        Err(Failure::Output(e)) => return format!("\n全站检查（nianbao check）未能运行：{e}\n"),
    };
    let imported: Vec<String> = outcome
        .reports
        .iter()
        .map(|r| format!("{}/", r.folder))
        .collect();
    let (mine, others): (Vec<_>, Vec<_>) = diagnostics.iter().partition(|d| {
        imported
            .iter()
            .any(|f| d.file.replace('\\', "/").starts_with(f))
    });
    let errors = |ds: &[&nianbao::diagnostics::Diagnostic]| {
        ds.iter()
            .filter(|d| d.severity == nianbao::diagnostics::Severity::Error)
            .count()
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n== 全站检查（即 nianbao check）==\n  {} 个错误，{} 条警告：本次导入的报告 {} 个错误，站点其他位置 {} 个错误",
        diagnostics.error_count(),
        diagnostics.warning_count(),
        errors(&mine),
        errors(&others)
    );
    let mut files: Vec<&str> = others
        .iter()
        .filter(|d| d.severity == nianbao::diagnostics::Severity::Error)
        .map(|d| d.file.as_str())
        .collect();
    files.dedup();
    if !files.is_empty() {
        let shown: Vec<&str> = files.iter().take(10).copied().collect();
        let _ = writeln!(
            out,
            "  其他位置有错误的文件：{}{}（不是这次导入写的；nianbao init 的示例乡镇不需要时，删去它的报告目录并从 content/townships.yaml 中删去它）",
            shown.join("、"),
            if files.len() > shown.len() {
                " 等"
            } else {
                ""
            }
        );
    }
    if diagnostics.error_count() > 0 {
        out.push_str("  运行 nianbao check 查看每个错误的位置和改法。\n");
    }
    out
}
