//! InfiRay / Infisense P2 Pro radiometric JPEG.
//!
//! APP2 holds an `"IJPEG"` header (payload offsets, little-endian): u32 IR
//! data size at 32, u16 IR width/height at 42/44, u32 temperature data size
//! at 48, u16 temperature width/height at 58/60. The APP3 segments,
//! concatenated, hold the IR image (IR data size bytes) and then the
//! temperature block: u16 little-endian, °C = v/64 − 273.15 (docs/formats.md).
//! The block's rows are `temperature size / 2 / width`. A file whose APP3 data
//! is shorter than both blocks (exiftool's stripped sample) is refused as
//! truncated, saying how much is missing.

use std::sync::Arc;

use ndarray::Array2;

use super::bytes::Bytes;
use super::flir_jpeg::Segment;
use super::{DecodeOptions, DecodedFrames};
use crate::frame::{Camera, Frame, FrameMeta};
use crate::radiometry::RawToCelsius;
use fevercheck_io::error::Result;

/// Counts per kelvin of the temperature block.
const COUNTS_PER_KELVIN: f64 = 64.0;

/// Decodes the temperatures of an InfiRay JPEG from its segments.
pub(super) fn decode(
    segments: &[Segment],
    bytes: &Bytes,
    options: &DecodeOptions,
) -> Result<DecodedFrames> {
    let header = segments
        .iter()
        .find(|s| s.marker == 0xE2 && s.payload.get(4..9) == Some(b"IJPEG"))
        .ok_or_else(|| bytes.invalid(0, "no InfiRay IJPEG header (APP2)"))?;
    let h = Bytes {
        data: header.payload,
        big_endian: false,
        base: header.offset as u64,
        path: bytes.path,
        frame: None,
    };
    let ir_size = h.u32(32, "the IR data size")? as usize;
    let temperature_size = h.u32(48, "the temperature data size")? as usize;
    let width = h.u16(58, "the temperature image width")? as usize;
    if width == 0 {
        return Err(h.invalid(58, "the temperature image width is 0"));
    }
    let height = temperature_size / 2 / width;
    options.limits.check_frame(width, height, &h.location(58))?;
    let data: Vec<u8> = segments
        .iter()
        .filter(|s| s.marker == 0xE3)
        .flat_map(|s| s.payload.iter().copied())
        .collect();
    let needed = ir_size + temperature_size;
    if data.len() < needed {
        let at = segments
            .iter()
            .find(|s| s.marker == 0xE3)
            .map_or(0, |s| s.offset);
        return Err(bytes.invalid(
            at,
            format!(
                "truncated InfiRay file: the APP3 segments hold {} bytes but the header announces an \
                 IR image of {ir_size} and a temperature block of {temperature_size} bytes",
                data.len()
            ),
        ));
    }
    let block = &data[ir_size..ir_size + width * height * 2];
    let counts: Vec<u16> = block
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let raw = Array2::from_shape_vec((height, width), counts)
        .map_err(|e| h.invalid(58, e.to_string()))?;
    let table = RawToCelsius::linear(1.0 / COUNTS_PER_KELVIN, 0.0);
    let temperatures = raw.mapv(|v| table.get(v));
    let meta = FrameMeta {
        format: "infiray_jpeg".into(),
        camera: Camera {
            model: Some("InfiRay P2".into()),
            serial: None,
        },
        encoding: "u16 little-endian, 1/64 K".into(),
        ..FrameMeta::default()
    };
    Ok(DecodedFrames::new(
        "infiray_jpeg",
        vec![Frame {
            temperatures,
            raw: Some(raw),
            raw_table: Some(Arc::new(table)),
            meta,
        }],
    ))
}
