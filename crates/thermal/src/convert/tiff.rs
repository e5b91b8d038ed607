//! TIFF output: 32-bit float grayscale, °C, one page per frame. The pages
//! are kept until [`FrameWriter::finish`]: the encoder needs to seek.

use std::path::{Path, PathBuf};

use tiff::encoder::{colortype, TiffEncoder};

use super::FrameWriter;
use crate::frame::Frame;
use fevercheck_io::atomic::AtomicFile;
use fevercheck_io::error::{Error, Result};

/// Writes frames as pages of a float TIFF.
pub(super) struct TiffWriter {
    file: AtomicFile,
    pages: Vec<Frame>,
}

impl TiffWriter {
    /// Starts `path`.
    pub(super) fn create(path: &Path) -> Result<Self> {
        Ok(TiffWriter {
            file: AtomicFile::create(path)?,
            pages: Vec::new(),
        })
    }
}

impl FrameWriter for TiffWriter {
    fn write(&mut self, frame: &Frame) -> Result<()> {
        // The encoder needs a seekable writer; pages are encoded at finish.
        self.pages.push(frame.clone());
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<PathBuf>> {
        let mut buffer = std::io::Cursor::new(Vec::new());
        {
            let fail = |e: tiff::TiffError| Error::encode("the TIFF", e);
            let mut encoder = TiffEncoder::new(&mut buffer).map_err(fail)?;
            for frame in &self.pages {
                let values: Vec<f32> = frame.temperatures.iter().copied().collect();
                encoder
                    .write_image::<colortype::Gray32Float>(
                        frame.width() as u32,
                        frame.height() as u32,
                        &values,
                    )
                    .map_err(fail)?;
            }
        }
        use std::io::Write;
        let bytes = buffer.into_inner();
        let result = self.file.writer().write_all(&bytes);
        result.map_err(|e| self.file.error(e))?;
        Ok(vec![self.file.commit()?])
    }
}
