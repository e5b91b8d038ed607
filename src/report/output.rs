//! The one output path of fevercheck: whatever is written — a session's
//! report or a comparison of many — is a set of files rendered by
//! [`Exporter`]s and charts rendered by [`Chart`]s, written into a folder by
//! [`write_outputs`]: the charts under `plots/` first, then the files in the
//! order given (the machine-readable contract last, so a folder whose JSON
//! is new holds the other files of the same run). Each file is written to a
//! temporary name and renamed.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::atomic::{write_atomically, AtomicFile};
use crate::error::{Error, Result};
use crate::ownership::OwnedFolder;

/// One output file rendered from a `T` (a report, a comparison).
pub trait Exporter<T: ?Sized> {
    /// File name written in the output folder.
    fn file_name(&self) -> &'static str;
    /// The file's contents.
    fn render(&self, item: &T) -> Result<Vec<u8>>;
    /// Writes the file's contents into `file`: the rendered bytes, unless
    /// the exporter streams them (a report of a million readings is
    /// hundreds of megabytes of JSON, not worth holding in memory twice).
    fn write_into(&self, item: &T, file: &mut AtomicFile) -> Result<()> {
        let bytes = self.render(item)?;
        let written = file.writer().write_all(&bytes);
        written.map_err(|e| file.error(e))
    }
}

/// One chart drawn from a `T`, as SVG and as PNG.
pub trait Chart<T: ?Sized> {
    /// File stem under `plots/` (`transfer` …).
    fn name(&self) -> &str;
    /// The SVG document.
    fn svg(&self, item: &T) -> Result<String>;
    /// The PNG file.
    fn png(&self, item: &T) -> Result<Vec<u8>>;
}

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
    /// No chart files (the HTML still shows the charts).
    None,
}

impl PlotFiles {
    fn svg(self) -> bool {
        matches!(self, PlotFiles::Svg | PlotFiles::Both)
    }

    fn png(self) -> bool {
        matches!(self, PlotFiles::Png | PlotFiles::Both)
    }
}

/// Writes `charts` of `item` into `folder/plots/` (as `plots` says) and
/// then every file of `exporters`, and returns the paths written.
pub fn write_outputs<T: ?Sized>(
    item: &T,
    folder: &Path,
    exporters: &[&dyn Exporter<T>],
    charts: &[&dyn Chart<T>],
    plots: PlotFiles,
) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    let mut written = Vec::new();
    if plots != PlotFiles::None && !charts.is_empty() {
        let plot_folder = folder.join("plots");
        fs::create_dir_all(&plot_folder).map_err(|e| Error::write(&plot_folder, e))?;
        for chart in charts {
            if plots.svg() {
                let path = plot_folder.join(format!("{}.svg", chart.name()));
                write_atomically(&path, chart.svg(item)?.as_bytes())?;
                written.push(path);
            }
            if plots.png() {
                let path = plot_folder.join(format!("{}.png", chart.name()));
                write_atomically(&path, &chart.png(item)?)?;
                written.push(path);
            }
        }
    }
    for exporter in exporters {
        let path = folder.join(exporter.file_name());
        let mut file = AtomicFile::create(&path)?;
        exporter.write_into(item, &mut file)?;
        written.push(file.commit()?);
    }
    let mut owned = OwnedFolder::reopen(folder);
    owned.record_written(&written)?;
    owned.save()?;
    Ok(written)
}
