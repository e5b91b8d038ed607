//! Temporal stacks: the same scene over many frames (docs/science.md §4).
//!
//! Per pixel, a running mean and variance ([`PixelMoments`], Welford's update
//! in f64). Frames may be added on several threads into separate moments and
//! merged afterwards (Chan, Golub and LeVeque's pairwise update), so the
//! frames of a stack are read in the same pass as everything else. Per
//! frame, the target's mean and the frame's time are kept by the caller.
//! From both, [`temporal_stats`]: temporal noise (median over a region of
//! the per-pixel standard deviation, a NETD-like figure), stability (max −
//! min of the target mean), drift (slope of the target mean over time, °C
//! per hour) and stabilisation time (the first time after which the target
//! mean stays within ±0.1 °C of its final value). Needs at least two frames;
//! NaN pixels are skipped.
//!
//! Each figure comes with what its precision needs: the temporal noise with
//! its 95 % chi-square interval (`s·√(ν/χ²)` with ν = frames − 1, the
//! interval of one pixel's sd — conservative for the median over many
//! pixels), and the stabilisation time with the frames either side of it
//! (the true moment lies between them), the number of frames that stayed
//! settled after it and the frame-to-frame noise of the target mean, which
//! says whether a ±0.1 °C band can be told from noise at all.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::region::Region;
use fevercheck_stats::descriptive::median;
use fevercheck_stats::distribution::chi_square_quantile;
use fevercheck_stats::regression::ols;
use fevercheck_stats::{Interval, CONFIDENCE};

/// Band around the final value that counts as stabilised, °C (docs/science.md §4).
pub const STABLE_BAND_C: f64 = 0.1;

/// Running per-pixel mean and variance over frames of one size.
#[derive(Debug, Clone, PartialEq)]
pub struct PixelMoments {
    size: (usize, usize),
    count: Vec<u32>,
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl PixelMoments {
    /// Empty moments for frames of `rows × columns`.
    pub fn new(rows: usize, columns: usize) -> Self {
        let pixels = rows * columns;
        PixelMoments {
            size: (rows, columns),
            count: vec![0; pixels],
            mean: vec![0.0; pixels],
            m2: vec![0.0; pixels],
        }
    }

    /// Adds one frame; a frame of another size is not added (returns false).
    pub fn add(&mut self, temperatures: &Array2<f32>) -> bool {
        if temperatures.dim() != self.size {
            return false;
        }
        for (pixel, &v) in temperatures.iter().enumerate() {
            if !v.is_nan() {
                let v = v as f64;
                self.count[pixel] += 1;
                let delta = v - self.mean[pixel];
                self.mean[pixel] += delta / self.count[pixel] as f64;
                self.m2[pixel] += delta * (v - self.mean[pixel]);
            }
        }
        true
    }

    /// Adds the frames counted in `other` (same size; otherwise false).
    pub fn merge(&mut self, other: &PixelMoments) -> bool {
        if other.size != self.size {
            return false;
        }
        for pixel in 0..self.count.len() {
            let (na, nb) = (self.count[pixel] as f64, other.count[pixel] as f64);
            if nb == 0.0 {
                continue;
            }
            let n = na + nb;
            let delta = other.mean[pixel] - self.mean[pixel];
            self.mean[pixel] += delta * nb / n;
            self.m2[pixel] += other.m2[pixel] + delta * delta * na * nb / n;
            self.count[pixel] += other.count[pixel];
        }
        true
    }

    /// Frame size, `(rows, columns)`.
    pub fn size(&self) -> (usize, usize) {
        self.size
    }

    /// The temporal standard deviation (n − 1) of each pixel of `region`
    /// seen in at least two frames.
    pub fn temporal_sds(&self, region: &Region) -> Vec<f64> {
        let columns = self.size.1;
        region
            .spans
            .iter()
            .flat_map(|&(row, start, end)| (start..end).map(move |c| row * columns + c))
            .filter(|&pixel| pixel < self.count.len() && self.count[pixel] >= 2)
            .map(|pixel| (self.m2[pixel] / (self.count[pixel] - 1) as f64).sqrt())
            .collect()
    }
}

/// What a stack shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TemporalStats {
    /// Frames in the stack.
    pub frames: usize,
    /// Median per-pixel temporal standard deviation, °C.
    pub temporal_noise_c: Option<f64>,
    /// 95 % chi-square interval of one pixel's temporal sd at that value
    /// (frames − 1 degrees of freedom), °C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporal_noise_ci_c: Option<Interval>,
    /// max − min of the target mean over the frames, °C.
    pub stability_c: f64,
    /// Slope of the target mean over time, °C per hour (needs times).
    pub drift_c_per_h: Option<f64>,
    /// 95 % confidence interval of that slope, °C per hour.
    pub drift_ci_c_per_h: Option<Interval>,
    /// Seconds from the first to the last frame (needs times).
    pub span_s: Option<f64>,
    /// Seconds from the first frame until the target mean stays within
    /// ±0.1 °C of its final value (needs times).
    pub stabilisation_s: Option<f64>,
    /// The times of the last frame outside the band and the first frame
    /// of the settled run, s from the first frame: the stabilisation
    /// happened between them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stabilisation_interval_s: Option<Interval>,
    /// Frames from the stabilisation to the end, the last included.
    #[serde(default)]
    pub settled_frames: usize,
    /// Frame-to-frame sd of the target mean over the later half of the
    /// frames, °C: the sd of successive differences ÷ √2 (neither a level
    /// nor a steady trend changes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_noise_sd_c: Option<f64>,
}

