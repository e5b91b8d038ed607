//! The device's honest model, fitted on its afebrile readings: what an
//! honest device — however badly calibrated — would show at any target, so
//! that `febrile_shortfall` can ask whether the febrile readings fall short
//! of it (docs/science.md §3, "Fever hiding judged by its consequence").
//!
//! An honest device is a straight line in the reference (offset and gain)
//! plus the time effects fevercheck accepts as honest: a drift of up to
//! [`PLAUSIBLE_DRIFT_C_PER_H`] and a warm-up `A·e^{−t/τ}` of up to
//! [`PLAUSIBLE_WARM_UP_C`] with τ over [`WARM_UP_TIME_CONSTANTS_S`]. The
//! time effects are nuisances bounded by physics, not free parameters: each
//! is tried on a grid within its bound, the line is fitted to the readings
//! less it, and every grid point whose fit is not significantly worse than
//! the best ([`NUISANCE_CHI_SQUARE`]) is an honest model the data allow.
//! The detector then takes the model most favourable to the device, so an
//! accusation must survive every honest explanation the afebrile readings
//! leave open. A line fitted with its time effect fixed keeps the
//! prediction error of a line: a drift collinear with the target (one
//! sweep, target and time rising together) does not inflate it, because
//! it moves the prediction no more than the bound allows.
//!
//! The fit is over sums (`Σu`, `Σxu`, `Σu²` of `u = y − nuisance`, expanded
//! in the nuisance's coefficients), so each of the grid's 441 points costs a
//! few multiplications whatever the number of readings.

use super::time_effect::{
    PLAUSIBLE_DRIFT_C_PER_H, PLAUSIBLE_WARM_UP_C, SECONDS_PER_HOUR, WARM_UP_TIME_CONSTANTS_S,
};

/// Drift rates tried, evenly over ±[`PLAUSIBLE_DRIFT_C_PER_H`] (a step of
/// 0.25 °C/h, under 0.15 °C over a half-hour sweep).
const DRIFT_GRID: usize = 9;

/// Warm-up amplitudes tried, evenly over ±[`PLAUSIBLE_WARM_UP_C`], zero
/// included (a step of 0.25 °C).
const WARM_UP_AMPLITUDE_GRID: usize = 9;

/// Warm-up time constants tried, log-spaced over
/// [`WARM_UP_TIME_CONSTANTS_S`] (a factor of 1.72 from one to the next).
const WARM_UP_TIME_CONSTANT_GRID: usize = 6;

/// How much worse than the best (in squared residual standard deviations)
/// an honest model may fit the afebrile readings and still be one the data
/// allow: the 99.9 % point of χ² with 3 degrees of freedom (drift, warm-up
/// amplitude and time constant), 16.27 — a joint 99.9 % confidence region
/// for the nuisances, so that the true one is in it but once in a thousand
/// sessions.
pub(super) const NUISANCE_CHI_SQUARE: f64 = 16.27;

/// Fewest readings the afebrile fit needs: a line and its noise, with at
/// least 3 degrees of freedom left for the noise.
pub(super) const MIN_AFEBRILE_READINGS: usize = 5;

/// An honest time effect: drift and warm-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TimeEffect {
    /// Drift, °C per hour.
    pub drift_c_per_h: f64,
    /// Warm-up amplitude, °C (positive: reads high at the start).
    pub warm_up_c: f64,
    /// Warm-up time constant, seconds.
    pub warm_up_tau_s: f64,
}

impl TimeEffect {
    /// What it adds to a reading `t_s` seconds after the session's first.
    pub(super) fn at(&self, t_s: f64) -> f64 {
        self.drift_c_per_h * t_s / SECONDS_PER_HOUR
            + self.warm_up_c * (-t_s / self.warm_up_tau_s).exp()
    }
}

