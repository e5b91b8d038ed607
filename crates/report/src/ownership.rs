//! Which files of an output folder are fevercheck's to replace.
//!
//! A folder fevercheck writes into carries a marker, `.fevercheck-output`,
//! that lists every file it wrote with the digest of what it wrote (BLAKE3,
//! [`fevercheck_io::file_digest`]; `b3sum -c` checks the list). Before a
//! run writes anything, every file in the folder (and in its sub-folders)
//! must be one of those, unchanged since: a file the user put there, or one
//! of fevercheck's files the user has since edited, is refused (naming it)
//! unless `--force`. A folder without the marker must be empty or absent. A
//! symbolic link is never followed: not as the folder, not as a file in it.
//!
//! The marker keeps two lists: the outputs (reports, comparisons, charts),
//! which a later run may replace and a folder swap may remove, and the
//! files of a session `simulate` wrote (`readings.csv`, `session.toml`,
//! `frames/`), which are data: only another `simulate` (or the demo) may
//! replace them, a report is never written over them, and a folder holding
//! them is never swapped out whole. (`analyze s --out s` once removed the
//! session it had just read.)
//!
//! A marker written by an earlier version of fevercheck holds no list; its
//! folder is trusted for the names those versions wrote (`report.*`,
//! `plots/`) and for nothing else. A list written before the two lists were
//! kept apart counts `readings.csv`, `session.toml` and `frames/` as a
//! session's. A list of SHA-256 digests (before BLAKE3) is checked with
//! SHA-256, and the files it vouches for are listed again with BLAKE3.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use fevercheck_io::atomic::{write_atomically, Committed};
use fevercheck_io::error::{Error, Result};
use fevercheck_io::file_digest::Algorithm;

/// Name of the marker file.
pub const MARKER: &str = ".fevercheck-output";

/// Name of the file a run holds locked while it writes into the folder: a
/// second run into the same folder is refused instead of mixing its files
/// with the first's.
pub(crate) const LOCK: &str = ".fevercheck-lock";

/// First line of a marker that lists its files.
const HEADER: &str = "# written by fevercheck: the files below may be replaced by its next run; \
                      any other file stops it (blake3, then the path)";

/// First line of a marker that lists its files with SHA-256 digests, as
/// versions before BLAKE3 wrote it.
const SHA256_HEADER: &str =
    "# written by fevercheck: the files below may be replaced by its next run; \
     any other file stops it (sha256, then the path)";

/// Line that starts the list of a session's files in a marker.
const SESSION_HEADER: &str =
    "# a session fevercheck simulated: data, replaced only by another simulation";

/// What a file listed in a marker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A report, a comparison, a chart: replaced by the next run.
    Output,
    /// A simulated session's file: data once written.
    Session,
}

/// Whether `name` is one of the files a simulated session consists of (for
/// markers written before the roles were recorded).
fn is_session_name(name: &str) -> bool {
    name == "readings.csv" || name == "session.toml" || name.starts_with("frames/")
}

/// Names an earlier marker (without a list) vouches for.
const LEGACY_NAMES: [&str; 8] = [
    "report.md",
    "report.html",
    "report.json",
    "plots",
    "comparison.json",
    "comparison.csv",
    "comparison.md",
    "comparison.html",
];

/// Most names listed in a refusal.
const MOST_NAMED: usize = 5;

/// An output folder fevercheck may write into, and what it wrote there.
#[derive(Debug)]
pub(crate) struct OwnedFolder {
    folder: PathBuf,
    /// Outputs: path relative to the folder (with `/`) → BLAKE3 in hex.
    files: BTreeMap<String, String>,
    /// A simulated session's files, the same way.
    session: BTreeMap<String, String>,
    /// What this run writes: what [`OwnedFolder::record`] records.
    role: Role,
    /// The lock held while this run writes (none for a reopened folder).
    lock: Option<fs::File>,
}

