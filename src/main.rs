//! The `fevercheck` binary: parses the command line, runs the command, prints
//! any error with its whole chain and exits 2 on unusable input.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Cli::parse();
    match cli::run(arguments) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "fevercheck: error: {error:#}");
            if let Some(hint) = cli::hint(&error) {
                let _ = writeln!(std::io::stderr(), "  hint: {hint}");
            }
            ExitCode::from(cli::EXIT_UNUSABLE)
        }
    }
}
