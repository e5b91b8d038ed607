//! Opening the user's input files safely: only regular files are read.
//!
//! A FIFO, a socket or a device given as readings.csv, session.toml, a frame
//! or a saved report would block forever or never end (`/dev/zero`), and a
//! size taken from metadata says 0 for them. So a file is opened without
//! blocking (`O_NONBLOCK`, which a FIFO without a writer needs), its type is
//! taken from the open handle, anything but a regular file is refused naming
//! what it is, and reads stop at a limit whatever the metadata said.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Location, Result};

/// Opens `path` for reading if it is a regular file (links followed).
pub fn open_regular(path: &Path) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| Error::read(path, e))?;
    let kind = file
        .metadata()
        .map_err(|e| Error::read(path, e))?
        .file_type();
    if !kind.is_file() {
        return Err(Error::invalid(
            Location::file(path),
            format!(
                "it is {}, not a regular file; expected a file saved on disk",
                describe(&kind)
            ),
        ));
    }
    Ok(file)
}

/// What a non-regular file is, in words.
fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// The bytes of the regular file `path`, refused past `limit` bytes (the
/// read stops there, whatever the file's metadata claimed).
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>> {
    read_all(&mut open_regular(path)?, path, limit)
}

/// The rest of the open regular file `file` (at `path`), refused past
/// `limit` bytes. The buffer is sized from the file's length up to the
/// limit, so reading does not pass through buffers of twice the size.
pub fn read_all(file: &mut File, path: &Path, limit: u64) -> Result<Vec<u8>> {
    let length = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(length.min(limit) as usize + 1);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::read(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::invalid(
            Location::file(path),
            format!("the file is larger than {limit} bytes, the most fevercheck reads of it"),
        ));
    }
    Ok(bytes)
}

/// The regular file `path` opened for reading through a buffer, for a
/// parser that reads as it goes (a saved report of hundreds of megabytes is
/// never held whole): refused when its length passes `limit` bytes, and
/// read no further than the limit whatever its length claimed.
pub fn buffered(path: &Path, limit: u64) -> Result<std::io::BufReader<std::io::Take<File>>> {
    let file = open_regular(path)?;
    if file.metadata().map_or(0, |m| m.len()) > limit {
        return Err(Error::invalid(
            Location::file(path),
            format!("the file is larger than {limit} bytes, the most fevercheck reads of it"),
        ));
    }
    Ok(std::io::BufReader::new(file.take(limit)))
}

/// The UTF-8 text of the regular file `path`, at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|e| {
        Error::invalid(
            Location::file(path),
            format!(
                "byte offset {}: not UTF-8 text; expected a text file saved as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_up_to_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(read_text(&path, 5).unwrap(), "12345");
        let err = read_text(&path, 4).unwrap_err().to_string();
        assert!(err.contains("larger than 4 bytes"), "{err}");
        let err = read_text(dir.path(), 10).unwrap_err().to_string();
        assert!(
            err.contains("a folder") || err.contains("Is a directory"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_and_a_device_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("readings.csv");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let err = read_text(&fifo, 1 << 20).unwrap_err().to_string();
        assert!(err.contains("a named pipe (FIFO)"), "{err}");
        let link = dir.path().join("session.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let err = read_text(&link, 1 << 20).unwrap_err().to_string();
        assert!(err.contains("a character device"), "{err}");
    }
}
