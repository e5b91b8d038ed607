//! fevercheck tells a test lab whether a fever-screening camera reports body
//! temperatures honestly and accurately: it pairs what a device displayed
//! (and, for thermal cameras, what its own radiometric frames show) with a
//! reference, computes the accuracy statistics labs and standards use,
//! detects outputs that are compressed, clamped or otherwise shaped to hide
//! fevers, and writes a report with charts.
//!
//! # Analysing a session from code
//!
//! A session is a folder with `readings.csv` (one row per observation) and
//! an optional `session.toml` (the device, its claims, the reference):
//!
//! ```
//! use std::path::Path;
//!
//! use fevercheck::session::Session;
//!
//! let session = Session::load(Path::new("fixtures/compressing-21x3"))?;
//! let report = fevercheck::analyze(&session)?;
//!
//! // A camera that pulls readings toward 37 °C (as in Healy et al. 2021).
//! assert!(report.verdict.is_manipulation_suspected());
//! assert_eq!(report.verdict.accuracy_pass, Some(false));
//! let slope = report.accuracy["reported"].slope.unwrap();
//! assert!(slope < 0.4, "readings rise {slope:.2} °C per °C of target");
//! for finding in &report.findings {
//!     println!("[{}] {}: {}", finding.severity.name(), finding.detector, finding.message);
//! }
//!
//! // The report is the contract other tools read: report.json is this, serialised.
//! let json = serde_json::to_string_pretty(&report)?;
//! assert!(json.contains("\"schema\": \"fevercheck.report/1\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`report::write::write_report`] writes report.json, report.md,
//! report.html and the charts into a folder; [`simulate`] makes synthetic
//! sessions of honest and manipulated cameras; [`formats::open`] reads
//! radiometric files (FLIR R-JPEG, SEQ, CSQ, FFF, FPF, InfiRay, TIFF, PNG,
//! NPY, CSV matrices) frame by frame.
//!
//! # Architecture
//!
//! Modules import downward only (a test checks it; docs/design.md explains
//! it):
//!
//! ```text
//! model (the report and everything in it, session.toml sections, findings)
//!   ▲
//! radiometry, frame ◄── formats (decode files)     pixel (per-pixel passes)     stats
//!   ▲
//! session (readings.csv, session.toml; no frame decoding)
//!   ▲
//! detect (one detector per file behind one trait)
//!   ▲
//! analysis (the only place frames are opened: match, measure, pair, steps, judge, verdict)
//!   ▲
//! report (json, md, html, charts), convert (frame writers)
//!   ▲
//! check, compare, simulate        and the `fevercheck` binary on top
//! ```
//!
//! # Features
//!
//! - `cli` (default): the `fevercheck` program. Without it
//!   (`default-features = false`) the library builds without clap,
//!   indicatif and anyhow.

#![warn(missing_docs)]

mod analysis;
mod atomic;
pub mod check;
pub mod compare;
pub mod convert;
mod delimited;
pub mod detect;
mod error;
pub mod escape;
mod folder_swap;
pub mod formats;
pub mod frame;
mod input;
pub mod model;
mod output_guard;
mod ownership;
mod pending;
pub mod pixel;
pub mod radiometry;
mod raster;
pub mod report;
pub mod session;
pub mod simulate;
pub mod stats;
pub mod units;

pub use analysis::{analyze, analyze_with, AnalysisOptions};
pub use error::{Error, LimitKind, Location, Result};
pub use output_guard::RunInputs;

/// Removes the temporary files and staging folders of a run being
/// interrupted, for a signal handler to call just before the process exits
/// (the `fevercheck` program does so on SIGINT and SIGTERM). Anything a
/// swap already put in place stays; a staging folder is removed only when
/// it holds nothing but fevercheck's files.
pub fn clean_up_interrupted_run() {
    pending::remove_all(folder_swap::holds_only_report_files);
}
