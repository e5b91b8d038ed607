//! Says what kind of calibration error explains an inaccurate device, so the
//! report can say "a calibration error, not a manipulation" (docs/science.md §3:
//! a constant offset, noise within a few tenths of a degree, a gain of
//! 0.9–1.1 and 0.1 °C display rounding are calibration problems).

use crate::model::Accuracy;

/// Gains that count as a calibration error (docs/science.md §3).
pub(crate) const CALIBRATION_GAIN: (f64, f64) = (0.9, 1.1);

/// Largest |slope − 1| still called a pure offset.
const OFFSET_GAIN_TOLERANCE: f64 = 0.05;

/// A phrase naming the calibration error that explains `accuracy`, e.g.
/// "an offset of −0.90 °C"; `None` when the slope is outside 0.9–1.1 (then
/// it is not a calibration error) or when the fit is undefined.
pub(crate) fn explanation(accuracy: &Accuracy) -> Option<String> {
    let slope = accuracy.slope?;
    if !(CALIBRATION_GAIN.0..=CALIBRATION_GAIN.1).contains(&slope) {
        return None;
    }
    if (slope - 1.0).abs() <= OFFSET_GAIN_TOLERANCE {
        if accuracy.bias_c.abs() > accuracy.stated_accuracy_c {
            return Some(format!("an offset of {:+.2} °C", accuracy.bias_c));
        }
        let sd = accuracy.residual_sd_c.unwrap_or(0.0);
        return Some(format!(
            "noise (residual sd {sd:.2} °C) around a correct mean"
        ));
    }
    Some(format!(
        "a gain error (slope {slope:.2}) with an offset of {:+.2} °C",
        accuracy.bias_c
    ))
}
