//! Charts of a report, drawn with plotters from the [`Report`] alone (they
//! never recompute a statistic), as SVG and PNG.
//!
//! PNG text is rendered with the DejaVu Sans font embedded through the
//! `dejavu` crate and plotters' `ab_glyph` backend, so charts render on a
//! machine without any system font. Every chart has a title, axis labels
//! with units and, where it draws more than one thing, a legend. One chart
//! per file; each is a function drawing on any plotters backend.

mod bland_altman;
mod drift;
mod frame;
mod histograms;
pub mod observed;
mod scatter;
mod step_response;
pub(crate) mod style;
mod sweeps;
mod transfer;

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::output::Chart;
use fevercheck::model::{Report, SessionKind};
use fevercheck_io::error::{Error, Result};
use fevercheck_thermal::raster::{encode_png, register_font};
use observed::Observed;

/// Size of every chart, pixels: readable when pasted at page width.
pub const CHART_SIZE: (u32, u32) = (1200, 800);

/// The result of drawing on a backend.
pub type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

/// A chart: its file stem, what it shows, and how to draw it.
pub struct ChartKind {
    /// File stem under `plots/` (e.g. `transfer`).
    pub name: &'static str,
    /// Title shown above the chart.
    pub title: &'static str,
    draw_svg: fn(&DrawingArea<SVGBackend, Shift>, &Observed) -> DrawResult,
    draw_png: fn(&DrawingArea<BitMapBackend, Shift>, &Observed) -> DrawResult,
    applies: fn(&Report) -> bool,
}

macro_rules! chart {
    ($name:literal, $title:literal, $module:ident, $applies:expr) => {
        ChartKind {
            name: $name,
            title: $title,
            draw_svg: |area, observed| {
                $module::draw(area, observed, &titled($title, observed.report))
            },
            draw_png: |area, observed| {
                $module::draw(area, observed, &titled($title, observed.report))
            },
            applies: $applies,
        }
    };
}

/// A chart's title with the device it is about: a chart pasted into a
/// procurement file or a paper must say whose readings it shows.
fn titled(title: &str, report: &Report) -> String {
    format!("{title} — {}", style::device_label(report))
}

/// Every chart, in the order the HTML report shows them.
pub fn charts() -> Vec<ChartKind> {
    vec![
        chart!(
            "transfer",
            "Device reading against reference",
            transfer,
            |r| !r.observations.is_empty()
        ),
        chart!(
            "bland_altman",
            "Bland–Altman agreement",
            bland_altman,
            |r| r.observations.len() >= 2
        ),
        chart!("step_response", "Step response", step_response, |r| !r
            .steps
            .is_empty()),
        chart!("drift", "Error over time", drift, |r| r
            .observations
            .iter()
            .any(|o| o.elapsed_s.is_some())),
        chart!(
            "histograms",
            "Displayed and reference values",
            histograms,
            |r| !r.observations.is_empty()
        ),
        chart!("sweeps", "Readings by sweep", sweeps, |r| r.session.kind
            == SessionKind::Sweep
            && r.session.counts.sweeps >= 2),
        chart!("frame", "Frame", frame, |r| r.frame_preview.is_some()),
    ]
}

impl ChartKind {
    /// Whether the report has what this chart needs.
    pub fn applies(&self, report: &Report) -> bool {
        (self.applies)(report)
    }

    /// The SVG document of the chart of `observed`'s report.
    pub fn svg_of(&self, observed: &Observed) -> Result<String> {
        render_svg(self.name, CHART_SIZE, |area| {
            (self.draw_svg)(area, observed)
        })
    }

    /// The PNG file of the chart of `observed`'s report.
    pub fn png_of(&self, observed: &Observed) -> Result<Vec<u8>> {
        render_png(self.name, CHART_SIZE, |area| {
            (self.draw_png)(area, observed)
        })
    }
}

impl Chart<Report> for ChartKind {
    fn name(&self) -> &str {
        self.name
    }

    fn svg(&self, report: &Report) -> Result<String> {
        self.svg_of(&Observed::of(report))
    }

    fn png(&self, report: &Report) -> Result<Vec<u8>> {
        self.png_of(&Observed::of(report))
    }
}

/// A chart of one report, each of its two drawings made at most once, by
/// whichever thread first asks for it: the SVG serves both `plots/` and
/// report.html, and the charts can be drawn on other cores while the
/// report's JSON is written. The charts of a report share what they read
/// from its observations ([`Observed`]).
pub struct DrawnChart<'a> {
    /// The chart.
    pub kind: &'a ChartKind,
    observed: &'a Observed<'a>,
    svg: OnceLock<String>,
    png: OnceLock<Vec<u8>>,
}

impl DrawnChart<'_> {
    /// The chart's SVG document, drawn on first use.
    pub fn svg_document(&self) -> Result<&str> {
        drawn_once(&self.svg, || self.kind.svg_of(self.observed)).map(String::as_str)
    }
}

/// The value in `cell`, drawn with `draw` when it holds none yet.
fn drawn_once<V>(cell: &OnceLock<V>, draw: impl FnOnce() -> Result<V>) -> Result<&V> {
    if let Some(value) = cell.get() {
        return Ok(value);
    }
    let value = draw()?;
    Ok(cell.get_or_init(|| value))
}

/// The charts that apply to `observed`'s report, none drawn yet.
pub fn applicable_charts<'a>(
    kinds: &'a [ChartKind],
    observed: &'a Observed<'a>,
) -> Vec<DrawnChart<'a>> {
    kinds
        .iter()
        .filter(|kind| kind.applies(observed.report))
        .map(|kind| DrawnChart {
            kind,
            observed,
            svg: OnceLock::new(),
            png: OnceLock::new(),
        })
        .collect()
}

impl Chart<Report> for DrawnChart<'_> {
    fn name(&self) -> &str {
        self.kind.name
    }

    /// The SVG of the report this chart was made for (`_report` is it).
    fn svg(&self, _report: &Report) -> Result<String> {
        self.svg_document().map(str::to_owned)
    }

    /// The PNG of the report this chart was made for (`_report` is it).
    fn png(&self, _report: &Report) -> Result<Vec<u8>> {
        drawn_once(&self.png, || self.kind.png_of(self.observed)).cloned()
    }
}

fn failed(name: &str, error: Box<dyn std::error::Error>) -> Error {
    Error::Render {
        chart: name.to_string(),
        message: error.to_string(),
    }
}

/// Draws with `draw` on an SVG of `size` and returns the document.
pub(crate) fn render_svg(
    name: &str,
    size: (u32, u32),
    draw: impl Fn(&DrawingArea<SVGBackend, Shift>) -> DrawResult,
) -> Result<String> {
    register_font();
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, size).into_drawing_area();
        draw(&area).map_err(|e| failed(name, e))?;
        area.present().map_err(|e| failed(name, e.into()))?;
    }
    // Labels from inputs (a device's name, a sweep's label) are escaped as
    // markup by plotters; control characters, which XML refuses, go here.
    Ok(fevercheck_io::escape::html::without_controls(&text))
}

/// Draws with `draw` on an RGB bitmap of `size` and returns it as a PNG file.
pub(crate) fn render_png(
    name: &str,
    size: (u32, u32),
    draw: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> DrawResult,
) -> Result<Vec<u8>> {
    register_font();
    let (w, h) = size;
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
        draw(&area).map_err(|e| failed(name, e))?;
        area.present().map_err(|e| failed(name, e.into()))?;
    }
    encode_png(w, h, rgb).map_err(|e| failed(name, e.into()))
}
