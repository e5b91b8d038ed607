//! Honest time effects: what a device's readings may do with time alone —
//! drift (a warm-up) and a slow ambient ripple (a room's air conditioning) —
//! and the times the detectors measure them on (docs/science.md §3, "Drift
//! is not manipulation").
//!
//! A manipulation depends on the target; a time effect does not. The
//! detectors that could mistake one for the other (`order_effect`,
//! `fever_hiding`) accept a finding only when it goes beyond what these
//! effects, at the strengths below, could give.

use rayon::prelude::*;

use crate::session::{seconds_from_earliest, Observation};

/// Largest drift an honest device is allowed, °C per hour: a warmed-up
/// screening camera drifts by tenths of a degree per hour (IEC 80601-2-59
/// asks for ETRS stability plus drift within 0.1 °C); 1 °C/h is a device
/// still warming up.
pub(super) const PLAUSIBLE_DRIFT_C_PER_H: f64 = 1.0;

/// Largest amplitude of a slow ambient ripple an honest device may follow,
/// °C: ±0.3 °C over minutes to an hour is what an air-conditioned room does
/// (issue #12 asks fevercheck to tolerate it). Two readings of the same
/// target can differ by twice this.
pub(super) const PLAUSIBLE_RIPPLE_C: f64 = 0.3;

/// Periods of the ambient ripple allowed for, seconds: 5 minutes (a short
/// air-conditioning cycle) to one hour. Slower swings are drifts, bounded by
/// [`PLAUSIBLE_DRIFT_C_PER_H`].
pub(super) const RIPPLE_PERIODS_S: (f64, f64) = (300.0, 3600.0);

/// Seconds assumed between two rows when the session has no `time` column:
/// labs read a blackbody step every 30–60 s; the longer gap is the cautious
/// one for the drift bound of `order_effect`.
pub(super) const ASSUMED_SECONDS_PER_READING: f64 = 60.0;

/// Seconds per hour.
pub(super) const SECONDS_PER_HOUR: f64 = 3600.0;

/// What the times of the session are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeBasis {
    /// The `time` column.
    Clock,
    /// The order of the rows (no `time` column), one reading a minute.
    ReadingOrder,
}

impl TimeBasis {
    /// How the evidence names it.
    pub(super) fn name(self) -> &'static str {
        match self {
            TimeBasis::Clock => "time column",
            TimeBasis::ReadingOrder => "reading order",
        }
    }

    /// The unit a rate per hour is given in, as the messages say it.
    pub(super) fn hour_name(self) -> &'static str {
        match self {
            TimeBasis::Clock => "hour",
            TimeBasis::ReadingOrder => {
                "60 readings (no `time` column: one reading a minute assumed)"
            }
        }
    }
}

/// When each pair of a source was read, seconds from the first reading;
/// found once per source and shared by every detector.
#[derive(Debug, Clone)]
pub struct ReadingTimes {
    /// One time per pair, in the order of [`super::DetectorInput::observations`].
    pub seconds: Vec<f64>,
    /// Where the times come from.
    pub basis: TimeBasis,
}

impl ReadingTimes {
    /// The times of a source's pairs: the `time` column when every
    /// observation has one, else the row order at one reading a minute.
    pub fn of(observations: &[&Observation]) -> ReadingTimes {
        let seconds: Option<Vec<f64>> = seconds_from_earliest(observations, |o| o.time);
        ReadingTimes::from_clock(seconds, observations.len())
    }

    /// The times of `count` pairs whose seconds from the earliest of them
    /// are `elapsed_s` (as [`ReadingTimes::of`] counts them; empty when no
    /// pair has a time), counted once for the report's records.
    pub fn of_elapsed(elapsed_s: &[Option<f64>], count: usize) -> ReadingTimes {
        let seconds: Option<Vec<f64>> = if elapsed_s.len() == count {
            elapsed_s.par_iter().copied().collect()
        } else {
            None
        };
        ReadingTimes::from_clock(seconds, count)
    }

    /// The clock's times when every pair has one, else the row order.
    fn from_clock(seconds: Option<Vec<f64>>, count: usize) -> ReadingTimes {
        match seconds.filter(|seconds| !seconds.is_empty()) {
            Some(seconds) => ReadingTimes {
                seconds,
                basis: TimeBasis::Clock,
            },
            None => ReadingTimes {
                seconds: (0..count)
                    .map(|i| i as f64 * ASSUMED_SECONDS_PER_READING)
                    .collect(),
                basis: TimeBasis::ReadingOrder,
            },
        }
    }

