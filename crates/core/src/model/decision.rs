//! The decision rule a pass/fail is made with (ILAC-G8:09/2019, JCGM
//! 106:2012), and the three decisions it can give.
//!
//! With *guarded acceptance* (the default) the guard band is the expanded
//! uncertainty U of each step's error: the device passes when every step's
//! |error| + U is within the stated accuracy, fails when some step's
//! |error| − U is beyond it, and otherwise the data cannot decide at this
//! uncertainty — `conditional`. *Simple acceptance* (shared risk) compares
//! |error| with the stated accuracy alone.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `[decision] rule` of session.toml.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionRule {
    /// Guard band w = U: a pass and a fail are each at least 95 % sure.
    #[default]
    Guarded,
    /// No guard band (shared risk).
    Simple,
}

/// `[decision]` of session.toml.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionSettings {
    /// The rule; guarded acceptance when absent.
    pub rule: Option<DecisionRule>,
}

/// What the rule decided about the device's accuracy: ILAC-G8:09/2019
/// §4.2.3's four zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Within the stated accuracy, uncertainty included.
    Pass,
    /// Every step error within the stated accuracy, but within U of it:
    /// the data cannot decide at this uncertainty.
    ConditionalPass,
    /// Some step error beyond the stated accuracy, but within U of it: the
    /// data cannot decide at this uncertainty.
    ConditionalFail,
    /// Beyond the stated accuracy, uncertainty included.
    Fail,
    /// Either conditional zone, as reports written before the zones were
    /// told apart say (`"conditional"`); never decided now.
    Conditional,
}

impl Decision {
    /// Whether the data could not decide (either conditional zone).
    pub fn is_conditional(self) -> bool {
        matches!(
            self,
            Decision::ConditionalPass | Decision::ConditionalFail | Decision::Conditional
        )
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Pass => "pass",
            Decision::ConditionalPass => "conditional pass",
            Decision::ConditionalFail => "conditional fail",
            Decision::Fail => "fail",
            Decision::Conditional => "conditional",
        })
    }
}

impl fmt::Display for DecisionRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecisionRule::Guarded => "guarded acceptance (guard band = U)",
            DecisionRule::Simple => "simple acceptance (no guard band)",
        })
    }
}