/// One honest model: a line in the reference plus a time effect.
#[derive(Debug, Clone, Copy)]
pub(super) struct HonestModel {
    /// Intercept of the line, °C.
    pub intercept: f64,
    /// Slope of the line (readings per °C of target).
    pub slope: f64,
    /// The time effect.
    pub time_effect: TimeEffect,
    /// Residual standard deviation of the best model's fit (every model of
    /// a session shares it: the noise is the data's, not the nuisance's), °C.
    pub residual_sd_c: f64,
    /// Degrees of freedom of the residual standard deviation.
    pub df: usize,
    /// Readings fitted.
    pub n: usize,
    /// Mean reference of the readings fitted, °C.
    pub mean_reference_c: f64,
    /// `Σ(x − x̄)²` of the readings fitted, °C².
    pub sxx: f64,
}

impl HonestModel {
    /// What the device would show at target `x_c`, `t_s` seconds in.
    pub(super) fn predict(&self, x_c: f64, t_s: f64) -> f64 {
        self.intercept + self.slope * x_c + self.time_effect.at(t_s)
    }

    /// Standard error of a new reading at target `x_c` about the
    /// prediction: `s·√(1 + 1/n + (x − x̄)²/Sxx)`.
    pub(super) fn prediction_se(&self, x_c: f64) -> f64 {
        let leverage =
            1.0 / self.n as f64 + (x_c - self.mean_reference_c).powi(2) / self.sxx.max(1e-300);
        self.residual_sd_c * (1.0 + leverage).sqrt()
    }
}

/// Sums of the afebrile readings from which the fit of every grid point
/// follows.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    n: f64,
    x: f64,
    xx: f64,
    y: f64,
    xy: f64,
    yy: f64,
    /// Of the drift regressor `h` (hours).
    h: f64,
    xh: f64,
    yh: f64,
    hh: f64,
}

/// Sums involving the warm-up regressor `w = e^{−t/τ}` of one τ.
#[derive(Debug, Default, Clone, Copy)]
struct WarmUpSums {
    w: f64,
    xw: f64,
    yw: f64,
    ww: f64,
    hw: f64,
}

/// The honest models the afebrile readings allow: references `x`, readings
/// `y`, times `t_s` (seconds from the session's first reading). `None` when
/// there are too few readings or too little spread of the reference for a
/// line. The first model is the best fit. The residual standard deviation
/// is never taken below `noise_floor_c` (a display's rounding noise).
pub(super) fn honest_models(
    x: &[f64],
    y: &[f64],
    t_s: &[f64],
    noise_floor_c: f64,
) -> Option<Vec<HonestModel>> {
    if x.len() < MIN_AFEBRILE_READINGS {
        return None;
    }
    let taus = warm_up_time_constants();
    // Centred on the means, so that the sums of squares keep their digits
    // (readings near 37 °C square to ~1 400 °C² each).
    let count = x.len() as f64;
    let (mean_x, mean_y) = (x.iter().sum::<f64>() / count, y.iter().sum::<f64>() / count);
    let mut sums = Sums::default();
    let mut warm: Vec<WarmUpSums> = vec![WarmUpSums::default(); taus.len()];
    for ((&x_raw, &y_raw), &ti) in x.iter().zip(y).zip(t_s) {
        let (xi, yi) = (x_raw - mean_x, y_raw - mean_y);
        let hi = ti / SECONDS_PER_HOUR;
        sums.n += 1.0;
        sums.x += xi;
        sums.xx += xi * xi;
        sums.y += yi;
        sums.xy += xi * yi;
        sums.yy += yi * yi;
        sums.h += hi;
        sums.xh += xi * hi;
        sums.yh += yi * hi;
        sums.hh += hi * hi;
        for (w, &tau) in warm.iter_mut().zip(&taus) {
            let wi = (-ti / tau).exp();
            w.w += wi;
            w.xw += xi * wi;
            w.yw += yi * wi;
            w.ww += wi * wi;
            w.hw += hi * wi;
        }
    }
    let sxx = sums.xx - sums.x * sums.x / sums.n;
    let targets_spread = sxx > 1e-9 * sums.n;
    if !targets_spread {
        return None;
    }
    let mut fits: Vec<(f64, TimeEffect, f64, f64)> = Vec::new();
    for drift in grid(PLAUSIBLE_DRIFT_C_PER_H, DRIFT_GRID) {
        fits.push(line_fit(&sums, None, drift, 0.0, taus[0], sxx));
        for (w, &tau) in warm.iter().zip(&taus) {
            for amplitude in grid(PLAUSIBLE_WARM_UP_C, WARM_UP_AMPLITUDE_GRID) {
                if amplitude != 0.0 {
                    fits.push(line_fit(&sums, Some(w), drift, amplitude, tau, sxx));
                }
            }
        }
    }
    fits.sort_by(|a, b| a.0.total_cmp(&b.0));
    let best_sse = fits.first()?.0.max(0.0);
    let df = x.len() - 2;
    let fitted_sd_c = (best_sse / df as f64).sqrt();
    let allowed = best_sse + NUISANCE_CHI_SQUARE * fitted_sd_c * fitted_sd_c;
    let residual_sd_c = fitted_sd_c.max(noise_floor_c);
    Some(
        fits.into_iter()
            .take_while(|fit| fit.0 <= allowed)
            .map(|(_, time_effect, centred_intercept, slope)| HonestModel {
                // Back from centred coordinates: u − ȳ = c + b·(x − x̄).
                intercept: mean_y + centred_intercept - slope * mean_x,
                slope,
                time_effect,
                residual_sd_c,
                df,
                n: x.len(),
                mean_reference_c: mean_x,
                sxx,
            })
            .collect(),
    )
}

