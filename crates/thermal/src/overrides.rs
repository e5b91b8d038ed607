//! `[radiometry]` in session.toml and the matching command-line options:
//! values that replace the parameters a camera embedded in its files
//! (emissivity, reflected and atmospheric temperature, distance, humidity).

use serde::{Deserialize, Serialize};

/// `[radiometry]`: overrides of the parameters embedded in frame files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RadiometryOverrides {
    /// Emissivity of the target, 0–1.
    pub emissivity: Option<f64>,
    /// Reflected apparent temperature, °C.
    pub reflected_c: Option<f64>,
    /// Atmospheric temperature, °C.
    pub atmospheric_c: Option<f64>,
    /// Distance from camera to target, m.
    pub distance_m: Option<f64>,
    /// Relative humidity as a fraction, 0–1.
    pub relative_humidity: Option<f64>,
}

impl RadiometryOverrides {
    /// The overrides that are set, by their command-line names.
    pub fn overrides(&self) -> Vec<&'static str> {
        [
            ("--emissivity", self.emissivity),
            ("--reflected", self.reflected_c),
            ("--atmospheric", self.atmospheric_c),
            ("--distance", self.distance_m),
            ("--humidity", self.relative_humidity),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|_| name))
        .collect()
    }
}
