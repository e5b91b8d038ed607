//! Shared look of the charts: font, sizes, colours, axis ranges.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rayon::prelude::*;

use super::observed::Observed;
use fevercheck::model::{Accuracy, Report, RADIOMETRIC, REPORTED};

pub(crate) use fevercheck_thermal::raster::FONT;
/// Title size, pixels.
pub(crate) const TITLE_SIZE: u32 = 34;
/// Axis label size, pixels.
pub(crate) const LABEL_SIZE: u32 = 24;
/// Tick label size, pixels.
pub(crate) const TICK_SIZE: u32 = 20;

// Colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
// Design"), distinguishable with every common colour-vision deficiency. Each
// role has its own colour, so a device, a source, a reference line and a
// flagged region never share one.

/// Okabe–Ito blue.
const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito bluish green.
const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe–Ito orange.
const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe–Ito vermillion.
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito reddish purple.
const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);
/// Okabe–Ito sky blue.
const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
/// Okabe–Ito yellow.
const YELLOW: RGBColor = RGBColor(240, 228, 66);

/// The reported (displayed) values.
pub(crate) const READING: RGBColor = BLUE;
/// The radiometric values measured in the frames.
pub(crate) const RADIOMETRIC_VALUES: RGBColor = BLUISH_GREEN;
/// Reference line, identity.
pub(crate) const IDENTITY: RGBColor = RGBColor(0, 0, 0);
/// Fitted line and its band.
pub(crate) const FIT: RGBColor = ORANGE;
/// Stated-accuracy band.
pub(crate) const ACCURACY: RGBColor = YELLOW;
/// Alarm threshold.
pub(crate) const ALARM: RGBColor = VERMILLION;
/// Normal band 36.0–37.5 °C (a neutral grey, so it mixes with no hue).
pub(crate) const NORMAL: RGBColor = RGBColor(120, 120, 120);
/// Region a detector flagged.
pub(crate) const FLAGGED: RGBColor = REDDISH_PURPLE;
/// Limits of agreement (a chart without flagged strips).
pub(crate) const LIMITS: RGBColor = REDDISH_PURPLE;
/// A transfer the vendor declared.
pub(crate) const DECLARED: RGBColor = SKY_BLUE;
/// The shape the leading manipulation finding fitted (Paul Tol's muted
/// "wine": dark, apart from the orange fit and the vermillion alarm).
pub(crate) const SHAPE: RGBColor = RGBColor(136, 34, 85);
/// Colours of many devices on one chart, in order: the Okabe–Ito colours
/// of [`SERIES`] but orange (too near the alarm line's vermillion), then
/// Paul Tol's "muted" scheme (Tol 2021, SRON/EPS/TN/09-002) without its
/// rose, also near vermillion: twelve that no two devices share.
pub(crate) const DEVICE_COLOURS: [RGBColor; 12] = [
    BLUE,
    RGBColor(17, 119, 51),
    BLUISH_GREEN,
    REDDISH_PURPLE,
    SKY_BLUE,
    RGBColor(120, 120, 120),
    RGBColor(51, 34, 136),
    RGBColor(153, 153, 51),
    RGBColor(136, 34, 85),
    RGBColor(68, 170, 153),
    RGBColor(221, 204, 119),
    RGBColor(102, 61, 20),
];

/// Lines of several devices or sweeps on one chart, in order: the palette
/// without the colours of the reference lines (identity, alarm).
pub(crate) const SERIES: [RGBColor; 6] = [
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    SKY_BLUE,
    RGBColor(120, 120, 120),
];

/// The normal band shaded on temperature charts, °C (docs/science.md §1: normal
/// body temperature up to the lowest fever threshold in use, 37.5 °C).
pub(crate) const NORMAL_BAND_C: (f64, f64) = (36.0, 37.5);

/// A text style of `size` pixels.
pub(crate) fn text(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().into()
}

/// `(low, high)` of `values` widened by `margin` on both sides; a unit
/// range around a single value.
pub(crate) fn range(values: impl Iterator<Item = f64>, margin: f64) -> (f64, f64) {
    padded(values.fold(NONE_SEEN, widened), margin)
}

/// [`range`] of values read on every core (the observations of a large
/// session); the lowest and the highest do not depend on the order.
pub(crate) fn range_on_all_cores(
    values: impl ParallelIterator<Item = f64>,
    margin: f64,
) -> (f64, f64) {
    padded(
        values
            .fold(|| NONE_SEEN, widened)
            .reduce(|| NONE_SEEN, joined),
        margin,
    )
}

