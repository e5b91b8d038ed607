//! One observation of a session: what the reference said and what the device
//! said about the same target at the same moment.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};

/// One row of `readings.csv` (or of a named-column table), converted to °C.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// 1-based line of the input file this observation came from.
    pub line: u64,
    /// Reference temperature of the target, °C.
    pub reference_c: f64,
    /// Temperature the device displayed or logged, °C, when the row has one.
    pub reported_c: Option<f64>,
    /// Blackbody set-point, °C, when the reference is a separate thermometer.
    pub setpoint_c: Option<f64>,
    /// Path of a radiometric frame, relative to the session folder.
    pub frame: Option<String>,
    /// When the observation was taken.
    pub time: Option<DateTime<FixedOffset>>,
    /// Sweep label (`up`, `down`, `random`, ...).
    pub sweep: Option<String>,
    /// Subject or target id.
    pub subject: Option<String>,
    /// Round (visit) of a clinical study: the `round` cell, or the name of
    /// the device column when several name the rounds.
    pub round: Option<String>,
    /// Room temperature when the observation was taken, °C.
    pub ambient_c: Option<f64>,
}

impl Observation {
    /// An observation with only a reference and a reported value.
    pub fn new(line: u64, reference_c: f64, reported_c: Option<f64>) -> Self {
        Observation {
            line,
            reference_c,
            reported_c,
            setpoint_c: None,
            frame: None,
            time: None,
            sweep: None,
            subject: None,
            round: None,
            ambient_c: None,
        }
    }

    /// The temperature that identifies this observation's step: the set-point
    /// when there is one, otherwise the reference.
    pub fn step_key_c(&self) -> f64 {
        self.setpoint_c.unwrap_or(self.reference_c)
    }
}

/// The distinct labels (sweeps, subjects) of observations, each run of
/// equal labels looked up once: a sweep's rows and a subject's readings
/// come in runs, so a million rows cost a few lookups, not a million.
#[derive(Debug, Default)]
pub(crate) struct DistinctLabels<'a> {
    seen: BTreeSet<&'a str>,
    last: Option<&'a str>,
}

impl<'a> DistinctLabels<'a> {
    /// Counts `label` in.
    pub(crate) fn add(&mut self, label: &'a str) {
        if self.last != Some(label) {
            self.seen.insert(label);
            self.last = Some(label);
        }
    }

    /// How many distinct labels were added.
    pub(crate) fn count(&self) -> usize {
        self.seen.len()
    }
}
