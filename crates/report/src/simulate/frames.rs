//! Synthetic radiometric frames for simulated sessions: a blackbody disk at
//! the temperature the sensor saw, on a room-temperature background, with
//! pixel noise. The frames stay honest whatever the camera model does to its
//! display, which is what a display-mismatch test needs.

use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use fevercheck_thermal::convert::OutputFormat;
use fevercheck_thermal::frame::{Frame, FrameMeta};

/// Background (room) temperature, °C: the middle of IEC 80601-2-59's
/// 18–24 °C test room (docs/science.md §1).
pub const BACKGROUND_C: f64 = 21.0;
/// Pixel noise sd, °C: a NETD of 50 mK, typical of fever-screening cameras.
pub const PIXEL_NOISE_C: f64 = 0.05;
/// Disk radius as a share of the frame's shorter side.
const DISK_RADIUS_SHARE: f64 = 1.0 / 6.0;

/// How a simulation writes frames.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntheticFrames {
    /// File format of each frame.
    pub format: OutputFormat,
    /// Width, pixels.
    pub width: usize,
    /// Height, pixels.
    pub height: usize,
}

impl SyntheticFrames {
    /// File extension of the frames.
    pub fn extension(&self) -> &'static str {
        match self.format {
            OutputFormat::Csv => "csv",
            OutputFormat::Npy => "npy",
            OutputFormat::Tiff => "tiff",
            OutputFormat::Png => "png",
        }
    }

    /// The frame of reading `index` whose sensor saw `seen_c`, seeded by
    /// `seed` and `index` so frames are reproducible one by one.
    pub fn render(&self, seen_c: f64, seed: u64, index: usize) -> Frame {
        let mut rng =
            ChaCha8Rng::seed_from_u64(seed ^ 0x00F4_A3E5_u64.wrapping_mul(index as u64 + 1));
        let noise = Normal::new(0.0, PIXEL_NOISE_C).expect("positive sd");
        let (cx, cy) = (self.width as f64 / 2.0, self.height as f64 / 2.0);
        let radius = self.width.min(self.height) as f64 * DISK_RADIUS_SHARE;
        let temperatures = Array2::from_shape_fn((self.height, self.width), |(r, c)| {
            let (dx, dy) = (c as f64 + 0.5 - cx, r as f64 + 0.5 - cy);
            let base = if dx * dx + dy * dy <= radius * radius {
                seen_c
            } else {
                BACKGROUND_C
            };
            (base + noise.sample(&mut rng)) as f32
        });
        Frame::from_temperatures(
            temperatures,
            FrameMeta {
                index,
                ..FrameMeta::default()
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_disk_holds_the_seen_temperature() {
        let frames = SyntheticFrames {
            format: OutputFormat::Npy,
            width: 60,
            height: 48,
        };
        let frame = frames.render(37.25, 1, 0);
        assert_eq!(frame.temperatures.dim(), (48, 60));
        assert!((frame.temperatures[[24, 30]] - 37.25).abs() < 0.3);
        assert!((frame.temperatures[[1, 1]] - 21.0).abs() < 0.3);
        assert_eq!(frames.render(37.25, 1, 0).temperatures, frame.temperatures);
    }
}
