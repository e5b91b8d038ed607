//! Writing outputs so that nothing is lost: a file is written under a
//! temporary name in its destination folder, flushed to disk and renamed over
//! the old one. An interrupted run leaves either the previous file or the new
//! one, never half of either. Inputs are never opened for writing.
//!
//! The temporary file is created by the `tempfile` crate with a random name
//! and `O_EXCL`, so an existing file or a planted symbolic link is never
//! followed; it is removed when writing is abandoned or the rename fails.
//!
//! The digest of what is written ([`crate::file_digest`]) is computed on
//! the way to the file, so a caller that records it (the ownership marker
//! of a report folder) need not read back a file of hundreds of megabytes.
//! On Linux, the kernel is
//! asked to start writing a large file to disk as it is written
//! ([`WRITEBACK_STEP_BYTES`]), so that the sync before the rename waits
//! for the last few megabytes instead of all of them.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::file_digest::{Algorithm, Hasher};

/// Bytes written between two requests to the kernel to start writing the
/// file to disk: the sync before the rename of a 143 MB report.json (a
/// million readings) took 59 ms after its last byte when the kernel had
/// been left to write it back on its own schedule.
pub const WRITEBACK_STEP_BYTES: u64 = 8 << 20;

/// A file being written under a temporary name; [`AtomicFile::commit`]
/// renames it into place, dropping it without committing removes it.
pub struct AtomicFile {
    target: PathBuf,
    writer: BufWriter<Hashing>,
}

/// The temporary file's writer: digests the bytes the file accepts, and has
/// the kernel start writing them to disk every [`WRITEBACK_STEP_BYTES`].
struct Hashing {
    inner: NamedTempFile,
    hasher: Hasher,
    /// Bytes written so far.
    written: u64,
    /// Bytes the kernel was asked to start writing to disk.
    handed_on: u64,
}

impl Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        self.written += written as u64;
        if self.written - self.handed_on >= WRITEBACK_STEP_BYTES {
            start_writeback(self.inner.as_file(), self.handed_on, self.written);
            self.handed_on = self.written;
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A file renamed into place, and the digest of its bytes.
#[derive(Debug, Clone)]
pub struct Committed {
    /// Where the file now is.
    pub path: PathBuf,
    /// The [`Algorithm::Blake3`] digest of its contents, in hex.
    pub digest: String,
}

impl AtomicFile {
    /// Starts writing `target`.
    pub fn create(target: &Path) -> Result<Self> {
        let (folder, name) = folder_and_name(target);
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(ORDINARY_FILE_MODE));
        }
        let temporary = builder
            .tempfile_in(folder)
            .map_err(|e| Error::write(target, e))?;
        crate::pending::add_file(temporary.path());
        Ok(AtomicFile {
            target: target.to_path_buf(),
            writer: BufWriter::new(Hashing {
                inner: temporary,
                hasher: Hasher::new(Algorithm::Blake3),
                written: 0,
                handed_on: 0,
            }),
        })
    }

    /// The writer of the temporary file.
    pub fn writer(&mut self) -> &mut impl Write {
        &mut self.writer
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> Result<PathBuf> {
        self.commit_hashed().map(|committed| committed.path)
    }

    /// Flushes, syncs and renames the file into place; returns where it is
    /// and the digest of what was written.
    pub fn commit_hashed(self) -> Result<Committed> {
        let hashing = self
            .writer
            .into_inner()
            .map_err(|e| Error::write(&self.target, e.into_error()))?;
        let temporary = hashing.inner;
        temporary
            .as_file()
            .sync_all()
            .map_err(|e| Error::write(&self.target, e))?;
        let temporary_path = temporary.path().to_path_buf();
        let file: File = temporary
            .persist(&self.target)
            .map_err(|e| Error::write(&self.target, e.error))?;
        crate::pending::forget(&temporary_path);
        drop(file);
        Ok(Committed {
            path: self.target,
            digest: hashing.hasher.finish(),
        })
    }

    /// Maps an I/O error of writing to an error naming the target.
    pub fn error(&self, error: std::io::Error) -> Error {
        Error::write(&self.target, error)
    }
}

