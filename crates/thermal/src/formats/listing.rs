//! The frame files of a folder: what `inspect`, `convert` and `[match]
//! frames` read when given a folder instead of a file.

use std::path::{Path, PathBuf};

use fevercheck_io::error::{Error, Result};

use super::table::frame_extensions;

/// Whether `path` has the extension of a frame file (any case): of a format
/// the table reads and picks up from folders.
pub fn is_frame_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        frame_extensions().contains(&e.to_string_lossy().to_ascii_lowercase().as_str())
    })
}

/// The frame files `path` stands for: the file itself, or the frame files
/// directly inside a folder (not its subfolders), sorted by name. Other
/// files in the folder are passed over.
pub fn frame_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| Error::read(path, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_frame_file(p))
        .collect();
    files.sort();
    Ok(files)
}

/// The frame files of every path in `paths`, in order; a folder with none
/// is an error naming it and the extensions looked for.
pub fn frame_files_of(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let found = frame_files(path)?;
        if found.is_empty() {
            return Err(Error::Unusable {
                path: path.clone(),
                message: format!(
                    "the folder holds no frame file (looked for .{})",
                    frame_extensions().join(", .")
                ),
            });
        }
        files.extend(found);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_stands_for_its_frame_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.JPG", "a.seq", "notes.txt", "c.csv"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub.png")).unwrap();
        let found = frame_files(dir.path()).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.seq", "b.JPG"]);
        // A file stands for itself, whatever its extension.
        let file = dir.path().join("notes.txt");
        assert_eq!(frame_files(&file).unwrap(), vec![file]);
        // A folder without frame files is an error naming it.
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let err = frame_files_of(&[empty]).unwrap_err().to_string();
        assert!(
            err.contains("empty") && err.contains("no frame file"),
            "{err}"
        );
    }
}
