//! Writes a report's files into its output folder — `report.md`,
//! `report.html`, `report.json` and `plots/*.svg|png` — each atomically (a
//! temporary file, then renamed). `report.json` is written last, so a folder whose
//! report.json is new holds the other files of the same run.

use std::fs;
use std::path::{Path, PathBuf};

use super::exporters;
use super::plot::charts;
use crate::error::{Error, Result};
use crate::model::Report;

pub use crate::atomic::write_atomically;

/// Which chart files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlotFiles {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// Both PNG and SVG.
    #[default]
    Both,
    /// No chart files (the HTML report still shows the charts).
    None,
}

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
    fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    let mut written = write_plots(report, &folder.join("plots"), plots)?;
    for exporter in exporters() {
        let path = folder.join(exporter.file_name());
        write_atomically(&path, &exporter.render(report)?)?;
        written.push(path);
    }
    Ok(written)
}

fn write_plots(report: &Report, folder: &Path, plots: PlotFiles) -> Result<Vec<PathBuf>> {
    let (svg, png) = match plots {
        PlotFiles::Png => (false, true),
        PlotFiles::Svg => (true, false),
        PlotFiles::Both => (true, true),
        PlotFiles::None => return Ok(Vec::new()),
    };
    fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    let mut written = Vec::new();
    for chart in charts().iter().filter(|c| c.applies(report)) {
        if svg {
            let path = folder.join(format!("{}.svg", chart.name));
            write_atomically(&path, chart.svg(report)?.as_bytes())?;
            written.push(path);
        }
        if png {
            let path = folder.join(format!("{}.png", chart.name));
            write_atomically(&path, &chart.png(report)?)?;
            written.push(path);
        }
    }
    Ok(written)
}
