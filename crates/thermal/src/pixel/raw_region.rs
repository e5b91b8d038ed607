//! Region statistics computed on a frame's raw sensor counts (docs/science.md
//! §4), for formats that store integers and a raw → °C table (FLIR R-JPEG,
//! SEQ, CSQ, FFF; InfiRay).
//!
//! The pass over the pixels does the least work possible: the smallest and
//! largest count of the region (a vectorised min/max over u16), then one
//! increment per pixel in a histogram with one bin per count between them.
//! Everything else is read from the histogram afterwards, each bin mapped to
//! °C through the exact table:
//! valid and NaN pixels, the mean and standard deviation (accumulated in f64
//! around a shift, weighted by the bin counts), the minimum and maximum, the
//! median and 90th percentile, clip counts and the most common value. The
//! values are exact — no 0.01 °C binning — because a count is the finest
//! value the camera has.
//!
//! Reading quantiles in count order needs the table to be non-decreasing
//! over its valid entries, which the Planck conversion and linear scales are;
//! [`RawToCelsius::is_non_decreasing`] says so, and the caller falls back to
//! the temperature pass when it is not. The positions of the minimum and
//! maximum are found afterwards by looking for the first pixel holding that
//! count. An empty region, or one with no valid pixel, has `None` statistics.

use std::borrow::Cow;

use ndarray::Array2;

use super::described::RegionStats;
use super::region::{ClipLimits, Region};
use crate::radiometry::RawToCelsius;

/// Separate copies of the bins, one per pixel position modulo 4:
/// neighbouring pixels usually hold nearby or equal counts, and four
/// independent arrays let their increments proceed without waiting for each
/// other (measured: 1.6× faster than one array or interleaved copies; see
/// benches/README.md). The copies of a body-temperature scene (a few
/// thousand counts) fit in the L1 cache.
const COPIES: usize = 4;

/// Scratch bins reused from frame to frame.
#[derive(Debug, Clone, Default)]
pub struct RawHistogram {
    copies: [Vec<u32>; COPIES],
}

/// Statistics of `region` of the raw counts `raw`, with °C from `table`.
/// `table` must be non-decreasing over its valid entries.
pub fn raw_region_stats(
    raw: &Array2<u16>,
    region: &Region,
    table: &RawToCelsius,
    clip: ClipLimits,
    histogram: &mut RawHistogram,
) -> RegionStats {
    let (mut low, mut high) = (u16::MAX, u16::MIN);
    // The first span holding the lowest and the highest count, so their
    // positions are looked for there only.
    let (mut low_span, mut high_span) = (0, 0);
    for (i, &(row, start, end)) in region.spans.iter().enumerate() {
        let (l, h) = extremes(&span(raw, row, start, end));
        if l < low {
            (low, low_span) = (l, i);
        }
        if h > high {
            (high, high_span) = (h, i);
        }
    }
    if low > high {
        return summarise(&[], 0, table, clip, raw, region, (0, 0));
    }
    let width = (high - low) as usize + 1;
    for copy in &mut histogram.copies {
        copy.clear();
        copy.resize(width, 0);
    }
    for &(row, start, end) in &region.spans {
        count_into(&span(raw, row, start, end), low, &mut histogram.copies);
    }
    let [first, rest @ ..] = &mut histogram.copies;
    for copy in rest.iter() {
        first.iter_mut().zip(copy).for_each(|(a, b)| *a += b);
    }
    summarise(first, low, table, clip, raw, region, (low_span, high_span))
}

/// Counts `values` (all at least `low`) into the copies, pixel `i` into
/// copy `i mod 4`.
#[inline]
fn count_into(values: &[u16], low: u16, copies: &mut [Vec<u32>; COPIES]) {
    let [a, b, c, d] = copies;
    let chunks = values.chunks_exact(COPIES);
    let remainder = chunks.remainder();
    for chunk in chunks {
        a[(chunk[0] - low) as usize] += 1;
        b[(chunk[1] - low) as usize] += 1;
        c[(chunk[2] - low) as usize] += 1;
        d[(chunk[3] - low) as usize] += 1;
    }
    for &v in remainder {
        a[(v - low) as usize] += 1;
    }
}

/// The counts of one span (copied when the array is not in row-major order,
/// which the decoders never produce).
fn span(raw: &Array2<u16>, row: usize, start: usize, end: usize) -> Cow<'_, [u16]> {
    match raw.row(row).to_slice() {
        Some(slice) => Cow::Borrowed(&slice[start..end]),
        None => Cow::Owned((start..end).map(|c| raw[[row, c]]).collect()),
    }
}

