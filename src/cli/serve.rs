//! `nianbao serve`: the live preview on loopback.

use super::*;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// 端口（0 表示自动选择空闲端口）
    #[arg(long, short, default_value_t = 1111)]
    pub(super) port: u16,
    /// 绑定的地址；默认只允许本机访问
    #[arg(long, default_value = "127.0.0.1")]
    pub(super) bind: String,
    /// 启动后自动打开浏览器
    #[arg(long)]
    pub(super) open: bool,
    /// 用轮询代替文件系统通知（网络盘、WSL、容器中使用）
    #[arg(long)]
    pub(super) poll: bool,
}

pub(super) fn run(args: Args, root: &Path, global: &Global) -> u8 {
    let Args {
        port,
        bind,
        open,
        poll,
    } = args;
    let options = nianbao::serve::ServeOptions {
        bind,
        port,
        open,
        poll,
        quiet: global.quiet,
    };
    match nianbao::serve::serve(root, &options) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("错误: {e}");
            EXIT_CONTENT
        }
    }
}
