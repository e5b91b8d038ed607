//! Step response: each reference step's mean reading with error bars (± one
//! standard deviation where the step has repeats), the identity line, the
//! alarm threshold and where the device first alarms — or "never".
//!
//! For a device with a declared transfer the means are drawn as displayed
//! (the step table keeps them against the declaration: the declared reading
//! at the step is added back), beside the declared line.

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
    let declared = report.session.device.declared_transfer();
    // What the display showed at a step whose mean is kept against the
    // declaration: mean − reference + declared reading.
    let as_displayed = |reference: f64, mean: f64| match &declared {
        Some(transfer) => mean - reference + transfer.expected_c(reference),
        None => mean,
    };
    if let Some(transfer) = &declared {
        let line: Vec<(f64, f64)> = once(low)
            .chain(
                transfer
                    .points
                    .iter()
                    .map(|p| p[0])
                    .filter(|&x| x > low && x < high),
            )
            .chain(once(high))
            .map(|x| (x, transfer.expected_c(x)))
            .collect();
        chart
            .draw_series(LineSeries::new(line, DECLARED.stroke_width(3)))?
            .label("declared transfer")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], DECLARED.stroke_width(3)));
    }
    let steps: Vec<(f64, f64, f64, f64)> = report
        .steps
        .iter()
        .filter_map(|s| {
            s.reported.as_ref().map(|r| {
                let spread = r.sd_c.unwrap_or(0.0);
                let mean = as_displayed(s.reference_c, r.mean_c);
                (s.reference_c, mean - spread, mean, mean + spread)
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
