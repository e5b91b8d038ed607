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
    reuse_freed_frame_buffers();
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

/// Largest allocation glibc serves from its heaps instead of fresh pages,
/// and the free space it keeps at a heap's top instead of returning it,
/// bytes: 16 MiB, a few frames of a 640 × 480 camera (a frame's counts,
/// temperatures and file are 0.6–1.2 MB each).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const REUSED_BELOW_BYTES: libc::c_int = 16 << 20;

/// Lets glibc reuse the memory of one file's frame for the next. By default
/// a worker thread's buffers of a megabyte are fresh pages from the kernel
/// each time and given back when freed, so every file paid for zeroed pages:
/// `inspect` of 1 000 R-JPEGs spent 0.7 s of 1.3 s in the kernel on two
/// cores, 0.1 s with this (benches/README.md). Peak memory is unchanged.
fn reuse_freed_frame_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of glibc's allocator parameters, with
    // valid values, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, REUSED_BELOW_BYTES);
        libc::mallopt(libc::M_TRIM_THRESHOLD, REUSED_BELOW_BYTES);
    }
}

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
