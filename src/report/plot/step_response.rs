//! Step response: each reference step's mean reading with error bars (± one
//! standard deviation where the step has repeats), the identity line, the
//! alarm threshold and where the device first alarms — or "never".

use std::iter::once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::*;
use super::DrawResult;
use crate::model::Report;

/// Draws the chart.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    title: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (low, high) = temperature_range(report);
    let mut chart = cartesian(
        area,
        title,
        (low, high),
        (low, high),
        "Reference step (°C)",
        "Mean device reading (°C)",
    )?;
    identity_line(&mut chart, (low, high), "identity (device = reference)")?;
    let steps: Vec<(f64, f64, f64, f64)> = report
        .steps
        .iter()
        .filter_map(|s| {
            s.reported.as_ref().map(|r| {
                let spread = r.sd_c.unwrap_or(0.0);
                (
                    s.reference_c,
                    r.mean_c - spread,
                    r.mean_c,
                    r.mean_c + spread,
                )
            })
        })
        .collect();
    chart.draw_series(steps.iter().map(|&(x, below, mean, above)| {
        ErrorBar::new_vertical(x, below, mean, above, READING.stroke_width(2), 12)
    }))?;
    chart
        .draw_series(LineSeries::new(
            steps.iter().map(|s| (s.0, s.2)),
            READING.stroke_width(2),
        ))?
        .label(format!("step means ± sd ({} steps)", steps.len()))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], READING.stroke_width(2)));
    if let Some(a) = report.accuracy.values().next() {
        let alarm = a.alarm_threshold_c;
        alarm_line(&mut chart, (low, high), alarm)?;
        let note = match a.first_alarm_reference_c {
            Some(first) => {
                chart.draw_series(DashedLineSeries::new(
                    [(first, low), (first, high)],
                    6,
                    6,
                    ALARM.stroke_width(2),
                ))?;
                format!("first alarm at a {first:.2} °C target")
            }
            None => format!(
                "never alarms (≥ {alarm:.1} °C) up to {:.2} °C",
                range(report.observations.iter().map(|o| o.reference_c), 0.0).1
            ),
        };
        chart.draw_series(once(Text::new(
            note,
            (low + (high - low) * 0.45, low + (high - low) * 0.08),
            text(LABEL_SIZE).color(&ALARM),
        )))?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
