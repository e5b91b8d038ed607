//! What the shape detectors look at: the step means of one source in order of
//! the reference, with an estimate of the per-reading noise and of the
//! display resolution, and the check that the sweep can decide at all.
//!
//! Noise estimate, in order of preference: the pooled within-step standard
//! deviation when steps repeat (at least [`MIN_POOLED_DF`] degrees of
//! freedom); else a robust estimate from second differences of the step means
//! (`MAD/0.6745/√6`: for independent noise σ, a second difference has sd
//! σ√6, and the median ignores the few steps where the curve bends); never
//! less than the rounding noise of the display, `resolution/√12`.

use super::DetectorInput;
use crate::model::{Finding, FittedShape, Severity, ShapeFit};
use fevercheck_stats::descriptive::median;
use fevercheck_stats::hinge::Hinge;

/// Narrowest reference span on which shape detectors decide, °C: docs/science.md
/// §3 asks for "a sweep of ≥ 3 °C" (the Healy sweep spans 5 °C).
pub const MIN_SWEEP_SPAN_C: f64 = 3.0;

/// Fewest steps on which shape detectors decide: the hinge fit needs three
/// distinct references on each side of a knee, so five in all.
pub const MIN_STEPS: usize = 5;

/// Parameters of a hinge: the knee, the value there and two slopes.
const HINGE_PARAMETERS: usize = 4;

/// Fewest within-step degrees of freedom for the pooled noise estimate;
/// below it the second-difference estimate is used.
pub(super) const MIN_POOLED_DF: usize = 5;

/// Display resolution assumed when session.toml states none and the data do
/// not show one, °C: the 0.1 °C display of the devices Healy et al. tested.
pub(super) const DEFAULT_DISPLAY_RESOLUTION_C: f64 = 0.1;

/// Finest display resolution read from the data, °C (values are rarely
/// written with more than two decimals).
const FINEST_RESOLUTION_C: f64 = 0.01;

/// The steps of one source, coldest first.
#[derive(Debug, Clone)]
pub struct SweepView {
    /// Step references, °C, ascending.
    pub references: Vec<f64>,
    /// Mean device value at each step, °C.
    pub means: Vec<f64>,
    /// Readings at each step.
    pub counts: Vec<usize>,
    /// Estimated sd of one reading, °C.
    pub noise_sd_c: f64,
    /// Display resolution, °C (stated, else estimated from the values).
    pub resolution_c: f64,
    /// Times of each step's readings, seconds from the first reading (the
    /// `time` column, else the reading order at one reading a minute).
    pub step_times_s: Vec<Vec<f64>>,
}

impl SweepView {
    /// The view of the input's source.
    pub fn of(input: &DetectorInput) -> SweepView {
        let mut references = Vec::new();
        let mut means = Vec::new();
        let mut counts = Vec::new();
        let mut within_squares = 0.0;
        let mut within_df = 0;
        let mut times_by_step = vec![Vec::new(); input.steps.len()];
        for (&step, &time) in input.step_of.iter().zip(&input.times.seconds) {
            if let Some(times) = times_by_step.get_mut(step) {
                times.push(time);
            }
        }
        let mut step_times_s = Vec::new();
        for (step, times) in input.steps.iter().zip(times_by_step) {
            if let Some(s) = step.source(input.source) {
                references.push(step.reference_c);
                means.push(s.mean_c);
                counts.push(s.n);
                step_times_s.push(times);
                if let Some(sd) = s.sd_c {
                    within_squares += sd * sd * (s.n - 1) as f64;
                    within_df += s.n - 1;
                }
            }
        }
        let resolution_c = input
            .device_info
            .display_resolution_c
            .unwrap_or_else(|| estimated_resolution(input.device));
        let estimate = if within_df >= MIN_POOLED_DF {
            (within_squares / within_df as f64).sqrt()
        } else {
            second_difference_sd(&means)
        };
        let noise_sd_c = estimate.max(resolution_c / 12f64.sqrt());
        SweepView {
            references,
            means,
            counts,
            noise_sd_c,
            resolution_c,
            step_times_s,
        }
    }

    /// Span of the step references, °C.
    pub fn reference_span_c(&self) -> f64 {
        match (self.references.first(), self.references.last()) {
            (Some(first), Some(last)) => last - first,
            _ => 0.0,
        }
    }

    /// Range of the step means, °C.
    pub fn mean_range_c(&self) -> f64 {
        let max = self.means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = self.means.iter().copied().fold(f64::INFINITY, f64::min);
        if self.means.is_empty() {
            0.0
        } else {
            max - min
        }
    }

    /// Standard error of the mean at step `i`.
    pub fn step_se(&self, i: usize) -> f64 {
        self.noise_sd_c / (self.counts[i].max(1) as f64).sqrt()
    }

    /// Typical time between the readings of steps `a` and `b`, seconds:
    /// each step's times sorted and paired in order, the mean gap of the
    /// pairs (a step visited once per sweep in two sweeps pairs its up visit
    /// with the other step's up visit, and its down visit with the down).
    pub fn time_between_steps_s(&self, a: usize, b: usize) -> f64 {
        let sorted = |i: usize| {
            let mut times = self.step_times_s[i].clone();
            times.sort_by(f64::total_cmp);
            times
        };
        let (first, second) = (sorted(a), sorted(b));
        let pairs = first.len().min(second.len());
        if pairs == 0 {
            return 0.0;
        }
        first
            .iter()
            .zip(&second)
            .map(|(x, y)| (x - y).abs())
            .sum::<f64>()
            / pairs as f64
    }

