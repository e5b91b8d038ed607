//! Printing to standard output without failing on a closed pipe (as in
//! `fevercheck check … | head`): the exit code still tells the outcome.
//! Whatever is printed passes through
//! [`fevercheck::escape::terminal::block`]: no control character other
//! than a line break or a tab reaches the terminal as itself, whatever a
//! message quotes (each place that quotes an input escapes its line breaks
//! too).

/// Writes a line to standard output, ignoring errors.
macro_rules! say {
    () => { say_raw!("\n") };
    ($($arg:tt)*) => { say_raw!("{}\n", format!($($arg)*)) };
}

/// Writes text to standard output, ignoring errors like [`say!`].
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = fevercheck::escape::terminal::block(&format!($($arg)*));
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }};
}
