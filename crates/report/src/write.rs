//! Writes a report's files into its output folder — `report.md`,
//! `report.html`, `report.json` and `plots/*.svg|png` — each atomically (a
//! temporary file, then renamed), into a new folder that then replaces the
//! old one whole when the folder holds only fevercheck's files
//! ([`super::output::write_outputs`]). `report.json` is written last, so a
//! folder whose report.json is new holds the other files of the same run.

use std::path::Path;

use super::html::HtmlWithCharts;
pub use super::output::Written;
use super::output::{write_outputs, Chart, Exporter};
use super::plot::observed::Observed;
use super::plot::{applicable_charts, charts};
use super::{JsonExporter, MarkdownExporter};
use crate::ownership::OwnedFolder;
use fevercheck::model::Report;
use fevercheck_io::error::Result;

pub use super::output::PlotFiles;

pub use crate::ownership::MARKER;

/// An output folder claimed for one run. While it is held, another run
/// into the same folder is refused, so two runs never mix their files.
#[must_use = "the folder is locked for this run only while this is held"]
pub struct ClaimedFolder {
    _owned: OwnedFolder,
}

/// Makes sure `folder` may receive a report: absent, empty, or holding only
/// files fevercheck wrote there and nobody changed since — unless `force`.
/// Nothing a person put there is ever overwritten by accident
/// (`crate::ownership`). Hold the result until the report is written.
pub fn prepare_output_folder(folder: &Path, force: bool) -> Result<ClaimedFolder> {
    OwnedFolder::claim(folder, force).map(|owned| ClaimedFolder { _owned: owned })
}

/// Writes every file of `report` into `folder` (created if needed) and
/// returns the paths written. Call [`prepare_output_folder`] first.
pub fn write_report(report: &Report, folder: &Path, plots: PlotFiles) -> Result<Written> {
    let kinds = charts();
    // Each chart's SVG is drawn once, for plots/ and for report.html.
    let observed = Observed::of(report);
    let drawn = applicable_charts(&kinds, &observed);
    let html = HtmlWithCharts(&drawn);
    let exporters: [&dyn Exporter<Report>; 3] = [&MarkdownExporter, &html, &JsonExporter];
    let charts: Vec<&dyn Chart<Report>> = drawn.iter().map(|c| c as &dyn Chart<Report>).collect();
    write_outputs(report, folder, &exporters, &charts, plots)
}
