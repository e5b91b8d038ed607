//! NumPy `.npy` arrays: a 2-D array is one frame, a 3-D array `(frames,
//! rows, columns)` a sequence. Float data (`f4`, `f8`) are °C (kelvin when
//! declared); `u2`/`i2` need a declared scale. C order only.
//!
//! The header (NumPy format versions 1–3: magic, version, an ASCII Python
//! dict with `descr`, `fortran_order` and `shape`) is parsed by the `npyz`
//! crate; the shape is checked against the limits before anything is
//! allocated, and the file's length against the shape, before elements are
//! read (by `npyz`, in either byte order). Only the header is read on
//! opening; each frame's bytes are read from the file when it is asked for.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use npyz::{NpyFile, NpyHeader, Order};

use super::bytes::Bytes;
use super::tiff_image::unscaled;
use super::{check_index, read_frame_bytes, DecodeOptions, FrameSource};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;
use fevercheck_io::error::{Error, Location, Result};

/// The magic at the start of every `.npy` file.
pub(super) const MAGIC: &[u8] = b"\x93NUMPY";

/// Longest header read, bytes. NumPy writes a dict of a few dozen bytes
/// padded to a multiple of 64; a header of a megabyte is no array's.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// Bytes before the header: magic, version and, in versions 2 and 3, a
/// 4-byte header length.
const PREAMBLE_BYTES: usize = 12;

/// Element types read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Element {
    F32,
    F64,
    U16,
    I16,
}

impl Element {
    fn of(descr: &str) -> Option<Element> {
        match descr.trim_start_matches(['<', '>', '|', '=']) {
            "f4" => Some(Element::F32),
            "f8" => Some(Element::F64),
            "u2" => Some(Element::U16),
            "i2" => Some(Element::I16),
            _ => None,
        }
    }

    fn size(self) -> usize {
        match self {
            Element::F32 => 4,
            Element::F64 => 8,
            Element::U16 | Element::I16 => 2,
        }
    }
}

/// An `.npy` file opened: its header, read once, and each frame read from
/// the file and decoded only when it is asked for — an array of a million
/// 1×1 frames (4 MB) no longer becomes a million frame objects (2.2 GB)
/// before the session asks for one, and a file of long recordings is never
/// held whole.
pub(super) struct NpyFrames {
    path: PathBuf,
    file: File,
    data_at: u64,
    header: NpyHeader,
    element: Element,
    descr: String,
    frames: usize,
    height: usize,
    width: usize,
    options: DecodeOptions,
}

/// Opens the `.npy` file `path`: the header, the shape against the limits
/// and the file's length against the shape are checked here; frames are
/// decoded by [`FrameSource::read_frame`].
pub(super) fn open(path: &Path, options: &DecodeOptions) -> Result<NpyFrames> {
    let mut file = fevercheck_io::input::open_regular(path)?;
    let file_bytes = file.metadata().map_err(|e| Error::read(path, e))?.len();
    let mut head = Vec::new();
    (&mut file)
        .take((PREAMBLE_BYTES + MAX_HEADER_BYTES) as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::read(path, e))?;
    let bytes = Bytes::new(&head, path);
    check_header_length(&bytes)?;
    let mut rest = bytes.all();
    let header = NpyHeader::from_reader(&mut rest)
        .map_err(|e| bytes.invalid(0, format!("not a readable NumPy header: {e}")))?;
    let data_at = (bytes.len() - rest.len()) as u64;
    // `descr()` is the Python literal, quotes included: `'<f4'`.
    let descr = header.dtype().descr().trim_matches('\'').to_string();
    let element = Element::of(&descr).ok_or_else(|| {
        bytes.invalid(
            8,
            format!("element type '{descr}'; expected f4, f8, u2 or i2"),
        )
    })?;
    if header.order() == Order::Fortran {
        return Err(bytes.invalid(
            8,
            "the array is in Fortran order; save it with np.ascontiguousarray",
        ));
    }
    let (frames, height, width) = frame_shape(&bytes, header.shape())?;
    options
        .limits
        .check_frame(width, height, &bytes.location(8))?;
    options.limits.check_frames(frames, &bytes.location(8))?;
    if matches!(element, Element::U16 | Element::I16) && options.scale.is_none() {
        return Err(unscaled(&bytes, "16-bit integer .npy array"));
    }
    // Within the limits this is at most 10⁶ × 16 Mi × 8 bytes: no overflow.
    let needed = (frames * width * height * element.size()) as u64;
    let present = file_bytes.saturating_sub(data_at);
    if present < needed {
        return Err(Error::invalid(
            Location::byte(path, data_at, None),
            format!(
                "truncated: the array data (frames × rows × columns elements) needs {needed} \
                 bytes but the file has {present}"
            ),
        ));
    }
    Ok(NpyFrames {
        path: path.to_path_buf(),
        file,
        data_at,
        header,
        element,
        descr,
        frames,
        height,
        width,
        options: options.clone(),
    })
}

