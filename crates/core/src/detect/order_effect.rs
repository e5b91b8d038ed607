//! `order_effect`: the output depends on what the device saw before (an
//! adaptive baseline), so the same target reads differently in an upward and
//! a downward sweep (docs/science.md §3).
//!
//! Needs a `sweep` column with at least two labels. For each pair of sweeps,
//! `sweep_pairs` compares their settled readings at the shared steps. Two
//! honest causes make sweeps differ, and neither is a manipulation:
//! - **drift**: every visit of the second sweep is later. The mean
//!   difference must exceed what a drift of [`PLAUSIBLE_DRIFT_C_PER_H`](super::time_effect::PLAUSIBLE_DRIFT_C_PER_H) over
//!   the mean time between the visits explains, by [`T_MIN`] standard errors
//!   (the `drift` detector reports the drift itself);
//! - **a slow sensor**: readings behind the change of target, so the rising
//!   sweep reads lower than the falling one. An order effect of that sign is
//!   reported as a warning (a slow response), not as manipulation; one of
//!   the opposite sign — readings ahead of the change, as a subtracted
//!   adaptive baseline gives — is.
//!
//! - **ambient ripple**: a room whose temperature swings moves every
//!   reading with it, so two visits of one target can differ by up to twice
//!   the swing's amplitude whatever the order. The mean difference must
//!   also exceed the largest mean difference a ripple of
//!   [`PLAUSIBLE_RIPPLE_C`] with a period in
//!   [`RIPPLE_PERIODS_S`] gives at
//!   the visits' times.
//!
//! It must also exceed the display resolution.

use serde_json::json;

use super::sweep_pairs::{sweep_contrasts, sweep_count, SweepContrast, MIN_SHARED_STEPS};
use super::sweep_view::SweepView;
#[cfg(doc)]
use super::time_effect::RIPPLE_PERIODS_S;
use super::time_effect::{PLAUSIBLE_DRIFT_C_PER_H, PLAUSIBLE_RIPPLE_C};
use super::{About, Detector, DetectorInput};
use crate::model::{Finding, Severity};

/// Standard errors the order effect `γ` must exceed. A test on the largest
/// step difference at 3 SE fired on honest devices several percent of the
/// time; `γ` at 4 SE keeps the false-positive rate of the seeded calibration
/// (tests/calibration.rs, drifting and slow sensors included) under 1 %.
pub(super) const T_MIN: f64 = 4.0;

/// Detects output that depends on the order of targets.
pub(super) struct OrderEffectDetector;

impl Detector for OrderEffectDetector {
    fn about(&self) -> About {
        About::manipulation("order_effect", true)
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let sweeps = sweep_count(input);
        if sweeps < 2 {
            return vec![self.cannot_test(
                input,
                "the session has no `sweep` column with two or more sweeps. Sweep the blackbody \
                 up and then down, labelling the rows `up` and `down`, to test whether readings \
                 depend on what the device saw before",
                sweeps,
            )];
        }
        let Some(best) = sweep_contrasts(input)
            .into_iter()
            .max_by(|a, b| beyond_time_effects_t(a).total_cmp(&beyond_time_effects_t(b)))
        else {
            let why = format!("no two sweeps share {MIN_SHARED_STEPS} or more steps");
            return vec![self.cannot_test(input, &why, sweeps)];
        };
        let resolution = view.resolution_c;
        if !(beyond_time_effects_t(&best) > T_MIN && best.mean_difference_c.abs() > resolution) {
            return Vec::new();
        }
        if best.looks_like_slow_response() {
            return vec![Finding::new(
                self.id(),
                input.source,
                Severity::Warning,
                slow_response_message(&best),
                evidence(&best, resolution),
            )];
        }
        vec![Finding::new(
            self.id(),
            input.source,
            Severity::Manipulation,
            message(&best),
            evidence(&best, resolution),
        )]
    }
}

impl OrderEffectDetector {
    fn cannot_test(&self, input: &DetectorInput, why: &str, sweeps: usize) -> Finding {
        Finding::new(
            self.id(),
            input.source,
            Severity::Warning,
            format!("cannot test for order effects: {why}"),
            json!({ "sweeps": sweeps }),
        )
    }
}

/// Standard errors by which the mean sweep difference exceeds what a
/// plausible drift and ambient ripple explain (0 when it does not).
fn beyond_time_effects_t(c: &SweepContrast) -> f64 {
    let explained = PLAUSIBLE_DRIFT_C_PER_H * c.mean_gap_h.abs()
        + c.largest_ripple_difference_c(PLAUSIBLE_RIPPLE_C);
    let excess = (c.mean_difference_c.abs() - explained).max(0.0);
    if c.mean_difference_se_c > 0.0 {
        excess / c.mean_difference_se_c
    } else if excess > 0.0 {
        f64::INFINITY
    } else {
        0.0
    }
}

fn slow_response_message(c: &SweepContrast) -> String {
    format!(
        "readings lag the target when it changes: over {} shared steps the `{}` sweep reads \
         {:+.2} °C from the `{}` sweep, the sign of a sensor that has not settled (rising \
         targets read low, falling ones high). This is a response-time problem, not a \
         manipulation: wait longer at each step or take several readings and keep the last",
        c.shared_steps, c.first, c.mean_difference_c, c.second
    )
}

fn message(c: &SweepContrast) -> String {
    let (at, a, b, d) = c.largest;
    format!(
        "the same target reads differently depending on the sweep: at {at:.2} °C the `{}` sweep \
         read {a:.2} °C and the `{}` sweep {b:.2} °C ({d:+.2} °C); over {} shared steps `{}` − \
         `{}` = {:+.2} °C on average, {:.1} standard errors beyond what a drift of {} °C per hour \
         and an ambient ripple of ±{} °C could explain, and ahead of the change of target where \
         a slow sensor would lag behind. The output depends on what the device saw before (an adaptive baseline), not only on \
         the target{}",
        c.first,
        c.second,
        c.shared_steps,
        c.first,
        c.second,
        c.mean_difference_c,
        beyond_time_effects_t(c),
        PLAUSIBLE_DRIFT_C_PER_H,
        PLAUSIBLE_RIPPLE_C,
        if c.settled_only {
            ""
        } else {
            ". With one reading per step and sweep, a stronger ambient ripple as long as the \
             sweep can look the same: confirm with several readings per step or a second up-down cycle"
        },
    )
}

fn evidence(c: &SweepContrast, resolution: f64) -> serde_json::Value {
    let (at, a, b, d) = c.largest;
    json!({
        "sweeps": [c.first, c.second],
        "shared_steps": c.shared_steps,
        "t_beyond_plausible_time_effects": beyond_time_effects_t(c),
        "equal_time_difference_c": c.order_effect_c,
        "mean_gap_h": c.mean_gap_h,
        "directions": [c.directions.0, c.directions.1],
        "mean_difference_c": c.mean_difference_c,
        "mean_difference_se_c": c.mean_difference_se_c,
        "largest_ripple_difference_c": c.largest_ripple_difference_c(PLAUSIBLE_RIPPLE_C),
        "drift_per_hour": c.drift_per_hour,
        "time_basis": c.time_basis.name(),
        "settled_readings_only": c.settled_only,
        "largest_difference": {"reference_c": at, "first_c": a, "second_c": b, "difference_c": d},
        "display_resolution_c": resolution,
        "thresholds": {
            "t_min": T_MIN,
            "plausible_drift_c_per_h": PLAUSIBLE_DRIFT_C_PER_H,
            "plausible_ripple_c": PLAUSIBLE_RIPPLE_C,
        },
    })
}
