//! NumPy `.npy` arrays: a 2-D array is one frame, a 3-D array `(frames,
//! rows, columns)` a sequence. Float data (`f4`, `f8`) are °C (kelvin with
//! `--kelvin`); `u2`/`i2` need a declared scale. C order only.
//!
//! Layout (NumPy format spec, versions 1–3): `"\x93NUMPY"`, major and minor
//! version bytes, header length (u16 LE in v1, u32 LE in v2/v3), then an ASCII
//! Python dict with `descr`, `fortran_order` and `shape`, then the data.

use ndarray::Array2;

use super::bytes::Bytes;
use super::tiff_image::unscaled;
use super::{DecodeOptions, DecodedFrames};
use crate::error::Result;
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;

/// The magic at the start of every `.npy` file.
pub const MAGIC: &[u8] = b"\x93NUMPY";

/// Element types read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Element {
    F32,
    F64,
    U16,
    I16,
}

impl Element {
    fn size(self) -> usize {
        match self {
            Element::F32 => 4,
            Element::F64 => 8,
            Element::U16 | Element::I16 => 2,
        }
    }
}

/// Decodes an `.npy` file held in `bytes`.
pub fn decode(bytes: Bytes, options: &DecodeOptions) -> Result<DecodedFrames> {
    if bytes.range(0, 6, "the NumPy magic")? != MAGIC {
        return Err(bytes.invalid(0, "expected the NumPy magic \\x93NUMPY"));
    }
    let major = bytes.range(6, 1, "the format version")?[0];
    let (header_at, header_len) = match major {
        1 => (10, bytes.u16(8, "the header length")? as usize),
        2 | 3 => (12, bytes.u32(8, "the header length")? as usize),
        v => return Err(bytes.invalid(6, format!("NumPy format version {v}; expected 1, 2 or 3"))),
    };
    let header = String::from_utf8_lossy(bytes.range(header_at, header_len, "the NumPy header")?)
        .into_owned();
    let descr = dict_value(&header, "descr")
        .ok_or_else(|| bytes.invalid(header_at, "the header has no 'descr'"))?;
    let descr = descr.trim_matches(|c| c == '\'' || c == '"');
    let big_endian = descr.starts_with('>');
    let element = match descr.trim_start_matches(['<', '>', '|', '=']) {
        "f4" => Element::F32,
        "f8" => Element::F64,
        "u2" => Element::U16,
        "i2" => Element::I16,
        other => {
            return Err(bytes.invalid(
                header_at,
                format!("element type '{other}'; expected f4, f8, u2 or i2"),
            ))
        }
    };
    if dict_value(&header, "fortran_order").is_some_and(|v| v.starts_with("True")) {
        return Err(bytes.invalid(
            header_at,
            "the array is in Fortran order; save it with np.ascontiguousarray",
        ));
    }
    let shape = parse_shape(&header)
        .ok_or_else(|| bytes.invalid(header_at, "the header's 'shape' cannot be read"))?;
    let (frames, height, width) = match shape.as_slice() {
        [h, w] => (1, *h, *w),
        [f, h, w] => (*f, *h, *w),
        other => {
            return Err(bytes.invalid(
                header_at,
                format!("shape {other:?}; expected (rows, columns) or (frames, rows, columns)"),
            ))
        }
    };
    options
        .limits
        .check_frame(width, height, &bytes.location(header_at))?;
    options
        .limits
        .check_frames(frames, &bytes.location(header_at))?;
    if matches!(element, Element::U16 | Element::I16) && options.scale.is_none() {
        return Err(unscaled(&bytes, "16-bit integer .npy array"));
    }
    let data = bytes
        .tail(header_at + header_len, "the array data")?
        .with_big_endian(big_endian);
    let per_frame = width * height;
    data.range(
        0,
        frames * per_frame * element.size(),
        "the array data (frames × rows × columns elements)",
    )?;
    let mut decoded = Vec::with_capacity(frames);
    for f in 0..frames {
        let values: Vec<f32> = (0..per_frame)
            .map(|i| {
                read_celsius(
                    &data,
                    (f * per_frame + i) * element.size(),
                    element,
                    options,
                )
            })
            .collect::<Result<_>>()?;
        let temperatures = Array2::from_shape_vec((height, width), values)
            .map_err(|e| data.invalid(0, e.to_string()))?;
        let meta = FrameMeta {
            format: "npy".into(),
            index: f,
            encoding: descr.to_string(),
            ..FrameMeta::default()
        };
        decoded.push(Frame::from_temperatures(temperatures, meta));
    }
    Ok(DecodedFrames::new("npy", decoded))
}

fn read_celsius(data: &Bytes, at: usize, element: Element, options: &DecodeOptions) -> Result<f32> {
    let float = |v: f64| if options.kelvin { v - KELVIN_OFFSET } else { v };
    let value = match element {
        Element::F32 => float(data.f32(at, "an element")?),
        Element::F64 => float(data.f64(at, "an element")?),
        Element::U16 | Element::I16 => {
            let count = if element == Element::U16 {
                f64::from(data.u16(at, "an element")?)
            } else {
                f64::from(data.i16(at, "an element")?)
            };
            options.scale.map_or(f64::NAN, |s| s.celsius(count))
        }
    };
    Ok(value as f32)
}

/// The text after `'key':` up to the next top-level comma.
fn dict_value<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let start = header.find(&format!("'{key}'"))? + key.len() + 2;
    let rest = header[start..].trim_start().strip_prefix(':')?.trim_start();
    let end = if rest.starts_with('(') {
        rest.find(')')? + 1
    } else {
        rest.find([',', '}']).unwrap_or(rest.len())
    };
    Some(rest[..end].trim())
}

/// The `shape` tuple.
fn parse_shape(header: &str) -> Option<Vec<usize>> {
    let tuple = dict_value(header, "shape")?;
    tuple
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numpy_headers() {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }";
        assert_eq!(dict_value(header, "descr"), Some("'<f4'"));
        assert_eq!(dict_value(header, "fortran_order"), Some("False"));
        assert_eq!(parse_shape(header), Some(vec![2, 3, 4]));
        assert_eq!(parse_shape("{'shape': (480, 640), }"), Some(vec![480, 640]));
        assert_eq!(parse_shape("{'shape': (a, 640), }"), None);
    }
}
