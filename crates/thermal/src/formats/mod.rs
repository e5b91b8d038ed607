//! Radiometric file formats, one module per format behind [`FrameSource`].
//!
//! [`open`] finds the format by magic bytes first and the extension second,
//! then returns a source that yields frames on request. Every size read from a
//! header is checked against [`Limits`] before anything is allocated from it.
//! Files that are recognised but cannot give temperatures (plain JPEGs, DJI
//! and HikMicro JPEGs, PNGs without a declared scale) are refused with what
//! was found and which export would work.

mod bytes;
mod csv_matrix;
mod fff;
mod flir_jpeg;
mod fpf;
mod infiray;
mod jpeg_ls;
mod limits;
mod listing;
mod npy;
mod png_image;
mod png_raw;
mod sequence;
mod tiff_image;

use std::io::Read;
use std::path::Path;

pub use bytes::Bytes;
pub use jpeg_ls::decode as decode_jpeg_ls;
pub use limits::{DecodeBudget, Limits, DECODED_BYTES_ALWAYS_ALLOWED};
pub use listing::{frame_files, frame_files_of, is_frame_file, FRAME_EXTENSIONS};

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

/// Opens a radiometric file.
pub fn open(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let head = read_head(path, 64)?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if head.starts_with(b"FFF\0") || head.starts_with(b"AFF\0") {
        let format = match extension.as_str() {
            "csq" => "flir_csq",
            "fff" => "flir_fff",
            _ => "flir_seq",
        };
        return Ok(Box::new(sequence::FffSequence::open(
            path,
            format,
            options.clone(),
        )?));
    }
    if head.starts_with(&[0xFF, 0xD8]) {
        return open_jpeg(path, options);
    }
    refuse_radiometry(path, options)?;
    let decoded =
        if head.starts_with(fpf::MAGIC) || (head.starts_with(b"FPF") && extension == "fpf") {
            fpf::decode(Bytes::new(&read_file(path)?, path), options)?
        } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
            return Ok(Box::new(tiff_image::open(path, options)?));
        } else if head.starts_with(&[0x89, b'P', b'N', b'G']) {
            png_image::decode(Bytes::new(&read_file(path)?, path), options)?
        } else if head.starts_with(npy::MAGIC) {
            return Ok(Box::new(npy::open(path, options)?));
        } else if matches!(extension.as_str(), "csv" | "txt" | "tsv") {
            return Ok(Box::new(csv_matrix::open(path, options)?));
        } else {
            return Err(Error::Unsupported {
                path: path.to_path_buf(),
                message: format!(
                "not a radiometric format fevercheck reads (first bytes {:02x?}); expected a FLIR \
                 R-JPEG, SEQ, CSQ, FFF or FPF file, an InfiRay JPEG, a TIFF, 16-bit PNG, .npy or a \
                 CSV temperature matrix",
                &head[..head.len().min(8)]
            ),
            });
        };
    Ok(Box::new(decoded))
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

fn open_jpeg(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let data = read_file(path)?;
    let bytes = Bytes::new(&data, path);
    let segments = flir_jpeg::segments(&bytes)?;
    match flir_jpeg::kind(&segments) {
        flir_jpeg::JpegKind::Flir => {
            let fff = flir_jpeg::assemble_fff(&segments, &bytes)?;
            Ok(Box::new(fff::FffInMemory::new(
                path,
                fff,
                "flir_rjpeg",
                options,
            )?))
        }
        flir_jpeg::JpegKind::InfiRay => {
            refuse_radiometry(path, options)?;
            Ok(Box::new(infiray::decode(&segments, &bytes, options)?))
        }
        other => Err(flir_jpeg::refusal(other, &bytes)),
    }
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
