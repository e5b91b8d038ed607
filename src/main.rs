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
            let _ = writeln!(std::io::stderr(), "fevercheck: error: {}", chain(&error));
            if let Some(hint) = cli::hint(&error) {
                let _ = writeln!(std::io::stderr(), "  hint: {hint}");
            }
            ExitCode::from(cli::EXIT_UNUSABLE)
        }
    }
}

/// The error and its causes, each cause said once: a message that already
/// quotes its cause (`cannot read x.jpg: No such file…`) is not followed by
/// it again.
fn chain(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let said = cause.to_string();
        if !text.contains(&said) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&said);
        }
    }
    text
}
