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
        }
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
