//! Point clouds that stay readable and small at any size: opaque markers for
//! a lab session, translucent ones for a few thousand, and a density map
//! (cells shaded by how many points fall in them) beyond.
//!
//! A clinical registry or a fleet's event log has hundreds of thousands of
//! readings; drawn one marker each they make one opaque blob and an SVG of
//! a hundred megabytes. The density map draws at most
//! [`DENSITY_CELLS`] rectangles whatever the number of points.

use plotters::prelude::*;
use rayon::iter::IntoParallelRefIterator;

use super::style::{counted_on_all_cores, TemperatureChart};
use super::DrawResult;

/// Up to this many points every marker is drawn opaque (a lab sweep, or a
/// few hundred subjects, where each point can still be told apart).
pub(super) const OPAQUE_POINTS: usize = 200;

/// Up to this many points the markers are drawn translucent, so overlapping
/// ones darken; beyond, a density map.
pub(super) const MARKER_POINTS: usize = 5_000;

/// Cells of the density map across and up the plotting area.
pub(super) const DENSITY_CELLS: (usize, usize) = (120, 80);

/// Lowest opacity of a marker or of a non-empty density cell: a single
/// outlying point must stay visible.
const FAINTEST: f64 = 0.15;

/// The mark drawn for each point.
#[derive(Debug, Clone, Copy)]
pub(super) enum Marker {
    /// A filled circle of this radius, pixels.
    Circle(i32),
    /// A filled triangle of this size, pixels.
    Triangle(i32),
}

impl Marker {
    fn element<DB: DrawingBackend>(
        self,
        at: (i32, i32),
        style: ShapeStyle,
    ) -> DynElement<'static, DB, (i32, i32)> {
        match self {
            Marker::Circle(radius) => Circle::new(at, radius, style).into_dyn(),
            Marker::Triangle(size) => TriangleMarker::new(at, size, style).into_dyn(),
        }
    }
}

/// Opacity of each marker when `count` points are drawn: 1 up to
/// [`OPAQUE_POINTS`], then falling as `√(OPAQUE_POINTS / count)` so the
/// darkness of a crowded region tracks its density, never below
/// [`FAINTEST`].
pub(super) fn marker_opacity(count: usize) -> f64 {
    if count <= OPAQUE_POINTS {
        1.0
    } else {
        (OPAQUE_POINTS as f64 / count as f64).sqrt().max(FAINTEST)
    }
}

/// Draws `points` in `colour` with a legend entry `label` (to which
/// ", shaded by density" is added when the density map is drawn).
pub(super) fn scatter<'a, DB: DrawingBackend + 'a>(
    chart: &mut TemperatureChart<'a, DB>,
    points: &[(f64, f64)],
    marker: Marker,
    colour: RGBColor,
    label: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let legend = move |(x, y): (i32, i32)| marker.element::<DB>((x + 12, y), colour.filled());
    if points.len() > MARKER_POINTS {
        let cells = density_cells(chart, points);
        chart
            .draw_series(
                cells.into_iter().map(|(corners, opacity)| {
                    Rectangle::new(corners, colour.mix(opacity).filled())
                }),
            )?
            .label(format!("{label}, shaded by density"))
            .legend(legend);
        return Ok(());
    }
    let style = colour.mix(marker_opacity(points.len())).filled();
    chart
        .draw_series(
            points
                .iter()
                .map(|&p| EmptyElement::at(p) + marker.element::<DB>((0, 0), style)),
        )?
        .label(label)
        .legend(legend);
    Ok(())
}

/// The non-empty cells of a [`DENSITY_CELLS`] grid over the chart's ranges,
/// as corner pairs with an opacity growing with the logarithm of the
/// count (from [`FAINTEST`] for one point to 1 for the fullest cell), so
/// both a lone outlier and the structure of the crowded core show.
fn density_cells<DB: DrawingBackend>(
    chart: &TemperatureChart<'_, DB>,
    points: &[(f64, f64)],
) -> Vec<([(f64, f64); 2], f64)> {
    let (x_range, y_range) = (chart.x_range(), chart.y_range());
    let (columns, rows) = DENSITY_CELLS;
    let width = (x_range.end - x_range.start) / columns as f64;
    let height = (y_range.end - y_range.start) / rows as f64;
    // Counted on every core; a cell number in range is truncated by the
    // cast as floor would.
    let counts = counted_on_all_cores(points.par_iter(), columns * rows, |&(x, y)| {
        let column = (x - x_range.start) / width;
        let row = (y - y_range.start) / height;
        ((0.0..columns as f64).contains(&column) && (0.0..rows as f64).contains(&row))
            .then(|| row as usize * columns + column as usize)
    });
    let fullest = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    counts
        .iter()
        .enumerate()
        .filter(|(_, &count)| count > 0)
        .map(|(index, &count)| {
            let (column, row) = ((index % columns) as f64, (index / columns) as f64);
            let low = (x_range.start + column * width, y_range.start + row * height);
            let high = (low.0 + width, low.1 + height);
            let share = (count as f64).ln_1p() / fullest.ln_1p();
            ([low, high], FAINTEST + (1.0 - FAINTEST) * share)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_fade_with_the_number_of_points_but_stay_visible() {
        assert_eq!(marker_opacity(1), 1.0);
        assert_eq!(marker_opacity(OPAQUE_POINTS), 1.0);
        // 800 points: √(200/800) = 0.5.
        assert!((marker_opacity(800) - 0.5).abs() < 1e-12);
        assert_eq!(marker_opacity(1_000_000), FAINTEST);
    }

    #[test]
    fn a_density_map_counts_each_point_in_its_cell_and_draws_only_occupied_cells() {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (600, 400)).into_drawing_area();
            let chart = ChartBuilder::on(&area)
                .build_cartesian_2d(0.0..120.0, 0.0..80.0)
                .unwrap();
            // One cell holds 99 points, another one: the grid is 1 × 1 units.
            let mut points = vec![(10.5, 20.5); 99];
            points.push((100.5, 70.5));
            points.push((500.0, 20.0)); // outside the chart: not drawn
            let cells = density_cells(&chart, &points);
            assert_eq!(cells.len(), 2);
            let crowded = cells.iter().find(|c| c.0[0] == (10.0, 20.0)).unwrap();
            let lone = cells.iter().find(|c| c.0[0] == (100.0, 70.0)).unwrap();
            assert!((crowded.1 - 1.0).abs() < 1e-12);
            // ln 2 / ln 100 of the way from FAINTEST to 1.
            let expected = FAINTEST + (1.0 - FAINTEST) * 2f64.ln() / 100f64.ln();
            assert!((lone.1 - expected).abs() < 1e-12, "{}", lone.1);
        }
    }
}