impl OwnedFolder {
    /// Claims `folder` for writing outputs: creates it when absent; refuses,
    /// naming them, files fevercheck did not write or that changed since,
    /// and a simulated session's files, unless `force` (and even then the
    /// folder is written file by file, never removed).
    pub(crate) fn claim(folder: &Path, force: bool) -> Result<OwnedFolder> {
        OwnedFolder::claim_for(folder, force, Role::Output)
    }

    /// Claims `folder` for writing a simulated session: as
    /// [`OwnedFolder::claim`], but an earlier simulation's files may be
    /// replaced.
    pub(crate) fn claim_session(folder: &Path, force: bool) -> Result<OwnedFolder> {
        OwnedFolder::claim_for(folder, force, Role::Session)
    }

    fn claim_for(folder: &Path, force: bool, role: Role) -> Result<OwnedFolder> {
        let refuse = |message: String| Error::OutputInUse {
            path: folder.to_path_buf(),
            message,
        };
        match fs::symlink_metadata(folder) {
            Err(_) => {
                fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
                let mut owned = OwnedFolder::new(folder, Listed::default(), role);
                owned.lock = Some(lock(folder)?);
                return Ok(owned);
            }
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(refuse(
                    "it is a symbolic link; give the folder it points to".into(),
                ))
            }
            Ok(meta) if !meta.is_dir() => return Err(refuse("it is not a folder".into())),
            Ok(_) => {}
        }
        let ours = |name: &str| fs::symlink_metadata(folder.join(name)).is_ok_and(|m| m.is_file());
        let written_before = ours(MARKER) || ours(LOCK);
        let held = lock(folder)?;
        // A folder refused is left as it was: the lock file this run made
        // in a folder fevercheck never wrote goes with the refusal.
        let refuse = |message: String| {
            if !written_before {
                let _ = fs::remove_file(folder.join(LOCK));
            }
            refuse(message)
        };
        if written_before {
            remove_abandoned_temporaries(folder);
        }
        let marker = folder.join(MARKER);
        let recorded = match fs::read_to_string(&marker) {
            Ok(text) => Some(parse(&text)),
            Err(_) => None,
        };
        let present = list_files(folder)?;
        // Each present file once: unchanged and listed (with its role), or
        // foreign (the user's, or changed since fevercheck wrote it).
        let mut foreign: Vec<String> = Vec::new();
        let mut sessions: Vec<String> = Vec::new();
        for (name, path) in present.iter().filter(|(n, _)| n != MARKER && n != LOCK) {
            let listed_as = match &recorded {
                None => None,
                Some(Marker::Legacy) => {
                    let first = name.split('/').next().unwrap_or_default();
                    LEGACY_NAMES.contains(&first).then_some(Role::Output)
                }
                Some(Marker::Listed(listed)) => {
                    let hash = hash_file(path, listed.algorithm);
                    if hash.is_some() && listed.files.get(name.as_str()) == hash.as_ref() {
                        Some(Role::Output)
                    } else if hash.is_some() && listed.session.get(name.as_str()) == hash.as_ref() {
                        Some(Role::Session)
                    } else {
                        None
                    }
                }
            };
            match listed_as {
                None => foreign.push(name.clone()),
                Some(Role::Session) if role == Role::Output => sessions.push(name.clone()),
                Some(_) => {}
            }
        }
        if !sessions.is_empty() && foreign.is_empty() && !force {
            return Err(refuse(format!(
                "it holds a session fevercheck simulated ({}{}): a session is data, and a \
                 report is not written over it; write the report into a folder of its own \
                 (by default fevercheck-report inside the session), or add --force to write \
                 beside the session's files, which are kept",
                sessions
                    .iter()
                    .take(MOST_NAMED)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                if sessions.len() > MOST_NAMED {
                    ", …"
                } else {
                    ""
                }
            )));
        }
        if !foreign.is_empty() && !force {
            let shown: Vec<&str> = foreign
                .iter()
                .take(MOST_NAMED)
                .map(String::as_str)
                .collect();
            let more = if foreign.len() > MOST_NAMED {
                ", …"
            } else {
                ""
            };
            let what = match recorded {
                None => "it holds files fevercheck did not write",
                Some(_) => {
                    "it holds files fevercheck did not write, or changed since it wrote them"
                }
            };
            return Err(refuse(format!(
                "{what} ({}{more}); choose another folder, or add --force to replace them",
                shown.join(", ")
            )));
        }
        // What may stay listed: recorded files still present and unchanged
        // (each was hashed once above; a changed one is among `foreign`),
        // with their BLAKE3 digest (computed again when the list held
        // SHA-256 ones).
        let present_names: BTreeSet<&str> = present.iter().map(|(n, _)| n.as_str()).collect();
        let changed: BTreeSet<&str> = foreign.iter().map(String::as_str).collect();
        let kept = |list: BTreeMap<String, String>, algorithm: Algorithm| {
            list.into_iter()
                .filter(|(name, _)| {
                    present_names.contains(name.as_str()) && !changed.contains(name.as_str())
                })
                .filter_map(|(name, hash)| match algorithm {
                    Algorithm::Blake3 => Some((name, hash)),
                    Algorithm::Sha256 => {
                        let hash = hash_file(&folder.join(&name), Algorithm::Blake3)?;
                        Some((name, hash))
                    }
                })
                .collect::<BTreeMap<String, String>>()
        };
        let listed = match recorded {
            Some(Marker::Listed(listed)) => Listed {
                files: kept(listed.files, listed.algorithm),
                session: kept(listed.session, listed.algorithm),
                algorithm: Algorithm::Blake3,
            },
            _ => Listed::default(),
        };
        let mut owned = OwnedFolder::new(folder, listed, role);
        owned.lock = Some(held);
        owned.save()?;
        Ok(owned)
    }

    /// The folder as its marker lists it, without checking what is there:
    /// for recording what a run that [`OwnedFolder::claim`]ed it wrote.
    pub(crate) fn reopen(folder: &Path) -> OwnedFolder {
        let listed = match fs::read_to_string(folder.join(MARKER)).map(|text| parse(&text)) {
            Ok(Marker::Listed(listed)) => listed,
            _ => Listed::default(),
        };
        OwnedFolder::new(folder, listed, Role::Output)
    }

    fn new(folder: &Path, listed: Listed, role: Role) -> OwnedFolder {
        OwnedFolder {
            folder: folder.to_path_buf(),
            files: listed.files,
            session: listed.session,
            role,
            lock: None,
        }
    }

    /// Records that `path` (inside the folder) now holds `bytes`; the
    /// marker is rewritten by [`OwnedFolder::save`].
    pub(crate) fn record(&mut self, path: &Path, bytes: &[u8]) {
        self.record_hash(path, Algorithm::Blake3.of_bytes(bytes));
    }

    /// Records files this run wrote, with the digests computed as they were
    /// written.
    pub(crate) fn record_committed(&mut self, committed: &[Committed]) {
        for file in committed {
            self.record_hash(&file.path, file.digest.clone());
        }
    }

    /// Records files already written, hashing them as they are read back (a
    /// report.json of 400 000 observations is 76 MB, never held whole).
    pub(crate) fn record_written(&mut self, paths: &[PathBuf]) -> Result<()> {
        for path in paths {
            let hash = Algorithm::Blake3
                .of_file(path)
                .map_err(|e| Error::read(path, e))?;
            self.record_hash(path, hash);
        }
        Ok(())
    }

    fn record_hash(&mut self, path: &Path, hash: String) {
        if let Ok(relative) = path.strip_prefix(&self.folder) {
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            match self.role {
                Role::Output => {
                    self.session.remove(&name);
                    self.files.insert(name, hash);
                }
                Role::Session => {
                    self.files.remove(&name);
                    self.session.insert(name, hash);
                }
            }
        }
    }

    /// Whether everything in the folder is the marker, the lock or a file
    /// the marker lists, so that the folder may be replaced as a whole: no
    /// file of the user's (kept there with `--force`), no folder with a
    /// marker of its own, no link. A sub-folder counts as fevercheck's only
    /// when a listed file lies in it (an empty folder of the user's would
    /// otherwise go with the old report).
    pub(crate) fn holds_only_listed_files(&self) -> Result<bool> {
        let own = |entry: &Entry| match entry.kind {
            EntryKind::Folder { marked } => {
                let inside = format!("{}/", entry.name);
                !marked && self.files.keys().any(|file| file.starts_with(&inside))
            }
            EntryKind::Other(kind) => {
                kind.is_file()
                    && (entry.name == MARKER
                        || entry.name == LOCK
                        || self.files.contains_key(&entry.name))
            }
        };
        Ok(entries(&self.folder)?.iter().all(own))
    }

    /// Writes the marker with every file recorded.
    pub(crate) fn save(&self) -> Result<()> {
        let mut text = format!("{HEADER}\n");
        for (name, hash) in &self.files {
            text.push_str(&format!("{hash}  {name}\n"));
        }
        if !self.session.is_empty() {
            text.push_str(&format!("{SESSION_HEADER}\n"));
            for (name, hash) in &self.session {
                text.push_str(&format!("{hash}  {name}\n"));
            }
        }
        write_atomically(&self.folder.join(MARKER), text.as_bytes())
    }
}