/// How many of `values` fall in each of `cells` cells (`cell_of` says which,
/// if any), counted on every core: a density map's or a histogram's
/// counts of a million observations.
pub(crate) fn counted_on_all_cores<T: Send>(
    values: impl ParallelIterator<Item = T>,
    cells: usize,
    cell_of: impl Fn(T) -> Option<usize> + Sync,
) -> Vec<usize> {
    values
        .fold(
            || vec![0; cells],
            |mut counts, value| {
                if let Some(count) = cell_of(value).and_then(|cell| counts.get_mut(cell)) {
                    *count += 1;
                }
                counts
            },
        )
        .reduce(
            || vec![0; cells],
            |mut sum, counts| {
                sum.iter_mut().zip(counts).for_each(|(s, c)| *s += c);
                sum
            },
        )
}

/// The extremes of no value.
pub(crate) const NONE_SEEN: (f64, f64) = (f64::INFINITY, f64::NEG_INFINITY);

/// `(low, high)` taking in `value`, when it is finite.
pub(crate) fn widened((low, high): (f64, f64), value: f64) -> (f64, f64) {
    if value.is_finite() {
        (low.min(value), high.max(value))
    } else {
        (low, high)
    }
}

/// Two extremes taken together.
pub(crate) fn joined(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0.min(b.0), a.1.max(b.1))
}

/// The extremes `(low, high)` widened by `margin` on both sides; a unit
/// range around a single value, `(0, 1)` without any.
pub(crate) fn padded((low, high): (f64, f64), margin: f64) -> (f64, f64) {
    if !low.is_finite() {
        return (0.0, 1.0);
    }
    if high - low < 1e-9 {
        return (low - 0.5, high + 0.5);
    }
    let pad = (high - low) * margin;
    (low - pad, high + pad)
}

/// Reference ranges a manipulation finding flags: (low, high, detector);
/// the whole sweep for a finding that names no range.
pub(crate) fn flagged_ranges(observed: &Observed) -> Vec<(f64, f64, String)> {
    observed
        .report
        .findings
        .iter()
        .filter(|f| f.severity == fevercheck::model::Severity::Manipulation)
        .map(|f| {
            let (low, high) = f
                .flagged_reference_c
                .map_or_else(|| observed.reference_span(), |r| (r.low_c, r.high_c));
            (low, high, f.detector.clone())
        })
        .collect()
}

/// Height of one flagged strip, as a share of the chart's y range.
const FLAGGED_STRIP_SHARE: f64 = 0.045;

/// The reference ranges manipulation findings flag, as strips along the
/// bottom of the chart, one per finding, each labelled with its detector
/// inside it: full-height shading would mix with the bands beneath, and
/// several findings would need colours of their own. Returns points over
/// the strips and their labels, for [`legend_clear_of`] to keep clear of.
pub(crate) fn flagged_strips<'a, DB: DrawingBackend + 'a>(
    chart: &mut TemperatureChart<'a, DB>,
    observed: &Observed,
    (low, high): (f64, f64),
) -> Result<Vec<(f64, f64)>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let height = (high - low) * FLAGGED_STRIP_SHARE;
    let (columns, _) = chart.plotting_area().get_pixel_range();
    let data_per_pixel = (high - low) / f64::from((columns.end - columns.start).max(1));
    let mut occupied = Vec::new();
    for (k, (from, to, detector)) in flagged_ranges(observed).into_iter().enumerate() {
        let bottom = low + k as f64 * height * 1.2;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(from, bottom), (to, bottom + height)],
            FLAGGED.mix(0.45).filled(),
        )))?;
        // At the strip's right end: below the identity line on the hot side,
        // where readings that are not low leave room.
        chart.draw_series(std::iter::once(Text::new(
            format!("flagged: {detector}"),
            (to - (high - low) * 0.005, bottom + height * 0.5),
            text(TICK_SIZE - 2).pos(Pos::new(HPos::Right, VPos::Center)),
        )))?;
        // The label's width in data units (0.6 em a character).
        let label = format!("flagged: {detector}").chars().count() as f64
            * 0.6
            * f64::from(TICK_SIZE - 2)
            * data_per_pixel;
        occupied.extend(along(
            ((to - label).min(from), bottom + height * 0.5),
            (to, bottom + height * 0.5),
            40,
        ));
    }
    Ok(occupied)
}

