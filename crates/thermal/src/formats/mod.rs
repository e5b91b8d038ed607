//! Radiometric file formats, one module per format behind [`FrameSource`].
//!
//! [`open`] finds the format by the one table of formats ([`table`]): magic
//! bytes first and the extension second, then returns a source that yields
//! frames on request. Every size read from a
//! header is checked against [`Limits`] before anything is allocated from it.
//! Files that are recognised but cannot give temperatures (plain JPEGs, DJI
//! and HikMicro JPEGs, PNGs without a declared scale) are refused with what
//! was found and which export would work.

mod bytes;
mod csv_matrix;
mod fff;
mod flir_jpeg;
mod fpf;
mod hikvision;
mod hti;
mod infiray;
mod irg;
mod jpeg_ls;
mod limits;
mod listing;
mod npy;
mod openers;
mod png_image;
mod png_raw;
mod sequence;
mod shared_tables;
pub mod table;
mod tiff_image;
mod uvc_dump;

use std::io::Read;
use std::path::Path;

pub use bytes::Bytes;
pub use jpeg_ls::decode as decode_jpeg_ls;
pub use limits::{DecodeBudget, Limits, DECODED_BYTES_ALWAYS_ALLOWED};
pub use listing::{frame_files, frame_files_of, is_frame_file};
pub use table::{frame_extensions, Format, FORMATS};

use table::{Handling, Opener};

use crate::frame::{Frame, FrameMeta};
use crate::overrides::RadiometryOverrides;
use fevercheck_io::error::{Error, Location, Result};

/// How to decode: limits, radiometry overrides and declared scales.
#[derive(Debug, Clone, Default)]
pub struct DecodeOptions {
    /// Size limits.
    pub limits: Limits,
    /// Overrides of the radiometric parameters embedded in FLIR files.
    pub radiometry: RadiometryOverrides,
    /// Declared linear scale of integer images (PNG, TIFF, NPY).
    pub scale: Option<LinearScale>,
    /// Floating-point values are in kelvin (else °C).
    pub kelvin: bool,
}

/// `kelvin = value · scale + offset` for integer images.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearScale {
    /// Kelvin per count.
    pub scale: f64,
    /// Kelvin at count 0.
    pub offset: f64,
}

impl LinearScale {
    /// The named presets of docs/formats.md: `centikelvin` (0.01 K/count: Lepton
    /// and Boson TLinear high resolution, FLIR GigE TemperatureLinear10mK),
    /// `decikelvin` (0.1 K/count), `flirpy` (0.04 K/count).
    pub fn preset(name: &str) -> Option<Self> {
        let scale = match name {
            "centikelvin" => 0.01,
            "decikelvin" => 0.1,
            "flirpy" => 0.04,
            _ => return None,
        };
        Some(LinearScale { scale, offset: 0.0 })
    }

    /// °C of a count.
    pub fn celsius(&self, count: f64) -> f64 {
        count * self.scale + self.offset - crate::radiometry::KELVIN_OFFSET
    }
}

/// A file of one or more frames.
pub trait FrameSource {
    /// Short name of the format.
    fn format(&self) -> &'static str;
    /// Number of frames.
    fn frame_count(&self) -> usize;
    /// Decodes frame `index` (0-based).
    fn read_frame(&mut self, index: usize) -> Result<Frame>;
    /// The metadata of frame `index`, decoding as little as the format allows.
    fn read_meta(&mut self, index: usize) -> Result<FrameMeta> {
        self.read_frame(index).map(|frame| frame.meta)
    }
    /// Byte offset of each frame in the file, where frames have one.
    fn frame_offsets(&self) -> Vec<u64> {
        Vec::new()
    }
    /// Decodes frames `indexes`, in that order, each as [`read_frame`]
    /// would; formats whose frames decode independently (FLIR sequences)
    /// spread them over the cores.
    ///
    /// [`read_frame`]: FrameSource::read_frame
    fn read_frames(&mut self, indexes: &[usize]) -> Vec<Result<Frame>> {
        indexes
            .iter()
            .map(|&index| self.read_frame(index))
            .collect()
    }
}

/// Frames decoded up front (single-image formats).
pub struct DecodedFrames {
    format: &'static str,
    frames: Vec<Frame>,
}

impl DecodedFrames {
    /// Wraps decoded frames, recording each one's size in its metadata.
    pub fn new(format: &'static str, mut frames: Vec<Frame>) -> Self {
        for frame in &mut frames {
            frame.meta.width = frame.width();
            frame.meta.height = frame.height();
        }
        DecodedFrames { format, frames }
    }
}

impl FrameSource for DecodedFrames {
    fn format(&self) -> &'static str {
        self.format
    }

    fn frame_count(&self) -> usize {
        self.frames.len()
    }

    fn read_frame(&mut self, index: usize) -> Result<Frame> {
        check_index(index, self.frames.len())?;
        Ok(self.frames[index].clone())
    }
}

