//! The one output path of fevercheck: whatever is written — a session's
//! report or a comparison of many — is a set of files rendered by
//! [`Exporter`]s and charts rendered by [`Chart`]s, written into a folder by
//! [`write_outputs`]: the charts under `plots/` first, then the files in the
//! order given (the machine-readable contract last, so a folder whose JSON
//! is new holds the other files of the same run). Each file is written to a
//! temporary name and renamed, and the folder itself is replaced whole when
//! it holds only fevercheck's files. The contract is written into its
//! temporary name first, while the charts and then the other files are
//! drawn and rendered on the other cores, and renamed last; every write and
//! rename is made by the calling thread.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::folder_swap::StagedFolder;
use crate::ownership::OwnedFolder;
use fevercheck_io::atomic::{write_atomically_hashed, AtomicFile};
use fevercheck_io::error::{Error, Result};
use fevercheck_io::timings;

/// One output file rendered from a `T` (a report, a comparison).
pub trait Exporter<T: ?Sized>: Sync {
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
pub trait Chart<T: ?Sized>: Sync {
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

/// What [`write_outputs`] wrote.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Written {
    /// Every file written, at its final path.
    pub files: Vec<PathBuf>,
    /// Why the folder was written file by file instead of being replaced
    /// whole, when that was not the user's choice (a mount point, a file
    /// system that cannot swap folders).
    pub in_place_because: Option<String>,
}

/// Writes `charts` of `item` into `folder/plots/` (as `plots` says) and
/// then every file of `exporters`, and returns the paths written.
///
/// When the folder holds only fevercheck's files, the new files are written
/// into a new folder beside it that then replaces it whole
/// (`crate::folder_swap`): a reader sees the old report or the new one,
/// never a mix, and charts the new run no longer draws go with the old
/// report. A folder that also holds other files (kept there with `--force`)
/// is written into file by file, each file atomically. So is a folder that
/// cannot be swapped — a mount point (a container volume, the root of a USB
/// stick), or one whose file system refuses the swap — and [`Written`]
/// says why.
pub fn write_outputs<T: ?Sized + Sync>(
    item: &T,
    folder: &Path,
    exporters: &[&dyn Exporter<T>],
    charts: &[&dyn Chart<T>],
    plots: PlotFiles,
) -> Result<Written> {
    fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    crate::folder_swap::remove_dead_stagings(folder);
    let in_place_because = match staging_for(folder)? {
        Staging::Staged(staged) => {
            let staging = staged.path().to_path_buf();
            // An error names the file as the user knows it, not the staging
            // copy, which is gone with the failed run (a full disk).
            let written = write_files(item, &staging, exporters, charts, plots)
                .map_err(|e| named_in(e, &staging, folder))?;
            match staged.commit() {
                Ok(()) => {
                    let files = written
                        .iter()
                        .map(|path| folder.join(path.strip_prefix(&staging).unwrap_or(path)))
                        .collect();
                    return Ok(Written {
                        files,
                        in_place_because: None,
                    });
                }
                // The staged version is gone with the failed swap; the old
                // folder is untouched, and the files go into it one by one.
                Err(e) => Some(format!(
                    "the folder could not be swapped for its new version ({e})"
                )),
            }
        }
        Staging::InPlace(because) => because,
    };
    let files = write_files(item, folder, exporters, charts, plots)?;
    Ok(Written {
        files,
        in_place_because,
    })
}

/// `error` with a path under `staging` named as the same path under
/// `folder`.
fn named_in(error: Error, staging: &Path, folder: &Path) -> Error {
    let moved = |path: PathBuf| match path.strip_prefix(staging) {
        Ok(rest) => folder.join(rest),
        Err(_) => path,
    };
    // The operating system's own words, without the temporary path the
    // `tempfile` crate adds to them (" at path …").
    let plain = |source: std::io::Error| {
        let text = source.to_string();
        match text.split_once(" at path ") {
            Some((said, _)) => std::io::Error::new(source.kind(), said.to_string()),
            None => source,
        }
    };
    match error {
        Error::Write { path, source } => Error::Write {
            path: moved(path),
            source: plain(source),
        },
        Error::Read { path, source } => Error::Read {
            path: moved(path),
            source: plain(source),
        },
        other => other,
    }
}

/// How a folder is written.
enum Staging {
    /// Into a new version beside it, swapped in whole.
    Staged(StagedFolder),
    /// Into the folder itself, file by file; why, when not the user's
    /// choice.
    InPlace(Option<String>),
}

/// A new version of `folder` to write into, when the folder may be
/// replaced whole: it holds only files its marker lists, it is not a mount
/// point, it has a parent to hold the new version, and that parent takes
/// one.
fn staging_for(folder: &Path) -> Result<Staging> {
    if !OwnedFolder::reopen(folder).holds_only_listed_files()? {
        return Ok(Staging::InPlace(None));
    }
    // `--out .` names the folder by its real path, whose parent holds it.
    let real = fs::canonicalize(folder).map_err(|e| Error::read(folder, e))?;
    let Some(parent) = real.parent() else {
        return Ok(Staging::InPlace(Some(
            "it is the root of the file system".into(),
        )));
    };
    if is_mount_point(&real, parent) {
        return Ok(Staging::InPlace(Some(
            "it is a mount point, which cannot be swapped for a new version".into(),
        )));
    }
    Ok(match StagedFolder::create(&real) {
        Ok(staged) => Staging::Staged(staged),
        Err(e) => Staging::InPlace(Some(format!(
            "no new version could be made beside it ({e})"
        ))),
    })
}

/// Whether `folder` is on another file system than its parent.
fn is_mount_point(folder: &Path, parent: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(folder), fs::metadata(parent)) {
            (Ok(a), Ok(b)) => a.dev() != b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (folder, parent);
        false
    }
}

