//! The `accuracy.<source>` block of a report: every statistic of
//! docs/science.md §2 for one source of device values against the reference.
//! Field names are the report contract; `analysis` fills them in.

use serde::{Deserialize, Serialize};

use super::{Decision, DecisionRule};
use fevercheck_stats::bland_altman::{LoaIntervalMethod, LOA_Z};
use fevercheck_stats::deming::MethodFit;
use fevercheck_stats::regression::BandPoint;
use fevercheck_stats::repeatability::Repeatability;
use fevercheck_stats::rounds::RoundBias;
use fevercheck_stats::screening::Screening;
use fevercheck_stats::subject_agreement::SubjectComponents;
use fevercheck_stats::uncertainty::Budget;
use fevercheck_stats::Interval;

/// Repeatability with the grouping it was computed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepeatabilityBlock {
    /// `subject` or `step`.
    pub grouping: String,
    /// The statistics: within subjects with the round effects removed when
    /// the session has rounds.
    #[serde(flatten)]
    pub stats: Repeatability,
    /// Each round's bias, when the session has rounds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<RoundBias>,
    /// The pooled within-subject sd with the round shifts left in, °C, when
    /// the session has rounds (what `sd_c` would be without them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_with_round_shifts_c: Option<f64>,
}

/// Accuracy statistics of one source. Field names are the report contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Accuracy {
    /// Number of paired observations.
    pub n: usize,
    /// Mean error `mean(y − x)`, °C.
    pub bias_c: f64,
    /// Standard deviation of the errors, °C.
    pub sd_c: Option<f64>,
    /// Root mean square error, °C.
    pub rmse_c: f64,
    /// Mean absolute error, °C.
    pub mae_c: f64,
    /// Largest absolute error of a single observation, °C.
    pub max_abs_error_c: f64,
    /// Lower limit of agreement `bias − k·sd`, °C.
    pub loa_low_c: Option<f64>,
    /// Upper limit of agreement `bias + k·sd`, °C.
    pub loa_high_c: Option<f64>,
    /// The multiplier `k` of the limits: 1.96 (Bland & Altman) for a sweep,
    /// 2 for a clinical study (ISO 80601-2-56).
    #[serde(default = "bland_altman_multiplier")]
    pub loa_multiplier: f64,
    /// How the limits' confidence intervals were computed.
    #[serde(default = "approximate_intervals")]
    pub loa_ci_method: LoaIntervalMethod,
    /// Variance components over subjects, when a clinical study reads
    /// subjects more than once: the bias and limits treat subjects as
    /// clusters (Bland & Altman 2007).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_components: Option<SubjectComponents>,
    /// 95 % CI of the bias.
    pub bias_ci_c: Option<Interval>,
    /// 95 % CI of the lower limit of agreement.
    pub loa_low_ci_c: Option<Interval>,
    /// 95 % CI of the upper limit of agreement.
    pub loa_high_ci_c: Option<Interval>,
    /// Slope of `d` on `(x + y)/2` (proportional bias).
    pub proportional_bias_slope: Option<f64>,
    /// Its 95 % CI; excluding 0 means the error changes with temperature.
    pub proportional_bias_slope_ci: Option<Interval>,
    /// OLS slope of device on reference.
    pub slope: Option<f64>,
    /// Its 95 % CI.
    pub slope_ci: Option<Interval>,
    /// OLS intercept, °C.
    pub intercept: Option<f64>,
    /// Its 95 % CI.
    pub intercept_ci: Option<Interval>,
    /// R² of device on reference.
    pub r2: Option<f64>,
    /// Adjusted R² of device on reference.
    pub adj_r2: Option<f64>,
    /// Residual standard deviation of that fit, °C.
    pub residual_sd_c: Option<f64>,
    /// 95 % confidence band of the OLS line at 25 points over the reference range.
    pub ols_band: Vec<BandPoint>,
    /// Slope of `(y − x)` on `x` (= slope − 1).
    pub diff_slope: Option<f64>,
    /// Intercept of `(y − x)` on `x`.
    pub diff_intercept: Option<f64>,
    /// Adjusted R² of `(y − x)` on `x`: high for a normalising device.
    pub diff_adj_r2: Option<f64>,
    /// Range of the device values, °C (Healy Table 2).
    pub range_c: f64,
    /// Variance of the device values (n − 1), °C² (Healy Table 2).
    pub variance_c: Option<f64>,
    /// Mean of the device values, °C (Healy Table 2).
    pub mean_c: f64,
    /// Range of the reference values, °C.
    pub reference_range_c: f64,
    /// Deming regression (δ = 1) with jackknife CIs.
    pub deming: Option<MethodFit>,
    /// Passing–Bablok regression with CIs.
    pub passing_bablok: Option<MethodFit>,
    /// The device's alarm threshold used below, °C.
    pub alarm_threshold_c: f64,
    /// Lowest reference at which the device reached its alarm threshold; null = never.
    pub first_alarm_reference_c: Option<f64>,
    /// Sensitivity at the alarm threshold.
    pub sensitivity: Option<f64>,
    /// Specificity at the alarm threshold.
    pub specificity: Option<f64>,
    /// Screening at every threshold evaluated.
    pub screening: Vec<Screening>,
    /// Repeatability over subjects (or steps) with repeated observations.
    pub repeatability: Option<RepeatabilityBlock>,
    /// Stated accuracy the verdict uses, ±°C.
    pub stated_accuracy_c: f64,
    /// Largest |step mean − step reference|, °C.
    pub max_abs_step_error_c: Option<f64>,
    /// Reference of the step with that error, °C.
    pub max_abs_step_error_reference_c: Option<f64>,
    /// Steps whose mean error exceeds the stated accuracy.
    pub steps_outside_stated_accuracy: usize,
    /// Whether every step mean is within the stated accuracy (simple
    /// acceptance, uncertainty left out; see `decision`).
    pub accuracy_pass: bool,
    /// The decision rule `decision` was made with.
    #[serde(default)]
    pub decision_rule: DecisionRule,
    /// What the rule decided from the step errors and their uncertainty;
    /// absent without steps (a clinical study).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// The largest probability that a step's true error is beyond the
    /// stated accuracy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_tolerance_probability: Option<f64>,
    /// The uncertainty budget of the decisive step (largest |error| + U).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Budget>,
    /// How the error follows the room temperature, the reference held
    /// fixed, when the readings carry an ambient that varies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambient: Option<AmbientDependence>,
}