    /// How well `fitted` (one value per step) explains the step means, for a
    /// shape of `parameters` parameters; no fit counts as better than the
    /// noise of the most precise step mean.
    pub fn shape_fit(&self, fitted: &[f64], parameters: usize) -> Option<FittedShape> {
        let floor = (0..self.means.len())
            .map(|i| self.step_se(i).powi(2))
            .fold(f64::INFINITY, f64::min);
        let fit = ShapeFit::of(&self.means, fitted, parameters, floor.min(f64::MAX))?;
        let curve = self
            .references
            .iter()
            .zip(fitted)
            .map(|(&x, &y)| [x, y])
            .collect();
        Some(FittedShape { fit, curve })
    }

    /// [`SweepView::shape_fit`] of a hinge (four parameters: the knee, the
    /// value there and two slopes).
    pub fn hinge_shape_fit(&self, hinge: &Hinge) -> Option<FittedShape> {
        let fitted: Vec<f64> = self.references.iter().map(|&x| hinge.value_at(x)).collect();
        self.shape_fit(&fitted, HINGE_PARAMETERS)
    }

    /// The step whose reference is closest to `target_c`.
    pub fn nearest_step(&self, target_c: f64) -> Option<usize> {
        (0..self.references.len()).min_by(|&a, &b| {
            (self.references[a] - target_c)
                .abs()
                .total_cmp(&(self.references[b] - target_c).abs())
        })
    }

    /// A warning when the sweep is too narrow or has too few steps for
    /// `detector` to decide; `None` when it can decide.
    pub fn cannot_decide(&self, detector: &str, source: &str, looks_for: &str) -> Option<Finding> {
        let span = self.reference_span_c();
        let steps = self.references.len();
        let reason = if span < MIN_SWEEP_SPAN_C {
            format!(
                "the reference spans only {span:.2} °C (at least {MIN_SWEEP_SPAN_C:.1} °C needed)"
            )
        } else if steps < MIN_STEPS {
            format!("the session has only {steps} reference steps (at least {MIN_STEPS} needed)")
        } else {
            return None;
        };
        Some(Finding::new(
            detector,
            source,
            Severity::Warning,
            format!(
                "cannot test for {looks_for}: {reason}. Sweep the blackbody over at least 34–39 °C in \
                 steps of 0.25–0.5 °C to make this test"
            ),
            serde_json::json!({ "reference_span_c": span, "steps": steps }),
        ))
    }
}

/// Robust sd of one value from second differences of consecutive values.
fn second_difference_sd(values: &[f64]) -> f64 {
    let second: Vec<f64> = values
        .windows(3)
        .map(|w| w[0] - 2.0 * w[1] + w[2])
        .collect();
    let Some(centre) = median(&second) else {
        return 0.0;
    };
    let deviations: Vec<f64> = second.iter().map(|d| (d - centre).abs()).collect();
    median(&deviations).map_or(0.0, |mad| mad / 0.6745 / 6f64.sqrt())
}

/// The display resolution the values show: their smallest positive gap,
/// rounded to 0.01 °C and at least that; the default when all are equal.
fn estimated_resolution(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let gap = sorted
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|g| *g > FINEST_RESOLUTION_C / 2.0)
        .fold(f64::INFINITY, f64::min);
    if gap.is_finite() {
        ((gap / FINEST_RESOLUTION_C).round() * FINEST_RESOLUTION_C).max(FINEST_RESOLUTION_C)
    } else {
        DEFAULT_DISPLAY_RESOLUTION_C
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_differences_recover_the_noise_of_a_line() {
        // A line has zero second differences; one bend moves one of them only.
        let bent: Vec<f64> = (0..11).map(|i| (35.0 + 0.5 * i as f64).min(37.0)).collect();
        assert_eq!(second_difference_sd(&bent), 0.0);
        // Values 0, e, 0, e, … give second differences −2e, 2e, … (four of
        // each): median 0, every |d − 0| = 2e, so MAD = 2e and the estimate
        // is 2e/0.6745/√6.
        let e = 0.1;
        let zigzag: Vec<f64> = (0..10).map(|i| if i % 2 == 0 { 0.0 } else { e }).collect();
        let expected = 2.0 * e / 0.6745 / 6f64.sqrt();
        assert!((second_difference_sd(&zigzag) - expected).abs() < 1e-12);
    }

    #[test]
    fn resolution_is_read_from_the_smallest_gap() {
        assert!((estimated_resolution(&[36.6, 36.7, 36.9, 37.0]) - 0.1).abs() < 1e-12);
        assert!((estimated_resolution(&[36.61, 36.62]) - 0.01).abs() < 1e-12);
        assert_eq!(
            estimated_resolution(&[37.0, 37.0]),
            DEFAULT_DISPLAY_RESOLUTION_C
        );
    }
}
