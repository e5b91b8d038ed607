//! Bland–Altman agreement: each observation's difference (device −
//! reference) against its mean, the bias and the 95 % limits of agreement
//! with their confidence intervals shaded, and the ±stated-accuracy band.

use std::collections::BTreeMap;
use std::iter::once;

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use super::observed::Observed;
use super::scatter::{scatter, Marker};
use super::style::*;
use super::DrawResult;
use fevercheck::model::{Report, SessionKind};

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
    let shared = observed.shared("bland_altman points", || agreement_points(report));
    let (points, what) = (&shared.0, shared.1);
    // The limits of the source the points are: reported, else radiometric.
    let accuracy = primary_accuracy(report).map(|(_, a)| a);
    let stated = accuracy.map_or(0.5, |a| a.stated_accuracy_c);
    let limits = accuracy.into_iter().flat_map(|a| {
        [
            a.loa_low_ci_c.map(|c| c.low),
            a.loa_high_ci_c.map(|c| c.high),
        ]
        .into_iter()
        .flatten()
    });
    let (x_low, x_high) = range_on_all_cores(points.par_iter().map(|p| p.0), 0.05);
    let (y_low, y_high) = range_on_all_cores(
        points
            .par_iter()
            .map(|p| p.1)
            .chain(limits.chain([-stated, stated]).collect::<Vec<f64>>()),
        0.1,
    );
    let mut chart = cartesian(
        area,
        title,
        (x_low, x_high),
        (y_low, y_high),
        "Mean of device and reference (°C)",
        "Device − reference (°C)",
    )?;
    stated_accuracy_band(&mut chart, (x_low, x_high), stated)?;
    if let Some(a) = accuracy {
        let bands = [
            (a.bias_ci_c, a.bias_c, FIT, "bias"),
            (
                a.loa_low_ci_c,
                a.loa_low_c.unwrap_or(f64::NAN),
                LIMITS,
                "lower limit of agreement",
            ),
            (
                a.loa_high_ci_c,
                a.loa_high_c.unwrap_or(f64::NAN),
                LIMITS,
                "upper limit of agreement",
            ),
        ];
        for (ci, value, colour, name) in bands {
            let Some(ci) = ci else { continue };
            chart.draw_series(once(Rectangle::new(
                [(x_low, ci.low), (x_high, ci.high)],
                colour.mix(0.15).filled(),
            )))?;
            chart
                .draw_series(LineSeries::new(
                    [(x_low, value), (x_high, value)],
                    colour.stroke_width(3),
                ))?
                .label(format!("{name} {value:+.2} °C (95 % CI shaded)"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
        }
    }
    scatter(
        &mut chart,
        points,
        Marker::Circle(5),
        READING,
        &format!("{what} (n = {})", points.len()),
    )?;
    legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

/// The points of the chart, (mean, difference), and what each is: one per
/// observation, or in a clinical study whose subjects were measured more
/// than once, one per subject (the means of its readings and of its
/// references), so a subject measured four times is not four points.
fn agreement_points(report: &Report) -> (Vec<(f64, f64)>, &'static str) {
    let repeated_subjects = report.session.kind == SessionKind::Clinical
        && report.session.counts.subjects > 0
        && report.session.counts.subjects < report.observations.len();
    if !repeated_subjects {
        let points = report
            .observations
            .par_iter()
            .filter_map(|o| {
                o.device_c()
                    .map(|y| ((o.reference_c + y) / 2.0, y - o.reference_c))
            })
            .collect();
        return (points, "observations");
    }
    let pairs = report
        .observations
        .iter()
        .filter_map(|o| o.device_c().map(|y| (o, o.reference_c, y)));
    let mut subjects: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for (o, x, y) in pairs {
        let key = o.subject.as_deref().unwrap_or_default();
        let entry = subjects.entry(key).or_insert((0.0, 0.0, 0));
        *entry = (entry.0 + x, entry.1 + y, entry.2 + 1);
    }
    let points = subjects
        .values()
        .map(|&(x, y, n)| {
            let (x, y) = (x / n as f64, y / n as f64);
            ((x + y) / 2.0, y - x)
        })
        .collect();
    (points, "subjects, each the mean of its readings")
}
