//! Where a run's time goes: with the environment variable
//! `FEVERCHECK_TIMINGS` set (to anything), each phase a command passes
//! prints its name and the wall time since the run's first phase to
//! standard error, one line each:
//!
//! ```text
//! fevercheck: timing: 0.431 s  session read
//! ```
//!
//! Without the variable a phase costs one load of a flag. benches/README.md
//! tells the phases of `analyze` apart with it.

use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

/// The environment variable that turns the timings on.
pub const VARIABLE: &str = "FEVERCHECK_TIMINGS";

/// When the first phase was marked, if the timings are on.
fn origin() -> Option<Instant> {
    static ORIGIN: OnceLock<Option<Instant>> = OnceLock::new();
    *ORIGIN.get_or_init(|| std::env::var_os(VARIABLE).map(|_| Instant::now()))
}

/// Marks the start of a run (the time the later phases are counted from)
/// without printing.
pub fn start() {
    let _ = origin();
}

/// Prints that `phase` is done, with the seconds since [`start`] (or the
/// first phase), when the timings are on.
pub fn done(phase: impl std::fmt::Display) {
    if let Some(origin) = origin() {
        let seconds = origin.elapsed().as_secs_f64();
        let _ = writeln!(
            std::io::stderr(),
            "fevercheck: timing: {seconds:.3} s  {phase}"
        );
    }
}
