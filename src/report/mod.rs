//! Writing a [`Report`]: one exporter per output format behind the
//! [`Exporter`] trait (report.md, report.html, report.json), the charts
//! (`plot`), the terminal summary, and the output folder.
//!
//! Exporters never compute statistics: everything they show is in the
//! report. Comparisons are written through the same [`output`] path.

pub mod evidence;
pub(crate) mod format;
mod html;
mod json;
pub(crate) mod markdown;
pub mod output;
pub mod plot;
pub(crate) mod tables;
pub mod terminal;
pub mod write;

use crate::model::Report;

pub use html::{escape, HtmlExporter};
pub use json::JsonExporter;
pub use markdown::MarkdownExporter;
pub use output::{Chart, Exporter, PlotFiles};

/// Every exporter, in the order files are written (the JSON contract last,
/// so a folder holding report.json holds the other files of the same run).
pub fn exporters() -> [&'static dyn Exporter<Report>; 3] {
    [&MarkdownExporter, &HtmlExporter, &JsonExporter]
}
