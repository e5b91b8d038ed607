//! The `fevercheck` binary: parses the command line, runs the command, prints
//! any error with its whole chain and exits 2 on unusable input.

use fevercheck_cli::cli;

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Parser;

fn main() -> ExitCode {
    fevercheck::timings::start();
    let interrupted = clean_up_when_interrupted();
    let arguments = cli::Cli::parse();
    let outcome = cli::run(arguments);
    leave_exit_to_the_clean_up(&interrupted);
    match outcome {
        Ok(code) => code,
        Err(error) => {
            // No control character of a quoted input reaches the terminal.
            let shown = fevercheck::escape::terminal::block(&cli::error_chain(&error));
            let _ = writeln!(std::io::stderr(), "fevercheck: error: {shown}");
            if let Some(hint) = cli::hint(&error) {
                let hint = fevercheck::escape::terminal::block(&hint);
                let _ = writeln!(std::io::stderr(), "  hint: {hint}");
            }
            ExitCode::from(cli::EXIT_UNUSABLE)
        }
    }
}

/// The program's allocator: mimalloc, built from the crate's own C sources
/// (no system library), without transparent huge pages.
///
/// glibc's allocator (even told to reuse blocks under 16 MiB, as it was for
/// the frames of `inspect`) maps every larger block afresh from the kernel
/// and returns it when freed: the lists of a million readings, 8–180 MB
/// each, made 210 000 page faults, 0.4 s of system time in a 1.0 s run.
/// mimalloc keeps freed memory for the next allocation: 140 000 faults,
/// 0.3 s, less time allocating, 7 % more peak memory (benches/README.md,
/// "A million readings against numpy"). Huge pages (the `no_thp` feature
/// keeps mimalloc from asking for them) cut the faults to a thousand on a
/// warm machine, but on a virtual machine whose idle memory the host has
/// taken back, a run's first touch of 2 MiB pages took 1.3–1.6 s of system
/// time: 1.4–1.8 s runs instead of 1.0 s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// On SIGINT (Ctrl-C) or SIGTERM, removes the temporary files and staging
/// folders being written, then exits as the signal would have (128 + its
/// number). A report already swapped in stays; the old one stays if the
/// swap had not happened. The returned flag is set by the signal handler
/// itself, before the interrupted call returns to the command.
fn clean_up_when_interrupted() -> Arc<AtomicBool> {
    let interrupted = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        for signal in [SIGINT, SIGTERM] {
            if signal_hook::flag::register(signal, Arc::clone(&interrupted)).is_err() {
                return interrupted;
            }
        }
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return interrupted;
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
    interrupted
}

/// Once a signal has arrived, the clean-up thread ends the process with the
/// signal's exit code: the command, which may just have failed because the
/// clean-up removed the folder it was writing into ("cannot write …: No
/// such file"), neither reports that error nor exits 2 or 0 first.
fn leave_exit_to_the_clean_up(interrupted: &AtomicBool) {
    if interrupted.load(Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
}
