//! The comparison's charts: every device's step means against the target on
//! shared axes (the study's figure), with the identity line, the alarm
//! threshold and the normal band; and a grid of small panels, one per device,
//! with its readings and the identity line.

use std::iter::once;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Comparison;
use crate::output::Chart;
use crate::plot::style::*;
use crate::plot::{render_png, render_svg, DrawResult, CHART_SIZE};
use fevercheck_io::error::Result;

/// A chart drawn both ways (the HTML embeds the SVG, so both are drawn once).
pub struct RenderedChart {
    /// File stem.
    pub name: &'static str,
    /// SVG document.
    pub svg: String,
    /// PNG file.
    pub png: Vec<u8>,
}

impl Chart<Comparison> for RenderedChart {
    fn name(&self) -> &str {
        self.name
    }

    fn svg(&self, _comparison: &Comparison) -> Result<String> {
        Ok(self.svg.clone())
    }

    fn png(&self, _comparison: &Comparison) -> Result<Vec<u8>> {
        Ok(self.png.clone())
    }
}

/// Both charts of a comparison.
pub fn comparison_charts(comparison: &Comparison) -> Result<Vec<RenderedChart>> {
    let grid_size = (CHART_SIZE.0, grid_height(comparison.devices.len()));
    Ok(vec![
        RenderedChart {
            name: "comparison",
            svg: render_svg("comparison", CHART_SIZE, |a| combined(a, comparison))?,
            png: render_png("comparison", CHART_SIZE, |a| combined(a, comparison))?,
        },
        RenderedChart {
            name: "devices",
            svg: render_svg("devices", grid_size, |a| grid(a, comparison))?,
            png: render_png("devices", grid_size, |a| grid(a, comparison))?,
        },
    ])
}

/// Most tick labels on an axis of a small panel: about 380 pixels hold
/// five whole-degree labels with room between them.
const PANEL_TICKS: usize = 5;

/// Longest device name over a panel, characters: a panel is about 390
/// pixels wide, a character of the 20-pixel caption about 12.
const PANEL_TITLE_CHARACTERS: usize = 32;

/// Panels per row of the grid.
const GRID_COLUMNS: usize = 3;
/// Height of one grid row, pixels.
const GRID_ROW_HEIGHT: u32 = 380;

fn grid_height(devices: usize) -> u32 {
    devices.div_ceil(GRID_COLUMNS).max(1) as u32 * GRID_ROW_HEIGHT + 60
}

/// Shared temperature axis of all devices.
fn shared_range(comparison: &Comparison) -> (f64, f64) {
    let values = comparison
        .devices
        .iter()
        .flat_map(|d| d.points.iter().flat_map(|&(x, y)| [x, y]));
    range(values.chain([NORMAL_BAND_C.0, NORMAL_BAND_C.1]), 0.05)
}