impl FrameSource for NpyFrames {
    fn format(&self) -> &'static str {
        "npy"
    }

    fn frame_count(&self) -> usize {
        self.frames
    }

    fn read_frame(&mut self, index: usize) -> Result<Frame> {
        check_index(index, self.frames)?;
        let per_frame = self.width * self.height;
        let size = per_frame * self.element.size();
        let start = self.data_at + (index * size) as u64;
        let at = Location::byte(&self.path, start, Some(index));
        let frame_bytes = read_frame_bytes(&mut self.file, start, size, &at)?;
        let values = celsius(
            &self.header,
            &frame_bytes,
            per_frame,
            self.element,
            &self.options,
        )
        .map_err(|e| Error::invalid(at.clone(), e.to_string()))?;
        let temperatures = Array2::from_shape_vec((self.height, self.width), values)
            .map_err(|e| Error::invalid(at, e.to_string()))?;
        let meta = FrameMeta {
            format: "npy".into(),
            index,
            encoding: self.descr.clone(),
            width: self.width,
            height: self.height,
            ..FrameMeta::default()
        };
        Ok(Frame::from_temperatures(temperatures, meta))
    }
}

/// Checks that the header the file announces is inside the file before the
/// header is parsed (the parser allocates the announced length).
fn check_header_length(bytes: &Bytes) -> Result<()> {
    if bytes.range(0, 6, "the NumPy magic")? != MAGIC {
        return Err(bytes.invalid(0, "expected the NumPy magic \\x93NUMPY"));
    }
    let (at, length) = match bytes.range(6, 1, "the format version")?[0] {
        1 => (10, bytes.u16(8, "the header length")? as usize),
        2 | 3 => (12, bytes.u32(8, "the header length")? as usize),
        v => return Err(bytes.invalid(6, format!("NumPy format version {v}; expected 1, 2 or 3"))),
    };
    if length > MAX_HEADER_BYTES {
        return Err(bytes.invalid(
            8,
            format!("the NumPy header claims {length} bytes; expected at most {MAX_HEADER_BYTES}"),
        ));
    }
    bytes.range(at, length, "the NumPy header").map(|_| ())
}

/// `(frames, rows, columns)` of a 2-D or 3-D shape.
fn frame_shape(bytes: &Bytes, shape: &[u64]) -> Result<(usize, usize, usize)> {
    let size = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    match *shape {
        [h, w] => Ok((1, size(h), size(w))),
        [f, h, w] => Ok((size(f), size(h), size(w))),
        _ => Err(bytes.invalid(
            8,
            format!("shape {shape:?}; expected (rows, columns) or (frames, rows, columns)"),
        )),
    }
}

/// The °C of one frame's elements.
fn celsius(
    header: &NpyHeader,
    frame: &[u8],
    pixels: usize,
    element: Element,
    options: &DecodeOptions,
) -> Result<Vec<f32>, Box<dyn std::error::Error>> {
    let float = |v: f64| (if options.kelvin { v - KELVIN_OFFSET } else { v }) as f32;
    let scaled = |count: f64| options.scale.map_or(f64::NAN, |s| s.celsius(count)) as f32;
    let reader = NpyFile::with_header(header.clone(), frame);
    match element {
        Element::F32 => read(reader.data::<f32>()?, pixels, |v| float(v as f64)),
        Element::F64 => read(reader.data::<f64>()?, pixels, float),
        Element::U16 => read(reader.data::<u16>()?, pixels, |c| scaled(c as f64)),
        Element::I16 => read(reader.data::<i16>()?, pixels, |c| scaled(c as f64)),
    }
}

