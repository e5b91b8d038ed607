//! Judging each source of device values: for the reported, radiometric and
//! ETRS-corrected values that exist, the accuracy block against the
//! reference, and the detectors' findings (the ETRS-corrected source gets
//! an accuracy block only: it is the radiometric source shifted by one
//! number per frame, so its shape says nothing new).

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::accuracy::{accuracy, with_passing_bablok, AccuracyContext, DEFAULT_STATED_ACCURACY_C};
use super::ambient::ambient_dependence;
use super::pairing::Paired;
use crate::detect::{run_all, DetectorInput, ReadingTimes};
use crate::model::{
    Accuracy, DecisionRule, Device, Finding, SessionKind, Step, RADIOMETRIC, RADIOMETRIC_ETRS,
    REPORTED,
};
use crate::session::{Observation, Session};
use fevercheck_io::timings;
use fevercheck_stats::screening::{thresholds, DEFAULT_ALARM_THRESHOLD_C};

/// What the device is judged against: its claims from session.toml, or the
/// defaults where it states none.
pub(crate) struct Claims<'a> {
    /// `[device]` of session.toml.
    pub device: &'a Device,
    /// Stated accuracy, ±°C.
    pub stated_accuracy_c: f64,
    /// The device's alarm threshold, °C.
    pub alarm_threshold_c: f64,
    /// Every screening threshold evaluated, ascending.
    pub thresholds_c: Vec<f64>,
    /// The decision rule of the pass/fail.
    pub rule: DecisionRule,
}

impl<'a> Claims<'a> {
    /// The claims of `session`.
    pub(crate) fn of(session: &'a Session) -> Self {
        let device = &session.manifest.device;
        let alarm_threshold_c = device
            .alarm_threshold_c
            .unwrap_or(DEFAULT_ALARM_THRESHOLD_C);
        let extra = session
            .manifest
            .screening
            .thresholds_c
            .clone()
            .unwrap_or_default();
        Claims {
            device,
            stated_accuracy_c: device
                .stated_accuracy_c
                .unwrap_or(DEFAULT_STATED_ACCURACY_C),
            alarm_threshold_c,
            thresholds_c: thresholds(alarm_threshold_c, &extra),
            rule: session.manifest.decision.rule.unwrap_or_default(),
        }
    }
}

/// The sources in the order they are judged.
const SOURCES: [&str; 3] = [REPORTED, RADIOMETRIC, RADIOMETRIC_ETRS];

