//! The summary printed on the terminal: what a person reads in ten seconds —
//! the verdict, the key numbers, one line per finding, where the report is.

use std::fmt::Write;
use std::path::Path;

use super::format::{interval, number};
use crate::escape::terminal::inline as shown;
use crate::model::{Report, SessionKind};

/// The terminal summary of `report`, written to `folder`.
pub fn summary(report: &Report, folder: Option<&Path>) -> String {
    let mut out = String::new();
    let _ = write_summary(&mut out, report, folder);
    out
}

fn write_summary(out: &mut String, report: &Report, folder: Option<&Path>) -> std::fmt::Result {
    let s = &report.session;
    let clinical = s.kind == SessionKind::Clinical;
    if clinical {
        writeln!(
            out,
            "{}: clinical study, {} observations of {} subjects",
            shown(&s.name),
            s.counts.observations,
            if s.counts.subjects > 0 {
                s.counts.subjects
            } else {
                s.counts.observations
            }
        )?;
    } else {
        writeln!(
            out,
            "{}: {} observations, {} steps",
            shown(&s.name),
            s.counts.observations,
            s.counts.steps
        )?;
    }
    let accuracy = report.verdict.accuracy_label();
    let manipulation = report.verdict.manipulation_label();
    writeln!(
        out,
        "  verdict:  accuracy {accuracy}; manipulation {manipulation}"
    )?;
    writeln!(out, "  {}", shown(&report.verdict.summary))?;
    for reason in &report.verdict.not_judged_because {
        writeln!(out, "  {}", shown(reason))?;
    }
    for excluded in &s.excluded {
        writeln!(
            out,
            "  left out: line {}, {}: {}",
            excluded.line,
            shown(&excluded.column),
            shown(&excluded.reason)
        )?;
    }
    for (source, a) in &report.accuracy {
        let source = shown(source);
        let step_error = if clinical {
            String::new()
        } else {
            format!(", max step error {} °C", number(a.max_abs_step_error_c, 2))
        };
        writeln!(
            out,
            "  {source}: bias {} °C (LoA {} to {}), slope {} (95 % CI {}){step_error}",
            number(Some(a.bias_c), 2),
            number(a.loa_low_c, 2),
            number(a.loa_high_c, 2),
            number(a.slope, 2),
            interval(a.slope_ci, 2),
        )?;
        let first_alarm = a.first_alarm_reference_c.map_or("never".to_string(), |v| {
            if clinical {
                format!("at a {} reading of {v:.2} °C", s.kind.reference_name())
            } else {
                format!("at {v:.2} °C")
            }
        });
        writeln!(
            out,
            "  {source}: first alarm ({:.1} °C) {first_alarm}{}",
            a.alarm_threshold_c,
            febrile_alarms(a)
        )?;
    }
    for finding in &report.findings {
        let role = report
            .signature_role(finding)
            .map(|r| format!(", {r}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  [{}{role}] {}: {}",
            finding.severity.name(),
            shown(&finding.detector),
            shown(&finding.message)
        )?;
    }
    for warning in &s.warnings {
        writeln!(out, "  warning: {}", shown(warning))?;
    }
    if let Some(folder) = folder {
        let page = folder.join("report.html");
        writeln!(out, "  report:   {}", shown(&page.display().to_string()))?;
    }
    Ok(())
}

/// "; alarms on 2 of 18 febrile readings": how often the device alarmed
/// when it should have, at its alarm threshold (a first alarm at the
/// threshold says nothing of the readings above it); empty without febrile
/// readings.
fn febrile_alarms(accuracy: &crate::model::Accuracy) -> String {
    accuracy
        .screening
        .iter()
        .find(|s| (s.threshold_c - accuracy.alarm_threshold_c).abs() < 1e-9 && s.febrile > 0)
        .map(|s| {
            format!(
                "; alarms on {} of {} febrile readings",
                s.true_positive, s.febrile
            )
        })
        .unwrap_or_default()
}
