//! The `creance` command: serve, demo, import, open-items, token, company, check, bench, and the money
//! commands (payment, refund, deposit, export, …).

mod args;
mod bench;
mod check;
mod cli;
mod companies;
mod demo;
mod documents;
mod dunning;
mod export_args;
mod import;
mod ledger;
mod money;
mod open_items;
mod print;
mod reports;
mod serve;
mod small_balances;
mod smtp;
mod tokens;
mod users;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // `creance … | head` ends quietly when the reader closes the pipe, like other command-line
    // tools, instead of panicking in `println!` (Rust ignores SIGPIPE by default).
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CREANCE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
