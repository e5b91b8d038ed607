//! The uncertainty budget of each step's error, per source (GUM, JCGM
//! 100:2008; docs/science.md §6), written into the step table so every
//! decision can be audited step by step.
//!
//! Inputs of the error of a step mean (device mean − reference):
//! - **reference**: `[reference] uncertainty_c` ÷ `uncertainty_k` (2 when
//!   absent), Type B, ν = ∞; left out when the session states none (the
//!   report then warns that the decision assumes an exact reference);
//! - **reference stability**: the spread of the step's reference readings,
//!   `s_ref/√n` with n − 1 degrees of freedom, where they vary (a reference
//!   thermometer's log, interpolated samples);
//! - **display resolution** (displayed values only): `res/√12`, a
//!   rectangular distribution of the rounding (GUM F.2.2.1), from
//!   `[device] display_resolution_c`, else the finest decimal the values
//!   are written to ([`written_resolution`]);
//! - **repeatability** (Type A): `s_p/√n`, with `s_p` the within-step sd
//!   pooled over every step with repeats and its `Σ (n_i − 1)` degrees of
//!   freedom (GUM 4.2.4: a pooled estimate for a measurement in
//!   statistical control — the same device read the same way at each
//!   step); a session whose only repeated step is this one uses the step's
//!   own `s/√n` with n − 1. A step whose reference varies reading by
//!   reading uses the sd of the paired differences reading − reference
//!   (one quantity, the same the accuracy block's `repeatability` pools),
//!   and then no separate reference-stability term. When no step is
//!   repeated, the scatter of the step values about their fitted line,
//!   with m − 2 degrees of freedom ([`scatter_about_line`]); with fewer
//!   than 3 steps there is none, and the report warns.
//!
//! For a device judged against a declared transfer, the error is the
//! displayed value minus the declared reading at the reference, so the two
//! reference terms enter with the declaration's slope there as their
//! sensitivity coefficient (GUM 5.1.3): a declaration that moves 0.3 °C per
//! °C of target carries 0.3 of the reference's uncertainty.
//!
//! - **blackbody emissivity**, where `[reference] emissivity_uncertainty`
//!   is given (÷ `uncertainty_k`, Type B): the camera sees the blackbody
//!   through its emissivity, so an error in it moves every source. By
//!   Planck's law at the 10 µm centre of the 8–14 µm band, with the camera
//!   seeing `S = ε·L(T) + (1 − ε)·L(T_r)`, the apparent temperature moves by
//!   `∂T/∂ε = (L(T) − L(T_r)) / (ε·∂L/∂T) = T·(1 − L(T_r)/L(T))·(eˣ − 1)/(ε·x·eˣ)`
//!   with `x = c₂/(λT)` ([`emissivity_sensitivity_c`]); `T_r` is
//!   `[radiometry] reflected_c`, else a 20 °C room;
//! - **ROI spatial noise** (frame sources whose statistic is the ROI
//!   mean): the spread `s` of the target ROI's N pixels as the uncertainty
//!   `s/√N` of the mean of one frame, root-mean-square over the step's
//!   frames. Not divided by the frames: a fixed pattern across the ROI
//!   repeats in every frame. (Its random part is also in the
//!   repeatability; divided by √N it is small.) Left out for the maximum
//!   and the 90th percentile: their ROI is drawn larger than the target on
//!   purpose, so its spread is the background, not noise.

use crate::model::{FrameResult, Reference, Step, Transfer, RADIOMETRIC, REPORTED};
use fevercheck_stats::steps::StepStats;
use fevercheck_stats::uncertainty::{combine, Input};

/// Coverage factor of a stated reference uncertainty when session.toml
/// gives none: calibration certificates state U at k = 2 (about 95 %),
/// as ILAC-P14 requires.
pub(crate) const DEFAULT_REFERENCE_K: f64 = 2.0;

/// The warning of a session that states no reference uncertainty.
pub(crate) const REFERENCE_NOT_STATED: &str =
    "the reference's uncertainty is not stated ([reference] uncertainty_c): the uncertainty \
     budget leaves it out, so the accuracy decision holds only for an exact reference";