    /// Length of the session, hours.
    pub fn span_hours(&self) -> f64 {
        let max = self
            .seconds
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let min = self.seconds.iter().copied().fold(f64::INFINITY, f64::min);
        if self.seconds.is_empty() {
            0.0
        } else {
            (max - min) / SECONDS_PER_HOUR
        }
    }
}

/// Largest change an ambient ripple of [`PLAUSIBLE_RIPPLE_C`] with a period
/// of at least `shortest_period_s` can make between two readings `gap_s`
/// seconds apart: its steepest slope `A·2π/P` times the gap, and never more
/// than the full swing `2A`.
pub(super) fn largest_ripple_change_c(gap_s: f64, shortest_period_s: f64) -> f64 {
    let steepest = PLAUSIBLE_RIPPLE_C * std::f64::consts::TAU / shortest_period_s;
    (steepest * gap_s.abs()).min(2.0 * PLAUSIBLE_RIPPLE_C)
}

/// Ripple periods searched, seconds: [`RIPPLE_PERIOD_GRID`] points spaced
/// evenly in log across [`RIPPLE_PERIODS_S`].
pub(super) fn ripple_periods_s() -> impl Iterator<Item = f64> {
    let (shortest, longest) = RIPPLE_PERIODS_S;
    let ratio = (longest / shortest).ln();
    (0..RIPPLE_PERIOD_GRID).map(move |i| {
        let fraction = i as f64 / (RIPPLE_PERIOD_GRID - 1) as f64;
        shortest * (ratio * fraction).exp()
    })
}

/// Periods tried: 2 000 log-spaced points across 5–60 minutes, a step of
/// 0.12 %, which moves the phase of an hour-long gap by under 0.1 rad from
/// one period to the next.
pub(super) const RIPPLE_PERIOD_GRID: usize = 2000;

/// Shortest ripple period [`best_ripple_fit`] lets compete with a shape,
/// seconds: a faster ripple does not look like one bend or jump across a
/// sweep (it counts as noise, through the variance a shape leaves
/// unexplained), and letting it compete aliases into arbitrary patterns of
/// the step means that explained away real steps down (measured: the
/// 21 × 3 step-down detection fell to 63 % with 5-minute periods allowed).
pub(super) const SLOW_RIPPLE_S: f64 = 900.0;

/// Phases tried on the amplitude bound by [`best_ripple_fit`] (every 5°:
/// the fitted ripple is then within 0.1 % of its amplitude of the best).
const RIPPLE_PHASE_GRID: usize = 72;

/// Periods tried by [`best_ripple_fit`], log-spaced over 15–60 minutes: a
/// step of 0.7 %, which moves the phase of an hour-long session by under
/// 0.2 rad from one period to the next.
const COMPETITOR_PERIOD_GRID: usize = 200;

