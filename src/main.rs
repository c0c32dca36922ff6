//! The `wifiplan` command line: parses the arguments ([`cli::args`]), runs the command
//! ([`cli::run`]) and maps its outcome to the exit code (0 ok, 1 failure, 2 bad usage or
//! bad input), printing each error line on stderr.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::args::Cli::parse();
    match cli::run(&args.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            for line in failure.lines {
                eprintln!("error: {line}");
            }
            ExitCode::from(failure.code)
        }
    }
}