/// The error's dependence on the room temperature: the slope of the error
/// on the ambient with the reference held fixed (least squares of the
/// error on [1, reference, ambient]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AmbientDependence {
    /// Readings with an ambient.
    pub n: usize,
    /// Lowest ambient, °C.
    pub min_c: f64,
    /// Highest ambient, °C.
    pub max_c: f64,
    /// Change of the error per °C of ambient.
    pub slope: f64,
    /// Its 95 % confidence interval.
    pub slope_ci: Interval,
}

/// The multiplier of reports written before it was recorded.
fn bland_altman_multiplier() -> f64 {
    LOA_Z
}

/// The interval method of reports written before it was recorded.
fn approximate_intervals() -> LoaIntervalMethod {
    LoaIntervalMethod::Approximate
}

impl Accuracy {
    /// The alarm headline: "alarms (≥ 37.5 °C) on 2 of 18 febrile readings
    /// (first at 37.50 °C)" — how often the device alarmed when it should
    /// have, since a first alarm at the threshold says nothing of the
    /// readings above it. `reference` names the reference of a clinical
    /// study ("oral"), whose first alarm is at a reading, not a target.
    pub fn alarm_headline(&self, reference: Option<&str>) -> String {
        let threshold = self.alarm_threshold_c;
        let first = match (self.first_alarm_reference_c, reference) {
            (None, _) => "never".to_string(),
            (Some(v), None) => format!("first at {v:.2} °C"),
            (Some(v), Some(name)) => format!("first at a {name} reading of {v:.2} °C"),
        };
        let at_threshold = self
            .screening
            .iter()
            .find(|s| (s.threshold_c - threshold).abs() < 1e-9 && s.febrile > 0);
        match at_threshold {
            Some(s) => format!(
                "alarms (≥ {threshold:.1} °C) on {} of {} febrile readings ({first})",
                s.true_positive, s.febrile
            ),
            None => format!("no febrile reading to alarm on (≥ {threshold:.1} °C; {first})"),
        }
    }
}