/// The best fit of step means `y` at references `x` by a straight line plus
/// an ambient ripple of at most [`PLAUSIBLE_RIPPLE_C`] with a period from
/// [`SLOW_RIPPLE_S`] to the longest of [`RIPPLE_PERIODS_S`]: what an honest
/// device could show. `step_times_s[i]`
/// are the times of step i's readings: a ripple `c·sin ωt + d·cos ωt` moves
/// step i's mean by `c·S_i + d·C_i`, with `S_i`, `C_i` the means of `sin ωt`
/// and `cos ωt` over them. Residuals are weighted by `weights` (1/variance
/// per step). Returns the weighted residual sums of squares of the line
/// alone and of the best line with a ripple, or `None` when a line cannot
/// be fitted.
///
/// For each period the line is projected out of `y`, `S` and `C` (weighted
/// least squares is linear), leaving `SSE(u) = r_y·r_y − 2 b·u + uᵀMu` in
/// `u = (c, d)`; the unconstrained minimum `u = M⁻¹b` is taken when
/// `|u| ≤ A`, else the best `u` on the circle `|u| = A` over
/// [`RIPPLE_PHASE_GRID`] phases.
pub(super) fn best_ripple_fit(
    x: &[f64],
    y: &[f64],
    step_times_s: &[Vec<f64>],
    weights: &[f64],
) -> Option<RippleFit> {
    let residual_y = weighted_line_residuals(x, y, weights)?;
    let dot = |a: &[f64], b: &[f64]| weighted_dot(a, b, weights);
    let line_only = dot(&residual_y, &residual_y);
    let amplitude = PLAUSIBLE_RIPPLE_C;
    let mut best = line_only;
    let ratio = (RIPPLE_PERIODS_S.1 / SLOW_RIPPLE_S).ln();
    for index in 0..COMPETITOR_PERIOD_GRID {
        let fraction = index as f64 / (COMPETITOR_PERIOD_GRID - 1) as f64;
        let period = SLOW_RIPPLE_S * (ratio * fraction).exp();
        let omega = std::f64::consts::TAU / period;
        let (sines, cosines): (Vec<f64>, Vec<f64>) = step_times_s
            .iter()
            .map(|times| mean_phasor(times, omega))
            .unzip();
        let (Some(rs), Some(rc)) = (
            weighted_line_residuals(x, &sines, weights),
            weighted_line_residuals(x, &cosines, weights),
        ) else {
            continue;
        };
        let (mss, msc, mcc) = (dot(&rs, &rs), dot(&rs, &rc), dot(&rc, &rc));
        let (bs, bc) = (dot(&residual_y, &rs), dot(&residual_y, &rc));
        let sse = |c: f64, d: f64| {
            line_only - 2.0 * (bs * c + bc * d) + mss * c * c + 2.0 * msc * c * d + mcc * d * d
        };
        let determinant = mss * mcc - msc * msc;
        let inside = (determinant > 1e-12 * (mss * mcc).max(f64::MIN_POSITIVE))
            .then(|| {
                (
                    (mcc * bs - msc * bc) / determinant,
                    (mss * bc - msc * bs) / determinant,
                )
            })
            .filter(|(c, d)| c.hypot(*d) <= amplitude);
        let fitted = match inside {
            Some((c, d)) => sse(c, d),
            None => (0..RIPPLE_PHASE_GRID)
                .map(|p| {
                    let phase = std::f64::consts::TAU * p as f64 / RIPPLE_PHASE_GRID as f64;
                    sse(amplitude * phase.cos(), amplitude * phase.sin())
                })
                .fold(f64::INFINITY, f64::min),
        };
        best = best.min(fitted.max(0.0));
    }
    best = best.min(best_warm_up_fit(
        x,
        step_times_s,
        weights,
        &residual_y,
        line_only,
    ));
    Some(RippleFit {
        line_only,
        with_ripple: best,
    })
}

/// Readings between two exact evaluations of the phasor in [`mean_phasor`]:
/// each rotation adds about one rounding error (1e-16), so the drift stays
/// below 1e-13 before the next exact value replaces it.
const PHASOR_RESYNC_EVERY: usize = 1024;

/// Means of `sin ωt` and `cos ωt` over `times` (0 for no times).
///
/// A step of a long session holds thousands of readings taken at a fixed
/// interval; instead of a sine and a cosine per reading, the phasor
/// `e^{iωt}` is rotated by `e^{iω·gap}`, whose sine and cosine are computed
/// again only when the gap changes, and the phasor itself exactly every
/// [`PHASOR_RESYNC_EVERY`] readings.
fn mean_phasor(times: &[f64], omega: f64) -> (f64, f64) {
    let Some(&first) = times.first() else {
        return (0.0, 0.0);
    };
    let (mut sin, mut cos) = (omega * first).sin_cos();
    let (mut sum_sin, mut sum_cos) = (sin, cos);
    let mut gap = f64::NAN;
    let (mut gap_sin, mut gap_cos) = (0.0, 1.0);
    for (index, pair) in times.windows(2).enumerate() {
        if (index + 1) % PHASOR_RESYNC_EVERY == 0 {
            (sin, cos) = (omega * pair[1]).sin_cos();
        } else {
            let this_gap = pair[1] - pair[0];
            if this_gap != gap {
                gap = this_gap;
                (gap_sin, gap_cos) = (omega * gap).sin_cos();
            }
            (sin, cos) = (sin * gap_cos + cos * gap_sin, cos * gap_cos - sin * gap_sin);
        }
        sum_sin += sin;
        sum_cos += cos;
    }
    let n = times.len() as f64;
    (sum_sin / n, sum_cos / n)
}

/// Largest warm-up an honest device may still show when a session starts,
/// °C: IEC 80601-2-59 asks for a warm-up before testing because a
/// thermograph settles over its first minutes, by up to about 1 °C.
pub(super) const PLAUSIBLE_WARM_UP_C: f64 = 1.0;

