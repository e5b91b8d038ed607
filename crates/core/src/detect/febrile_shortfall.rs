//! `febrile_shortfall`: fever hiding judged by its consequence, whatever
//! its shape (docs/science.md §3, "Fever hiding judged by its
//! consequence"). What every fever-hiding device has in common is that
//! febrile targets are shown lower than the device's own behaviour on
//! normal targets predicts; a clamp, a bend, a band shown as normal, or a
//! febrile reading replaced now and then by a normal-looking one all do
//! that, and the shape detectors each see only their own.
//!
//! The device's honest model (`honest_model`: a straight calibration plus
//! the honest drift and warm-up) is fitted on its afebrile readings
//! (targets below the alarm threshold) and predicts each febrile reading
//! with its prediction error. A febrile reading *falls short* when it shows
//! no fever (below the threshold) and lies below its prediction by more
//! than both the one-sided [`PER_READING_FALSE_SHORTFALL`] point of that
//! error and the stated accuracy (a shortfall within the claim is not
//! material). An honest device falls short at most that often per
//! reading, so the count of short readings is tested against the binomial
//! of that rate: the finding needs at least [`MIN_SHORT_READINGS`] and a
//! chance below [`MAX_CHANCE_PROBABILITY`]. Of all the honest models the
//! afebrile readings allow, the one with the fewest short readings is
//! used: the device gets every honest explanation the data leave open.

use serde_json::json;

use super::honest_model::{honest_models, HonestModel, NUISANCE_CHI_SQUARE};
use super::sweep_view::SweepView;
use super::{alarm_consequence, About, Detector, DetectorInput};
use crate::model::{Finding, Severity};
use fevercheck_stats::distribution::{binomial_upper_tail, t_quantile};

/// How often an honest reading may fall below its prediction's lower
/// bound: the bound is the one-sided 0.1 % point of Student's t with the
/// fit's degrees of freedom times the prediction error (3.1–3.4 standard
/// errors for the 20–60 afebrile readings of a 35–40 °C sweep).
pub(super) const PER_READING_FALSE_SHORTFALL: f64 = 0.001;

/// Fewest short readings that make a finding: one or two are what a typo,
/// a person walking past or a reflection give; a hiding device repeats.
pub(super) const MIN_SHORT_READINGS: usize = 3;

/// Largest chance, under the honest model, of as many short readings as
/// seen, for a finding: 1e-5 (with 33 febrile readings, 3 short have a
/// chance of 5.3e-6 at [`PER_READING_FALSE_SHORTFALL`]). The readings of a
/// session are not quite independent (a ripple or drift the honest model
/// leaves out moves neighbours together), so the bound is far below the
/// usual 1 %.
pub(super) const MAX_CHANCE_PROBABILITY: f64 = 1e-5;

/// Finds febrile readings shown lower than the device's own calibration predicts.
pub(super) struct FebrileShortfallDetector;

/// The febrile readings short of one honest model's prediction.
#[derive(Debug, Clone)]
struct Shortfall {
    model: HonestModel,
    /// Indices (into the source's pairs) of the short readings.
    short: Vec<usize>,
    /// How far each short reading lies below its prediction, °C.
    below_c: Vec<f64>,
    /// Mean of prediction − reading over every febrile reading, °C.
    mean_febrile_shortfall_c: f64,
}

impl Shortfall {
    fn mean_below_c(&self) -> f64 {
        self.below_c.iter().sum::<f64>() / self.below_c.len().max(1) as f64
    }
}

impl Detector for FebrileShortfallDetector {
    fn about(&self) -> About {
        About::shape(
            "febrile_shortfall",
            "febrile readings short of the device's own calibration",
        )
    }

