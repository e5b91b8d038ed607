//! A finding of a detector: who should act on it (its [`Severity`]), what was
//! seen, and the numbers behind it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Who should act on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The output is shaped (compressed, clamped ...): not an honest reading.
    Manipulation,
    /// The device is inaccurate beyond its stated accuracy.
    Accuracy,
    /// Worth knowing; does not by itself fail the device.
    Warning,
}

impl Severity {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Manipulation => "manipulation",
            Severity::Accuracy => "accuracy",
            Severity::Warning => "warning",
        }
    }
}

/// One thing a detector found, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// Id of the detector that found it.
    pub detector: String,
    /// Source of device values it concerns (`reported`, `radiometric`).
    pub source: String,
    /// Who should act.
    pub severity: Severity,
    /// What was seen and what to check next, in a lab engineer's words.
    pub message: String,
    /// The numbers behind the message.
    pub evidence: Map<String, Value>,
    /// The reference temperatures whose readings the finding is about (the
    /// charts shade them); absent when it is about the whole sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flagged_reference_c: Option<ReferenceRange>,
    /// The reference temperature where the transfer bends, °C, for a
    /// finding about a knee (a clamp).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knee_c: Option<f64>,
    /// How well the shape the detector saw fits the step means, for a
    /// finding about the transfer's shape: the verdict leads with the
    /// manipulation finding that fits best.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<ShapeFit>,
    /// The shape itself: its value at each step's reference, (reference
    /// °C, fitted °C) pairs, drawn on the transfer chart with the fit that
    /// names it (a jump shows as the jump, a knee as the bend).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shape: Vec<[f64; 2]>,
}

/// A detector's shape fitted to the step means: how well, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedShape {
    /// How well it fits.
    pub fit: ShapeFit,
    /// Its value at each step's reference.
    pub curve: Vec<[f64; 2]>,
}

/// How well a detector's shape explains the step means.
///
/// Compared across shapes with different numbers of parameters by the
/// corrected Akaike information criterion (Hurvich & Tsai 1989,
/// Biometrika 76:297): `AICc = n·ln(max(SSE/n, floor)) + 2k + 2k(k + 1)/(n −
/// k − 1)` with `k` the shape's parameters plus one for the residual
/// variance, and `floor` the smallest squared standard error of a step
/// mean (no shape fits better than the readings' own noise and rounding).
/// Every term is in the report, so the value can be recomputed from it.
/// Smaller is better; a difference of 2 or more is a meaningful one
/// (Burnham & Anderson 2002, §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ShapeFit {
    /// Root-mean-square residual of the step means, °C.
    pub rms_c: f64,
    /// Parameters of the shape (knees and steps counted).
    pub parameters: usize,
    /// Step means fitted.
    pub points: usize,
    /// The corrected Akaike information criterion.
    pub aicc: f64,
    /// `k` of the criterion: the shape's parameters plus the residual
    /// variance.
    #[serde(default)]
    pub counted_parameters: usize,
    /// Residual sum of squares of the step means, °C².
    #[serde(default)]
    pub sse_c2: f64,
    /// The floor of the mean squared residual, °C²: the smallest squared
    /// standard error of a step mean.
    #[serde(default)]
    pub floor_variance_c2: f64,
}

impl ShapeFit {
    /// The fit of `fitted` to `observed` by a shape of `parameters`
    /// parameters. The mean squared residual is taken as at least
    /// `floor_variance` (no shape fits better than the readings' own noise
    /// and rounding, so a table that happens to fit exactly does not win by
    /// an infinite margin). `None` when there are too few points for the
    /// correction (`n ≤ k + 1`) or the lengths differ.
    pub fn of(
        observed: &[f64],
        fitted: &[f64],
        parameters: usize,
        floor_variance: f64,
    ) -> Option<ShapeFit> {
        let n = observed.len();
        let k = parameters + 1;
        if n != fitted.len() || n <= k + 1 {
            return None;
        }
        let sse: f64 = observed
            .iter()
            .zip(fitted)
            .map(|(o, f)| (o - f).powi(2))
            .sum();
        let mean_square = (sse / n as f64).max(floor_variance).max(f64::MIN_POSITIVE);
        let (n_f, k_f) = (n as f64, k as f64);
        let aicc = n_f * mean_square.ln() + 2.0 * k_f + 2.0 * k_f * (k_f + 1.0) / (n_f - k_f - 1.0);
        Some(ShapeFit {
            rms_c: (sse / n_f).sqrt(),
            parameters,
            points: n,
            aicc,
            counted_parameters: k,
            sse_c2: sse,
            floor_variance_c2: floor_variance,
        })
    }
}

/// A range of reference temperatures, °C.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReferenceRange {
    /// Lower end, °C.
    pub low_c: f64,
    /// Upper end, °C.
    pub high_c: f64,
}

impl Finding {
    /// A finding; `evidence` should be a JSON object (anything else is wrapped).
    pub fn new(
        detector: &str,
        source: &str,
        severity: Severity,
        message: String,
        evidence: Value,
    ) -> Self {
        let evidence = match evidence {
            Value::Object(map) => map,
            other => Map::from_iter([("value".to_string(), other)]),
        };
        Finding {
            detector: detector.into(),
            source: source.into(),
            severity,
            message,
            evidence,
            flagged_reference_c: None,
            knee_c: None,
            fit: None,
            shape: Vec::new(),
        }
    }

    /// The finding, with its shape and how well it fits the step means.
    pub fn with_fit(mut self, fitted: Option<FittedShape>) -> Self {
        if let Some(fitted) = fitted {
            self.fit = Some(fitted.fit);
            self.shape = fitted.curve;
        }
        self
    }

    /// The finding, saying that it concerns the references `low_c`–`high_c`.
    pub fn flagging(mut self, low_c: f64, high_c: f64) -> Self {
        self.flagged_reference_c = Some(ReferenceRange { low_c, high_c });
        self
    }

    /// The finding, saying where the transfer bends.
    pub fn with_knee(mut self, knee_c: f64) -> Self {
        self.knee_c = Some(knee_c);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aicc_of_a_hand_computed_fit() {
        // Residuals 0.1, −0.1, 0.1, −0.1, 0 over n = 5, one parameter (k = 2):
        // SSE 0.04, SSE/n 0.008; AICc = 5·ln 0.008 + 4 + 2·2·3/2 = −24.1415 + 4 + 6.
        let observed = [1.1, 1.9, 3.1, 3.9, 5.0];
        let fitted = [1.0, 2.0, 3.0, 4.0, 5.0];
        let fit = ShapeFit::of(&observed, &fitted, 1, 0.0).unwrap();
        let expected = 5.0 * 0.008f64.ln() + 4.0 + 6.0;
        assert!((fit.aicc - expected).abs() < 1e-9, "{fit:?}");
        assert!((fit.rms_c - 0.008f64.sqrt()).abs() < 1e-12);
        // The floor: an exact fit counts as noise of the floor's size.
        let exact = ShapeFit::of(&fitted, &fitted, 1, 0.008).unwrap();
        assert!((exact.aicc - expected).abs() < 1e-9);
        // Too few points for the correction.
        assert!(ShapeFit::of(&observed[..3], &fitted[..3], 1, 0.0).is_none());
    }
}
