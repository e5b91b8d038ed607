//! FLIR raw counts → °C (docs/science.md §5) with every atmospheric, window
//! and emissivity term, by one of two atmosphere models.
//!
//! ```text
//! h2o   = RH · exp(1.5587 + 0.06939·Ta − 0.00027816·Ta² + 0.00000068455·Ta³)
//! tau(d)= X·exp(−√d·(A1 + B1·√h2o)) + (1−X)·exp(−√d·(A2 + B2·√h2o))
//! P(T)  = R1 / (R2·(exp(B/(T+273.15)) − F)) − O            counts of a blackbody at T
//!
//! FLIR (default; FLIR Tools' exports): one path over the whole distance,
//! the window (if any) at the camera, tau = tau(OD):
//! obj   = S/(E·tau·IRT) − (1−tau)/(E·tau)·P(Ta) − (1−IRT)/(E·tau·IRT)·P(Tw) − (1−E)/E·P(Tr)
//!
//! Thermimage (the R package's raw2temp): two half-paths either side of the
//! window, tau = tau(OD/2) on each:
//! obj   = S/(E·tau·IRT·tau) − (1−tau)/(E·tau)·P(Ta) − (1−tau)/(E·tau·IRT·tau)·P(Ta)
//!         − (1−IRT)/(E·tau·IRT)·P(Tw) − (1−E)/E·P(Tr)
//!
//! T     = B / ln(R1/(R2·(obj + O)) + F) − 273.15
//! ```
//! RH is a fraction, Ta the atmospheric, Tw the IR-window and Tr the reflected
//! temperature (°C), OD the object distance (m), E the emissivity, IRT the
//! window transmission. Without a window (IRT = 1) the two models differ only
//! in the path: Thermimage's is tau(OD/2)², close to tau(2·OD), so it
//! corrects for twice the atmosphere FLIR's software does (up to 0.3 °C on
//! the FLIR Tools validation set, docs/formats.md). A non-positive logarithm
//! argument (a raw value below what the parameters can explain) gives NaN
//! for that pixel, never a panic. The whole mapping is a function of one
//! u16, so [`RawToCelsius`] tabulates it once: 65 536 entries, exact, for
//! the per-pixel loops.

use serde::{Deserialize, Serialize};

use crate::calibrated_range::{CalibratedRange, OutsideRange};
use crate::overrides::RadiometryOverrides;

/// Kelvin at 0 °C.
pub const KELVIN_OFFSET: f64 = 273.15;

/// FLIR's Planck constants of one camera calibration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Planck {
    /// PlanckR1.
    pub r1: f64,
    /// PlanckB.
    pub b: f64,
    /// PlanckF.
    pub f: f64,
    /// PlanckO (an integer in the files).
    pub o: f64,
    /// PlanckR2.
    pub r2: f64,
}

/// FLIR's atmospheric transmission constants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Atmosphere {
    /// AtmosphericTransAlpha1.
    pub alpha1: f64,
    /// AtmosphericTransAlpha2.
    pub alpha2: f64,
    /// AtmosphericTransBeta1.
    pub beta1: f64,
    /// AtmosphericTransBeta2.
    pub beta2: f64,
    /// AtmosphericTransX.
    pub x: f64,
}

/// How the atmosphere between the object and the camera is modelled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AtmosphereModel {
    /// FLIR's software: one path over the whole object distance, an
    /// external window (if any) at the camera. Reproduces FLIR Tools'
    /// exports to 0.001 °C (docs/formats.md).
    #[default]
    Flir,
    /// The R package Thermimage's `raw2temp`: the distance split into two
    /// half-paths either side of the window. Reproduces Thermimage's values.
    Thermimage,
}

impl AtmosphereModel {
    /// The model named `name` (`flir` or `thermimage`).
    pub fn named(name: &str) -> Option<AtmosphereModel> {
        match name {
            "flir" => Some(AtmosphereModel::Flir),
            "thermimage" => Some(AtmosphereModel::Thermimage),
            _ => None,
        }
    }

    /// The model's name as options and JSON write it.
    pub fn name(self) -> &'static str {
        match self {
            AtmosphereModel::Flir => "flir",
            AtmosphereModel::Thermimage => "thermimage",
        }
    }
}

