//! The states of a verdict on each of its two axes, as labs read them:
//! accuracy in the four zones of ILAC-G8 (pass, conditional pass,
//! conditional fail, fail) or not judged, and manipulation suspected, not
//! suspected, or not judged. "Not judged" is an honest answer: a session
//! that cannot show something never gets a pass for it.

use serde::{Deserialize, Serialize};

/// Whether the device is within its claim.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccuracyState {
    /// Within the claim, uncertainty included.
    Pass,
    /// Within the claim, but not by more than the uncertainty (ILAC-G8).
    ConditionalPass,
    /// Beyond the claim, but not by more than the uncertainty (ILAC-G8).
    ConditionalFail,
    /// Beyond the claim, uncertainty included.
    Fail,
    /// The session cannot show it (see `not_judged_because`).
    #[default]
    NotJudged,
}

impl AccuracyState {
    /// How the state is written for people.
    pub fn label(self) -> &'static str {
        match self {
            AccuracyState::Pass => "PASS",
            AccuracyState::ConditionalPass => "CONDITIONAL PASS",
            AccuracyState::ConditionalFail => "CONDITIONAL FAIL",
            AccuracyState::Fail => "FAIL",
            AccuracyState::NotJudged => "NOT JUDGED",
        }
    }

    /// The old boolean: true for a pass, false for a fail, none otherwise.
    pub fn as_pass(self) -> Option<bool> {
        match self {
            AccuracyState::Pass => Some(true),
            AccuracyState::Fail => Some(false),
            _ => None,
        }
    }
}

/// Whether the device's output shows manipulation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManipulationState {
    /// A manipulation signature was found.
    Suspected,
    /// The session could show one, and none was found.
    NotSuspected,
    /// The session cannot show it (see `not_judged_because`).
    #[default]
    NotJudged,
}

impl ManipulationState {
    /// How the state is written for people.
    pub fn label(self) -> &'static str {
        match self {
            ManipulationState::Suspected => "SUSPECTED",
            ManipulationState::NotSuspected => "not suspected",
            ManipulationState::NotJudged => "NOT JUDGED",
        }
    }

    /// The old boolean: none when not judged.
    pub fn as_suspected(self) -> Option<bool> {
        match self {
            ManipulationState::Suspected => Some(true),
            ManipulationState::NotSuspected => Some(false),
            ManipulationState::NotJudged => None,
        }
    }
}
