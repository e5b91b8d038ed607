//! The distribution of one camera's readings, read from its histogram of
//! hundredths. A display shows 0.1 °C or 0.1 °F, so the readings sit on a
//! few values; each value is taken to stand for the interval halfway to
//! its neighbours, spread evenly — at most one display step either side
//! (and at least [`HALF_STEP_MAX_C`]), so a gap in the readings is not
//! smeared over. The display step is read from the readings themselves:
//! the commonest gap between neighbouring values. Quantiles and the mass
//! beyond a point are then the same whether the display rounds to 0.1 °C,
//! 0.1 °F, 0.5 °C, 1 °F or 0.01 °C, instead of jumping by a display step.

use crate::state::{CameraState, BINS, HUNDREDTHS};

/// Widest half-interval a displayed value stands for on a display of
/// 0.1 °C or finer, °C: half of a gap of 0.2 °C. A wider gap is a gap in
/// the readings, not a display step. A coarser display's values stand for
/// up to one step either side.
pub const HALF_STEP_MAX_C: f64 = 0.1;

/// One displayed value, the interval it stands for and its count.
#[derive(Debug, Clone, Copy)]
struct Value {
    low: f64,
    high: f64,
    count: f64,
}

/// The in-range readings of one camera.
#[derive(Debug, Clone)]
pub struct ReadingDistribution {
    values: Vec<Value>,
    total: f64,
    mean: f64,
    sd: f64,
    step: f64,
}

impl ReadingDistribution {
    /// The distribution of `state`'s readings in range; `None` without any.
    pub fn of(state: &CameraState) -> Option<Self> {
        let occupied: Vec<(f64, u64)> = (0..BINS)
            .filter(|&b| state.histogram[b] > 0)
            .map(|b| (CameraState::bin_c(b), state.histogram[b]))
            .collect();
        if occupied.is_empty() {
            return None;
        }
        let step = display_step(&occupied);
        let widest = HALF_STEP_MAX_C.max(step);
        let half_gap = |a: f64, b: f64| ((b - a) / 2.0).min(widest);
        let mut values = Vec::with_capacity(occupied.len());
        for (i, &(t, count)) in occupied.iter().enumerate() {
            let below = i.checked_sub(1).map(|j| half_gap(occupied[j].0, t));
            let above = occupied.get(i + 1).map(|&(next, _)| half_gap(t, next));
            // The first and last values mirror their one neighbour; a lone
            // value stands for its hundredth.
            let lone = 0.5 / HUNDREDTHS;
            let (below, above) = match (below, above) {
                (Some(b), Some(a)) => (b, a),
                (Some(b), None) => (b, b),
                (None, Some(a)) => (a, a),
                (None, None) => (lone, lone),
            };
            values.push(Value {
                low: t - below,
                high: t + above,
                count: count as f64,
            });
        }
        // Moments of the values themselves, from exact integer sums.
        let (mut n, mut sum, mut square_sum) = (0u128, 0i128, 0i128);
        for b in 0..BINS {
            let count = u128::from(state.histogram[b]);
            let h = i128::from(crate::state::hundredths(CameraState::bin_c(b)));
            n += count;
            sum += count as i128 * h;
            square_sum += count as i128 * h * h;
        }
        let total = n as f64;
        let mean = sum as f64 / total / HUNDREDTHS;
        let centred = (n as i128 * square_sum - sum * sum) as f64;
        let sd = if n > 1 {
            (centred / (total * (total - 1.0))).sqrt() / HUNDREDTHS
        } else {
            0.0
        };
        Some(ReadingDistribution {
            values,
            total,
            mean,
            sd,
            step,
        })
    }

    /// The display step the readings show, °C: 0.1 for a display of tenths,
    /// 0.05–0.06 for tenths of °F, 0.5 or 0.56 for coarse displays, 0.01
    /// for readings logged to hundredths.
    pub fn display_step(&self) -> f64 {
        self.step
    }

    /// The robust sd of the upper half alone: the distance from the median
    /// to the upper quartile over a normal distribution's (0.6745). People
    /// coming in from the cold widen the lower half only; the upper tail is
    /// judged against the upper half's scale.
    pub fn upper_sd(&self) -> f64 {
        (self.quantile(0.75) - self.quantile(0.5)) / (NORMAL_IQR_PER_SD / 2.0)
    }

    /// Number of readings.
    pub fn count(&self) -> f64 {
        self.total
    }

    /// Mean reading, °C.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Standard deviation of the readings, °C.
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// The `p` quantile (0 ≤ p ≤ 1), °C.
    pub fn quantile(&self, p: f64) -> f64 {
        let wanted = p.clamp(0.0, 1.0) * self.total;
        let mut below = 0.0;
        for value in &self.values {
            if below + value.count >= wanted {
                let share = (wanted - below) / value.count;
                return value.low + share * (value.high - value.low);
            }
            below += value.count;
        }
        self.values.last().map_or(f64::NAN, |v| v.high)
    }

    /// Readings between `low` and `high`, °C (fractions of a value's
    /// interval counted in proportion).
    pub fn mass_between(&self, low: f64, high: f64) -> f64 {
        self.values
            .iter()
            .map(|v| {
                let overlap = (v.high.min(high) - v.low.max(low)).max(0.0);
                let width = v.high - v.low;
                if width > 0.0 {
                    v.count * overlap / width
                } else if v.low >= low && v.low < high {
                    v.count
                } else {
                    0.0
                }
            })
            .sum()
    }

