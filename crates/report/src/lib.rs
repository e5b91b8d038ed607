//! fevercheck's outputs. Writing a [`Report`]: one exporter per output
//! format behind the [`Exporter`] trait (report.md, report.html,
//! report.json), the charts ([`plot`]), the terminal summary, and the
//! output folder, which fevercheck owns (it writes a marker there) and replaces in one
//! step; [`compare`] (several devices' reports side by side), [`check`]
//! (a report.json against an expected one) and [`simulate`] (sessions of
//! invented honest and manipulated cameras).
//!
//! Exporters never compute statistics: everything they show is in the
//! report. Comparisons are written through the same [`output`] path.
//!
//! ```no_run
//! use std::path::Path;
//!
//! use fevercheck::session::Session;
//! use fevercheck_report::write::{prepare_output_folder, write_report};
//! use fevercheck_report::PlotFiles;
//!
//! let session = Session::load(Path::new("fixtures/compressing-21x3"))?;
//! let report = fevercheck::analyze(&session)?;
//! let out = Path::new("compressing-report");
//! // Refuses a folder holding anything fevercheck did not write.
//! let _claim = prepare_output_folder(out, false)?;
//! let written = write_report(&report, out, PlotFiles::Both)?;
//! # Ok::<(), fevercheck::Error>(())
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod check;
pub mod compare;
pub mod evidence;
pub mod fleet_page;
mod folder_swap;
pub(crate) mod format;
mod html;
mod json;
#[cfg(test)]
mod json_layout;
pub(crate) mod markdown;
pub mod output;
mod ownership;
pub mod plot;
pub mod simulate;
pub(crate) mod tables;
pub mod terminal;
pub mod write;

use fevercheck::model::Report;

pub use html::{escape, HtmlExporter, HtmlWithCharts};
pub use json::JsonExporter;
pub use markdown::MarkdownExporter;
pub use output::{Chart, Exporter, PlotFiles};

/// Every exporter, in the order files are written (the JSON contract last,
/// so a folder holding report.json holds the other files of the same run).
/// [`write::write_report`] writes the same files, with report.html given
/// the charts it draws for plots/ ([`HtmlWithCharts`]).
pub fn exporters() -> [&'static dyn Exporter<Report>; 3] {
    [&MarkdownExporter, &HtmlExporter, &JsonExporter]
}

/// Removes the temporary files and staging folders of a run being
/// interrupted, for a signal handler to call just before the process exits
/// (the `fevercheck` program does so on SIGINT and SIGTERM). Anything a
/// swap already put in place stays; a staging folder is removed only when
/// it holds nothing but fevercheck's files.
pub fn clean_up_interrupted_run() {
    fevercheck_io::pending::remove_all(folder_swap::holds_only_report_files);
}
