//! Histogram of the displayed values beside the histogram of the reference
//! values, on the same temperature axis and bins: a device that normalises
//! its output piles its readings into a narrow band while the references
//! spread out.

use plotters::coord::Shift;
use plotters::prelude::*;
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use super::observed::Observed;
use super::style::*;
use super::DrawResult;

/// Bin width, °C: two 0.25 °C sweep steps or five 0.1 °C display values per
/// bin, so neither histogram shows rounding artefacts.
const BIN_WIDTH_C: f64 = 0.5;
/// Most bins; wider ranges get wider bins.
const MAX_BINS: usize = 40;

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
    area.fill(&WHITE)?;
    let titled = area.margin(16, 0, 0, 0).titled(title, text(TITLE_SIZE))?;
    let (left, right) = titled.split_horizontally(CHART_WIDTH_HALF);
    let counted = observed.shared("histograms", || {
        let (low, high) = observed.reference_and_device_span();
        let bins = Bins::covering(low, high);
        // Both panels counted in one pass: the displayed values' bins, then
        // the references' bins after them.
        let both = counted_on_all_cores(
            report.observations.par_iter().flat_map_iter(|o| {
                let displayed = o.device_c().map(|v| bins.bin(v));
                displayed
                    .into_iter()
                    .chain([bins.count + bins.bin(o.reference_c)])
            }),
            2 * bins.count,
            Some,
        );
        let (displayed, references) = both.split_at(bins.count);
        (bins, (displayed.to_vec(), references.to_vec()))
    });
    let (bins, (displayed_counts, reference_counts)) = &*counted;
    let (low, high) = (bins.start, bins.start + bins.width * bins.count as f64);
    let tallest = displayed_counts
        .iter()
        .chain(reference_counts)
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    panel(
        &left,
        "Displayed by the device",
        displayed_counts,
        low,
        high,
        tallest,
        READING,
    )?;
    panel(
        &right,
        "Reference (target)",
        reference_counts,
        low,
        high,
        tallest,
        IDENTITY,
    )?;
    Ok(())
}

/// Half the chart width, pixels.
const CHART_WIDTH_HALF: u32 = super::CHART_SIZE.0 / 2;

/// Bins aligned on multiples of their width.
struct Bins {
    start: f64,
    width: f64,
    count: usize,
}

impl Bins {
    fn covering(low: f64, high: f64) -> Self {
        let mut width = BIN_WIDTH_C;
        while (high - low) / width > MAX_BINS as f64 {
            width *= 2.0;
        }
        let start = (low / width).floor() * width;
        let count = (((high - start) / width).floor() as usize + 1).max(1);
        Bins {
            start,
            width,
            count,
        }
    }

    /// The bin of `value`.
    fn bin(&self, value: f64) -> usize {
        // The cast truncates a bin number ≥ 0 as floor would, and takes
        // anything below (or NaN) to bin 0.
        (((value - self.start) / self.width).max(0.0) as usize).min(self.count - 1)
    }
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    counts: &[usize],
    low: f64,
    high: f64,
    tallest: usize,
    colour: RGBColor,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let width = (high - low) / counts.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(caption, text(LABEL_SIZE))
        .margin(20)
        .x_label_area_size(70)
        .y_label_area_size(80)
        .build_cartesian_2d(low..high, 0usize..tallest + tallest / 10 + 1)?;
    chart
        .configure_mesh()
        .x_desc("Temperature (°C)")
        .y_desc("Observations")
        .axis_desc_style(text(LABEL_SIZE))
        .label_style(text(TICK_SIZE))
        .light_line_style(WHITE)
        .draw()?;
    chart.draw_series(
        counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| {
                let from = low + width * i as f64;
                Rectangle::new([(from, 0), (from + width, c)], colour.mix(0.7).filled())
            }),
    )?;
    Ok(())
}
