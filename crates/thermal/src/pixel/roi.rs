//! Regions of interest: where the target (blackbody or face) and an in-scene
//! reference source (ETRS) are in a frame.
//!
//! `rect = [x, y, w, h]` and `circle = [cx, cy, r]` must lie inside the
//! frame ([`Shape::fits`]); one that reaches beyond it is an error naming it
//! and the frame's size (the analysis checks every frame). `auto` finds the
//! region itself. `auto = true`
//! finds the blackbody: the pixels warmer than halfway between the frame's
//! median and its 99.5th percentile, grouped into 4-connected blobs; the blob
//! with the most pixels weighted by its compactness (pixels / bounding-box
//! area: a disk scores π/4, a thin edge near 0) wins, and the ROI is a circle
//! at its centroid with [`AUTO_RADIUS_FRACTION`] of its equivalent radius, so
//! the blackbody's edge pixels are left out.

use ndarray::Array2;

use super::described::{FoundSource, RoiSpec, Shape};
use super::histogram::Histogram;
use super::region::{region_stats, ClipLimits, Region};

/// Share of the found blob's equivalent radius used as the ROI radius: the
/// inner 70 % avoids the blurred edge of the source.
pub const AUTO_RADIUS_FRACTION: f64 = 0.7;

/// Fewest pixels a found blob may have: below this it is noise, not a source.
pub const MIN_AUTO_PIXELS: usize = 12;

impl Shape {
    /// The shape a session.toml ROI declares, if it declares one.
    pub fn from_spec(spec: &RoiSpec) -> Option<Shape> {
        if let Some([x, y, w, h]) = spec.rect {
            return Some(Shape::Rect(x as i64, y as i64, w as i64, h as i64));
        }
        spec.circle
            .map(|[cx, cy, r]| Shape::Circle(cx as f64, cy as f64, r as f64))
    }

    /// Whether the shape lies entirely inside a `rows × columns` frame.
    pub fn fits(&self, rows: usize, columns: usize) -> bool {
        let (rows, columns) = (rows as f64, columns as f64);
        match *self {
            Shape::Rect(x, y, w, h) => {
                x >= 0 && y >= 0 && (x + w) as f64 <= columns && (y + h) as f64 <= rows
            }
            Shape::Circle(cx, cy, r) => {
                cx - r >= 0.0 && cy - r >= 0.0 && cx + r <= columns && cy + r <= rows
            }
        }
    }

    /// The shape as session.toml writes it.
    pub fn describe(&self) -> String {
        match *self {
            Shape::Rect(x, y, w, h) => format!("rect = [{x}, {y}, {w}, {h}]"),
            Shape::Circle(cx, cy, r) => format!("circle = [{cx}, {cy}, {r}]"),
        }
    }

    /// The pixels of the shape inside a `rows × columns` frame.
    pub fn region(&self, rows: usize, columns: usize) -> Region {
        let clamp = |v: i64, limit: usize| v.clamp(0, limit as i64) as usize;
        let spans = match *self {
            Shape::Rect(x, y, w, h) => {
                let (c0, c1) = (clamp(x, columns), clamp(x.saturating_add(w), columns));
                (clamp(y, rows)..clamp(y.saturating_add(h), rows))
                    .filter(|_| c1 > c0)
                    .map(|r| (r, c0, c1))
                    .collect()
            }
            Shape::Circle(cx, cy, radius) => {
                let mut spans = Vec::new();
                let top = (cy - radius).floor().max(0.0) as usize;
                let bottom = ((cy + radius).ceil().max(0.0) as usize).min(rows);
                for row in top..bottom {
                    let dy = row as f64 + 0.5 - cy;
                    let half = (radius * radius - dy * dy).max(0.0).sqrt();
                    let c0 = ((cx - half).round().max(0.0) as usize).min(columns);
                    let c1 = ((cx + half).round().max(0.0) as usize).min(columns);
                    if c1 > c0 {
                        spans.push((row, c0, c1));
                    }
                }
                spans
            }
        };
        Region { spans }
    }
}