/// Asks the kernel to start writing bytes `from..to` of `file` to disk, and
/// returns at once; the sync before the rename still waits for all of them.
/// A hint: where it is not available or fails, the sync does all the work.
fn start_writeback(file: &File, from: u64, to: u64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::io::AsRawFd;
        let (Ok(offset), Ok(length)) = (i64::try_from(from), i64::try_from(to - from)) else {
            return;
        };
        // SAFETY: sync_file_range reads its integer arguments only; the
        // descriptor is the open temporary file's, valid for the call.
        unsafe {
            libc::sync_file_range(
                file.as_raw_fd(),
                offset,
                length,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, from, to);
}

/// The mode a file is created with, as an ordinary program creates it:
/// read and write for all, less the user's umask (the `tempfile` crate's own
/// default, owner only, would hide reports from colleagues sharing the
/// folder).
#[cfg(unix)]
const ORDINARY_FILE_MODE: u32 = 0o666;

/// The folder holding `target` (`.` for a bare name) and its name, for a
/// temporary sibling of it.
pub fn folder_and_name(target: &Path) -> (&Path, String) {
    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (folder, name)
}

/// Characters of the random part of a temporary name (the `tempfile`
/// crate's default).
const RANDOM_CHARACTERS: usize = 6;

/// The name a temporary file of [`AtomicFile`] stands for, when `name` is
/// one (`.report.md.a1B2c3.tmp` → `report.md`).
pub fn temporary_target(name: &str) -> Option<&str> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (target, random) = inner.rsplit_once('.')?;
    let random_ok =
        random.len() == RANDOM_CHARACTERS && random.bytes().all(|b| b.is_ascii_alphanumeric());
    (random_ok && !target.is_empty()).then_some(target)
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_hashed(path, bytes).map(|_| ())
}

/// Writes `bytes` to `path` atomically; returns the file and its digest.
pub fn write_atomically_hashed(path: &Path, bytes: &[u8]) -> Result<Committed> {
    let mut file = AtomicFile::create(path)?;
    file.writer()
        .write_all(bytes)
        .map_err(|e| Error::write(path, e))?;
    file.commit_hashed()
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn a_committed_file_carries_the_digest_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc.txt");
        let committed = write_atomically_hashed(&path, b"abc").unwrap();
        assert_eq!(committed.path, path);
        assert_eq!(fs::read(&path).unwrap(), b"abc");
        // BLAKE3 of "abc", as b3sum prints it.
        assert_eq!(
            committed.digest,
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
        // Written in pieces larger and smaller than the buffer: the same
        // digest as the bytes read back.
        let mut file = AtomicFile::create(&path).unwrap();
        let big = vec![7u8; 100_000];
        for piece in [&b"x"[..], &big, b"yz"] {
            file.writer().write_all(piece).unwrap();
        }
        let committed = file.commit_hashed().unwrap();
        let read_back = Algorithm::Blake3.of_bytes(&fs::read(&path).unwrap());
        assert_eq!(committed.digest, read_back);
    }

    #[test]
    fn a_temporary_name_tells_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let unfinished = AtomicFile::create(&dir.path().join(".fevercheck-output")).unwrap();
        let name = unfinished
            .writer
            .get_ref()
            .inner
            .path()
            .file_name()
            .unwrap();
        assert_eq!(
            temporary_target(name.to_str().unwrap()),
            Some(".fevercheck-output")
        );
        assert_eq!(temporary_target("report.md"), None);
        assert_eq!(temporary_target(".report.md.tmp"), None);
        assert_eq!(temporary_target(".x.abc.tmp"), None);
    }

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

    #[cfg(unix)]
    #[test]
    fn a_file_gets_the_permissions_of_one_written_the_ordinary_way() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ordinary = dir.path().join("ordinary.txt");
        fs::write(&ordinary, b"x").unwrap();
        let path = dir.path().join("out.txt");
        write_atomically(&path, b"x").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&ordinary));
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary() {
        // The target is a folder: renaming a file onto it fails.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.md");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("inside"), b"kept").unwrap();
        assert!(write_atomically(&target, &[7u8; 1 << 20]).is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_eq!(fs::read(target.join("inside")).unwrap(), b"kept");
    }

    #[test]
    fn an_abandoned_file_leaves_the_old_one_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomically(&path, b"old").unwrap();
        let mut unfinished = AtomicFile::create(&path).unwrap();
        unfinished.writer().write_all(b"half").unwrap();
        drop(unfinished);
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_link_at_a_temporary_name_is_never_followed() {
        // Plant links at names the old scheme (`.NAME.PID.tmp`) would use; the
        // random names of the new one never meet them, and the link target is
        // left alone.
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, b"precious").unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        let id = std::process::id();
        for pid in id.saturating_sub(5)..id + 5 {
            std::os::unix::fs::symlink(&outside, out.join(format!(".report.json.{pid}.tmp")))
                .unwrap();
        }
        write_atomically(&out.join("report.json"), b"{}").unwrap();
        assert_eq!(fs::read(&outside).unwrap(), b"precious");
        assert_eq!(fs::read(out.join("report.json")).unwrap(), b"{}");
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
