//! Writing outputs so that nothing is lost: each file is written to a
//! temporary name in the destination folder, flushed to disk and renamed over
//! the old one. An interrupted run leaves either the previous file or the new
//! one, never half of either.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{exporters, Report};
use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically (temporary file + rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if let Err(error) = result {
        let _ = fs::remove_file(&temporary);
        return Err(Error::write(path, error));
    }
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomically(&path, b"old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_missing_folder_is_a_write_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent").join("out.txt");
        let err = write_atomically(&path, b"x").unwrap_err().to_string();
        assert!(
            err.contains("cannot write") && err.contains("out.txt"),
            "{err}"
        );
    }
}
