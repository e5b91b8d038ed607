//! Limits on sizes read from file headers, checked before any allocation
//! sized from them: a file claiming a 4 GB frame fails at once with a clear
//! message instead of exhausting memory.

use crate::error::{Error, LimitKind, Location, Result};

/// Size limits for decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Widest frame accepted, pixels.
    pub max_width: usize,
    /// Tallest frame accepted, pixels.
    pub max_height: usize,
    /// Most pixels in one frame.
    pub max_pixels: usize,
    /// Most frames in one file.
    pub max_frames: usize,
}

impl Default for Limits {
    /// The largest radiometric cameras today are 1280×1024 (FLIR X8580) and
    /// the largest CSQ samples 1024×768; 16 384 pixels a side and 64 Mpixel
    /// leave room for stitched or upsampled exports. A 10-minute sequence at
    /// 60 Hz is 36 000 frames; a million covers long recordings.
    fn default() -> Self {
        Limits {
            max_width: 16_384,
            max_height: 16_384,
            max_pixels: 64 << 20,
            max_frames: 1_000_000,
        }
    }
}

impl Limits {
    /// Checks a frame size read from a header at `location`.
    pub fn check_frame(&self, width: usize, height: usize, location: &Location) -> Result<()> {
        if width == 0 || height == 0 {
            return Err(Error::invalid(
                location.clone(),
                format!(
                    "the frame is {width}×{height} pixels; expected a positive width and height"
                ),
            ));
        }
        if width > self.max_width
            || height > self.max_height
            || width.saturating_mul(height) > self.max_pixels
        {
            return Err(Error::Limit {
                location: Box::new(location.clone()),
                message: format!(
                    "the header claims a {width}×{height} frame, beyond the limit of {}×{} and {} \
                     pixels",
                    self.max_width, self.max_height, self.max_pixels
                ),
                limit: LimitKind::FrameSize,
            });
        }
        Ok(())
    }

    /// Checks a frame count read from a file.
    pub fn check_frames(&self, frames: usize, location: &Location) -> Result<()> {
        if frames > self.max_frames {
            return Err(Error::Limit {
                location: Box::new(location.clone()),
                message: format!(
                    "the file holds more than {} frames, the limit",
                    self.max_frames
                ),
                limit: LimitKind::Frames,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn absurd_sizes_are_refused_before_allocation() {
        let limits = Limits::default();
        let at = Location::byte(Path::new("f.seq"), 20, Some(3));
        assert!(limits.check_frame(640, 480, &at).is_ok());
        let err = limits
            .check_frame(65_535, 65_535, &at)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("f.seq, frame 3, byte 20") && err.contains("65535×65535"),
            "{err}"
        );
        assert!(limits.check_frame(0, 480, &at).is_err());
        assert!(limits.check_frames(2_000_000, &at).is_err());
    }
}
