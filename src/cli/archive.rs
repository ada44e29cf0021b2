//! `nianbao archive`: one year as an offline ZIP, a WARC web archive, or a BagIt bag of both.

use super::*;
use nianbao::build::ArchiveFormat;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 年度，例如 2018
    pub(super) year: u16,
    /// 归档格式：zip（离线浏览压缩包，默认）、warc（网页归档文件，GB/T 33994-2017）、bagit（交档案馆的档案包，含 WARC 和压缩包）
    #[arg(long, value_enum, default_value = "zip")]
    pub(super) format: Format,
    /// 输出文件名（bagit 为目录名）；默认为当前目录下的 archive-<年度>.zip、archive-<年度>.warc.gz 或 archive-<年度>-bag
    #[arg(long, short, value_name = "FILE")]
    pub(super) output: Option<PathBuf>,
    /// 归档时间（WARC-Date），RFC 3339 格式，例如 2025-03-01T08:00:00+08:00；默认为当前时间（设置了 SOURCE_DATE_EPOCH 时用它）
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(super) archived_at: Option<i64>,
}

/// The archive formats as the command line names them.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum Format {
    Zip,
    Warc,
    Bagit,
}

/// An RFC 3339 time, as seconds since 1970.
fn parse_time(text: &str) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.timestamp())
        .map_err(|_| {
            format!(
                "「{text}」不是有效的时间，请写成 RFC 3339 格式，例如 2025-03-01T08:00:00+08:00"
            )
        })
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let Args {
        year,
        format,
        output,
        archived_at,
    } = args;
    let format = match format {
        Format::Zip => ArchiveFormat::Zip,
        Format::Warc => ArchiveFormat::Warc,
        Format::Bagit => ArchiveFormat::Bagit,
    };
    if archived_at.is_some() && format == ArchiveFormat::Zip {
        eprintln!(
            "错误：--archived-at 只用于 --format warc 或 bagit（压缩包中文件的时间取报告的公开日期）"
        );
        return EXIT_USAGE;
    }
    let output = output.unwrap_or_else(|| format.default_output(year));
    archive(root, year, &output, format, archived_at, global.quiet)
}

/// `archive <year>`: write the year's archive in `format` to `output`.
fn archive(
    root: &Path,
    year: u16,
    output: &Path,
    format: ArchiveFormat,
    archived_at: Option<i64>,
    quiet: bool,
) -> u8 {
    let start = std::time::Instant::now();
    match nianbao::build::archive_as(root, year, output, format, archived_at) {
        Ok(archived) => {
            if !quiet {
                let what = match (format, archived.records) {
                    (ArchiveFormat::Bagit, Some(r)) => format!(
                        "档案包 {}（data/ 中的网页归档文件含 {} 个文件，压缩包可离线浏览，共 {}）",
                        output.display(),
                        r.responses,
                        archived.size
                    ),
                    (ArchiveFormat::Warc, Some(r)) => format!(
                        "网页归档文件 {}（{} 个文件，{}）",
                        output.display(),
                        r.responses,
                        archived.size
                    ),
                    _ => format!("{}（{}）", output.display(), archived.size),
                };
                let next = match format {
                    ArchiveFormat::Zip => "解压后打开其中的 index.html 即可离线浏览。",
                    ArchiveFormat::Warc => {
                        "可用 pywb 等网页归档回放工具浏览，用 warcio check 校验。"
                    }
                    ArchiveFormat::Bagit => "可用 bagit.py --validate 校验后移交档案部门。",
                };
                eprintln!(
                    "已归档：{year} 年度 {} 份报告，写入 {what}，{} 条警告（运行 nianbao check 查看），用时 {}。\n{next}",
                    archived.reports,
                    archived.warnings,
                    seconds(start.elapsed())
                );
            }
            EXIT_OK
        }
        Err(e) => report(root, Err(e), quiet, None, |_| String::new()),
    }
}