/// The statistics of a stack: per-pixel `moments`, the `region` whose
/// temporal noise is wanted, and each frame's `(time in s, target mean °C)`
/// in acquisition order. `None` with fewer than two frames.
pub fn temporal_stats(
    moments: &PixelMoments,
    region: &Region,
    frames: &[(Option<f64>, f64)],
) -> Option<TemporalStats> {
    if frames.len() < 2 {
        return None;
    }
    let means: Vec<f64> = frames.iter().map(|f| f.1).collect();
    let stability_c = means.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        - means.iter().copied().fold(f64::INFINITY, f64::min);
    let timed: Vec<(f64, f64)> = frames
        .iter()
        .filter_map(|&(t, m)| t.map(|t| (t, m)))
        .collect();
    let all_timed = timed.len() == frames.len();
    let drift = if all_timed {
        let (t, m): (Vec<f64>, Vec<f64>) = timed.iter().copied().unzip();
        ols(&t, &m)
    } else {
        None
    };
    let drift_c_per_h = drift.map(|fit| fit.slope * 3600.0);
    let drift_ci_c_per_h = drift.map(|fit| Interval {
        low: fit.slope_ci.low * 3600.0,
        high: fit.slope_ci.high * 3600.0,
    });
    let span_s = all_timed.then(|| timed[timed.len() - 1].0 - timed[0].0);
    let last = means[means.len() - 1];
    let settled_from = means
        .iter()
        .rposition(|&m| (m - last).abs() > STABLE_BAND_C)
        .map_or(0, |i| i + 1)
        .min(means.len() - 1);
    let since_first = |i: usize| timed[i].0 - timed[0].0;
    let stabilisation_s = all_timed.then(|| since_first(settled_from));
    let stabilisation_interval_s = all_timed.then(|| Interval {
        low: since_first(settled_from.saturating_sub(1)),
        high: since_first(settled_from),
    });
    let temporal_noise_c = median(&moments.temporal_sds(region));
    Some(TemporalStats {
        frames: frames.len(),
        temporal_noise_c,
        temporal_noise_ci_c: temporal_noise_c.and_then(|sd| sd_interval(sd, frames.len() - 1)),
        stability_c,
        drift_c_per_h,
        drift_ci_c_per_h,
        span_s,
        stabilisation_s,
        stabilisation_interval_s,
        settled_frames: means.len() - settled_from,
        frame_noise_sd_c: successive_difference_sd(&means),
    })
}

/// The 95 % interval of a standard deviation `sd` with `dof` degrees of
/// freedom: `sd·√(dof/χ²(0.975))` to `sd·√(dof/χ²(0.025))`.
fn sd_interval(sd: f64, dof: usize) -> Option<Interval> {
    let dof = dof as f64;
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let upper_quantile = chi_square_quantile(1.0 - tail, dof)?;
    let lower_quantile = chi_square_quantile(tail, dof)?;
    Some(Interval {
        low: sd * (dof / upper_quantile).sqrt(),
        high: sd * (dof / lower_quantile).sqrt(),
    })
}

/// Fewest frames of the later half from which the frame-to-frame noise is
/// estimated (two differences).
const MIN_NOISE_FRAMES: usize = 3;

