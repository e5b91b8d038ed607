//! `drift`: the device's readings change with time, not with the target —
//! an ordinary warm-up, never a manipulation (docs/science.md §3). Measured
//! where two sweeps visit the same steps at different times (`sweep_pairs`:
//! the part of the difference that grows with the time between the visits).
//!
//! Reported when the drift's 95 % interval excludes 0: severity `accuracy`
//! when the drift over the session's duration exceeds the stated accuracy
//! (the device cannot hold its claim for the length of a test), else
//! `warning`. Without a `time` column the reading order stands in, at one
//! reading a minute, and the rate is per 60 readings.

use serde_json::json;

use super::sweep_pairs::sweep_contrasts;
use super::sweep_view::SweepView;
use super::{About, Detector, DetectorInput};
use crate::model::{Finding, Severity};

/// Reports a device whose readings drift with time.
pub(super) struct DriftDetector;

impl Detector for DriftDetector {
    fn about(&self) -> About {
        About::accuracy("drift", true)
    }

    fn on_source(&self, input: &DetectorInput, _view: &SweepView) -> Vec<Finding> {
        let Some(best) = sweep_contrasts(input)
            .into_iter()
            .filter(|c| c.drift_ci.is_some_and(|ci| !ci.contains(0.0)))
            .max_by_key(|c| c.shared_steps)
        else {
            return Vec::new();
        };
        let rate = best.drift_per_hour.unwrap_or(0.0);
        let hours = input.times.span_hours();
        let over_session = rate.abs() * hours;
        let stated = input.accuracy.stated_accuracy_c;
        let severity = if over_session > stated {
            Severity::Accuracy
        } else {
            Severity::Warning
        };
        let ci = best.drift_ci.expect("filtered on it");
        let message = format!(
            "the readings drift with time: {rate:+.2} °C per {} (95 % CI {:.2} to {:.2}), \
             {over_session:.2} °C over the session, measured between the `{}` and `{}` sweeps at \
             {} shared steps. This is a warm-up or stability problem, not a manipulation: let the \
             device warm up (IEC 80601-2-59 asks for at least 30 minutes) or re-zero it against \
             the reference before testing",
            best.time_basis.hour_name(),
            ci.low,
            ci.high,
            best.first,
            best.second,
            best.shared_steps,
        );
        let evidence = json!({
            "drift_per_hour": rate,
            "drift_ci": ci,
            "time_basis": best.time_basis.name(),
            "session_hours": hours,
            "drift_over_session_c": over_session,
            "stated_accuracy_c": stated,
            "sweeps": [best.first, best.second],
        });
        vec![self.new_finding(input, severity, message, evidence)]
    }
}
