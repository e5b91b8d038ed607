//! Where a session's files may be, and which files a run reads.
//!
//! A session comes from a vendor or a colleague: its `session.toml` names
//! logs and frame folders, its `readings.csv` names frames, and any of them
//! may be a symbolic link. Every such path must resolve (links followed)
//! inside the session folder; a path that leaves it — absolute, `../`, a
//! link to `/etc` — is refused naming the key or line that gave it, unless
//! the user allows it (`--allow-outside`, or `[paths] allow_outside = true`
//! in session.toml). An allowed path from outside is then named in every
//! report, so a reader knows the analysis used files beyond the folder.
//!
//! The same list of paths tells the command line which files a run reads,
//! so that its output never is, contains or replaces one of them
//! ([`fevercheck_io::output_guard`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Session, MANIFEST_FILE, READINGS_FILE};
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_io::output_guard::resolve;

/// Whether paths may leave the session folder, and what left it.
#[derive(Debug, Default)]
pub(crate) struct PathRule {
    /// The session folder, resolved (links followed).
    folder: PathBuf,
    /// Paths outside the folder are allowed.
    allow_outside: bool,
    /// Resolved paths outside the folder that were allowed.
    outside: BTreeSet<PathBuf>,
}

impl PathRule {
    /// The rule for a session read from `folder`.
    pub(crate) fn new(folder: &Path, allow_outside: bool) -> PathRule {
        let folder = resolve(folder);
        PathRule {
            folder,
            allow_outside,
            outside: BTreeSet::new(),
        }
    }

    /// Checks `path` (as the session gave it, already joined to the folder)
    /// before it is read; `given_by` names where it was given (the key of
    /// session.toml, the line of readings.csv) for the error.
    pub(crate) fn check(&mut self, path: &Path, given_by: &Location) -> Result<()> {
        let resolved = resolve(path);
        if resolved.starts_with(&self.folder) {
            return Ok(());
        }
        if self.allow_outside {
            self.outside.insert(resolved);
            return Ok(());
        }
        Err(Error::invalid(
            given_by.clone(),
            format!(
                "{} lies outside the session folder {}{}; a session's files are read only \
                 from its own folder (move the file into it, or add --allow-outside, or \
                 `[paths] allow_outside = true` in {MANIFEST_FILE}, to read it from there)",
                shown(path),
                shown(&self.folder),
                if resolved.as_path() != path {
                    format!(" (it resolves to {})", shown(&resolved))
                } else {
                    String::new()
                }
            ),
        ))
    }

    /// The warning every report carries for allowed paths from outside.
    pub(crate) fn warning(&self) -> Option<String> {
        if self.outside.is_empty() {
            return None;
        }
        let listed: Vec<String> = self
            .outside
            .iter()
            .take(MOST_LISTED)
            .map(|p| shown(p))
            .collect();
        let more = self.outside.len().saturating_sub(MOST_LISTED);
        Some(format!(
            "files from outside the session folder were read (allowed by --allow-outside): {}{}",
            listed.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ))
    }
}

/// Most outside paths named in the warning.
const MOST_LISTED: usize = 20;

/// A path for a message: control characters and line breaks shown escaped.
fn shown(path: &Path) -> String {
    fevercheck_io::escape::terminal::inline(&path.display().to_string())
}

impl Session {
    /// Every file and folder this session's analysis reads: the session
    /// folder or file, `readings.csv`, `session.toml`, the logs, each frame
    /// a row names and the `[match]` frames. An output written over one of
    /// them would destroy the evidence it was computed from.
    pub fn input_paths(&self) -> Vec<PathBuf> {
        let folder = self.folder();
        let mut paths = BTreeSet::new();
        paths.insert(self.path.clone());
        for name in [READINGS_FILE, MANIFEST_FILE] {
            let path = folder.join(name);
            if std::fs::symlink_metadata(&path).is_ok() {
                paths.insert(path);
            }
        }
        let manifest = &self.manifest;
        for log in [&manifest.reference.log, &manifest.device.log]
            .into_iter()
            .flatten()
        {
            paths.insert(folder.join(log));
        }
        if let Some(frames) = manifest.matching.as_ref().and_then(|m| m.frames.as_ref()) {
            paths.insert(folder.join(frames));
        }
        // Looked for on every core: a million readings without frames are
        // 180 MB to read through.
        let frames: Vec<&String> = self
            .observations
            .par_iter()
            .filter_map(|o| o.frame.as_ref())
            .collect();
        for frame in frames {
            paths.insert(folder.join(frame));
        }
        paths.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_through_dot_dot_resolves_outside() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("session");
        std::fs::create_dir(&session).unwrap();
        std::fs::write(dir.path().join("secret.csv"), b"x").unwrap();
        let mut rule = PathRule::new(&session, false);
        let place = Location::file(&session.join(MANIFEST_FILE));
        let err = rule
            .check(&session.join("../secret.csv"), &place)
            .unwrap_err()
            .to_string();
        assert!(err.contains("outside the session folder"), "{err}");
        assert!(err.contains("--allow-outside"), "{err}");
        assert!(rule.check(&session.join("inside.csv"), &place).is_ok());
        // Not yet there: resolved by its name, still inside.
        assert!(rule
            .check(&session.join("sub/../later.csv"), &place)
            .is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_leaving_the_folder_is_outside_and_allowed_ones_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let session = dir.path().join("session");
        std::fs::create_dir(&session).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", session.join("readings.csv")).unwrap();
        let place = Location::file(&session.join(READINGS_FILE));
        let mut strict = PathRule::new(&session, false);
        assert!(strict.check(&session.join(READINGS_FILE), &place).is_err());
        let mut allowing = PathRule::new(&session, true);
        allowing
            .check(&session.join(READINGS_FILE), &place)
            .unwrap();
        let warning = allowing.warning().unwrap();
        assert!(warning.contains("/etc/hostname"), "{warning}");
    }
}
