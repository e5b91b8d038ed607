//! `session.toml`: what the lab knows about the device and the reference.
//!
//! Every key is optional. Unknown keys are not an error (a newer session file
//! may carry keys this version does not know) but each one gives a warning, so
//! a typo such as `stated_acuracy_c` is never silently ignored. Values are
//! checked for sense (an accuracy must be positive, a threshold a plausible
//! body temperature) and a bad one is an error naming the key.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::model::{Device, Matching, Radiometry, Reference, Roi, Screening};

/// Lowest and highest alarm threshold accepted, °C. A fever threshold outside
/// 30–45 °C is certainly a unit or typing mistake (thresholds in use are
/// 37.5, 37.8 and 38.0 °C, docs/science.md §1).
const ALARM_THRESHOLD_RANGE_C: (f64, f64) = (30.0, 45.0);

/// Largest plausible stated accuracy or display resolution, °C: vendors state
/// ±0.3 to ±0.5 °C (Healy et al. 2021); ±5 °C would be a mistake.
const LARGEST_PLAUSIBLE_TOLERANCE_C: f64 = 5.0;

/// The parsed `session.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Human name of the session.
    pub name: Option<String>,
    /// The device under test.
    #[serde(default)]
    pub device: Device,
    /// The reference (blackbody or thermometer).
    #[serde(default)]
    pub reference: Reference,
    /// Screening thresholds to evaluate besides the device's own.
    #[serde(default)]
    pub screening: Screening,
    /// Regions of interest in frames, by name (used by frame sessions).
    #[serde(default)]
    pub roi: BTreeMap<String, Roi>,
    /// Overrides of radiometric parameters embedded in frame files.
    #[serde(default)]
    pub radiometry: Radiometry,
    /// Matching frames to the readings by time.
    #[serde(rename = "match")]
    pub matching: Option<Matching>,
}

/// A manifest and the warnings its reading raised.
#[derive(Debug, Clone, Default)]
pub struct LoadedManifest {
    /// The parsed manifest (default when the file is absent).
    pub manifest: Manifest,
    /// One message per unknown key.
    pub warnings: Vec<String>,
}

impl Manifest {
    /// Reads `path` if it exists; an absent file gives an empty manifest.
    pub fn load_optional(path: &Path) -> Result<LoadedManifest> {
        if !path.exists() {
            return Ok(LoadedManifest::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        Manifest::parse(&text, path)
    }

    /// Parses the text of a `session.toml`; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<LoadedManifest> {
        let mut unknown = Vec::new();
        let deserializer = toml::Deserializer::new(text);
        let manifest: Manifest =
            serde_ignored::deserialize(deserializer, |key| unknown.push(key.to_string()))
                .map_err(|e| toml_error(&e, text, path))?;
        manifest.validate(path)?;
        let warnings = unknown
            .into_iter()
            .map(|key| {
                format!(
                    "{}: unknown key `{key}` ignored; known sections are [device], \
                     [reference], [screening], [roi.NAME], [radiometry], [match] (see README)",
                    path.display()
                )
            })
            .collect();
        Ok(LoadedManifest { manifest, warnings })
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let bad = |key: &str, value: f64, expected: &str| {
            Error::invalid(
                Location::file(path),
                format!("`{key}` = {value} is not usable; expected {expected}"),
            )
        };
        let tolerances = [
            ("device.stated_accuracy_c", self.device.stated_accuracy_c),
            (
                "device.display_resolution_c",
                self.device.display_resolution_c,
            ),
            ("reference.uncertainty_c", self.reference.uncertainty_c),
        ];
        for (key, value) in tolerances {
            if let Some(v) = value {
                if !(v > 0.0 && v <= LARGEST_PLAUSIBLE_TOLERANCE_C) {
                    return Err(bad(key, v, "a positive number of °C, at most 5"));
                }
            }
        }
        let r = &self.radiometry;
        if let Some(e) = r.emissivity.filter(|e| !(*e > 0.0 && *e <= 1.0)) {
            return Err(bad("radiometry.emissivity", e, "a number in (0, 1]"));
        }
        if let Some(d) = r.distance_m.filter(|d| !(*d >= 0.0 && d.is_finite())) {
            return Err(bad(
                "radiometry.distance_m",
                d,
                "a distance in metres, 0 or more",
            ));
        }
        if let Some(h) = r.relative_humidity.filter(|h| !(0.0..=1.0).contains(h)) {
            return Err(bad(
                "radiometry.relative_humidity",
                h,
                "a fraction from 0 to 1",
            ));
        }
        let (low, high) = ALARM_THRESHOLD_RANGE_C;
        let mut thresholds: Vec<(&str, f64)> = Vec::new();
        if let Some(v) = self.device.alarm_threshold_c {
            thresholds.push(("device.alarm_threshold_c", v));
        }
        for &v in self.screening.thresholds_c.iter().flatten() {
            thresholds.push(("screening.thresholds_c", v));
        }
        for (key, v) in thresholds {
            if !(low..=high).contains(&v) {
                return Err(bad(key, v, "a fever threshold in °C between 30 and 45"));
            }
        }
        Ok(())
    }
}

/// The TOML error located at its line, with the column in the message.
fn toml_error(error: &toml::de::Error, text: &str, path: &Path) -> Error {
    let message = error.message().trim_end();
    let advice = "expected TOML as in the README's session.toml example";
    match error.span() {
        Some(span) => {
            let (line, column) = line_and_column(text, span.start);
            Error::invalid(
                Location::line(path, line as u64),
                format!("column {column}: {message}; {advice}"),
            )
        }
        None => Error::invalid(Location::file(path), format!("{message}; {advice}")),
    }
}

/// 1-based line and column of a byte offset in `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LoadedManifest> {
        Manifest::parse(text, Path::new("session.toml"))
    }

    #[test]
    fn reads_the_design_example() {
        let loaded = parse(
            "name = \"Vendor X kiosk, lab run 3\"\n[device]\nmodel = \"K1\"\n\
             stated_accuracy_c = 0.3\nalarm_threshold_c = 37.5\ndisplay_resolution_c = 0.1\n\
             [reference]\nuncertainty_c = 0.1\n[roi.target]\nrect = [1, 2, 3, 4]\n\
             statistic = \"max\"\n[radiometry]\nemissivity = 0.98\n",
        )
        .unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let m = loaded.manifest;
        assert_eq!(m.name.as_deref(), Some("Vendor X kiosk, lab run 3"));
        assert_eq!(m.device.stated_accuracy_c, Some(0.3));
        assert_eq!(m.roi["target"].rect, Some([1, 2, 3, 4]));
        assert_eq!(m.radiometry.emissivity, Some(0.98));
    }

    #[test]
    fn unknown_keys_warn_with_their_path() {
        let loaded = parse("[device]\nstated_acuracy_c = 0.3\n").unwrap();
        assert_eq!(loaded.warnings.len(), 1);
        assert!(
            loaded.warnings[0].contains("device.stated_acuracy_c"),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let err = parse("name = \"x\"\n[device\n").unwrap_err().to_string();
        assert!(
            err.contains("session.toml") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn implausible_values_are_errors_naming_the_key() {
        let err = parse("[device]\nstated_accuracy_c = -0.3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("device.stated_accuracy_c"), "{err}");
        let err = parse("[device]\nalarm_threshold_c = 100.4\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("alarm_threshold_c") && err.contains("100.4"),
            "{err}"
        );
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_and_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
    }
}