/// Removes the temporary files an interrupted run of fevercheck left in
/// `folder` (whose lock this run holds, so no live run is writing them):
/// regular files named as [`fevercheck_io::atomic`] names its temporaries,
/// `.NAME.XXXXXX.tmp`, for a NAME fevercheck writes there — the marker, a
/// report, comparison or session file, a chart under `plots/` or a frame
/// under `frames/`. Anything else is left for the claim to judge. Called
/// only on a folder fevercheck wrote into before (a marker or a lock file
/// was there before this run's lock).
fn remove_abandoned_temporaries(folder: &Path) {
    for sub in ["", "plots", "frames"] {
        let dir = folder.join(sub);
        let Ok(listing) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in listing.flatten() {
            let name = entry.file_name();
            let Some(target) = name
                .to_str()
                .and_then(fevercheck_io::atomic::temporary_target)
            else {
                continue;
            };
            let ours = match sub {
                "" => {
                    target == MARKER
                        || target == "readings.csv"
                        || target == "session.toml"
                        || LEGACY_NAMES.contains(&target)
                }
                _ => true,
            };
            let regular = entry.file_type().is_ok_and(|t| t.is_file());
            if ours && regular {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Takes the folder's lock, refusing when another run holds it. The lock
/// file is opened without following a link; the lock goes with the file
/// handle, when the run ends or dies.
///
/// A run that finishes swaps a new folder in, with a lock file of its own
/// ([`crate::folder_swap`]); a lock taken on the file of the folder just
/// swapped out guards nothing, so the lock is taken again on the file now
/// at the path.
pub(crate) fn lock(folder: &Path) -> Result<fs::File> {
    let path = folder.join(LOCK);
    let mut attempts = 0;
    loop {
        let file = lock_file(folder, &path)?;
        attempts += 1;
        if still_at(&file, &path) || attempts == LOCK_ATTEMPTS {
            return Ok(file);
        }
    }
}

/// Times [`lock`] tries when the folder is swapped under it.
const LOCK_ATTEMPTS: usize = 3;

fn lock_file(folder: &Path, path: &Path) -> Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path).map_err(|e| Error::write(path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Error::OutputInUse {
            path: folder.to_path_buf(),
            message: "another fevercheck run is writing into it; wait for it to finish, or \
                      choose another folder"
                .into(),
        }),
        Err(fs::TryLockError::Error(e)) => Err(Error::write(path, e)),
    }
}

/// Whether `file` is still the file at `path` (not one swapped away).
fn still_at(file: &fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::symlink_metadata(path)) {
            (Ok(held), Ok(there)) => held.dev() == there.dev() && held.ino() == there.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// What a marker says.
enum Marker {
    /// An earlier version's marker, without a list.
    Legacy,
    /// The files and their hashes.
    Listed(Listed),
}

/// The two lists of a marker: name → digest, in hex.
struct Listed {
    files: BTreeMap<String, String>,
    session: BTreeMap<String, String>,
    /// What the digests are.
    algorithm: Algorithm,
}

impl Default for Listed {
    fn default() -> Listed {
        Listed {
            files: BTreeMap::new(),
            session: BTreeMap::new(),
            algorithm: Algorithm::Blake3,
        }
    }
}

fn parse(text: &str) -> Marker {
    let algorithm = if text.starts_with(HEADER) {
        Algorithm::Blake3
    } else if text.starts_with(SHA256_HEADER) {
        Algorithm::Sha256
    } else {
        return Marker::Legacy;
    };
    let roles_kept_apart = text.lines().any(|line| line == SESSION_HEADER);
    let mut listed = Listed {
        algorithm,
        ..Listed::default()
    };
    let mut in_session = false;
    for line in text.lines().skip(1) {
        if line == SESSION_HEADER {
            in_session = true;
            continue;
        }
        let Some((hash, name)) = line.split_once("  ") else {
            continue;
        };
        let session = in_session || (!roles_kept_apart && is_session_name(name));
        let list = if session {
            &mut listed.session
        } else {
            &mut listed.files
        };
        list.insert(name.to_string(), hash.to_string());
    }
    Marker::Listed(listed)
}

/// One entry found under a folder.
struct Entry {
    /// Path relative to the folder, with `/`.
    name: String,
    path: PathBuf,
    kind: EntryKind,
}

enum EntryKind {
    /// A sub-folder; `marked` when it has a marker of its own.
    Folder { marked: bool },
    /// A file, a link or a special file.
    Other(fs::FileType),
}

/// Every entry under `folder`: files, links, special files and sub-folders.
/// A sub-folder with a marker of its own (a report inside a session
/// fevercheck simulated) answers for itself when it is written: it is
/// listed, and what it holds is not.
fn entries(folder: &Path) -> Result<Vec<Entry>> {
    let mut found = Vec::new();
    let mut pending = vec![(String::new(), folder.to_path_buf())];
    while let Some((prefix, dir)) = pending.pop() {
        for entry in fs::read_dir(&dir).map_err(|e| Error::read(&dir, e))? {
            let entry = entry.map_err(|e| Error::read(&dir, e))?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| Error::read(&path, e))?;
            let kind = if kind.is_dir() {
                let marked = path.join(MARKER).exists();
                if !marked {
                    pending.push((format!("{name}/"), path.clone()));
                }
                EntryKind::Folder { marked }
            } else {
                EntryKind::Other(kind)
            };
            found.push(Entry { name, path, kind });
        }
    }
    Ok(found)
}

/// Every file under `folder` (links and special files included), as
/// (relative name with `/`, path), sorted; the files of a sub-folder with a
/// marker of its own are not among them.
fn list_files(folder: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut found: Vec<(String, PathBuf)> = entries(folder)?
        .into_iter()
        .filter(|entry| matches!(entry.kind, EntryKind::Other(_)))
        .map(|entry| (entry.name, entry.path))
        .collect();
    found.sort();
    Ok(found)
}

/// The digest of a regular file; `None` for anything else (a link, a
/// special file) or an unreadable one.
fn hash_file(path: &Path, algorithm: Algorithm) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    algorithm.of_file(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder `out` claimed in a fresh temporary folder (kept while the
    /// first value lives), its report.md holding `contents` and listed in
    /// its marker; the claim's lock is released.
    fn folder_with_report(contents: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut owned = OwnedFolder::claim(&out, false).unwrap();
        let report = out.join("report.md");
        fs::write(&report, contents).unwrap();
        owned.record(&report, contents);
        owned.save().unwrap();
        (dir, out)
    }

    #[test]
    fn a_marker_lists_each_file_with_its_blake3() {
        let (_dir, out) = folder_with_report(b"abc");
        // BLAKE3 of "abc", as b3sum prints it, in b3sum's own layout.
        let marker = fs::read_to_string(out.join(MARKER)).unwrap();
        assert_eq!(
            marker,
            format!(
                "{HEADER}\n6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85  \
                 report.md\n"
            )
        );
    }

    #[test]
    fn a_marker_of_sha256_digests_is_checked_and_listed_again_with_blake3() {
        // As a version before BLAKE3 left the folder: report.md listed with
        // the SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("report.md"), b"abc").unwrap();
        let sha256_of_abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let marker = format!("{SHA256_HEADER}\n{sha256_of_abc}  report.md\n");
        fs::write(out.join(MARKER), &marker).unwrap();
        // Unchanged: the new run may replace it, and lists it with BLAKE3.
        drop(OwnedFolder::claim(&out, false).unwrap());
        let rewritten = fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(rewritten.starts_with(HEADER), "{rewritten}");
        assert!(
            rewritten.contains(
                "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85  report.md"
            ),
            "{rewritten}"
        );
        // Edited since: refused under the old list.
        fs::write(out.join(MARKER), &marker).unwrap();
        fs::write(out.join("report.md"), b"the user's notes").unwrap();
        let err = OwnedFolder::claim(&out, false).unwrap_err().to_string();
        assert!(
            err.contains("report.md") && err.contains("changed"),
            "{err}"
        );
    }

    #[test]
    fn only_unchanged_files_of_earlier_runs_may_be_replaced() {
        let (_dir, out) = folder_with_report(b"ours");
        let report = out.join("report.md");
        // A second run may replace it.
        assert!(OwnedFolder::claim(&out, false).is_ok());
        // Edited by the user: refused, named.
        fs::write(&report, b"the user's notes").unwrap();
        let err = OwnedFolder::claim(&out, false).unwrap_err().to_string();
        assert!(
            err.contains("report.md") && err.contains("--force"),
            "{err}"
        );
        assert!(OwnedFolder::claim(&out, true).is_ok());
    }

    #[test]
    fn a_folder_of_the_users_own_reports_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("plots")).unwrap();
        fs::write(dir.path().join("report.md"), b"mine").unwrap();
        fs::write(dir.path().join("plots/transfer.png"), b"mine").unwrap();
        let err = OwnedFolder::claim(dir.path(), false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("plots/transfer.png") && err.contains("report.md"),
            "{err}"
        );
        // Refused, the folder is left as it was: no lock file of ours.
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["plots", "report.md"]);
    }

    #[test]
    fn a_second_run_into_a_folder_being_written_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = OwnedFolder::claim(dir.path(), false).unwrap();
        let err = OwnedFolder::claim(dir.path(), true)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("another fevercheck run is writing into it"),
            "{err}"
        );
        drop(first);
        assert!(OwnedFolder::claim(dir.path(), false).is_ok());
    }

    #[test]
    fn temporaries_are_removed_only_where_fevercheck_wrote_before() {
        // A folder of the user's holding a file named like a temporary:
        // refused, and the file kept.
        let dir = tempfile::tempdir().unwrap();
        let users = dir.path().join("users");
        fs::create_dir(&users).unwrap();
        let lookalike = users.join(".report.md.a1B2c3.tmp");
        fs::write(&lookalike, b"mine").unwrap();
        assert!(OwnedFolder::claim(&users, false).is_err());
        assert_eq!(fs::read(&lookalike).unwrap(), b"mine");
        // A folder fevercheck marked, with a killed run's temporary marker:
        // removed, and the claim succeeds.
        let ours = dir.path().join("ours");
        drop(OwnedFolder::claim(&ours, false).unwrap());
        fs::write(ours.join("..fevercheck-output.Zz9Yy8.tmp"), b"half").unwrap();
        assert!(OwnedFolder::claim(&ours, false).is_ok());
        assert!(!ours.join("..fevercheck-output.Zz9Yy8.tmp").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let err = OwnedFolder::claim(&link, true).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        // A link inside a claimed folder is not one of its files.
        let out = dir.path().join("out");
        drop(OwnedFolder::claim(&out, false).unwrap());
        std::os::unix::fs::symlink(&elsewhere, out.join("report.json")).unwrap();
        assert!(OwnedFolder::claim(&out, false).is_err());
    }
}