/// The accuracy block of every source that has values, by name, and the
/// detectors' findings on each; `elapsed_s` is [`Paired::elapsed_s`].
pub(crate) fn assess_sources(
    paired: &Paired,
    elapsed_s: &[Option<f64>],
    steps: &[Step],
    step_of: &[usize],
    claims: &Claims,
    kind: SessionKind,
) -> (BTreeMap<String, Accuracy>, Vec<Finding>) {
    let mut blocks = BTreeMap::new();
    let mut findings = Vec::new();
    for source in SOURCES {
        let values = paired.values(source);
        let index: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_some()).collect();
        if index.is_empty() {
            continue;
        }
        // The lists that read the observations themselves (180 MB for a
        // million) are gathered on every core.
        let observations: Vec<&Observation> = index.par_iter().map(|&i| paired.used[i]).collect();
        let reference: Vec<f64> = observations.par_iter().map(|o| o.reference_c).collect();
        let device: Vec<f64> = index.iter().filter_map(|&i| values[i]).collect();
        let source_step_of: Vec<usize> = index.iter().map(|&i| step_of[i]).collect();
        let displayed: Option<Vec<f64>> =
            (source == REPORTED && paired.transfer.is_some()).then(|| {
                index
                    .iter()
                    .filter_map(|&i| paired.displayed()[i])
                    .collect()
            });
        let (labels, grouping) = repeat_groups(&observations, &source_step_of, kind);
        let rounds: Option<Vec<String>> = observations
            .iter()
            .map(|o| o.round.clone())
            .collect::<Option<Vec<String>>>()
            .filter(|_| kind == SessionKind::Clinical);
        let context = AccuracyContext {
            stated_accuracy_c: claims.stated_accuracy_c,
            alarm_threshold_c: claims.alarm_threshold_c,
            thresholds_c: &claims.thresholds_c,
            repeat_groups: (&labels, grouping),
            steps,
            rule: claims.rule,
            displayed: displayed.as_deref(),
            clinical: kind == SessionKind::Clinical,
            rounds: rounds.as_deref(),
            // The step table keeps the radiometric statistics once.
            source: if source == RADIOMETRIC_ETRS {
                RADIOMETRIC
            } else {
                source
            },
        };
        timings::done("source's pairs gathered");
        let Some(mut block) = accuracy(&reference, &device, &context) else {
            continue;
        };
        timings::done("accuracy statistics");
        block.ambient = ambient_dependence(&observations, &reference, &device);
        timings::done("ambient");
        let detect = |block: &Accuracy| {
            if source == RADIOMETRIC_ETRS {
                return Vec::new();
            }
            // A source read at every used observation has the records'
            // times (the same earliest time, so the same seconds).
            let times = if observations.len() == paired.used.len() {
                ReadingTimes::of_elapsed(elapsed_s, observations.len())
            } else {
                ReadingTimes::of(&observations)
            };
            timings::done("reading times");
            let input = DetectorInput {
                source,
                reference: &reference,
                device: &device,
                observations: &observations,
                steps,
                step_of: &source_step_of,
                accuracy: block,
                times: &times,
                device_info: claims.device,
            };
            let found = run_all(&input, kind);
            timings::done("detectors");
            found
        };
        let (block, found) = with_passing_bablok(block, &reference, &device, detect);
        findings.extend(found);
        blocks.insert(source.to_string(), block);
    }
    (blocks, findings)
}

/// Repeatability groups: subjects when the session names them, else steps;
/// each pair's group as a number ([`numbered_as_sorted`] of the group's
/// name).
///
/// A clinical study without subject ids has no repeated readings to group:
/// each observation is its own group, and there is no repeatability.
fn repeat_groups(
    observations: &[&Observation],
    step_of: &[usize],
    kind: SessionKind,
) -> (Vec<usize>, &'static str) {
    if kind == SessionKind::Clinical && observations.iter().all(|o| o.subject.is_none()) {
        let names: Vec<String> = (0..observations.len()).map(|i| i.to_string()).collect();
        return (numbered_as_sorted(&names), "subject");
    }
    if observations.par_iter().any(|o| o.subject.is_some()) {
        let names: Vec<String> = observations
            .iter()
            // A row without a subject id is a subject of its own, never
            // one group with every other unlabelled row.
            .map(|o| {
                o.subject
                    .clone()
                    .unwrap_or_else(|| format!("\u{0}line {}", o.line))
            })
            .collect();
        (numbered_as_sorted(&names), "subject")
    } else {
        let steps = step_of.iter().max().map_or(0, |&last| last + 1);
        let names: Vec<String> = (0..steps).map(|s| format!("step {s}")).collect();
        let number_of_step = numbered_as_sorted(&names);
        (step_of.iter().map(|&s| number_of_step[s]).collect(), "step")
    }
}

/// A number for each of `names`, equal for equal names, that sorts as the
/// names do: the grouped statistics meet their groups in the order of the
/// names, as they did when grouped by name, and add up to the same last
/// bit, without comparing a million strings.
fn numbered_as_sorted<S: Ord>(names: &[S]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    let mut numbers = vec![0; names.len()];
    let mut number = 0;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && names[order[k - 1]] != names[i] {
            number += 1;
        }
        numbers[i] = number;
    }
    numbers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_numbers_sort_as_the_names_do() {
        // "step 10" sorts between "step 1" and "step 2".
        let names = ["step 2", "step 10", "step 1", "step 2", "step 10"];
        assert_eq!(numbered_as_sorted(&names), vec![2, 1, 0, 2, 1]);
        assert_eq!(numbered_as_sorted::<&str>(&[]), Vec::<usize>::new());
    }
}
