//! What `session.toml` declares, section by section: the device and the
//! vendor's claims, the reference, the screening thresholds, the regions of
//! interest, radiometry overrides and how frames are matched by time. Plain
//! data; reading and checking the file is the session layer's work.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::DeclaredTransfer;

/// `[match]`: frames matched to the reference log by time instead of a
/// `frame` column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Matching {
    /// A folder of frame files, or one sequence file, relative to the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frames: Option<String>,
    /// Largest gap between a frame and its reading, or between a device
    /// reading and the reference samples around it, seconds.
    pub tolerance_s: Option<f64>,
    /// With two logs: a device reading counts only if the reference moved
    /// less than `stable_c` over this many seconds before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_s: Option<f64>,
    /// Largest change of the reference around a reading for it to count as
    /// stable, °C.
    pub stable_c: Option<f64>,
    /// Seconds the device's (or the camera's) clock is ahead of the
    /// reference log's, subtracted from its times before they are matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_s: Option<f64>,
}

/// `[columns]`: the observations are in a table of the lab's own layout,
/// its columns named here as `--reference`, `--reported` … name them on the
/// command line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnNames {
    /// The table, relative to the session folder (a CSV file or a
    /// workbook); `readings.csv` when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The sheet of a workbook; the first when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based row holding the column names; 1 when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<usize>,
    /// Unit of the temperature columns, `"C"` (the default) or `"F"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The reference temperature column.
    pub reference: String,
    /// The device's temperature column, or several (each a round).
    pub reported: OneOrMore,
    /// The subject id column (a clinical study).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The round (visit) column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<String>,
    /// One column holding date and time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// A date column, read with `clock`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// A time-of-day column, read after `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
    /// The sweep label column (`up`, `down`, `random`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<String>,
    /// The blackbody set-point column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setpoint: Option<String>,
    /// The room temperature column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambient: Option<String>,
}

/// One column name or a list of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMore {
    /// A single column.
    One(String),
    /// Several columns.
    More(Vec<String>),
}

impl Default for OneOrMore {
    fn default() -> Self {
        OneOrMore::More(Vec::new())
    }
}

impl OneOrMore {
    /// The names, in order.
    pub fn names(&self) -> Vec<String> {
        match self {
            OneOrMore::One(name) => vec![name.clone()],
            OneOrMore::More(names) => names.clone(),
        }
    }
}

/// `[test]`: the lab's record of the test, shown at the top of the report:
/// what a test report for a procurement file names (ISO/IEC 17025 §7.8.2:
/// the test's identification, who did it, when, under which conditions,
/// with which calibrated equipment).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TestRecord {
    /// The lab's identification of the test, e.g. "LAB-2026-031".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who did the test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// When, as the lab writes it (e.g. "2026-03-01").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Room temperature during the test, °C.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambient_c: Option<f64>,
    /// Relative humidity during the test, %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_humidity: Option<f64>,
    /// The equipment used (`[[test.equipment]]`), each with its certificate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equipment: Vec<Equipment>,
    /// Anything else the lab records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl TestRecord {
    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        *self == TestRecord::default()
    }
}

/// One piece of equipment of `[test]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equipment {
    /// What it is, e.g. "Blackbody BB-37, serial 1123".
    pub name: String,
    /// Its calibration certificate's identification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// Until when its calibration is valid, as the certificate writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibrated_until: Option<String>,
}

/// `[paths]`: where the session's files may be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathSettings {
    /// Logs, frames and readings may lie outside the session folder (each
    /// is then named in the report); refused otherwise.
    #[serde(default)]
    pub allow_outside: bool,
}

/// `[time]`: how the session's files write times.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeSettings {
    /// A strftime layout, e.g. `%d.%m.%Y %H:%M:%S`; ISO 8601 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The zone of times written without an offset: `+01:00` or an IANA
    /// name such as `Europe/Brussels`; UTC (with a warning) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

/// `[device]`: the device under test and the vendor's claims.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Make and model, e.g. "Hikvision DS-2TD2636B-13/P".
    pub model: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// The vendor's stated accuracy, ±°C; accuracy is judged against it.
    pub stated_accuracy_c: Option<f64>,
    /// The device's own fever alarm threshold, °C.
    pub alarm_threshold_c: Option<f64>,
    /// The smallest step of the displayed temperature, °C.
    pub display_resolution_c: Option<f64>,
    /// The device's own export (a time column and `reported_c` or
    /// `reported_f`), relative to the session folder, joined to the
    /// reference log by time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    /// The log's own column names for fevercheck's (`time`, `reported_c`,
    /// `reported_f`), when they differ.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
    /// `[device.transfer]`: the reading the vendor declares for each target
    /// temperature (a body-temperature mode); judged against instead of the
    /// identity line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<DeclaredTransfer>,
}

impl Device {
    /// The declared transfer in °C, when the device declares one.
    pub fn declared_transfer(&self) -> Option<super::Transfer> {
        self.transfer.as_ref().map(DeclaredTransfer::in_celsius)
    }
}

/// `[reference]`: the reference source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Make and model of the blackbody or thermometer.
    pub model: Option<String>,
    /// Expanded uncertainty of the reference, °C.
    pub uncertainty_c: Option<f64>,
    /// Coverage factor of `uncertainty_c` (2 when absent: a calibration
    /// certificate's 95 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty_k: Option<f64>,
    /// Emissivity of the blackbody's surface, 0–1, from its certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emissivity: Option<f64>,
    /// Expanded uncertainty of that emissivity, at the coverage factor
    /// `uncertainty_k`: it enters the budget through Planck's law.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emissivity_uncertainty: Option<f64>,
    /// The reference's log (a time column and `reference_c` or
    /// `reference_f`, optionally `setpoint_c`), relative to the session
    /// folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    /// The log's own column names for fevercheck's (`time`, `reference_c`,
    /// `reference_f`, `setpoint_c`), when they differ.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
}

/// `[screening]`: thresholds at which sensitivity and specificity are given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Screening {
    /// Extra fever thresholds, °C (37.5, 37.8 and 38.0 are always evaluated).
    pub thresholds_c: Option<Vec<f64>>,
}
