//! What kind of study a session is: a sweep of a reference source through
//! set-points (a blackbody in a lab), or a clinical study (people measured
//! by the device and by a reference thermometer). The kind decides which
//! statistics carry the verdict and which detectors apply.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// `kind` of session.toml, `--kind` of the command line, `session.kind` of
/// report.json.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// A reference source held at set-points ("steps"), each read several
    /// times: accuracy is judged step by step against the stated accuracy,
    /// and the transfer's shape across the sweep shows manipulation.
    #[default]
    Sweep,
    /// Subjects measured once or a few times each against a reference
    /// thermometer (ISO 80601-2-56): clinical bias, limits of agreement,
    /// repeatability and screening; no steps, no sweep detectors.
    Clinical,
}

impl SessionKind {
    /// The word for what the reference measures: "target" or "subject".
    pub fn measured_thing(self) -> &'static str {
        match self {
            SessionKind::Sweep => "target",
            SessionKind::Clinical => "subject",
        }
    }

    /// The word for the reference: "reference" or "reference thermometer".
    pub fn reference_name(self) -> &'static str {
        match self {
            SessionKind::Sweep => "reference",
            SessionKind::Clinical => "reference thermometer",
        }
    }
}

impl fmt::Display for SessionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SessionKind::Sweep => "sweep",
            SessionKind::Clinical => "clinical",
        })
    }
}

impl FromStr for SessionKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "sweep" => Ok(SessionKind::Sweep),
            "clinical" => Ok(SessionKind::Clinical),
            other => Err(format!(
                "unknown session kind `{other}`: expected `sweep` or `clinical`"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_the_two_kinds() {
        assert_eq!("clinical".parse::<SessionKind>(), Ok(SessionKind::Clinical));
        assert_eq!("sweep".parse::<SessionKind>(), Ok(SessionKind::Sweep));
        assert!("Clinical".parse::<SessionKind>().is_err());
        assert_eq!(SessionKind::Clinical.to_string(), "clinical");
        assert_eq!(
            serde_json::to_string(&SessionKind::Clinical).unwrap(),
            "\"clinical\""
        );
    }
}
