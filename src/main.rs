//! The `fevercheck` binary: parses the command line, runs the command, prints
//! any error with its whole chain and exits 2 on unusable input.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    clean_up_when_interrupted();
    let arguments = cli::Cli::parse();
    match cli::run(arguments) {
        Ok(code) => code,
        Err(error) => {
            // No control character of a quoted input reaches the terminal.
            let shown = fevercheck::escape::terminal::block(&chain(&error));
            let _ = writeln!(std::io::stderr(), "fevercheck: error: {shown}");
            if let Some(hint) = cli::hint(&error) {
                let hint = fevercheck::escape::terminal::block(&hint);
                let _ = writeln!(std::io::stderr(), "  hint: {hint}");
            }
            ExitCode::from(cli::EXIT_UNUSABLE)
        }
    }
}

/// On SIGINT (Ctrl-C) or SIGTERM, removes the temporary files and staging
/// folders being written, then exits as the signal would have (128 + its
/// number). A report already swapped in stays; the old one stays if the
/// swap had not happened.
fn clean_up_when_interrupted() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                fevercheck_report::clean_up_interrupted_run();
                let _ = writeln!(
                    std::io::stderr(),
                    "fevercheck: interrupted; nothing half-written was left"
                );
                std::process::exit(128 + signal);
            }
        });
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