/// Time constants of the warm-up tried by [`best_warm_up_fit`], seconds:
/// 1 to 15 minutes, the settling times of uncooled thermal cameras.
pub(super) const WARM_UP_TIME_CONSTANTS_S: (f64, f64) = (60.0, 900.0);

/// Time constants tried, log-spaced (a step of 7 %, within which the
/// settling curves over a session differ by a few percent of their size).
const WARM_UP_GRID: usize = 40;

/// The weighted residual sum of squares of the best line plus an honest
/// warm-up `A·e^{−(t − t₀)/τ}` (|A| ≤ [`PLAUSIBLE_WARM_UP_C`], τ over
/// [`WARM_UP_TIME_CONSTANTS_S`], t₀ the session's first reading): the
/// device reads low (or high) at the start and settles. In a single sweep
/// time and target rise together, so a settling bends the transfer like a
/// soft knee; a shape that a warm-up fits as well is not evidence of
/// manipulation (issue #24). `residual_y` are the step means' residuals
/// from the weighted line, `line_only` their weighted sum of squares;
/// returns `line_only` when the steps carry no times.
fn best_warm_up_fit(
    x: &[f64],
    step_times_s: &[Vec<f64>],
    weights: &[f64],
    residual_y: &[f64],
    line_only: f64,
) -> f64 {
    let start = step_times_s
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    if !start.is_finite() || step_times_s.iter().any(Vec::is_empty) {
        return line_only;
    }
    let dot = |a: &[f64], b: &[f64]| weighted_dot(a, b, weights);
    let (shortest, longest) = WARM_UP_TIME_CONSTANTS_S;
    let ratio = (longest / shortest).ln();
    let mut best = line_only;
    for index in 0..WARM_UP_GRID {
        let tau = shortest * (ratio * index as f64 / (WARM_UP_GRID - 1) as f64).exp();
        let settling: Vec<f64> = step_times_s
            .iter()
            .map(|times| {
                times
                    .iter()
                    .map(|t| (-(t - start) / tau).exp())
                    .sum::<f64>()
                    / times.len() as f64
            })
            .collect();
        let Some(residual) = weighted_line_residuals(x, &settling, weights) else {
            continue;
        };
        let (m, b) = (dot(&residual, &residual), dot(residual_y, &residual));
        if m <= 0.0 || !m.is_finite() {
            continue;
        }
        let amplitude = (b / m).clamp(-PLAUSIBLE_WARM_UP_C, PLAUSIBLE_WARM_UP_C);
        let fitted = line_only - 2.0 * b * amplitude + m * amplitude * amplitude;
        best = best.min(fitted.max(0.0));
    }
    best
}

/// Weighted residual sums of squares of [`best_ripple_fit`].
#[derive(Debug, Clone, Copy)]
pub(super) struct RippleFit {
    /// The best line alone.
    pub line_only: f64,
    /// The best line plus a ripple or a warm-up, whichever fits better
    /// (never more than `line_only`).
    pub with_ripple: f64,
}

/// `Σ wᵢ·aᵢ·bᵢ`: the weighted inner product of two per-step series.
fn weighted_dot(a: &[f64], b: &[f64], weights: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .zip(weights)
        .map(|((p, q), w)| w * p * q)
        .sum()
}

/// Residuals of the weighted least-squares line of `y` on `x`.
fn weighted_line_residuals(x: &[f64], y: &[f64], weights: &[f64]) -> Option<Vec<f64>> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || total.is_nan() {
        return None;
    }
    let mean_x = x.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total;
    let mean_y = y.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for ((xi, yi), w) in x.iter().zip(y).zip(weights) {
        sxx += w * (xi - mean_x).powi(2);
        sxy += w * (xi - mean_x) * (yi - mean_y);
    }
    if sxx <= 0.0 || sxx.is_nan() {
        return None;
    }
    let slope = sxy / sxx;
    Some(
        x.iter()
            .zip(y)
            .map(|(xi, yi)| yi - mean_y - slope * (xi - mean_x))
            .collect(),
    )
}