/// The frame-to-frame sd of the target mean once the transient is over:
/// over the later half of the frames (at least [`MIN_NOISE_FRAMES`]), the
/// sd of the successive differences ÷ √2 — differences remove a slow
/// level, centring them removes a steady trend, and for independent noise σ
/// a difference has sd σ√2 (after von Neumann's mean square successive
/// difference, J. von Neumann et al. 1941, Ann. Math. Stat. 12:153).
/// `None` with fewer than [`MIN_NOISE_FRAMES`] frames.
fn successive_difference_sd(values: &[f64]) -> Option<f64> {
    let later = &values[(values.len() / 2).min(values.len().saturating_sub(MIN_NOISE_FRAMES))..];
    if later.len() < MIN_NOISE_FRAMES {
        return None;
    }
    let differences: Vec<f64> = later.windows(2).map(|w| w[1] - w[0]).collect();
    let mean = differences.iter().sum::<f64>() / differences.len() as f64;
    let squares: f64 = differences.iter().map(|d| (d - mean).powi(2)).sum();
    Some((squares / (differences.len() - 1) as f64).sqrt() / 2f64.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames() -> Vec<Array2<f32>> {
        // Two pixels; region means 30.5, 30.2, 30.0, 30.0 (pixel values
        // mean ± 0.1 alternating).
        [30.5f32, 30.2, 30.0, 30.0]
            .into_iter()
            .map(|m| Array2::from_shape_vec((1, 2), vec![m - 0.1, m + 0.1]).unwrap())
            .collect()
    }

    #[test]
    fn noise_stability_drift_and_settling_by_hand() {
        let mut moments = PixelMoments::new(1, 2);
        for frame in frames() {
            assert!(moments.add(&frame));
        }
        let means: Vec<(Option<f64>, f64)> = [30.5, 30.2, 30.0, 30.0]
            .into_iter()
            .enumerate()
            .map(|(i, m)| (Some(60.0 * i as f64), m))
            .collect();
        let s = temporal_stats(&moments, &Region::whole(1, 2), &means).unwrap();
        assert_eq!(s.frames, 4);
        assert!((s.stability_c - 0.5).abs() < 1e-6);
        // Pixel 0 sees 30.4, 30.1, 29.9, 29.9: mean 30.075, squares
        // 0.1675, sd sqrt(0.1675/3) = 0.236291 (pixel 1 is the same + 0.2).
        assert!(
            (s.temporal_noise_c.unwrap() - 0.236291).abs() < 1e-5,
            "{:?}",
            s.temporal_noise_c
        );
        // Means against time: slope −0.0028333 °C/s = −10.2 °C/h.
        assert!(
            (s.drift_c_per_h.unwrap() - -10.2).abs() < 1e-3,
            "{:?}",
            s.drift_c_per_h
        );
        // Within 0.1 of the final 30.0 from the third frame on: 120 s,
        // after the second frame at 60 s; two frames settled.
        assert_eq!(s.stabilisation_s, Some(120.0));
        let between = s.stabilisation_interval_s.unwrap();
        assert_eq!((between.low, between.high), (60.0, 120.0));
        assert_eq!(s.settled_frames, 2);
        // Noise 0.236291 with 3 dof: × √(3/9.348404) = 0.133859 and
        // × √(3/0.215795) = 0.881025 (χ² quantiles from NIST's table).
        let ci = s.temporal_noise_ci_c.unwrap();
        assert!(
            (ci.low - 0.236291 * (3.0f64 / 9.348404).sqrt()).abs() < 1e-5,
            "{ci:?}"
        );
        assert!(
            (ci.high - 0.236291 * (3.0f64 / 0.215795).sqrt()).abs() < 1e-5,
            "{ci:?}"
        );
        // The later half 30.2, 30.0, 30.0: differences −0.2 and 0, sd
        // 0.141421, ÷ √2 = 0.1.
        assert!((s.frame_noise_sd_c.unwrap() - 0.1).abs() < 1e-9);
        assert!(temporal_stats(&moments, &Region::default(), &means[..1]).is_none());
    }

    #[test]
    fn merged_moments_equal_moments_of_all_frames() {
        let all = frames();
        let mut together = PixelMoments::new(1, 2);
        let (mut first, mut second) = (PixelMoments::new(1, 2), PixelMoments::new(1, 2));
        for (i, frame) in all.iter().enumerate() {
            together.add(frame);
            if i % 2 == 0 { &mut first } else { &mut second }.add(frame);
        }
        assert!(first.merge(&second));
        let region = Region::whole(1, 2);
        for (a, b) in first
            .temporal_sds(&region)
            .iter()
            .zip(together.temporal_sds(&region))
        {
            assert!((a - b).abs() < 1e-12);
        }
        assert!(!first.add(&Array2::zeros((2, 2))));
        assert!(!first.merge(&PixelMoments::new(3, 3)));
    }
}