fn combined<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    comparison: &Comparison,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (low, high) = shared_range(comparison);
    // Beyond a few devices the legend cannot stand in a corner without
    // hiding lines: it gets a column of its own beside the plot.
    let beside = comparison.devices.len() > CORNER_LEGEND_MOST_DEVICES;
    let (width, _) = area.dim_in_pixel();
    let (plot_area, side) = if beside {
        area.fill(&WHITE)?;
        let (plot, side) = area.split_horizontally((f64::from(width) * PLOT_SHARE) as u32);
        (plot, Some(side))
    } else {
        (area.clone(), None)
    };
    let mut chart = cartesian(
        &plot_area,
        "Devices against the target",
        (low, high),
        (low, high),
        "Reference temperature (°C)",
        "Mean device reading at each step (°C)",
    )?;
    chart
        .draw_series(once(Rectangle::new(
            [(low, NORMAL_BAND_C.0), (high, NORMAL_BAND_C.1)],
            NORMAL.mix(0.18).filled(),
        )))?
        .label("normal band 36.0–37.5 °C")
        .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], NORMAL.mix(0.4).filled()));
    identity_line(&mut chart, (low, high), "identity")?;
    let alarm = comparison
        .devices
        .first()
        .map_or(37.5, |d| d.alarm_threshold_c);
    alarm_line(&mut chart, (low, high), alarm)?;
    for (i, device) in comparison.devices.iter().enumerate() {
        let look = DeviceLook::of(i);
        let line = look.colour.stroke_width(3);
        if look.dashed {
            chart.draw_series(DashedLineSeries::new(
                device.steps.iter().copied(),
                10,
                6,
                line,
            ))?;
        } else {
            chart.draw_series(LineSeries::new(device.steps.iter().copied(), line))?;
        }
        let (points, name) = (device.steps.iter().copied(), device.device.clone());
        let (fill, stroke) = (look.colour.filled(), look.colour.stroke_width(3));
        let swatch = move |(x, y): (i32, i32)| {
            EmptyElement::at((x, y)) + PathElement::new(vec![(0, 0), (24, 0)], stroke)
        };
        match look.marker {
            Marker::Circle => {
                chart
                    .draw_series(points.map(|p| Circle::new(p, 5, fill)))?
                    .label(name)
                    .legend(move |at| swatch(at) + Circle::new((12, 0), 5, fill));
            }
            Marker::Square => {
                let square = move || Rectangle::new([(-4, -4), (4, 4)], fill);
                chart
                    .draw_series(points.map(|p| EmptyElement::at(p) + square()))?
                    .label(name)
                    .legend(move |at| swatch(at) + Rectangle::new([(8, -4), (16, 4)], fill));
            }
            Marker::Triangle => {
                chart
                    .draw_series(points.map(|p| TriangleMarker::new(p, 6, fill)))?
                    .label(name)
                    .legend(move |at| swatch(at) + TriangleMarker::new((12, 0), 6, fill));
            }
            Marker::Cross => {
                chart
                    .draw_series(points.map(|p| Cross::new(p, 5, stroke)))?
                    .label(name)
                    .legend(move |at| swatch(at) + Cross::new((12, 0), 5, stroke));
            }
        }
    }
    if let Some(side) = side {
        return side_legend(&side, comparison, alarm);
    }
    // The legend where it covers the fewest steps and lines.
    let mut avoid = along((low, low), (high, high), 40);
    for device in &comparison.devices {
        for pair in device.steps.windows(2) {
            avoid.extend(along(pair[0], pair[1], 8));
        }
    }
    let widest = comparison
        .devices
        .iter()
        .map(|d| d.device.chars().count())
        .max()
        .unwrap_or(0)
        .max(24);
    legend_clear_of(&mut chart, &avoid, comparison.devices.len() + 3, widest)
}

/// Most devices whose legend stands in a corner of the plot.
const CORNER_LEGEND_MOST_DEVICES: usize = 5;
/// Share of the chart's width the plot keeps when the legend stands beside it.
const PLOT_SHARE: f64 = 0.62;
/// Height of a legend row beside the plot, pixels, when they all fit.
const SIDE_ROW: i32 = 26;
/// Top of the first legend row beside the plot, pixels (below the title).
const SIDE_TOP: i32 = 90;

/// The legend in a column of its own: the normal band, the identity, the
/// alarm threshold, then every device with its line and marker; rows and
/// text shrink so that all fit, long names are shortened in the middle.
fn side_legend<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    comparison: &Comparison,
    alarm: f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (width, height) = side.dim_in_pixel();
    let entries = comparison.devices.len() as i32 + 3;
    let row = SIDE_ROW
        .min((height as i32 - SIDE_TOP - 20) / entries)
        .max(8);
    let size = (TICK_SIZE as i32 - 4).min(row - 4).max(8) as u32;
    // DejaVu Sans averages about 0.6 em a character; 40 pixels of swatch.
    let characters = ((f64::from(width) - 50.0) / (f64::from(size) * 0.6)) as usize;
    let x = 6;
    let y_of = |i: i32| SIDE_TOP + i * row;
    let label = |i: i32, text_: &str| {
        side.draw(&Text::new(
            shortened(text_, characters),
            (x + 34, y_of(i) - size as i32 / 2),
            text(size),
        ))
    };
    let y = y_of(0);
    side.draw(&Rectangle::new(
        [(x, y - 6), (x + 24, y + 6)],
        NORMAL.mix(0.4).filled(),
    ))?;
    label(0, "normal band 36.0–37.5 °C")?;
    let y = y_of(1);
    side.draw(&PathElement::new(
        vec![(x, y), (x + 24, y)],
        IDENTITY.stroke_width(2),
    ))?;
    label(1, "identity")?;
    let y = y_of(2);
    for (from, to) in [(0, 9), (15, 24)] {
        side.draw(&PathElement::new(
            vec![(x + from, y), (x + to, y)],
            ALARM.stroke_width(2),
        ))?;
    }
    label(2, &format!("alarm threshold {alarm:.1} °C"))?;
    for (i, device) in comparison.devices.iter().enumerate() {
        let entry = i as i32 + 3;
        let (y, look) = (y_of(entry), DeviceLook::of(i));
        let stroke = look.colour.stroke_width(3);
        let segments: &[(i32, i32)] = if look.dashed {
            &[(0, 9), (15, 24)]
        } else {
            &[(0, 24)]
        };
        for &(from, to) in segments {
            side.draw(&PathElement::new(vec![(x + from, y), (x + to, y)], stroke))?;
        }
        let (centre, fill) = ((x + 12, y), look.colour.filled());
        match look.marker {
            Marker::Circle => side.draw(&Circle::new(centre, 5, fill))?,
            Marker::Square => {
                side.draw(&Rectangle::new([(x + 8, y - 4), (x + 16, y + 4)], fill))?
            }
            Marker::Triangle => side.draw(&TriangleMarker::new(centre, 6, fill))?,
            Marker::Cross => side.draw(&Cross::new(centre, 5, stroke))?,
        }
        label(entry, &device.device)?;
    }
    Ok(())
}

