//! The per-pixel hot loop: statistics of a region of a frame in one pass
//! (docs/science.md §4).
//!
//! A [`Region`] is a list of row spans, so rectangles, circles and found
//! blobs are all read as contiguous slices of a row. One pass counts valid
//! and NaN pixels, finds the minimum and maximum with their positions,
//! accumulates the mean and variance around a shift (the first valid value:
//! temperatures sit near 20–40 °C, so sums of `v − shift` keep full f64
//! precision), fills a 0.01 °C histogram for the median and percentiles, and
//! counts pixels at the frame's clip limits. An empty region, or one with no
//! valid pixel, has `None` statistics.

use ndarray::Array2;
use serde::Serialize;

use super::described::RegionStats;
use super::histogram::{Histogram, LANES};

/// Pixels of a region as row spans `(row, first column, end column)`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Region {
    /// `(row, start, end)` with `end` exclusive, inside the frame.
    pub spans: Vec<(usize, usize, usize)>,
}

impl Region {
    /// The whole frame of `rows × columns`.
    pub fn whole(rows: usize, columns: usize) -> Self {
        Region {
            spans: (0..rows).map(|r| (r, 0, columns)).collect(),
        }
    }

    /// Number of pixels.
    pub fn pixels(&self) -> usize {
        self.spans.iter().map(|(_, a, b)| b - a).sum()
    }
}

/// Clip limits of a frame, °C (infinite when the format has none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipLimits {
    /// At or below this a pixel is clipped.
    pub low: f32,
    /// At or above this a pixel is clipped.
    pub high: f32,
}

impl Default for ClipLimits {
    fn default() -> Self {
        ClipLimits {
            low: f32::NEG_INFINITY,
            high: f32::INFINITY,
        }
    }
}

/// Running sums of the pass.
struct Sums {
    shift: f64,
    sum: f64,
    squares: f64,
    valid: usize,
    nan: usize,
    min: f32,
    min_at: (usize, usize),
    max: f32,
    max_at: (usize, usize),
    clipped: usize,
}

/// Computes the statistics of `region` of `temperatures` in one pass;
/// `histogram` is scratch space (cleared here) so threads can reuse theirs.
pub fn region_stats(
    temperatures: &Array2<f32>,
    region: &Region,
    clip: ClipLimits,
    histogram: &mut Histogram,
) -> RegionStats {
    histogram.clear();
    let shift = first_valid(temperatures, region).unwrap_or(0.0);
    let mut s = Sums {
        shift: shift as f64,
        sum: 0.0,
        squares: 0.0,
        valid: 0,
        nan: 0,
        min: f32::INFINITY,
        min_at: (0, 0),
        max: f32::NEG_INFINITY,
        max_at: (0, 0),
        clipped: 0,
    };
    let mut scratch = Vec::new();
    for &(row, start, end) in &region.spans {
        let row_view = temperatures.row(row);
        let values: &[f32] = match row_view.to_slice() {
            Some(slice) => &slice[start..end],
            None => {
                // Non-contiguous rows (never produced by the readers): copy.
                scratch.clear();
                scratch.extend((start..end).map(|c| temperatures[[row, c]]));
                &scratch
            }
        };
        let span = pass(values, shift, clip, histogram);
        s.sum += span.sum;
        s.squares += span.squares;
        s.valid += span.valid;
        s.nan += values.len() - span.valid;
        s.clipped += span.clipped;
        if span.min < s.min {
            s.min = span.min;
            s.min_at = (row, start + span.min_index);
        }
        if span.max > s.max {
            s.max = span.max;
            s.max_at = (row, start + span.max_index);
        }
    }
    finish(&s, region.pixels(), histogram)
}

/// Sums of one contiguous span.
struct SpanSums {
    sum: f64,
    squares: f64,
    valid: usize,
    clipped: usize,
    min: f32,
    min_index: usize,
    max: f32,
    max_index: usize,
}

/// Width of the accumulator lanes of the sums loop (eight f32 values: one
/// AVX register).
const SUM_LANES: usize = 8;

