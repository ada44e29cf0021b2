//! `nianbao init`: a new site, ready to preview, in an empty folder.

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 目录（默认为当前目录，须为空）
    pub(super) dir: Option<PathBuf>,
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let Args { dir } = args;
    let dir = dir.unwrap_or_else(|| root.to_path_buf());
    match nianbao::scaffold::init_site(&dir) {
        Ok(()) => {
            if !global.quiet {
                eprintln!(
                    "已在 {} 新建网站（示例镇 3 份示例报告，见 说明.md）。\n运行 nianbao serve --root {} 即可预览。\n在 content/townships.yaml 中登记本县的乡镇，每个乡镇写上 since（第一个需要发布年报的年度：督查页从这一年度起，把没有报告的年度显示为“未发布”）。\n示例报告中的占位文字换成真实内容（或删去示例镇）后，nianbao build 才会生成发布用的网站。",
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
