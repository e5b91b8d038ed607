//! CSV output: one line per image row, °C with 3 decimals; NaN as `NaN`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::FrameWriter;
use crate::frame::Frame;
use fevercheck_io::atomic::AtomicFile;
use fevercheck_io::error::Result;

/// Writes frames as a CSV matrix.
pub(super) struct CsvWriter {
    file: AtomicFile,
    several: bool,
}

impl CsvWriter {
    /// Starts `path`; with more than one frame each gets a `Frame N` line.
    pub(super) fn create(path: &Path, frames: usize) -> Result<Self> {
        Ok(CsvWriter {
            file: AtomicFile::create(path)?,
            several: frames > 1,
        })
    }
}

impl FrameWriter for CsvWriter {
    fn write(&mut self, frame: &Frame) -> Result<()> {
        let mut text = String::with_capacity(frame.width() * frame.height() * 8);
        if self.several {
            text.push_str(&format!("Frame {}\n", frame.meta.index));
        }
        for row in frame.temperatures.rows() {
            let cells: Vec<String> = row.iter().map(|t| format!("{t:.3}")).collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        let result = self.file.writer().write_all(text.as_bytes());
        result.map_err(|e| self.file.error(e))
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>> {
        Ok(vec![self.file.commit()?])
    }
}