/// What the budget needs besides the steps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BudgetClaims<'a> {
    /// `[reference]` of session.toml.
    pub reference: &'a Reference,
    /// `[device] display_resolution_c`, °C.
    pub display_resolution_c: Option<f64>,
    /// The declared transfer the reported values are judged against.
    pub transfer: Option<&'a Transfer>,
    /// The reflected apparent temperature the blackbody is seen against,
    /// °C (`[radiometry] reflected_c`).
    pub reflected_c: Option<f64>,
}

/// Centre of the 8–14 µm band of fever-screening thermal cameras, µm.
const BAND_CENTRE_UM: f64 = 10.0;

/// The second radiation constant `c₂ = hc/k`, µm·K (CODATA 2018).
const SECOND_RADIATION_CONSTANT_UM_K: f64 = 14_387.769;

/// Reflected temperature assumed when session.toml gives none, °C: a
/// laboratory room (IEC 80601-2-59 tests at 18–24 °C ambient; the colder
/// end makes the emissivity matter more).
const DEFAULT_REFLECTED_C: f64 = 20.0;

/// Kelvin at 0 °C.
const ZERO_CELSIUS_K: f64 = 273.15;

/// How far the apparent temperature of a blackbody at `target_c` moves per
/// unit of emissivity, °C, seen against `reflected_c` (module doc).
pub(crate) fn emissivity_sensitivity_c(target_c: f64, reflected_c: f64, emissivity: f64) -> f64 {
    let kelvin = target_c + ZERO_CELSIUS_K;
    let x = SECOND_RADIATION_CONSTANT_UM_K / (BAND_CENTRE_UM * kelvin);
    let x_reflected =
        SECOND_RADIATION_CONSTANT_UM_K / (BAND_CENTRE_UM * (reflected_c + ZERO_CELSIUS_K));
    // Planck radiance ∝ 1/(eˣ − 1) at one wavelength.
    let radiance_ratio = x.exp_m1() / x_reflected.exp_m1();
    kelvin * (1.0 - radiance_ratio) * x.exp_m1() / (emissivity * x * x.exp())
}

/// The uncertainty of one frame's ROI mean from the spread of its pixels,
/// `s/√N`, °C; `None` for another statistic (module doc).
pub(crate) fn roi_statistic_uncertainty(frame: &FrameResult) -> Option<f64> {
    let sd = frame.target.sd_c?;
    (frame.statistic == "mean" && frame.target.valid > 0)
        .then(|| sd / (frame.target.valid as f64).sqrt())
}

/// Writes each step's budget into its statistics, for every source.
/// `reported` gives all the displayed values, read only to estimate the
/// resolution when none is declared; `roi_u_c` is each step's ROI spatial
/// uncertainty (module doc), where its frames have one.
pub(crate) fn annotate_steps(
    steps: &mut [Step],
    claims: &BudgetClaims,
    reported: impl FnOnce() -> Vec<f64>,
    roi_u_c: &[Option<f64>],
) -> Vec<String> {
    let resolution = claims
        .display_resolution_c
        .unwrap_or_else(|| written_resolution(&reported()));
    let mut warnings = Vec::new();
    for source in [REPORTED, RADIOMETRIC] {
        let pooled = pooled_sd(steps, source).or_else(|| scatter_about_line(steps, source));
        let has_source = steps.iter().any(|s| s.source(source).is_some());
        if pooled.is_none() && has_source {
            warnings.push(format!(
                "no Type A term can be estimated for the {source} values: no step was read more                  than once and fewer than {MIN_STEPS_FOR_SCATTER} steps leave no scatter about a                  line, so the uncertainty budget holds only the Type B terms and the decision                  understates it; read each step at least twice"
            ));
        }
        let resolution = (source == REPORTED).then_some(resolution);
        for (index, step) in steps.iter_mut().enumerate() {
            let sensitivity = match claims.transfer {
                Some(transfer) if source == REPORTED => transfer.slope_at(step.reference_c).abs(),
                _ => 1.0,
            };
            let mut extra = Vec::new();
            if let Some(stated) = claims.reference.emissivity_uncertainty {
                let k = claims
                    .reference
                    .uncertainty_k
                    .unwrap_or(DEFAULT_REFERENCE_K);
                let per_unit = emissivity_sensitivity_c(
                    step.reference_c,
                    claims.reflected_c.unwrap_or(DEFAULT_REFLECTED_C),
                    claims.reference.emissivity.unwrap_or(1.0),
                );
                extra.push(Input::new(
                    "blackbody emissivity",
                    sensitivity * per_unit.abs() * stated / k,
                    None,
                ));
            }
            if source == RADIOMETRIC {
                if let Some(u) = roi_u_c.get(index).copied().flatten() {
                    extra.push(Input::new("ROI spatial noise", u, None));
                }
            }
            let reference = ReferenceInputs {
                stated: claims.reference,
                sd: step.reference_sd_c,
                n: step.n,
                sensitivity,
            };
            let Some(stats) = source_mut(step, source) else {
                continue;
            };
            let mut inputs = inputs(&reference, stats, resolution, pooled);
            inputs.extend(extra);
            stats.uncertainty = combine(&inputs);
        }
    }
    warnings
}

