//! Device reading against reference: the readings, the identity line, the
//! OLS fit with its 95 % confidence band, the ±stated-accuracy band around
//! the identity, the alarm threshold, the normal band (36.0–37.5 °C) shaded,
//! the reference ranges a detector flagged highlighted, and the shape the
//! leading manipulation finding fitted (a clamp's knee, a step down's jump)
//! drawn through the step references.
//!
//! A device with a declared transfer is drawn as it displayed, beside its
//! declaration: the ±stated-accuracy band lies around the declared line,
//! and there is no OLS line (the fit is of the departure from the
//! declaration, which the statistics table gives).

use std::iter::once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::observed::Observed;
use super::scatter::{scatter, Marker};
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
    let declared = report.session.device.declared_transfer();
    // The expected reading at each reference: the declaration, else the
    // identity; drawn through its breakpoints.
    let expected_line: Vec<(f64, f64)> = match &declared {
        Some(transfer) => transfer.polyline(low, high),
        None => vec![(low, low), (high, high)],
    };
    let mut chart = cartesian(
        area,
        title,
        (low, high),
        (low, high),
        "Reference temperature (°C)",
        "Device reading (°C)",
    )?;
    let (normal_low, normal_high) = NORMAL_BAND_C;
    chart
        .draw_series(once(Rectangle::new(
            [(low, normal_low), (high, normal_high)],
            NORMAL.mix(0.12).filled(),
        )))?
        .label("normal band 36.0–37.5 °C")
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], NORMAL.mix(0.3).filled()));
    let strips = flagged_strips(&mut chart, observed, (low, high))?;
    let primary = primary_accuracy(report);
    if let Some((_, a)) = primary {
        let s = a.stated_accuracy_c;
        let mut band: Vec<(f64, f64)> = expected_line.iter().map(|&(x, y)| (x, y - s)).collect();
        band.extend(expected_line.iter().rev().map(|&(x, y)| (x, y + s)));
        chart
            .draw_series(once(Polygon::new(band, ACCURACY.mix(0.25).filled())))?
            .label(format!("stated accuracy ±{s:.2} °C"))
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 7), (x + 24, y + 7)], ACCURACY.mix(0.5).filled())
            });
        alarm_line(&mut chart, (low, high), a.alarm_threshold_c)?;
    }
    identity_line(&mut chart, (low, high), "identity (device = reference)")?;
    if let Some(transfer) = &declared {
        chart
            .draw_series(LineSeries::new(
                expected_line.iter().copied(),
                DECLARED.stroke_width(3),
            ))?
            .label(format!("declared transfer ({})", transfer.describe()))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], DECLARED.stroke_width(3)));
    }
    let (readings, measured) = (observed.readings(), observed.measured());
    if !measured.is_empty() {
        scatter(
            &mut chart,
            measured,
            Marker::Triangle(7),
            RADIOMETRIC_VALUES,
            &format!(
                "radiometric, measured in the frames (n = {})",
                measured.len()
            ),
        )?;
    }
    if !readings.is_empty() {
        scatter(
            &mut chart,
            readings,
            Marker::Circle(5),
            READING,
            &format!("reported readings (n = {})", readings.len()),
        )?;
    }
    // The fit above the points it fits, naming its source. A declared
    // transfer's fit is of the departure from it, not of these points.
    if let (Some((source, a)), None) = (primary, &declared) {
        if !a.ols_band.is_empty() {
            let mut outline: Vec<(f64, f64)> = a.ols_band.iter().map(|p| (p.x, p.low)).collect();
            outline.extend(a.ols_band.iter().rev().map(|p| (p.x, p.high)));
            chart.draw_series(once(Polygon::new(outline, FIT.mix(0.25).filled())))?;
        }
        if let (Some(slope), Some(intercept)) = (a.slope, a.intercept) {
            let (from, to) = observed.reference_span();
            chart
                .draw_series(LineSeries::new(
                    [from, to].map(|x| (x, intercept + slope * x)),
                    FIT.stroke_width(3),
                ))?
                .label(format!(
                    "OLS fit of the {source} values, slope {slope:.2} (95 % band shaded)"
                ))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], FIT.stroke_width(3)));
        }
    }
    // The shape the leading manipulation finding fitted, through its value
    // at each step: a jump shows as the jump, a knee as the bend.
    let shape = report.findings.iter().find(|f| {
        report.verdict.primary_signature.as_deref() == Some(f.detector.as_str())
            && !f.shape.is_empty()
    });
    if let Some(finding) = shape {
        let curve: Vec<(f64, f64)> = finding.shape.iter().map(|p| (p[0], p[1])).collect();
        let rms = finding
            .fit
            .map(|f| format!(", step means within {:.2} °C rms", f.rms_c));
        chart
            .draw_series(DashedLineSeries::new(
                curve.iter().copied(),
                10,
                5,
                SHAPE.stroke_width(3),
            ))?
            .label(format!(
                "detected shape: {}{}",
                finding.detector.replace('_', " "),
                rms.unwrap_or_default()
            ))
            .legend(|(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (10, 0)], SHAPE.stroke_width(3))
                    + PathElement::new(vec![(15, 0), (24, 0)], SHAPE.stroke_width(3))
            });
    }
    // The legend where it covers the fewest readings and lines: an offset
    // device's readings fill the upper left, a low-reading one's the lower
    // right.
    let mut avoid = readings.to_vec();
    avoid.extend(measured);
    avoid.extend(strips);
    if let Some(finding) = shape {
        for pair in finding.shape.windows(2) {
            avoid.extend(along((pair[0][0], pair[0][1]), (pair[1][0], pair[1][1]), 8));
        }
    }
    for pair in expected_line.windows(2) {
        avoid.extend(along(pair[0], pair[1], 40));
    }
    if let (Some((_, a)), None) = (primary, &declared) {
        if let (Some(slope), Some(intercept)) = (a.slope, a.intercept) {
            avoid.extend(along(
                (low, intercept + slope * low),
                (high, intercept + slope * high),
                40,
            ));
        }
    }
    let entries = 3
        + 2 * usize::from(primary.is_some())
        + usize::from(declared.is_some())
        + usize::from(!measured.is_empty())
        + usize::from(primary.is_some_and(|(_, a)| a.slope.is_some()) && declared.is_none())
        + usize::from(shape.is_some());
    legend_clear_of(&mut chart, &avoid, entries, 62)?;
    Ok(())
}
