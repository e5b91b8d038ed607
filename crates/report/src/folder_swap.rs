//! Replacing a report folder as a whole, so that a reader never sees files
//! of two runs side by side.
//!
//! A run writes its files into a new hidden folder beside the report folder
//! (`.NAME.fevercheck-XXXXXX`, created with `O_EXCL` semantics by the
//! `tempfile` crate), then swaps the two in one step: on Linux with
//! `renameat2(RENAME_EXCHANGE)`, elsewhere (or on a file system without it)
//! by moving the old folder aside and the new one in, which leaves the name
//! empty for an instant but never half-written. The old folder is then
//! removed — only when it holds nothing but fevercheck's own files, as its
//! marker lists them; anything else found there is left where it is.
//!
//! The new folder carries its own lock file, locked before the swap, so a
//! second run that arrives just after the swap finds the folder locked until
//! this run is done ([`crate::ownership`]).
//!
//! A run killed before it finished (SIGKILL, a power cut) leaves its
//! staging folder, or the old folder it had swapped out and not yet
//! removed, beside the report. The next run into the same folder holds the
//! folder's lock, so no live run is writing any of them: it removes those
//! that hold only fevercheck's files ([`remove_dead_stagings`]).

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::ownership::{lock, OwnedFolder};
use fevercheck_io::atomic::folder_and_name;
use fevercheck_io::error::{Error, Result};

/// A new version of a folder, written beside it until [`StagedFolder::commit`].
pub(crate) struct StagedFolder {
    target: PathBuf,
    /// Removed with everything in it if the run stops before the swap.
    staging: TempDir,
    /// The new folder's lock, held until this run has finished with it.
    _lock: fs::File,
}

impl StagedFolder {
    /// Starts a new version of the existing folder `target`, with the same
    /// permissions.
    pub(crate) fn create(target: &Path) -> Result<StagedFolder> {
        let (parent, name) = folder_and_name(target);
        let permissions = fs::metadata(target)
            .map_err(|e| Error::read(target, e))?
            .permissions();
        let staging = tempfile::Builder::new()
            .prefix(&staging_prefix(&name))
            .permissions(permissions.clone())
            .tempdir_in(parent)
            .map_err(|e| Error::write(target, e))?;
        // Created through the umask; the folder's own mode is what it keeps.
        fs::set_permissions(staging.path(), permissions).map_err(|e| Error::write(target, e))?;
        fevercheck_io::pending::add_folder(staging.path());
        let lock = lock(staging.path())?;
        Ok(StagedFolder {
            target: target.to_path_buf(),
            staging,
            _lock: lock,
        })
    }

    /// Where the new version is being written.
    pub(crate) fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Puts the new version in place of the old, and removes the old one if
    /// it holds only fevercheck's files.
    pub(crate) fn commit(self) -> Result<()> {
        let staging = self.staging.path().to_path_buf();
        let result = self.swap();
        fevercheck_io::pending::forget(&staging);
        result
    }

