//! InfiRay `.irg` files (the C200 series, the P200, and cameras built on
//! InfiRay cores such as Autel's drones), as the MIT-licensed `infiray_irg`
//! (jaseg, version 1.6.0) describes them (docs/formats.md). All little-endian:
//!
//! ```text
//! 0   u16  magic: CA AC (C200 series), BA AB (others), 04 A0 (P200)
//! 2   u16  header length (the header ends with AC CA, except the P200's)
//! 4   u32  length of the coarse 8-bit image (= rows · columns)
//! 8   u16  rows          10  u16  columns       12  u16  variant flag
//! 22  u32  length of the visible JPEG after the images
//! 30  u32  emissivity · 10 000
//! then the coarse 8-bit image, then the fine image: rows · columns u16.
//! ```
//!
//! The fine image is in kelvin steps that depend on the model: 1/16 K for
//! the C200 series (1/10 K when the variant flag is 1, as in Autel files),
//! 1/10 K for the others; the P200's are tenths above −273.2 °C.

use std::sync::Arc;

use ndarray::Array2;

use super::bytes::Bytes;
use super::{DecodeOptions, DecodedFrames};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::RawToCelsius;
use fevercheck_io::error::Result;

/// The models the magic bytes name, with their kelvin per count and the
/// kelvin at count 0 (a P200's zero is −273.2 °C, 0.05 K below absolute
/// zero's −273.15 °C).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Model {
    /// C200 series (`CA AC`).
    C200,
    /// Other InfiRay cameras (`BA AB`).
    Other,
    /// P200 (`04 A0`).
    P200,
}

/// The header's end marker of the C200 series and the others.
const END_MARKER: [u8; 2] = [0xAC, 0xCA];

/// Offsets in the header.
const HEADER_LENGTH_AT: usize = 2;
const COARSE_LENGTH_AT: usize = 4;
const ROWS_AT: usize = 8;
const COLUMNS_AT: usize = 10;
const VARIANT_AT: usize = 12;

/// The shortest header that holds the fields read here.
const MIN_HEADER: usize = 34;

/// The model the first two bytes name.
fn model(head: &[u8]) -> Option<Model> {
    match head.get(..2)? {
        [0xCA, 0xAC] => Some(Model::C200),
        [0xBA, 0xAB] => Some(Model::Other),
        [0x04, 0xA0] => Some(Model::P200),
        _ => None,
    }
}

/// Kelvin per count and kelvin at count 0 of the fine image.
fn scale(model: Model, variant: u16) -> (f64, f64, &'static str) {
    match (model, variant) {
        (Model::C200, 1) => (0.1, 0.0, "u16 1/10 K (C200-series header, variant 1)"),
        (Model::C200, _) => (1.0 / 16.0, 0.0, "u16 1/16 K (C200 series)"),
        (Model::Other, _) => (0.1, 0.0, "u16 1/10 K"),
        (Model::P200, _) => (0.1, -0.05, "u16 1/10 K above −273.2 °C (P200)"),
    }
}

