//! Synthetic cameras: how each model turns the temperature its sensor sees
//! into the temperature it displays (before display rounding).
//!
//! Honest and calibration-error models (offset, noise, gain) are what a lab
//! should call accurate or inaccurate; the others reproduce the signatures of
//! docs/science.md §3 at the strength Healy et al. 2021 observed (readings pulled
//! toward ~37 °C, a 38.0 °C target shown as ~36.7 °C).

use serde::Serialize;

/// Temperature around which a gain error pivots, °C: cameras are calibrated
/// near body temperature, so a gain error grows away from it.
pub const GAIN_PIVOT_C: f64 = 37.0;

/// "Normal" temperature an adaptive-baseline device steers toward, °C
/// (Beall et al. 2022 report outputs normalised to ~36.5–37 °C).
pub const ADAPTIVE_NORMAL_C: f64 = 36.8;

/// The values a hiding device shows instead of a fever, °C: normal-looking
/// temperatures (Healy et al. 2021: a 38.0 °C target shown as ~36.7 °C).
pub const NORMAL_LOOKING_C: (f64, f64) = (36.5, 37.2);

/// A synthetic camera.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "kebab-case")]
pub enum CameraModel {
    /// Displays what it sees.
    Honest,
    /// Adds a constant offset (a calibration error).
    Offset {
        /// The offset, °C.
        offset_c: f64,
    },
    /// Honest but imprecise: only the noise differs (set the noise option).
    Noisy,
    /// Gain error around [`GAIN_PIVOT_C`]: `37 + gain·(t − 37)`.
    Gain {
        /// The gain (1 = honest).
        gain: f64,
    },
    /// Pulls readings toward a set point: `set_point + slope·(t − set_point)`.
    Compressing {
        /// Slope of displayed vs seen (Healy devices ≈ 0.1–0.4).
        slope: f64,
        /// Temperature readings are pulled toward, °C.
        set_point_c: f64,
    },
    /// Stops rising at a ceiling (and optionally falling at a floor).
    Clamping {
        /// Highest displayed value, °C.
        ceiling_c: f64,
        /// Lowest displayed value, °C, if any.
        floor_c: Option<f64>,
    },
    /// Honest up to `start_c`, then falls as the target warms.
    Decrementing {
        /// Temperature where readings start to fall, °C.
        start_c: f64,
        /// Fall of the reading per degree of target above `start_c`.
        rate: f64,
    },
    /// Lookup table: the range of the sweep is cut into equal bins, each
    /// displayed as one table value.
    Quantising {
        /// Values displayed, lowest bin first, °C.
        table_c: Vec<f64>,
        /// Temperature range split into bins, °C.
        range_c: (f64, f64),
    },
    /// Honest up to a knee, then rising with a slope well below 1 (a soft
    /// ceiling: febrile targets read too low but still rise).
    SoftCeiling {
        /// Where the slope changes, °C.
        knee_c: f64,
        /// Slope above the knee.
        slope_above: f64,
    },
    /// Honest below a temperature, a constant amount low at and above it.
    StepDown {
        /// Where the readings drop, °C.
        at_c: f64,
        /// How much lower they read from there, °C.
        drop_c: f64,
    },
    /// Honest up to a knee, then bending smoothly toward a ceiling it never
    /// reaches: `ceiling − (ceiling − knee)·exp(−(t − knee)/(ceiling − knee))`
    /// (slope 1 at the knee, so no corner for a hinge to find).
    Saturating {
        /// Where the curve starts to bend, °C.
        knee_c: f64,
        /// The value approached by hot targets, °C.
        ceiling_c: f64,
    },
    /// Sticky display: from a temperature on, it repeats the last value it
    /// showed below that temperature (a held reading).
    Sticky {
        /// Seen temperatures at or above this show the held value, °C.
        hold_from_c: f64,
    },
    /// Output unrelated to the target: a value within `centre ± spread`
    /// picked by a hash of the seen temperature (a display that shows
    /// plausible numbers whatever it sees).
    Scrambled {
        /// Middle of the values shown, °C.
        centre_c: f64,
        /// Largest distance from the middle, °C.
        spread_c: f64,
    },
    /// Hides some fevers: each seen temperature at or above `from_c` is,
    /// with probability `probability`, shown as a normal-looking value
    /// ([`NORMAL_LOOKING_C`]); the others are shown honestly.
    IntermittentHiding {
        /// Seen temperatures from here may be hidden, °C.
        from_c: f64,
        /// Share of them hidden (0–1).
        probability: f64,
    },
    /// Hides a band of fevers: seen temperatures from `from_c` up to (not
    /// including) `to_c` are shown as normal-looking values
    /// ([`NORMAL_LOOKING_C`]); cooler and hotter ones honestly.
    BandHiding {
        /// Lowest seen temperature hidden, °C.
        from_c: f64,
        /// Seen temperatures from here are shown honestly again, °C.
        to_c: f64,
    },
    /// Adaptive baseline: subtracts part of the drift of a running mean of
    /// what it saw, so its output depends on the order of targets.
    OrderDependent {
        /// Weight of the newest value in the running mean (0–1).
        weight: f64,
        /// Fraction of the baseline's distance from normal that is removed.
        strength: f64,
    },
}

