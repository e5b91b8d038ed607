//! Where a conversion writes, and whether it may: the user's files are
//! never replaced by accident. An existing file at a target is refused
//! unless `--force`; the input itself is refused always, recognised as the
//! same file (device and inode on Unix) whatever name reaches it; a missing
//! folder is created.

use std::path::{Path, PathBuf};

use super::{numbered, OutputFormat};
use fevercheck_io::error::{Error, Result};

/// The files a conversion of the frames `indexes` to `path` writes: one,
/// or for PNG with several frames one per frame, numbered.
pub fn output_paths(format: OutputFormat, path: &Path, indexes: &[usize]) -> Vec<PathBuf> {
    if format == OutputFormat::Png && indexes.len() > 1 {
        indexes.iter().map(|&i| numbered(path, i)).collect()
    } else {
        vec![path.to_path_buf()]
    }
}

/// Checks every target against `input` and what exists, then creates the
/// missing parent folders.
pub fn prepare_targets(input: &Path, targets: &[PathBuf], force: bool) -> Result<()> {
    for target in targets {
        let Ok(existing) = std::fs::symlink_metadata(target) else {
            continue;
        };
        if same_file(input, target) {
            return Err(Error::OutputInUse {
                path: target.clone(),
                message: "it is the file being converted; choose another --out".into(),
            });
        }
        if !existing.is_file() {
            return Err(Error::OutputInUse {
                path: target.clone(),
                message: "it exists and is not a regular file".into(),
            });
        }
        if !force {
            return Err(Error::OutputInUse {
                path: target.clone(),
                message: "the file exists; add --force to replace it".into(),
            });
        }
    }
    for parent in targets.iter().filter_map(|t| t.parent()) {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
    }
    Ok(())
}

/// Whether two paths reach the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_needs_force_and_the_input_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("frame.npy");
        std::fs::write(&input, b"x").unwrap();
        let other = dir.path().join("old.csv");
        std::fs::write(&other, b"y").unwrap();
        let err = prepare_targets(&input, std::slice::from_ref(&other), false).unwrap_err();
        assert!(err.to_string().contains("add --force"), "{err}");
        assert!(prepare_targets(&input, &[other], true).is_ok());
        // The input under another name (a hard link) is still the input.
        let alias = dir.path().join("alias.npy");
        std::fs::hard_link(&input, &alias).unwrap();
        let err = prepare_targets(&input, &[alias], true).unwrap_err();
        assert!(
            err.to_string().contains("the file being converted"),
            "{err}"
        );
        // A missing folder is created.
        let nested = dir.path().join("a/b/out.csv");
        prepare_targets(&input, std::slice::from_ref(&nested), false).unwrap();
        assert!(nested.parent().unwrap().is_dir());
    }

    #[test]
    fn several_png_frames_are_numbered_files() {
        let paths = output_paths(OutputFormat::Png, Path::new("out/f.png"), &[0, 3]);
        assert_eq!(
            paths,
            [PathBuf::from("out/f-0.png"), PathBuf::from("out/f-3.png")]
        );
        let one = output_paths(OutputFormat::Tiff, Path::new("f.tiff"), &[0, 3]);
        assert_eq!(one, [PathBuf::from("f.tiff")]);
    }
}