/// Everything the raw → °C conversion needs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RadiometricParams {
    /// Emissivity of the object, 0–1.
    pub emissivity: f64,
    /// Object distance, m.
    pub distance_m: f64,
    /// Reflected apparent temperature, °C.
    pub reflected_c: f64,
    /// Atmospheric temperature, °C.
    pub atmospheric_c: f64,
    /// IR window temperature, °C.
    pub window_c: f64,
    /// IR window transmission, 0–1.
    pub window_transmission: f64,
    /// Relative humidity, fraction 0–1.
    pub relative_humidity: f64,
    /// Planck constants.
    pub planck: Planck,
    /// Atmospheric transmission constants.
    pub atmosphere: Atmosphere,
    /// How the atmosphere's path is modelled.
    #[serde(default)]
    pub atmosphere_model: AtmosphereModel,
}

impl RadiometricParams {
    /// The counts a blackbody at `celsius` gives.
    fn blackbody_counts(&self, celsius: f64) -> f64 {
        let p = &self.planck;
        p.r1 / (p.r2 * ((p.b / (celsius + KELVIN_OFFSET)).exp() - p.f)) - p.o
    }

    /// Atmospheric transmission of one path of the model: the whole object
    /// distance (FLIR) or half of it (Thermimage, applied twice).
    pub fn transmission(&self) -> f64 {
        let path_m = match self.atmosphere_model {
            AtmosphereModel::Flir => self.distance_m,
            AtmosphereModel::Thermimage => self.distance_m / 2.0,
        };
        self.transmission_over(path_m)
    }

    /// Atmospheric transmission over `path_m` metres.
    fn transmission_over(&self, path_m: f64) -> f64 {
        let ta = self.atmospheric_c;
        let h2o = self.relative_humidity
            * (1.5587 + 0.06939 * ta - 0.00027816 * ta * ta + 0.00000068455 * ta * ta * ta).exp();
        let a = &self.atmosphere;
        let root = path_m.sqrt();
        a.x * (-root * (a.alpha1 + a.beta1 * h2o.sqrt())).exp()
            + (1.0 - a.x) * (-root * (a.alpha2 + a.beta2 * h2o.sqrt())).exp()
    }

    /// Converts one raw value to °C; NaN when the parameters cannot explain it.
    pub fn raw_to_celsius(&self, raw: f64) -> f64 {
        RawToCelsius::terms(self).convert(raw)
    }

    /// These parameters with the user's overrides applied (`[radiometry]` of
    /// session.toml or command-line options).
    pub fn with_overrides(mut self, overrides: &RadiometryOverrides) -> Self {
        if let Some(v) = overrides.emissivity {
            self.emissivity = v;
        }
        if let Some(v) = overrides.reflected_c {
            self.reflected_c = v;
        }
        if let Some(v) = overrides.atmospheric_c {
            self.atmospheric_c = v;
        }
        if let Some(v) = overrides.distance_m {
            self.distance_m = v;
        }
        if let Some(v) = overrides.relative_humidity {
            self.relative_humidity = v;
        }
        if let Some(model) = overrides.atmosphere_model {
            self.atmosphere_model = model;
        }
        self
    }
}

/// The raw → °C conversion with its parameter-dependent terms computed once.
#[derive(Debug, Clone, Copy)]
struct Terms {
    planck: Planck,
    /// Divisor of the raw signal: E·tau·IRT (FLIR) or E·tau·IRT·tau
    /// (Thermimage).
    signal_divisor: f64,
    /// Sum of the subtracted atmosphere, window and reflection counts.
    background: f64,
}

/// A 65 536-entry table of °C for every raw u16, for one parameter set.
#[derive(Debug, Clone)]
pub struct RawToCelsius {
    table: Vec<f32>,
    non_decreasing: bool,
    /// Per count, whether its temperature lies outside the camera's
    /// calibrated range (empty when no range applies).
    outside: Vec<bool>,
}

impl RawToCelsius {
    fn terms(p: &RadiometricParams) -> Terms {
        let (e, irt) = (p.emissivity, p.window_transmission);
        let tau = p.transmission();
        let atmosphere = p.blackbody_counts(p.atmospheric_c);
        let window = p.blackbody_counts(p.window_c);
        let reflected = p.blackbody_counts(p.reflected_c);
        let reflection = (1.0 - e) / e * reflected;
        let window = (1.0 - irt) / (e * tau * irt) * window;
        let near_atmosphere = (1.0 - tau) / (e * tau) * atmosphere;
        match p.atmosphere_model {
            AtmosphereModel::Flir => Terms {
                planck: p.planck,
                signal_divisor: e * tau * irt,
                background: near_atmosphere + window + reflection,
            },
            AtmosphereModel::Thermimage => Terms {
                planck: p.planck,
                signal_divisor: e * tau * irt * tau,
                background: near_atmosphere
                    + (1.0 - tau) / (e * tau * irt * tau) * atmosphere
                    + window
                    + reflection,
            },
        }
    }

