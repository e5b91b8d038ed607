//! A false-colour picture of the report's frame preview (the warmest
//! reference's frame) with the target and ETRS ROIs outlined, and a scale
//! bar in °C beside it.

use std::iter::once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::observed::Observed;
use super::style::*;
use super::DrawResult;
use fevercheck::model::Shape;
use fevercheck_thermal::convert::palette::colour;

/// Width of the scale-bar panel, pixels.
const BAR_PANEL: u32 = 190;
/// Colour steps of the scale bar.
const BAR_STEPS: usize = 64;

/// Draws the chart.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    observed: &Observed,
    title: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let report = observed.report;
    area.fill(&WHITE)?;
    let Some(p) = &report.frame_preview else {
        return Ok(());
    };
    let (w, h) = p.size;
    let (columns, rows) = ((w * p.factor) as f64, (h * p.factor) as f64);
    let valid = p.values.iter().flatten().map(|&v| v as f64);
    let (low, high) = range(valid, 0.0);
    let span = (high - low).max(1e-6);
    let caption = format!("{title}: {} at a {:.2} °C target", p.frame, p.reference_c);
    let titled = area.margin(12, 0, 0, 0).titled(
        &caption,
        fitted(&caption, super::CHART_SIZE.0, LABEL_SIZE + 4),
    )?;
    let (picture, bar) = titled.split_horizontally(super::CHART_SIZE.0 - BAR_PANEL);
    let mut chart = ChartBuilder::on(&picture)
        .margin(16)
        .x_label_area_size(60)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..columns, rows..0.0)?;
    chart
        .configure_mesh()
        .x_desc("Column (pixel)")
        .y_desc("Row (pixel)")
        .axis_desc_style(text(LABEL_SIZE))
        .label_style(text(TICK_SIZE))
        .x_label_formatter(&|v| tick_label(*v, 0))
        .y_label_formatter(&|v| tick_label(*v, 0))
        .disable_mesh()
        .draw()?;
    let f = p.factor as f64;
    chart.draw_series(p.values.iter().enumerate().map(|(i, v)| {
        let (r, c) = ((i / w) as f64 * f, (i % w) as f64 * f);
        let rgb = colour(v.map_or(f32::NAN, |v| ((v as f64 - low) / span) as f32));
        Rectangle::new(
            [(c, r), (c + f, r + f)],
            RGBColor(rgb[0], rgb[1], rgb[2]).filled(),
        )
    }))?;
    for (shape, name, style) in [
        (p.target, "target ROI", FIT),
        (p.etrs, "ETRS ROI", ACCURACY),
    ] {
        let Some(shape) = shape else { continue };
        let outline: Vec<(f64, f64)> = match shape {
            Shape::Circle(cx, cy, r) => (0..=64)
                .map(|k| {
                    let a = k as f64 / 64.0 * std::f64::consts::TAU;
                    (cx + r * a.cos(), cy + r * a.sin())
                })
                .collect(),
            Shape::Rect(x, y, rw, rh) => {
                let (x0, y0, x1, y1) = (x as f64, y as f64, (x + rw) as f64, (y + rh) as f64);
                vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
            }
        };
        chart
            .draw_series(once(PathElement::new(outline, style.stroke_width(3))))?
            .label(name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], style.stroke_width(3))
            });
    }
    if p.target.is_some() || p.etrs.is_some() {
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    }
    let mut scale = ChartBuilder::on(&bar)
        .margin(16)
        .margin_left(10)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..1.0, low..high.max(low + 1e-6))?;
    scale
        .configure_mesh()
        .disable_x_axis()
        .disable_mesh()
        .y_desc("°C")
        .axis_desc_style(text(LABEL_SIZE))
        .label_style(text(TICK_SIZE))
        .y_label_formatter(&|v| tick_label(*v, tick_decimals((low, high))))
        .draw()?;
    scale.draw_series((0..BAR_STEPS).map(|k| {
        let (a, b) = (
            k as f64 / BAR_STEPS as f64,
            (k + 1) as f64 / BAR_STEPS as f64,
        );
        let rgb = colour(((a + b) / 2.0) as f32);
        Rectangle::new(
            [(0.0, low + a * span), (1.0, low + b * span)],
            RGBColor(rgb[0], rgb[1], rgb[2]).filled(),
        )
    }))?;
    Ok(())
}
