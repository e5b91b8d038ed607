//! HTI (Xintai) radiometric JPEGs — the HT-04D and HT-19 and the cameras sold
//! under other names with the same firmware (docs/formats.md). The file is
//! two JPEGs back to back, the blended picture the camera showed and the
//! visible picture, followed by a thermal block: width and height (u16
//! little-endian), `width × height` temperatures as i16 little-endian in
//! tenths of a degree Celsius, row by row from the top left; the same width
//! and height again and an 8-bit grey image of the same size; then the
//! camera's record (a u32 size of 104 or 112 bytes, the model and firmware
//! as 20-byte texts, the capture time as a 20-byte text, three spots, the
//! emissivity in hundredths). Layout as described by the MIT-licensed
//! IRImageParser (jbtronics), checked here on its sample file.

use ndarray::Array2;

use super::bytes::Bytes;
use super::{DecodeOptions, DecodedFrames};
use crate::frame::{Camera, Frame, FrameMeta};
use fevercheck_io::error::Result;

/// Where the first picture ends and the second begins: `FF D9 FF D8`.
const PICTURES_JOIN: [u8; 4] = [0xFF, 0xD9, 0xFF, 0xD8];

/// A JPEG's end marker.
const END_OF_IMAGE: [u8; 2] = [0xFF, 0xD9];

/// Temperatures are stored in tenths of a degree Celsius.
const DECI_CELSIUS: f32 = 10.0;

/// Sizes of the camera's record the firmware writes (IRImageParser).
const RECORD_SIZES: [u32; 2] = [104, 112];

/// Offsets in the camera's record: the model and firmware texts.
const MODEL_AT: usize = 4;
const TEXT_LENGTH: usize = 20;

/// Where a thermal block starts and its size, when `data` holds one: two
/// pictures back to back, then a width and height whose temperatures and
/// grey image fit in what follows and are repeated before the grey image.
pub(super) fn thermal_block(data: &[u8]) -> Option<(usize, usize, usize)> {
    let join = find(data, &PICTURES_JOIN, 0)?;
    let second_end = find(data, &END_OF_IMAGE, join + 2)?;
    let at = second_end + END_OF_IMAGE.len();
    let size = |offset: usize| -> Option<(usize, usize)> {
        let bytes = data.get(offset..offset + 4)?;
        let width = u16::from_le_bytes([bytes[0], bytes[1]]) as usize;
        let height = u16::from_le_bytes([bytes[2], bytes[3]]) as usize;
        Some((width, height))
    };
    let (width, height) = size(at)?;
    if width == 0 || height == 0 {
        return None;
    }
    let grey_at = at + 4 + 2 * width * height;
    let repeated = size(grey_at)?;
    let fits = data.len() >= grey_at + 4 + width * height;
    (repeated == (width, height) && fits).then_some((at, width, height))
}

fn find(data: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    data.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

/// Decodes the temperatures of an HTI JPEG held in `bytes`.
pub(super) fn decode(bytes: &Bytes, options: &DecodeOptions) -> Result<DecodedFrames> {
    let Some((at, width, height)) = thermal_block(bytes.data) else {
        return Err(bytes.invalid(0, "no HTI thermal block after the two pictures"));
    };
    options
        .limits
        .check_frame(width, height, &bytes.location(at))?;
    let values = bytes.range(at + 4, 2 * width * height, "the HTI temperatures")?;
    let celsius: Vec<f32> = values
        .chunks_exact(2)
        .map(|pair| f32::from(i16::from_le_bytes([pair[0], pair[1]])) / DECI_CELSIUS)
        .collect();
    let temperatures = Array2::from_shape_vec((height, width), celsius)
        .map_err(|e| bytes.invalid(at, e.to_string()))?;
    let record_at = at + 4 + 2 * width * height + 4 + width * height;
    let meta = FrameMeta {
        format: "hti_jpeg".into(),
        encoding: "i16 tenths of °C".into(),
        camera: Camera {
            model: camera_model(bytes.data, record_at),
            ..Camera::default()
        },
        ..FrameMeta::default()
    };
    Ok(DecodedFrames::new(
        "hti_jpeg",
        vec![Frame {
            temperatures,
            raw: None,
            raw_table: None,
            meta,
        }],
    ))
}

/// The camera model of the record at `at`, when a record of a known size
/// is there.
fn camera_model(data: &[u8], at: usize) -> Option<String> {
    let size = data.get(at..at + 4)?;
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
    if !RECORD_SIZES.contains(&size) {
        return None;
    }
    let text = data.get(at + MODEL_AT..at + MODEL_AT + TEXT_LENGTH)?;
    let text = String::from_utf8_lossy(text);
    Camera::field(text.trim_end_matches('\0').trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two minimal pictures and a thermal block of `width × height`.
    fn file(width: u16, height: u16, repeat: (u16, u16)) -> Vec<u8> {
        let mut data = vec![0xFF, 0xD8, 1, 2, 0xFF, 0xD9, 0xFF, 0xD8, 3, 0xFF, 0xD9];
        data.extend(width.to_le_bytes());
        data.extend(height.to_le_bytes());
        let cells = usize::from(width) * usize::from(height);
        for k in 0..cells {
            data.extend((365 + k as i16).to_le_bytes());
        }
        data.extend(repeat.0.to_le_bytes());
        data.extend(repeat.1.to_le_bytes());
        data.extend(vec![0u8; cells]);
        data
    }

    #[test]
    fn the_block_after_the_second_picture_is_found() {
        let data = file(3, 2, (3, 2));
        assert_eq!(thermal_block(&data), Some((11, 3, 2)));
    }

    #[test]
    fn a_block_whose_size_is_not_repeated_or_does_not_fit_is_not_one() {
        assert_eq!(thermal_block(&file(3, 2, (2, 3))), None);
        let mut short = file(3, 2, (3, 2));
        short.pop();
        assert_eq!(thermal_block(&short), None);
        // A plain JPEG with a second one appended but nothing after.
        assert_eq!(
            thermal_block(&[0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xD8, 0xFF, 0xD9]),
            None
        );
    }

    #[test]
    fn temperatures_are_tenths_of_a_degree_row_by_row() {
        let data = file(3, 2, (3, 2));
        let path = std::path::Path::new("hti.jpg");
        let frames = decode(&Bytes::new(&data, path), &DecodeOptions::default()).unwrap();
        let mut frames = frames;
        let frame = super::super::FrameSource::read_frame(&mut frames, 0).unwrap();
        assert_eq!(frame.temperatures.dim(), (2, 3));
        // 365 + k tenths: 36.5 at the top left, 36.8 at the start of row 2.
        assert!((frame.temperatures[[0, 0]] - 36.5).abs() < 1e-5);
        assert!((frame.temperatures[[1, 0]] - 36.8).abs() < 1e-5);
        assert!((frame.temperatures[[1, 2]] - 37.0).abs() < 1e-5);
    }
}
