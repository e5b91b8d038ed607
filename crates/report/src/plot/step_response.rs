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

use super::observed::Observed;
use super::style::*;
use super::DrawResult;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use fevercheck::model::REPORTED;

/// The first-alarm label goes right of its line when the line is in this
/// share of the x range from the left, else left of it.
const LABEL_RIGHT_OF_LINE_UP_TO: f64 = 0.55;

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
        ("Reference step (°C)", "Mean device reading (°C)"),
        "identity (device = reference)",
    )?;
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
    // One source throughout: its step means, its alarm threshold and its
    // first alarm (the display's, when the device displayed values).
    let Some((source, a)) = primary_accuracy(report) else {
        return legend(&mut chart, SeriesLabelPosition::UpperLeft);
    };
    let colour = if source == REPORTED {
        READING
    } else {
        RADIOMETRIC_VALUES
    };
    let steps: Vec<(f64, f64, f64, f64)> = report
        .steps
        .iter()
        .filter_map(|s| {
            s.source(source).map(|r| {
                let spread = r.sd_c.unwrap_or(0.0);
                let mean = if source == REPORTED {
                    as_displayed(s.reference_c, r.mean_c)
                } else {
                    r.mean_c
                };
                (s.reference_c, mean - spread, mean, mean + spread)
            })
        })
        .collect();
    chart.draw_series(steps.iter().map(|&(x, below, mean, above)| {
        ErrorBar::new_vertical(x, below, mean, above, colour.stroke_width(2), 12)
    }))?;
    chart
        .draw_series(LineSeries::new(
            steps.iter().map(|s| (s.0, s.2)),
            colour.stroke_width(2),
        ))?
        .label(format!("{source} step means ± sd ({} steps)", steps.len()))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(2)));
    {
        let alarm = a.alarm_threshold_c;
        alarm_line(&mut chart, (low, high), alarm)?;
        let span = high - low;
        let (note, at, side) = match a.first_alarm_reference_c {
            Some(first) => {
                chart.draw_series(DashedLineSeries::new(
                    [(first, low), (first, high)],
                    6,
                    6,
                    ALARM.stroke_width(2),
                ))?;
                // Beside its line, on the side with room.
                let (x, side) = if first < low + span * LABEL_RIGHT_OF_LINE_UP_TO {
                    (first + span * 0.01, HPos::Left)
                } else {
                    (first - span * 0.01, HPos::Right)
                };
                (
                    format!("{source}: first alarm at a {first:.2} °C target"),
                    x,
                    side,
                )
            }
            None => (
                format!(
                    "{source}: never alarms (≥ {alarm:.1} °C) up to {:.2} °C",
                    observed.reference_span().1
                ),
                high - span * 0.02,
                HPos::Right,
            ),
        };
        chart.draw_series(once(Text::new(
            note,
            (at, low + span * 0.12),
            text(LABEL_SIZE)
                .color(&ALARM)
                .pos(Pos::new(side, VPos::Bottom)),
        )))?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}
