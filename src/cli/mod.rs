//! Command-line interface: one function per subcommand, shared arguments in one place.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use nianbao::build::{self, Failure, Options, Summary};
use nianbao::diagnostics::{Diagnostics, render_human};

/// Exit code: success (warnings allowed).
pub const EXIT_OK: u8 = 0;
/// Exit code: the content has errors, or the output could not be written.
pub const EXIT_CONTENT: u8 = 1;
/// Exit code: the command line was wrong.
pub const EXIT_USAGE: u8 = 2;

/// nianbao（年报）：把乡镇政府信息公开工作年度报告生成静态公开网站。
#[derive(Debug, Parser)]
#[command(name = "nianbao", version, about, long_about = None)]
pub struct Cli {
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
    Build {
        /// 输出目录
        #[arg(long, short, value_name = "DIR", default_value = "public")]
        output: PathBuf,
        /// 覆盖 site.toml 中的 base_url（网站发布地址）
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// 本地预览：生成网站并在浏览器中查看，修改内容后自动刷新
    Serve {
        /// 端口（0 表示自动选择空闲端口）
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// 绑定的地址；默认只允许本机访问
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// 启动后自动打开浏览器
        #[arg(long)]
        open: bool,
        /// 用轮询代替文件系统通知（网络盘、WSL、容器中使用）
        #[arg(long)]
        poll: bool,
    },
    /// 在空目录中新建一个可以直接生成和预览的网站
    Init {
        /// 目录（默认为当前目录，须为空）
        dir: Option<PathBuf>,
    },
    /// 新建一份年度报告的骨架（report.md 和列出全部指标的 stats.yaml）
    New {
        /// 报告年度，例如 2025
        year: u16,
        /// 乡镇代号（content/townships.yaml 中登记的 slug）
        slug: String,
        /// 统计表格式；默认按年度：2018 年度及以前 gov-2014，2019–2020 年度 gov-2019，2021 年度起 gov-2021
        #[arg(long, value_parser = ["gov-2014", "gov-2019", "gov-2021"])]
        format: Option<String>,
    },
    /// 导入已发布的旧报告（网页文本、保存的网页、Excel 统计表），生成 report.md 和 stats.yaml
    Import {
        /// 要导入的文件或目录（目录中的 .txt、.htm、.html、.xls、.xlsx 都会导入）
        #[arg(required = true, value_name = "FILE|DIR")]
        inputs: Vec<PathBuf>,
        /// 报告年度（默认从标题或统计期限说明中识别）
        #[arg(long)]
        year: Option<u16>,
        /// 乡镇代号（默认从标题、发布机构或填报单位中识别已登记的乡镇名称）
        #[arg(long, value_name = "SLUG")]
        township: Option<String>,
        /// 统计表格式（默认按表中的标签识别）
        #[arg(long, value_parser = ["gov-2014", "gov-2019", "gov-2021"])]
        format: Option<String>,
        /// 试运行：只显示导入报告，不写入任何文件
        #[arg(long)]
        dry_run: bool,
        /// 覆盖已有的 report.md 和 stats.yaml
        #[arg(long)]
        force: bool,
    },
    /// 生成一种统计表格式的 Excel 填报模板（官方表样，只需在浅黄色格子里填数字）
    Template {
        /// 表格格式
        #[arg(value_parser = ["gov-2014", "gov-2019", "gov-2021"])]
        format: String,
        /// 输出文件，例如 2025年统计表.xlsx（不会覆盖已有文件）
        #[arg(long, short, value_name = "FILE.xlsx")]
        output: PathBuf,
    },
    /// 检查全部内容，并核对生成后每个页面的站内链接、锚点、图片和附件（不写出任何文件；站外
    /// http(s) 链接不做访问检查）
    Check {
        /// 把警告也当作错误（数据核对不通过时返回非零）
        #[arg(long)]
        strict: bool,
        /// 输出格式：human（默认，给人看）或 json（在标准输出打印，供持续集成读取）
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// 把某一年度打包成可离线浏览的 ZIP 压缩包（该年度的报告页面、附件、数据文件、样式和检索），
    /// 解压后直接打开 index.html 即可浏览
    Archive {
        /// 年度，例如 2018
        year: u16,
        /// 压缩包文件名（默认为当前目录下的 archive-<年度>.zip）
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
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
pub fn run(cli: Cli) -> u8 {
    let root = cli.global.root.clone();
    if !root.is_dir() {
        eprintln!("错误: 站点根目录 {} 不存在或不是目录", root.display());
        return EXIT_USAGE;
    }
    match cli.command {
        Command::Build { output, base_url } => {
            let output = if output.is_absolute() {
                output
            } else {
                root.join(output)
            };
            let output = output
                .strip_prefix(".")
                .map(Path::to_path_buf)
                .unwrap_or(output);
            let options = Options {
                base_url,
                strict: false,
            };
            let progress = progress_bar(cli.global.quiet);
            let result = build::build(&root, &output, &options, &progress);
            report(
                &root,
                result,
                cli.global.quiet,
                Some(MAX_BUILD_WARNINGS),
                |s| {
                    if s.up_to_date {
                        return format!(
                            "输出已是最新：内容、模板和设置都没有变化（{} 份报告，{} 条警告，运行 nianbao check 查看），用时 {}。",
                            s.reports,
                            s.warnings,
                            seconds(s.elapsed)
                        );
                    }
                    format!(
                        "已生成：{} 份报告，{} 个页面，共 {} 个文件（{} 个有变化），{} 条警告，用时 {}。\n打开 {} 即可浏览。",
                        s.reports,
                        s.pages,
                        s.files,
                        s.written,
                        s.warnings,
                        seconds(s.elapsed),
                        output.join("index.html").display()
                    )
                },
            )
        }
        Command::Serve {
            port,
            bind,
            open,
            poll,
        } => {
            let options = nianbao::serve::ServeOptions {
                bind,
                port,
                open,
                poll,
                quiet: cli.global.quiet,
            };
            match nianbao::serve::serve(&root, &options) {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    eprintln!("错误: {e}");
                    EXIT_CONTENT
                }
            }
        }
        Command::Init { dir } => {
            let dir = dir.unwrap_or_else(|| root.clone());
            match nianbao::scaffold::init_site(&dir) {
                Ok(()) => {
                    if !cli.global.quiet {
                        eprintln!(
                            "已在 {} 新建网站（示例镇 3 份示例报告，见 说明.md）。\n运行 nianbao serve --root {} 即可预览。",
                            dir.display(),
                            dir.display()
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
        Command::New { year, slug, format } => {
            match nianbao::scaffold::new_report(&root, year, &slug, format.as_deref()) {
                Ok(dir) => {
                    if !cli.global.quiet {
                        eprintln!(
                            "已新建 {}：report.md（元数据和正文提纲）和 stats.yaml（全部指标，均为 ~ 未填报）。\n填好后运行 nianbao serve 预览，或 nianbao check 检查。",
                            dir.strip_prefix(&root).unwrap_or(&dir).display()
                        );
                    }
                    EXIT_OK
                }
                Err(nianbao::scaffold::ScaffoldError::Content(diagnostics)) => {
                    print_diagnostics(&root, &diagnostics, None);
                    EXIT_CONTENT
                }
                Err(e) => {
                    eprintln!("错误: {e}");
                    EXIT_CONTENT
                }
            }
        }
        Command::Import {
            inputs,
            year,
            township,
            format,
            dry_run,
            force,
        } => {
            let options = nianbao::import::Options {
                hints: nianbao::import::Hints {
                    year,
                    township,
                    format,
                },
                dry_run,
                force,
            };
            import(&root, &inputs, &options)
        }
        Command::Template { format, output } => {
            match nianbao::scaffold::write_template(&format, &output) {
                Ok(()) => {
                    if !cli.global.quiet {
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
        Command::Archive { year, output } => {
            let output = output.unwrap_or_else(|| PathBuf::from(format!("archive-{year}.zip")));
            archive(&root, year, &output, cli.global.quiet)
        }
        Command::Check { strict, format } => {
            let options = Options {
                base_url: None,
                strict,
            };
            let result = build::check(&root, &options);
            if format == Format::Json {
                return json_report(result);
            }
            report(&root, result, cli.global.quiet, None, |s| {
                format!(
                    "检查通过：{} 份报告，{} 个页面，共 {} 个文件，{} 条警告，用时 {}。",
                    s.reports,
                    s.pages,
                    s.files,
                    s.warnings,
                    seconds(s.elapsed)
                )
            })
        }
    }
}

/// `check --format json`: one document on stdout, whatever the outcome (usage errors aside).
fn json_report(result: Result<(Summary, Diagnostics), Failure>) -> u8 {
    let (summary, diagnostics, code) = match result {
        Ok((s, d)) => (Some(s), d, EXIT_OK),
        Err(Failure::Content(d)) => (None, d, EXIT_CONTENT),
        Err(Failure::Usage(message)) => {
            eprintln!("错误: {message}");
            return EXIT_USAGE;
        }
        Err(Failure::Output(e)) => {
            eprintln!("错误: {e}");
            return EXIT_CONTENT;
        }
    };
    let report = nianbao::diagnostics::JsonReport::new(
        summary.as_ref().map(|s| nianbao::diagnostics::JsonSummary {
            reports: s.reports,
            pages: s.pages,
            files: s.files,
        }),
        &diagnostics,
    );
    match serde_json::to_string_pretty(&report) {
        Ok(text) => {
            println!("{text}");
            code
        }
        Err(e) => {
            eprintln!("错误: {e}");
            EXIT_CONTENT
        }
    }
}

/// `archive <year>`: write the year's offline copy to `output`.
fn archive(root: &Path, year: u16, output: &Path, quiet: bool) -> u8 {
    let start = std::time::Instant::now();
    let loaded = match build::load(root, &Options::default()) {
        Ok(l) => l,
        Err(e) => return report(root, Err(e), quiet, None, |_| String::new()),
    };
    if loaded.site.reports_of_year(year).next().is_none() {
        let years: Vec<String> = loaded.site.years().iter().map(u16::to_string).collect();
        eprintln!(
            "错误: {year} 年度没有报告，无法归档（有报告的年度：{}）",
            years.join("、")
        );
        return EXIT_USAGE;
    }
    match nianbao::publish::archive::write_file(&loaded.site, &loaded.theme, year, output) {
        Ok(size) => {
            if !quiet {
                eprintln!(
                    "已归档：{year} 年度 {} 份报告，写入 {}（{}），{} 条警告（运行 nianbao check 查看），用时 {}。\n解压后打开其中的 index.html 即可离线浏览。",
                    loaded.site.reports_of_year(year).count(),
                    output.display(),
                    nianbao::render::pages::human_size(size),
                    loaded.diagnostics.warning_count(),
                    seconds(start.elapsed())
                );
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("错误: 无法写入 {}：{e}", output.display());
            EXIT_CONTENT
        }
    }
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
        let source = d
            .location
            .and_then(|_| nianbao::content::read_text(&root.join(&d.file)).ok());
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

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} 生成中 [{bar:30}] {pos}/{len} 个文件")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn seconds(d: Duration) -> String {
    format!("{:.2} 秒", d.as_secs_f64())
}
