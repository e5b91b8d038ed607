//! JPEG-LS (ITU-T T.87) raw data of FLIR CSQ files. Not decoded yet: the
//! stream is recognised and refused with a message that says so.

use ndarray::Array2;

use super::bytes::Bytes;
use crate::error::{Error, Result};

/// Decodes a JPEG-LS stream of `width × height` 16-bit samples.
pub fn decode(_stream: &[u8], width: usize, height: usize, context: Bytes) -> Result<Array2<u16>> {
    Err(Error::Unsupported {
        path: context.path_buf(),
        message: format!(
            "frame {} holds {width}×{height} raw counts compressed with JPEG-LS, which this version \
             does not decode yet; the frames are listed by `fevercheck inspect`. Export the \
             sequence from FLIR software as SEQ (uncompressed) or as CSV to analyse temperatures",
            context.frame.unwrap_or(0)
        ),
    })
}