    fn swap(self) -> Result<()> {
        let staging = self.staging.path().to_path_buf();
        let old = match exchange(&staging, &self.target) {
            Ok(()) => staging,
            Err(_) => move_in(&staging, &self.target)?,
        };
        // The staging path now holds the old folder: never remove it blindly.
        let _kept = self.staging.keep();
        if OwnedFolder::reopen(&old)
            .holds_only_listed_files()
            .unwrap_or(false)
        {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// The start of the name of a staging folder of the folder `name`; the
/// `tempfile` crate adds six random characters, and a folder moved aside
/// ([`move_in`]) a further `-old`.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.fevercheck-")
}

/// Characters the `tempfile` crate puts after the prefix.
const RANDOM_CHARACTERS: usize = 6;

/// Removes the staging folders and swapped-out old folders of `target`
/// that runs killed before finishing left beside it. Call only while
/// holding `target`'s lock ([`OwnedFolder::claim`]): then no live run is
/// writing any of them. A folder is removed only when everything in it is
/// a file fevercheck writes into a report folder (the marker, the lock,
/// `report.*`, `comparison.*`, `plots/`, their temporaries); one holding
/// anything else is left where it is.
pub(crate) fn remove_dead_stagings(target: &Path) {
    // `--out .` names the folder by its real path, as the staging does.
    let Ok(real) = fs::canonicalize(target) else {
        return;
    };
    let (parent, name) = folder_and_name(&real);
    let prefix = staging_prefix(&name);
    let Ok(listing) = fs::read_dir(parent) else {
        return;
    };
    for entry in listing.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let random = rest.strip_suffix("-old").unwrap_or(rest);
        let ours =
            random.len() == RANDOM_CHARACTERS && random.bytes().all(|b| b.is_ascii_alphanumeric());
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if ours && is_folder && holds_only_report_files(&entry.path()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether every entry under `folder` is a regular file with a name
/// fevercheck gives a report's files, or the `plots` folder of such files.
pub(crate) fn holds_only_report_files(folder: &Path) -> bool {
    let report_name = |name: &str| {
        let name = fevercheck_io::atomic::temporary_target(name).unwrap_or(name);
        name == crate::ownership::MARKER
            || name == crate::ownership::LOCK
            || name.starts_with("report.")
            || name.starts_with("comparison.")
            || name.starts_with("fleet.")
    };
    let Ok(listing) = fs::read_dir(folder) else {
        return false;
    };
    listing.flatten().all(|entry| {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return false;
        };
        match entry.file_type() {
            Ok(t) if t.is_file() => report_name(name),
            Ok(t) if t.is_dir() && name == "plots" => fs::read_dir(entry.path())
                .map(|files| {
                    files.flatten().all(|f| {
                        let chart = f.file_name();
                        let chart = chart.to_str().unwrap_or("");
                        let chart = fevercheck_io::atomic::temporary_target(chart).unwrap_or(chart);
                        f.file_type().is_ok_and(|t| t.is_file())
                            && (chart.ends_with(".svg") || chart.ends_with(".png"))
                    })
                })
                .unwrap_or(false),
            _ => false,
        }
    })
}

/// Swaps the folders `a` and `b` in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Swapping in one step needs Linux's `renameat2`.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Moves `target` aside and `staging` into its place; returns where the old
/// folder went. If the second move fails the old folder is put back.
fn move_in(staging: &Path, target: &Path) -> Result<PathBuf> {
    let mut aside = staging.as_os_str().to_os_string();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    fs::rename(target, &aside).map_err(|e| Error::write(target, e))?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&aside, target);
        return Err(Error::write(target, e));
    }
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fevercheck_io::atomic::write_atomically;

    #[test]
    fn the_new_version_replaces_the_old_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report");
        let mut owned = OwnedFolder::claim(&target, false).unwrap();
        write_atomically(&target.join("old.md"), b"old").unwrap();
        owned.record(&target.join("old.md"), b"old");
        owned.save().unwrap();
        drop(owned);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&target, fs::Permissions::from_mode(0o750)).unwrap();
        }
        let staged = StagedFolder::create(&target).unwrap();
        write_atomically(&staged.path().join("new.md"), b"new").unwrap();
        assert!(target.join("old.md").exists() && !target.join("new.md").exists());
        staged.commit().unwrap();
        assert_eq!(fs::read(target.join("new.md")).unwrap(), b"new");
        assert!(!target.join("old.md").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o7777;
            assert_eq!(mode, 0o750);
        }
        // Nothing is left beside the folder.
        let beside: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(beside.len(), 1, "{beside:?}");
    }

    #[test]
    fn an_old_folder_holding_a_file_of_the_users_is_left_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report");
        drop(OwnedFolder::claim(&target, false).unwrap());
        fs::write(target.join("notes.txt"), b"mine").unwrap();
        let staged = StagedFolder::create(&target).unwrap();
        staged.commit().unwrap();
        let kept: Vec<PathBuf> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p != &target)
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(fs::read(kept[0].join("notes.txt")).unwrap(), b"mine");
    }

    #[test]
    fn an_empty_folder_of_the_users_means_no_swap() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report");
        let owned = OwnedFolder::claim(&target, false).unwrap();
        assert!(owned.holds_only_listed_files().unwrap());
        fs::create_dir(target.join("drafts")).unwrap();
        assert!(!owned.holds_only_listed_files().unwrap());
    }

    #[test]
    fn stagings_of_killed_runs_are_removed_and_anything_else_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report");
        fs::create_dir(&target).unwrap();
        let dead = dir.path().join(".report.fevercheck-Ab12Cd");
        fs::create_dir_all(dead.join("plots")).unwrap();
        fs::write(dead.join("report.md"), b"half").unwrap();
        fs::write(dead.join("plots/.transfer.svg.x1y2z3.tmp"), b"half").unwrap();
        let old = dir.path().join(".report.fevercheck-Zz99zz-old");
        fs::create_dir(&old).unwrap();
        fs::write(old.join(".fevercheck-output"), b"marker").unwrap();
        let users = dir.path().join(".report.fevercheck-Qq11qq");
        fs::create_dir(&users).unwrap();
        fs::write(users.join("notes.txt"), b"mine").unwrap();
        let unrelated = dir.path().join(".report.fevercheck-notours");
        fs::create_dir(&unrelated).unwrap();
        remove_dead_stagings(&target);
        assert!(!dead.exists() && !old.exists());
        assert!(users.join("notes.txt").exists() && unrelated.exists());
    }

    #[test]
    fn an_abandoned_version_leaves_the_old_folder_and_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("report.md"), b"old").unwrap();
        let staged = StagedFolder::create(&target).unwrap();
        write_atomically(&staged.path().join("report.md"), b"half").unwrap();
        drop(staged);
        assert_eq!(fs::read(target.join("report.md")).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
