//! Bounds-checked reading of numbers and strings from a byte slice, with
//! errors that name the file, the frame and the absolute byte offset.

use std::path::{Path, PathBuf};

use fevercheck_io::error::{Error, Location, Result};

/// A view of part of a file.
#[derive(Debug, Clone, Copy)]
pub struct Bytes<'a> {
    /// The bytes.
    pub data: &'a [u8],
    /// Whether multi-byte numbers are big-endian.
    pub big_endian: bool,
    /// Offset of `data[0]` in the file, for messages.
    pub base: u64,
    /// The file, for messages.
    pub path: &'a Path,
    /// The frame, for messages.
    pub frame: Option<usize>,
}

impl<'a> Bytes<'a> {
    /// A view of a whole buffer read from `path`.
    pub fn new(data: &'a [u8], path: &'a Path) -> Self {
        Bytes {
            data,
            big_endian: false,
            base: 0,
            path,
            frame: None,
        }
    }

    /// The same view with another byte order.
    pub fn with_big_endian(self, big_endian: bool) -> Self {
        Bytes { big_endian, ..self }
    }

    /// The sub-view `offset .. offset + length`.
    pub fn slice(&self, offset: usize, length: usize, what: &str) -> Result<Bytes<'a>> {
        let data = self.range(offset, length, what)?;
        Ok(Bytes {
            data,
            base: self.base + offset as u64,
            ..*self
        })
    }

    /// Every byte held.
    pub fn all(&self) -> &'a [u8] {
        self.data
    }

    /// Number of bytes held.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether no bytes are held.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The sub-view from `offset` to the end.
    pub fn tail(&self, offset: usize, what: &str) -> Result<Bytes<'a>> {
        let length = self
            .data
            .len()
            .checked_sub(offset)
            .ok_or_else(|| self.truncated(offset, 1, what))?;
        self.slice(offset, length, what)
    }

    /// `length` bytes at `offset`.
    pub fn range(&self, offset: usize, length: usize, what: &str) -> Result<&'a [u8]> {
        offset
            .checked_add(length)
            .filter(|&end| end <= self.data.len())
            .map(|end| &self.data[offset..end])
            .ok_or_else(|| self.truncated(offset, length, what))
    }

    fn array<const N: usize>(&self, offset: usize, what: &str) -> Result<[u8; N]> {
        let bytes = self.range(offset, N, what)?;
        let mut array = [0u8; N];
        array.copy_from_slice(bytes);
        if !self.big_endian {
            array.reverse();
        }
        Ok(array)
    }

    /// A byte at `offset`.
    pub fn u8(&self, offset: usize, what: &str) -> Result<u8> {
        self.array::<1>(offset, what).map(|[byte]| byte)
    }

    /// A u16 at `offset`.
    pub fn u16(&self, offset: usize, what: &str) -> Result<u16> {
        self.array::<2>(offset, what).map(u16::from_be_bytes)
    }

    /// A u32 at `offset`.
    pub fn u32(&self, offset: usize, what: &str) -> Result<u32> {
        self.array::<4>(offset, what).map(u32::from_be_bytes)
    }

    /// An i16 at `offset`.
    pub fn i16(&self, offset: usize, what: &str) -> Result<i16> {
        self.array::<2>(offset, what).map(i16::from_be_bytes)
    }

    /// An i32 at `offset`.
    pub fn i32(&self, offset: usize, what: &str) -> Result<i32> {
        self.array::<4>(offset, what).map(i32::from_be_bytes)
    }

    /// An f32 at `offset`, widened.
    pub fn f32(&self, offset: usize, what: &str) -> Result<f64> {
        self.array::<4>(offset, what)
            .map(|b| f32::from_be_bytes(b) as f64)
    }

    /// An f64 at `offset`.
    pub fn f64(&self, offset: usize, what: &str) -> Result<f64> {
        self.array::<8>(offset, what).map(f64::from_be_bytes)
    }

    /// A NUL-padded text field of `length` bytes at `offset`, trimmed.
    pub fn text(&self, offset: usize, length: usize, what: &str) -> Result<String> {
        let bytes = self.range(offset, length, what)?;
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        Ok(String::from_utf8_lossy(&bytes[..end]).trim().to_string())
    }

    /// The location of `offset`, for messages.
    pub fn location(&self, offset: usize) -> Location {
        Location::byte(self.path, self.base + offset as u64, self.frame)
    }

    /// An error at `offset`.
    pub fn invalid(&self, offset: usize, message: impl Into<String>) -> Error {
        Error::invalid(self.location(offset), message)
    }

    fn truncated(&self, offset: usize, length: usize, what: &str) -> Error {
        self.invalid(
            offset,
            format!(
                "truncated: {what} needs {length} bytes here but the data ends at byte {}",
                self.base + self.data.len() as u64
            ),
        )
    }

    /// The file path, owned.
    pub fn path_buf(&self) -> PathBuf {
        self.path.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_byte_orders_and_refuses_to_overrun() {
        let data = [0x00, 0x64, 0x00, 0x00, 0x41, 0x42, 0x00, 0x43];
        let path = Path::new("f.bin");
        let le = Bytes::new(&data, path);
        let be = le.with_big_endian(true);
        assert_eq!(be.u16(0, "version").unwrap(), 100);
        assert_eq!(le.u16(0, "version").unwrap(), 0x6400);
        assert_eq!(le.text(4, 4, "name").unwrap(), "AB");
        let err = le
            .slice(4, 4, "x")
            .unwrap()
            .u32(2, "count")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("f.bin, byte 6: truncated: count needs 4 bytes"),
            "{err}"
        );
        assert!(le.range(usize::MAX, 2, "x").is_err());
    }
}