/// Marker shapes, cycled with the colours so that devices sharing a colour
/// (beyond [`DEVICE_COLOURS`]) never share a shape too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Cross,
}

/// How one device is drawn on the combined chart.
#[derive(Debug, Clone, Copy, PartialEq)]
struct DeviceLook {
    colour: RGBColor,
    marker: Marker,
    /// Solid for the first twelve devices, dashed for the next twelve.
    dashed: bool,
}

impl DeviceLook {
    /// The look of the `i`-th device: twelve colours; shapes in a cycle of
    /// four shifted by one every twelve devices; dashed from the 13th on.
    fn of(i: usize) -> DeviceLook {
        let colours = DEVICE_COLOURS.len();
        let marker = [
            Marker::Circle,
            Marker::Square,
            Marker::Triangle,
            Marker::Cross,
        ][(i + i / colours) % 4];
        DeviceLook {
            colour: DEVICE_COLOURS[i % colours],
            marker,
            dashed: (i / colours) % 2 == 1,
        }
    }
}

fn grid<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, comparison: &Comparison) -> DrawResult
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let titled = area.margin(12, 0, 0, 0).titled(
        "Each device against the target (purple: manipulation suspected)",
        text(LABEL_SIZE + 4),
    )?;
    let rows = comparison.devices.len().div_ceil(GRID_COLUMNS).max(1);
    let panels = titled.split_evenly((rows, GRID_COLUMNS));
    let (low, high) = shared_range(comparison);
    for (device, panel) in comparison.devices.iter().zip(panels.iter()) {
        let mut chart = ChartBuilder::on(panel)
            .caption(
                shortened(&device.device, PANEL_TITLE_CHARACTERS),
                text(TICK_SIZE),
            )
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(low..high, low..high)?;
        chart
            .configure_mesh()
            .x_desc("Reference (°C)")
            .y_desc("Device (°C)")
            .axis_desc_style(text(TICK_SIZE - 2))
            .label_style(text(TICK_SIZE - 4))
            .x_labels(PANEL_TICKS)
            .y_labels(PANEL_TICKS)
            .x_label_formatter(&|v| tick_label(*v, 0))
            .y_label_formatter(&|v| tick_label(*v, 0))
            .light_line_style(WHITE)
            .draw()?;
        chart.draw_series(LineSeries::new(
            [(low, low), (high, high)],
            IDENTITY.stroke_width(1),
        ))?;
        let colour = if device.manipulation_suspected {
            FLAGGED
        } else {
            READING
        };
        chart.draw_series(
            device
                .points
                .iter()
                .map(|&p| Circle::new(p, 3, colour.filled())),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_devices_look_alike_and_none_takes_the_alarm_colour() {
        // Ten devices (the case) take ten different colours; up to
        // 48 the (colour, marker, dash) triple is never repeated.
        let ten: Vec<RGBColor> = (0..10).map(|i| DeviceLook::of(i).colour).collect();
        for (i, a) in ten.iter().enumerate() {
            assert!(ten[i + 1..].iter().all(|b| b != a), "device {i}");
        }
        let looks: Vec<DeviceLook> = (0..48).map(DeviceLook::of).collect();
        for (i, a) in looks.iter().enumerate() {
            assert_ne!(a.colour, ALARM, "device {i}");
            assert_ne!(a.colour, IDENTITY, "device {i}");
            assert!(looks[i + 1..].iter().all(|b| b != a), "device {i} repeats");
        }
    }
}
