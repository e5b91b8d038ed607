//! `carry_over`: readings taken before each step settled, so that each
//! carries part of the previous target (a slow sensor, or a blackbody read
//! before it reached its new set-point). Visited in random order, such
//! readings are drawn toward the middle of the sweep exactly as a
//! compressing device's are, and every test of the transfer's shape would
//! see a manipulation that is not there (measured before this check: 38 %
//! of honest unsettled devices accused on 11 × 1, 15.5 % on 21 × 3).
//!
//! A device that reads behind the change follows it by a share `f` per
//! reading: `y_i = f·x_i + (1 − f)·y_{i−1}` (an exponential response), so
//! each reading `y` is regressed on its target `x` (any calibration, any
//! compression) and on the reading before it, `y_prev`. The coefficient of
//! `y_prev` is the share carried over, `1 − f`; a compressing, clamping or
//! hiding device's reading depends on its own target only (visited in
//! random order, the reading before it belongs to an unrelated target),
//! and an adaptive baseline's depends on it with the opposite sign. The
//! carry-over is found when its share exceeds [`CARRY_OVER_T`] standard
//! errors and moves the readings, in root mean square over the changes of
//! target, by more than [`MATERIAL_SHARE_OF_CLAIM`] of the stated
//! accuracy: then the shape of the transfer is not judged, and the report
//! says why. Only readings whose target changed count, and only when the
//! targets were visited out of order (consecutive targets correlated within
//! ±[`MAX_TARGET_CORRELATION`]): in a monotone sweep the reading before is
//! the device's own value one step away, which carries the shape of any
//! transfer; there a slow sensor changes no shape anyway.

use serde_json::json;

use fevercheck_stats::centred_sums::CentredSums;
use fevercheck_stats::partial_slope::partial_slope;

use super::DetectorInput;
use crate::model::{Finding, Severity};

/// Standard errors by which the carry-over must exceed zero (a one-sided
/// normal tail of 3e-5: honest settled devices do not get there).
pub const CARRY_OVER_T: f64 = 4.0;

/// Share of the stated accuracy the carried part must move the readings
/// by (root mean square over the changes of target): one step of a
/// monotone sweep carried by a slow sensor moves them by a few hundredths
/// of a degree and changes no shape; random jumps of several degrees do.
pub const MATERIAL_SHARE_OF_CLAIM: f64 = 0.5;

/// Largest correlation of consecutive targets for which the carry-over is
/// estimated: about 0 in random order, near 1 in a monotone sweep.
pub const MAX_TARGET_CORRELATION: f64 = 0.5;

/// Fewest pairs of consecutive readings the regression needs.
const MIN_READINGS: usize = 6;

/// The detector id of the warning.
pub const ID: &str = "carry_over";

/// What the readings carry of the previous target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CarryOver {
    /// Share of the reading before that a reading carries (`1 − f`).
    pub share: f64,
    /// Its standard error.
    pub se: f64,
    /// Root mean square of what the carried share moves a reading whose
    /// target changed, `share·(y_prev − x)`, °C.
    pub carried_c: f64,
}

/// The carry-over of the input's readings, in the order they were taken;
/// `None` with too few readings or changes of target to estimate it.
pub fn carry_over(input: &DetectorInput) -> Option<CarryOver> {
    let times = &input.times.seconds;
    let mut order: Vec<usize> = (0..input.reference.len()).collect();
    order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    // (target, reading before, reading) in the order taken, where the
    // target changed: a repeated reading of one target says nothing of
    // where the device came from.
    let changed: Vec<(usize, usize)> = order
        .windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|&(before, now)| input.reference[before] != input.reference[now])
        .collect();
    let rows: Vec<(f64, f64, f64)> = changed
        .iter()
        .map(|&(before, now)| {
            (
                input.reference[now],
                input.device[before],
                input.device[now],
            )
        })
        .collect();
    if rows.len() < MIN_READINGS || !out_of_order(input, &changed) {
        return None;
    }
    // The reading's coefficient on the reading before, its target held
    // fixed: least squares of y on [1, x, y_prev].
    let column = |pick: fn(&(f64, f64, f64)) -> f64| rows.iter().map(pick).collect::<Vec<f64>>();
    let (targets, before, readings) = (column(|r| r.0), column(|r| r.1), column(|r| r.2));
    let fit = partial_slope(&readings, &targets, &before)?;
    let (share, se) = (fit.slope, fit.se);
    // What the carried share moves each reading by: share·(reading before
    // − target).
    let moved: Vec<f64> = rows.iter().map(|r| share * (r.1 - r.0)).collect();
    let carried_c = (moved.iter().map(|m| m * m).sum::<f64>() / moved.len().max(1) as f64).sqrt();
    Some(CarryOver {
        share,
        se,
        carried_c,
    })
}

/// Whether the targets were visited out of order: the previous target
/// tells little of the next (correlation within ±[`MAX_TARGET_CORRELATION`]).
/// In a monotone or up-and-down sweep the reading before is the device's
/// own value one step away, which carries the shape of any transfer, so
/// its coefficient would measure that shape and not a carry-over.
fn out_of_order(input: &DetectorInput, changed: &[(usize, usize)]) -> bool {
    let (before, now): (Vec<f64>, Vec<f64>) = changed
        .iter()
        .map(|&(before, now)| (input.reference[before], input.reference[now]))
        .unzip();
    let sums = CentredSums::of(&before, &now);
    sums.sxx > 0.0
        && sums.syy > 0.0
        && (sums.sxy / (sums.sxx * sums.syy).sqrt()).abs() <= MAX_TARGET_CORRELATION
}

/// The warning when the readings carry over enough to fake a shape: the
/// tests of the transfer's shape named in `not_run` are not made.
pub fn warning(input: &DetectorInput, not_run: &[&str]) -> Option<Finding> {
    let found = carry_over(input)?;
    let stated = input.accuracy.stated_accuracy_c;
    let material = found.carried_c > MATERIAL_SHARE_OF_CLAIM * stated;
    if !(found.share > CARRY_OVER_T * found.se && material) {
        return None;
    }
    Some(Finding::new(
        ID,
        input.source,
        Severity::Warning,
        format!(
            "the readings had not settled: each carries {:.0} % (± {:.0} %) of the reading before \
             it, moving them by {:.2} °C (root mean square) — a slow sensor, or a \
             blackbody read before it reached its set-point. Visited out of order, such readings \
             are drawn toward the middle of the sweep as a compressing device's are, so the \
             transfer's shape is not judged ({}): let every step settle before reading it, or \
             sweep up and then down",
            100.0 * found.share,
            100.0 * found.se,
            found.carried_c,
            not_run.join(", "),
        ),
        json!({
            "carried_share": found.share,
            "carried_share_se": found.se,
            "carried_rms_c": found.carried_c,
            "not_run": not_run,
            "thresholds": {
                "carry_over_t": CARRY_OVER_T,
                "material_share_of_claim": MATERIAL_SHARE_OF_CLAIM,
                "stated_accuracy_c": stated,
            },
        }),
    ))
}
