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
//! let session = Session::load(Path::new("../../fixtures/compressing-21x3"))?;
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
//! The crates beneath this one are re-exported, so one dependency serves:
//! [`stats`] (method-comparison statistics), [`formats`] (radiometric
//! files: FLIR R-JPEG, SEQ, CSQ, FFF, FPF, InfiRay JPEG and IRG, HTI, TIFF, PNG, NPY, CSV
//! matrices, frame by frame), [`pixel`], [`radiometry`], [`convert`] and
//! [`escape`]. Writing a report (report.json, report.md, report.html and
//! the charts), comparing devices and simulating cameras are the
//! `fevercheck-report` crate's.
//!
//! # Architecture
//!
//! The workspace's crates are its layers; each depends only on those below
//! it (the compiler enforces it; `tests/architecture.rs` checks the graph
//! from `cargo metadata`; docs/design.md explains it):
//!
//! ```text
//! fevercheck-cli      the `fevercheck` program
//!   ▲
//! fevercheck-report   report.json/md/html and charts, compare, check, simulate, folder ownership
//!   ▲
//! fevercheck          model, session, detect, analysis (this crate)
//!   ▲
//! fevercheck-thermal  frames, radiometry, camera formats, pixel statistics, conversion
//!   ▲
//! fevercheck-io       errors with places, bounded reads, atomic writes, escaping
//! fevercheck-stats    statistics (no thermal or file knowledge)
//! ```
//!
//! Within this crate, modules import downward: `model` (the report and
//! everything in it, session.toml sections) ◄ `session` (readings.csv,
//! session.toml; no frame decoding) ◄ `detect` (one detector per file
//! behind one trait) ◄ `analysis` (the only place frames are opened).
//!
//! An import from a higher crate does not compile:
//!
//! ```compile_fail
//! use fevercheck_report::JsonExporter;
//! ```

#![warn(missing_docs, unreachable_pub)]

mod analysis;
pub mod detect;
pub mod model;
pub mod session;
pub mod units;

pub use analysis::{analyze, analyze_with, AnalysisOptions};
pub use fevercheck_io::{escape, timings, Error, LimitKind, Location, Result, RunInputs};
pub use fevercheck_stats as stats;
pub use fevercheck_thermal::{calibrated_range, convert, formats, frame, pixel, radiometry};