/// A chart with the common frame: title, margins, axis label areas, and a
/// mesh with the axis descriptions (units included) and tick labels.
pub(crate) fn cartesian<'a, DB: DrawingBackend>(
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
    let (width, _) = area.dim_in_pixel();
    let mut chart = ChartBuilder::on(area)
        .caption(title, title_style(title, width))
        .margin(24)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?;
    let (x_decimals, y_decimals) = (tick_decimals(x), tick_decimals(y));
    chart
        .configure_mesh()
        .x_desc(x_description)
        .y_desc(y_description)
        .axis_desc_style(text(LABEL_SIZE))
        .label_style(text(TICK_SIZE))
        .x_label_formatter(&|v| tick_label(*v, x_decimals))
        .y_label_formatter(&|v| tick_label(*v, y_decimals))
        .light_line_style(WHITE)
        .draw()?;
    Ok(chart)
}

/// Decimals of the tick labels of an axis over `(low, high)`: whole
/// numbers above a span of 50 (minutes, pixels), one decimal above 2 °C,
/// else two.
pub(crate) fn tick_decimals((low, high): (f64, f64)) -> usize {
    match high - low {
        span if span > 50.0 => 0,
        span if span > 2.0 => 1,
        _ => 2,
    }
}

/// A tick label with `decimals` decimals; never "-0.0".
pub(crate) fn tick_label(value: f64, decimals: usize) -> String {
    let label = format!("{value:.decimals$}");
    match label.strip_prefix('-') {
        Some(magnitude) if magnitude.chars().all(|c| c == '0' || c == '.') => magnitude.to_string(),
        _ => label,
    }
}

/// Widest share of the chart a title may take before its font shrinks.
const TITLE_WIDTH_SHARE: f64 = 0.92;

/// Width of a character of the embedded sans-serif font, in em, on
/// average over digits and lower case (DejaVu Sans: 0.55–0.64).
pub(crate) const CHARACTER_EM: f64 = 0.6;

/// The title's style: [`TITLE_SIZE`], smaller when a long title (a long
/// device name) would not fit in `width` pixels.
pub(crate) fn title_style(title: &str, width: u32) -> TextStyle<'static> {
    fitted(title, width, TITLE_SIZE)
}

/// A one-line text of at most `largest` pixels, smaller when it would not
/// fit in `width` pixels (never below the tick size).
pub(crate) fn fitted(line: &str, width: u32, largest: u32) -> TextStyle<'static> {
    let characters = line.chars().count().max(1) as f64;
    let fits = (width as f64 * TITLE_WIDTH_SHARE / (characters * CHARACTER_EM)) as u32;
    text(largest.min(fits).max(TICK_SIZE))
}

/// Longest device name put into a chart title, characters.
const LONGEST_DEVICE_IN_TITLE: usize = 48;

/// The device a report is about, for chart titles: `[device] model` with
/// its serial, else the session's name; shortened with "…" when long.
pub(crate) fn device_label(report: &Report) -> String {
    shortened(&report.device_name(), LONGEST_DEVICE_IN_TITLE)
}

/// `label` cut to `most` characters by an "…" in its middle, when longer:
/// the make at the start and the model, serial or number at the end are
/// what tell devices apart.
pub(crate) fn shortened(label: &str, most: usize) -> String {
    let characters: Vec<char> = label.chars().collect();
    if characters.len() <= most {
        return label.to_string();
    }
    let kept = most.saturating_sub(1);
    let head = kept / 2;
    let tail = kept - head;
    let mut cut: String = characters[..head].iter().collect();
    cut.push('…');
    cut.extend(&characters[characters.len() - tail..]);
    cut
}

/// The source the charts draw and its accuracy block: the reported values
/// when the device reported any, else the radiometric ones — the source
/// the verdict rests on.
pub(crate) fn primary_accuracy(report: &Report) -> Option<(&'static str, &Accuracy)> {
    [REPORTED, RADIOMETRIC]
        .into_iter()
        .find_map(|source| report.accuracy.get(source).map(|a| (source, a)))
}

