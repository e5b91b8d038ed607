//! An output is never an input. A run's output folder may not be, contain
//! or lie inside any file or folder the run reads — the session folder, its
//! readings, session.toml, logs and frames, the reports being compared —
//! because writing the report there would replace or remove the evidence it
//! was computed from (`analyze s --out s` used to swap the session folder
//! out, with its readings, for the report). The one exception is the
//! session folder itself: its own `fevercheck-report/` sub-folder is the
//! default output, and is allowed as long as it holds none of the files
//! read.
//!
//! Paths are compared after resolving links, `.` and `..`, so
//! `--out ./s/../s` or a link to the session is the session.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// What a run reads: files and folders, and the one folder an output may
/// lie inside (the session folder of `analyze`).
#[derive(Debug, Default, Clone)]
pub struct RunInputs {
    paths: Vec<(PathBuf, PathBuf)>,
    may_hold_output: Vec<PathBuf>,
}

impl RunInputs {
    /// No inputs yet.
    pub fn new() -> RunInputs {
        RunInputs::default()
    }

    /// Adds a file or folder the run reads.
    pub fn add(&mut self, path: &Path) {
        self.paths.push((path.to_path_buf(), resolve(path)));
    }

    /// Adds every path of `paths`.
    pub fn extend<'a>(&mut self, paths: impl IntoIterator<Item = &'a PathBuf>) {
        for path in paths {
            self.add(path);
        }
    }

    /// Adds a folder the run reads that may hold the output in a
    /// sub-folder of its own (the session folder).
    pub fn add_container(&mut self, folder: &Path) {
        self.add(folder);
        self.may_hold_output.push(resolve(folder));
    }

    /// Refuses `out` when it is, contains or lies inside an input; nothing
    /// has been written when this is called.
    pub fn refuse_as_output(&self, out: &Path) -> Result<()> {
        let target = resolve(out);
        for (given, input) in &self.paths {
            let why = if &target == input {
                "it is"
            } else if input.starts_with(&target) {
                "it contains"
            } else if target.starts_with(input) && !self.may_hold_output.contains(input) {
                "it lies inside"
            } else {
                continue;
            };
            return Err(Error::OutputInUse {
                path: out.to_path_buf(),
                message: format!(
                    "{why} {}, which this run reads; an output never replaces an input — \
                     choose another folder for --out",
                    crate::escape::terminal::inline(&given.display().to_string())
                ),
            });
        }
        Ok(())
    }
}

/// `path` resolved as far as it exists (links followed), the rest appended
/// with `.` and `..` applied: the place a read or a write would reach.
pub fn resolve(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = path.as_path();
    let mut rest: Vec<Component> = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return path,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_may_not_be_contain_or_lie_inside_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("s");
        std::fs::create_dir_all(session.join("frames")).unwrap();
        std::fs::write(session.join("readings.csv"), b"x").unwrap();
        let mut inputs = RunInputs::new();
        inputs.add_container(&session);
        inputs.add(&session.join("readings.csv"));
        inputs.add(&session.join("frames"));
        let refused = |out: &Path| inputs.refuse_as_output(out).is_err();
        assert!(refused(&session));
        assert!(refused(&session.join("../s/.")));
        assert!(refused(dir.path()));
        assert!(refused(&session.join("frames")));
        assert!(refused(&session.join("frames/report")));
        assert!(!refused(&session.join("fevercheck-report")));
        assert!(!refused(&dir.path().join("elsewhere")));
        let err = inputs.refuse_as_output(&session).unwrap_err().to_string();
        assert!(err.contains("which this run reads"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_an_input_is_the_input() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("s");
        std::fs::create_dir(&session).unwrap();
        std::os::unix::fs::symlink(&session, dir.path().join("link")).unwrap();
        let mut inputs = RunInputs::new();
        inputs.add_container(&session);
        assert!(inputs.refuse_as_output(&dir.path().join("link")).is_err());
    }
}
