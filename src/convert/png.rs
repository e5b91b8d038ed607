//! PNG output: the frame in false colour (see [`super::palette`]) scaled up
//! by an integer factor so the picture is at least [`MIN_PICTURE_SIZE`]
//! pixels on its longer side, with a vertical scale bar on the right labelled
//! with the frame's lowest and highest temperature. NaN pixels are grey.

use std::path::{Path, PathBuf};

use super::glyphs::{draw_text, text_width};
use super::palette::colour;
use super::{numbered, FrameWriter};
use crate::atomic::AtomicFile;
use crate::error::{Error, Result};
use crate::frame::{Frame, FrameSummary};

/// Smallest size of the longer side of the picture, pixels.
pub const MIN_PICTURE_SIZE: usize = 480;
/// Width of the scale bar, pixels.
const BAR_WIDTH: usize = 24;
/// Scale of the label font.
const LABEL_SCALE: usize = 3;
/// Margin around the bar and labels, pixels.
const MARGIN: usize = 12;

/// Writes one PNG per frame.
pub struct PngWriter {
    path: PathBuf,
    several: bool,
    written: Vec<PathBuf>,
}

impl PngWriter {
    /// Writes to `path` (with `-N` added per frame when there are several).
    pub fn new(path: &Path, frames: usize) -> Self {
        PngWriter {
            path: path.to_path_buf(),
            several: frames > 1,
            written: Vec::new(),
        }
    }
}

impl FrameWriter for PngWriter {
    fn write(&mut self, frame: &Frame) -> Result<()> {
        let path = if self.several {
            numbered(&self.path, frame.meta.index)
        } else {
            self.path.clone()
        };
        let (width, height, pixels) = render(frame);
        let mut file = AtomicFile::create(&path)?;
        let mut encoder = png::Encoder::new(file.writer(), width as u32, height as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let fail = |e: png::EncodingError| Error::encode(path.display().to_string(), e);
        encoder
            .write_header()
            .and_then(|mut w| w.write_image_data(&pixels))
            .map_err(fail)?;
        self.written.push(file.commit()?);
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>> {
        Ok(self.written)
    }
}

/// The RGB picture of a frame: (width, height, pixels).
pub fn render(frame: &Frame) -> (usize, usize, Vec<u8>) {
    let summary = FrameSummary::of(frame);
    let (low, high) = (
        summary.min_c.unwrap_or(0.0) as f32,
        summary.max_c.unwrap_or(1.0) as f32,
    );
    let span = if high > low { high - low } else { 1.0 };
    let (rows, columns) = (frame.height(), frame.width());
    let factor = (MIN_PICTURE_SIZE / rows.max(columns).max(1)).max(1);
    let label_low = format!("{low:.1}°C");
    let label_high = format!("{high:.1}°C");
    let label_width = text_width(&label_low, LABEL_SCALE).max(text_width(&label_high, LABEL_SCALE));
    let picture_width = columns * factor;
    let width = picture_width + MARGIN + BAR_WIDTH + MARGIN + label_width + MARGIN;
    let height = rows * factor;
    let mut pixels = vec![255u8; width * height * 3];
    for (r, row) in frame.temperatures.rows().into_iter().enumerate() {
        for (c, &t) in row.iter().enumerate() {
            let rgb = colour((t - low) / span);
            for dy in 0..factor {
                let start = ((r * factor + dy) * width + c * factor) * 3;
                for dx in 0..factor {
                    pixels[start + dx * 3..start + dx * 3 + 3].copy_from_slice(&rgb);
                }
            }
        }
    }
    let bar_x = picture_width + MARGIN;
    for y in 0..height {
        let rgb = colour(1.0 - y as f32 / (height.max(2) - 1) as f32);
        for x in bar_x..bar_x + BAR_WIDTH {
            pixels[(y * width + x) * 3..(y * width + x) * 3 + 3].copy_from_slice(&rgb);
        }
    }
    let label_x = bar_x + BAR_WIDTH + MARGIN;
    let black = [0, 0, 0];
    draw_text(
        &mut pixels,
        width,
        label_x,
        0,
        &label_high,
        LABEL_SCALE,
        black,
    );
    draw_text(
        &mut pixels,
        width,
        label_x,
        height.saturating_sub(5 * LABEL_SCALE),
        &label_low,
        LABEL_SCALE,
        black,
    );
    (width, height, pixels)
}