/// Decodes an `.irg` file held in `bytes`.
pub(super) fn decode(bytes: Bytes, options: &DecodeOptions) -> Result<DecodedFrames> {
    let Some(model) = model(bytes.data) else {
        return Err(bytes.invalid(0, "no InfiRay IRG magic (CA AC, BA AB or 04 A0)"));
    };
    let le = bytes.with_big_endian(false);
    let header_length = le.u16(HEADER_LENGTH_AT, "the IRG header length")? as usize;
    if header_length < MIN_HEADER {
        return Err(bytes.invalid(
            HEADER_LENGTH_AT,
            format!("the IRG header claims {header_length} bytes; it holds at least {MIN_HEADER}"),
        ));
    }
    let header = le.range(0, header_length, "the IRG header")?;
    if model != Model::P200 && header[header_length - 2..] != END_MARKER {
        return Err(bytes.invalid(
            header_length - 2,
            "the IRG header does not end with AC CA where its length says",
        ));
    }
    let coarse_length = le.u32(COARSE_LENGTH_AT, "the coarse image length")? as usize;
    let rows = le.u16(ROWS_AT, "the IRG rows")? as usize;
    let columns = le.u16(COLUMNS_AT, "the IRG columns")? as usize;
    options
        .limits
        .check_frame(columns, rows, &bytes.location(ROWS_AT))?;
    if rows * columns != coarse_length {
        return Err(bytes.invalid(
            COARSE_LENGTH_AT,
            format!(
                "the coarse image is {coarse_length} bytes but the header says {rows}×{columns}"
            ),
        ));
    }
    let variant = le.u16(VARIANT_AT, "the IRG variant flag")?;
    let fine_at = header_length + coarse_length;
    let fine = le.range(fine_at, 2 * rows * columns, "the IRG fine image")?;
    let counts: Vec<u16> = fine
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    let (kelvin_per_count, offset_k, encoding) = scale(model, variant);
    let table = RawToCelsius::linear(kelvin_per_count, offset_k);
    let celsius: Vec<f32> = counts.iter().map(|&c| table.get(c)).collect();
    let temperatures = Array2::from_shape_vec((rows, columns), celsius)
        .map_err(|e| bytes.invalid(fine_at, e.to_string()))?;
    let raw = Array2::from_shape_vec((rows, columns), counts).ok();
    let meta = FrameMeta {
        format: "infiray_irg".into(),
        encoding: encoding.into(),
        ..FrameMeta::default()
    };
    Ok(DecodedFrames::new(
        "infiray_irg",
        vec![Frame {
            temperatures,
            raw,
            raw_table: Some(Arc::new(table)),
            meta,
        }],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::FrameSource;

    /// A C200-style file of 2 × 3 with fine counts `counts`.
    fn file(magic: [u8; 2], variant: u16, counts: [u16; 6]) -> Vec<u8> {
        let mut data = vec![0u8; 40];
        data[..2].copy_from_slice(&magic);
        data[2..4].copy_from_slice(&40u16.to_le_bytes());
        data[4..8].copy_from_slice(&6u32.to_le_bytes());
        data[8..10].copy_from_slice(&2u16.to_le_bytes());
        data[10..12].copy_from_slice(&3u16.to_le_bytes());
        data[12..14].copy_from_slice(&variant.to_le_bytes());
        data[38..40].copy_from_slice(&END_MARKER);
        data.extend([0u8; 6]);
        for c in counts {
            data.extend(c.to_le_bytes());
        }
        data
    }

    fn first_frame(data: &[u8]) -> Result<Frame> {
        let path = std::path::Path::new("t.irg");
        decode(Bytes::new(data, path), &DecodeOptions::default())?.read_frame(0)
    }

    #[test]
    fn c200_counts_are_sixteenths_of_a_kelvin() {
        // 310.15 K = 37 °C is 4962.4 sixteenths; 4962 is 36.975 °C.
        let frame = first_frame(&file([0xCA, 0xAC], 0, [4962, 0, 0, 0, 0, 4976])).unwrap();
        assert_eq!(frame.temperatures.dim(), (2, 3));
        assert!((frame.temperatures[[0, 0]] - 36.975).abs() < 1e-4);
        assert!((frame.temperatures[[1, 2]] - 37.85).abs() < 1e-4);
    }

    #[test]
    fn variants_and_other_models_use_tenths() {
        let variant = first_frame(&file([0xCA, 0xAC], 1, [3102, 0, 0, 0, 0, 0])).unwrap();
        assert!((variant.temperatures[[0, 0]] - 37.05).abs() < 1e-4);
        let other = first_frame(&file([0xBA, 0xAB], 0, [3102, 0, 0, 0, 0, 0])).unwrap();
        assert!((other.temperatures[[0, 0]] - 37.05).abs() < 1e-4);
        // A P200's tenths start at −273.2 °C: 3102 is 37.0 °C.
        let p200 = first_frame(&file([0x04, 0xA0], 0, [3102, 0, 0, 0, 0, 0])).unwrap();
        assert!((p200.temperatures[[0, 0]] - 37.0).abs() < 1e-4);
    }

    #[test]
    fn a_header_without_its_end_marker_or_with_a_wrong_size_is_refused() {
        let mut data = file([0xCA, 0xAC], 0, [0; 6]);
        data[39] = 0;
        let message = first_frame(&data).unwrap_err().to_string();
        assert!(message.contains("AC CA"), "{message}");
        let mut data = file([0xCA, 0xAC], 0, [0; 6]);
        data[4] = 7;
        let message = first_frame(&data).unwrap_err().to_string();
        assert!(message.contains("coarse image is 7 bytes"), "{message}");
        let data = file([0xCA, 0xAC], 0, [0; 6]);
        assert!(first_frame(&data[..50]).is_err());
    }
}