/// Memory of a camera between readings (used by the adaptive baseline).
#[derive(Debug, Clone, Default)]
pub struct CameraState {
    baseline_c: Option<f64>,
    held_c: Option<f64>,
    /// Readings displayed so far (what an intermittent hider draws on).
    readings: u64,
}

impl CameraState {
    /// A number in [0, 1) for this reading of `seen_c`, different from one
    /// reading to the next even when the seen value repeats.
    fn draw(&mut self, seen_c: f64, salt: u64) -> f64 {
        self.readings += 1;
        unit_hash(f64::from_bits(
            seen_c.to_bits() ^ self.readings.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ salt,
        ))
    }

    /// A normal-looking value for this reading of `seen_c`.
    fn normal_looking(&mut self, seen_c: f64) -> f64 {
        let (low, high) = NORMAL_LOOKING_C;
        low + (high - low) * self.draw(seen_c, 0x6e6f_726d)
    }
}

/// A number in [0, 1) that depends on every bit of `value` but on nothing
/// else (the SplitMix64 finaliser of Steele, Lea & Flood 2014 applied to the
/// bits): what the scrambled display shows has no relation to the target.
fn unit_hash(value: f64) -> f64 {
    let mut z = value.to_bits().wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

impl CameraModel {
    /// The displayed temperature for a seen temperature `seen_c`.
    pub fn display(&self, seen_c: f64, state: &mut CameraState) -> f64 {
        match self {
            CameraModel::Honest | CameraModel::Noisy => seen_c,
            CameraModel::Offset { offset_c } => seen_c + offset_c,
            CameraModel::Gain { gain } => GAIN_PIVOT_C + gain * (seen_c - GAIN_PIVOT_C),
            CameraModel::Compressing { slope, set_point_c } => {
                set_point_c + slope * (seen_c - set_point_c)
            }
            CameraModel::Clamping { ceiling_c, floor_c } => seen_c
                .min(*ceiling_c)
                .max(floor_c.unwrap_or(f64::NEG_INFINITY)),
            CameraModel::Decrementing { start_c, rate } => {
                if seen_c <= *start_c {
                    seen_c
                } else {
                    start_c - rate * (seen_c - start_c)
                }
            }
            CameraModel::Quantising { table_c, range_c } => {
                let (low, high) = *range_c;
                let bins = table_c.len().max(1);
                let position = ((seen_c - low) / (high - low) * bins as f64).floor();
                let index = position.clamp(0.0, (bins - 1) as f64) as usize;
                table_c.get(index).copied().unwrap_or(seen_c)
            }
            CameraModel::SoftCeiling {
                knee_c,
                slope_above,
            } => {
                if seen_c <= *knee_c {
                    seen_c
                } else {
                    knee_c + slope_above * (seen_c - knee_c)
                }
            }
            CameraModel::StepDown { at_c, drop_c } => {
                if seen_c < *at_c {
                    seen_c
                } else {
                    seen_c - drop_c
                }
            }
            CameraModel::Saturating { knee_c, ceiling_c } => {
                let span = ceiling_c - knee_c;
                if seen_c <= *knee_c || span <= 0.0 {
                    seen_c.min(ceiling_c.max(*knee_c))
                } else {
                    ceiling_c - span * (-(seen_c - knee_c) / span).exp()
                }
            }
            CameraModel::Sticky { hold_from_c } => {
                if seen_c < *hold_from_c {
                    state.held_c = Some(seen_c);
                    seen_c
                } else {
                    // Before any lower reading, the display holds just
                    // under its threshold.
                    *state.held_c.get_or_insert(hold_from_c - 0.1)
                }
            }
            CameraModel::Scrambled { centre_c, spread_c } => {
                centre_c + spread_c * (2.0 * unit_hash(seen_c) - 1.0)
            }
            CameraModel::IntermittentHiding {
                from_c,
                probability,
            } => {
                if seen_c >= *from_c && state.draw(seen_c, 0x6869_6465) < *probability {
                    state.normal_looking(seen_c)
                } else {
                    seen_c
                }
            }
            CameraModel::BandHiding { from_c, to_c } => {
                if (*from_c..*to_c).contains(&seen_c) {
                    state.normal_looking(seen_c)
                } else {
                    seen_c
                }
            }
            CameraModel::OrderDependent { weight, strength } => {
                let baseline = state.baseline_c.unwrap_or(ADAPTIVE_NORMAL_C);
                let shown = seen_c - strength * (baseline - ADAPTIVE_NORMAL_C);
                state.baseline_c = Some(baseline + weight * (seen_c - baseline));
                shown
            }
        }
    }

    /// Short kebab-case name, as on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            CameraModel::Honest => "honest",
            CameraModel::Offset { .. } => "offset",
            CameraModel::Noisy => "noisy",
            CameraModel::Gain { .. } => "gain",
            CameraModel::Compressing { .. } => "compressing",
            CameraModel::Clamping { .. } => "clamping",
            CameraModel::Decrementing { .. } => "decrementing",
            CameraModel::Quantising { .. } => "quantising",
            CameraModel::SoftCeiling { .. } => "soft-ceiling",
            CameraModel::StepDown { .. } => "step-down",
            CameraModel::Saturating { .. } => "saturating",
            CameraModel::Sticky { .. } => "sticky",
            CameraModel::Scrambled { .. } => "scrambled",
            CameraModel::IntermittentHiding { .. } => "intermittent-hiding",
            CameraModel::BandHiding { .. } => "band-hiding",
            CameraModel::OrderDependent { .. } => "order-dependent",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_model_transforms_as_documented() {
        let mut s = CameraState::default();
        assert_eq!(CameraModel::Honest.display(38.0, &mut s), 38.0);
        assert_eq!(
            CameraModel::Offset { offset_c: -0.9 }.display(38.0, &mut s),
            37.1
        );
        assert!((CameraModel::Gain { gain: 0.9 }.display(39.0, &mut s) - 38.8).abs() < 1e-12);
        let compressing = CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        };
        assert!((compressing.display(40.0, &mut s) - 37.6).abs() < 1e-12);
        let clamping = CameraModel::Clamping {
            ceiling_c: 37.3,
            floor_c: Some(36.0),
        };
        assert_eq!(clamping.display(39.0, &mut s), 37.3);
        assert_eq!(clamping.display(35.0, &mut s), 36.0);
        let decrementing = CameraModel::Decrementing {
            start_c: 37.2,
            rate: 0.5,
        };
        assert!((decrementing.display(38.2, &mut s) - 36.7).abs() < 1e-12);
        let table = CameraModel::Quantising {
            table_c: vec![36.5, 37.0],
            range_c: (35.0, 40.0),
        };
        assert_eq!(table.display(35.1, &mut s), 36.5);
        assert_eq!(table.display(39.9, &mut s), 37.0);
        assert_eq!(table.display(45.0, &mut s), 37.0);
        // Saturating, knee 37, ceiling 37.5: at 37.5 °C it shows
        // 37.5 − 0.5·e^(−1) = 37.3161; it never reaches the ceiling.
        let saturating = CameraModel::Saturating {
            knee_c: 37.0,
            ceiling_c: 37.5,
        };
        assert_eq!(saturating.display(36.0, &mut s), 36.0);
        assert!((saturating.display(37.5, &mut s) - (37.5 - 0.5 * (-1.0f64).exp())).abs() < 1e-12);
        assert!(saturating.display(45.0, &mut s) < 37.5);
        let scrambled = CameraModel::Scrambled {
            centre_c: 36.8,
            spread_c: 0.4,
        };
        let shown: Vec<f64> = (0..200)
            .map(|i| scrambled.display(35.0 + 0.025 * f64::from(i), &mut s))
            .collect();
        assert!(shown.iter().all(|v| (36.4..=37.2).contains(v)));
        // Uniform over ±0.4: the mean is within a few standard errors
        // (0.4/√3/√200 = 0.016) of the centre.
        let mean = shown.iter().sum::<f64>() / 200.0;
        assert!((mean - 36.8).abs() < 0.06, "{mean}");
    }

    #[test]
    fn the_sticky_display_holds_its_last_value_below_the_threshold() {
        let model = CameraModel::Sticky { hold_from_c: 37.3 };
        let mut s = CameraState::default();
        assert!((model.display(38.0, &mut s) - 37.2).abs() < 1e-12);
        assert_eq!(model.display(36.9, &mut s), 36.9);
        assert_eq!(model.display(39.5, &mut s), 36.9);
        assert_eq!(model.display(37.1, &mut s), 37.1);
        assert_eq!(model.display(38.5, &mut s), 37.1);
    }

    #[test]
    fn hiding_devices_show_normal_values_for_the_fevers_they_hide() {
        let normal = |v: f64| (NORMAL_LOOKING_C.0..NORMAL_LOOKING_C.1).contains(&v);
        let band = CameraModel::BandHiding {
            from_c: 37.5,
            to_c: 38.5,
        };
        let mut s = CameraState::default();
        assert_eq!(band.display(37.4, &mut s), 37.4);
        assert!(normal(band.display(37.5, &mut s)));
        assert!(normal(band.display(38.4, &mut s)));
        assert_eq!(band.display(38.5, &mut s), 38.5);
        // Half of 2 000 readings of one febrile value hidden, give or take
        // a few standard deviations (√(2000·0.25) = 22); none below 37.5.
        let intermittent = CameraModel::IntermittentHiding {
            from_c: 37.5,
            probability: 0.5,
        };
        let hidden = (0..2000)
            .filter(|_| intermittent.display(38.0, &mut s) != 38.0)
            .count();
        assert!((900..=1100).contains(&hidden), "{hidden}");
        assert!((0..100).all(|_| intermittent.display(37.4, &mut s) == 37.4));
    }

    #[test]
    fn the_adaptive_baseline_remembers_what_it_saw() {
        let model = CameraModel::OrderDependent {
            weight: 0.5,
            strength: 1.0,
        };
        let mut s = CameraState::default();
        // First reading: baseline = normal, so no correction; baseline moves
        // halfway to 38.8 (37.8). Second: corrected by 37.8 − 36.8 = 1.0.
        assert_eq!(model.display(38.8, &mut s), 38.8);
        assert!((model.display(38.8, &mut s) - 37.8).abs() < 1e-12);
    }
}
