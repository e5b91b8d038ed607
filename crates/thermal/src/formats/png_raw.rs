//! FLIR raw counts stored as a 16-bit grayscale PNG inside the raw record
//! (FLIR ONE, AX8). FLIR writes the samples in the wrong byte order, but not
//! always (docs/formats.md), so both orders are tried and the one whose
//! neighbouring pixels differ less is kept: a wrong order makes neighbours
//! jump by thousands of counts.

use ndarray::Array2;

use super::bytes::Bytes;
use fevercheck_io::error::Result;

/// Decodes the PNG in `pixels`, checks it is `width × height` 16-bit gray,
/// and returns the counts in the plausible byte order.
pub(super) fn decode_flir_png(
    pixels: Bytes,
    width: usize,
    height: usize,
) -> Result<(Array2<u16>, &'static str)> {
    let samples = decode_gray16(pixels, width, height)?;
    let swapped: Vec<u16> = samples.iter().map(|v| v.swap_bytes()).collect();
    let (chosen, how) = if roughness(&swapped, width) < roughness(&samples, width) {
        (swapped, "png, byte-swapped")
    } else {
        (samples, "png")
    };
    let array = Array2::from_shape_vec((height, width), chosen)
        .map_err(|e| pixels.invalid(0, e.to_string()))?;
    Ok((array, how))
}

/// Decodes a 16-bit grayscale PNG of the expected size into its samples.
pub(super) fn decode_gray16(pixels: Bytes, width: usize, height: usize) -> Result<Vec<u16>> {
    let fail = |message: String| pixels.invalid(0, message);
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(pixels.data),
        png::Limits {
            bytes: width * height * 2 + (1 << 16),
        },
    );
    decoder.set_transformations(png::Transformations::IDENTITY);
    let mut reader = decoder
        .read_info()
        .map_err(|e| fail(format!("the embedded PNG cannot be read: {e}")))?;
    let info = reader.info();
    if (info.width as usize, info.height as usize) != (width, height) {
        return Err(fail(format!(
            "the embedded PNG is {}×{} but the record says {width}×{height}",
            info.width, info.height
        )));
    }
    if info.bit_depth != png::BitDepth::Sixteen || info.color_type != png::ColorType::Grayscale {
        return Err(fail(format!(
            "the PNG is {}; expected 16-bit grayscale counts",
            png_kind(info.bit_depth as u8, info.color_type as u8)
        )));
    }
    let mut buffer = vec![0u8; reader.output_buffer_size()];
    let frame = reader
        .next_frame(&mut buffer)
        .map_err(|e| fail(format!("the embedded PNG is damaged: {e}")))?;
    Ok(buffer[..frame.buffer_size()]
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect())
}

/// How a reader names a PNG of `bit_depth` and `colour_type` (the IHDR
/// fields, PNG specification §11.2.2): "8-bit RGB colour".
pub(super) fn png_kind(bit_depth: u8, colour_type: u8) -> String {
    let colour = match colour_type {
        0 => "grayscale",
        2 => "RGB colour",
        3 => "palette colour",
        4 => "grayscale with alpha",
        6 => "RGBA colour",
        _ => "unknown colour type",
    };
    format!("{bit_depth}-bit {colour}")
}

/// Mean absolute difference between horizontal neighbours.
fn roughness(samples: &[u16], width: usize) -> f64 {
    let mut total = 0u64;
    let mut count = 0u64;
    for row in samples.chunks(width.max(1)) {
        for pair in row.windows(2) {
            total += (pair[0] as i64 - pair[1] as i64).unsigned_abs();
            count += 1;
        }
    }
    total as f64 / count.max(1) as f64
}
