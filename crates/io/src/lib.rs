//! fevercheck's handling of files, shared by every crate above it: an
//! [`Error`] that names the file and the place (line, column, byte offset,
//! frame, pixel) and what was expected; reads of regular files with a size
//! bound; outputs written atomically, with the temporary files of an
//! interrupted run known and removed; a guard that no input is also an
//! output; and escaping for every language a report is written in, so that
//! nothing in an input changes what a report, a terminal or a spreadsheet
//! shows beyond its data.
//!
//! ```
//! use fevercheck_io::escape::{csv, html, terminal};
//!
//! // A vendor's device name as it might arrive in a session file.
//! let name = "=HYPERLINK(\"x\")<script>\u{1b}[2J";
//! assert!(csv::cell(name).starts_with('\''));
//! assert!(!html::text(name).contains("<script>"));
//! assert!(!terminal::inline(name).contains('\u{1b}'));
//! ```
//!
//! # Layering
//!
//! The bottom of the workspace beside `fevercheck-stats`: it depends on no
//! other of fevercheck's crates, so reaching for one does not compile:
//!
//! ```compile_fail
//! use fevercheck_stats::Interval;
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod atomic;
pub mod delimited;
pub mod error;
pub mod escape;
pub mod file_digest;
pub mod input;
pub mod output_guard;
pub mod pending;
pub mod timings;

pub use error::{Error, LimitKind, Location, Result};
pub use output_guard::RunInputs;
