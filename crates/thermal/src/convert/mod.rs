//! Writing frames out: `fevercheck convert`. One writer per output format
//! behind [`FrameWriter`]; frames are written one at a time, so converting
//! a long sequence to CSV, NPY or PNG never holds it in memory (TIFF pages are
//! encoded at the end, because the encoder seeks). Every file is written
//! atomically.
//!
//! - `csv`: one line per image row, °C with 3 decimals, comma-separated;
//!   several frames are separated by `Frame N` lines (which the CSV matrix
//!   reader understands).
//! - `npy`: little-endian f32, shape `(rows, columns)` or `(frames, rows, columns)`.
//! - `tiff`: 32-bit float grayscale, °C, one page per frame.
//! - `png`: a false-colour picture with a scale bar, one file per frame.

mod csv;
mod npy;
pub mod palette;
mod plan;
mod png;
mod targets;
mod tiff;

pub use plan::{
    check_distinct, selected_frames, target_in_folder, write_conversion, Conversion, FrameSelection,
};
pub use targets::{output_paths, prepare_targets};

use std::path::{Path, PathBuf};

use crate::frame::Frame;
use fevercheck_io::error::Result;

/// Output formats of `convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Text matrix, °C.
    Csv,
    /// NumPy f32 array.
    Npy,
    /// 32-bit float TIFF.
    Tiff,
    /// False-colour PNG with a scale bar.
    Png,
}

impl OutputFormat {
    /// The extension of its files.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Npy => "npy",
            OutputFormat::Tiff => "tiff",
            OutputFormat::Png => "png",
        }
    }
}

/// Writes frames of one conversion.
pub trait FrameWriter {
    /// Writes one frame.
    fn write(&mut self, frame: &Frame) -> Result<()>;
    /// Finishes and returns the files written.
    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>>;
}

/// A writer of `frames` frames (all of the same size) to `path`.
pub fn writer(format: OutputFormat, path: &Path, frames: usize) -> Result<Box<dyn FrameWriter>> {
    Ok(match format {
        OutputFormat::Csv => Box::new(csv::CsvWriter::create(path, frames)?),
        OutputFormat::Npy => Box::new(npy::NpyWriter::create(path, frames)?),
        OutputFormat::Tiff => Box::new(tiff::TiffWriter::create(path)?),
        OutputFormat::Png => Box::new(png::PngWriter::new(path, frames)),
    })
}

/// `path` with `-N` before the extension, for one file per frame.
pub fn numbered(path: &Path, index: usize) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(extension) => format!("{stem}-{index}.{}", extension.to_string_lossy()),
        None => format!("{stem}-{index}"),
    };
    path.with_file_name(name)
}
