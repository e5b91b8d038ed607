//! `display_mismatch`: the value a camera displays differs from its own
//! radiometric value of the same scene — the strongest evidence of
//! manipulation (docs/design.md; docs/science.md §3).
//!
//! On paired observations, `e = reported − radiometric` is regressed on the
//! radiometric value. Flags when the difference depends on temperature (the
//! slope's 95 % CI excludes 0 and |slope| > [`SLOPE_MIN`]) or when the mean
//! difference exceeds the stated accuracy. It looks at the session as a
//! whole, over the observations that have both a displayed value and a
//! frame (at least [`MIN_PAIRS`]).

use serde_json::json;

use super::{About, Detector, SessionInput};
use crate::model::{Finding, Severity};
use fevercheck_stats::descriptive::Summary;
use fevercheck_stats::differences;
use fevercheck_stats::regression::ols;

/// Smallest |slope| of (reported − radiometric) on radiometric that flags
/// (docs/science.md §3): 0.2 is a display compressed to a slope of 0.8, beyond
/// the 0.9–1.1 gain errors that calibration explains.
pub(super) const SLOPE_MIN: f64 = 0.2;

/// Fewest observations with both values on which the detector decides: a
/// slope and its interval need three points.
pub(super) const MIN_PAIRS: usize = 3;

/// Smallest span of the radiometric values over which the gap's slope is
/// judged, °C: over 1 °C a slope of [`SLOPE_MIN`] moves the gap by 0.2 °C,
/// twice a display's usual 0.1 °C resolution. Over less (a one-step
/// stability run sees only the scene's noise) a display that rounds or
/// holds its value would show any slope at all.
pub(super) const MIN_SCENE_SPAN_C: f64 = 1.0;

/// Compares what the device displayed with its own radiometric data.
pub(super) struct DisplayMismatchDetector;

impl Detector for DisplayMismatchDetector {
    fn about(&self) -> About {
        About::manipulation("display_mismatch", false)
    }

    fn on_session(&self, input: &SessionInput) -> Vec<Finding> {
        if input.reported.len() < MIN_PAIRS {
            return Vec::new();
        }
        display_mismatch(input.reported, input.radiometric, input.stated_accuracy_c)
            .into_iter()
            .collect()
    }
}

/// Compares the displayed values with the camera's own radiometric values.
pub fn display_mismatch(
    reported: &[f64],
    radiometric: &[f64],
    stated_accuracy_c: f64,
) -> Option<Finding> {
    let e = differences(radiometric, reported);
    let bias = Summary::of(&e)?.mean;
    let offset = bias.abs() > stated_accuracy_c;
    let span = Summary::of(radiometric).map_or(0.0, |s| s.max - s.min);
    // A slope is judged only over a scene that varies, and only when its
    // interval is narrower than the effect it would report.
    let fit = ols(radiometric, &e).filter(|f| {
        span >= MIN_SCENE_SPAN_C
            && f.slope_ci.low.is_finite()
            && f.slope_ci.high.is_finite()
            && (f.slope_ci.high - f.slope_ci.low) / 2.0 < SLOPE_MIN
    });
    let depends = fit.is_some_and(|f| !f.slope_ci.contains(0.0) && f.slope.abs() > SLOPE_MIN);
    if !depends && !offset {
        return (fit.is_none()).then(|| slope_not_judged(span, e.len()));
    }
    let mut reasons = Vec::new();
    if let (true, Some(f)) = (depends, fit) {
        reasons.push(format!(
            "the gap changes by {:+.2} °C per °C of scene temperature (95 % CI {:.2} to {:.2})",
            f.slope, f.slope_ci.low, f.slope_ci.high
        ));
    }
    if offset {
        reasons.push(format!(
            "the display is {bias:+.2} °C off its own radiometric value on average"
        ));
    }
    let message = format!(
        "the displayed temperatures disagree with the camera's own radiometric data of the same \
         scene: {}. The display is not showing what the sensor measured",
        reasons.join("; ")
    );
    let evidence = json!({
        "mean_difference_c": bias,
        "difference_slope": fit.map(|f| f.slope),
        "difference_slope_ci": fit.map(|f| f.slope_ci),
        "pairs": e.len(),
        "stated_accuracy_c": stated_accuracy_c,
    });
    Some(Finding::new(
        "display_mismatch",
        "reported",
        Severity::Manipulation,
        message,
        evidence,
    ))
}

/// The warning when the gap's slope cannot be judged: the frames' scene
/// barely varies (or the slope's interval is wider than the effect).
fn slope_not_judged(span_c: f64, pairs: usize) -> Finding {
    Finding::new(
        "display_mismatch",
        "reported",
        Severity::Warning,
        format!(
            "cannot judge whether the display departs from the camera's own data as the scene \
             changes: the frames' temperatures span {span_c:.2} °C over {pairs} frames (at least \
             {MIN_SCENE_SPAN_C:.1} °C needed); only the average gap was compared with the claim"
        ),
        json!({ "radiometric_span_c": span_c, "pairs": pairs }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_that_copies_the_sensor_is_not_flagged() {
        let radiometric = [35.0, 36.0, 37.0, 38.0, 39.0, 40.0];
        let reported = [35.1, 35.9, 37.1, 38.0, 38.9, 40.1];
        assert!(display_mismatch(&reported, &radiometric, 0.3).is_none());
    }

    #[test]
    fn a_compressed_display_over_honest_frames_is_flagged() {
        // Display = 37 + 0.2(t − 37): gap slope −0.8.
        let radiometric = [35.0, 36.0, 37.0, 38.0, 39.0, 40.0];
        let reported: Vec<f64> = radiometric
            .iter()
            .map(|t| 37.0 + 0.2 * (t - 37.0) + 0.01 * f64::sin(*t))
            .collect();
        let finding = display_mismatch(&reported, &radiometric, 0.3).unwrap();
        assert_eq!(finding.severity, Severity::Manipulation);
        assert!(finding.message.contains("per °C"), "{}", finding.message);
    }

    #[test]
    fn a_steady_display_over_a_steady_scene_is_not_a_slope() {
        // A one-step stability run (issue #24): the display holds 31.6 °C
        // while the frames wander by scene noise; the gap's slope is -1 by
        // construction and means nothing.
        let radiometric = [31.55, 31.62, 31.58, 31.66, 31.51, 31.6, 31.57, 31.64];
        let reported = [31.6; 8];
        let finding = display_mismatch(&reported, &radiometric, 0.3).unwrap();
        assert_eq!(finding.severity, Severity::Warning);
        assert!(
            finding.message.starts_with("cannot judge"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn an_offset_just_beyond_the_claim_is_flagged_and_just_within_is_not() {
        let radiometric = [35.0, 36.0, 37.0, 38.0];
        let within: Vec<f64> = radiometric.iter().map(|t| t - 0.29).collect();
        let beyond: Vec<f64> = radiometric.iter().map(|t| t - 0.31).collect();
        assert!(display_mismatch(&within, &radiometric, 0.3).is_none());
        assert!(display_mismatch(&beyond, &radiometric, 0.3).is_some());
    }
}
