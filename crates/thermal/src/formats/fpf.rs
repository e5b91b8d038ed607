//! FLIR Public Format (FPF): an 892-byte little-endian header and one image.
//!
//! Header: magic `"FPF Public Image Format\0"`, u32 data offset at 0x24, u16
//! image type at 0x28 (0 = temperature), u16 pixel format at 0x2a (0 i16,
//! 1 i32, 2 f32, 3 f64), u16 width and height at 0x2c/0x2e, camera model at
//! 120 and serial at 184 (32 characters each). Pixel values of a temperature
//! image are °C (docs/formats.md; `--kelvin` declares kelvin). Other image types
//! are refused; an image cut short is a "truncated" error with its offset.

use ndarray::Array2;

use super::bytes::Bytes;
use super::{DecodeOptions, DecodedFrames};
use crate::frame::{Camera, Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;
use fevercheck_io::error::{Error, Result};

/// The magic at the start of every FPF file.
pub(super) const MAGIC: &[u8] = b"FPF Public Image Format\0";
/// Size of the header.
const HEADER_LEN: usize = 892;

/// Decodes an FPF file held in `bytes`.
pub(super) fn decode(bytes: Bytes, options: &DecodeOptions) -> Result<DecodedFrames> {
    if bytes.range(0, MAGIC.len(), "the FPF magic")? != MAGIC {
        return Err(bytes.invalid(0, "expected the FPF magic \"FPF Public Image Format\""));
    }
    bytes.range(0, HEADER_LEN, "the 892-byte FPF header")?;
    let offset = bytes.u32(0x24, "the image data offset")? as usize;
    let image_type = bytes.u16(0x28, "the image type")?;
    let pixel_format = bytes.u16(0x2a, "the pixel format")?;
    let width = bytes.u16(0x2c, "the image width")? as usize;
    let height = bytes.u16(0x2e, "the image height")? as usize;
    options
        .limits
        .check_frame(width, height, &bytes.location(0x2c))?;
    if image_type != 0 {
        return Err(Error::Unsupported {
            path: bytes.path_buf(),
            message: format!("FPF image type {image_type} holds no temperatures (type 0 does); export a temperature image"),
        });
    }
    let size = match pixel_format {
        0 => 2,
        1 | 2 => 4,
        3 => 8,
        other => return Err(bytes.invalid(0x2a, format!("FPF pixel format {other}; expected 0–3"))),
    };
    let data = bytes.slice(offset, width * height * size, "the FPF image data")?;
    let values: Vec<f32> = (0..width * height)
        .map(|i| {
            let at = i * size;
            let value = match pixel_format {
                0 => data.i16(at, "a pixel").map(f64::from),
                1 => data.i32(at, "a pixel").map(f64::from),
                2 => data.f32(at, "a pixel"),
                _ => data.f64(at, "a pixel"),
            };
            value.map(|v| if options.kelvin { v - KELVIN_OFFSET } else { v } as f32)
        })
        .collect::<Result<_>>()?;
    let temperatures = Array2::from_shape_vec((height, width), values)
        .map_err(|e| bytes.invalid(offset, e.to_string()))?;
    let meta = FrameMeta {
        format: "flir_fpf".into(),
        camera: Camera {
            model: bytes
                .text(120, 32, "camera model")
                .ok()
                .and_then(Camera::field),
            serial: bytes
                .text(184, 32, "camera serial")
                .ok()
                .and_then(Camera::field),
        },
        encoding: ["i16", "i32", "f32", "f64"][pixel_format as usize].to_string()
            + " little-endian",
        ..FrameMeta::default()
    };
    Ok(DecodedFrames::new(
        "flir_fpf",
        vec![Frame::from_temperatures(temperatures, meta)],
    ))
}