/// The inner work on one contiguous slice of a row, which stays in the L1
/// cache for both of its loops, so the frame is still read from memory once:
/// a branch-free loop over lanes of eight for the sums, minimum, maximum and
/// clip counts (the compiler vectorises it; NaN contributes nothing), then
/// the histogram loop, which spreads neighbouring pixels over four
/// interleaved copies of the bins so their increments do not wait on each
/// other. The shift is applied in f32 before widening: exact for
/// temperatures within 2^17 °C of it.
#[inline]
fn pass(values: &[f32], shift: f32, clip: ClipLimits, histogram: &mut Histogram) -> SpanSums {
    let (mut s, mut q) = ([0.0f64; SUM_LANES], [0.0f64; SUM_LANES]);
    let (mut valid, mut clipped) = ([0u32; SUM_LANES], [0u32; SUM_LANES]);
    let (mut min, mut max) = ([f32::INFINITY; SUM_LANES], [f32::NEG_INFINITY; SUM_LANES]);
    let chunks = values.chunks_exact(SUM_LANES);
    let remainder = chunks.remainder();
    for chunk in chunks {
        for j in 0..SUM_LANES {
            let v = chunk[j];
            let ok = !v.is_nan();
            let d = if ok { (v - shift) as f64 } else { 0.0 };
            s[j] += d;
            q[j] += d * d;
            valid[j] += u32::from(ok);
            clipped[j] += u32::from(v <= clip.low) + u32::from(v >= clip.high);
            // Comparisons with NaN are false, so NaN never replaces an extreme.
            min[j] = if v < min[j] { v } else { min[j] };
            max[j] = if v > max[j] { v } else { max[j] };
        }
    }
    for (j, &v) in remainder.iter().enumerate() {
        if !v.is_nan() {
            let d = (v - shift) as f64;
            s[j] += d;
            q[j] += d * d;
            valid[j] += 1;
            clipped[j] += u32::from(v <= clip.low) + u32::from(v >= clip.high);
            min[j] = min[j].min(v);
            max[j] = max[j].max(v);
        }
    }
    let min = min.iter().copied().fold(f32::INFINITY, f32::min);
    let max = max.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let valid = valid.iter().map(|&v| v as usize).sum::<usize>();
    count_into(values, histogram);
    if valid > 0 {
        histogram.note_added(valid as u64, Histogram::bin(min), Histogram::bin(max));
    }
    SpanSums {
        sum: s.iter().sum(),
        squares: q.iter().sum(),
        valid,
        clipped: clipped.iter().map(|&c| c as usize).sum(),
        min,
        min_index: values.iter().position(|&v| v == min).unwrap_or(0),
        max,
        max_index: values.iter().position(|&v| v == max).unwrap_or(0),
    }
}

/// Adds the valid values of `values` to the interleaved histogram bins:
/// the bins of a lane-wide chunk are computed together (vectorised), then
/// counted; NaN lands in the discarded bin.
#[inline]
fn count_into(values: &[f32], histogram: &mut Histogram) {
    let counts = histogram.counts_mut();
    let chunks = values.chunks_exact(SUM_LANES);
    let remainder = chunks.remainder();
    for chunk in chunks {
        let mut bins = [0usize; SUM_LANES];
        for (bin, &v) in bins.iter_mut().zip(chunk) {
            *bin = Histogram::bin_or_discard(v);
        }
        for (j, &bin) in bins.iter().enumerate() {
            counts[bin * LANES + j % LANES] += 1;
        }
    }
    for &v in remainder {
        counts[Histogram::bin_or_discard(v) * LANES] += 1;
    }
}

fn first_valid(temperatures: &Array2<f32>, region: &Region) -> Option<f32> {
    region
        .spans
        .iter()
        .flat_map(|&(row, start, end)| (start..end).map(move |c| (row, c)))
        .map(|index| temperatures[index])
        .find(|v| !v.is_nan())
}