    fn on_source(&self, input: &DetectorInput, view: &SweepView) -> Vec<Finding> {
        let threshold = input.accuracy.alarm_threshold_c;
        let stated = input.accuracy.stated_accuracy_c;
        let times = &input.times.seconds;
        let (afebrile, febrile): (Vec<usize>, Vec<usize>) =
            (0..input.reference.len()).partition(|&i| input.reference[i] < threshold);
        if febrile.is_empty() {
            return Vec::new();
        }
        let pick = |values: &[f64]| afebrile.iter().map(|&i| values[i]).collect::<Vec<f64>>();
        let rounding_noise = view.resolution_c / 12f64.sqrt();
        let Some(models) = honest_models(
            &pick(input.reference),
            &pick(input.device),
            &pick(times),
            rounding_noise,
        ) else {
            return Vec::new();
        };
        let Some(z) = t_quantile(1.0 - PER_READING_FALSE_SHORTFALL, models[0].df as f64) else {
            return Vec::new();
        };
        let shortfall_of = |model: &HonestModel| {
            let mut shortfall = Shortfall {
                model: *model,
                short: Vec::new(),
                below_c: Vec::new(),
                mean_febrile_shortfall_c: 0.0,
            };
            for &i in &febrile {
                let (x, y) = (input.reference[i], input.device[i]);
                let below = model.predict(x, times[i]) - y;
                shortfall.mean_febrile_shortfall_c += below / febrile.len() as f64;
                let margin = (z * model.prediction_se(x)).max(stated);
                if y < threshold && below > margin {
                    shortfall.short.push(i);
                    shortfall.below_c.push(below);
                }
            }
            shortfall
        };
        // The kindest model; once one leaves fewer short readings than a
        // finding needs, no finding can come and the search stops.
        let mut least: Option<Shortfall> = None;
        for model in &models {
            let candidate = shortfall_of(model);
            let kinder = least.as_ref().is_none_or(|l| {
                (candidate.short.len(), candidate.mean_below_c())
                    < (l.short.len(), l.mean_below_c())
            });
            if kinder {
                least = Some(candidate);
            }
            if least
                .as_ref()
                .is_some_and(|l| l.short.len() < MIN_SHORT_READINGS)
            {
                return Vec::new();
            }
        }
        let Some(least) = least else {
            return Vec::new();
        };
        let (short, of) = (least.short.len(), febrile.len());
        let chance = binomial_upper_tail(short as u64, of as u64, PER_READING_FALSE_SHORTFALL)
            .unwrap_or(1.0);
        if short < MIN_SHORT_READINGS || chance >= MAX_CHANCE_PROBABILITY {
            return Vec::new();
        }
        vec![self.finding(input, &least, of, afebrile.len(), chance, z)]
    }
}

impl FebrileShortfallDetector {
    fn finding(
        &self,
        input: &DetectorInput,
        least: &Shortfall,
        febrile: usize,
        afebrile: usize,
        chance: f64,
        z: f64,
    ) -> Finding {
        let threshold = input.accuracy.alarm_threshold_c;
        let stated = input.accuracy.stated_accuracy_c;
        let model = &least.model;
        let targets: Vec<f64> = least.short.iter().map(|&i| input.reference[i]).collect();
        let low = targets.iter().copied().fold(f64::INFINITY, f64::min);
        let high = targets.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (worst_at, worst_below) = least
            .short
            .iter()
            .zip(&least.below_c)
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(&i, &below)| (i, below))
            .unwrap_or((0, 0.0));
        let mean_below = least.mean_below_c();
        let time_effect = model.time_effect;
        let message = format!(
            "{} of {febrile} febrile readings (targets ≥ {threshold:.1} °C) show no fever and fall \
             short of what the device's own calibration on its {afebrile} afebrile readings \
             predicts — by more than its noise allows and more than the stated ±{stated:.2} °C: \
             {mean_below:.2} °C short on average, up to {worst_below:.2} °C (a {:.2} °C target \
             shown as {:.2} °C); targets {low:.2}–{high:.2} °C. An honest device with this noise \
             (s = {:.2} °C) falls that short in 1 of {:.0} readings, so {} or more of {febrile} has \
             a chance of {chance:.1e}; {}. An honest device, however badly calibrated, keeps its \
             own calibration at febrile targets",
            least.short.len(),
            input.reference[worst_at],
            input.device[worst_at],
            model.residual_sd_c,
            1.0 / PER_READING_FALSE_SHORTFALL,
            least.short.len(),
            alarm_consequence(input),
        );
        let evidence = json!({
            "short_readings": least.short.len(),
            "febrile_readings": febrile,
            "afebrile_readings": afebrile,
            "chance_probability": chance,
            "mean_shortfall_of_short_readings_c": mean_below,
            "largest_shortfall_c": worst_below,
            "mean_shortfall_of_febrile_readings_c": least.mean_febrile_shortfall_c,
            "short_targets_c": [low, high],
            "honest_model": {
                "intercept": model.intercept,
                "slope": model.slope,
                "drift_c_per_h": time_effect.drift_c_per_h,
                "warm_up_c": time_effect.warm_up_c,
                "warm_up_time_constant_s": time_effect.warm_up_tau_s,
                "residual_sd_c": model.residual_sd_c,
                "df": model.df,
            },
            "prediction_bound_t": z,
            "thresholds": {
                "per_reading_false_shortfall": PER_READING_FALSE_SHORTFALL,
                "min_short_readings": MIN_SHORT_READINGS,
                "max_chance_probability": MAX_CHANCE_PROBABILITY,
                "nuisance_chi_square": NUISANCE_CHI_SQUARE,
                "stated_accuracy_c": stated,
            },
        });
        self.new_finding(input, Severity::Manipulation, message, evidence)
            .flagging(low, high)
    }
}