/// Draws the legend of the series that have labels at `position`.
pub(crate) fn legend<'a, DB: DrawingBackend + 'a>(
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

/// Corners a legend may take, in order of preference when several cover
/// the data equally little.
const LEGEND_CORNERS: [SeriesLabelPosition; 4] = [
    SeriesLabelPosition::UpperLeft,
    SeriesLabelPosition::LowerRight,
    SeriesLabelPosition::UpperRight,
    SeriesLabelPosition::LowerLeft,
];

/// Draws the legend in the corner of the plot where it covers the fewest
/// of the points `avoid` (data coordinates: the readings and points along
/// the lines drawn). The legend's box is estimated from its `entries` and
/// its longest label of `widest` characters in the tick font (DejaVu Sans
/// averages about 0.6 em a character), plus the swatch.
pub(crate) fn legend_clear_of<'a, DB: DrawingBackend + 'a>(
    chart: &mut TemperatureChart<'a, DB>,
    avoid: &[(f64, f64)],
    entries: usize,
    widest: usize,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let (columns, rows) = chart.plotting_area().get_pixel_range();
    let size = f64::from(TICK_SIZE);
    let width = (widest as f64 * size * 0.6 + 50.0) as i32;
    let height = (entries as f64 * (size + 8.0) + 16.0) as i32;
    let boxes = LEGEND_CORNERS.map(|corner| {
        let (left, top) = match corner {
            SeriesLabelPosition::UpperLeft => (columns.start, rows.start),
            SeriesLabelPosition::UpperRight => (columns.end - width, rows.start),
            SeriesLabelPosition::LowerLeft => (columns.start, rows.end - height),
            _ => (columns.end - width, rows.end - height),
        };
        (left..left + width, top..top + height)
    });
    // Each point's pixel (as the chart places it) counted in every
    // corner's box it falls in, on every core: a million readings.
    let coordinates = chart.as_coord_spec();
    let covered = counted_on_all_cores(
        avoid.par_iter().flat_map_iter(|point| {
            let (x, y) = coordinates.translate(point);
            boxes
                .iter()
                .enumerate()
                .filter(move |(_, (across, down))| across.contains(&x) && down.contains(&y))
                .map(|(corner, _)| corner)
        }),
        LEGEND_CORNERS.len(),
        Some,
    );
    // The first of the corners covering fewest, in order of preference.
    let best = LEGEND_CORNERS
        .iter()
        .zip(covered)
        .min_by_key(|(_, covered)| *covered)
        .map_or(SeriesLabelPosition::UpperLeft, |(corner, _)| corner.clone());
    legend(chart, best)
}

/// `points` + 1 points evenly along the segment from `from` to `to`, for
/// [`legend_clear_of`] to keep a legend off a line.
pub(crate) fn along(from: (f64, f64), to: (f64, f64), points: usize) -> Vec<(f64, f64)> {
    (0..=points)
        .map(|i| {
            let t = i as f64 / points.max(1) as f64;
            (from.0 + t * (to.0 - from.0), from.1 + t * (to.1 - from.1))
        })
        .collect()
}

/// The coordinate system of the temperature charts.
pub(crate) type TemperatureChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A chart of device readings against reference temperatures: both axes
/// over `range` (the report's [`temperature_range`]), the identity line
/// drawn and labelled `identity`.
pub(crate) fn readings_chart<'a, DB: DrawingBackend + 'a>(
    area: &'a plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    range: (f64, f64),
    (x_description, y_description): (&str, &str),
    identity: &str,
) -> Result<TemperatureChart<'a, DB>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let mut chart = cartesian(area, title, range, range, x_description, y_description)?;
    identity_line(&mut chart, range, identity)?;
    Ok(chart)
}

/// Draws the identity line (device = reference) over `low..high`, labelled.
pub(crate) fn identity_line<'a, DB: DrawingBackend + 'a>(
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

/// Draws the ±`stated` band of the device's claim on a chart of errors
/// (device − reference) over `low..high`, labelled.
pub(crate) fn stated_accuracy_band<'a, DB: DrawingBackend + 'a>(
    chart: &mut TemperatureChart<'a, DB>,
    (low, high): (f64, f64),
    stated: f64,
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(low, -stated), (high, stated)],
            ACCURACY.mix(0.12).filled(),
        )))?
        .label(format!("stated accuracy ±{stated:.2} °C"))
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], ACCURACY.mix(0.4).filled()));
    Ok(())
}

/// Draws the alarm threshold as a dashed horizontal line over `low..high`.
pub(crate) fn alarm_line<'a, DB: DrawingBackend + 'a>(
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
        .legend(|(x, y)| {
            // Dashed as the line is.
            EmptyElement::at((x, y))
                + PathElement::new(vec![(0, 0), (9, 0)], ALARM.stroke_width(2))
                + PathElement::new(vec![(15, 0), (24, 0)], ALARM.stroke_width(2))
        });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_never_read_negative_zero() {
        assert_eq!(tick_label(-0.0001, 1), "0.0");
        assert_eq!(tick_label(-0.04, 1), "0.0");
        assert_eq!(tick_label(-0.05, 2), "-0.05");
        assert_eq!(tick_label(36.5, 0), "36");
        assert_eq!(tick_decimals((34.0, 41.0)), 1);
        assert_eq!(tick_decimals((-0.4, 0.6)), 2);
        assert_eq!(tick_decimals((0.0, 120.0)), 0);
    }

    #[test]
    fn long_names_keep_their_start_and_end() {
        assert_eq!(shortened("Vendor X K1", 20), "Vendor X K1");
        assert_eq!(shortened("abcdefghijklmnopqrstuvwxyz", 9), "abcd…wxyz");
    }
}
