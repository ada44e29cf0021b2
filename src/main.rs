//! The `nianbao` command: arguments → library calls → messages and exit codes.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc malloc: rendering allocates many short-lived strings on two
/// threads, where glibc's arena locking and consolidation cost about a tenth of a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    ExitCode::from(cli::run(args))
}
