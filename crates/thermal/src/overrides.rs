//! `[radiometry]` in session.toml and the matching command-line options:
//! values that replace the parameters a camera embedded in its files
//! (emissivity, reflected and atmospheric temperature, distance, humidity)
//! and the atmosphere model.

use serde::{Deserialize, Serialize};

use crate::calibrated_range::OutsideRange;
use crate::radiometry::AtmosphereModel;

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
    /// How the atmosphere's path is modelled (default: FLIR's).
    pub atmosphere_model: Option<AtmosphereModel>,
    /// What becomes of pixels outside the camera's calibrated range
    /// (default: NaN). Not a parameter of the conversion: files without a
    /// range take it without effect.
    pub outside_range: Option<OutsideRange>,
}

impl RadiometryOverrides {
    /// These overrides with `base`'s values where these leave one unset
    /// (the command line's on top of session.toml's `[radiometry]`).
    pub fn on_top_of(&self, base: &RadiometryOverrides) -> RadiometryOverrides {
        RadiometryOverrides {
            emissivity: self.emissivity.or(base.emissivity),
            reflected_c: self.reflected_c.or(base.reflected_c),
            atmospheric_c: self.atmospheric_c.or(base.atmospheric_c),
            distance_m: self.distance_m.or(base.distance_m),
            relative_humidity: self.relative_humidity.or(base.relative_humidity),
            atmosphere_model: self.atmosphere_model.or(base.atmosphere_model),
            outside_range: self.outside_range.or(base.outside_range),
        }
    }

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
        .chain(self.atmosphere_model.map(|_| "--atmosphere-model"))
        .collect()
    }
}