/// Writes the charts and files into `folder` and records them in its marker.
///
/// The charts are drawn, then the other files rendered, on the other cores
/// while this thread streams the last exporter's file (the contract) into
/// its temporary file, which is renamed last; every file is written and
/// renamed by this one thread, in the order the module describes.
fn write_files<T: ?Sized + Sync>(
    item: &T,
    folder: &Path,
    exporters: &[&dyn Exporter<T>],
    charts: &[&dyn Chart<T>],
    plots: PlotFiles,
) -> Result<Vec<PathBuf>> {
    let (contract, files) = match exporters.split_last() {
        Some((last, others)) => (Some(*last), others),
        None => (None, exporters),
    };
    let (drawings, rendered, contract) = std::thread::scope(|scope| {
        let drawing = scope.spawn(|| {
            let drawn = draw_all(item, charts, plots);
            timings::done("charts drawn");
            // The pages embed the charts just drawn.
            let rendered: Result<Vec<Vec<u8>>> = files.iter().map(|e| e.render(item)).collect();
            timings::done("other files rendered");
            (drawn, rendered)
        });
        let contract = contract
            .map(|exporter| {
                let mut file = AtomicFile::create(&folder.join(exporter.file_name()))?;
                exporter.write_into(item, &mut file)?;
                timings::done(format_args!("{} written", exporter.file_name()));
                Ok(file)
            })
            .transpose();
        let (drawings, rendered) = drawing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (drawings, rendered, contract)
    });
    let (drawings, rendered, contract) = (drawings?, rendered?, contract?);
    let mut written = Vec::new();
    if plots != PlotFiles::None && !charts.is_empty() {
        let plot_folder = folder.join("plots");
        fs::create_dir_all(&plot_folder).map_err(|e| Error::write(&plot_folder, e))?;
        for (chart, drawing) in charts.iter().zip(drawings) {
            let files = [
                ("svg", drawing.svg.map(String::into_bytes)),
                ("png", drawing.png),
            ];
            for (extension, bytes) in files {
                if let Some(bytes) = bytes {
                    let path = plot_folder.join(format!("{}.{extension}", chart.name()));
                    written.push(write_atomically_hashed(&path, &bytes)?);
                }
            }
        }
    }
    for (exporter, bytes) in files.iter().zip(rendered) {
        let path = folder.join(exporter.file_name());
        written.push(write_atomically_hashed(&path, &bytes)?);
    }
    if let Some(file) = contract {
        written.push(file.commit_hashed()?);
    }
    let mut owned = OwnedFolder::reopen(folder);
    owned.record_committed(&written);
    owned.save()?;
    Ok(written.into_iter().map(|file| file.path).collect())
}

/// One chart's drawings for `plots/`: the SVG is drawn even when only the
/// PNG is written, for a page that embeds it.
struct Drawing {
    svg: Option<String>,
    png: Option<Vec<u8>>,
}

/// Every chart's drawings, drawn side by side on the free cores.
fn draw_all<T: ?Sized + Sync>(
    item: &T,
    charts: &[&dyn Chart<T>],
    plots: PlotFiles,
) -> Result<Vec<Drawing>> {
    charts
        .par_iter()
        .map(|chart| {
            let (svg, png) = rayon::join(
                || chart.svg(item),
                || plots.png().then(|| chart.png(item)).transpose(),
            );
            Ok(Drawing {
                svg: Some(svg?).filter(|_| plots.svg()),
                png: png?,
            })
        })
        .collect()
}
