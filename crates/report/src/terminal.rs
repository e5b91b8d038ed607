//! The summary printed on the terminal: what a person reads in ten seconds —
//! the verdict, the key numbers, one line per finding, where the report is.

use std::fmt::Write;
use std::path::Path;

use super::format::{interval, number, role_after};
use fevercheck::model::{Report, SessionKind};
use fevercheck_io::escape::terminal::inline as shown;

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
        let reference = clinical.then(|| s.kind.reference_name());
        writeln!(out, "  {source}: {}", a.alarm_headline(reference))?;
    }
    for finding in &report.findings {
        let role = role_after(report, finding, ", ");
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
    for note in &s.notes {
        writeln!(out, "  note:    {}", shown(note))?;
    }
    if let Some(folder) = folder {
        let page = folder.join("report.html");
        writeln!(out, "  report:   {}", shown(&page.display().to_string()))?;
    }
    Ok(())
}
