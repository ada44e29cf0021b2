//! `nianbao build`: build the site into the output directory and say what to open.

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 输出目录
    #[arg(long, short, value_name = "DIR", default_value = "public")]
    pub(super) output: PathBuf,
    /// 覆盖 site.toml 中的 base_url（网站发布地址）
    #[arg(long, value_name = "URL")]
    pub(super) base_url: Option<String>,
    /// 允许发布未完成的内容（新建或导入后还没有替换的占位文字、待核对标记）；默认把它们当作错误
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
        output,
        base_url,
        allow_draft,
        as_of,
        offline,
    } = args;
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
        allow_draft,
        as_of,
        offline,
    };
    let progress = progress_bar(global.quiet);
    let result = nianbao::build::build(root, &output, &options, &progress);
    report(root, result, global.quiet, Some(MAX_BUILD_WARNINGS), |s| {
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
    })
}
