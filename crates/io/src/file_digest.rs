//! The digest fevercheck records of each file it writes into a folder, so
//! that a later run can tell its own unchanged files from the user's.
//!
//! Files are digested with BLAKE3 (256 bits, written as 64 hex digits, as
//! `b3sum` prints them). A folder marker written before BLAKE3 lists
//! SHA-256 digests; those are still read and checked ([`Algorithm`]).
//!
//! BLAKE3 replaced SHA-256 because the report.json of a million readings
//! is 130 MB, and the one thread that writes it also digests it: SHA-256
//! took 114 ms of that thread, BLAKE3 takes 25 ms (benches/README.md).
//! The digest guards against accidents (a user's edit, a file put in the
//! folder), which either algorithm detects alike.

use std::fs::File;
use std::io;
use std::path::Path;

use sha2::Digest as _;

/// The algorithm a folder's marker records its digests with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// What fevercheck writes: BLAKE3, 256 bits.
    Blake3,
    /// What markers written before BLAKE3 hold.
    Sha256,
}

impl Algorithm {
    /// The name a marker's header gives the algorithm (as its command-line
    /// tool is called, without the `sum`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Blake3 => "blake3",
            Algorithm::Sha256 => "sha256",
        }
    }

    /// The digest of `bytes`, in lowercase hex.
    pub fn of_bytes(self, bytes: &[u8]) -> String {
        let mut hasher = Hasher::new(self);
        hasher.update(bytes);
        hasher.finish()
    }

    /// The digest of the file at `path`, read in pieces, in lowercase hex.
    pub fn of_file(self, path: &Path) -> io::Result<String> {
        let mut hasher = Hasher::new(self);
        io::copy(&mut File::open(path)?, &mut hasher)?;
        Ok(hasher.finish())
    }
}

/// A digest being computed over bytes given in pieces.
pub struct Hasher(State);

enum State {
    Blake3(Box<blake3::Hasher>),
    Sha256(sha2::Sha256),
}

impl Hasher {
    /// Starts a digest with `algorithm`.
    pub fn new(algorithm: Algorithm) -> Hasher {
        Hasher(match algorithm {
            Algorithm::Blake3 => State::Blake3(Box::new(blake3::Hasher::new())),
            Algorithm::Sha256 => State::Sha256(sha2::Sha256::new()),
        })
    }

    /// Adds `bytes` to the digest.
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            State::Blake3(hasher) => {
                hasher.update(bytes);
            }
            State::Sha256(hasher) => hasher.update(bytes),
        }
    }

    /// The digest of every byte added, in lowercase hex.
    pub fn finish(self) -> String {
        match self.0 {
            State::Blake3(hasher) => hex(hasher.finalize().as_bytes()),
            State::Sha256(hasher) => hex(&hasher.finalize()),
        }
    }
}

impl io::Write for Hasher {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blake3_of_abc_and_of_nothing_are_the_published_ones() {
        // The BLAKE3 paper's reference implementation (`b3sum`), and
        // Python's `blake3` package, print these.
        assert_eq!(
            Algorithm::Blake3.of_bytes(b""),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
        assert_eq!(
            Algorithm::Blake3.of_bytes(b"abc"),
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
    }

    #[test]
    fn sha256_of_abc_is_the_standard_one() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(
            Algorithm::Sha256.of_bytes(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_digest_in_pieces_is_the_digest_of_the_whole() {
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        for algorithm in [Algorithm::Blake3, Algorithm::Sha256] {
            let mut hasher = Hasher::new(algorithm);
            for piece in [&bytes[..1], &bytes[1..70_000], &bytes[70_000..]] {
                hasher.update(piece);
            }
            assert_eq!(hasher.finish(), algorithm.of_bytes(&bytes));
        }
    }

    #[test]
    fn a_file_is_digested_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc.txt");
        std::fs::write(&path, b"abc").unwrap();
        for algorithm in [Algorithm::Blake3, Algorithm::Sha256] {
            assert_eq!(
                algorithm.of_file(&path).unwrap(),
                algorithm.of_bytes(b"abc")
            );
        }
    }
}
