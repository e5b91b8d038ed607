//! `report.md`: the report for people. Verdict first, then findings, the
//! statistics, the screening and step tables, and the session's details.

use std::fmt::Write;

use super::format::{interval, number, percent};
use super::{Exporter, Report};
use crate::analysis::accuracy::Accuracy;
use crate::error::Result;

/// Writes the Markdown report.
pub struct MarkdownExporter;

impl Exporter for MarkdownExporter {
    fn file_name(&self) -> &'static str {
        "report.md"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>> {
        let mut out = String::new();
        write_report(&mut out, report).expect("writing to a String cannot fail");
        Ok(out.into_bytes())
    }
}

fn write_report(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "# fevercheck report: {}\n", report.session.name)?;
    writeln!(out, "## Verdict\n")?;
    writeln!(out, "**{}**\n", report.verdict.summary)?;
    let pass = match report.verdict.accuracy_pass {
        Some(true) => "pass",
        Some(false) => "FAIL",
        None => "not judged",
    };
    writeln!(out, "- Accuracy: {pass}")?;
    let suspected = if report.verdict.manipulation_suspected {
        "YES"
    } else {
        "no"
    };
    writeln!(out, "- Manipulation suspected: {suspected}\n")?;

    writeln!(out, "## Findings\n")?;
    if report.findings.is_empty() {
        writeln!(out, "None.\n")?;
    }
    for finding in &report.findings {
        writeln!(
            out,
            "- **{}** ({}, {}): {}",
            finding.severity.name(),
            finding.detector,
            finding.source,
            finding.message
        )?;
        let evidence: Vec<String> = finding
            .evidence
            .iter()
            .map(|(k, v)| format!("{k} = {}", evidence_value(v)))
            .collect();
        writeln!(out, "  - evidence: {}", evidence.join("; "))?;
    }
    writeln!(out, "\nDetectors run: {}.\n", report.detectors.join(", "))?;

    for (source, accuracy) in &report.accuracy {
        write_accuracy(out, source, accuracy)?;
    }
    write_steps(out, report)?;
    write_session(out, report)
}

fn write_accuracy(out: &mut String, source: &str, a: &Accuracy) -> std::fmt::Result {
    writeln!(out, "## Accuracy of the {source} values\n")?;
    writeln!(out, "| statistic | value |\n|---|---|")?;
    let rows: Vec<(&str, String)> = vec![
        ("pairs", a.n.to_string()),
        (
            "bias (device − reference)",
            format!("{} °C", number(Some(a.bias_c), 3)),
        ),
        (
            "95 % CI of the bias",
            format!("{} °C", interval(a.bias_ci_c, 3)),
        ),
        ("sd of the errors", format!("{} °C", number(a.sd_c, 3))),
        ("RMSE", format!("{} °C", number(Some(a.rmse_c), 3))),
        ("MAE", format!("{} °C", number(Some(a.mae_c), 3))),
        (
            "max |error|",
            format!("{} °C", number(Some(a.max_abs_error_c), 3)),
        ),
        (
            "limits of agreement (95 %)",
            format!(
                "{} to {} °C",
                number(a.loa_low_c, 3),
                number(a.loa_high_c, 3)
            ),
        ),
        (
            "CI of the lower limit",
            format!("{} °C", interval(a.loa_low_ci_c, 3)),
        ),
        (
            "CI of the upper limit",
            format!("{} °C", interval(a.loa_high_ci_c, 3)),
        ),
        (
            "proportional bias slope (d on mean)",
            number(a.proportional_bias_slope, 3),
        ),
        (
            "OLS slope (device ~ reference)",
            format!(
                "{} (95 % CI {})",
                number(a.slope, 3),
                interval(a.slope_ci, 3)
            ),
        ),
        (
            "OLS intercept",
            format!(
                "{} °C (95 % CI {})",
                number(a.intercept, 3),
                interval(a.intercept_ci, 3)
            ),
        ),
        ("adjusted R²", number(a.adj_r2, 4)),
        (
            "difference regression slope ((device − reference) ~ reference)",
            number(a.diff_slope, 3),
        ),
        (
            "difference regression adjusted R²",
            number(a.diff_adj_r2, 4),
        ),
        (
            "device range / variance / mean",
            format!(
                "{} °C / {} °C² / {} °C",
                number(Some(a.range_c), 2),
                number(a.variance_c, 3),
                number(Some(a.mean_c), 2)
            ),
        ),
        (
            "reference range",
            format!("{} °C", number(Some(a.reference_range_c), 2)),
        ),
        ("Deming slope / intercept", method_fit(a.deming.as_ref())),
        (
            "Passing–Bablok slope / intercept",
            method_fit(a.passing_bablok.as_ref()),
        ),
        (
            "largest step error",
            format!(
                "{} °C at {} °C (stated ±{} °C)",
                number(a.max_abs_step_error_c, 3),
                number(a.max_abs_step_error_reference_c, 2),
                number(Some(a.stated_accuracy_c), 2)
            ),
        ),
        (
            "repeatability (pooled within-group sd)",
            match &a.repeatability {
                Some(r) => format!(
                    "{} °C over {} {}s (coefficient {} °C)",
                    number(Some(r.stats.sd_c), 3),
                    r.stats.groups,
                    r.grouping,
                    number(Some(r.stats.coefficient_c), 3)
                ),
                None => "— (no repeated observations)".into(),
            },
        ),
    ];
    for (name, value) in rows {
        writeln!(out, "| {name} | {value} |")?;
    }
    writeln!(out, "\n### Screening ({source})\n")?;
    writeln!(out, "| threshold °C | febrile | afebrile | sensitivity | specificity | first alarm at °C | normal output over °C | ROC AUC |")?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for s in &a.screening {
        let first_alarm = s
            .first_alarm_reference_c
            .map_or("never".to_string(), |v| format!("{v:.2}"));
        writeln!(
            out,
            "| {:.2} | {} | {} | {} | {} | {first_alarm} | {} | {} |",
            s.threshold_c,
            s.febrile,
            s.afebrile,
            percent(s.sensitivity),
            percent(s.specificity),
            interval(s.normal_output_interval_c, 2),
            number(s.roc_auc, 3),
        )?;
    }
    writeln!(out)
}

