//! Compares a report with an expected one (report.json), for regression
//! tests of analysis pipelines: `fevercheck check` re-runs the analysis of a
//! session and hands both reports to [`check`], which only compares.
//!
//! Every key of the expected report must be present in the new one with an
//! equal value: numbers within an absolute tolerance, everything else exactly
//! (so the verdict and the findings must agree). Keys the new report has and
//! the expected one lacks are allowed (reports only ever gain keys). The
//! `tool` block and `session.path` describe how and where the report was
//! made, not what it found, and are not compared.
//!
//! [`check`] sorts the differences in the order a reader cares about: the
//! verdict and the decisions, then findings added, removed or changed, then
//! the input rows (observations, by their line in the input), then the
//! statistics.

use std::collections::HashMap;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use fevercheck::model::{ObservationRecord, Report};
use fevercheck_io::error::{Error, Location};

/// Default absolute tolerance for numbers: far below any displayed digit,
/// far above floating-point noise across platforms.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// JSON pointers (RFC 6901) not compared.
const IGNORED: [&str; 2] = ["/tool", "/session/path"];

/// One disagreement between the expected and the new report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// Where, as a JSON pointer (e.g. `/accuracy/reported/bias_c`).
    pub pointer: String,
    /// What was expected and what was found.
    pub description: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.description)
    }
}

/// A report as `check` compares it: its observations as typed rows (a
/// hundred bytes each, where a JSON value of one is several hundred), and
/// everything else as JSON. A report of 400 000 observations is held in
/// tens of megabytes, not gigabytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComparableReport {
    /// The report without its observations.
    pub rest: Value,
    /// The observations, in the report's order.
    pub observations: Vec<ObservationRecord>,
}

impl ComparableReport {
    /// `report` as a saved report.json would read back: through its JSON
    /// text, so values stored as 32-bit floats compare as the digits a
    /// saved report holds.
    pub fn of(mut report: Report) -> fevercheck_io::error::Result<ComparableReport> {
        let observations = std::mem::take(&mut report.observations);
        let text = serde_json::to_string(&report).map_err(|e| Error::encode("the report", e))?;
        let rest = serde_json::from_str(&text).map_err(|e| Error::encode("the report", e))?;
        Ok(ComparableReport { rest, observations })
    }

    /// A report given as JSON (tests, and reports built by other tools);
    /// observations that are not rows of a report are an error.
    pub fn from_value(mut value: Value) -> serde_json::Result<ComparableReport> {
        let observations = match value.as_object_mut().and_then(|o| o.remove("observations")) {
            Some(rows) => serde_json::from_value(rows)?,
            None => Vec::new(),
        };
        Ok(ComparableReport {
            rest: value,
            observations,
        })
    }
}

impl<'de> Deserialize<'de> for ComparableReport {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = ComparableReport;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a fevercheck report (a JSON object)")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut rest = serde_json::Map::new();
                let mut observations = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "observations" {
                        observations = map.next_value()?;
                    } else {
                        rest.insert(key, map.next_value()?);
                    }
                }
                Ok(ComparableReport {
                    rest: Value::Object(rest),
                    observations,
                })
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

/// Reads a saved report.json: a regular file (a FIFO or a device is
/// refused) of at most [`fevercheck::model::MAX_REPORT_BYTES`], parsed as it is
/// read (never held whole as text), its syntax errors located by line and
/// column.
pub fn read_report_json(path: &std::path::Path) -> fevercheck_io::error::Result<ComparableReport> {
    let reader = fevercheck_io::input::buffered(path, fevercheck::model::MAX_REPORT_BYTES)?;
    serde_json::from_reader(reader).map_err(|e| {
        Error::invalid(
            Location::line(path, e.line() as u64),
            format!("column {}: not a JSON report ({e})", e.column()),
        )
    })
}

