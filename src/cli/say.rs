//! Printing to standard output without failing on a closed pipe (as in
//! `fevercheck check … | head`): the exit code still tells the outcome.

/// Writes a line to standard output, ignoring errors.
macro_rules! say {
    () => { say_raw!("\n") };
    ($($arg:tt)*) => { say_raw!("{}\n", format!($($arg)*)) };
}

/// Writes text to standard output, ignoring errors like [`say!`].
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = std::io::stdout().lock().write_all(format!($($arg)*).as_bytes());
    }};
}
