//! Readings by sweep: one line per sweep label (`up`, `down` …) through its
//! readings in acquisition order, against the reference, with the identity
//! line. An adaptive baseline shows as loops: the same target read
//! differently going up and coming down.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::observed::Observed;
use super::style::*;
use super::DrawResult;

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
    let (low, high) = observed.temperature_range();
    let mut chart = readings_chart(
        area,
        title,
        (low, high),
        ("Reference temperature (°C)", "Device reading (°C)"),
        "identity",
    )?;
    let mut labels: Vec<&str> = report
        .observations
        .iter()
        .filter_map(|o| o.sweep.as_deref())
        .collect();
    labels.sort_unstable();
    labels.dedup();
    for (i, label) in labels.iter().enumerate() {
        let colour = SERIES[i % SERIES.len()];
        let points: Vec<(f64, f64)> = report
            .observations
            .iter()
            .filter(|o| o.sweep.as_deref() == Some(label))
            .filter_map(|o| o.device_c().map(|y| (o.reference_c, y)))
            .collect();
        chart
            .draw_series(
                LineSeries::new(points.iter().copied(), colour.stroke_width(2)).point_size(4),
            )?
            .label(format!("sweep `{label}` ({} readings)", points.len()))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
            });
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