    /// Tabulates every u16 raw value for `params`.
    pub fn new(params: &RadiometricParams) -> Self {
        let terms = RawToCelsius::terms(params);
        RawToCelsius::from_fn(|raw| terms.convert(raw as f64))
    }

    /// Tabulates `celsius(count)` for every u16 count (NaN = no valid value).
    pub fn from_fn(celsius: impl Fn(u16) -> f64) -> Self {
        let table: Vec<f32> = (0..=u16::MAX).map(|raw| celsius(raw) as f32).collect();
        let mut valid = table.iter().filter(|t| !t.is_nan());
        let non_decreasing = match valid.next() {
            Some(&first) => valid
                .try_fold(first, |previous, &t| (t >= previous).then_some(t))
                .is_some(),
            None => true,
        };
        RawToCelsius {
            table,
            non_decreasing,
            outside: Vec::new(),
        }
    }

    /// This table within `range`: each count whose temperature lies
    /// outside it is marked, and shown as `policy` says (NaN, the nearest
    /// limit, or the extrapolated value).
    pub fn within(self, range: Option<CalibratedRange>, policy: OutsideRange) -> Self {
        let Some(range) = range else {
            return self;
        };
        let outside: Vec<bool> = self
            .table
            .iter()
            .map(|&t| range.excludes(t as f64))
            .collect();
        if !outside.contains(&true) {
            return self;
        }
        let mut limited =
            RawToCelsius::from_fn(|raw| range.shown(self.table[raw as usize] as f64, policy));
        limited.outside = outside;
        limited
    }

    /// Whether `raw`'s temperature lies outside the camera's calibrated
    /// range (always false for a table without one).
    #[inline]
    pub fn is_outside(&self, raw: u16) -> bool {
        self.outside.get(raw as usize).copied().unwrap_or(false)
    }

    /// Whether any count lies outside the calibrated range.
    pub fn has_outside(&self) -> bool {
        !self.outside.is_empty()
    }

    /// A linear scale: kelvin = count · `kelvin_per_count` + `offset_k`.
    pub fn linear(kelvin_per_count: f64, offset_k: f64) -> Self {
        RawToCelsius::from_fn(|raw| raw as f64 * kelvin_per_count + offset_k - KELVIN_OFFSET)
    }

    /// Whether the valid entries never decrease with the count, so that
    /// counts sort like temperatures (true of the Planck conversion and of
    /// linear scales with a positive factor).
    pub fn is_non_decreasing(&self) -> bool {
        self.non_decreasing
    }

    /// °C of one raw value.
    #[inline]
    pub fn get(&self, raw: u16) -> f32 {
        self.table[raw as usize]
    }
}

