//! PNG output: the frame in false colour (see [`super::palette`]) scaled up
//! by an integer factor so the picture is at least [`MIN_PICTURE_SIZE`]
//! pixels on its longer side, with a vertical scale bar on the right whose
//! top, middle and bottom are labelled in °C with the embedded font (drawn
//! by plotters), inside a margin. NaN pixels are grey. Encoded as 8-bit RGB
//! by the `image` crate.

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::colour;
use super::{numbered, FrameWriter};
use crate::frame::{Frame, FrameSummary};
use crate::raster::{encode_png, register_font, FONT};
use fevercheck_io::atomic::AtomicFile;
use fevercheck_io::error::{Error, Result};

/// Smallest size of the longer side of the picture, pixels.
pub(super) const MIN_PICTURE_SIZE: usize = 480;
/// Width of the scale bar, pixels.
const BAR_WIDTH: usize = 24;
/// Height of the label text, pixels.
const LABEL_SIZE: u32 = 18;
/// Room for a label such as `-12.3 °C`, pixels.
const LABEL_WIDTH: usize = 96;
/// Margin around the picture, the bar and the labels, pixels.
const MARGIN: usize = 16;

/// Writes one PNG per frame.
pub(super) struct PngWriter {
    path: PathBuf,
    several: bool,
    written: Vec<PathBuf>,
}

impl PngWriter {
    /// Writes to `path` (with `-N` added per frame when there are several).
    pub(super) fn new(path: &Path, frames: usize) -> Self {
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
        let (width, height, pixels) = render(frame)?;
        let png = encode_png(width as u32, height as u32, pixels)
            .map_err(|e| Error::encode(path.display().to_string(), e))?;
        let mut file = AtomicFile::create(&path)?;
        std::io::Write::write_all(file.writer(), &png).map_err(|e| file.error(e))?;
        self.written.push(file.commit()?);
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>> {
        Ok(self.written)
    }
}

/// The RGB picture of a frame: (width, height, pixels).
pub(super) fn render(frame: &Frame) -> Result<(usize, usize, Vec<u8>)> {
    let summary = FrameSummary::of(frame);
    let (low, high) = (
        summary.min_c.unwrap_or(0.0) as f32,
        summary.max_c.unwrap_or(1.0) as f32,
    );
    let span = if high > low { high - low } else { 1.0 };
    let (rows, columns) = (frame.height(), frame.width());
    let factor = (MIN_PICTURE_SIZE / rows.max(columns).max(1)).max(1);
    let (picture_width, picture_height) = (columns * factor, rows * factor);
    let width = MARGIN + picture_width + MARGIN + BAR_WIDTH + MARGIN / 2 + LABEL_WIDTH + MARGIN;
    let height = MARGIN + picture_height + MARGIN;
    let mut pixels = vec![255u8; width * height * 3];
    let mut fill = |x: usize, y: usize, rgb: [u8; 3]| {
        let at = ((MARGIN + y) * width + x) * 3;
        pixels[at..at + 3].copy_from_slice(&rgb);
    };
    for (r, row) in frame.temperatures.rows().into_iter().enumerate() {
        for (c, &t) in row.iter().enumerate() {
            let rgb = colour((t - low) / span);
            for y in r * factor..(r + 1) * factor {
                for x in c * factor..(c + 1) * factor {
                    fill(MARGIN + x, y, rgb);
                }
            }
        }
    }
    let bar_x = MARGIN + picture_width + MARGIN;
    for y in 0..picture_height {
        let rgb = colour(1.0 - y as f32 / (picture_height.max(2) - 1) as f32);
        for x in bar_x..bar_x + BAR_WIDTH {
            fill(x, y, rgb);
        }
    }
    label_bar(
        &mut pixels,
        (width, height),
        bar_x + BAR_WIDTH + MARGIN / 2,
        (low, high),
    )?;
    Ok((width, height, pixels))
}

/// Writes the temperatures of the bar's top, middle and bottom beside it.
fn label_bar(
    pixels: &mut [u8],
    size: (usize, usize),
    x: usize,
    (low, high): (f32, f32),
) -> Result<()> {
    register_font();
    let fail = |e: &dyn std::fmt::Display| Error::Render {
        chart: "false-colour picture".into(),
        message: e.to_string(),
    };
    let area =
        BitMapBackend::with_buffer(pixels, (size.0 as u32, size.1 as u32)).into_drawing_area();
    let style = TextStyle::from((FONT, LABEL_SIZE).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let bottom = size.1 - MARGIN - 1;
    let labels = [
        (high, MARGIN),
        ((low + high) / 2.0, (MARGIN + bottom) / 2),
        (low, bottom),
    ];
    for (value, y) in labels {
        let text = format!("{value:.1} °C");
        area.draw(&Text::new(text, (x as i32, y as i32), style.clone()))
            .map_err(|e| fail(&e))?;
    }
    area.present().map_err(|e| fail(&e))
}