/// The smallest and largest value of a slice, in lanes the compiler vectorises.
#[inline]
fn extremes(values: &[u16]) -> (u16, u16) {
    const LANES: usize = 16;
    let (mut low, mut high) = ([u16::MAX; LANES], [u16::MIN; LANES]);
    let chunks = values.chunks_exact(LANES);
    let remainder = chunks.remainder();
    for chunk in chunks {
        for j in 0..LANES {
            low[j] = low[j].min(chunk[j]);
            high[j] = high[j].max(chunk[j]);
        }
    }
    let mut l = low.iter().copied().min().unwrap_or(u16::MAX);
    let mut h = high.iter().copied().max().unwrap_or(u16::MIN);
    for &v in remainder {
        l = l.min(v);
        h = h.max(v);
    }
    (l, h)
}

/// Sums over the bins, weighted by their counts.
#[derive(Default)]
struct BinSums {
    valid: u64,
    nan: u64,
    sum: f64,
    squares: f64,
    clipped: u64,
    outside: u64,
    lowest: Option<u16>,
    highest: Option<u16>,
    mode: Option<(u32, u16)>,
}

/// Reads the statistics from the bins of counts `first ..`.
fn summarise(
    bins: &[u32],
    first: u16,
    table: &RawToCelsius,
    clip: ClipLimits,
    raw: &Array2<u16>,
    region: &Region,
    extreme_spans: (usize, usize),
) -> RegionStats {
    let shift = bins
        .iter()
        .enumerate()
        .filter(|(_, &c)| c > 0)
        .map(|(i, _)| table.get(first + i as u16))
        .find(|t| !t.is_nan())
        .unwrap_or(0.0) as f64;
    let mut s = BinSums::default();
    for (i, &c) in bins.iter().enumerate().filter(|(_, &c)| c > 0) {
        let count = first + i as u16;
        let t = table.get(count);
        if table.is_outside(count) {
            s.outside += c as u64;
        }
        if t.is_nan() {
            s.nan += c as u64;
            continue;
        }
        let (w, d) = (c as f64, t as f64 - shift);
        s.valid += c as u64;
        s.sum += w * d;
        s.squares += w * d * d;
        if t <= clip.low || t >= clip.high {
            s.clipped += c as u64;
        }
        s.lowest.get_or_insert(count);
        s.highest = Some(count);
        if s.mode.is_none_or(|(best, _)| c > best) {
            s.mode = Some((c, count));
        }
    }
    let n = s.valid as usize;
    let mean_shifted = s.sum / n.max(1) as f64;
    let variance = (n > 1).then(|| ((s.squares - s.sum * mean_shifted) / (n - 1) as f64).max(0.0));
    let celsius = |count: u16| table.get(count) as f64;
    RegionStats {
        pixels: region.pixels(),
        valid: n,
        nan: s.nan as usize,
        min_c: s.lowest.map(celsius),
        min_at: s
            .lowest
            .and_then(|c| position_of(raw, region, c, (c == first).then_some(extreme_spans.0))),
        max_c: s.highest.map(celsius),
        max_at: s.highest.and_then(|c| {
            let highest_count = first as usize + bins.len() - 1;
            let hint = (c as usize == highest_count).then_some(extreme_spans.1);
            position_of(raw, region, c, hint)
        }),
        mean_c: (n > 0).then_some(shift + mean_shifted),
        sd_c: variance.map(f64::sqrt),
        median_c: quantile(bins, first, table, s.valid, 0.5),
        p90_c: quantile(bins, first, table, s.valid, 0.9),
        clipped: s.clipped as usize,
        outside_range: s.outside as usize,
        most_common_count: s.mode.map_or(0, |m| m.0 as usize),
        most_common_c: s.mode.map(|m| celsius(m.1)),
    }
}

/// The value of rank `ceil(q·n)` (at least 1) among the valid pixels, °C.
fn quantile(bins: &[u32], first: u16, table: &RawToCelsius, valid: u64, q: f64) -> Option<f64> {
    if valid == 0 {
        return None;
    }
    let rank = ((q * valid as f64).ceil() as u64).max(1);
    let mut seen = 0u64;
    for (i, &c) in bins.iter().enumerate().filter(|(_, &c)| c > 0) {
        let t = table.get(first + i as u16);
        if t.is_nan() {
            continue;
        }
        seen += c as u64;
        if seen >= rank {
            return Some(t as f64);
        }
    }
    None
}

/// The first pixel of `region` (row by row) holding `count`, looking from
/// span `from` on when the caller knows that no earlier span holds it.
fn position_of(
    raw: &Array2<u16>,
    region: &Region,
    count: u16,
    from: Option<usize>,
) -> Option<(usize, usize)> {
    let spans = region.spans.get(from.unwrap_or(0)..)?;
    spans.iter().find_map(|&(row, start, end)| {
        span(raw, row, start, end)
            .iter()
            .position(|&v| v == count)
            .map(|i| (row, start + i))
    })
}

