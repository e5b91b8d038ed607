//! Error over time (drift): each observation's error (device − reference)
//! against the minutes since the session's first observation, with the zero
//! line and the ±stated-accuracy band.

use std::iter::once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::*;
use super::DrawResult;
use crate::report::Report;

/// Draws the chart.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    title: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let points: Vec<(f64, f64)> = report
        .observations
        .iter()
        .filter_map(|o| {
            o.elapsed_s
                .map(|s| (s / 60.0, o.reported_c - o.reference_c))
        })
        .collect();
    let stated = report
        .accuracy
        .values()
        .next()
        .map_or(0.5, |a| a.stated_accuracy_c);
    let (x_low, x_high) = range(points.iter().map(|p| p.0), 0.03);
    let (y_low, y_high) = range(points.iter().map(|p| p.1).chain([-stated, stated]), 0.1);
    let mut chart = ChartBuilder::on(area)
        .caption(title, text(TITLE_SIZE))
        .margin(24)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(x_low..x_high, y_low..y_high)?;
    chart
        .configure_mesh()
        .x_desc("Time since the first observation (min)")
        .y_desc("Device − reference (°C)")
        .axis_desc_style(text(LABEL_SIZE))
        .label_style(text(TICK_SIZE))
        .light_line_style(WHITE)
        .draw()?;
    chart
        .draw_series(once(Rectangle::new(
            [(x_low, -stated), (x_high, stated)],
            ACCURACY.mix(0.12).filled(),
        )))?
        .label(format!("stated accuracy ±{stated:.2} °C"))
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], ACCURACY.mix(0.4).filled()));
    chart.draw_series(LineSeries::new(
        [(x_low, 0.0), (x_high, 0.0)],
        IDENTITY.stroke_width(1),
    ))?;
    chart.draw_series(LineSeries::new(
        points.iter().copied(),
        READING.mix(0.5).stroke_width(1),
    ))?;
    chart
        .draw_series(points.iter().map(|&p| Circle::new(p, 4, READING.filled())))?
        .label(format!("error of each observation (n = {})", points.len()))
        .legend(|(x, y)| Circle::new((x + 12, y), 4, READING.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(text(TICK_SIZE))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
