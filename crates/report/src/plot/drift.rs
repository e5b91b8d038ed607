//! Error over time (drift): each observation's error (device − reference)
//! against the minutes since the session's first observation, with the zero
//! line and the ±stated-accuracy band.

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use super::observed::Observed;
use super::scatter::{scatter, Marker, MARKER_POINTS};
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
    let points = observed.shared("drift points", || {
        report
            .observations
            .par_iter()
            .filter_map(|o| {
                o.elapsed_s
                    .zip(o.device_c())
                    .map(|(s, y)| (s / 60.0, y - o.reference_c))
            })
            .collect::<Vec<(f64, f64)>>()
    });
    let stated = report
        .accuracy
        .values()
        .next()
        .map_or(0.5, |a| a.stated_accuracy_c);
    let (x_low, x_high) = range_on_all_cores(points.par_iter().map(|p| p.0), 0.03);
    let (y_low, y_high) = range_on_all_cores(
        points.par_iter().map(|p| p.1).chain(vec![-stated, stated]),
        0.1,
    );
    let mut chart = cartesian(
        area,
        title,
        (x_low, x_high),
        (y_low, y_high),
        "Time since the first observation (min)",
        "Device − reference (°C)",
    )?;
    stated_accuracy_band(&mut chart, (x_low, x_high), stated)?;
    chart.draw_series(LineSeries::new(
        [(x_low, 0.0), (x_high, 0.0)],
        IDENTITY.stroke_width(1),
    ))?;
    if points.len() <= MARKER_POINTS {
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            READING.mix(0.5).stroke_width(1),
        ))?;
    }
    scatter(
        &mut chart,
        &points,
        Marker::Circle(4),
        READING,
        &format!("error of each observation (n = {})", points.len()),
    )?;
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}
