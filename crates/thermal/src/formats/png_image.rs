//! 16-bit grayscale PNG temperature images with a declared linear scale
//! (docs/formats.md: `kelvin = count · scale + offset`). Without a declared scale
//! the file is refused: a PNG does not say what its counts mean.

use std::sync::Arc;

use ndarray::Array2;

use super::bytes::Bytes;
use super::png_raw::{decode_gray16, png_kind};
use super::tiff_image::unscaled;
use super::{DecodeOptions, DecodedFrames};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::RawToCelsius;
use fevercheck_io::error::{Error, Result};

/// PNG IHDR fields: bit depth at byte 24, colour type at byte 25
/// (PNG specification §11.2.2); grayscale is colour type 0.
const BIT_DEPTH_AT: usize = 24;
const COLOUR_TYPE_AT: usize = 25;
const GRAYSCALE: u8 = 0;

/// Decodes a 16-bit PNG held in `bytes`. A PNG of colours (8-bit, RGB, a
/// palette) is refused as what it is: a picture, not temperatures.
pub(super) fn decode(bytes: Bytes, options: &DecodeOptions) -> Result<DecodedFrames> {
    let bit_depth = bytes.u8(BIT_DEPTH_AT, "the PNG bit depth")?;
    let colour_type = bytes.u8(COLOUR_TYPE_AT, "the PNG colour type")?;
    if (bit_depth, colour_type) != (16, GRAYSCALE) {
        return Err(Error::Unsupported {
            path: bytes.path_buf(),
            message: format!(
                "this is an {} PNG: it holds a picture's colours, not temperatures. A \
                 temperature PNG holds 16-bit grayscale counts with a declared scale; export \
                 the camera's radiometric file, a CSV temperature matrix, or a 16-bit TIFF",
                png_kind(bit_depth, colour_type)
            ),
        });
    }
    let scale = options
        .scale
        .ok_or_else(|| unscaled(&bytes, "16-bit PNG"))?;
    let header = bytes.with_big_endian(true);
    let width = header.u32(16, "the PNG width")? as usize;
    let height = header.u32(20, "the PNG height")? as usize;
    options
        .limits
        .check_frame(width, height, &bytes.location(16))?;
    let decoded = (width * height * 2) as u64;
    options
        .limits
        .check_expansion(decoded, bytes.data.len() as u64, &bytes.location(16))?;
    let counts = decode_gray16(bytes, width, height)?;
    let table = RawToCelsius::linear(scale.scale, scale.offset);
    let values: Vec<f32> = counts.iter().map(|&c| table.get(c)).collect();
    let temperatures = Array2::from_shape_vec((height, width), values)
        .map_err(|e| bytes.invalid(0, e.to_string()))?;
    let raw = Array2::from_shape_vec((height, width), counts).ok();
    let meta = FrameMeta {
        format: "png".into(),
        encoding: "u16 with declared scale".into(),
        ..FrameMeta::default()
    };
    Ok(DecodedFrames::new(
        "png",
        vec![Frame {
            temperatures,
            raw,
            raw_table: Some(Arc::new(table)),
            meta,
        }],
    ))
}