    /// Readings above `t`, °C.
    pub fn mass_above(&self, t: f64) -> f64 {
        self.mass_between(t, f64::INFINITY)
    }

    /// The robust standard deviation: the interquartile range over 1.349,
    /// the ratio of a normal distribution's (Wilcox 2012, §3.12).
    pub fn robust_sd(&self) -> f64 {
        (self.quantile(0.75) - self.quantile(0.25)) / NORMAL_IQR_PER_SD
    }

    /// Counts of readings in 0.1 °C bins centred on the tenths, lowest
    /// first, with the tenth each is centred on.
    pub fn tenths(&self) -> Vec<(f64, f64)> {
        let mut bins: Vec<(f64, f64)> = Vec::new();
        for value in &self.values {
            let centre = (value.low + value.high) / 2.0;
            let tenth = (centre * 10.0).round() / 10.0;
            match bins.last_mut() {
                Some((t, count)) if (*t - tenth).abs() < 1e-9 => *count += value.count,
                _ => bins.push((tenth, value.count)),
            }
        }
        bins
    }
}

/// The display step of readings at `occupied` (°C, count, in order): the
/// median gap between neighbouring values, each gap weighted by the smaller
/// count beside it (a gap between two busy values says more of the display
/// than one out in the tail).
fn display_step(occupied: &[(f64, u64)]) -> f64 {
    let mut gaps: Vec<(i64, u64)> = occupied
        .windows(2)
        .map(|pair| {
            let gap = crate::state::hundredths(pair[1].0 - pair[0].0);
            (gap, pair[0].1.min(pair[1].1))
        })
        .collect();
    if gaps.is_empty() {
        return 1.0 / HUNDREDTHS;
    }
    gaps.sort_unstable();
    let half: u64 = gaps.iter().map(|g| g.1).sum::<u64>() / 2;
    let mut seen = 0;
    for (gap, weight) in &gaps {
        seen += weight;
        if seen > half {
            return *gap as f64 / HUNDREDTHS;
        }
    }
    gaps[gaps.len() - 1].0 as f64 / HUNDREDTHS
}

/// Interquartile range of a normal distribution in standard deviations:
/// 2 × 0.6745 (the 0.75 quantile).
pub const NORMAL_IQR_PER_SD: f64 = 1.349;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;

    fn state_of(readings: &[f64]) -> CameraState {
        let mut state = CameraState::default();
        readings
            .iter()
            .for_each(|&t| state.add(&Event::new("c", t)));
        state
    }

    #[test]
    fn values_a_tenth_apart_stand_for_their_tenth() {
        // 36.4, 36.5 × 2, 36.6: each value stands for ±0.05 °C.
        let d = ReadingDistribution::of(&state_of(&[36.4, 36.5, 36.5, 36.6])).unwrap();
        assert!((d.quantile(0.5) - 36.5).abs() < 1e-12);
        // A quarter of the readings lie below 36.45.
        assert!((d.quantile(0.25) - 36.45).abs() < 1e-12);
        assert!((d.mass_above(36.55) - 1.0).abs() < 1e-12);
        assert!((d.mass_above(36.5) - 2.0).abs() < 1e-12);
        assert!((d.mean() - 36.5).abs() < 1e-12);
        // sd = sqrt(0.02 / 3) by hand.
        assert!((d.sd() - (0.02f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(d.tenths().len(), 3);
        assert!((d.display_step() - 0.1).abs() < 1e-12);
    }

    #[test]
    fn a_coarse_display_is_recognised_and_its_values_fill_their_steps() {
        // Whole °F: 97, 98, 98, 99, 99, 99, 100 °F; steps of 0.56 °C.
        let readings: Vec<f64> = [97.0, 98.0, 98.0, 99.0, 99.0, 99.0, 100.0]
            .iter()
            .map(|f| (f - 32.0) / 1.8)
            .collect();
        let d = ReadingDistribution::of(&state_of(&readings)).unwrap();
        assert!(
            (d.display_step() - 0.56).abs() < 0.011,
            "{}",
            d.display_step()
        );
        // 99 °F stands for 98.5–99.5 °F: the median, the 3.5th of 7
        // readings, lies at 98.5 + 0.5/3 °F.
        let median_f = d.quantile(0.5) * 1.8 + 32.0;
        assert!((median_f - (98.5 + 0.5 / 3.0)).abs() < 0.02, "{median_f}");
    }

    #[test]
    fn fahrenheit_and_celsius_displays_give_the_same_quantiles() {
        // A uniform spread over 36–37 °C shown to 0.1 °C and to 0.1 °F.
        let celsius: Vec<f64> = (0..1000)
            .map(|i| (((36.0 + i as f64 / 1000.0) * 10.0).round()) / 10.0)
            .collect();
        let fahrenheit: Vec<f64> = (0..1000)
            .map(|i| {
                let f = (36.0 + i as f64 / 1000.0) * 1.8 + 32.0;
                ((f * 10.0).round() / 10.0 - 32.0) / 1.8
            })
            .collect();
        let c = ReadingDistribution::of(&state_of(&celsius)).unwrap();
        let f = ReadingDistribution::of(&state_of(&fahrenheit)).unwrap();
        for p in [0.1, 0.25, 0.5, 0.75, 0.9] {
            let exact = 36.0 + p;
            assert!((c.quantile(p) - exact).abs() < 0.03, "°C {p}");
            assert!((f.quantile(p) - exact).abs() < 0.03, "°F {p}");
        }
    }
}