#[cfg(test)]
mod tests {
    use super::super::histogram::Histogram;
    use super::super::region::region_stats;
    use super::*;

    /// 0.01 K per count (count 31 000 is 36.85 °C); counts below 100 invalid.
    fn table() -> RawToCelsius {
        RawToCelsius::from_fn(|count| {
            if count < 100 {
                f64::NAN
            } else {
                count as f64 * 0.01 - 273.15
            }
        })
    }

    #[test]
    fn raw_statistics_equal_the_temperature_pass_on_the_same_frame() {
        let raw = Array2::from_shape_fn((30, 40), |(r, c)| {
            (31_000 + ((r * 7 + c * 13) % 97) * 3) as u16
        });
        let mut raw = raw;
        raw[[2, 3]] = 50; // invalid: NaN
        raw[[5, 6]] = 32_000;
        let table = table();
        let temperatures = raw.mapv(|v| table.get(v));
        let region = Region {
            spans: (1..25).map(|r| (r, 2, 35)).collect(),
        };
        let exact = raw_region_stats(
            &raw,
            &region,
            &table,
            ClipLimits::default(),
            &mut RawHistogram::default(),
        );
        let float = region_stats(
            &temperatures,
            &region,
            ClipLimits::default(),
            &mut Histogram::default(),
        );
        assert_eq!(
            (exact.pixels, exact.valid, exact.nan),
            (float.pixels, float.valid, float.nan)
        );
        assert_eq!(exact.nan, 1);
        assert!((exact.mean_c.unwrap() - float.mean_c.unwrap()).abs() < 1e-9);
        assert!((exact.sd_c.unwrap() - float.sd_c.unwrap()).abs() < 1e-9);
        assert_eq!((exact.min_c, exact.max_c), (float.min_c, float.max_c));
        assert_eq!((exact.min_at, exact.max_at), (float.min_at, float.max_at));
        assert_eq!(exact.max_at, Some((5, 6)));
        // The float pass reports 0.01 °C bin centres; the raw pass exact values.
        assert!((exact.median_c.unwrap() - float.median_c.unwrap()).abs() <= 0.005 + 1e-6);
        assert!((exact.p90_c.unwrap() - float.p90_c.unwrap()).abs() <= 0.005 + 1e-6);
    }

    #[test]
    fn quantiles_mode_and_clipping_by_hand() {
        // Counts 31 000, 31 010, 31 010, 31 020, 31 300 → 36.85, 36.95,
        // 36.95, 37.05, 39.85 °C. Median rank 3 → 36.95; p90 rank 5 → 39.85.
        let raw =
            Array2::from_shape_vec((1, 5), vec![31_000, 31_010, 31_010, 31_020, 31_300]).unwrap();
        let table = table();
        let stats = raw_region_stats(
            &raw,
            &Region::whole(1, 5),
            &table,
            ClipLimits {
                low: f32::NEG_INFINITY,
                high: 39.0,
            },
            &mut RawHistogram::default(),
        );
        let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-4;
        assert!(close(stats.median_c, 36.95), "{:?}", stats.median_c);
        assert!(close(stats.p90_c, 39.85), "{:?}", stats.p90_c);
        assert!(close(stats.most_common_c, 36.95));
        assert_eq!(stats.most_common_count, 2);
        assert_eq!(stats.clipped, 1);
        assert_eq!(stats.min_at, Some((0, 0)));
        assert_eq!(stats.max_at, Some((0, 4)));
    }

    #[test]
    fn reused_scratch_and_wide_ranges_give_the_same_counts() {
        let mut histogram = RawHistogram::default();
        let clip = ClipLimits::default();
        let table = table();
        let narrow = Array2::from_elem((4, 4), 31_000u16);
        let first = raw_region_stats(&narrow, &Region::whole(4, 4), &table, clip, &mut histogram);
        let wide = Array2::from_shape_vec((1, 3), vec![200u16, 31_000, 60_000]).unwrap();
        let second = raw_region_stats(&wide, &Region::whole(1, 3), &table, clip, &mut histogram);
        let again = raw_region_stats(&narrow, &Region::whole(4, 4), &table, clip, &mut histogram);
        assert_eq!(first, again);
        assert_eq!((first.valid, first.most_common_count), (16, 16));
        assert_eq!(second.valid, 3);
        assert!((second.median_c.unwrap() - 36.85).abs() < 1e-4);
        let empty = raw_region_stats(&narrow, &Region::default(), &table, clip, &mut histogram);
        assert_eq!((empty.valid, empty.mean_c, empty.median_c), (0, None, None));
    }
}