/// Compares `actual` with `expected`; empty when they agree.
pub fn compare(expected: &Value, actual: &Value, tolerance: f64) -> Vec<Difference> {
    let mut differences = Vec::new();
    compare_at(String::new(), expected, actual, tolerance, &mut differences);
    differences
}

fn compare_at(
    pointer: String,
    expected: &Value,
    actual: &Value,
    tolerance: f64,
    out: &mut Vec<Difference>,
) {
    if IGNORED.contains(&pointer.as_str()) {
        return;
    }
    let mut differ = |description: String| {
        out.push(Difference {
            pointer: pointer.clone(),
            description,
        })
    };
    match (expected, actual) {
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            let within = (e - a).abs() <= tolerance;
            if !within {
                differ(format!("expected {e}, got {a} (tolerance {tolerance})"));
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (key, e_value) in e {
                let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                match a.get(key) {
                    Some(a_value) => compare_at(child, e_value, a_value, tolerance, out),
                    None => out.push(Difference {
                        pointer: child,
                        description: "missing in the new report".into(),
                    }),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                differ(format!("expected {} entries, got {}", e.len(), a.len()));
            }
            for (index, (e_item, a_item)) in e.iter().zip(a).enumerate() {
                compare_at(format!("{pointer}/{index}"), e_item, a_item, tolerance, out);
            }
        }
        (e, a) if e == a => {}
        (e, a) => differ(format!("expected {}, got {}", short(e), short(a))),
    }
}

/// A finding as `check` names it: detector, source and severity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FindingName {
    /// The detector.
    pub detector: String,
    /// The source of values it concerns.
    pub source: String,
    /// Its severity.
    pub severity: String,
    /// Its message (the new report's, for a changed finding).
    pub message: String,
}

/// The differences between two reports, in the order a reader cares about.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Checked {
    /// The verdict and each source's decision.
    pub verdict: Vec<Difference>,
    /// Findings the new report has and the expected one lacks.
    pub findings_added: Vec<FindingName>,
    /// Findings the expected report has and the new one lacks.
    pub findings_removed: Vec<FindingName>,
    /// Findings in both whose message or evidence changed.
    pub findings_changed: Vec<FindingName>,
    /// Input rows that changed, were added or were removed, by their line
    /// of the input (pointers `/observations/line N/…`).
    pub observations: Vec<Difference>,
    /// Everything else: statistics, steps, the IEC items, the session.
    pub statistics: Vec<Difference>,
}

impl Checked {
    /// True when the reports agree.
    pub fn agrees(&self) -> bool {
        self.verdict.is_empty()
            && self.findings_added.is_empty()
            && self.findings_removed.is_empty()
            && self.findings_changed.is_empty()
            && self.observations.is_empty()
            && self.statistics.is_empty()
    }
}

/// The fields of an accuracy block that are the decision, listed with the
/// verdict.
const DECISION_FIELDS: [&str; 3] = ["decision", "accuracy_pass", "out_of_tolerance_probability"];

/// Compares `actual` with `expected` and sorts the differences (module doc).
pub fn check(expected: &ComparableReport, actual: &ComparableReport, tolerance: f64) -> Checked {
    let mut checked = Checked::default();
    for difference in compare(&expected.rest, &actual.rest, tolerance) {
        let parts: Vec<&str> = difference.pointer.split('/').collect();
        let is_decision =
            parts.len() == 4 && parts[1] == "accuracy" && DECISION_FIELDS.contains(&parts[3]);
        match parts.get(1).copied() {
            Some("verdict") => checked.verdict.push(difference),
            Some("findings") | Some("observations") => {}
            _ if is_decision => checked.verdict.push(difference),
            _ => checked.statistics.push(difference),
        }
    }
    let findings = |report: &Value| -> Vec<(FindingName, Value)> {
        report["findings"]
            .as_array()
            .map(|all| all.iter().map(|f| (finding_name(f), f.clone())).collect())
            .unwrap_or_default()
    };
    let (before, after) = (findings(&expected.rest), findings(&actual.rest));
    let same = |a: &FindingName, b: &FindingName| {
        (&a.detector, &a.source, &a.severity) == (&b.detector, &b.source, &b.severity)
    };
    for (name, value) in &after {
        match before.iter().find(|(b, _)| same(b, name)) {
            None => checked.findings_added.push(name.clone()),
            Some((_, old)) if !compare(old, value, tolerance).is_empty() => {
                checked.findings_changed.push(name.clone())
            }
            Some(_) => {}
        }
    }
    for (name, _) in &before {
        if !after.iter().any(|(a, _)| same(a, name)) {
            checked.findings_removed.push(name.clone());
        }
    }
    checked.observations = changed_rows(&expected.observations, &actual.observations, tolerance);
    checked
}

