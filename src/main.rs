//! The `fevercheck` binary: parses the command line, runs the command, prints
//! any error with its whole chain and exits 2 on unusable input.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Cli::parse();
    match cli::run(arguments) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("fevercheck: error: {error:#}");
            ExitCode::from(cli::EXIT_UNUSABLE)
        }
    }
}
