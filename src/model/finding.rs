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
        }
    }
}
