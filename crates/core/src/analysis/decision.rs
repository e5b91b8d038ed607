//! The accuracy decision of one source: the step errors against the stated
//! accuracy under the session's decision rule (ILAC-G8:09/2019, JCGM
//! 106:2012; docs/science.md §6), with each step's expanded uncertainty
//! from its budget (`analysis::uncertainty`).
//!
//! - simple acceptance: `pass` when every |error| ≤ T, else `fail`;
//! - guarded acceptance (w = U): `pass` when every |error| + U ≤ T, `fail`
//!   when some |error| − U > T, else conditional (ILAC-G8 §4.2.3): a
//!   `conditional_fail` when some |error| > T, a `conditional_pass` when
//!   every |error| ≤ T.
//!
//! A step without a budget counts with U = 0. The decisive step is the one
//! with the largest |error| + U; its budget is the source's `uncertainty`.
//! The probability that a step is really out of tolerance is computed for
//! every step with a budget; the largest is reported.

use crate::model::{Decision, DecisionRule, Step};
use fevercheck_stats::uncertainty::{probability_beyond, Budget};

/// What the rule decided for one source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    /// The decision.
    pub decision: Decision,
    /// The budget of the decisive step.
    pub budget: Option<Budget>,
    /// The largest probability that a step's true error is beyond the
    /// stated accuracy.
    pub out_of_tolerance_probability: Option<f64>,
}

/// Decides the accuracy of `source` from its steps; `None` without steps.
pub(crate) fn decide(
    steps: &[Step],
    source: &str,
    stated_c: f64,
    rule: DecisionRule,
) -> Option<Outcome> {
    let errors: Vec<(f64, Option<&Budget>)> = steps
        .iter()
        .filter_map(|s| s.source(source))
        .map(|s| (s.error_c.abs(), s.uncertainty.as_ref()))
        .collect();
    if errors.is_empty() {
        return None;
    }
    let expanded = |budget: Option<&Budget>| budget.map_or(0.0, |b| b.expanded_c);
    let decision = match rule {
        DecisionRule::Simple => {
            if errors.iter().all(|(e, _)| *e <= stated_c) {
                Decision::Pass
            } else {
                Decision::Fail
            }
        }
        DecisionRule::Guarded => {
            if errors.iter().any(|(e, b)| e - expanded(*b) > stated_c) {
                Decision::Fail
            } else if errors.iter().all(|(e, b)| e + expanded(*b) <= stated_c) {
                Decision::Pass
            } else if errors.iter().any(|(e, _)| *e > stated_c) {
                Decision::ConditionalFail
            } else {
                Decision::ConditionalPass
            }
        }
    };
    let decisive = errors
        .iter()
        .max_by(|a, b| (a.0 + expanded(a.1)).total_cmp(&(b.0 + expanded(b.1))))
        .and_then(|(_, budget)| budget.cloned());
    let out_of_tolerance_probability = errors
        .iter()
        .filter_map(|(e, b)| b.map(|b| probability_beyond(*e, b, stated_c)))
        .reduce(f64::max);
    Some(Outcome {
        decision,
        budget: decisive,
        out_of_tolerance_probability,
    })
}
