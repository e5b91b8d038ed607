//! Hikvision thermometry pictures: the response of the ISAPI request
//! `/ISAPI/Thermal/channels/N/thermometry/jpegPicWithAppendData?format=json`
//! saved as one file (docs/formats.md). It is a MIME multipart body of four
//! parts, in order: JSON metadata (`JpegPictureWithAppendData`: `jpegPicWidth`,
//! `jpegPicHeight`, `jpegPicLen`, `temperatureDataLength`, `p2pDataLen`, and
//! for 16-bit data `scale` and `offset`); the thermal JPEG (`jpegPicLen`
//! bytes); the temperature matrix (`p2pDataLen` bytes); the visible JPEG.
//! With `temperatureDataLength` 2 the matrix is int16 little-endian and
//! °C = value / scale + offset − 273.15; with 4 it is float32 °C. Facts from
//! the public description of the MIT-licensed hikvision-thermal-parser; no
//! real response has been checked yet: the tests build files from the layout.
//!
//! The matrix's size is checked against its length: `p2pDataLen` must be
//! width × height × `temperatureDataLength`, never assumed from the JPEG.

use ndarray::Array2;
use serde::Deserialize;

use super::bytes::Bytes;
use super::{DecodeOptions, DecodedFrames};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;
use fevercheck_io::error::Result;

/// The key of the metadata part, which the sniffing looks for.
pub(super) const METADATA_KEY: &[u8] = b"JpegPictureWithAppendData";

/// The metadata part.
#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "JpegPictureWithAppendData")]
    picture: Picture,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Picture {
    jpeg_pic_width: usize,
    jpeg_pic_height: usize,
    jpeg_pic_len: usize,
    temperature_data_length: usize,
    p2p_data_len: usize,
    #[serde(default)]
    scale: Option<f64>,
    #[serde(default)]
    offset: Option<f64>,
}

/// One part of the body: where its content starts.
struct Part {
    content_at: usize,
}

/// The body's parts, read in order from the boundary of its first line.
struct Body<'a> {
    data: &'a [u8],
    /// `\r\n--BOUNDARY`, or `\n--BOUNDARY` in a body saved with bare line feeds.
    delimiter: Vec<u8>,
}

impl<'a> Body<'a> {
    fn of(bytes: &Bytes<'a>) -> Result<Body<'a>> {
        let data = bytes.data;
        let line_end = find(data, b"\n", 0)
            .ok_or_else(|| bytes.invalid(0, "a multipart body starts with its boundary line"))?;
        let crlf = line_end > 0 && data[line_end - 1] == b'\r';
        let boundary = &data[..if crlf { line_end - 1 } else { line_end }];
        let mut delimiter = if crlf {
            b"\r\n".to_vec()
        } else {
            b"\n".to_vec()
        };
        delimiter.extend_from_slice(boundary);
        Ok(Body { data, delimiter })
    }

    /// The part whose boundary line starts at or just after `at`: its
    /// content begins after the blank line that ends its headers.
    fn part_at(&self, at: usize, bytes: &Bytes) -> Result<Part> {
        let blank = find(self.data, b"\r\n\r\n", at)
            .map(|p| p + 4)
            .or_else(|| find(self.data, b"\n\n", at).map(|p| p + 2))
            .ok_or_else(|| {
                bytes.invalid(
                    at,
                    "a multipart part without the blank line after its headers",
                )
            })?;
        Ok(Part { content_at: blank })
    }

    /// Where the next delimiter (the line break before a boundary line)
    /// is at or after `from`.
    fn next_boundary(&self, from: usize, bytes: &Bytes, what: &str) -> Result<usize> {
        find(self.data, &self.delimiter, from)
            .ok_or_else(|| bytes.invalid(from, format!("the multipart body ends before {what}")))
    }
}

fn find(data: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    data.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| at + from)
}

/// Decodes a saved `jpegPicWithAppendData` response held in `bytes`.
pub(super) fn decode(bytes: Bytes, options: &DecodeOptions) -> Result<DecodedFrames> {
    let body = Body::of(&bytes)?;
    // Part 1: the metadata, up to the next boundary.
    let metadata_part = body.part_at(0, &bytes)?;
    let metadata_end = find(body.data, &body.delimiter, metadata_part.content_at)
        .ok_or_else(|| bytes.invalid(metadata_part.content_at, "the metadata part has no end"))?;
    let text = &body.data[metadata_part.content_at..metadata_end];
    let metadata: Metadata = serde_json::from_slice(text).map_err(|e| {
        bytes.invalid(
            metadata_part.content_at,
            format!("the metadata is not the JpegPictureWithAppendData JSON expected: {e}"),
        )
    })?;
    let picture = metadata.picture;
    let (width, height) = (picture.jpeg_pic_width, picture.jpeg_pic_height);
    options
        .limits
        .check_frame(width, height, &bytes.location(metadata_part.content_at))?;
    // Part 2: the thermal JPEG, of the length the metadata gives.
    let jpeg_part = body.part_at(metadata_end, &bytes)?;
    let jpeg_end = jpeg_part.content_at + picture.jpeg_pic_len;
    bytes.range(
        jpeg_part.content_at,
        picture.jpeg_pic_len,
        "the thermal JPEG",
    )?;
    // Part 3: the temperature matrix.
    let matrix_boundary = body.next_boundary(jpeg_end, &bytes, "the temperature matrix")?;
    let matrix_part = body.part_at(matrix_boundary, &bytes)?;
    let per_value = picture.temperature_data_length;
    let expected = width * height * per_value;
    if !matches!(per_value, 2 | 4) || picture.p2p_data_len != expected {
        return Err(bytes.invalid(
            matrix_part.content_at,
            format!(
                "the temperature matrix is {} bytes of {per_value}-byte values, but \
                 {width}×{height} values need {expected}; expected temperatureDataLength 2 \
                 (int16) or 4 (float32) and p2pDataLen = width × height × that",
                picture.p2p_data_len
            ),
        ));
    }
    let matrix = bytes.range(matrix_part.content_at, expected, "the temperature matrix")?;
    let (celsius, encoding): (Vec<f32>, String) = if per_value == 2 {
        let (scale, offset) = match (picture.scale, picture.offset) {
            (Some(scale), Some(offset)) if scale > 0.0 && offset.is_finite() => (scale, offset),
            _ => {
                return Err(bytes.invalid(
                    metadata_part.content_at,
                    "16-bit temperatures need a positive scale and an offset in the metadata",
                ))
            }
        };
        let values = matrix
            .chunks_exact(2)
            .map(|pair| {
                let value = f64::from(i16::from_le_bytes([pair[0], pair[1]]));
                (value / scale + offset - KELVIN_OFFSET) as f32
            })
            .collect();
        (values, format!("int16, K = value / {scale} + {offset}"))
    } else {
        let values = matrix
            .chunks_exact(4)
            .map(|four| f32::from_le_bytes([four[0], four[1], four[2], four[3]]))
            .collect();
        (values, "float32 °C".to_string())
    };
    let temperatures = Array2::from_shape_vec((height, width), celsius)
        .map_err(|e| bytes.invalid(matrix_part.content_at, e.to_string()))?;
    let meta = FrameMeta {
        format: "hikvision_isapi".into(),
        encoding,
        ..FrameMeta::default()
    };
    Ok(DecodedFrames::new(
        "hikvision_isapi",
        vec![Frame::from_temperatures(temperatures, meta)],
    ))
}
