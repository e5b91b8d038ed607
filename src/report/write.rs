//! Writes a report's files into its output folder, each atomically
//! (see [`crate::atomic`]).

use std::fs;
use std::path::{Path, PathBuf};

use super::{exporters, Report};
use crate::error::{Error, Result};

pub use crate::atomic::write_atomically;

/// Writes every exporter's file of `report` into `folder` (created if needed)
/// and returns the paths written.
pub fn write_report(report: &Report, folder: &Path) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    let mut written = Vec::new();
    for exporter in exporters() {
        let path = folder.join(exporter.file_name());
        write_atomically(&path, &exporter.render(report)?)?;
        written.push(path);
    }
    Ok(written)
}