/// The first `pixels` elements of `data`, each mapped to °C.
fn read<T>(
    data: impl Iterator<Item = std::io::Result<T>>,
    pixels: usize,
    to_celsius: impl Fn(T) -> f32,
) -> Result<Vec<f32>, Box<dyn std::error::Error>> {
    let values: std::io::Result<Vec<f32>> = data.take(pixels).map(|v| v.map(&to_celsius)).collect();
    Ok(values?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::LinearScale;

    /// A version-1 `.npy` file with `header` (padded as NumPy pads it) and `data`.
    fn npy(header: &str, data: &[u8]) -> Vec<u8> {
        let mut dict = header.to_string();
        while !(10 + dict.len() + 1).is_multiple_of(64) {
            dict.push(' ');
        }
        dict.push('\n');
        let mut bytes = MAGIC.to_vec();
        bytes.extend([1, 0]);
        bytes.extend((dict.len() as u16).to_le_bytes());
        bytes.extend(dict.as_bytes());
        bytes.extend(data);
        bytes
    }

    /// Opens `bytes` written to a file `a.npy` (the folder goes when the
    /// source is dropped; the open file stays readable until then).
    fn open_bytes(bytes: &[u8], options: &DecodeOptions) -> Result<NpyFrames> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.npy");
        std::fs::write(&path, bytes).unwrap();
        open(&path, options)
    }

    fn frames(bytes: &[u8], options: &DecodeOptions) -> Result<Vec<Frame>> {
        let mut decoded = open_bytes(bytes, options)?;
        (0..decoded.frame_count())
            .map(|i| decoded.read_frame(i))
            .collect()
    }

    #[test]
    fn a_million_tiny_frames_are_read_one_at_a_time() {
        // Shape (1 000 000, 1, 1), 4 MB: frames are decoded when read (the
        // eager decoder built a million frame objects, 2.2 GB).
        let values: Vec<u8> = (0..1_000_000u32)
            .flat_map(|i| (30.0 + (i % 10) as f32).to_le_bytes())
            .collect();
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1, 1), }";
        let mut source = open_bytes(&npy(header, &values), &DecodeOptions::default()).unwrap();
        assert_eq!(source.frame_count(), 1_000_000);
        let last = source.read_frame(999_999).unwrap();
        assert_eq!(last.temperatures[[0, 0]], 39.0);
        assert_eq!(last.meta.index, 999_999);
        assert!(source.read_frame(1_000_000).is_err());
    }

    #[test]
    fn float_arrays_in_either_byte_order_become_frames() {
        let little: Vec<u8> = [30.5f32, 31.0, 32.25, 33.0, 34.5, 35.0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        let one = frames(&npy(header, &little), &DecodeOptions::default()).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].temperatures[[1, 2]], 35.0);
        let big: Vec<u8> = [36.0f64, 37.0, 38.0, 39.0]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect();
        let header = "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 1, 2), }";
        let two = frames(&npy(header, &big), &DecodeOptions::default()).unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(two[1].temperatures[[0, 1]], 39.0);
        assert_eq!(two[1].meta.index, 1);
    }

    #[test]
    fn counts_need_a_scale_and_fortran_order_and_short_data_are_refused() {
        let counts: Vec<u8> = [31_015u16, 31_115]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let header = "{'descr': '<u2', 'fortran_order': False, 'shape': (1, 2), }";
        let file = npy(header, &counts);
        assert!(frames(&file, &DecodeOptions::default()).is_err());
        let scaled = DecodeOptions {
            scale: LinearScale::preset("centikelvin"),
            ..DecodeOptions::default()
        };
        let frame = &frames(&file, &scaled).unwrap()[0];
        assert!((frame.temperatures[[0, 0]] - 37.0).abs() < 1e-4);
        let fortran = "{'descr': '<u2', 'fortran_order': True, 'shape': (1, 2), }";
        let message = frames(&npy(fortran, &counts), &scaled)
            .unwrap_err()
            .to_string();
        assert!(message.contains("Fortran"), "{message}");
        let short = npy(header, &counts[..3]);
        let message = frames(&short, &scaled).unwrap_err().to_string();
        assert!(message.contains("array data"), "{message}");
        // A version-2 header claiming 4 GB in a 20-byte file: refused before
        // anything of that size is allocated.
        let mut huge = MAGIC.to_vec();
        huge.extend([2, 0]);
        huge.extend(u32::MAX.to_le_bytes());
        huge.extend(b"{'descr'");
        let message = frames(&huge, &scaled).unwrap_err().to_string();
        assert!(
            message.contains("NumPy header claims 4294967295"),
            "{message}"
        );
        // One within the limit but past the end of the file.
        let mut cut = MAGIC.to_vec();
        cut.extend([2, 0]);
        cut.extend(1000u32.to_le_bytes());
        cut.extend(b"{'descr'");
        let message = frames(&cut, &scaled).unwrap_err().to_string();
        assert!(message.contains("the NumPy header"), "{message}");
    }
}
