//! Temporal stacks: the same region over many frames of a constant scene
//! (SCIENCE.md §4). Per pixel, a running mean and variance (Welford, f64);
//! per frame, the region's mean and the frame's time. From them: temporal
//! noise (median over the region of the per-pixel standard deviation, a
//! NETD-like figure), stability (max − min of the region mean), drift (slope
//! of the region mean over time, °C per hour) and stabilisation time (the
//! first time after which the region mean stays within ±0.1 °C of its final
//! value). Needs at least two frames; NaN pixels are skipped.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::region::Region;
use crate::stats::descriptive::median;
use crate::stats::regression::ols;

/// Band around the final value that counts as stabilised, °C (SCIENCE.md §4).
pub const STABLE_BAND_C: f64 = 0.1;

/// Running per-pixel statistics of a region over frames.
#[derive(Debug, Clone)]
pub struct TemporalStack {
    region: Region,
    count: Vec<u32>,
    mean: Vec<f64>,
    m2: Vec<f64>,
    frames: Vec<(Option<f64>, f64)>,
}

/// What a stack shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TemporalStats {
    /// Frames in the stack.
    pub frames: usize,
    /// Median per-pixel temporal standard deviation, °C.
    pub temporal_noise_c: Option<f64>,
    /// max − min of the region mean over the frames, °C.
    pub stability_c: f64,
    /// Slope of the region mean over time, °C per hour (needs times).
    pub drift_c_per_h: Option<f64>,
    /// Seconds from the first frame until the region mean stays within
    /// ±0.1 °C of its final value (needs times).
    pub stabilisation_s: Option<f64>,
}

impl TemporalStack {
    /// An empty stack over `region`.
    pub fn new(region: Region) -> Self {
        let pixels = region.pixels();
        TemporalStack {
            region,
            count: vec![0; pixels],
            mean: vec![0.0; pixels],
            m2: vec![0.0; pixels],
            frames: Vec::new(),
        }
    }

    /// Adds a frame taken at `time_s` (seconds, any origin).
    pub fn add(&mut self, temperatures: &Array2<f32>, time_s: Option<f64>) {
        let (mut sum, mut n) = (0.0, 0usize);
        let mut pixel = 0;
        for &(row, start, end) in &self.region.spans {
            for column in start..end {
                let v = temperatures.get((row, column)).copied().unwrap_or(f32::NAN);
                if !v.is_nan() {
                    let v = v as f64;
                    self.count[pixel] += 1;
                    let delta = v - self.mean[pixel];
                    self.mean[pixel] += delta / self.count[pixel] as f64;
                    self.m2[pixel] += delta * (v - self.mean[pixel]);
                    sum += v;
                    n += 1;
                }
                pixel += 1;
            }
        }
        if n > 0 {
            self.frames.push((time_s, sum / n as f64));
        }
    }

    /// The statistics; `None` with fewer than two frames.
    pub fn stats(&self) -> Option<TemporalStats> {
        if self.frames.len() < 2 {
            return None;
        }
        let sds: Vec<f64> = self
            .count
            .iter()
            .zip(&self.m2)
            .filter(|(&c, _)| c >= 2)
            .map(|(&c, &m2)| (m2 / (c - 1) as f64).sqrt())
            .collect();
        let means: Vec<f64> = self.frames.iter().map(|f| f.1).collect();
        let stability_c = means.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - means.iter().copied().fold(f64::INFINITY, f64::min);
        let timed: Vec<(f64, f64)> = self
            .frames
            .iter()
            .filter_map(|&(t, m)| t.map(|t| (t, m)))
            .collect();
        let all_timed = timed.len() == self.frames.len();
        let drift_c_per_h = if all_timed {
            let (t, m): (Vec<f64>, Vec<f64>) = timed.iter().copied().unzip();
            ols(&t, &m).map(|fit| fit.slope * 3600.0)
        } else {
            None
        };
        let stabilisation_s = all_timed.then(|| {
            let last = timed[timed.len() - 1].1;
            let first_time = timed[0].0;
            let settled_from = timed
                .iter()
                .rposition(|&(_, m)| (m - last).abs() > STABLE_BAND_C)
                .map_or(0, |i| i + 1);
            timed[settled_from.min(timed.len() - 1)].0 - first_time
        });
        Some(TemporalStats {
            frames: self.frames.len(),
            temporal_noise_c: median(&sds),
            stability_c,
            drift_c_per_h,
            stabilisation_s,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_stability_drift_and_settling_by_hand() {
        // Two pixels; frames at 0, 60, 120, 180 s with region means 30.5, 30.2,
        // 30.0, 30.0 (pixel values mean ± 0.1 alternating).
        let region = Region {
            spans: vec![(0, 0, 2)],
        };
        let mut stack = TemporalStack::new(region);
        for (i, m) in [30.5f32, 30.2, 30.0, 30.0].into_iter().enumerate() {
            let t = Array2::from_shape_vec((1, 2), vec![m - 0.1, m + 0.1]).unwrap();
            stack.add(&t, Some(60.0 * i as f64));
        }
        let s = stack.stats().unwrap();
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
        // Within 0.1 of the final 30.0 from the third frame on: 120 s.
        assert_eq!(s.stabilisation_s, Some(120.0));
        assert!(TemporalStack::new(Region::default()).stats().is_none());
    }
}
