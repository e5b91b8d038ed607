//! TIFF temperature images: 32-bit float (°C, or kelvin with `--kelvin`) or
//! 16-bit integers with a declared linear scale (`--scale centikelvin` …).
//! Every page is a frame, decoded only when it is read, after its decoded
//! size has been checked against the bytes its strips take and against what
//! the file as a whole may decode to (`Limits::check_expansion`,
//! `DecodeBudget`). Grayscale only; other layouts are refused with what was
//! found.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use tiff::decoder::{ChunkType, Decoder, DecodingResult};
use tiff::tags::Tag;
use tiff::ColorType;

use super::bytes::Bytes;
use super::limits::DecodeBudget;
use super::{check_index, DecodeOptions, FrameSource};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;
use fevercheck_io::error::{Error, Location, Result};

/// What is known of a page without decoding it.
struct Page {
    width: usize,
    height: usize,
    /// Bytes its pixels take once decoded.
    decoded_bytes: u64,
    /// Bytes its strips or tiles take in the file (at most the file's size).
    stored_bytes: u64,
}

/// The pages of a TIFF file, each decoded when it is asked for: only the
/// directories are read on opening, so a file of 2 000 pages costs 2 000
/// directories, not 2 000 images.
pub(super) struct TiffPages {
    path: PathBuf,
    decoder: Decoder<BufReader<File>>,
    pages: Vec<Page>,
    options: DecodeOptions,
    budget: DecodeBudget,
}

/// Opens a TIFF file and reads the directory of every page.
pub(super) fn open(path: &Path, options: &DecodeOptions) -> Result<TiffPages> {
    let file = fevercheck_io::input::open_regular(path)?;
    let file_bytes = file.metadata().map_err(|e| Error::read(path, e))?.len();
    let fail = |e: tiff::TiffError| unreadable(path, e);
    let mut decoder = Decoder::new(BufReader::new(file))
        .map_err(fail)?
        .with_limits(decoder_limits(options));
    let mut pages = Vec::new();
    loop {
        let at = Location::byte(path, 0, Some(pages.len()));
        options.limits.check_frames(pages.len() + 1, &at)?;
        pages.push(page(&mut decoder, path, pages.len(), file_bytes, options)?);
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(fail)?;
    }
    Ok(TiffPages {
        path: path.to_path_buf(),
        decoder,
        pages,
        options: options.clone(),
        budget: options.limits.file_budget(file_bytes),
    })
}

/// The limits handed to the `tiff` crate: no buffer beyond the largest
/// frame accepted, in the widest sample type (64-bit floats).
fn decoder_limits(options: &DecodeOptions) -> tiff::decoder::Limits {
    let mut limits = tiff::decoder::Limits::default();
    limits.decoding_buffer_size = options.limits.max_pixels.saturating_mul(8);
    limits.intermediate_buffer_size = limits.decoding_buffer_size;
    limits
}

/// Reads the current directory: its size, its sample type and the bytes its
/// pixels are stored in, refusing what cannot be temperatures.
fn page(
    decoder: &mut Decoder<BufReader<File>>,
    path: &Path,
    index: usize,
    file_bytes: u64,
    options: &DecodeOptions,
) -> Result<Page> {
    let fail = |e: tiff::TiffError| unreadable(path, e);
    let at = Location::byte(path, 0, Some(index));
    let (width, height) = decoder.dimensions().map_err(fail)?;
    let (width, height) = (width as usize, height as usize);
    options.limits.check_frame(width, height, &at)?;
    let bits = match decoder.colortype().map_err(fail)? {
        ColorType::Gray(bits) => bits,
        color => {
            return Err(Error::Unsupported {
                path: path.to_path_buf(),
                message: format!(
                    "page {index} is {color:?}; expected one grayscale channel of temperatures"
                ),
            })
        }
    };
    let counts = match decoder.get_chunk_type() {
        ChunkType::Strip => Tag::StripByteCounts,
        ChunkType::Tile => Tag::TileByteCounts,
    };
    let stored: u64 = decoder
        .get_tag_u64_vec(counts)
        .map_err(fail)?
        .iter()
        .fold(0u64, |sum, &n| sum.saturating_add(n));
    let decoded_bytes = (width * height) as u64 * u64::from(bits).div_ceil(8);
    Ok(Page {
        width,
        height,
        decoded_bytes,
        stored_bytes: stored.min(file_bytes),
    })
}