/// Decimals a written value has at most, for [`written_resolution`].
const MOST_DECIMALS: i32 = 3;

/// The step of the finest decimal grid all `values` lie on (1, 0.1, 0.01
/// or 0.001 °C): the rounding the values were written with. Not the
/// smallest gap between them, which a short sweep (three values a degree
/// apart) would make a whole degree.
pub(crate) fn written_resolution(values: &[f64]) -> f64 {
    (0..MOST_DECIMALS)
        .map(|decimals| 10f64.powi(-decimals))
        .find(|step| {
            values
                .iter()
                .all(|v| ((v / step) - (v / step).round()).abs() < 1e-6)
        })
        .unwrap_or(10f64.powi(-MOST_DECIMALS))
}

/// What the reference terms of one step's budget are made of.
struct ReferenceInputs<'a> {
    /// `[reference]` of session.toml.
    stated: &'a Reference,
    /// The sd of the step's reference readings, where they vary.
    sd: Option<f64>,
    /// Readings at the step.
    n: usize,
    /// How much of a reference error reaches the step's error: 1, or the
    /// slope of a declared transfer.
    sensitivity: f64,
}

/// The inputs of one step's error.
fn inputs(
    reference: &ReferenceInputs,
    stats: &StepStats,
    resolution: Option<f64>,
    pooled: Option<SharedTypeA>,
) -> Vec<Input> {
    let mut inputs = Vec::new();
    if let Some(stated) = reference.stated.uncertainty_c {
        let k = reference
            .stated
            .uncertainty_k
            .unwrap_or(DEFAULT_REFERENCE_K);
        inputs.push(Input::new(
            "reference",
            reference.sensitivity * stated / k,
            None,
        ));
    }
    // Where the step's readings are paired with their own references, the
    // differences' scatter is the repeatability and already holds the
    // reference's: it is not counted again.
    let paired = stats.difference_sd_c.is_some();
    if let Some(sd) = reference.sd.filter(|_| reference.n > 1 && !paired) {
        inputs.push(Input::new(
            "reference stability",
            reference.sensitivity * sd / (reference.n as f64).sqrt(),
            Some((reference.n - 1) as f64),
        ));
    }
    if let Some(resolution) = resolution {
        inputs.push(Input::new(
            "display resolution",
            resolution / 12f64.sqrt(),
            None,
        ));
    }
    let n = stats.n as f64;
    let own = type_a_sd(stats)
        .filter(|_| stats.n > 1)
        .map(|sd| (sd, n - 1.0));
    match (own, pooled) {
        (Some((_, own_dof)), Some(pooled)) if pooled.dof > own_dof => {
            inputs.push(Input::new(
                pooled.name,
                pooled.sd / n.sqrt(),
                Some(pooled.dof),
            ));
        }
        (Some((sd, dof)), _) => {
            inputs.push(Input::new("repeatability", sd / n.sqrt(), Some(dof)));
        }
        (None, Some(pooled)) => {
            inputs.push(Input::new(
                pooled.name,
                pooled.sd / n.sqrt(),
                Some(pooled.dof),
            ));
        }
        (None, None) => {}
    }
    inputs
}

