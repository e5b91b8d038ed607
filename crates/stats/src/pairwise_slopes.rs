//! The set of pairwise slopes `S_ij = (y_j − y_i)/(x_j − x_i)` of n points,
//! without writing down its n(n − 1)/2 members: how many are at most a value
//! `t`, which ones lie between two values, and the r-th smallest — each in
//! O(n log n), as fast Theil–Sen estimators do.
//!
//! The counting rests on one identity: for two points with `x_a < x_b`,
//! `S_ab ≤ t` exactly when `z_b ≤ z_a` with `z = y − t·x`. So the slopes at
//! most `t` are the pairs whose order by `x` is reversed in the order by `z`:
//! inversions, counted by a merge sort. Between two values `lo < hi`, the
//! slopes in `(lo, hi]` are the pairs whose order differs between the `z`
//! orders at `lo` and at `hi`, listed by the same merge. Pairs with equal `x`
//! have no finite slope and never invert (within one `x`, both orders follow
//! `y`, ties by index).
//!
//! Selection ([`SlopeSet::select`]): a seeded sample of pairs brackets the
//! wanted rank, the bracket is narrowed by bisection on the value until it
//! holds few slopes, and those are listed, computed exactly as
//! `(y_b − y_a)/(x_b − x_a)`, sorted and read. Where many pairs share one
//! slope value (readings on a grid), bisection stops at a bracket narrower
//! than 1e-12 of the value and any slope in it is the answer.
//!
//! Exactness: a slope that equals a bracket's end up to rounding (tied
//! slopes of gridded readings) may be counted on either side of it, so a
//! selected slope equals the naive method's to within about 1e-13 of its
//! value, not always to the last bit.

use std::cell::{OnceCell, RefCell};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Slopes listed at once at the end of a selection; beyond this the bracket
/// is narrowed further.
const LIST_LIMIT_MIN: u64 = 200_000;

/// Slopes looked at for a value many pairs share when a bracket does not
/// narrow as a smooth distribution would.
const TIE_PROBE: usize = 4096;

/// Relative width of a bracket below which its slopes count as one value.
const TIE_WIDTH: f64 = 1e-12;

/// Most pairs sampled to bracket a rank (fewer for few points: four per
/// point, at least [`SAMPLE_PAIRS_MIN`]).
const SAMPLE_PAIRS: usize = 1 << 20;

/// Fewest pairs sampled to bracket a rank.
const SAMPLE_PAIRS_MIN: usize = 20_000;

/// Seed of the sample: the result does not depend on it, only the time.
const SAMPLE_SEED: u64 = 0x5eed_0f51_0be5;

/// Bisection steps after which a selection stops narrowing.
const MAX_BISECTIONS: usize = 200;

/// The points, in order of `x` (then `y`, then input order).
pub struct SlopeSet {
    x: Vec<f64>,
    y: Vec<f64>,
    /// The points in the order that breaks ties of `z` (see [`z_order`]):
    /// larger `x` first, then input order.
    tie_order: Vec<usize>,
    /// Pairs with different `x`: the finite slopes.
    finite: u64,
    /// Pairs with equal `x` and different `y`: the infinite slopes.
    infinite: u64,
    /// The slopes listed by the last selection.
    listed: RefCell<Listed>,
    /// The sorted sample that brackets a rank, drawn once.
    sample: OnceCell<Vec<f64>>,
    /// Most slopes a selection lists at its end: [`LIST_LIMIT_MIN`] or
    /// twice the points.
    list_limit: u64,
}

/// What the last selections found: every slope of a bracket, sorted, and
/// how many slopes lie below it; and the last value many slopes share.
#[derive(Default)]
struct Listed {
    below: u64,
    slopes: Vec<f64>,
    tied: Option<Tied>,
}

/// A slope value shared by the ranks `below + 1 ..= through`.
#[derive(Debug, Clone, Copy)]
struct Tied {
    below: u64,
    through: u64,
    value: f64,
}

impl Listed {
    /// The `rank`-th slope, if it lies in this bracket or in the tie.
    fn read(&self, rank: u64) -> Option<f64> {
        if let Some(tied) = self.tied {
            if tied.below < rank && rank <= tied.through {
                return Some(tied.value);
            }
        }
        let index = rank.checked_sub(self.below + 1)?;
        self.slopes.get(index as usize).copied()
    }
}

