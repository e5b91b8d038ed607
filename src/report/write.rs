//! Writes a report's files into its output folder — `report.md`,
//! `report.html`, `report.json` and `plots/*.svg|png` — each atomically (a
//! temporary file, then renamed). `report.json` is written last, so a folder whose
//! report.json is new holds the other files of the same run.

use std::fs;
use std::path::{Path, PathBuf};

use super::exporters;
use super::output::{write_outputs, Chart};
use super::plot::charts;
use crate::error::{Error, Result};
use crate::model::Report;

pub use super::output::PlotFiles;
pub use crate::atomic::write_atomically;

/// Name of the file that marks a folder as fevercheck's output.
pub const MARKER: &str = ".fevercheck-output";

/// Files and folders fevercheck writes into an output folder.
const OWN_NAMES: [&str; 5] = [MARKER, "report.md", "report.html", "report.json", "plots"];

/// Makes sure `folder` may receive a report: absent, empty, or marked as
/// fevercheck's own output — unless `force`. Nothing a person put there is
/// ever overwritten by accident.
pub fn prepare_output_folder(folder: &Path, force: bool) -> Result<()> {
    if folder.exists() && !force && !folder.join(MARKER).exists() {
        let foreign: Vec<String> = fs::read_dir(folder)
            .map_err(|e| Error::read(folder, e))?
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| !OWN_NAMES.contains(&name.as_str()))
            .collect();
        if !foreign.is_empty() {
            let shown: Vec<&str> = foreign.iter().take(5).map(String::as_str).collect();
            return Err(Error::OutputInUse {
                path: folder.to_path_buf(),
                message: format!(
                    "it holds files fevercheck did not write ({}{})",
                    shown.join(", "),
                    if foreign.len() > 5 { ", …" } else { "" }
                ),
            });
        }
    }
    fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    write_atomically(
        &folder.join(MARKER),
        b"written by fevercheck; reports here may be replaced\n",
    )
}

/// Writes every file of `report` into `folder` (created if needed) and
/// returns the paths written. Call [`prepare_output_folder`] first.
pub fn write_report(report: &Report, folder: &Path, plots: PlotFiles) -> Result<Vec<PathBuf>> {
    let kinds = charts();
    let applying: Vec<&dyn Chart<Report>> = kinds
        .iter()
        .filter(|c| c.applies(report))
        .map(|c| c as &dyn Chart<Report>)
        .collect();
    write_outputs(report, folder, &exporters(), &applying, plots)
}