/// Opens a radiometric file: the first entry of [`table::FORMATS`] whose
/// signature (and, where it must, extension) the file has decides; a JPEG's
/// marker segments choose among the JPEG kinds. A recognised format that
/// fevercheck does not read is refused with the export that works.
pub fn open(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let head = read_head(path, table::HEAD_BYTES)?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let Some(format) = FORMATS.iter().find(|f| f.matches(&head, &extension)) else {
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            message: format!(
                "not a radiometric format fevercheck reads (first bytes {:02x?}); expected one \
                 of: {}",
                &head[..head.len().min(8)],
                table::read_format_names()
            ),
        });
    };
    match format.handling {
        Handling::Reads(Opener::File(open_file)) => {
            if !format.raw_counts {
                refuse_radiometry(path, options)?;
            }
            open_file(path, options)
        }
        Handling::Refused(advice) => Err(refusal(path, advice)),
        // Which JPEG it is, its segments tell.
        Handling::Reads(Opener::Jpeg(..)) | Handling::RefusedJpeg(..) => open_jpeg(path, options),
    }
}

/// Opens a JPEG by the kind its marker segments show.
fn open_jpeg(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let data = read_file(path)?;
    let bytes = Bytes::new(&data, path);
    let segments = flir_jpeg::segments(&bytes)?;
    let kind = flir_jpeg::kind(&segments, &data);
    let Some(format) = FORMATS.iter().find(|f| f.jpeg_kind() == Some(kind)) else {
        // Every kind has an entry (a unit test of the table checks it).
        return Err(refusal(
            path,
            "a JPEG of a kind fevercheck has no entry for",
        ));
    };
    match format.handling {
        Handling::Reads(Opener::Jpeg(_, open_segments)) => {
            if !format.raw_counts {
                refuse_radiometry(path, options)?;
            }
            open_segments(&bytes, &segments, options)
        }
        Handling::RefusedJpeg(_, advice) | Handling::Refused(advice) => Err(refusal(path, advice)),
        Handling::Reads(Opener::File(open_file)) => open_file(path, options),
    }
}

/// The error for a recognised format fevercheck does not read.
fn refusal(path: &Path, advice: &str) -> Error {
    Error::Unsupported {
        path: path.to_path_buf(),
        message: format!("this is {advice}"),
    }
}

/// Radiometry overrides act on the raw counts of FLIR files; a file that
/// holds temperatures already cannot take them, and ignoring them silently
/// would let a user believe a corrected emissivity was applied.
fn refuse_radiometry(path: &Path, options: &DecodeOptions) -> Result<()> {
    let overrides = options.radiometry.overrides();
    if overrides.is_empty() {
        return Ok(());
    }
    Err(Error::Unsupported {
        path: path.to_path_buf(),
        message: format!(
            "{} (or [radiometry] in session.toml) cannot apply: this file holds temperatures \
             already converted by the camera or its software; radiometric parameters apply to \
             the raw counts of FLIR R-JPEG, SEQ, CSQ and FFF files. Leave them out, or convert \
             the original FLIR file",
            overrides.join(", ")
        ),
    })
}

/// Largest single-frame file read whole, bytes: a 640×480 R-JPEG is under
/// 1 MB, a float TIFF of a 1280×1024 frame 5 MB; frames of sequences are
/// read one at a time, not whole.
const MAX_WHOLE_FILE_BYTES: u64 = 512 * 1024 * 1024;

fn read_file(path: &Path) -> Result<Vec<u8>> {
    fevercheck_io::input::read_bytes(path, MAX_WHOLE_FILE_BYTES)
}

fn read_head(path: &Path, length: u64) -> Result<Vec<u8>> {
    let file = fevercheck_io::input::open_regular(path)?;
    let mut head = Vec::new();
    file.take(length)
        .read_to_end(&mut head)
        .map_err(|e| Error::read(path, e))?;
    if head.is_empty() {
        return Err(Error::invalid(Location::file(path), "the file is empty"));
    }
    Ok(head)
}

/// The `length` bytes of a frame stored at `start` in `file`; an error
/// names the place (`at`) when the file cannot give them.
fn read_frame_bytes(
    file: &mut std::fs::File,
    start: u64,
    length: usize,
    at: &Location,
) -> Result<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    let mut bytes = vec![0u8; length];
    file.seek(SeekFrom::Start(start))
        .and_then(|_| file.read_exact(&mut bytes))
        .map_err(|e| Error::invalid(at.clone(), format!("cannot read the frame: {e}")))?;
    Ok(bytes)
}

/// The error for a frame number beyond the file's frames.
pub fn check_index(index: usize, frames: usize) -> Result<()> {
    if index < frames {
        Ok(())
    } else {
        Err(Error::parameter(
            "frame",
            format!(
                "frame {index} does not exist; the file has {frames} frame(s), numbered from 0"
            ),
        ))
    }
}