fn finding_name(finding: &Value) -> FindingName {
    let text = |key: &str| finding[key].as_str().unwrap_or_default().to_string();
    FindingName {
        detector: text("detector"),
        source: text("source"),
        severity: text("severity"),
        message: text("message"),
    }
}

/// The observations that differ, matched by their place in the input: the
/// line, and for a line holding several observations (repeated readings of
/// one subject in several columns) their order on it. Both reports' rows
/// are indexed once, so a million rows are matched in one pass; each pair
/// is compared as JSON one at a time.
fn changed_rows(
    expected: &[ObservationRecord],
    actual: &[ObservationRecord],
    tolerance: f64,
) -> Vec<Difference> {
    let before = rows_by_place(expected);
    let after = rows_by_place(actual);
    let shared_lines = |line: u64| {
        let count = |rows: &HashMap<(u64, usize), &ObservationRecord>| {
            (0..).take_while(|k| rows.contains_key(&(line, *k))).count()
        };
        count(&before).max(count(&after)) > 1
    };
    let place = |(line, k): (u64, usize)| {
        if shared_lines(line) {
            format!("/observations/line {line} #{}", k + 1)
        } else {
            format!("/observations/line {line}")
        }
    };
    let as_json = |row: &ObservationRecord| serde_json::to_value(row).unwrap_or(Value::Null);
    let mut out = Vec::new();
    let mut keys: Vec<&(u64, usize)> = before.keys().chain(after.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        match (before.get(key), after.get(key)) {
            (Some(old), Some(new)) if old != new => compare_at(
                place(*key),
                &as_json(old),
                &as_json(new),
                tolerance,
                &mut out,
            ),
            (Some(_), Some(_)) => {}
            (Some(_), None) => out.push(Difference {
                pointer: place(*key),
                description: "the row is no longer used".into(),
            }),
            (None, Some(_)) => out.push(Difference {
                pointer: place(*key),
                description: "a row the expected report did not use".into(),
            }),
            (None, None) => {}
        }
    }
    out
}

/// A report's observations by (line, order on the line).
fn rows_by_place(rows: &[ObservationRecord]) -> HashMap<(u64, usize), &ObservationRecord> {
    let mut by_place = HashMap::with_capacity(rows.len());
    let mut previous: Option<(u64, usize)> = None;
    for row in rows {
        let k = match previous {
            Some((line, k)) if line == row.line => k + 1,
            _ => (0..)
                .find(|k| !by_place.contains_key(&(row.line, *k)))
                .unwrap_or(0),
        };
        previous = Some((row.line, k));
        by_place.insert((row.line, k), row);
    }
    by_place
}

