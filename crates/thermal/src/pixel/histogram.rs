//! A histogram of temperatures in 0.01 °C bins over −80 to 320 °C (every
//! temperature a radiometric camera reports), for medians and percentiles in
//! one pass. Values outside the range fall into the end bins.

/// Lowest temperature binned, °C.
pub const LOW_C: f32 = -80.0;
/// Bins per °C: 0.01 °C resolution (docs/science.md §4).
pub const BINS_PER_DEGREE: f32 = 100.0;
/// Number of bins: −80 … 320 °C.
pub const BINS: usize = 40_000;
/// Interleaved copies of the bins: neighbouring pixels usually fall into the
/// same bin, and four copies let four increments proceed at once instead of
/// each waiting for the previous one to reach memory. Merged when read.
pub const LANES: usize = 4;

/// Counts per 0.01 °C bin.
#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Vec<u32>,
    total: u64,
    /// Lowest and highest bin touched since the last clear.
    touched: (usize, usize),
}

impl Default for Histogram {
    fn default() -> Self {
        // One more bin per lane: where NaN is counted by loops that do not
        // branch on it; never read.
        Histogram {
            counts: vec![0; (BINS + 1) * LANES],
            total: 0,
            touched: (BINS, 0),
        }
    }
}

impl Histogram {
    /// The bin of a (non-NaN) temperature.
    #[inline]
    pub fn bin(value: f32) -> usize {
        let position = (value - LOW_C) * BINS_PER_DEGREE;
        // `as i32` saturates (and is one instruction on x86, unlike `as
        // usize`); the clamp keeps out-of-range values in the end bins.
        (position as i32).clamp(0, BINS as i32 - 1) as usize
    }

    /// The bin of any value: NaN goes to the unread bin past the last one,
    /// without a branch.
    #[inline]
    pub fn bin_or_discard(value: f32) -> usize {
        if value.is_nan() {
            BINS
        } else {
            Histogram::bin(value)
        }
    }

    /// Counts one value in `bin`.
    #[inline]
    pub fn add_bin(&mut self, bin: usize) {
        self.counts[bin * LANES] += 1;
        self.note_added(1, bin, bin);
    }

    /// The bins, `LANES` interleaved copies (bin `b` of lane `l` at
    /// `b·LANES + l`), for a loop that counts many values itself and then
    /// calls [`Histogram::note_added`].
    #[inline]
    pub fn counts_mut(&mut self) -> &mut [u32] {
        &mut self.counts
    }

    /// The count of `bin` over all lanes.
    fn count(&self, bin: usize) -> u64 {
        self.counts[bin * LANES..(bin + 1) * LANES]
            .iter()
            .map(|&c| c as u64)
            .sum()
    }

    /// Records that `count` values between bins `low` and `high` were added
    /// through [`Histogram::counts_mut`].
    #[inline]
    pub fn note_added(&mut self, count: u64, low: usize, high: usize) {
        self.total += count;
        self.touched = (self.touched.0.min(low), self.touched.1.max(high));
    }

    /// Number of values counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Empties the histogram for reuse (only the bins touched are cleared).
    pub fn clear(&mut self) {
        if self.touched.0 <= self.touched.1 {
            self.counts[self.touched.0 * LANES..(self.touched.1 + 1) * LANES]
                .iter_mut()
                .for_each(|c| *c = 0);
        }
        self.total = 0;
        self.touched = (BINS, 0);
    }

    /// The centre of the bin holding the `q` quantile (0–1), °C; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for bin in self.touched.0..=self.touched.1.min(BINS - 1) {
            seen += self.count(bin);
            if seen >= rank {
                return Some(centre(bin));
            }
        }
        Some(centre(self.touched.1.min(BINS - 1)))
    }

    /// The tallest bin: its count and centre, °C.
    pub fn mode(&self) -> Option<(u32, f64)> {
        if self.total == 0 {
            return None;
        }
        let (bin, count) = (self.touched.0..=self.touched.1)
            .map(|b| (b, self.count(b)))
            .max_by_key(|&(b, c)| (c, std::cmp::Reverse(b)))?;
        Some((count as u32, centre(bin)))
    }
}

/// Centre of a bin, °C.
fn centre(bin: usize) -> f64 {
    LOW_C as f64 + (bin as f64 + 0.5) / BINS_PER_DEGREE as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_mode_by_hand() {
        let mut h = Histogram::default();
        for v in [36.004f32, 36.5, 36.5, 37.0, 40.0] {
            h.add_bin(Histogram::bin(v));
        }
        // Sorted: 36.00, 36.50, 36.50, 37.00, 40.00 (bins of 0.01 °C).
        assert!((h.quantile(0.5).unwrap() - 36.505).abs() < 1e-9);
        assert!((h.quantile(0.9).unwrap() - 40.005).abs() < 1e-9);
        assert!((h.quantile(0.0).unwrap() - 36.005).abs() < 1e-9);
        assert_eq!(h.mode().map(|m| m.0), Some(2));
        assert_eq!(Histogram::bin(-1000.0), 0);
        assert_eq!(Histogram::bin(1e9), BINS - 1);
    }
}
