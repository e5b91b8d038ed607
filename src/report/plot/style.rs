//! Shared look of the charts: font, sizes, colours, axis ranges.

use plotters::prelude::*;

use crate::model::Report;

pub use crate::raster::FONT;
/// Title size, pixels.
pub const TITLE_SIZE: u32 = 34;
/// Axis label size, pixels.
pub const LABEL_SIZE: u32 = 24;
/// Tick label size, pixels.
pub const TICK_SIZE: u32 = 20;

/// Device readings.
pub const READING: RGBColor = RGBColor(31, 100, 180);
/// Reference line, identity.
pub const IDENTITY: RGBColor = RGBColor(40, 40, 40);
/// Fitted line and its band.
pub const FIT: RGBColor = RGBColor(214, 95, 20);
/// Stated-accuracy band.
pub const ACCURACY: RGBColor = RGBColor(60, 160, 80);
/// Alarm threshold.
pub const ALARM: RGBColor = RGBColor(200, 30, 40);
/// Normal band 36.0–37.5 °C.
pub const NORMAL: RGBColor = RGBColor(120, 170, 230);
/// Region a detector flagged.
pub const FLAGGED: RGBColor = RGBColor(235, 60, 60);
/// A transfer the vendor declared.
pub const DECLARED: RGBColor = RGBColor(120, 60, 160);

/// The normal band shaded on temperature charts, °C (docs/science.md §1: normal
/// body temperature up to the lowest fever threshold in use, 37.5 °C).
pub const NORMAL_BAND_C: (f64, f64) = (36.0, 37.5);

/// A text style of `size` pixels.
pub fn text(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().into()
}

/// `(low, high)` of `values` widened by `margin` on both sides; a unit
/// range around a single value.
pub fn range(values: impl Iterator<Item = f64>, margin: f64) -> (f64, f64) {
    let (low, high) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    if !low.is_finite() {
        return (0.0, 1.0);
    }
    if high - low < 1e-9 {
        return (low - 0.5, high + 0.5);
    }
    let pad = (high - low) * margin;
    (low - pad, high + pad)
}

/// The reference range of the temperature charts (also covering the
/// readings, the alarm threshold and the normal band).
pub fn temperature_range(report: &Report) -> (f64, f64) {
    let accuracy = report.accuracy.values().next();
    let alarm = accuracy.map(|a| a.alarm_threshold_c);
    range(
        report
            .observations
            .iter()
            .flat_map(|o| {
                [Some(o.reference_c), o.device_c(), o.displayed_c]
                    .into_iter()
                    .flatten()
            })
            .chain(alarm)
            .chain([NORMAL_BAND_C.0, NORMAL_BAND_C.1]),
        0.05,
    )
}

/// Reference ranges a manipulation finding flags: (low, high, detector);
/// the whole sweep for a finding that names no range.
pub fn flagged_ranges(report: &Report) -> Vec<(f64, f64, String)> {
    let (first, last) = range(report.observations.iter().map(|o| o.reference_c), 0.0);
    report
        .findings
        .iter()
        .filter(|f| f.severity == crate::model::Severity::Manipulation)
        .map(|f| {
            let (low, high) = f
                .flagged_reference_c
                .map_or((first, last), |r| (r.low_c, r.high_c));
            (low, high, f.detector.clone())
        })
        .collect()
}

/// A chart with the common frame: title, margins, axis label areas, and a
/// mesh with the axis descriptions (units included) and tick labels.
pub fn cartesian<'a, DB: DrawingBackend>(
    area: &'a plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    x: (f64, f64),
    y: (f64, f64),
    x_description: &str,
    y_description: &str,
) -> Result<TemperatureChart<'a, DB>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(area)
        .caption(title, text(TITLE_SIZE))
        .margin(24)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?;
    chart
        .configure_mesh()
        .x_desc(x_description)
        .y_desc(y_description)
        .axis_desc_style(text(LABEL_SIZE))
        .label_style(text(TICK_SIZE))
        .light_line_style(WHITE)
        .draw()?;
    Ok(chart)
}

/// Draws the legend of the series that have labels at `position`.
pub fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut TemperatureChart<'a, DB>,
    position: SeriesLabelPosition,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .label_font(text(TICK_SIZE))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// The coordinate system of the temperature charts.
pub type TemperatureChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Draws the identity line (device = reference) over `low..high`, labelled.
pub fn identity_line<'a, DB: DrawingBackend + 'a>(
    chart: &mut TemperatureChart<'a, DB>,
    (low, high): (f64, f64),
    label: &str,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    chart
        .draw_series(LineSeries::new(
            [(low, low), (high, high)],
            IDENTITY.stroke_width(2),
        ))?
        .label(label)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], IDENTITY.stroke_width(2)));
    Ok(())
}

/// Draws the alarm threshold as a dashed horizontal line over `low..high`.
pub fn alarm_line<'a, DB: DrawingBackend + 'a>(
    chart: &mut TemperatureChart<'a, DB>,
    (low, high): (f64, f64),
    alarm: f64,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    chart
        .draw_series(DashedLineSeries::new(
            [(low, alarm), (high, alarm)],
            12,
            8,
            ALARM.stroke_width(2),
        ))?
        .label(format!("alarm threshold {alarm:.1} °C"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], ALARM.stroke_width(2)));
    Ok(())
}