/// A value shortened for a message.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_reports_agree_within_tolerance() {
        let e = json!({"a": 1.0, "b": [1, "x"], "tool": {"version": "0.1"}});
        let a = json!({"a": 1.0 + 1e-9, "b": [1, "x"], "tool": {"version": "9"}, "new": 3});
        assert!(compare(&e, &a, DEFAULT_TOLERANCE).is_empty());
    }

    #[test]
    fn differences_name_their_place() {
        let e = json!({"accuracy": {"reported": {"bias_c": 0.1}}, "verdict": {"manipulation_suspected": false}, "findings": [1]});
        let a = json!({"accuracy": {"reported": {"bias_c": 0.2}}, "verdict": {"manipulation_suspected": true}, "findings": []});
        let d = compare(&e, &a, 1e-6);
        let text: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(d.len(), 3, "{text:?}");
        assert!(text[0].starts_with("/accuracy/reported/bias_c: expected 0.1, got 0.2"));
        assert!(text[1].starts_with("/findings: expected 1 entries, got 0"));
        assert!(text[2].contains("/verdict/manipulation_suspected: expected false, got true"));
    }

    /// An observation row of line `line` reporting `reported_c`.
    fn row(line: u64, reported_c: f64) -> Value {
        json!({"line": line, "reference_c": 36.0, "reported_c": reported_c})
    }

    fn comparable(report: Value) -> ComparableReport {
        ComparableReport::from_value(report).unwrap()
    }

    #[test]
    fn a_flipped_verdict_comes_first_then_findings_then_rows_then_statistics() {
        let finding = |detector: &str, message: &str| json!({"detector": detector, "source": "reported", "severity": "manipulation", "message": message, "evidence": {}});
        let e = json!({
            "verdict": {"manipulation_suspected": false},
            "accuracy": {"reported": {"decision": "pass", "bias_c": 0.1}},
            "findings": [finding("clamp", "a"), finding("bias", "b")],
            "observations": [row(2, 36.0), row(3, 37.0)],
        });
        let a = json!({
            "verdict": {"manipulation_suspected": true},
            "accuracy": {"reported": {"decision": "fail", "bias_c": 0.3}},
            "findings": [finding("clamp", "a2"), finding("compression", "c")],
            "observations": [row(3, 37.5), row(4, 38.0)],
        });
        let (e, a) = (comparable(e), comparable(a));
        let c = check(&e, &a, 1e-6);
        assert!(!c.agrees());
        let pointers: Vec<&str> = c.verdict.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/accuracy/reported/decision",
                "/verdict/manipulation_suspected"
            ]
        );
        assert_eq!(c.findings_added[0].detector, "compression");
        assert_eq!(c.findings_removed[0].detector, "bias");
        assert_eq!(c.findings_changed[0].message, "a2");
        let rows: Vec<String> = c.observations.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            rows,
            [
                "/observations/line 2: the row is no longer used",
                "/observations/line 3/reported_c: expected 37, got 37.5 (tolerance 0.000001)",
                "/observations/line 4: a row the expected report did not use",
            ]
        );
        assert_eq!(c.statistics.len(), 1);
        assert_eq!(c.statistics[0].pointer, "/accuracy/reported/bias_c");
        assert!(check(&e, &e, 1e-6).agrees());
    }

    #[test]
    fn several_observations_of_one_line_are_told_apart() {
        // Four readings of one subject on line 5, as `--reported
        // T_Max1,T_Max2,T_Max3,T_Max4` makes them.
        let rows = |values: [f64; 4]| {
            comparable(
                json!({"observations": values.iter().map(|v| row(5, *v)).collect::<Vec<_>>()}),
            )
        };
        let e = rows([35.0, 35.5, 36.0, 36.5]);
        assert!(check(&e, &e, 1e-6).agrees());
        let a = rows([35.0, 35.5, 36.1, 36.5]);
        let found: Vec<String> = check(&e, &a, 1e-6)
            .observations
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            found,
            ["/observations/line 5 #3/reported_c: expected 36, got 36.1 (tolerance 0.000001)"]
        );
    }

    #[test]
    fn a_missing_key_and_a_null_are_differences() {
        let d = compare(&json!({"x": 1, "y": 2}), &json!({"y": null}), 1e-6);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].pointer, "/x");
    }
}
