//! The range a camera is calibrated over, and what becomes of a pixel whose
//! raw count converts to a temperature outside it.
//!
//! The Planck formula extrapolates to any count, but a camera's calibration
//! holds only between the clip limits its files state (FLIR's "min clip" and
//! "max clip", typically 20 °C beyond the nominal range). FLIR's own
//! software does not show colder pixels: on the FLIR Tools validation set
//! (docs/formats.md) it writes −40.01 °C for every pixel below
//! `clip_min − 0.01 °C` and the computed value for every pixel above it
//! (ours −40.00925 °C shown as −40.009; −40.0174 °C replaced). fevercheck
//! uses the same boundary and, by default, leaves such pixels out as NaN.

use serde::{Deserialize, Serialize};

use crate::frame::TemperatureLimits;

/// How far beyond a clip limit FLIR Tools still shows a computed value, °C
/// (validation set images 06, 14 and 24: −40.009 shown, −40.017 replaced).
pub const CLIP_MARGIN_C: f64 = 0.01;

/// A clip limit at or below this, °C, is a field the camera left at 0 K
/// (absolute zero is −273.15 °C): it states nothing.
const UNSET_AT_MOST_C: f64 = -273.0;

/// What becomes of a pixel outside the calibrated range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutsideRange {
    /// No temperature (NaN): left out of every statistic, counted.
    #[default]
    Nan,
    /// The nearest limit of the range.
    Clip,
    /// The extrapolated value, counted all the same.
    Keep,
}

impl OutsideRange {
    /// The choice named `name` (`nan`, `clip` or `keep`).
    pub fn named(name: &str) -> Option<OutsideRange> {
        match name {
            "nan" => Some(OutsideRange::Nan),
            "clip" => Some(OutsideRange::Clip),
            "keep" => Some(OutsideRange::Keep),
            _ => None,
        }
    }

    /// The choice's name as options write it.
    pub fn name(self) -> &'static str {
        match self {
            OutsideRange::Nan => "nan",
            OutsideRange::Clip => "clip",
            OutsideRange::Keep => "keep",
        }
    }
}

/// The temperatures a camera's calibration covers, °C (an unstated side is
/// infinite).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CalibratedRange {
    /// Coldest temperature shown: the min clip less [`CLIP_MARGIN_C`].
    pub low_c: f64,
    /// Warmest temperature shown: the max clip plus [`CLIP_MARGIN_C`].
    pub high_c: f64,
}

impl CalibratedRange {
    /// The range the clip limits of `limits` state; `None` when the file
    /// states neither (every format but FLIR's).
    pub fn of(limits: &TemperatureLimits) -> Option<CalibratedRange> {
        let usable = |v: Option<f64>| v.filter(|v| v.is_finite() && *v > UNSET_AT_MOST_C);
        let (low, high) = (usable(limits.clip_min_c), usable(limits.clip_max_c));
        if low.is_none() && high.is_none() {
            return None;
        }
        let range = CalibratedRange {
            low_c: low.map_or(f64::NEG_INFINITY, |v| v - CLIP_MARGIN_C),
            high_c: high.map_or(f64::INFINITY, |v| v + CLIP_MARGIN_C),
        };
        // Limits in the wrong order say nothing usable.
        (range.low_c < range.high_c).then_some(range)
    }

    /// Whether `celsius` lies outside the range (NaN does not: it has no
    /// temperature to be outside with).
    pub fn excludes(&self, celsius: f64) -> bool {
        celsius < self.low_c || celsius > self.high_c
    }

    /// `celsius` as `policy` shows it: itself inside the range; outside,
    /// NaN, the nearest limit, or itself.
    pub fn shown(&self, celsius: f64, policy: OutsideRange) -> f64 {
        if !self.excludes(celsius) {
            return celsius;
        }
        match policy {
            OutsideRange::Nan => f64::NAN,
            OutsideRange::Clip => celsius.clamp(self.low_c, self.high_c),
            OutsideRange::Keep => celsius,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flir_e60() -> TemperatureLimits {
        // The clip limits of the validation set's E60, B60 and T420 files.
        TemperatureLimits {
            clip_min_c: Some(-40.0000061),
            clip_max_c: Some(149.9999939),
            range_min_c: Some(-20.0),
            range_max_c: Some(120.0),
            ..TemperatureLimits::default()
        }
    }

    #[test]
    fn flir_tools_boundary_is_reproduced() {
        let range = CalibratedRange::of(&flir_e60()).unwrap();
        // Shown by FLIR Tools: −40.009 and −40.005; replaced: −40.0174.
        assert!(!range.excludes(-40.00925));
        assert!(!range.excludes(-40.00504));
        assert!(range.excludes(-40.0174));
        // Between the clip and the nominal range: shown.
        assert!(!range.excludes(-30.0));
        assert!(range.excludes(150.02));
        assert!(!range.excludes(f64::NAN));
    }

    #[test]
    fn policies_show_an_outside_pixel_as_named() {
        let range = CalibratedRange::of(&flir_e60()).unwrap();
        assert!(range.shown(-45.0, OutsideRange::Nan).is_nan());
        assert!((range.shown(-45.0, OutsideRange::Clip) - -40.0100061).abs() < 1e-9);
        assert_eq!(range.shown(-45.0, OutsideRange::Keep), -45.0);
        assert_eq!(range.shown(37.0, OutsideRange::Nan), 37.0);
        for policy in [OutsideRange::Nan, OutsideRange::Clip, OutsideRange::Keep] {
            assert_eq!(OutsideRange::named(policy.name()), Some(policy));
        }
    }

    #[test]
    fn files_without_clip_limits_have_no_range() {
        assert_eq!(CalibratedRange::of(&TemperatureLimits::default()), None);
        let backwards = TemperatureLimits {
            clip_min_c: Some(100.0),
            clip_max_c: Some(-100.0),
            ..TemperatureLimits::default()
        };
        assert_eq!(CalibratedRange::of(&backwards), None);
        let left_at_zero_kelvin = TemperatureLimits {
            clip_min_c: Some(-273.15),
            clip_max_c: Some(-273.15),
            ..TemperatureLimits::default()
        };
        assert_eq!(CalibratedRange::of(&left_at_zero_kelvin), None);
        let low_only = TemperatureLimits {
            clip_min_c: Some(-20.0),
            ..TemperatureLimits::default()
        };
        assert_eq!(
            CalibratedRange::of(&low_only).unwrap().high_c,
            f64::INFINITY
        );
    }
}