/// Finds the blackbody in a frame; `None` when nothing stands out.
pub fn find_source(temperatures: &Array2<f32>, histogram: &mut Histogram) -> Option<FoundSource> {
    let (rows, columns) = temperatures.dim();
    let whole = region_stats(
        temperatures,
        &Region::whole(rows, columns),
        ClipLimits::default(),
        histogram,
    );
    let (median, high) = (whole.median_c?, histogram.quantile(0.995)?);
    if high - median < 0.5 {
        return None;
    }
    let threshold = (median + (high - median) / 2.0) as f32;
    let mut labels = vec![0u32; rows * columns];
    let mut best: Option<(f64, FoundSource)> = None;
    let mut next_label = 1u32;
    let mut stack = Vec::new();
    for start in 0..rows * columns {
        let v = temperatures[[start / columns, start % columns]];
        if labels[start] != 0 || v.is_nan() || v < threshold {
            continue;
        }
        // Flood fill one blob.
        let label = next_label;
        next_label += 1;
        labels[start] = label;
        stack.push(start);
        let (mut count, mut sum_r, mut sum_c) = (0usize, 0.0f64, 0.0f64);
        let (mut r0, mut r1, mut c0, mut c1) = (usize::MAX, 0, usize::MAX, 0);
        while let Some(index) = stack.pop() {
            let (r, c) = (index / columns, index % columns);
            count += 1;
            sum_r += r as f64;
            sum_c += c as f64;
            (r0, r1, c0, c1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
            let neighbours = [
                (r > 0).then(|| index - columns),
                (r + 1 < rows).then(|| index + columns),
                (c > 0).then(|| index - 1),
                (c + 1 < columns).then(|| index + 1),
            ];
            for n in neighbours.into_iter().flatten() {
                if labels[n] == 0 && temperatures[[n / columns, n % columns]] >= threshold {
                    labels[n] = label;
                    stack.push(n);
                }
            }
        }
        if count < MIN_AUTO_PIXELS {
            continue;
        }
        let box_area = ((r1 - r0 + 1) * (c1 - c0 + 1)) as f64;
        let score = count as f64 * (count as f64 / box_area);
        let radius = (count as f64 / std::f64::consts::PI).sqrt() * AUTO_RADIUS_FRACTION;
        let found = FoundSource {
            cx: sum_c / count as f64 + 0.5,
            cy: sum_r / count as f64 + 0.5,
            r: radius.max(1.0),
            blob_pixels: count,
        };
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, found));
        }
    }
    best.map(|(_, found)| found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangles_and_circles_are_clipped_to_the_frame() {
        let rect = Shape::Rect(-2, 1, 5, 2).region(4, 4);
        assert_eq!(rect.spans, vec![(1, 0, 3), (2, 0, 3)]);
        assert_eq!(Shape::Rect(10, 10, 2, 2).region(4, 4).pixels(), 0);
        // A circle of radius 2 at (5, 5): rows 3..7, about π·4 ≈ 12.6 pixels.
        let circle = Shape::Circle(5.0, 5.0, 2.0).region(10, 10);
        assert_eq!(circle.spans.first().map(|s| s.0), Some(3));
        assert!((10..=16).contains(&circle.pixels()), "{}", circle.pixels());
    }

    #[test]
    fn finds_a_warm_disk_on_a_cool_background() {
        let t = Array2::from_shape_fn((60, 80), |(r, c)| {
            let (dx, dy) = (c as f64 - 50.0, r as f64 - 20.0);
            if dx * dx + dy * dy < 100.0 {
                37.0
            } else {
                22.0 + 0.01 * (c % 7) as f32
            }
        });
        let found = find_source(&t, &mut Histogram::default()).unwrap();
        assert!(
            (found.cx - 50.5).abs() < 1.0 && (found.cy - 20.5).abs() < 1.0,
            "{found:?}"
        );
        assert!(
            (found.r - 10.0 * AUTO_RADIUS_FRACTION).abs() < 1.0,
            "{found:?}"
        );
        let flat = Array2::from_elem((10, 10), 22.0f32);
        assert!(find_source(&flat, &mut Histogram::default()).is_none());
    }
}
