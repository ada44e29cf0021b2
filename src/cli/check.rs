//! `nianbao check`: load, validate and link-check everything without writing; human or JSON output.

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 把警告也当作错误（数据核对不通过时返回非零）
    #[arg(long)]
    pub(super) strict: bool,
    /// 输出格式：human（默认，给人看）或 json（在标准输出打印，供持续集成读取）
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(super) format: Format,
    /// 允许未完成的内容（新建或导入后还没有替换的占位文字、待核对标记）；默认把它们当作错误
    #[arg(long)]
    pub(super) allow_draft: bool,
    /// 督查页和各乡镇公开记录按哪一天统计（YYYY-MM-DD，默认今天；公开期限在这天之后的计为“未到期”）
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    pub(super) as_of: Option<chrono::NaiveDate>,
    /// 联合门户：不读取各县门户，只用缓存中上次读到的数据（.nianbao-cache/federation/）
    #[arg(long)]
    pub(super) offline: bool,
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let Args {
        strict,
        format,
        allow_draft,
        as_of,
        offline,
    } = args;
    let options = Options {
        base_url: None,
        strict,
        allow_draft,
        as_of,
        offline,
    };
    let result = nianbao::build::check(root, &options);
    if format == Format::Json {
        return json_report(result);
    }
    report(root, result, global.quiet, None, |s| {
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
