//! `fevercheck check`: re-runs an analysis and compares it with a saved
//! report, for regression tests of analysis pipelines.
//!
//! Every key of the expected report must be present in the new one with an
//! equal value: numbers within an absolute tolerance, everything else exactly
//! (so the verdict and the findings must agree). Keys the new report has and
//! the expected one lacks are allowed (reports only ever gain keys). The
//! `tool` block and `session.path` describe how and where the report was
//! made, not what it found, and are not compared.

use serde_json::Value;

/// Default absolute tolerance for numbers: far below any displayed digit,
/// far above floating-point noise across platforms.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// JSON pointers (RFC 6901) not compared.
const IGNORED: [&str; 2] = ["/tool", "/session/path"];

/// One disagreement between the expected and the new report.
#[derive(Debug, Clone, PartialEq)]
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

    #[test]
    fn a_missing_key_and_a_null_are_differences() {
        let d = compare(&json!({"x": 1, "y": 2}), &json!({"y": null}), 1e-6);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].pointer, "/x");
    }
}