fn finish(s: &Sums, pixels: usize, histogram: &Histogram) -> RegionStats {
    let n = s.valid;
    let (sum, squares) = (s.sum, s.squares);
    let some = |v: f64| (n > 0).then_some(v);
    let mean_shifted = sum / n.max(1) as f64;
    let variance = (n > 1).then(|| ((squares - sum * mean_shifted) / (n - 1) as f64).max(0.0));
    let mode = histogram.mode();
    RegionStats {
        pixels,
        valid: n,
        nan: s.nan,
        min_c: some(s.min as f64),
        min_at: (n > 0).then_some(s.min_at),
        max_c: some(s.max as f64),
        max_at: (n > 0).then_some(s.max_at),
        mean_c: some(s.shift + mean_shifted),
        sd_c: variance.map(f64::sqrt),
        median_c: histogram.quantile(0.5),
        p90_c: histogram.quantile(0.9),
        clipped: s.clipped,
        // Only counts carry a calibrated range (the raw-count pass).
        outside_range: 0,
        most_common_count: mode.map_or(0, |m| m.0 as usize),
        most_common_c: mode.map(|m| m.1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The naive reference: two passes over the region's values.
    fn naive(t: &Array2<f32>, region: &Region) -> (usize, f64, f64, f32, f32) {
        let values: Vec<f64> = region
            .spans
            .iter()
            .flat_map(|&(r, a, b)| (a..b).map(move |c| t[[r, c]]))
            .filter(|v| !v.is_nan())
            .map(f64::from)
            .collect();
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let min = values.iter().copied().fold(f64::INFINITY, f64::min) as f32;
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max) as f32;
        (n, mean, variance.sqrt(), min, max)
    }

    #[test]
    fn one_pass_statistics_equal_the_naive_two_pass_ones() {
        let mut t = Array2::from_shape_fn((40, 50), |(r, c)| {
            30.0 + ((r * 7 + c * 13) % 97) as f32 * 0.0731
        });
        t[[3, 4]] = f32::NAN;
        t[[10, 20]] = 45.5;
        t[[11, 21]] = 12.25;
        let region = Region {
            spans: (2..30).map(|r| (r, 3, 41)).collect(),
        };
        let stats = region_stats(
            &t,
            &region,
            ClipLimits::default(),
            &mut Histogram::default(),
        );
        let (n, mean, sd, min, max) = naive(&t, &region);
        assert_eq!(stats.pixels, 28 * 38);
        assert_eq!((stats.valid, stats.nan), (n, 1));
        assert!((stats.mean_c.unwrap() - mean).abs() < 1e-9);
        assert!((stats.sd_c.unwrap() - sd).abs() < 1e-9);
        assert_eq!(stats.min_c, Some(min as f64));
        assert_eq!(stats.max_c, Some(max as f64));
        assert_eq!(stats.max_at, Some((10, 20)));
        assert_eq!(stats.min_at, Some((11, 21)));
    }

    #[test]
    fn percentiles_and_clipping_by_hand() {
        // 10 pixels 30.00 … 30.09 °C; median rank 5 → 30.04, p90 rank 9 → 30.08.
        let t = Array2::from_shape_fn((1, 10), |(_, c)| 30.0 + c as f32 * 0.01 + 0.001);
        let stats = region_stats(
            &t,
            &Region::whole(1, 10),
            ClipLimits {
                low: 30.0,
                high: 30.08,
            },
            &mut Histogram::default(),
        );
        assert!(
            (stats.median_c.unwrap() - 30.045).abs() < 1e-6,
            "{:?}",
            stats.median_c
        );
        assert!(
            (stats.p90_c.unwrap() - 30.085).abs() < 1e-6,
            "{:?}",
            stats.p90_c
        );
        assert_eq!(stats.clipped, 2);
    }

    #[test]
    fn an_all_nan_region_has_no_statistics() {
        let t = Array2::from_elem((2, 2), f32::NAN);
        let stats = region_stats(
            &t,
            &Region::whole(2, 2),
            ClipLimits::default(),
            &mut Histogram::default(),
        );
        assert_eq!((stats.valid, stats.nan), (0, 4));
        assert_eq!(stats.mean_c, None);
        assert_eq!(stats.median_c, None);
    }
}