/// An evidence value for people: numbers with at most four decimals.
fn evidence_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            let text = format!("{:.4}", n.as_f64().unwrap_or(f64::NAN));
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        serde_json::Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", evidence_value(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

fn method_fit(fit: Option<&crate::stats::deming::MethodFit>) -> String {
    match fit {
        Some(f) => format!(
            "{:.3} (95 % CI {}) / {:.3} °C (95 % CI {})",
            f.slope,
            interval(Some(f.slope_ci), 3),
            f.intercept,
            interval(Some(f.intercept_ci), 3)
        ),
        None => "—".into(),
    }
}

fn write_steps(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "## Steps\n")?;
    writeln!(
        out,
        "| reference °C | n | mean °C | sd °C | min °C | max °C | error °C |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for step in &report.steps {
        let Some(s) = &step.reported else { continue };
        writeln!(
            out,
            "| {:.2} | {} | {:.2} | {} | {:.2} | {:.2} | {:+.2} |",
            step.reference_c,
            s.n,
            s.mean_c,
            number(s.sd_c, 2),
            s.min_c,
            s.max_c,
            s.error_c
        )?;
    }
    writeln!(out)
}

fn write_session(out: &mut String, report: &Report) -> std::fmt::Result {
    let s = &report.session;
    writeln!(out, "## Session\n")?;
    writeln!(out, "- Path: `{}`", s.path)?;
    writeln!(
        out,
        "- Device: {}",
        s.device.model.as_deref().unwrap_or("not stated")
    )?;
    if let Some(serial) = &s.device.serial {
        writeln!(out, "- Serial: {serial}")?;
    }
    let default_note = if s.stated_accuracy_is_default {
        " (none stated; IEC default)"
    } else {
        ""
    };
    writeln!(
        out,
        "- Stated accuracy: ±{:.2} °C{default_note}",
        s.stated_accuracy_c
    )?;
    writeln!(out, "- Alarm threshold: {:.2} °C", s.alarm_threshold_c)?;
    if let Some(u) = s.reference.uncertainty_c {
        writeln!(out, "- Reference uncertainty: {u:.2} °C")?;
    }
    let c = &s.counts;
    writeln!(
        out,
        "- Observations: {} ({} with a reported value, {} with a frame), {} steps, {} subjects, {} sweeps",
        c.observations, c.reported, c.frames, c.steps, c.subjects, c.sweeps
    )?;
    if let (Some(first), Some(last)) = (&s.first_time, &s.last_time) {
        writeln!(out, "- Time: {first} to {last}")?;
    }
    for warning in &s.warnings {
        writeln!(out, "- Warning: {warning}")?;
    }
    let command = report
        .tool
        .command_line
        .as_deref()
        .unwrap_or("(library call)");
    writeln!(
        out,
        "- Produced by {} {}: `{command}`",
        report.tool.name, report.tool.version
    )
}
