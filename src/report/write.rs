//! Writes a report's files into its output folder — `report.md`,
//! `report.html`, `report.json` and `plots/*.svg|png` — each atomically (see
//! [`crate::atomic`]). `report.json` is written last, so a folder whose
//! report.json is new holds the other files of the same run.

use std::fs;
use std::path::{Path, PathBuf};

use super::plot::charts;
use super::{exporters, Report};
use crate::error::{Error, Result};

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

/// Writes every file of `report` into `folder` (created if needed) and
/// returns the paths written.
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
