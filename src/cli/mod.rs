//! Command-line interface: one function per subcommand, shared arguments in one place.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

mod archive;
mod audit;
mod build;
mod check;
mod export;
#[cfg(feature = "import")]
mod import;
mod init;
mod new;
#[cfg(feature = "serve")]
mod serve;
mod template;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use nianbao::build::{Failure, Options, Summary};
use nianbao::diagnostics::{Diagnostics, render_human};

/// Exit code: success (warnings allowed).
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: the content has errors, or the output could not be written.
pub(crate) const EXIT_CONTENT: u8 = 1;
/// Exit code: the command line was wrong.
pub(crate) const EXIT_USAGE: u8 = 2;

/// nianbao（年报）：把乡镇政府信息公开工作年度报告生成静态公开网站。
#[derive(Debug, Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Global {
    /// 站点根目录（含 site.toml 和 content/），默认为当前目录
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// 只输出错误和警告，不显示进度和汇总
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 生成网站（默认输出到 public/）
    Build(build::Args),
    #[cfg(feature = "serve")]
    /// 本地预览：生成网站并在浏览器中查看，修改内容后自动刷新
    Serve(serve::Args),
    /// 在空目录中新建一个可以直接预览的网站（示例报告的占位文字替换成真实内容后即可生成发布）
    Init(init::Args),
    /// 新建一份年度报告的骨架（report.md 和列出全部指标的 stats.yaml）
    New(new::Args),
    #[cfg(feature = "import")]
    /// 导入已发布的旧报告（网页文本、保存的网页、Excel 统计表），生成 report.md 和 stats.yaml
    Import(import::Args),
    /// 生成一种统计表格式的 Excel 填报模板（官方表样，只需在浅黄色格子里填数字）
    Template(template::Args),
    /// 检查全部内容，并核对生成后每个页面的站内链接、锚点、图片和附件（不写出任何文件；站外
    /// http(s) 链接不做访问检查）
    Check(check::Args),
    /// 归档某一年度：可离线浏览的 ZIP 压缩包（解压后直接打开 index.html 即可浏览），或交档案部门的
    /// 网页归档文件（WARC）、档案包（BagIt）
    Archive(archive::Args),
    /// 督查：列出各乡镇各年度报告是否发布、是否按期、有无错误和核对提示；有未发布或有错误的报告时
    /// 返回 1（--strict 时逾期、日期未注明和核对提示也返回 1）
    Audit(audit::Args),
    /// 导出数据模型：全部报告的元数据、正文和统计表数字，一个 JSON 文档（与插件收到的相同）
    Export(export::Args),
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Diagnostics for a person, on stderr.
    Human,
    /// One JSON document on stdout.
    Json,
}

/// Run the parsed command line; returns the exit code.
pub(crate) fn run(cli: Cli) -> u8 {
    let root = cli.global.root.clone();
    if !root.is_dir() {
        eprintln!("错误: 站点根目录 {} 不存在或不是目录", root.display());
        return EXIT_USAGE;
    }
    let global = &cli.global;
    match cli.command {
        Command::Build(args) => build::run(args, &root, global),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args, &root, global),
        Command::Init(args) => init::run(args, &root, global),
        Command::New(args) => new::run(args, &root, global),
        #[cfg(feature = "import")]
        Command::Import(args) => import::run(args, &root, global),
        Command::Template(args) => template::run(args, &root, global),
        Command::Check(args) => check::run(args, &root, global),
        Command::Archive(args) => archive::run(args, &root, global),
        Command::Audit(args) => audit::run(args, &root, global),
        Command::Export(args) => export::run(args, &root, global),
    }
}

fn report(
    root: &Path,
    result: Result<(Summary, Diagnostics), Failure>,
    quiet: bool,
    max_warnings: Option<usize>,
    summary: impl Fn(&Summary) -> String,
) -> u8 {
    match result {
        Ok((s, diagnostics)) => {
            print_diagnostics(root, &diagnostics, max_warnings);
            if !quiet {
                eprintln!("{}", summary(&s));
            }
            EXIT_OK
        }
        Err(Failure::Usage(message)) => {
            eprintln!("错误: {message}");
            EXIT_USAGE
        }
        Err(Failure::Content(diagnostics)) => {
            print_diagnostics(root, &diagnostics, max_warnings);
            eprintln!(
                "失败：{} 个错误，{} 条警告。未写出任何文件，原有输出保持不变。",
                diagnostics.error_count(),
                diagnostics.warning_count()
            );
            EXIT_CONTENT
        }
        Err(Failure::Output(e)) => {
            eprintln!("错误: {e}");
            eprintln!("失败：输出未更新，原有输出保持不变。");
            EXIT_CONTENT
        }
    }
}

/// `build` shows this many warnings; `check` shows all of them.
const MAX_BUILD_WARNINGS: usize = 20;

/// Print every error, and warnings up to `max_warnings`.
fn print_diagnostics(root: &Path, diagnostics: &Diagnostics, max_warnings: Option<usize>) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut warnings = 0;
    for d in diagnostics.iter() {
        if d.severity == nianbao::diagnostics::Severity::Warning {
            warnings += 1;
            if max_warnings.is_some_and(|max| warnings > max) {
                continue;
            }
        }
        let source = nianbao::build::source_of(root, d);
        eprint!("{}", render_human(d, source.as_deref(), color));
    }
    if let Some(max) = max_warnings
        && warnings > max
    {
        eprintln!(
            "……另有 {} 条警告未显示；运行 nianbao check 查看全部。",
            warnings - max
        );
    }
}

/// The build's progress on stderr (the library reports it through [`nianbao::build::Progress`]).
struct Bar(ProgressBar);

impl nianbao::build::Progress for Bar {
    fn set_length(&self, steps: u64) {
        self.0.set_length(steps);
    }
    fn inc(&self, steps: u64) {
        self.0.inc(steps);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn progress_bar(quiet: bool) -> Bar {
    if quiet || !std::io::stderr().is_terminal() {
        return Bar(ProgressBar::hidden());
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} 生成中 [{bar:30}] {pos}/{len} 个文件")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    Bar(bar)
}

fn seconds(d: Duration) -> String {
    format!("{:.2} 秒", d.as_secs_f64())
}

/// `--as-of`: a strict `YYYY-MM-DD` date, with the hand-written spellings named in the message.
fn parse_as_of(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|_| text.trim().len() == 10)
        .ok_or_else(|| format!("「{text}」不是有效日期，请写成 YYYY-MM-DD，例如 2025-03-01"))
}