/// The least-squares line of `u = y − drift·h − amplitude·w` on `x` from
/// the sums: its residual sum of squares, the time effect, intercept and
/// slope.
fn line_fit(
    s: &Sums,
    warm: Option<&WarmUpSums>,
    drift: f64,
    amplitude: f64,
    tau: f64,
    sxx: f64,
) -> (f64, TimeEffect, f64, f64) {
    let w = warm.copied().unwrap_or_default();
    let (c, a) = (drift, amplitude);
    let su = s.y - c * s.h - a * w.w;
    let sxu = s.xy - c * s.xh - a * w.xw;
    let suu =
        s.yy + c * c * s.hh + a * a * w.ww - 2.0 * c * s.yh - 2.0 * a * w.yw + 2.0 * c * a * w.hw;
    let mean_x = s.x / s.n;
    let mean_u = su / s.n;
    let sxu_centred = sxu - s.n * mean_x * mean_u;
    let suu_centred = suu - s.n * mean_u * mean_u;
    let slope = sxu_centred / sxx;
    let sse = (suu_centred - slope * sxu_centred).max(0.0);
    let time_effect = TimeEffect {
        drift_c_per_h: c,
        warm_up_c: a,
        warm_up_tau_s: tau,
    };
    (sse, time_effect, mean_u - slope * mean_x, slope)
}

/// `count` values evenly over `±bound`, zero among them when `count` is odd.
fn grid(bound: f64, count: usize) -> impl Iterator<Item = f64> {
    let step = 2.0 * bound / (count - 1) as f64;
    (0..count).map(move |i| -bound + step * i as f64)
}

