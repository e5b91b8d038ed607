//! NumPy `.npy` output (format version 1.0): little-endian f32, C order,
//! shape `(rows, columns)` for one frame or `(frames, rows, columns)`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::FrameWriter;
use crate::frame::Frame;
use fevercheck_io::atomic::AtomicFile;
use fevercheck_io::error::{Error, Result};

/// Writes frames as one `.npy` array.
pub(super) struct NpyWriter {
    file: AtomicFile,
    frames: usize,
    written: usize,
    size: Option<(usize, usize)>,
}

impl NpyWriter {
    /// Starts `path` for `frames` frames.
    pub(super) fn create(path: &Path, frames: usize) -> Result<Self> {
        Ok(NpyWriter {
            file: AtomicFile::create(path)?,
            frames,
            written: 0,
            size: None,
        })
    }

    fn header(&self, rows: usize, columns: usize) -> Vec<u8> {
        let shape = if self.frames > 1 {
            format!("({}, {rows}, {columns})", self.frames)
        } else {
            format!("({rows}, {columns})")
        };
        let mut dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}");
        // Magic (6) + version (2) + length (2) + dict + '\n' is a multiple of 64.
        while (10 + dict.len() + 1) % 64 != 0 {
            dict.push(' ');
        }
        dict.push('\n');
        let mut header = b"\x93NUMPY\x01\x00".to_vec();
        header.extend_from_slice(&(dict.len() as u16).to_le_bytes());
        header.extend_from_slice(dict.as_bytes());
        header
    }
}

impl FrameWriter for NpyWriter {
    fn write(&mut self, frame: &Frame) -> Result<()> {
        let size = (frame.height(), frame.width());
        let mut bytes = Vec::with_capacity(size.0 * size.1 * 4 + 128);
        match self.size {
            None => {
                bytes.extend(self.header(size.0, size.1));
                self.size = Some(size);
            }
            Some(first) if first != size => {
                return Err(Error::encode(
                    "the .npy array",
                    format!(
                    "frame {} is {}×{} but the first was {}×{}; one array needs frames of one size",
                    frame.meta.index, size.1, size.0, first.1, first.0
                ),
                ))
            }
            Some(_) => {}
        }
        for t in frame.temperatures.iter() {
            bytes.extend_from_slice(&t.to_le_bytes());
        }
        self.written += 1;
        let result = self.file.writer().write_all(&bytes);
        result.map_err(|e| self.file.error(e))
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>> {
        Ok(vec![self.file.commit()?])
    }
}