/// Weighted residual sum of squares of the weighted least-squares line.
#[cfg(test)]
fn weighted_line_sse(x: &[f64], y: &[f64], weights: &[f64]) -> Option<f64> {
    let r = weighted_line_residuals(x, y, weights)?;
    Some(r.iter().zip(weights).map(|(r, w)| w * r * r).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rotated_phasor_equals_the_direct_means() {
        let omega = std::f64::consts::TAU / 1234.5;
        // Regular readings with one irregular gap, long enough to resynchronise.
        let mut times: Vec<f64> = (0..3000).map(|i| 100.0 + 0.7 * i as f64).collect();
        times[1500..].iter_mut().for_each(|t| *t += 13.1);
        let n = times.len() as f64;
        let direct_sin = times.iter().map(|t| (omega * t).sin()).sum::<f64>() / n;
        let direct_cos = times.iter().map(|t| (omega * t).cos()).sum::<f64>() / n;
        let (sin, cos) = mean_phasor(&times, omega);
        assert!((sin - direct_sin).abs() < 1e-12, "{sin} {direct_sin}");
        assert!((cos - direct_cos).abs() < 1e-12, "{cos} {direct_cos}");
        assert_eq!(mean_phasor(&[], omega), (0.0, 0.0));
    }

    #[test]
    fn a_line_with_a_ripple_is_fitted_to_the_noise() {
        // 21 steps, 35–40 °C, one reading a minute; readings are the
        // reference plus a 0.25 °C ripple of period 20 min, phase 0.6 rad.
        let x: Vec<f64> = (0..21).map(|i| 35.0 + 0.25 * f64::from(i)).collect();
        let times: Vec<Vec<f64>> = (0..21).map(|i| vec![60.0 * f64::from(i)]).collect();
        let omega = std::f64::consts::TAU / 1200.0;
        let y: Vec<f64> = x
            .iter()
            .zip(&times)
            .map(|(v, t)| v + 0.25 * (omega * t[0] + 0.6).sin())
            .collect();
        let weights = vec![1.0; 21];
        let line_only = weighted_line_sse(&x, &y, &weights).unwrap();
        let with_ripple = best_ripple_fit(&x, &y, &times, &weights)
            .unwrap()
            .with_ripple;
        // The line leaves about 21·0.25²/2 ≈ 0.66; the fit with the ripple
        // is exact but for the period grid.
        assert!(line_only > 0.4, "{line_only}");
        assert!(with_ripple < 1e-3, "{with_ripple}");
        // A bend (slope 0.2 above 37 °C) in one sweep, where time and target
        // rise together: a ±0.3 °C ripple takes most of what the line left
        // (1.73 → 0.17, measured) but cannot fit it — about 0.09 °C per step
        // stays, what fever_hiding weighs against the noise.
        let bent: Vec<f64> = x.iter().map(|v| v.min(37.0 + 0.2 * (v - 37.0))).collect();
        let bent_line = weighted_line_sse(&x, &bent, &weights).unwrap();
        let bent_ripple = best_ripple_fit(&x, &bent, &times, &weights)
            .unwrap()
            .with_ripple;
        assert!(bent_line > 1.5, "{bent_line}");
        assert!(bent_ripple > 0.1, "{bent_ripple}");
    }

    #[test]
    fn a_ripple_changes_readings_no_faster_than_its_steepest_slope() {
        // 0.3 °C at 5 min: slope 0.3·2π/300 s = 0.00628 °C/s, so 0.377 °C
        // per minute, capped at the full swing 0.6 °C from about 95 s on.
        let shortest = RIPPLE_PERIODS_S.0;
        let per_minute = 0.3 * std::f64::consts::TAU / 5.0;
        assert!((largest_ripple_change_c(60.0, shortest) - per_minute).abs() < 1e-12);
        assert_eq!(largest_ripple_change_c(600.0, shortest), 0.6);
        assert_eq!(largest_ripple_change_c(0.0, shortest), 0.0);
        // At 15 minutes a minute moves it a third as much.
        let slow = largest_ripple_change_c(60.0, 900.0);
        assert!((slow - per_minute / 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_weighted_line_through_points_on_a_line_leaves_nothing() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [3.0, 5.0, 7.0, 9.0];
        assert!(weighted_line_sse(&x, &y, &[1.0, 2.0, 3.0, 4.0]).unwrap() < 1e-20);
        // y = 0, 1, 0 with equal weights: the line is flat at 1/3, residuals
        // −1/3, 2/3, −1/3: 6/9.
        let sse = weighted_line_sse(&[0.0, 1.0, 2.0], &[0.0, 1.0, 0.0], &[1.0; 3]).unwrap();
        assert!((sse - 6.0 / 9.0).abs() < 1e-12);
    }
}