/// The warm-up time constants tried, seconds.
fn warm_up_time_constants() -> Vec<f64> {
    let (shortest, longest) = WARM_UP_TIME_CONSTANTS_S;
    let ratio = (longest / shortest).ln();
    (0..WARM_UP_TIME_CONSTANT_GRID)
        .map(|i| shortest * (ratio * i as f64 / (WARM_UP_TIME_CONSTANT_GRID - 1) as f64).exp())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_straight_device_is_its_own_best_model() {
        // y = 0.5 + 0.9·x exactly, swept up then down, one reading a minute:
        // the best model is that line with no time effect.
        let mut x: Vec<f64> = (0..10).map(|i| 35.0 + 0.25 * f64::from(i)).collect();
        x.extend(x.clone().iter().rev());
        let y: Vec<f64> = x.iter().map(|v| 0.5 + 0.9 * v).collect();
        let t: Vec<f64> = (0..20).map(|i| 60.0 * f64::from(i)).collect();
        let models = honest_models(&x, &y, &t, 0.0).unwrap();
        let best = models[0];
        assert!((best.slope - 0.9).abs() < 1e-9, "{}", best.slope);
        assert!((best.intercept - 0.5).abs() < 1e-7);
        assert_eq!(best.time_effect.drift_c_per_h, 0.0);
        assert_eq!(best.time_effect.warm_up_c, 0.0);
        assert!(best.residual_sd_c < 1e-6);
        // With no noise, no other model fits as well.
        assert_eq!(models.len(), 1);
        assert!((best.predict(38.0, 3600.0) - (0.5 + 0.9 * 38.0)).abs() < 1e-7);
        // Swept once, a drift is a line in the target (one step a minute):
        // every drift fits exactly and predicts the same at the same pace.
        let up = honest_models(&x[..10], &y[..10], &t[..10], 0.0).unwrap();
        assert_eq!(up.len(), DRIFT_GRID);
        for model in &up {
            assert!((model.predict(37.5, 600.0) - (0.5 + 0.9 * 37.5)).abs() < 1e-6);
        }
    }

    #[test]
    fn a_warm_up_within_the_bound_is_found() {
        // Up and down twice over 35–37 °C, 30 s apart; the device reads 0.75 °C
        // low at the start, settling with τ = 900 s (on the grid).
        let steps: Vec<f64> = (0..9).map(|i| 35.0 + 0.25 * f64::from(i)).collect();
        let mut x = Vec::new();
        for sweep in 0..4 {
            let mut s = steps.clone();
            if sweep % 2 == 1 {
                s.reverse();
            }
            x.extend(s);
        }
        let t: Vec<f64> = (0..x.len()).map(|i| 30.0 * i as f64).collect();
        let y: Vec<f64> = x
            .iter()
            .zip(&t)
            .map(|(v, t)| v - 0.75 * (-t / 900.0).exp())
            .collect();
        let best = honest_models(&x, &y, &t, 0.0).unwrap()[0];
        assert_eq!(best.time_effect.warm_up_c, -0.75);
        assert!((best.time_effect.warm_up_tau_s - 900.0).abs() < 1e-9);
        assert!((best.slope - 1.0).abs() < 1e-6);
    }

    #[test]
    fn the_prediction_error_grows_away_from_the_fitted_targets() {
        // x = 1..5 (x̄ = 3, Sxx = 10), y = x + (0.1, −0.2, 0, 0.2, −0.1),
        // residuals that sum to zero and are orthogonal to x: the line is
        // y = x (slope 1, intercept 0), SSE = 0.10, s² = 0.10/3.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.1, 1.8, 3.0, 4.2, 4.9];
        let t = [0.0; 5];
        let best = honest_models(&x, &y, &t, 0.0).unwrap()[0];
        assert!((best.slope - 1.0).abs() < 1e-12);
        let s2 = 0.10 / 3.0;
        assert!((best.residual_sd_c.powi(2) - s2).abs() < 1e-12, "{best:?}");
        // At x = 8: leverage 1/5 + 25/10 = 2.7, SE = s·√3.7.
        assert!((best.prediction_se(8.0) - (s2 * 3.7).sqrt()).abs() < 1e-12);
        // Too few readings, or one target only: no model.
        assert!(honest_models(&x[..4], &y[..4], &t[..4], 0.0).is_none());
        assert!(honest_models(&[2.0; 6], &[2.0; 6], &[0.0; 6], 0.0).is_none());
    }
}
