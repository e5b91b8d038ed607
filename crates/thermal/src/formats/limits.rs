//! Limits on sizes read from file headers, checked before any allocation
//! sized from them: a file claiming a 4 GB frame fails at once with a clear
//! message instead of exhausting memory.

use fevercheck_io::error::{Error, LimitKind, Location, Result};

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
    /// Most bytes a compressed frame may decode to per byte stored, beyond
    /// [`DECODED_BYTES_ALWAYS_ALLOWED`]; also bounds the bytes decoded from
    /// one file in all, per byte of the file.
    pub max_expansion: u64,
}

/// Decoded bytes a frame (or a file) may always take, whatever its stored
/// size: 16 MiB holds a 2 800 × 2 800 frame of 16-bit counts or a 2 000 ×
/// 2 000 frame of 32-bit floats, beyond every radiometric camera made today
/// (the largest is 1280 × 1024), so a frame that compresses extremely well —
/// a uniform synthetic target — is never refused for it.
pub const DECODED_BYTES_ALWAYS_ALLOWED: u64 = 16 << 20;

/// Default of [`Limits::max_expansion`]. Deflate cannot expand data more than
/// about 1 032 times (RFC 1951: at most 258 bytes from a 2-bit code), and
/// real thermal frames compress 2–4 times (sensor noise in the low bits); a
/// larger claim is a decompression bomb or a lie in the header.
pub(super) const DEFAULT_MAX_EXPANSION: u64 = 1_000;

impl Default for Limits {
    /// The largest radiometric cameras today are 1280×1024 (FLIR X8580) and
    /// the largest CSQ samples 1024×768; 16 384 pixels a side and 16 Mpixel
    /// (12 times the largest sensor) leave room for stitched or upsampled
    /// exports while one frame stays under 200 MB in memory (16-bit counts,
    /// 32-bit temperatures and a working copy). A 10-minute sequence at
    /// 60 Hz is 36 000 frames; a million covers long recordings.
    fn default() -> Self {
        Limits {
            max_width: 16_384,
            max_height: 16_384,
            max_pixels: 16 << 20,
            max_frames: 1_000_000,
            max_expansion: DEFAULT_MAX_EXPANSION,
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

    /// Checks, before decoding, that a frame stored in `stored` bytes may
    /// decode to `decoded` bytes: at most [`DECODED_BYTES_ALWAYS_ALLOWED`] or
    /// `max_expansion` times what is stored, whichever is more.
    pub fn check_expansion(&self, decoded: u64, stored: u64, location: &Location) -> Result<()> {
        if decoded <= self.expansion_allowance(stored) {
            return Ok(());
        }
        Err(Error::Limit {
            location: Box::new(location.clone()),
            message: format!(
                "the frame would decode to {decoded} bytes from {stored} stored, more than {} \
                 times its size; expected a real image, not a decompression bomb",
                self.max_expansion
            ),
            limit: LimitKind::Expansion,
        })
    }

    /// Bytes that `stored` bytes may decode to.
    fn expansion_allowance(&self, stored: u64) -> u64 {
        stored
            .saturating_mul(self.max_expansion)
            .max(DECODED_BYTES_ALWAYS_ALLOWED)
    }

    /// The budget of decoded bytes for a whole file of `file_bytes`.
    pub fn file_budget(&self, file_bytes: u64) -> DecodeBudget {
        DecodeBudget {
            allowed: self.expansion_allowance(file_bytes),
            used: 0,
            max_expansion: self.max_expansion,
        }
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

/// The bytes decoded so far from one file, against what the file's size
/// allows: frames that share their stored data (TIFF pages pointing at one
/// strip) or are read again and again cannot together decode more than
/// [`Limits::max_expansion`] times the file.
#[derive(Debug, Clone)]
pub struct DecodeBudget {
    allowed: u64,
    used: u64,
    max_expansion: u64,
}

impl DecodeBudget {
    /// Counts `decoded` bytes about to be decoded, refusing them when the
    /// file's allowance would be passed.
    pub fn charge(&mut self, decoded: u64, location: &Location) -> Result<()> {
        let used = self.used.saturating_add(decoded);
        if used > self.allowed {
            return Err(Error::Limit {
                location: Box::new(location.clone()),
                message: format!(
                    "the frames read from this file would decode to more than {} bytes, over \
                     {} times the file's size; expected frames that each hold their own data",
                    self.allowed, self.max_expansion
                ),
                limit: LimitKind::Expansion,
            });
        }
        self.used = used;
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

    #[test]
    fn expansion_is_limited_per_frame_and_per_file() {
        let limits = Limits::default();
        let at = Location::byte(Path::new("b.tif"), 8, Some(0));
        // A 640×480 f32 frame (1 228 800 bytes) is always allowed, even from 100 bytes.
        assert!(limits.check_expansion(1_228_800, 100, &at).is_ok());
        // 64 MiB from 60 KiB is 1 092 times: refused; from 70 KiB (936 times): allowed.
        assert!(limits.check_expansion(64 << 20, 60 << 10, &at).is_err());
        assert!(limits.check_expansion(64 << 20, 70 << 10, &at).is_ok());
        let err = limits
            .check_expansion(1 << 30, 4096, &at)
            .unwrap_err()
            .to_string();
        assert!(err.contains("1073741824 bytes from 4096"), "{err}");
        // A 20 KB file may decode 20 MB in all (1 000 times), in any number of frames.
        let mut budget = limits.file_budget(20_000);
        for _ in 0..4 {
            budget.charge(5_000_000, &at).unwrap();
        }
        assert!(budget.charge(1, &at).is_err());
        // A small file may always decode 16 MiB.
        let mut small = limits.file_budget(10);
        assert!(small.charge(16 << 20, &at).is_ok());
        assert!(small.charge(1, &at).is_err());
    }
}