impl SlopeSet {
    /// The slope set of points `(x_i, y_i)` (finite values).
    pub fn new(x: &[f64], y: &[f64]) -> Self {
        let mut order: Vec<usize> = (0..x.len().min(y.len())).collect();
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b])));
        let xs: Vec<f64> = order.iter().map(|&i| x[i]).collect();
        let ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();
        let n = xs.len() as u64;
        let (mut same_x, mut same_point) = (0u64, 0u64);
        let mut groups = Vec::new();
        let mut start = 0;
        while start < xs.len() {
            let end = start + xs[start..].iter().take_while(|&&v| v == xs[start]).count();
            groups.push(start..end);
            let group = (end - start) as u64;
            same_x += group * (group - 1) / 2;
            let mut i = start;
            while i < end {
                let run = ys[i..end].iter().take_while(|&&v| v == ys[i]).count() as u64;
                same_point += run * (run - 1) / 2;
                i += run as usize;
            }
            start = end;
        }
        SlopeSet {
            x: xs,
            y: ys,
            tie_order: groups.into_iter().rev().flatten().collect(),
            finite: n * n.saturating_sub(1) / 2 - same_x,
            infinite: same_x - same_point,
            listed: RefCell::default(),
            sample: OnceCell::new(),
            list_limit: LIST_LIMIT_MIN.max(2 * n),
        }
    }

    /// The same set listing at most `limit` slopes at the end of a
    /// selection: small sets then take the paths of large ones.
    #[cfg(test)]
    fn with_list_limit(mut self, limit: u64) -> Self {
        self.list_limit = limit;
        self
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Number of finite slopes (pairs with different `x`).
    pub fn finite(&self) -> u64 {
        self.finite
    }

    /// Number of infinite slopes (pairs with equal `x` and different `y`).
    pub fn infinite(&self) -> u64 {
        self.infinite
    }

    /// The slope of points `a` and `b` (in `x` order), computed exactly as
    /// the naive method does.
    fn slope(&self, a: usize, b: usize) -> f64 {
        let (a, b) = if self.x[a] <= self.x[b] {
            (a, b)
        } else {
            (b, a)
        };
        (self.y[b] - self.y[a]) / (self.x[b] - self.x[a])
    }

    /// The points in order of `z = y − t·x` (see [`z_order`]).
    fn z_order(&self, t: f64) -> Vec<usize> {
        z_order(&self.x, &self.y, &self.tie_order, t)
    }

    /// Number of finite slopes at most `t`.
    pub fn count_at_most(&self, t: f64) -> u64 {
        count_inversions(&mut self.z_order(t))
    }

    /// [`SlopeSet::count_at_most`] of two values, counted side by side on
    /// two threads (each count is a sort of all the points).
    fn count_at_most_both(&self, first: f64, second: f64) -> (u64, u64) {
        let (x, y, ties) = (&self.x[..], &self.y[..], &self.tie_order[..]);
        let count = move |t| count_inversions(&mut z_order(x, y, ties, t));
        std::thread::scope(|scope| {
            let other = scope.spawn(move || count(second));
            let mine = count(first);
            (mine, other.join().unwrap_or_else(|_| count(second)))
        })
    }

    /// Up to `limit` slopes in `(lo, hi]`, computed exactly.
    pub fn slopes_between(&self, lo: f64, hi: f64, limit: usize) -> Vec<f64> {
        let mut slopes = Vec::new();
        self.visit_slopes_between(lo, hi, limit, |slope| slopes.push(slope));
        slopes
    }

    /// Calls `visit` with up to `limit` slopes in `(lo, hi]`, computed
    /// exactly, in no particular order, without holding them.
    pub fn visit_slopes_between(&self, lo: f64, hi: f64, limit: usize, mut visit: impl FnMut(f64)) {
        let (x, y, ties) = (&self.x[..], &self.y[..], &self.tie_order[..]);
        let order = move |t| z_order(x, y, ties, t);
        let (lo_order, hi_order) = std::thread::scope(|scope| {
            let hi_order = scope.spawn(move || order(hi));
            let lo_order = order(lo);
            (lo_order, hi_order.join().unwrap_or_else(|_| order(hi)))
        });
        let mut position_at_hi = vec![0usize; self.len()];
        for (position, &point) in hi_order.iter().enumerate() {
            position_at_hi[point] = position;
        }
        let mut sequence: Vec<usize> = lo_order.iter().map(|&p| position_at_hi[p]).collect();
        let point_at_hi: Vec<usize> = {
            let mut inverse = vec![0usize; self.len()];
            for (point, &position) in position_at_hi.iter().enumerate() {
                inverse[position] = point;
            }
            inverse
        };
        list_inversions(&mut sequence, limit, |a, b| {
            visit(self.slope(point_at_hi[a], point_at_hi[b]));
        });
    }

    /// The `rank`-th smallest finite slope (1-based); `None` when `rank` is
    /// 0 or beyond the finite slopes. The slopes listed at the end are kept,
    /// so a neighbouring rank (the two middle slopes of an even count) is
    /// read from them.
    pub fn select(&self, rank: u64) -> Option<f64> {
        if rank == 0 || rank > self.finite {
            return None;
        }
        if let Some(slope) = self.listed.borrow().read(rank) {
            return Some(slope);
        }
        let (mut lo, mut hi, typical, sample_is_tied) = self.bracket(rank);
        if sample_is_tied {
            if let Some(tied) = self.tied_value(rank, typical) {
                self.listed.borrow_mut().tied = Some(tied);
                return Some(tied.value);
            }
        }
        let (mut below, mut through) = self.count_at_most_both(lo, hi);
        if !(below < rank && rank <= through) {
            (lo, hi) = self.value_range();
            (below, through) = (0, self.finite);
        }
        let limit = self.list_limit;
        for _ in 0..MAX_BISECTIONS {
            if through - below <= limit || hi - lo <= TIE_WIDTH * hi.abs().max(1.0) {
                break;
            }
            let before = through - below;
            // Where the slopes' distribution is smooth over the bracket, two
            // cuts interpolated at ranks `rank ± limit/4` leave a bracket of
            // about limit/2 slopes; where it is not, halving guarantees progress.
            let span = before as f64;
            let window = limit as f64 / 4.0;
            let interpolate = |r: f64| lo + (hi - lo) * ((r - below as f64) / span).clamp(0.0, 1.0);
            let cuts = [
                interpolate(rank as f64 - window),
                interpolate(rank as f64 + window),
            ];
            let counts = self.count_at_most_both(cuts[0], cuts[1]);
            for (cut, at_most) in [(cuts[0], counts.0), (cuts[1], counts.1)] {
                if cut > lo && cut < hi {
                    if at_most >= rank {
                        (hi, through) = (cut, at_most);
                    } else {
                        (lo, below) = (cut, at_most);
                    }
                }
            }
            if 2 * (through - below) > before && through - below > limit {
                // The distribution jumps inside the bracket: readings to a
                // fixed number of decimals give rational slopes, many pairs
                // sharing one value. If the rank falls on such a value, take it.
                if let Some(tied) = self
                    .repeated_slope_near(rank, lo, hi)
                    .and_then(|value| self.tied_value(rank, value))
                {
                    self.listed.borrow_mut().tied = Some(tied);
                    return Some(tied.value);
                }
                let middle = lo + (hi - lo) / 2.0;
                let at_most = self.count_at_most(middle);
                if at_most >= rank {
                    (hi, through) = (middle, at_most);
                } else {
                    (lo, below) = (middle, at_most);
                }
            }
        }
        let mut slopes = self.slopes_between(lo, hi, limit as usize);
        slopes.sort_unstable_by(f64::total_cmp);
        let complete = slopes.len() as u64 == through - below;
        let index = ((rank - below - 1) as usize).min(slopes.len().saturating_sub(1));
        let slope = slopes.get(index).copied().unwrap_or(hi);
        if complete {
            let mut listed = self.listed.borrow_mut();
            (listed.below, listed.slopes) = (below, slopes);
        }
        Some(slope)
    }

    /// A slope value in `(lo, hi]` that several pairs share, likely to be
    /// the `rank`-th: among the values repeated in the sample, the one whose
    /// place in the sample is nearest the rank's; failing that, the value
    /// most repeated among the first [`TIE_PROBE`] slopes found there.
    fn repeated_slope_near(&self, rank: u64, lo: f64, hi: f64) -> Option<f64> {
        let sample = self.sample.get_or_init(|| self.draw_sample());
        let wanted = rank as f64 / self.finite as f64 * sample.len() as f64;
        let first = sample.partition_point(|&v| v <= lo);
        let last = sample.partition_point(|&v| v <= hi);
        let from_sample = sample[first..last]
            .chunk_by(|a, b| a == b)
            .scan(first, |place, run| {
                let start = *place;
                *place += run.len();
                Some((start, run))
            })
            .filter(|(_, run)| run.len() > 1)
            .min_by(|(a, run_a), (b, run_b)| {
                let distance = |start: usize, len: usize| {
                    (wanted - start as f64)
                        .max(start as f64 + len as f64 - wanted)
                        .max(0.0)
                };
                distance(*a, run_a.len()).total_cmp(&distance(*b, run_b.len()))
            })
            .map(|(_, run)| run[0]);
        from_sample.or_else(|| {
            let mut found = self.slopes_between(lo, hi, TIE_PROBE);
            found.sort_unstable_by(f64::total_cmp);
            found
                .chunk_by(|a, b| a == b)
                .filter(|run| run.len() > 1)
                .max_by_key(|run| run.len())
                .map(|run| run[0])
        })
    }

    /// `value` when the `rank`-th slope is it (up to rounding): many pairs
    /// share one slope where readings lie on a grid, and two counts settle
    /// it without narrowing a bracket that cannot narrow.
    fn tied_value(&self, rank: u64, value: f64) -> Option<Tied> {
        let width = TIE_WIDTH * value.abs().max(1.0);
        let (below, through) = self.count_at_most_both(value - width, value + width);
        (below < rank && rank <= through && through - below > 1).then_some(Tied {
            below,
            through,
            value,
        })
    }

    /// A bracket `[lo, hi]` likely to hold the `rank`-th slope, from a seeded
    /// sample of pairs: the sample's quantile ± 5 standard deviations; the
    /// sample's quantile itself; and whether its neighbours in the sample
    /// equal it (a tied slope value).
    fn bracket(&self, rank: u64) -> (f64, f64, f64, bool) {
        let sample = self.sample.get_or_init(|| self.draw_sample());
        if sample.is_empty() {
            let (lo, hi) = self.value_range();
            return (lo, hi, (lo + hi) / 2.0, false);
        }
        let m = sample.len() as f64;
        let q = rank as f64 / self.finite as f64;
        let spread = 5.0 * (m * q * (1.0 - q)).sqrt() + 2.0;
        let at = |position: f64| sample[(position.max(0.0) as usize).min(sample.len() - 1)];
        let lo = if q * m - spread <= 0.0 {
            self.value_range().0
        } else {
            at(q * m - spread)
        };
        let hi = if q * m + spread >= m {
            self.value_range().1
        } else {
            at(q * m + spread)
        };
        let typical = at(q * m);
        let tied = at(q * m - 1.0) == typical && at(q * m + 1.0) == typical;
        (lo, hi, typical, tied)
    }

    /// The seeded sample of slopes [`SlopeSet::bracket`] reads, sorted.
    fn draw_sample(&self) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(SAMPLE_SEED);
        let n = self.len();
        let wanted = (4 * n).clamp(SAMPLE_PAIRS_MIN, SAMPLE_PAIRS);
        let mut sample = Vec::with_capacity(wanted);
        let mut tries = 0;
        while sample.len() < wanted && tries < 4 * wanted {
            tries += 1;
            let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
            if self.x[a] != self.x[b] {
                sample.push(self.slope(a, b));
            }
        }
        sample.sort_unstable_by(f64::total_cmp);
        sample
    }

    /// Values below every finite slope and at or above all of them.
    fn value_range(&self) -> (f64, f64) {
        let gaps = self.x.windows(2).map(|w| w[1] - w[0]).filter(|&d| d > 0.0);
        let smallest_gap = gaps.fold(f64::INFINITY, f64::min);
        let low_y = self.y.iter().copied().fold(f64::INFINITY, f64::min);
        let high_y = self.y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let bound = (high_y - low_y) / smallest_gap + 1.0;
        (-bound * 1.001 - 1.0, bound * 1.001 + 1.0)
    }
}

