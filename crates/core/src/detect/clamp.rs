//! `clamp`: the output stops rising at a ceiling (or stops falling at a
//! floor) while the target goes on (docs/science.md §3).
//!
//! A hinge (two-segment) fit of the step means finds the knee and the slopes
//! before and after it. Ceiling: the device follows the target below the knee
//! (slope in [`FOLLOWING_SLOPE`]), is flat after it (|slope| below
//! [`FLAT_SLOPE_MAX`]), the knee is below the febrile threshold
//! [`FEBRILE_THRESHOLD_C`], no step mean reaches it while the target went at
//! least [`MIN_OVERSHOOT_C`] past it. Floor: the mirror image at the cold end,
//! the readings never going [`MIN_OVERSHOOT_C`] below the coldest target's
//! level. Evidence includes the share of readings at the extreme value.

use serde_json::json;

use super::sweep_view::SweepView;
use super::{alarm_consequence, About, Detector, DetectorInput};
use crate::model::{Finding, Severity};
use fevercheck_stats::hinge::{hinge_fit, Hinge};

/// Slopes that count as following the target (≈ 1; a gain error of 0.9–1.1
/// and noise on a 2 °C segment stay well inside).
pub(super) const FOLLOWING_SLOPE: (f64, f64) = (0.6, 1.5);

/// Largest |slope| that counts as flat (docs/science.md §3: "|slope after| < 0.2").
pub(super) const FLAT_SLOPE_MAX: f64 = 0.2;

/// The febrile threshold a ceiling must stay below, °C: 38.0 °C (100.4 °F),
/// the highest fever threshold in use (docs/science.md §1).
pub(super) const FEBRILE_THRESHOLD_C: f64 = 38.0;

/// How far the target must go past the threshold (ceiling) or below the
/// readings (floor), °C (docs/science.md §3: "at least 38.5 °C (θ + 0.5 with θ = 38.0 °C)").
pub(super) const MIN_OVERSHOOT_C: f64 = 0.5;

/// Detects a ceiling or floor on the output.
pub(super) struct ClampDetector;

impl Detector for ClampDetector {
    fn about(&self) -> About {
        About::shape("clamp", "a ceiling or floor")
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let Some(hinge) = hinge_fit(&view.references, &view.means) else {
            return Vec::new();
        };
        let mut findings = Vec::new();
        if is_ceiling(view, &hinge) {
            findings.push(self.finding(input, view, &hinge, Side::Ceiling));
        }
        if is_floor(view, &hinge) {
            findings.push(self.finding(input, view, &hinge, Side::Floor));
        }
        findings
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Ceiling,
    Floor,
}

fn follows(slope: f64) -> bool {
    (FOLLOWING_SLOPE.0..=FOLLOWING_SLOPE.1).contains(&slope)
}

fn is_ceiling(view: &SweepView, h: &Hinge) -> bool {
    let max_reference = view.references.last().copied().unwrap_or(f64::NAN);
    let max_mean = view.means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    follows(h.slope_before)
        && h.slope_after.abs() < FLAT_SLOPE_MAX
        && h.knee < FEBRILE_THRESHOLD_C
        && max_mean < FEBRILE_THRESHOLD_C
        && max_reference >= FEBRILE_THRESHOLD_C + MIN_OVERSHOOT_C
}

fn is_floor(view: &SweepView, h: &Hinge) -> bool {
    let min_reference = view.references.first().copied().unwrap_or(f64::NAN);
    let min_mean = view.means.iter().copied().fold(f64::INFINITY, f64::min);
    follows(h.slope_after)
        && h.slope_before.abs() < FLAT_SLOPE_MAX
        && min_mean >= min_reference + MIN_OVERSHOOT_C
        && h.knee >= min_reference + 2.0 * MIN_OVERSHOOT_C
}

impl ClampDetector {
    fn finding(&self, input: &DetectorInput, view: &SweepView, h: &Hinge, side: Side) -> Finding {
        let extreme = match side {
            Side::Ceiling => input
                .device
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max),
            Side::Floor => input.device.iter().copied().fold(f64::INFINITY, f64::min),
        };
        let at_extreme = input
            .device
            .iter()
            .filter(|&&y| (y - extreme).abs() < 1e-9)
            .count();
        let share = at_extreme as f64 / input.device.len().max(1) as f64;
        let (first, last) = (
            view.references[0],
            view.references[view.references.len() - 1],
        );
        let message = match side {
            Side::Ceiling => format!(
                "readings follow the target up to {:.2} °C and then stop rising (slope {:.2} before, \
                 {:.2} after); the highest reading is {extreme:.2} °C ({:.0} % of readings) while \
                 the target went to {last:.2} °C; {}",
                h.knee,
                h.slope_before,
                h.slope_after,
                100.0 * share,
                alarm_consequence(input),
            ),
            Side::Floor => format!(
                "readings stop falling at {extreme:.2} °C ({:.0} % of readings): below a {:.2} °C \
                 target the device shows about {:.2} °C whatever the target (slope {:.2}), down to a \
                 {first:.2} °C target; cold readings are raised to normal",
                100.0 * share,
                h.knee,
                h.value_at_knee,
                h.slope_before,
            ),
        };
        let evidence = json!({
            "side": if side == Side::Ceiling { "ceiling" } else { "floor" },
            "knee_c": h.knee,
            "value_at_knee_c": h.value_at_knee,
            "slope_before": h.slope_before,
            "slope_after": h.slope_after,
            "extreme_reading_c": extreme,
            "share_at_extreme": share,
            "reference_range_c": [first, last],
            "thresholds": {"flat_slope_max": FLAT_SLOPE_MAX, "febrile_threshold_c": FEBRILE_THRESHOLD_C},
        });
        let (low, high) = match side {
            Side::Ceiling => (h.knee, last),
            Side::Floor => (first, h.knee),
        };
        self.new_finding(input, Severity::Manipulation, message, evidence)
            .flagging(low, high)
            .with_knee(h.knee)
            .with_fit(view.hinge_shape_fit(h))
    }
}
