//! TIFF temperature images: 32-bit float (°C, or kelvin with `--kelvin`) or
//! 16-bit integers with a declared linear scale (`--scale centikelvin` …).
//! Every page is a frame. Grayscale only; other layouts are refused with
//! what was found.

use std::io::Cursor;

use ndarray::Array2;
use tiff::decoder::{Decoder, DecodingResult};
use tiff::ColorType;

use super::bytes::Bytes;
use super::{DecodeOptions, DecodedFrames};
use crate::error::{Error, Result};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;

/// Decodes every page of a TIFF file held in `bytes`.
pub fn decode(bytes: Bytes, options: &DecodeOptions) -> Result<DecodedFrames> {
    let fail = |e: tiff::TiffError| bytes.invalid(0, format!("not a readable TIFF: {e}"));
    let mut limits = tiff::decoder::Limits::default();
    limits.decoding_buffer_size = options.limits.max_pixels * 8;
    let mut decoder = Decoder::new(Cursor::new(bytes.data))
        .map_err(fail)?
        .with_limits(limits);
    let mut frames = Vec::new();
    loop {
        let (width, height) = decoder.dimensions().map_err(fail)?;
        let (width, height) = (width as usize, height as usize);
        options
            .limits
            .check_frame(width, height, &bytes.location(0))?;
        options
            .limits
            .check_frames(frames.len() + 1, &bytes.location(0))?;
        let color = decoder.colortype().map_err(fail)?;
        if !matches!(color, ColorType::Gray(_)) {
            return Err(Error::Unsupported {
                path: bytes.path_buf(),
                message: format!(
                    "page {} is {color:?}; expected one grayscale channel of temperatures",
                    frames.len()
                ),
            });
        }
        let (values, encoding) = match decoder.read_image().map_err(fail)? {
            DecodingResult::F32(v) => (float_values(v.into_iter().map(f64::from), options), "f32"),
            DecodingResult::F64(v) => (float_values(v.into_iter(), options), "f64"),
            DecodingResult::U16(v) => {
                let scale = options.scale.ok_or_else(|| unscaled(&bytes, "16-bit TIFF"))?;
                (v.into_iter().map(|c| scale.celsius(c as f64) as f32).collect(), "u16 with declared scale")
            }
            other => {
                return Err(Error::Unsupported {
                    path: bytes.path_buf(),
                    message: format!(
                        "page {} has {} samples; expected 32-bit float (°C) or 16-bit integers with a declared scale",
                        frames.len(),
                        sample_name(&other)
                    ),
                })
            }
        };
        let temperatures = Array2::from_shape_vec((height, width), values)
            .map_err(|e| bytes.invalid(0, e.to_string()))?;
        let meta = FrameMeta {
            format: "tiff".into(),
            index: frames.len(),
            encoding: encoding.into(),
            ..FrameMeta::default()
        };
        frames.push(Frame::from_temperatures(temperatures, meta));
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(fail)?;
    }
    Ok(DecodedFrames::new("tiff", frames))
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
pub fn unscaled(bytes: &Bytes, what: &str) -> Error {
    Error::ScaleNeeded {
        path: bytes.path_buf(),
        what: what.to_string(),
    }
}