/// A step's repeatability sd: of the paired differences reading −
/// reference where the reference varies within the step, else of the
/// readings (the reference is then one value). The accuracy block's
/// `repeatability` pools the same differences.
fn type_a_sd(stats: &StepStats) -> Option<f64> {
    stats.difference_sd_c.or(stats.sd_c)
}

/// A Type A term shared by the steps: its name in the budget, sd and
/// degrees of freedom.
#[derive(Debug, Clone, Copy)]
struct SharedTypeA {
    name: &'static str,
    sd: f64,
    dof: f64,
}

/// Fewest steps whose scatter about a fitted line gives a Type A term when
/// no step is repeated (one degree of freedom left after the line).
const MIN_STEPS_FOR_SCATTER: usize = 3;

/// The Type A term of a session whose steps were each read once: the
/// scatter of the step values about the least-squares line through them
/// (the device's fitted transfer), `s = √(SSE/(m − 2))` with m − 2 degrees
/// of freedom. A reading's noise is in the data even without repeats;
/// leaving it out would make the budget the display's rounding alone and
/// bias guarded acceptance toward a pass (issue #25). A transfer that is
/// not a line leaves more scatter, and so a larger, cautious term.
fn scatter_about_line(steps: &[Step], source: &str) -> Option<SharedTypeA> {
    let (x, y): (Vec<f64>, Vec<f64>) = steps
        .iter()
        .filter_map(|s| s.source(source).map(|stats| (s.reference_c, stats.mean_c)))
        .unzip();
    if x.len() < MIN_STEPS_FOR_SCATTER {
        return None;
    }
    let line = fevercheck_stats::regression::ols(&x, &y)?;
    let sse: f64 = x
        .iter()
        .zip(&y)
        .map(|(xi, yi)| (yi - line.predict(*xi)).powi(2))
        .sum();
    let dof = (x.len() - 2) as f64;
    Some(SharedTypeA {
        name: "repeatability (scatter about the fitted line)",
        sd: (sse / dof).sqrt(),
        dof,
    })
}

/// The pooled within-step sd of a source and its degrees of freedom
/// `Σ (n_i − 1)`, over steps with two readings or more.
fn pooled_sd(steps: &[Step], source: &str) -> Option<SharedTypeA> {
    let (squares, dof) = steps
        .iter()
        .filter_map(|s| s.source(source))
        .filter_map(|s| type_a_sd(s).map(|sd| (sd * sd * (s.n - 1) as f64, (s.n - 1) as f64)))
        .fold((0.0, 0.0), |(q, d), (sq, df)| (q + sq, d + df));
    (dof > 0.0).then(|| SharedTypeA {
        name: "repeatability (pooled)",
        sd: (squares / dof).sqrt(),
        dof,
    })
}

fn source_mut<'a>(step: &'a mut Step, source: &str) -> Option<&'a mut StepStats> {
    match source {
        REPORTED => step.reported.as_mut(),
        RADIOMETRIC => step.radiometric.as_mut(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emissivity_sensitivity_follows_planck() {
        // A 37 °C blackbody against a 20 °C room at 10 µm: the apparent
        // temperature found by inverting ε·L(T) + (1 − ε)·L(T_r) for
        // ε = 1 − 10⁻⁴ moves by 15.7336 °C per unit emissivity (a finite
        // difference of Planck's law, solved by bisection outside the
        // project).
        assert!((emissivity_sensitivity_c(37.0, 20.0, 1.0) - 15.7336).abs() < 1e-3);
        // Nothing to see against a room at the target's temperature.
        assert!(emissivity_sensitivity_c(37.0, 37.0, 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_resolution_is_the_decimals_the_values_are_written_to() {
        assert_eq!(written_resolution(&[36.0, 37.0, 38.0]), 1.0);
        assert_eq!(written_resolution(&[36.29, 37.29, 38.29]), 0.01);
        assert_eq!(written_resolution(&[36.5, 37.1]), 0.1);
        assert_eq!(written_resolution(&[36.1234]), 0.001);
        assert_eq!(written_resolution(&[]), 1.0);
    }
}
