//! The one output path of fevercheck: whatever is written — a session's
//! report or a comparison of many — is a set of files rendered by
//! [`Exporter`]s and charts rendered by [`Chart`]s, written into a folder by
//! [`write_outputs`]: the charts under `plots/` first, then the files in the
//! order given (the machine-readable contract last, so a folder whose JSON
//! is new holds the other files of the same run). Each file is written to a
//! temporary name and renamed, and the folder itself is replaced whole when
//! it holds only fevercheck's files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::atomic::{write_atomically, AtomicFile};
use crate::error::{Error, Result};
use crate::folder_swap::StagedFolder;
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
///
/// When the folder holds only fevercheck's files, the new files are written
/// into a new folder beside it that then replaces it whole
/// ([`crate::folder_swap`]): a reader sees the old report or the new one,
/// never a mix, and charts the new run no longer draws go with the old
/// report. A folder that also holds other files (kept there with `--force`)
/// is written into file by file, each file atomically.
pub fn write_outputs<T: ?Sized>(
    item: &T,
    folder: &Path,
    exporters: &[&dyn Exporter<T>],
    charts: &[&dyn Chart<T>],
    plots: PlotFiles,
) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    if let Some(staged) = staging_for(folder)? {
        let written = write_files(item, staged.path(), exporters, charts, plots)?;
        let staging = staged.path().to_path_buf();
        staged.commit()?;
        return Ok(written
            .iter()
            .map(|path| folder.join(path.strip_prefix(&staging).unwrap_or(path)))
            .collect());
    }
    write_files(item, folder, exporters, charts, plots)
}

/// A new version of `folder` to write into, when the folder may be
/// replaced whole: it holds only files its marker lists, it has a parent
/// to hold the new version, and that parent takes one.
fn staging_for(folder: &Path) -> Result<Option<StagedFolder>> {
    if !OwnedFolder::reopen(folder).holds_only_listed_files()? {
        return Ok(None);
    }
    // `--out .` names the folder by its real path, whose parent holds it.
    let real = fs::canonicalize(folder).map_err(|e| Error::read(folder, e))?;
    if real.parent().is_none() {
        return Ok(None);
    }
    Ok(StagedFolder::create(&real).ok())
}

/// Writes the charts and files into `folder` and records them in its marker.
fn write_files<T: ?Sized>(
    item: &T,
    folder: &Path,
    exporters: &[&dyn Exporter<T>],
    charts: &[&dyn Chart<T>],
    plots: PlotFiles,
) -> Result<Vec<PathBuf>> {
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