fn unreadable(path: &Path, error: tiff::TiffError) -> Error {
    Error::invalid(
        Location::file(path),
        format!("not a readable TIFF: {error}"),
    )
}

impl FrameSource for TiffPages {
    fn format(&self) -> &'static str {
        "tiff"
    }

    fn frame_count(&self) -> usize {
        self.pages.len()
    }

    fn read_meta(&mut self, index: usize) -> Result<FrameMeta> {
        check_index(index, self.pages.len())?;
        let page = &self.pages[index];
        Ok(FrameMeta {
            format: "tiff".into(),
            index,
            width: page.width,
            height: page.height,
            ..FrameMeta::default()
        })
    }

    fn read_frame(&mut self, index: usize) -> Result<Frame> {
        let mut meta = self.read_meta(index)?;
        let page = &self.pages[index];
        let at = Location::byte(&self.path, 0, Some(index));
        let limits = &self.options.limits;
        limits.check_expansion(page.decoded_bytes, page.stored_bytes, &at)?;
        self.budget.charge(page.decoded_bytes, &at)?;
        let path = &self.path;
        let fail = |e: tiff::TiffError| unreadable(path, e);
        self.decoder.seek_to_image(index).map_err(fail)?;
        let options = &self.options;
        let (values, encoding) = match self.decoder.read_image().map_err(fail)? {
            DecodingResult::F32(v) => (float_values(v.into_iter().map(f64::from), options), "f32"),
            DecodingResult::F64(v) => (float_values(v.into_iter(), options), "f64"),
            DecodingResult::U16(v) => {
                let scale = options
                    .scale
                    .ok_or_else(|| scale_needed(path, "16-bit TIFF"))?;
                let values = v
                    .into_iter()
                    .map(|c| scale.celsius(c as f64) as f32)
                    .collect();
                (values, "u16 with declared scale")
            }
            other => {
                return Err(Error::Unsupported {
                    path: path.clone(),
                    message: format!(
                        "page {index} has {} samples; expected 32-bit float (°C) or 16-bit \
                         integers with a declared scale",
                        sample_name(&other)
                    ),
                })
            }
        };
        let temperatures = Array2::from_shape_vec((page.height, page.width), values)
            .map_err(|e| Error::invalid(at, e.to_string()))?;
        meta.encoding = encoding.into();
        Ok(Frame::from_temperatures(temperatures, meta))
    }
}

fn float_values(values: impl Iterator<Item = f64>, options: &DecodeOptions) -> Vec<f32> {
    values
        .map(|v| if options.kelvin { v - KELVIN_OFFSET } else { v } as f32)
        .collect()
}

fn sample_name(result: &DecodingResult) -> &'static str {
    match result {
        DecodingResult::U8(_) => "8-bit",
        DecodingResult::U32(_) => "32-bit integer",
        DecodingResult::U64(_) => "64-bit integer",
        DecodingResult::I8(_)
        | DecodingResult::I16(_)
        | DecodingResult::I32(_)
        | DecodingResult::I64(_) => "signed integer",
        _ => "other",
    }
}

/// The refusal for integer images without a declared scale.
pub(super) fn unscaled(bytes: &Bytes, what: &str) -> Error {
    scale_needed(&bytes.path_buf(), what)
}

fn scale_needed(path: &Path, what: &str) -> Error {
    Error::ScaleNeeded {
        path: path.to_path_buf(),
        what: what.to_string(),
    }
}
