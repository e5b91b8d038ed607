//! What a run is writing and has not finished: the temporary files of
//! [`crate::atomic`] and the staging folders of fevercheck-report's `folder_swap`.
//! When the run is interrupted (Ctrl-C, SIGTERM), the command line calls
//! [`remove_all`] before it exits, so nothing half-written is left beside
//! the user's files. A run killed outright (SIGKILL, a power cut) cannot
//! clean up; its leftovers are recognised and removed by the next run into
//! the same folder (fevercheck-report's `ownership` and `folder_swap`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Attempts at removing a staging folder that other threads were still
/// writing into when the run was interrupted: each can add at most one file
/// before it stops at the registry's lock, so a few attempts suffice.
const REMOVAL_ATTEMPTS: usize = 20;

/// Pause between those attempts, milliseconds (at most 0.1 s in all).
const REMOVAL_RETRY_MS: u64 = 5;

/// What is being written: temporary files, and staging folders with the
/// check that they hold only what fevercheck writes before removal.
static PENDING: Mutex<Pending> = Mutex::new(Pending {
    files: BTreeSet::new(),
    folders: BTreeSet::new(),
    closed: false,
});

struct Pending {
    files: BTreeSet<PathBuf>,
    folders: BTreeSet<PathBuf>,
    /// Set by [`remove_all`]: nothing new is registered after it.
    closed: bool,
}

/// Records a temporary file being written.
pub fn add_file(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        if !pending.closed {
            pending.files.insert(path.to_path_buf());
        }
    }
}

/// Records a staging folder being written.
pub fn add_folder(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        if !pending.closed {
            pending.folders.insert(path.to_path_buf());
        }
    }
}

/// Forgets a file or folder that was renamed into place or removed.
pub fn forget(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.files.remove(path);
        pending.folders.remove(path);
    }
}

/// Removes every temporary file and staging folder still being written
/// (a staging folder only when `is_ours` says it holds nothing but
/// fevercheck's files: after a swap its path holds the old report). Called
/// once, by the command line's signal handler, just before it exits; the
/// list stays locked, so no rename after this can race with the removal.
pub fn remove_all(is_ours: impl Fn(&Path) -> bool) {
    let Ok(mut pending) = PENDING.lock() else {
        return;
    };
    pending.closed = true;
    for file in &pending.files {
        if std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file()) {
            let _ = std::fs::remove_file(file);
        }
    }
    // A thread writing charts may create one more temporary file in a
    // staging folder while it is being removed (and then waits for this
    // lock at its `add_file`, never to return), which makes the removal
    // fail with the folder not empty: try again a few times.
    for folder in &pending.folders {
        for _ in 0..REMOVAL_ATTEMPTS {
            let exists = std::fs::symlink_metadata(folder).is_ok_and(|m| m.is_dir());
            if !exists || !is_ours(folder) || std::fs::remove_dir_all(folder).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(REMOVAL_RETRY_MS));
        }
    }
    // Held until the process exits.
    std::mem::forget(pending);
}
