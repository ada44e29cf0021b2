//! `nianbao export --format json`: the model as plugins receive it, on stdout or in a file.

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 导出格式（目前只有 json）
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub(super) format: ExportFormat,
    /// 写入这个文件（默认打印到标准输出）
    #[arg(long, short, value_name = "FILE")]
    pub(super) output: Option<PathBuf>,
    /// 包含草稿和未完成的内容
    #[arg(long)]
    pub(super) allow_draft: bool,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum ExportFormat {
    /// The versioned JSON document of `docs/内容格式.md`.
    Json,
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let options = Options {
        allow_draft: args.allow_draft,
        ..Options::default()
    };
    let text = match nianbao::build::export_json(root, &options) {
        Ok(text) => text,
        Err(e) => return report(root, Err(e), global.quiet, None, |_| String::new()),
    };
    let written = match &args.output {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| format!("无法写入 {}：{e}", path.display()))
        }
        None => {
            use std::io::Write;
            std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|e| format!("无法写到标准输出：{e}"))
        }
    };
    match written {
        Ok(()) => {
            if let (Some(path), false) = (&args.output, global.quiet) {
                eprintln!("已导出到 {}（{} 字节）。", path.display(), text.len());
            }
            EXIT_OK
        }
        Err(message) => {
            eprintln!("错误: {message}");
            EXIT_CONTENT
        }
    }
}
