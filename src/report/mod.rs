//! The [`Report`]: the contract that tests, scripts and other tools read, and
//! one exporter per output format behind the [`Exporter`] trait.
//!
//! `report.json` is this struct serialised; its key names are fixed by
//! DESIGN.md (`schema`, `session`, `accuracy.<source>`, `steps`, `findings`,
//! `verdict`) and keys are only ever added. Exporters never compute
//! statistics: everything they show is in the report.

pub(crate) mod format;
mod html;
mod json;
pub(crate) mod markdown;
pub mod plot;
pub(crate) mod tables;
pub mod terminal;
pub mod write;

use crate::error::Result;
use crate::model::Report;

pub use html::{escape, HtmlExporter};
pub use json::JsonExporter;
pub use markdown::MarkdownExporter;

/// One output format of a report.
pub trait Exporter {
    /// File name written in the output folder.
    fn file_name(&self) -> &'static str;
    /// The file's contents.
    fn render(&self, report: &Report) -> Result<Vec<u8>>;
}

/// Every exporter, in the order files are written (the JSON contract last,
/// so a folder holding report.json holds the other files of the same run).
pub fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(MarkdownExporter),
        Box::new(HtmlExporter),
        Box::new(JsonExporter),
    ]
}