/// The points (in `x` order) in order of `z = y − t·x`, ties in
/// `tie_order` (larger `x` first, then input order), so that `S_ab = t`
/// counts as at most `t`.
fn z_order(x: &[f64], y: &[f64], tie_order: &[usize], t: f64) -> Vec<usize> {
    // One integer key per point, sorted in place (not indices into keys:
    // far fewer cache misses): `z` as bits that order like the float
    // (`ordered_bits`) above the point's place in `tie_order`.
    let mut keys: Vec<u128> = tie_order
        .iter()
        .enumerate()
        .map(|(place, &i)| u128::from(ordered_bits(y[i] - t * x[i])) << 64 | place as u128)
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|key| tie_order[key as u64 as usize])
        .collect()
}

/// An integer that orders as `value` does under `f64::total_cmp`.
fn ordered_bits(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// Number of pairs `i < j` with `values[i] > values[j]` (the values are a
/// permutation); sorts `values`.
fn count_inversions(values: &mut [usize]) -> u64 {
    let mut scratch = values.to_vec();
    let mut count = 0u64;
    merge_sort(values, &mut scratch, |left, _| count += left.len() as u64);
    count
}

/// Calls `pair(a, b)` for up to `limit` inversions `a > b` (values, `a`
/// before `b`) of `values` (a permutation); sorts `values`.
fn list_inversions(values: &mut [usize], limit: usize, mut pair: impl FnMut(usize, usize)) {
    let mut scratch = values.to_vec();
    let mut listed = 0usize;
    merge_sort(values, &mut scratch, |left, right_value| {
        for &a in left {
            if listed >= limit {
                return;
            }
            pair(a, right_value);
            listed += 1;
        }
    });
}

/// Runs sorted by insertion before [`merge_sort`] merges them: short enough
/// that shifting is cheaper than merging.
const INSERTION_RUN: usize = 16;

/// Bottom-up merge sort of a permutation; for every element that moves
/// ahead of larger ones, `inverted(larger, value)` gets those it jumps over
/// (the inversions it takes part in as the later element). Runs of
/// [`INSERTION_RUN`] are sorted by insertion, then merged pairwise, each
/// pass from one buffer into the other.
fn merge_sort(
    values: &mut [usize],
    scratch: &mut [usize],
    mut inverted: impl FnMut(&[usize], usize),
) {
    let n = values.len();
    for run in values.chunks_mut(INSERTION_RUN) {
        for i in 1..run.len() {
            let value = run[i];
            let at = run[..i].partition_point(|&v| v < value);
            if at < i {
                inverted(&run[at..i], value);
                run.copy_within(at..i, at + 1);
                run[at] = value;
            }
        }
    }
    let mut width = INSERTION_RUN;
    let mut sorted_in_values = true;
    while width < n {
        let (from, into): (&[usize], &mut [usize]) = if sorted_in_values {
            (values, scratch)
        } else {
            (scratch, values)
        };
        let mut start = 0;
        while start < n {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, middle, start);
            // Written without a branch on the comparison (it is random: a
            // mispredicted jump per element would cost more than the merge).
            while i < middle && j < end {
                let (left, right) = (from[i], from[j]);
                let take_right = right < left;
                if take_right {
                    inverted(&from[i..middle], right);
                }
                into[k] = if take_right { right } else { left };
                i += usize::from(!take_right);
                j += usize::from(take_right);
                k += 1;
            }
            into[k..k + middle - i].copy_from_slice(&from[i..middle]);
            k += middle - i;
            into[k..k + end - j].copy_from_slice(&from[j..end]);
            start = end;
        }
        sorted_in_values = !sorted_in_values;
        width *= 2;
    }
    if !sorted_in_values {
        values.copy_from_slice(scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every finite slope, sorted: the naive reference.
    fn naive(x: &[f64], y: &[f64]) -> Vec<f64> {
        let mut slopes = Vec::new();
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                if x[i] != x[j] {
                    let (a, b) = if x[i] < x[j] { (i, j) } else { (j, i) };
                    slopes.push((y[b] - y[a]) / (x[b] - x[a]));
                }
            }
        }
        slopes.sort_by(f64::total_cmp);
        slopes
    }

    /// Readings on a blackbody grid (x in 0.25 °C steps, y to 0.1 °C): many
    /// equal x and many equal slopes.
    fn grid(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x: Vec<f64> = (0..n)
            .map(|_| 35.0 + 0.25 * rng.gen_range(0..21) as f64)
            .collect();
        let y = x
            .iter()
            .map(|v| ((37.0 + 0.3 * (v - 37.0) + rng.gen_range(-0.3..0.3)) * 10.0).round() / 10.0)
            .collect();
        (x, y)
    }

    #[test]
    fn selections_among_rational_slopes_of_readings_to_a_hundredth() {
        // Readings to 0.01 °C over a narrow range: the slopes are ratios of
        // small integers, many pairs share each, and the distribution of
        // slopes jumps where a bracket would otherwise be bisected.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let x: Vec<f64> = (0..2500)
            .map(|_| (rng.gen_range(36.0..38.0) * 100.0_f64).round() / 100.0)
            .collect();
        let y: Vec<f64> = x
            .iter()
            .map(|v| ((0.9 * v + 3.7 + rng.gen_range(-0.2..0.2)) * 100.0_f64).round() / 100.0)
            .collect();
        let all = naive(&x, &y);
        let set = SlopeSet::new(&x, &y).with_list_limit(2_000);
        let half = all.len() as u64 / 2;
        for rank in [
            half,
            half + 1,
            all.len() as u64 / 10,
            9 * all.len() as u64 / 10,
        ] {
            let got = set.select(rank).unwrap();
            let want = all[rank as usize - 1];
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "rank {rank}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn counts_and_selections_equal_the_naive_slopes() {
        for seed in 0..4 {
            let (x, y) = grid(150 + 40 * seed as usize, seed);
            let all = naive(&x, &y);
            let set = SlopeSet::new(&x, &y);
            assert_eq!(set.finite(), all.len() as u64);
            // Off the grid's exact slopes: at a tied value, the z-order and
            // the computed slopes may round a slope to either side.
            for t in [-1.0 + 1e-9, 1e-9, 0.3 + 1e-9, 0.31, 2.0] {
                let expected = all.iter().filter(|&&s| s <= t).count() as u64;
                assert_eq!(set.count_at_most(t), expected, "seed {seed} t {t}");
            }
            for rank in [
                1,
                2,
                all.len() as u64 / 3,
                all.len() as u64 / 2,
                all.len() as u64,
            ] {
                let got = set.select(rank).unwrap();
                let want = all[rank as usize - 1];
                assert!(
                    (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                    "seed {seed} rank {rank}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn slopes_between_two_values_are_listed_exactly() {
        let (x, y) = grid(120, 9);
        let all = naive(&x, &y);
        let set = SlopeSet::new(&x, &y);
        let (lo, hi) = (0.1 + 1e-9, 0.5 + 1e-9);
        let mut listed = set.slopes_between(lo, hi, usize::MAX);
        listed.sort_by(f64::total_cmp);
        let expected: Vec<f64> = all.iter().copied().filter(|&s| s > lo && s <= hi).collect();
        assert_eq!(listed, expected);
        assert_eq!(set.slopes_between(lo, hi, 3).len(), 3);
    }

    #[test]
    fn equal_x_pairs_are_counted_apart() {
        // Points (1, 1), (1, 2), (1, 2), (2, 5): pairs with x equal: 3, of
        // which one has equal y (0/0): 2 infinite slopes; 3 finite ones.
        let set = SlopeSet::new(&[1.0, 1.0, 1.0, 2.0], &[1.0, 2.0, 2.0, 5.0]);
        assert_eq!((set.finite(), set.infinite()), (3, 2));
        assert_eq!(set.select(1), Some(3.0));
        assert_eq!(set.select(3), Some(4.0));
        assert_eq!(set.select(4), None);
    }
}
