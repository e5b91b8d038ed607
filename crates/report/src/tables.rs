//! The report's tables as rows of text, shared by the Markdown and HTML
//! exporters so both show the same numbers the same way.

use super::format::{count_of, interval, measure, number, percent};
use fevercheck::model::Report;
use fevercheck::model::{Accuracy, SessionKind};
use fevercheck_stats::deming::MethodFit;

/// A table: a header row and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows of cells, one per header column.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
}

/// The accuracy statistics of one source: (statistic, value) rows. A
/// clinical study names them as ISO 80601-2-56 does and has no step row.
pub(crate) fn accuracy(a: &Accuracy, kind: SessionKind) -> Table {
    let clinical = kind == SessionKind::Clinical;
    let c = |v: Option<f64>, d: usize| format!("{} °C", number(v, d));
    let mut t = Table::new(&["statistic", "value"]);
    let rows: Vec<(&str, String)> = vec![
        ("pairs", a.n.to_string()),
        (
            if clinical {
                "clinical bias (device − reference thermometer)"
            } else {
                "bias (device − reference)"
            },
            c(Some(a.bias_c), 3),
        ),
        (
            "95 % CI of the bias",
            format!(
                "{} °C{}",
                interval(a.bias_ci_c, 3),
                match &a.subject_components {
                    Some(c) => format!(" ({} subjects as clusters)", c.subjects),
                    None => String::new(),
                }
            ),
        ),
        ("sd of the errors", c(a.sd_c, 3)),
        ("RMSE", c(Some(a.rmse_c), 3)),
        ("MAE", c(Some(a.mae_c), 3)),
        ("largest absolute error", c(Some(a.max_abs_error_c), 3)),
        (
            "limits of agreement (95 %)",
            format!(
                "{} to {} °C (bias ± {} sd{})",
                number(a.loa_low_c, 3),
                number(a.loa_high_c, 3),
                number(Some(a.loa_multiplier), 2),
                if clinical { ", ISO 80601-2-56" } else { "" }
            ),
        ),
        (
            "95 % CI of the lower limit",
            format!("{} °C", interval(a.loa_low_ci_c, 3)),
        ),
        (
            "95 % CI of the upper limit",
            format!("{} °C", interval(a.loa_high_ci_c, 3)),
        ),
        (
            "method of the limits' CIs",
            a.loa_ci_method.describe().to_string(),
        ),
        (
            "between- / within-subject sd",
            match &a.subject_components {
                Some(c) => format!(
                    "{} °C / {} °C (total {} °C; Bland & Altman 2007)",
                    number(Some(c.between_sd_c), 3),
                    number(Some(c.within_sd_c), 3),
                    number(Some(c.total_sd_c), 3)
                ),
                None => String::new(),
            },
        ),
        (
            "proportional bias slope (difference on mean)",
            number(a.proportional_bias_slope, 3),
        ),
        (
            "OLS slope (device on reference)",
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
            "difference regression slope ((device − reference) on reference)",
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
        ("reference range", c(Some(a.reference_range_c), 2)),
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
            if clinical {
                "repeatability σr (pooled within-subject sd)"
            } else {
                "repeatability (pooled within-group sd)"
            },
            match &a.repeatability {
                Some(r) => format!(
                    "{} °C over {} {}s (coefficient {} °C){}",
                    number(Some(r.stats.sd_c), 3),
                    r.stats.groups,
                    r.grouping,
                    number(Some(r.stats.coefficient_c), 3),
                    match r.sd_with_round_shifts_c {
                        Some(with) => format!(
                            ", the shifts between {} rounds removed ({} °C with them)",
                            r.rounds.len(),
                            number(Some(with), 3)
                        ),
                        None => String::new(),
                    }
                ),
                None => "— (no repeated observations)".into(),
            },
        ),
        (
            "round biases",
            a.repeatability
                .iter()
                .flat_map(|r| &r.rounds)
                .map(|b| {
                    format!(
                        "{}: {} °C (n = {})",
                        b.round,
                        number(Some(b.bias_c), 3),
                        b.n
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            "error per °C of room temperature (reference held fixed)",
            a.ambient.map_or(String::new(), |d| {
                format!(
                    "{} (95 % CI {}; room {}–{} °C, n = {})",
                    number(Some(d.slope), 3),
                    interval(Some(d.slope_ci), 3),
                    number(Some(d.min_c), 1),
                    number(Some(d.max_c), 1),
                    d.n
                )
            }),
        ),
    ];
    for (name, value) in rows {
        if (clinical && name == "largest step error") || value.is_empty() {
            continue;
        }
        t.row(vec![name.to_string(), value]);
    }
    t
}

/// "compression, clamp, … : why", for the detectors that did not run
/// (they share one reason per session kind); `None` when all ran.
pub(crate) fn detectors_not_run(report: &Report) -> Option<String> {
    let first = report.detectors_not_run.first()?;
    let ids: Vec<&str> = report
        .detectors_not_run
        .iter()
        .map(|n| n.detector.as_str())
        .collect();
    Some(format!("{}: {}", ids.join(", "), first.reason))
}

fn method_fit(fit: Option<&MethodFit>) -> String {
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

/// Screening at every threshold.
pub(crate) fn screening(a: &Accuracy) -> Table {
    let mut t = Table::new(&[
        "threshold °C",
        "febrile",
        "afebrile",
        "sensitivity",
        "specificity",
        "first alarm at °C",
        "normal output over °C",
        "ROC AUC",
    ]);
    for s in &a.screening {
        t.row(vec![
            format!("{:.2}", s.threshold_c),
            s.febrile.to_string(),
            s.afebrile.to_string(),
            percent(s.sensitivity),
            percent(s.specificity),
            s.first_alarm_reference_c
                .map_or("never".to_string(), |v| format!("{v:.2}")),
            interval(s.normal_output_interval_c, 2),
            number(s.roc_auc, 3),
        ]);
    }
    t
}

/// The step table of the reported values; with set-points, each step's
/// set-point beside the mean of the reference measured at it.
pub(crate) fn steps(report: &Report) -> Table {
    let with_setpoints = report.steps.iter().any(|s| s.setpoint_c.is_some());
    let mut header = vec![
        "reference °C",
        "n",
        "mean °C",
        "sd °C",
        "min °C",
        "max °C",
        "error °C",
        "U (95 %) °C",
    ];
    if with_setpoints {
        header.splice(0..1, ["set-point °C", "reference mean °C"]);
    }
    let mut t = Table::new(&header);
    for step in &report.steps {
        let Some(s) = &step.reported else { continue };
        let mut row = Vec::new();
        if with_setpoints {
            row.push(number(step.setpoint_c, 2));
        }
        row.extend([
            format!("{:.2}", step.reference_c),
            s.n.to_string(),
            format!("{:.2}", s.mean_c),
            number(s.sd_c, 2),
            format!("{:.2}", s.min_c),
            format!("{:.2}", s.max_c),
            format!("{:+.2}", s.error_c),
            number(s.uncertainty.as_ref().map(|b| b.expanded_c), 2),
        ]);
        t.row(row);
    }
    t
}

/// The uncertainty budget of a source's decisive step (GUM) and the
/// decision made with it; `None` without a budget.
pub(crate) fn uncertainty(a: &Accuracy) -> Option<Table> {
    let budget = a.uncertainty.as_ref()?;
    let mut t = Table::new(&[
        "input",
        "standard uncertainty",
        "degrees of freedom",
        "share",
    ]);
    let dof = |d: Option<f64>| d.map_or("∞".to_string(), |d| format!("{d:.0}"));
    for c in &budget.contributions {
        t.row(vec![
            c.name.clone(),
            format!("{:.3} °C", c.u_c),
            dof(c.dof),
            percent(Some(c.share)),
        ]);
    }
    t.row(vec![
        "combined u_c".into(),
        format!("{:.3} °C", budget.u_c),
        format!("{} (effective)", dof(budget.dof)),
        "100 %".into(),
    ]);
    t.row(vec![
        "expanded U = k·u_c".into(),
        format!("{:.3} °C (k = {:.2})", budget.expanded_c, budget.k),
        "95 % coverage".into(),
        String::new(),
    ]);
    t.row(vec![
        "decision".into(),
        a.decision.map_or("—".into(), |d| d.to_string()),
        a.decision_rule.to_string(),
        a.out_of_tolerance_probability.map_or(String::new(), |p| {
            format!("{} out of tolerance", percent(Some(p)))
        }),
    ]);
    Some(t)
}

/// The IEC 80601-2-59 battery, each item with its 95 % interval (for the
/// stabilisation time, the frames either side of it) where it has one.
pub(crate) fn iec(report: &Report) -> Table {
    let mut t = Table::new(&[
        "item",
        "value",
        "interval",
        "limit",
        "result",
        "how / why not",
    ]);
    for i in &report.iec {
        let unit = &i.unit;
        t.row(vec![
            i.item.replace('_', " "),
            i.value.map_or("—".into(), |v| measure(v, unit, 3)),
            i.interval.map_or("—".into(), |r| {
                format!(
                    "{} to {} {unit}",
                    number(Some(r.low), 3),
                    number(Some(r.high), 3)
                )
            }),
            i.limit.map_or("—".into(), |v| measure(v, unit, 2)),
            match i.pass {
                Some(true) => "pass".into(),
                Some(false) => "FAIL".into(),
                None => "not judged".into(),
            },
            i.note.clone(),
        ]);
    }
    t
}

/// Every observation the analysis used, in file order: the appendix a lab
/// file keeps so each number can be traced to its line. Columns that no
/// observation fills are left out.
pub(crate) fn readings(report: &Report) -> Table {
    let observations = &report.observations[..report.observations.len().min(APPENDIX_ROWS)];
    let any = |has: fn(&fevercheck::model::ObservationRecord) -> bool| observations.iter().any(has);
    let columns: Vec<(&str, bool)> = vec![
        ("line", true),
        ("time s", any(|o| o.elapsed_s.is_some())),
        ("sweep", any(|o| o.sweep.is_some())),
        ("subject", any(|o| o.subject.is_some())),
        ("reference °C", true),
        ("reported °C", any(|o| o.reported_c.is_some())),
        ("displayed °C", any(|o| o.displayed_c.is_some())),
        ("radiometric °C", any(|o| o.radiometric_c.is_some())),
        ("error °C", true),
        ("ambient °C", any(|o| o.ambient_c.is_some())),
    ];
    let header: Vec<&str> = columns.iter().filter(|c| c.1).map(|c| c.0).collect();
    let mut t = Table::new(&header);
    for o in observations {
        let cells = [
            o.line.to_string(),
            number(o.elapsed_s, 0),
            o.sweep.clone().unwrap_or_default(),
            o.subject.clone().unwrap_or_default(),
            format!("{:.2}", o.reference_c),
            number(o.reported_c, 2),
            number(o.displayed_c, 2),
            number(o.radiometric_c, 2),
            o.device_c().map_or("—".to_string(), |d| {
                super::format::signed(d - o.reference_c, 2)
            }),
            number(o.ambient_c, 1),
        ];
        t.row(
            cells
                .into_iter()
                .zip(&columns)
                .filter(|(_, c)| c.1)
                .map(|(cell, _)| cell)
                .collect(),
        );
    }
    t
}

/// Readings the appendix of report.md and report.html lists: a lab
/// session's few hundred all (ISO/IEC 17025 §7.8.2.1 wants the results
/// traceable), while a log of a million would be a 95 MB page no browser
/// opens and some 20 000 printed pages; report.json always holds every one.
pub(crate) const APPENDIX_ROWS: usize = 10_000;

/// The appendix's heading and the sentence under it: every reading, or the
/// first [`APPENDIX_ROWS`] and where the others are.
pub(crate) fn appendix_heading(report: &Report) -> (String, String) {
    let total = report.observations.len();
    let about = "by its line in the input; error = device − reference.";
    if total <= APPENDIX_ROWS {
        return (
            "Appendix: every reading".to_string(),
            format!("Every observation the analysis used, {about}"),
        );
    }
    (
        format!("Appendix: the first {APPENDIX_ROWS} of {total} readings"),
        format!(
            "The first {APPENDIX_ROWS} observations the analysis used, {about} All {total} are \
             in report.json (`observations`), and every statistic, chart and finding above \
             uses them all."
        ),
    )
}

/// The sign-off of a printed report: who tested, reviewed and approved it,
/// with room for a signature and a date (ISO/IEC 17025 §7.8.2.1 o: the
/// identification of the persons authorising the report). The operator of
/// `[test]` is filled in; the rest is left for ink.
pub(crate) fn sign_off(report: &Report) -> Table {
    let mut t = Table::new(&["role", "name", "signature", "date"]);
    let operator = report.session.test.operator.clone().unwrap_or_default();
    for (role, name) in [
        ("Tested by", operator),
        ("Reviewed by", String::new()),
        ("Approved by", String::new()),
    ] {
        t.row(vec![role.to_string(), name, String::new(), String::new()]);
    }
    t
}

/// The lab's record of the test (`[test]`): (name, value), first in the
/// report's facts; empty when nothing is recorded.
pub(crate) fn test_record(report: &Report) -> Vec<(String, String)> {
    let t = &report.session.test;
    let mut facts: Vec<(String, String)> = [
        ("Test", &t.id),
        ("Operator", &t.operator),
        ("Date of the test", &t.date),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.clone().map(|v| (name.to_string(), v)))
    .collect();
    let ambient: Vec<String> = t
        .ambient_c
        .map(|c| format!("{} °C", number(Some(c), 1)))
        .into_iter()
        .chain(
            t.relative_humidity
                .map(|h| format!("{} % relative humidity", number(Some(h), 0))),
        )
        .collect();
    if !ambient.is_empty() {
        facts.push(("Ambient".to_string(), ambient.join(", ")));
    }
    for item in &t.equipment {
        let certificate = match (&item.certificate, &item.calibrated_until) {
            (Some(c), Some(until)) => format!(" (certificate {c}, valid until {until})"),
            (Some(c), None) => format!(" (certificate {c})"),
            (None, Some(until)) => format!(" (calibrated until {until})"),
            (None, None) => " (no certificate given)".to_string(),
        };
        facts.push((
            "Equipment".to_string(),
            format!("{}{certificate}", item.name),
        ));
    }
    if let Some(notes) = &t.notes {
        facts.push(("Notes".to_string(), notes.clone()));
    }
    facts
}

/// Facts about the session: (name, value).
pub(crate) fn session(report: &Report) -> Vec<(String, String)> {
    let s = &report.session;
    let mut facts = vec![
        ("Path".to_string(), s.path.clone()),
        (
            "Device".to_string(),
            s.device
                .model
                .clone()
                .unwrap_or_else(|| "not stated".into()),
        ),
    ];
    if let Some(serial) = &s.device.serial {
        facts.push(("Serial".into(), serial.clone()));
    }
    let default_note = if s.stated_accuracy_is_default {
        " (none stated; IEC default)"
    } else {
        ""
    };
    facts.push((
        "Stated accuracy".into(),
        format!("±{:.2} °C{default_note}", s.stated_accuracy_c),
    ));
    facts.push((
        "Alarm threshold".into(),
        format!("{:.2} °C", s.alarm_threshold_c),
    ));
    if let Some(u) = s.reference.uncertainty_c {
        facts.push(("Reference uncertainty".into(), format!("{u:.2} °C")));
    }
    let c = &s.counts;
    facts.push((
        "Observations".into(),
        format!(
            "{} ({} with a reported value, {} with a frame), {}, {}, {}",
            c.observations,
            c.reported,
            c.frames,
            count_of(c.steps, "step", "steps"),
            count_of(c.subjects, "subject", "subjects"),
            count_of(c.sweeps, "sweep", "sweeps")
        ),
    ));
    if let (Some(first), Some(last)) = (&s.first_time, &s.last_time) {
        facts.push(("Time".into(), format!("{first} to {last}")));
    }
    let command = report
        .tool
        .command_line
        .as_deref()
        .unwrap_or("(library call)");
    facts.push((
        "Produced by".into(),
        format!("{} {}: {command}", report.tool.name, report.tool.version),
    ));
    facts
}
