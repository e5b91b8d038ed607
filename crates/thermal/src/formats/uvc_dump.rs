//! Raw USB video frames of the TopDon TC001 and the InfiRay P2 Pro (the same
//! InfiRay core), saved as they arrive (`ffmpeg -f rawvideo`, or a script's
//! dump): each frame is 256 × 384 YUY2 samples, 2 bytes each — the upper
//! 192 rows the picture, the lower 192 rows the temperatures as u16
//! little-endian in 1/64 K (docs/formats.md). A file is one frame or a
//! recording of frames back to back; frames are read one at a time.
//!
//! No header says what the file is: the extension (`.raw`, `.yuv`) does,
//! and the size must be a whole number of frames. No real dump has been
//! checked against a reference yet; the tests build files from this layout.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ndarray::Array2;

use super::{check_index, read_frame_bytes, DecodeOptions, FrameSource};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::RawToCelsius;
use fevercheck_io::error::{Error, Location, Result};

/// Columns of a frame.
pub(super) const COLUMNS: usize = 256;
/// Rows of the picture, and as many of temperatures below it.
pub(super) const ROWS: usize = 192;
/// Bytes of one frame: 256 × 384 samples of 2 bytes.
pub(super) const FRAME_BYTES: usize = COLUMNS * 2 * ROWS * 2;
/// Kelvin per count of the temperature half.
const KELVIN_PER_COUNT: f64 = 1.0 / 64.0;

/// An open dump of one or more frames.
pub(super) struct UvcDump {
    path: PathBuf,
    file: File,
    frames: usize,
    table: Arc<RawToCelsius>,
}

/// Opens a dump, checking its size is a whole number of frames.
pub(super) fn open(path: &Path, options: &DecodeOptions) -> Result<UvcDump> {
    let file = fevercheck_io::input::open_regular(path)?;
    let size = file.metadata().map_err(|e| Error::read(path, e))?.len();
    let frame_bytes = FRAME_BYTES as u64;
    if size == 0 || size % frame_bytes != 0 {
        return Err(Error::invalid(
            Location::file(path),
            format!(
                "a .raw or .yuv file is read as TC001 / P2 Pro video frames of 256×384 YUY2 \
                 samples ({frame_bytes} bytes each); this file has {size} bytes, not a whole \
                 number of frames"
            ),
        ));
    }
    let frames = (size / frame_bytes) as usize;
    options.limits.check_frames(frames, &Location::file(path))?;
    Ok(UvcDump {
        path: path.to_path_buf(),
        file,
        frames,
        table: Arc::new(RawToCelsius::linear(KELVIN_PER_COUNT, 0.0)),
    })
}

impl FrameSource for UvcDump {
    fn format(&self) -> &'static str {
        "uvc_dump"
    }

    fn frame_count(&self) -> usize {
        self.frames
    }

    fn read_frame(&mut self, index: usize) -> Result<Frame> {
        check_index(index, self.frames)?;
        let half = COLUMNS * 2 * ROWS;
        let start = (index * FRAME_BYTES + half) as u64;
        let at = Location::byte(&self.path, start, Some(index));
        let bytes = read_frame_bytes(&mut self.file, start, half, &at)?;
        let counts: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        let celsius: Vec<f32> = counts.iter().map(|&c| self.table.get(c)).collect();
        let temperatures = Array2::from_shape_vec((ROWS, COLUMNS), celsius)
            .map_err(|e| Error::invalid(at.clone(), e.to_string()))?;
        let raw = Array2::from_shape_vec((ROWS, COLUMNS), counts).ok();
        let meta = FrameMeta {
            format: "uvc_dump".into(),
            index,
            width: COLUMNS,
            height: ROWS,
            encoding: "u16 1/64 K (lower half of a 256×384 YUY2 frame)".into(),
            ..FrameMeta::default()
        };
        Ok(Frame {
            temperatures,
            raw,
            raw_table: Some(Arc::clone(&self.table)),
            meta,
        })
    }
}