impl Terms {
    fn convert(&self, raw: f64) -> f64 {
        let p = &self.planck;
        let object = raw / self.signal_divisor - self.background;
        let argument = p.r1 / (p.r2 * (object + p.o)) + p.f;
        if argument.is_nan() || argument <= 0.0 || argument.is_infinite() {
            return f64::NAN;
        }
        let kelvin = p.b / argument.ln();
        if kelvin.is_finite() && kelvin > 0.0 {
            kelvin - KELVIN_OFFSET
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SC660 sample's parameters (truth.json; exiftool of IR_2412.jpg).
    pub(crate) fn sc660() -> RadiometricParams {
        RadiometricParams {
            emissivity: 0.949999988079071,
            distance_m: 1.0,
            reflected_c: 20.0,
            atmospheric_c: 20.0,
            window_c: 20.0,
            window_transmission: 1.0,
            relative_humidity: 0.5,
            planck: Planck {
                r1: 21106.76953125,
                b: 1501.0,
                f: 1.0,
                o: -7340.0,
                r2: 0.012545257806778,
            },
            atmosphere: Atmosphere {
                alpha1: 0.006569,
                alpha2: 0.01262,
                beta1: -0.002276,
                beta2: -0.00667,
                x: 1.9,
            },
            atmosphere_model: AtmosphereModel::Thermimage,
        }
    }

    #[test]
    fn a_blackbody_reads_back_its_temperature_with_unit_emissivity() {
        // With E = 1, tau = 1 (distance 0) and IRT = 1 the formula reduces
        // to the inverse of P(T): raw = P(T) must give T back.
        let mut p = sc660();
        p.emissivity = 1.0;
        p.distance_m = 0.0;
        for t in [20.0, 37.0, 42.5] {
            let raw = p.blackbody_counts(t);
            assert!((p.raw_to_celsius(raw) - t).abs() < 1e-9, "{t}");
        }
    }

    #[test]
    fn flirs_model_is_one_path_over_the_whole_distance() {
        // By hand, SC660 at 20 °C, RH 50 %, 1 m: h2o = 0.5·exp(1.5587 +
        // 1.3878 − 0.111264 + 0.0054764) = 8.563982, √h2o = 2.926428; the
        // exponents are −(0.006569 − 0.002276·2.926428) = +9.15504e-5 and
        // −(0.01262 − 0.00667·2.926428) = +0.00689928, so
        // tau = 1.9·exp(9.15504e-5) − 0.9·exp(0.00689928) = 0.9939431.
        let mut p = sc660();
        p.atmosphere_model = AtmosphereModel::Flir;
        assert!(
            (p.transmission() - 0.9939431).abs() < 1e-6,
            "{}",
            p.transmission()
        );
        let (e, tau) = (p.emissivity, p.transmission());
        let s = 18426.0;
        let object = s / (e * tau)
            - (1.0 - tau) / (e * tau) * p.blackbody_counts(20.0)
            - (1.0 - e) / e * p.blackbody_counts(20.0);
        let pl = p.planck;
        let by_hand = pl.b / (pl.r1 / (pl.r2 * (object + pl.o)) + pl.f).ln() - KELVIN_OFFSET;
        assert!((p.raw_to_celsius(s) - by_hand).abs() < 1e-9);
        // Thermimage's two half-paths correct for more atmosphere: its
        // value for the same count lies further from the ambient 20 °C.
        let thermimage = sc660().raw_to_celsius(s);
        assert!(thermimage > by_hand && thermimage - by_hand < 0.05);
        // truth.json: Thermimage gives 25.6443 °C at the SC660's centre.
        assert!((thermimage - 25.6443).abs() < 1e-3, "{thermimage}");
    }

    #[test]
    fn a_window_at_the_camera_is_continuous_with_no_window() {
        let mut p = sc660();
        p.atmosphere_model = AtmosphereModel::Flir;
        let without = p.raw_to_celsius(18426.0);
        p.window_transmission = 1.0 - 1e-9;
        p.window_c = 80.0;
        assert!((p.raw_to_celsius(18426.0) - without).abs() < 1e-6);
        // A window that passes 90 % and radiates at the atmosphere's
        // temperature makes the same count mean a warmer object.
        p.window_transmission = 0.9;
        p.window_c = 20.0;
        assert!(p.raw_to_celsius(18426.0) > without + 0.5);
    }

    #[test]
    fn models_are_named_as_the_options_write_them() {
        for model in [AtmosphereModel::Flir, AtmosphereModel::Thermimage] {
            assert_eq!(AtmosphereModel::named(model.name()), Some(model));
        }
        assert_eq!(AtmosphereModel::named("Flir"), None);
        assert_eq!(AtmosphereModel::default(), AtmosphereModel::Flir);
    }

    #[test]
    fn the_table_equals_the_formula() {
        let p = sc660();
        let table = RawToCelsius::new(&p);
        for raw in [0u16, 17917, 18426, 20218, 65535] {
            let direct = p.raw_to_celsius(raw as f64);
            let tabulated = table.get(raw) as f64;
            assert!(
                direct.is_nan() && tabulated.is_nan() || (direct - tabulated).abs() < 1e-5,
                "{raw}"
            );
        }
    }

    #[test]
    fn impossible_raw_values_are_nan_not_panics() {
        let p = sc660();
        // obj + O ≤ 0 makes the log argument negative.
        assert!(p.raw_to_celsius(0.0).is_nan());
        assert!(RawToCelsius::new(&p).get(0).is_nan());
    }

    #[test]
    fn planck_and_linear_tables_sort_counts_like_temperatures() {
        assert!(RawToCelsius::new(&sc660()).is_non_decreasing());
        let infiray = RawToCelsius::linear(1.0 / 64.0, 0.0);
        assert!(infiray.is_non_decreasing());
        // 64 · 310.15 K = 19 849.6 counts: count 19 850 is 37.00625 °C.
        assert!((infiray.get(19_850) as f64 - 37.00625).abs() < 1e-4);
        let falling = RawToCelsius::from_fn(|raw| -(raw as f64));
        assert!(!falling.is_non_decreasing());
    }
}
